"""Who is told about possible duplicates (through the notifications app): the supervisors of
the agency whose deduplication run proposed pairs to review. A run number and a link only.
(A national run's pairs are reviewed from the queue by each agency; no one is told yet.)"""

from __future__ import annotations

from django.urls import reverse

from safepath.accounts.models import User
from safepath.linkage.models import MatchRun
from safepath.linkage.policies import REVIEWS_MATCHES
from safepath.notify.kinds import short_reference
from safepath.notify.services import notify


def pairs_to_review(run: MatchRun) -> None:
    if run.agency_id is None:
        return
    reviewers = User.objects.filter(agency=run.agency_id, role__in=REVIEWS_MATCHES, is_active=True)
    notify(
        recipients=reviewers,
        kind="match_to_review",
        reference=short_reference("RUN", run.pk),
        link=reverse("linkage:queue"),
        dedupe_key=f"match_to_review:{run.pk}",
    )
