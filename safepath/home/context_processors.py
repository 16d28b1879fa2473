from typing import Any

from django.conf import settings
from django.http import HttpRequest

from safepath.accounts.models import User
from safepath.accounts.services import two_factor_is_satisfied
from safepath.home.registry import nav_links


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the menu, the demo banner and the languages."""
    user = getattr(request, "user", None)
    verified = bool(user is not None and user.is_authenticated and user.is_verified())
    signed_in = isinstance(user, User) and two_factor_is_satisfied(user, verified=verified)
    return {
        "two_factor_done": signed_in,
        "nav_links": nav_links(user) if signed_in and isinstance(user, User) else [],
        "demo_mode": settings.DEMO_MODE,
        "mfa_relaxed": settings.MFA_RELAXED,
        "available_languages": settings.LANGUAGES,
    }
