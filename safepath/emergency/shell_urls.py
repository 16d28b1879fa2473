"""The web shell's offline support, served from the site root (see ``views/shell.py``)."""

from django.urls import URLPattern, path

from safepath.emergency.views import shell

urlpatterns: list[URLPattern] = [
    path("sw.js", shell.service_worker, name="service_worker"),
    path("manifest.webmanifest", shell.web_manifest, name="web_manifest"),
    path("offline/", shell.offline_page, name="offline"),
]
