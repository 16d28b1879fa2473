from django.urls import path

from safepath.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_page, name="list"),
    path("new/", views.case_register_page, name="register"),
    path("supervision/", views.supervision_page, name="supervision"),
    path("non-punishment/", views.non_punishment_page, name="non_punishment"),
    path("access/", views.trail_lookup_page, name="trail_lookup"),
    path("<uuid:case_id>/", views.case_detail_page, name="detail"),
    path("<uuid:case_id>/procedure/", views.case_procedure_page, name="procedure"),
    path("<uuid:case_id>/plan/", views.case_plan_page, name="plan"),
    path("<uuid:case_id>/care/", views.case_care_page, name="care"),
    path("<uuid:case_id>/history/", views.case_history_page, name="history"),
    path("<uuid:case_id>/access/", views.case_trail_page, name="trail"),
    path("<uuid:case_id>/access/report/", views.access_report_page, name="access_report"),
    path(
        "<uuid:case_id>/access/report.csv",
        views.access_report_download,
        name="access_report_csv",
    ),
    path(
        "<uuid:case_id>/documents/<uuid:document_id>/",
        views.document_download,
        name="document",
    ),
    path("<uuid:case_id>/do/<slug:action>/", views.case_action, name="action"),
    path(
        "<uuid:case_id>/do/<slug:action>/<uuid:target_id>/",
        views.case_action,
        name="target_action",
    ),
]
