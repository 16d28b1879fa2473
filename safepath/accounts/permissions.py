from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from safepath.accounts.models import ApiToken
from safepath.accounts.services import two_factor_is_satisfied


class TwoFactorSatisfied(BasePermission):
    """API calls by roles that read identifying data must come from a two-factor sign-in."""

    message = "Your role needs a two-factor sign-in for this; ask for a token with 'otp'."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return True  # IsAuthenticated answers that
        if isinstance(request.auth, ApiToken):
            verified = request.auth.two_factor_verified
        else:
            verified = bool(getattr(user, "is_verified", lambda: False)())
        return two_factor_is_satisfied(user, verified=verified)
