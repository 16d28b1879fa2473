"""SMS for urgent notifications: an overdue referral escalated to the worker reaches their phone
through a fake RapidPro on the loopback address (and through the test channel), sent by the
worker after commit; a channel that fails or answers garbage is retried."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.cases.models import Case
from safepath.notify.models import Delivery, DeliveryStatus, Notification
from safepath.notify.services import deliveries_send_due
from safepath.notify.sms import TestChannel
from safepath.notify.tests.conftest import RapidPro
from safepath.notify.tests.helpers import hours, prefer, refer
from safepath.referrals.models import Referral
from safepath.referrals.services import referrals_escalate_overdue
from safepath.testing.factories import register_case

pytestmark = pytest.mark.django_db
PHONE = "+254700000001"


@pytest.fixture
def case_a(caseworker_a: User) -> Case:
    return register_case(caseworker_a)


def _escalate(caseworker_a: User, case_a: Case, agency_b: Agency) -> Delivery:
    prefer(caseworker_a, email_enabled=False, sms_enabled=True, phone=PHONE)
    referral = refer(caseworker_a, case_a, agency_b, urgency="high")
    run = referrals_escalate_overdue(now=referral.due_at + hours(1))
    assert run.to_worker == 1
    note = Notification.objects.get(recipient=caseworker_a, kind="referral_overdue")
    assert note.urgent
    assert note.reference == case_a.reference
    return Delivery.objects.get(recipient=caseworker_a, channel="sms")


def test_an_escalation_reaches_the_worker_by_sms_through_rapidpro(
    rapidpro: RapidPro, caseworker_a: User, case_a: Case, agency_b: Agency
) -> None:
    delivery = _escalate(caseworker_a, case_a, agency_b)
    run = deliveries_send_due(now=delivery.next_attempt_at)
    assert run.sent == [str(delivery.id)]
    [request] = rapidpro.requests
    assert request["path"] == "/api/v2/broadcasts.json"
    assert request["authorization"] == "Token test-rapidpro-token"
    assert request["body"]["urns"] == [f"tel:{PHONE}"]
    text = request["body"]["text"]
    assert text.startswith("SafePath: A referral is overdue and was escalated to you.")
    assert case_a.reference in text
    assert f"http://127.0.0.1:8000{delivery.notifications.get().link}" in text
    assert "Amina" not in text
    assert "Testchild" not in text


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ("error", "the SMS channel answered HTTP 503"),
        ("garbage", "the SMS channel answered something that is not JSON"),
    ],
)
def test_a_failing_sms_channel_is_retried(
    rapidpro: RapidPro,
    caseworker_a: User,
    case_a: Case,
    agency_b: Agency,
    answer: str,
    error: str,
) -> None:
    rapidpro.answer = answer
    delivery = _escalate(caseworker_a, case_a, agency_b)
    run = deliveries_send_due(now=delivery.next_attempt_at)
    assert run.retrying == [str(delivery.id)]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.PENDING,
        1,
        error,
    )
    rapidpro.answer = "ok"
    assert deliveries_send_due(now=delivery.next_attempt_at).sent == [str(delivery.id)]
    assert len(rapidpro.requests) == 2


def test_rapidpro_must_be_https_beyond_the_loopback_address(
    settings: Any, caseworker_a: User, case_a: Case, agency_b: Agency
) -> None:
    settings.SMS_CHANNEL, settings.SMS_URL = "rapidpro", "http://sms.example.org"
    delivery = _escalate(caseworker_a, case_a, agency_b)
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.last_error == "the SMS channel's URL must use HTTPS"


def test_the_worker_sends_an_urgent_sms_after_commit_on_the_test_channel(
    caseworker_a: User,
    case_a: Case,
    agency_b: Agency,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with override_settings(SMS_CHANNEL="test"):
        prefer(caseworker_a, email_enabled=False, sms_enabled=True, phone=PHONE)
        referral = refer(caseworker_a, case_a, agency_b, urgency="high")
        Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - hours(1))
        assert TestChannel.outbox == []
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            referrals_escalate_overdue()
        assert len(callbacks) == 1  # the worker's task, enqueued once the escalation committed
    [sms] = TestChannel.outbox
    assert sms.to == PHONE
    assert case_a.reference in sms.text
    assert Delivery.objects.get(recipient=caseworker_a).status == DeliveryStatus.SENT
