from django.urls import URLPattern, path

from safepath.linkage import views_public

urlpatterns: list[URLPattern] = [
    path("", views_public.public_list_page, name="public_tracing_list"),
]
