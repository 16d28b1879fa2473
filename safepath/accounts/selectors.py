"""Reads about the people using SafePath."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.request import Request

from safepath.accounts.models import User


def signed_in_user(request: HttpRequest | Request) -> User:
    """The request's user, once login_required or IsAuthenticated has let it through."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - only called behind an authentication check
    return user
