from django.http import HttpRequest

from safepath.accounts.models import User
from safepath.finance.policies import FinanceAction, finance_policy


def finance_links(request: HttpRequest) -> dict[str, bool]:
    """Whether the page shows 'Financial alerts': the finance policy decides."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"can_work_alerts": False}
    return {"can_work_alerts": finance_policy.user_has_permission(user, FinanceAction.VIEW)}
