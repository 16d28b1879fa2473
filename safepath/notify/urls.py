from django.urls import URLPattern, URLResolver, path

from safepath.notify import views

app_name = "notifications"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.centre_page, name="centre"),
    path("read-all/", views.mark_all_read_page, name="read_all"),
    path("preferences/", views.preferences_page, name="preferences"),
    path("failed/", views.failed_page, name="failed"),
    path("failed/<uuid:delivery_id>/retry/", views.retry_page, name="retry"),
    path("<uuid:notification_id>/read/", views.mark_read_page, name="read"),
]
