"""The participation API, under /api/v1/participation/."""

from django.urls import URLPattern, URLResolver, path

from safepath.participation import apis
from safepath.participation import feedback_apis as f

P = "participation/"
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        f"{P}consultation-files/",
        apis.ConsultationFileListApi.as_view(),
        name="api-participation-files",
    ),
    path(f"{P}consultations/", apis.ConsultationListCreateApi.as_view(), name="api-consultations"),
    path(
        f"{P}consultations/<uuid:consultation_id>/",
        apis.ConsultationDetailApi.as_view(),
        name="api-consultation",
    ),
    path(
        f"{P}consultations/<uuid:consultation_id>/closure/",
        apis.ConsultationClosureApi.as_view(),
        name="api-consultation-closure",
    ),
    path(
        f"{P}consultations/<uuid:consultation_id>/link/",
        apis.ConsultationLinkApi.as_view(),
        name="api-consultation-link",
    ),
    path(
        f"{P}consultations/<uuid:consultation_id>/submissions/",
        apis.SubmissionApi.as_view(),
        name="api-consultation-submissions",
    ),
    path(
        f"{P}consultations/<uuid:consultation_id>/results/",
        apis.ResultsApi.as_view(),
        name="api-consultation-results",
    ),
    path(
        f"{P}consultations/<uuid:consultation_id>/written-answers/",
        apis.WrittenAnswerListApi.as_view(),
        name="api-consultation-written",
    ),
    path(
        f"{P}written-answers/<uuid:answer_id>/review/",
        apis.WrittenAnswerReviewApi.as_view(),
        name="api-written-answer-review",
    ),
    path(
        f"{P}consultations/<uuid:consultation_id>/actions/",
        apis.ActionListCreateApi.as_view(),
        name="api-consultation-actions",
    ),
    path(f"{P}actions/<uuid:action_id>/", apis.ActionDetailApi.as_view(), name="api-action"),
    path(
        f"{P}consultations/<uuid:consultation_id>/summary/",
        apis.SummaryApi.as_view(),
        name="api-consultation-summary",
    ),
    path(f"{P}information/", apis.InformationTopicListApi.as_view(), name="api-information"),
    path(f"{P}feedback/", f.FeedbackApi.as_view(), name="api-feedback"),
    path(f"{P}feedback/status/", f.FeedbackStatusApi.as_view(), name="api-feedback-status"),
    path(f"{P}feedback/for-child/", f.FeedbackRecordApi.as_view(), name="api-feedback-for-child"),
    path(
        f"{P}feedback/<uuid:feedback_id>/", f.FeedbackDetailApi.as_view(), name="api-feedback-item"
    ),
    path(
        f"{P}feedback/<uuid:feedback_id>/acknowledgement/",
        f.FeedbackAcknowledgementApi.as_view(),
        name="api-feedback-acknowledgement",
    ),
    path(
        f"{P}feedback/<uuid:feedback_id>/response/",
        f.FeedbackResponseApi.as_view(),
        name="api-feedback-response",
    ),
    path(
        f"{P}feedback/<uuid:feedback_id>/closure/",
        f.FeedbackClosureApi.as_view(),
        name="api-feedback-closure",
    ),
    path(
        f"{P}feedback/<uuid:feedback_id>/recusal/",
        f.FeedbackRecusalApi.as_view(),
        name="api-feedback-recusal",
    ),
    path(f"{P}service-feedback/", f.ServiceFiguresApi.as_view(), name="api-service-feedback"),
    path(f"{P}safeguarding-leads/", f.SafeguardingLeadApi.as_view(), name="api-safeguarding-leads"),
    path(
        f"{P}cases/<uuid:case_id>/information-given/",
        f.InformationGivenApi.as_view(),
        name="api-information-given",
    ),
]
