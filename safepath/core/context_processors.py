from typing import Any

from django.conf import settings
from django.http import HttpRequest

from safepath.accounts.models import User
from safepath.accounts.services import two_factor_is_satisfied


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: demo banner and the languages to switch to."""
    user = getattr(request, "user", None)
    verified = bool(user is not None and user.is_authenticated and user.is_verified())
    return {
        "two_factor_done": isinstance(user, User)
        and two_factor_is_satisfied(user, verified=verified),
        "demo_mode": settings.DEMO_MODE,
        "mfa_relaxed": settings.MFA_RELAXED,
        "available_languages": settings.LANGUAGES,
    }
