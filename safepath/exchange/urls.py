from django.urls import URLPattern, URLResolver, path

from safepath.exchange import views

app_name = "exchange"
urlpatterns: list[URLPattern | URLResolver] = [
    path("partners/", views.partners_page, name="partners"),
    path("transfers/", views.transfers_page, name="transfers"),
    path("transfers/<uuid:transfer_id>/", views.transfer_page, name="transfer"),
    path("cases/<uuid:case_id>/transfer/", views.prepare_page, name="prepare"),
    path("incoming/<uuid:message_id>/", views.incoming_page, name="incoming"),
]
