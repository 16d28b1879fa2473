"""Staff pages, under /participation/."""

from django.urls import URLPattern, URLResolver, path

from safepath.participation.views import answering, consultations, handling

app_name = "participation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", consultations.consultation_list_page, name="consultations"),
    path("<uuid:consultation_id>/", consultations.consultation_page, name="consultation"),
    path("<uuid:consultation_id>/session/", answering.session_start_page, name="session-start"),
    path(
        "<uuid:consultation_id>/sessions/<uuid:session_id>/end/",
        consultations.session_end_page,
        name="session-end",
    ),
    path("<uuid:consultation_id>/link/", consultations.link_create_page, name="link-create"),
    path("<uuid:consultation_id>/link/stop/", consultations.link_stop_page, name="link-stop"),
    path("<uuid:consultation_id>/close/", consultations.consultation_close_page, name="close"),
    path("<uuid:consultation_id>/results/", consultations.results_page, name="results"),
    path("<uuid:consultation_id>/review/", consultations.review_page, name="review"),
    path(
        "<uuid:consultation_id>/review/<uuid:answer_id>/",
        consultations.review_decision_page,
        name="review-decision",
    ),
    path("<uuid:consultation_id>/actions/", consultations.action_record_page, name="action-record"),
    path(
        "<uuid:consultation_id>/actions/<uuid:action_id>/",
        consultations.action_update_page,
        name="action-update",
    ),
    path("<uuid:consultation_id>/summary/", consultations.summary_draft_page, name="summary"),
    path("feedback/", handling.feedback_list_page, name="feedback"),
    path("feedback/record/", handling.feedback_record_page, name="feedback-record"),
    path("feedback/overview/", handling.coordination_page, name="coordination"),
    path("feedback/<uuid:feedback_id>/", handling.feedback_detail_page, name="feedback-detail"),
    path(
        "feedback/<uuid:feedback_id>/<slug:step>/",
        handling.feedback_step_page,
        name="feedback-step",
    ),
    path("safeguarding/", handling.safeguarding_page, name="safeguarding"),
    path(
        "cases/<uuid:case_id>/information/",
        handling.information_given_page,
        name="information-given",
    ),
]
