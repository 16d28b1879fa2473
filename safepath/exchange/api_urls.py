from django.urls import URLPattern, URLResolver, path

from safepath.exchange import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("exchange/identity/", apis.IdentityApi.as_view(), name="api-exchange-identity"),
    path("exchange/partners/", apis.PartnerListApi.as_view(), name="api-exchange-partners"),
    path(
        "exchange/partners/<uuid:partner_id>/",
        apis.PartnerDetailApi.as_view(),
        name="api-exchange-partner",
    ),
    path("exchange/messages/", apis.MessageListApi.as_view(), name="api-exchange-messages"),
    path(
        "exchange/messages/<uuid:message_id>/retry/",
        apis.MessageRetryApi.as_view(),
        name="api-exchange-message-retry",
    ),
    path("exchange/inbox/", apis.InboxApi.as_view(), name="api-exchange-inbox"),
    path("exchange/outbox/", apis.OutboxApi.as_view(), name="api-exchange-outbox"),
    path("exchange/transfers/", apis.TransferListApi.as_view(), name="api-exchange-transfers"),
    path(
        "exchange/transfers/<uuid:transfer_id>/",
        apis.TransferDetailApi.as_view(),
        name="api-exchange-transfer",
    ),
    path(
        "exchange/transfers/<uuid:transfer_id>/approve/",
        apis.TransferApproveApi.as_view(),
        name="api-exchange-transfer-approve",
    ),
    path("exchange/incoming/", apis.IncomingListApi.as_view(), name="api-exchange-incoming"),
    path(
        "exchange/incoming/<uuid:message_id>/",
        apis.IncomingDetailApi.as_view(),
        name="api-exchange-incoming-detail",
    ),
    path(
        "exchange/incoming/<uuid:message_id>/accept/",
        apis.IncomingAcceptApi.as_view(),
        name="api-exchange-incoming-accept",
    ),
    path(
        "exchange/incoming/<uuid:message_id>/decline/",
        apis.IncomingDeclineApi.as_view(),
        name="api-exchange-incoming-decline",
    ),
]
