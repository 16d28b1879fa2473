from django.http import HttpRequest

from safepath.accounts.models import User
from safepath.linkage.policies import LinkageAction, linkage_policy


def linkage_links(request: HttpRequest) -> dict[str, bool]:
    """Which of this app's links the page shows; the app's policy decides."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"can_review_matches": False, "can_trace_families": False}
    return {
        "can_review_matches": linkage_policy.user_has_permission(user, LinkageAction.REVIEW),
        "can_trace_families": linkage_policy.user_has_permission(user, LinkageAction.TRACE),
    }
