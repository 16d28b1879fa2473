from django.urls import URLPattern, URLResolver, path

from safepath.referrals import views

app_name = "referrals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.referral_list_page, name="list"),
    path("services/", views.service_directory_page, name="services"),
    path("services/<uuid:service_id>/status/", views.service_status_page, name="service_status"),
    path("overdue/", views.overdue_page, name="overdue"),
    path("new/<uuid:case_id>/", views.referral_create_page, name="create"),
    path("<uuid:referral_id>/", views.referral_detail_page, name="detail"),
    path("<uuid:referral_id>/<slug:action>/", views.referral_action_page, name="action"),
]
