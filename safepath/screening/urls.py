from django.urls import path

from safepath.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.choose_page, name="choose"),
    path("new/<slug:instrument_id>/", views.start_page, name="start"),
    path("run/<uuid:interview_id>/details/", views.details_page, name="details"),
    path("run/<uuid:interview_id>/<int:number>/", views.question_page, name="question"),
    path("run/<uuid:interview_id>/check/", views.summary_page, name="summary"),
    path("performance/", views.performance_page, name="performance"),
    path("<uuid:screening_id>/", views.result_page, name="result"),
    path("<uuid:screening_id>/confirm/", views.confirm_page, name="confirm"),
]
