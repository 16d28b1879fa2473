from django.http import HttpRequest

from safepath.accounts.models import User
from safepath.screening.policies import ScreeningAction, screening_policy


def screening_links(request: HttpRequest) -> dict[str, bool]:
    """Whether the page shows 'Screen a child' and the performance link: the policy decides."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"can_run_screening": False, "can_monitor_screening": False}
    return {
        "can_run_screening": screening_policy.user_has_permission(user, ScreeningAction.RUN),
        "can_monitor_screening": screening_policy.user_has_permission(
            user, ScreeningAction.MONITOR
        ),
    }
