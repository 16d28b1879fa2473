from django.urls import URLPattern, URLResolver, path

from safepath.emergency import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("emergency/session/", apis.SessionApi.as_view(), name="api-emergency-session"),
    path("emergency/sync/", apis.SyncApi.as_view(), name="api-emergency-sync"),
    path(
        "emergency/registrations/mine/",
        apis.MyRegistrationsApi.as_view(),
        name="api-emergency-mine",
    ),
    path(
        "emergency/registrations/<uuid:record_id>/",
        apis.RegistrationDetailApi.as_view(),
        name="api-emergency-registration",
    ),
]
