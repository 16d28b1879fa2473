from django.urls import URLPattern, URLResolver, path

from safepath.finance import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("finance/runs/", apis.RunListCreateApi.as_view(), name="api-finance-runs"),
    path("finance/runs/<uuid:run_id>/", apis.RunDetailApi.as_view(), name="api-finance-run"),
    path("finance/alerts/", apis.AlertListApi.as_view(), name="api-finance-alerts"),
    path("finance/alerts/search/", apis.AlertSearchApi.as_view(), name="api-finance-alert-search"),
    path(
        "finance/alerts/<uuid:alert_id>/", apis.AlertDetailApi.as_view(), name="api-finance-alert"
    ),
    path(
        "finance/alerts/<uuid:alert_id>/dispositions/",
        apis.AlertDispositionApi.as_view(),
        name="api-finance-alert-dispose",
    ),
    path(
        "finance/alerts/<uuid:alert_id>/reports/",
        apis.AlertReportApi.as_view(),
        name="api-finance-alert-report",
    ),
    path(
        "finance/reports/<uuid:report_id>/download/",
        apis.ReportDownloadApi.as_view(),
        name="api-finance-report-download",
    ),
    path("finance/metrics/", apis.MetricsApi.as_view(), name="api-finance-metrics"),
]
