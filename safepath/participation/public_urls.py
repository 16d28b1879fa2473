"""Children's and carers' pages, under /participate/: no sign-in. No tracking code or answer
ever goes in one of these addresses."""

from django.urls import URLPattern, URLResolver, path

from safepath.participation.views import answering, public

app_name = "participate"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", answering.start_page, name="start"),
    path("l/<str:token>/", answering.link_page, name="link"),
    path("about-you/", answering.about_page, name="about"),
    path("agree/", answering.agree_page, name="agree"),
    path("question/", answering.question_page, name="question"),
    path("stop/", answering.stop_page, name="stop"),
    path("done/", answering.done_page, name="done"),
    path("device/", answering.kiosk_exit_page, name="kiosk-exit"),
    path("information/", public.information_index_page, name="information"),
    path("information/<slug:topic_id>/", public.information_page, name="information-topic"),
    path("feedback/", public.feedback_page, name="feedback"),
    path("feedback/status/", public.feedback_status_page, name="feedback-status"),
    path("summaries/", public.summary_list_page, name="summaries"),
    path("summaries/<uuid:release_id>/", public.summary_page, name="summary"),
]
