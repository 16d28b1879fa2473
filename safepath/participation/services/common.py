"""What the participation services share."""

from __future__ import annotations

from safepath.accounts.models import User
from safepath.audit.services import Actor


def actor_of(user: User | None, channel: str) -> Actor:
    return Actor.of(user, channel) if user is not None else Actor.system(channel)
