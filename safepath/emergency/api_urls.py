from django.urls import URLPattern, URLResolver, path

from safepath.emergency import apis, apis_coordination

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
    path(
        "emergency/emergencies/",
        apis_coordination.EmergencyListApi.as_view(),
        name="api-emergency-list",
    ),
    path(
        "emergency/emergencies/<uuid:emergency_id>/end/",
        apis_coordination.EmergencyEndApi.as_view(),
        name="api-emergency-end",
    ),
    path(
        "emergency/emergencies/<uuid:emergency_id>/board/",
        apis_coordination.BoardApi.as_view(),
        name="api-emergency-board",
    ),
    path(
        "emergency/emergencies/<uuid:emergency_id>/service-gaps/",
        apis_coordination.GapsApi.as_view(),
        name="api-emergency-gaps",
    ),
    path("emergency/risk/", apis_coordination.RiskApi.as_view(), name="api-emergency-risk"),
]
