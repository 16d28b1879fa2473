from django.urls import URLPattern, URLResolver, path

from safepath.online import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("online/reports/", apis.ReportListApi.as_view(), name="api-online-reports"),
    path("online/reports/new/", apis.ReportCreateApi.as_view(), name="api-online-report-new"),
    path("online/reports/status/", apis.ReportStatusApi.as_view(), name="api-online-status"),
    path(
        "online/reports/<uuid:report_id>/", apis.ReportDetailApi.as_view(), name="api-online-report"
    ),
    path(
        "online/reports/<uuid:report_id>/assessments/",
        apis.AssessmentApi.as_view(),
        name="api-online-assess",
    ),
    path(
        "online/reports/<uuid:report_id>/media/", apis.MediaApi.as_view(), name="api-online-media"
    ),
    path(
        "online/reports/<uuid:report_id>/notices/",
        apis.NoticeCreateApi.as_view(),
        name="api-online-notices",
    ),
    path(
        "online/reports/<uuid:report_id>/law-enforcement/",
        apis.ReferralApi.as_view(),
        name="api-online-referral",
    ),
    path(
        "online/reports/<uuid:report_id>/exports/",
        apis.ExportCreateApi.as_view(),
        name="api-online-exports",
    ),
    path(
        "online/reports/<uuid:report_id>/case-links/",
        apis.CaseLinkCreateApi.as_view(),
        name="api-online-case-link",
    ),
    path(
        "online/notices/<uuid:notice_id>/removal/",
        apis.NoticeRemovalApi.as_view(),
        name="api-online-notice-removal",
    ),
    path(
        "online/notices/<uuid:notice_id>/reappearance/",
        apis.NoticeReappearanceApi.as_view(),
        name="api-online-notice-reappearance",
    ),
    path(
        "online/exports/<uuid:export_id>/download/",
        apis.ExportDownloadApi.as_view(),
        name="api-online-export-download",
    ),
    path("online/case-links/", apis.CaseLinkListApi.as_view(), name="api-online-case-links"),
    path(
        "online/case-links/<uuid:link_id>/answer/",
        apis.CaseLinkAnswerApi.as_view(),
        name="api-online-case-link-answer",
    ),
    path("online/hash/", apis.HashApi.as_view(), name="api-online-hash"),
    path("online/match/", apis.MatchApi.as_view(), name="api-online-match"),
    path("online/banks/", apis.BankListApi.as_view(), name="api-online-banks"),
    path("online/adverts/", apis.AdvertApi.as_view(), name="api-online-adverts"),
    path("online/adverts/graph/", apis.AdvertGraphApi.as_view(), name="api-online-advert-graph"),
    path(
        "online/dashboard/removal/",
        apis.RemovalDashboardApi.as_view(),
        name="api-online-dashboard",
    ),
]
