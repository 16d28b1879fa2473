from django.urls import path

from safepath.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_page, name="list"),
    path("new/", views.case_register_page, name="register"),
    path("<uuid:case_id>/", views.case_detail_page, name="detail"),
]
