from django.http import HttpRequest

from safepath.accounts.models import User
from safepath.evidence.views.access import may_see_releases


def evidence_links(request: HttpRequest) -> dict[str, bool]:
    """Whether the page shows the 'Statistics' link: coordinators, analysts and data-protection
    officers (who review releases); the app's policy decides."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"can_view_evidence": False}
    return {"can_view_evidence": may_see_releases(user)}
