from django.urls import URLPattern, URLResolver, path

from safepath.linkage import views, views_reunification

app_name = "linkage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue_page, name="queue"),
    path("pairs/<uuid:pair_id>/", views.pair_page, name="pair"),
    path("pairs/<uuid:pair_id>/sharing-request/", views.sharing_request_page, name="sharing"),
    path("requests/<uuid:request_id>/answer/", views.request_answer_page, name="answer"),
    path("persons/<uuid:person_id>/", views.person_page, name="person"),
    path("changes/<uuid:change_id>/revert/", views.change_revert_page, name="revert"),
    path("tracing/", views.tracing_list_page, name="tracing"),
    path("tracing/new/", views.tracing_new_page, name="tracing_new"),
    path("tracing/<uuid:request_id>/", views.tracing_detail_page, name="tracing_detail"),
    path("tracing/listings/", views_reunification.listings_page, name="listings"),
]
