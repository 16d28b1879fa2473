"""E-mail through a real SMTP server on the loopback address: the referral's notification is
sent by the worker, read back from the server and checked; a refusing server is retried with
backoff, then the failure is shown to the administrator, and nothing is lost."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case
from safepath.notify import timing
from safepath.notify.models import Delivery, DeliveryStatus, Notification
from safepath.notify.services import deliveries_send_due, digests_plan
from safepath.notify.tests.conftest import SmtpInbox, free_port
from safepath.notify.tests.helpers import hours, prefer, refer
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(caseworker_a: User) -> Case:
    return register_case(caseworker_a)


@pytest.fixture
def worker_b(caseworker_b: User) -> User:
    caseworker_b.email = "worker.b@example.org"
    caseworker_b.preferred_language = "fr"
    caseworker_b.save()
    return caseworker_b


def test_referral_to_my_agency_reaches_me_by_email_in_my_language(
    smtp_server: SmtpInbox, caseworker_a: User, case_a: Case, agency_b: Agency, worker_b: User
) -> None:
    prefer(worker_b, frequency="immediate")
    referral = refer(caseworker_a, case_a, agency_b, urgency="medium")
    note = Notification.objects.get(recipient=worker_b)
    assert (note.kind, note.reference, note.urgent) == (
        "referral_received",
        case_a.reference,
        False,
    )
    assert note.link == f"/referrals/{referral.id}/"
    assert smtp_server.messages == []  # nothing is sent inside the request

    run = deliveries_send_due()

    assert len(run.sent) == 1
    assert smtp_server.recipients == [["worker.b@example.org"]]
    message = smtp_server.messages[0]
    # (an encoded subject is folded; the reader unfolds it)
    assert message["Subject"].strip() == "SafePath : Une orientation a été envoyée à votre agence"
    assert message["From"] == "SafePath <safepath@example.org>"
    body = smtp_server.bodies()[0]
    assert f"Référence: {case_a.reference}" in body
    assert f"https://safepath.example.org/referrals/{referral.id}/" in body
    assert "Amina" not in body
    assert "Testchild" not in body
    delivery = Delivery.objects.get(recipient=worker_b)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert deliveries_send_due().sent == []  # sent once only


def test_a_batch_is_sent_over_one_connection(
    smtp_server: SmtpInbox, caseworker_a: User, agency_b: Agency, worker_b: User
) -> None:
    prefer(worker_b, frequency="immediate")
    for _ in range(3):
        refer(caseworker_a, register_case(caseworker_a), agency_b)
    assert len(deliveries_send_due().sent) == 3
    assert len(smtp_server.messages) == 3
    assert len(set(smtp_server.peers)) == 1


def test_daily_digest_gathers_what_is_not_urgent(
    smtp_server: SmtpInbox,
    caseworker_a: User,
    agency_a: Agency,
    agency_b: Agency,
    worker_b: User,
) -> None:
    prefer(worker_b, frequency="daily")
    first, second = register_case(caseworker_a), register_case(caseworker_a, given_name="Zawadi")
    refer(caseworker_a, first, agency_b)
    refer(caseworker_a, second, agency_b)
    created = Notification.objects.filter(recipient=worker_b).order_by("created_at")
    assert [n.digest_pending for n in created] == [True, True]
    now = created[1].created_at
    assert digests_plan(now=now) == 0  # the digest hour (07:00 UTC) has not come
    assert deliveries_send_due(now=now).sent == []
    morning = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(7), tzinfo=datetime.UTC
    )
    assert digests_plan(now=morning - datetime.timedelta(minutes=1)) == 0
    assert digests_plan(now=morning) == 1
    assert len(deliveries_send_due(now=morning).sent) == 1
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"] == "SafePath : 2 notifications"
    body = smtp_server.bodies()[0]
    assert first.reference in body
    assert second.reference in body
    assert digests_plan(now=morning + hours(1)) == 0  # nothing waits any more


def test_quiet_hours_hold_what_is_not_urgent_and_let_urgent_through(
    smtp_server: SmtpInbox,
    caseworker_a: User,
    case_a: Case,
    agency_b: Agency,
    worker_b: User,
    settings: object,
) -> None:
    start = timezone.now()  # quiet hours from an hour ago to two hours from now, in UTC
    prefer(
        worker_b,
        frequency="immediate",
        quiet_start=(start - hours(1)).time().replace(second=0, microsecond=0),
        quiet_end=(start + hours(2)).time().replace(second=0, microsecond=0),
    )
    refer(caseworker_a, case_a, agency_b, urgency="medium")
    held = Delivery.objects.get(recipient=worker_b)
    assert held.next_attempt_at > start + hours(1.9)  # waits for the end of the quiet hours
    other = register_case(caseworker_a)
    refer(caseworker_a, other, agency_b, urgency="high")  # due within 24 hours: urgent
    urgent = Notification.objects.get(recipient=worker_b, kind="referral_due_soon")
    assert urgent.urgent
    at_once = Delivery.objects.get(notifications=urgent)
    assert at_once.next_attempt_at == urgent.created_at  # quiet hours do not hold it
    run = deliveries_send_due(now=at_once.next_attempt_at)
    assert run.sent == [str(at_once.id)]
    assert other.reference in smtp_server.bodies()[0]
    assert deliveries_send_due(now=held.next_attempt_at - hours(0.01)).sent == []
    assert deliveries_send_due(now=held.next_attempt_at).sent == [str(held.id)]
    assert case_a.reference in smtp_server.bodies()[1]


def test_a_refusing_mail_server_is_retried_with_backoff_then_shown_to_the_administrator(
    smtp_server: SmtpInbox,
    caseworker_a: User,
    case_a: Case,
    agency_b: Agency,
    worker_b: User,
    make_user: object,
) -> None:
    prefer(worker_b, frequency="immediate")
    refer(caseworker_a, case_a, agency_b)
    smtp_server.refuse = "451 4.3.0 Mail server temporarily rejected message"
    delivery = Delivery.objects.get(recipient=worker_b)
    now = delivery.next_attempt_at
    for attempt, wait in enumerate(timing.BACKOFF, start=1):
        run = deliveries_send_due(now=now)
        assert len(run.retrying) == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, attempt)
        assert delivery.last_error == "the mail server answered 451"
        assert delivery.next_attempt_at == now + datetime.timedelta(seconds=wait)
        assert deliveries_send_due(now=delivery.next_attempt_at - hours(0.0001)).retrying == []
        now = delivery.next_attempt_at
    run = deliveries_send_due(now=now)
    assert len(run.failed) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 6)
    assert deliveries_send_due(now=now + hours(48)).failed == []  # failed stays failed
    assert AuditEvent.objects.filter(
        object_type="notification_delivery", object_id=str(delivery.id)
    ).exists()

    admin = make_user(Role.SYSTEM_ADMIN, None, "admin")  # type: ignore[operator]
    listed = api_client_for(admin).get("/api/v1/notifications/deliveries/failed/").json()
    assert [row["id"] for row in listed["results"]] == [str(delivery.id)]
    assert listed["results"][0]["last_error"] == "the mail server answered 451"
    assert listed["results"][0]["recipient_username"] == worker_b.username
    page = web_client_for(admin).get("/notifications/failed/")
    assert worker_b.username in page.content.decode()
    assert "the mail server answered 451" in page.content.decode()
    home = web_client_for(admin).get("/").content.decode()
    assert "Notifications that could not be delivered" in home
    # nobody else sees them
    assert (
        api_client_for(worker_b).get("/api/v1/notifications/deliveries/failed/").status_code == 404
    )
    assert web_client_for(worker_b).get("/notifications/failed/").status_code == 404

    smtp_server.refuse = ""
    retried = api_client_for(admin).post(f"/api/v1/notifications/deliveries/{delivery.id}/retry/")
    assert retried.status_code == 200
    assert len(deliveries_send_due().sent) == 1
    assert case_a.reference in smtp_server.bodies()[0]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_an_unreachable_mail_server_is_retried(
    settings: object, caseworker_a: User, case_a: Case, agency_b: Agency, worker_b: User
) -> None:
    port = free_port()  # nobody listens on it
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port  # type: ignore[attr-defined]
    prefer(worker_b, frequency="immediate")
    refer(caseworker_a, case_a, agency_b)
    run = deliveries_send_due()
    assert len(run.retrying) == 1
    delivery = Delivery.objects.get(recipient=worker_b)
    assert delivery.last_error == "the mail server could not be used (ConnectionRefusedError)"
