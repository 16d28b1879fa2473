"""The data-protection officer's home page lists the releases waiting for review (issue 19)."""

from __future__ import annotations

import pytest

from safepath.accounts.models import User
from safepath.evidence.home import work_items
from safepath.evidence.models import Release, ReleaseStatus
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db


def test_the_dpo_sees_the_releases_in_review_and_the_count_matches_the_list(
    dpo: User, coordinator: User, caseworker_a: User
) -> None:
    for status in (ReleaseStatus.IN_REVIEW, ReleaseStatus.IN_REVIEW, ReleaseStatus.DRAFT):
        Release.objects.create(title="t", source="vp", status=status, created_by=coordinator)

    [item] = work_items(dpo)

    assert item.count == 2
    home = web_client_for(dpo).get("/").content.decode()
    assert "Statistical releases waiting for your review or publication" in home
    listed = web_client_for(dpo).get(item.url).content.decode()
    waiting = listed.split('id="waiting-review"')[1].split("</section>")[0]
    assert waiting.count('class="release-status"') == 2
    # drafters and case workers get no review item
    assert work_items(coordinator) == []
    assert work_items(caseworker_a) == []
