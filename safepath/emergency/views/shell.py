"""Offline support for the whole web shell: every page links the web app manifest and registers
the service worker (``core/static/safepath/pwa.js``), served here from the site root so that its
scope is the whole site.

The service worker keeps the shell's static files and the field app's page for offline use, and
answers any other page with the offline page when there is no network. It never caches an API
answer: a child's data on the device lives only in the field app's encrypted store.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# What every page's worker keeps at once (small: the offline page and what it shows) ...
OFFLINE_FILES = ("safepath/safepath.css", "safepath/pwa.js", "safepath/favicon.svg")
# ... and what the field app asks it to keep, on its first visit, to work with no network.
SHELL_FILES = (
    *OFFLINE_FILES,
    "safepath/shell.js",
    "vendor/htmx/htmx.min.js",
    "emergency/emergency.css",
    "emergency/field.js",
    "emergency/store.js",
    "emergency/sync.js",
    "emergency/ui.js",
    "emergency/icons/icon-192.png",
    "emergency/icons/icon-512.png",
)


@cache
def shell_version() -> str:
    """Changes whenever a precached file changes, so the browser installs the new worker."""
    digest = hashlib.sha256()
    for name in SHELL_FILES:
        path = finders.find(name)
        digest.update(name.encode())
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "version": shell_version(),
        "precache": json.dumps([*(static(name) for name in OFFLINE_FILES), reverse("offline")]),
        "field_files": json.dumps([static(name) for name in SHELL_FILES]),
        "offline_pages": json.dumps([reverse("emergency:field")]),
        "offline_url": json.dumps(reverse("offline")),
        "static_prefix": json.dumps(static("")),
    }
    response = render(request, "emergency/sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def web_manifest(request: HttpRequest) -> HttpResponse:
    manifest = {
        "name": _("SafePath field registration"),
        "short_name": "SafePath",
        "description": _("Register separated children with or without a network."),
        "start_url": reverse("emergency:field"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f3f5f8",
        "theme_color": "#0b5a73",
        "lang": get_language() or "en",
        "dir": "rtl" if get_language_bidi() else "ltr",
        "icons": [
            {
                "src": static("emergency/icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": static("emergency/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
            {
                "src": static("emergency/icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(
        json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What any page shows with no network: the way to the field app, which works offline."""
    return render(request, "emergency/offline.html")
