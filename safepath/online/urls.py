from django.urls import URLPattern, URLResolver, path

from safepath.online.views import hotline, public, tools

app_name = "online"
urlpatterns: list[URLPattern | URLResolver] = [
    # public: no account
    path("report/", public.report_page, name="report"),
    path("report/thanks/", public.thanks_page, name="thanks"),
    path("status/", public.status_page, name="status"),
    # the hotline
    path("", hotline.queue_page, name="queue"),
    path("reports/<uuid:report_id>/", hotline.detail_page, name="detail"),
    path("reports/<uuid:report_id>/media/", hotline.media_page, name="media"),
    path("reports/<uuid:report_id>/assess/", hotline.assess_page, name="assess"),
    path("reports/<uuid:report_id>/notice/", hotline.notice_page, name="notice"),
    path("reports/<uuid:report_id>/refer/", hotline.referral_page, name="refer"),
    path("reports/<uuid:report_id>/export/", hotline.export_page, name="export"),
    path("reports/<uuid:report_id>/hand-off/", hotline.hand_off_page, name="hand_off"),
    path("notices/<uuid:notice_id>/<slug:step>/", hotline.notice_step_page, name="notice_step"),
    path("exports/<uuid:export_id>/", hotline.export_download_page, name="export_download"),
    # tools
    path("match/", tools.match_page, name="match"),
    path("banks/", tools.banks_page, name="banks"),
    path("adverts/", tools.adverts_page, name="adverts"),
    path("dashboard/", tools.dashboard_page, name="dashboard"),
    path("hand-offs/", tools.handoffs_page, name="handoffs"),
]
