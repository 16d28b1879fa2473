from django.http import HttpRequest

from safepath.accounts.models import User
from safepath.referrals.policies import ReferralAction, referral_policy, service_directory_policy


def referrals_links(request: HttpRequest) -> dict[str, bool]:
    """Which of this app's links the page shows; the app's policy decides."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"can_list_services": False, "can_list_referrals": False}
    return {
        "can_list_services": service_directory_policy.user_may_list(user),
        "can_list_referrals": referral_policy.user_has_permission(user, ReferralAction.VIEW),
    }
