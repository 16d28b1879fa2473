"""An API token's "last used" time is kept to the minute: one write a minute, not a request."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safepath.accounts.models import ApiToken, User


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(caseworker_a: User) -> None:
    raw, digest = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=caseworker_a,
        digest=digest,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        two_factor_verified=True,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")

    assert client.get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at > first - datetime.timedelta(minutes=1)
