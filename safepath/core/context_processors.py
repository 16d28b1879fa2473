from typing import Any

from django.conf import settings
from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: demo banner and the languages to switch to."""
    return {
        "demo_mode": settings.DEMO_MODE,
        "mfa_relaxed": settings.MFA_RELAXED,
        "available_languages": settings.LANGUAGES,
    }
