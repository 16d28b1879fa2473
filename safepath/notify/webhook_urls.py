from django.urls import URLPattern, URLResolver, path

from safepath.notify import webhook_views as views

app_name = "webhooks"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.list_page, name="list"),
    path("clients/", views.clients_page, name="clients"),
    path(
        "clients/<uuid:client_id>/rotate/",
        views.client_action_page,
        {"action": "rotate"},
        name="client_rotate",
    ),
    path(
        "clients/<uuid:client_id>/revoke/",
        views.client_action_page,
        {"action": "revoke"},
        name="client_revoke",
    ),
    path("deliveries/<uuid:delivery_id>/replay/", views.replay_page, name="replay"),
    path("<uuid:subscription_id>/", views.detail_page, name="detail"),
    path("<uuid:subscription_id>/pause/", views.action_page, {"action": "pause"}, name="pause"),
    path("<uuid:subscription_id>/resume/", views.action_page, {"action": "resume"}, name="resume"),
    path("<uuid:subscription_id>/test/", views.action_page, {"action": "test"}, name="test"),
    path("<uuid:subscription_id>/rotate/", views.action_page, {"action": "rotate"}, name="rotate"),
]
