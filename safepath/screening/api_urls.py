from django.urls import path

from safepath.screening import apis

urlpatterns = [
    path("screening-instruments/", apis.InstrumentListApi.as_view(), name="api-instruments"),
    path(
        "screening-instruments/<slug:instrument_id>/",
        apis.InstrumentDetailApi.as_view(),
        name="api-instrument",
    ),
    path(
        "screening-instruments/<slug:instrument_id>/performance/",
        apis.InstrumentPerformanceApi.as_view(),
        name="api-instrument-performance",
    ),
    path("screenings/", apis.ScreeningCreateApi.as_view(), name="api-screenings"),
    path(
        "screenings/<uuid:screening_id>/", apis.ScreeningDetailApi.as_view(), name="api-screening"
    ),
    path(
        "screenings/<uuid:screening_id>/confirmation/",
        apis.ScreeningConfirmApi.as_view(),
        name="api-screening-confirm",
    ),
]
