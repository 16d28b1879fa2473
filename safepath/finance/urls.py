from django.urls import URLPattern, URLResolver, path

from safepath.finance import views

app_name = "finance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue_page, name="queue"),
    path("runs/new/", views.run_new_page, name="run_new"),
    path("runs/<uuid:run_id>/", views.run_page, name="run"),
    path("alerts/<uuid:alert_id>/", views.alert_page, name="alert"),
    path("alerts/<uuid:alert_id>/decide/", views.alert_dispose_page, name="alert_dispose"),
    path("alerts/<uuid:alert_id>/report/", views.alert_report_page, name="alert_report"),
    path("reports/<uuid:report_id>/download/", views.report_download_page, name="report_download"),
    path("metrics/", views.metrics_page, name="metrics"),
]
