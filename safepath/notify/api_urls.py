from django.urls import URLPattern, URLResolver, path

from safepath.notify import apis

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
]
