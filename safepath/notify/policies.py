"""Who may do what with notifications: a person reads and marks their own (others' are
invisible, 404); the system administrator sees deliveries that failed (who, which channel, the
error: never the content) and sends them again."""

from __future__ import annotations

from safepath.accounts.models import User
from safepath.accounts.roles import Role


def may_manage_deliveries(user: User) -> bool:
    return user.is_active and user.role == Role.SYSTEM_ADMIN


def may_manage_integrations(user: User) -> bool:
    """Webhook subscriptions, their delivery log, and API clients: the system administrator
    (who sees references and the fields a subscription carries, never identifying data)."""
    return user.is_active and getattr(user, "role", None) == Role.SYSTEM_ADMIN
