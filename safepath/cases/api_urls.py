from django.urls import path

from safepath.cases import apis, retention_apis
from safepath.cases import workflow_apis as w

CASE = "cases/<uuid:case_id>/"

urlpatterns = [
    path("cases/", apis.CaseListCreateApi.as_view(), name="api-cases"),
    path("cases/search/", apis.CaseSearchApi.as_view(), name="api-case-search"),
    path("cases/supervision/", w.SupervisionApi.as_view(), name="api-case-supervision"),
    path("cases/non-punishment/", w.NonPunishmentReportApi.as_view(), name="api-non-punishment"),
    path(CASE, apis.CaseDetailApi.as_view(), name="api-case"),
    path(f"{CASE}assignments/", apis.CaseAssignApi.as_view(), name="api-case-assign"),
    path(
        f"{CASE}assignments/<uuid:assignment_id>/end/",
        apis.CaseAssignmentEndApi.as_view(),
        name="api-case-assignment-end",
    ),
    path(f"{CASE}consents/", apis.CaseConsentApi.as_view(), name="api-case-consent"),
    path(
        f"{CASE}consents/<uuid:consent_id>/withdrawal/",
        apis.ConsentWithdrawApi.as_view(),
        name="api-case-consent-withdraw",
    ),
    path(f"{CASE}shares/", apis.CaseShareApi.as_view(), name="api-case-share"),
    path(f"{CASE}file/", w.CaseFileApi.as_view(), name="api-case-file"),
    path(f"{CASE}history/", w.CaseHistoryApi.as_view(), name="api-case-history"),
    path(
        f"{CASE}legal-holds/",
        retention_apis.LegalHoldApi.as_view(),
        name="api-case-legal-holds",
    ),
    path(
        f"{CASE}legal-holds/<uuid:hold_id>/release/",
        retention_apis.LegalHoldReleaseApi.as_view(),
        name="api-case-legal-hold-release",
    ),
    path(f"{CASE}transitions/", w.TransitionApi.as_view(), name="api-case-transition"),
    path(f"{CASE}durable-solution/", w.SolutionApi.as_view(), name="api-case-solution"),
    path(f"{CASE}placement/", w.PlacementApi.as_view(), name="api-case-placement"),
    path(f"{CASE}child-views/", w.ChildViewsApi.as_view(), name="api-case-views"),
    path(f"{CASE}assessments/", w.AssessmentApi.as_view(), name="api-case-assessments"),
    path(f"{CASE}determinations/", w.DeterminationApi.as_view(), name="api-case-determinations"),
    path(
        f"{CASE}determinations/<uuid:determination_id>/approval/",
        w.DeterminationApproveApi.as_view(),
        name="api-case-determination-approve",
    ),
    path(f"{CASE}plans/", w.PlanApi.as_view(), name="api-case-plans"),
    path(
        f"{CASE}plans/<uuid:plan_id>/<slug:step>/",
        w.PlanStepApi.as_view(),
        name="api-case-plan-step",
    ),
    path(f"{CASE}tasks/", w.TaskApi.as_view(), name="api-case-tasks"),
    path(
        f"{CASE}tasks/<uuid:task_id>/completion/",
        w.TaskCompleteApi.as_view(),
        name="api-case-task-complete",
    ),
    path(f"{CASE}reviews/", w.ReviewApi.as_view(), name="api-case-reviews"),
    path(f"{CASE}notes/", w.NoteApi.as_view(), name="api-case-notes"),
    path(f"{CASE}documents/", w.DocumentApi.as_view(), name="api-case-documents"),
    path(
        f"{CASE}documents/<uuid:document_id>/",
        w.DocumentDownloadApi.as_view(),
        name="api-case-document",
    ),
    path(f"{CASE}guardians/", w.GuardianApi.as_view(), name="api-case-guardians"),
    path(f"{CASE}justice-contacts/", w.JusticeContactApi.as_view(), name="api-case-justice"),
    path(
        f"{CASE}justice-contacts/<uuid:contact_id>/resolution/",
        w.JusticeContactResolveApi.as_view(),
        name="api-case-justice-resolve",
    ),
    path(
        f"{CASE}transition-plans/", w.TransitionPlanApi.as_view(), name="api-case-transition-plans"
    ),
    path(f"{CASE}age-assessments/", w.AgeAssessmentApi.as_view(), name="api-case-age"),
    path(f"{CASE}family/", w.FamilyMemberApi.as_view(), name="api-case-family"),
]
