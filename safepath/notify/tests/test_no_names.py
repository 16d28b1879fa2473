"""No message carries a child's name: with the demo loaded, every kind of notification is made
(through the real workflow where one exists), and every e-mail, digest, SMS, notification-centre
page and API answer, in the four languages, is searched for every demo child's names."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases.models import Case, Child
from safepath.cases.services import determination_record
from safepath.notify import rendering
from safepath.notify.kinds import KINDS, short_reference
from safepath.notify.models import Notification
from safepath.notify.services import deliveries_send_due, digests_plan, notify
from safepath.notify.sms import TestChannel
from safepath.notify.tests.helpers import prefer, refer
from safepath.referrals.services import (
    referral_accept,
    referral_decline,
    referrals_escalate_overdue,
)
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
LANGUAGES = ("en", "fr", "es", "ar")


def _names() -> set[str]:
    rows = [[c.given_name, c.family_name, *c.other_names] for c in Child.objects.all()]
    return {value.casefold() for row in rows for value in row if value and len(value) >= 3}


def _found(names: set[str], text: str) -> list[str]:
    folded = text.casefold()
    return sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", folded))


def _make_every_kind(users: dict[str, User]) -> None:
    worker_a, worker_b = users["caseworker.a"], users["caseworker.b"]
    agency_b = worker_b.agency
    assert isinstance(agency_b, Agency)
    cases = list(
        Case.objects.filter(owner_agency=worker_a.agency_id, status="registered")
        .filter(assignments__user=worker_a)
        .order_by("created_at")[:4]
    )
    accepted, declined, _overdue = (refer(worker_a, case, agency_b) for case in cases[:3])
    urgent = refer(worker_a, cases[3], agency_b, urgency="high")
    referral_accept(user=worker_b, referral=accepted, expected_version=1, channel=Channel.API)
    referral_decline(
        user=worker_b,
        referral=declined,
        expected_version=1,
        code="no_capacity",
        reason="No bed tonight.",
        channel=Channel.API,
    )
    referrals_escalate_overdue(now=urgent.due_at + datetime.timedelta(days=8))
    determination_record(
        user=worker_a,
        case=cases[0],
        decided_on=timezone.localdate(),
        panel=[{"name": f"(synthetic) panel member {n}", "role": "member"} for n in range(3)],
        decision="local_integration",
        reasons="(synthetic) The panel's reasons.",
        channel=Channel.API,
    )
    # kinds whose triggers live in other apps' periodic work: the same call, a demo case's number
    case = cases[0]
    for kind in (
        "task_overdue",
        "review_overdue",
        "guardian_overdue",
        "match_to_review",
        "release_to_review",
        "finance_alert",
        "emergency",
    ):
        notify(
            recipients=[worker_a, users["supervisor.a"]],
            kind=kind,
            reference=case.reference,
            link=f"/cases/{case.id}/",
            dedupe_key=f"{kind}:{case.id}",
        )
    # the administrator's: a webhook subscriber paused (its reference, never a case's content)
    notify(
        recipients=[worker_a],
        kind="webhook_paused",
        reference=short_reference("WH", case.id),
        link=f"/webhooks/{case.id}/",
        dedupe_key=f"webhook_paused:{case.id}",
    )


def test_no_message_page_or_answer_carries_a_demo_childs_name(settings: object) -> None:
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    names = _names()
    assert len(names) > 50
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    for number, user in enumerate(users.values()):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        prefer(user, frequency="daily", sms_enabled=True, phone=f"+2547000{number:05d}")
    _make_every_kind(users)
    made = set(Notification.objects.values_list("kind", flat=True))
    assert made == set(KINDS), f"kinds never made: {set(KINDS) - made}"

    texts: list[str] = []
    for note in Notification.objects.select_related("recipient"):
        for language in LANGUAGES:
            note.recipient.preferred_language = language
            texts.extend(rendering.email(note.recipient, [note], digest=False))
            texts.append(rendering.sms(note.recipient, note))
    later = timezone.now() + datetime.timedelta(days=8)
    assert digests_plan(now=later) > 0
    run = deliveries_send_due(now=later)
    assert run.sent
    assert not run.failed
    assert not run.retrying
    texts += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    texts += [sms.text for sms in TestChannel.outbox]
    for user in {note.recipient for note in Notification.objects.select_related("recipient")}:
        texts.append(api_client_for(user).get("/api/v1/notifications/").content.decode())
        client = web_client_for(user)
        for language in LANGUAGES:
            with translation.override(language):
                page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE=language)
            assert page.status_code == 200
            texts.append(page.content.decode())

    everything = "\n".join(texts)
    references = set(Notification.objects.values_list("reference", flat=True))
    assert all(reference in everything for reference in references)  # the search sees the text
    assert "Une orientation a été envoyée à votre agence" in everything  # and every language
    assert _found(names, everything) == []
