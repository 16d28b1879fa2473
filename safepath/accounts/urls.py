from django.urls import path

from safepath.accounts import views
from safepath.accounts.sso import views as sso_views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("logout/", views.sign_out, name="logout"),
    path("sso/<slug:provider>/", sso_views.sso_start, name="sso_start"),
    path("sso/<slug:provider>/callback/", sso_views.sso_callback, name="sso_callback"),
]
