from django.urls import URLPattern, URLResolver, path

from safepath.notify import apis
from safepath.notify import webhook_apis as hooks

urlpatterns: list[URLPattern | URLResolver] = [
    path("notifications/", apis.NotificationListApi.as_view(), name="api-notifications"),
    path(
        "notifications/read-all/",
        apis.NotificationReadAllApi.as_view(),
        name="api-notifications-read-all",
    ),
    path(
        "notifications/preferences/",
        apis.PreferenceApi.as_view(),
        name="api-notification-preferences",
    ),
    path(
        "notifications/deliveries/failed/",
        apis.FailedDeliveryListApi.as_view(),
        name="api-notification-deliveries-failed",
    ),
    path(
        "notifications/deliveries/<uuid:delivery_id>/retry/",
        apis.DeliveryRetryApi.as_view(),
        name="api-notification-delivery-retry",
    ),
    path(
        "notifications/<uuid:notification_id>/read/",
        apis.NotificationReadApi.as_view(),
        name="api-notification-read",
    ),
    path("webhooks/", hooks.WebhookListApi.as_view(), name="api-webhooks"),
    path("webhooks/events/", hooks.WebhookEventListApi.as_view(), name="api-webhook-events"),
    path(
        "webhooks/deliveries/<uuid:delivery_id>/replay/",
        hooks.WebhookReplayApi.as_view(),
        name="api-webhook-delivery-replay",
    ),
    path("webhooks/<uuid:subscription_id>/", hooks.WebhookDetailApi.as_view(), name="api-webhook"),
    path(
        "webhooks/<uuid:subscription_id>/deliveries/",
        hooks.WebhookDeliveryListApi.as_view(),
        name="api-webhook-deliveries",
    ),
    path(
        "webhooks/<uuid:subscription_id>/pause/",
        hooks.WebhookPauseApi.as_view(),
        name="api-webhook-pause",
    ),
    path(
        "webhooks/<uuid:subscription_id>/resume/",
        hooks.WebhookResumeApi.as_view(),
        name="api-webhook-resume",
    ),
    path(
        "webhooks/<uuid:subscription_id>/rotate-secret/",
        hooks.WebhookRotateApi.as_view(),
        name="api-webhook-rotate",
    ),
    path(
        "webhooks/<uuid:subscription_id>/test/",
        hooks.WebhookTestApi.as_view(),
        name="api-webhook-test",
    ),
    path("api-clients/", hooks.ApiClientListApi.as_view(), name="api-clients"),
    path(
        "api-clients/<uuid:client_id>/rotate/",
        hooks.ApiClientRotateApi.as_view(),
        name="api-client-rotate",
    ),
    path(
        "api-clients/<uuid:client_id>/revoke/",
        hooks.ApiClientRevokeApi.as_view(),
        name="api-client-revoke",
    ),
    path(
        "integrations/whoami/",
        hooks.IntegrationWhoamiApi.as_view(),
        name="api-integration-whoami",
    ),
    path(
        "integrations/referrals/<uuid:referral_id>/",
        hooks.IntegrationReferralApi.as_view(),
        name="api-integration-referral",
    ),
    path(
        "integrations/cases/<str:reference>/",
        hooks.IntegrationCaseApi.as_view(),
        name="api-integration-case",
    ),
]
