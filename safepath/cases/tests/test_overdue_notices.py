"""The periodic scan tells people about overdue work on cases (a case number and a link, never
a name): a task to its owner, a review to the case's workers, a missing guardian to them and
the owning agency's supervisors; each once, however often the scan runs."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.overdue import overdue_notify
from safepath.cases.services import review_record, task_create
from safepath.notify.models import Notification
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _kinds(user: User) -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.filter(recipient=user).values_list("kind", "reference", "link")
    )


def test_overdue_tasks_reviews_and_guardians_are_told_once(
    caseworker_a: User, supervisor_a: User
) -> None:
    working = register_case(caseworker_a)
    task_create(
        user=caseworker_a,
        case=working,
        title="(synthetic) School visit",
        due_on=TODAY + DAY,
        owner=caseworker_a,
        channel=Channel.API,
    )
    review_record(
        user=caseworker_a,
        case=working,
        reviewed_on=TODAY - 10 * DAY,
        summary="(synthetic) Review",
        next_review_on=TODAY + DAY,
        channel=Channel.API,
    )
    alone = register_case(caseworker_a, identified_on=TODAY - 5 * DAY)
    api_client_for(caseworker_a).patch(
        f"/api/v1/cases/{alone.id}/",
        {"version": 1, "child": {"care_arrangement": "unaccompanied"}},
        format="json",
    )

    assert overdue_notify(today=TODAY) == {
        "task_overdue": 0,
        "review_overdue": 0,
        "guardian_overdue": 2,  # the assigned worker and the supervisor
    }
    later = TODAY + 2 * DAY
    assert overdue_notify(today=later) == {
        "task_overdue": 1,
        "review_overdue": 1,
        "guardian_overdue": 0,  # already told
    }
    assert overdue_notify(today=later + DAY) == {
        "task_overdue": 0,
        "review_overdue": 0,
        "guardian_overdue": 0,
    }
    assert _kinds(caseworker_a) == sorted(
        [
            ("guardian_overdue", alone.reference, f"/cases/{alone.id}/care/"),
            ("review_overdue", working.reference, f"/cases/{working.id}/plan/"),
            ("task_overdue", working.reference, f"/cases/{working.id}/plan/"),
        ]
    )
    assert _kinds(supervisor_a) == [
        ("guardian_overdue", alone.reference, f"/cases/{alone.id}/care/")
    ]
    assert Notification.objects.get(recipient=supervisor_a).urgent
