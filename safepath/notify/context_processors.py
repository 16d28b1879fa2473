from typing import Any

from django.http import HttpRequest

from safepath.accounts.models import User
from safepath.notify.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """The header's unread count (None when nobody is signed in)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"notifications_unread": None}
    return {"notifications_unread": unread_count(user=user)}
