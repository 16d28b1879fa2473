"""Who is told about a statistical release (through the notifications app): the
data-protection officers, when one waits for their review. A record number and a link only."""

from __future__ import annotations

from django.urls import reverse

from safepath.accounts.models import User
from safepath.accounts.roles import REVIEWS_RELEASES
from safepath.evidence.models import Release
from safepath.notify.kinds import short_reference
from safepath.notify.services import notify


def release_submitted(release: Release) -> None:
    reviewers = User.objects.filter(role__in=REVIEWS_RELEASES, is_active=True)
    if release.created_by_id is not None:  # the author does not review their own release
        reviewers = reviewers.exclude(pk=release.created_by_id)
    notify(
        recipients=reviewers,
        kind="release_to_review",
        reference=short_reference("REL", release.id),
        link=reverse("evidence:release", args=[release.id]),
        dedupe_key=f"release_to_review:{release.id}:{release.version}",
    )
