"""API token authentication with expiry; only token digests are stored."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from safepath.accounts.models import ApiToken, User

LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        if not key.replace("-", "").replace("_", "").isalnum() or len(key) > 100:
            raise exceptions.AuthenticationFailed(_("The token is malformed."))
        try:
            token = ApiToken.objects.select_related("user").get(digest=ApiToken.digest_of(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        if token.is_expired():
            raise exceptions.AuthenticationFailed(_("The token has expired; ask for a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account is disabled."))
        now = timezone.now()
        # "last used" to the minute: one write a minute per token, not one a request
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
