"""Webhooks against a real receiver on 127.0.0.1 that checks each signature with the Standard
Webhooks library: an event queued in the change's transaction, sent by the worker's code,
retried with backoff, paused after failing in a row (the administrator told), replayed; bad
addresses refused when subscribing and again when sending."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.cases.services import consent_record, consent_withdraw
from safepath.notify import urlguard
from safepath.notify.models import (
    DeliveryStatus,
    Notification,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from safepath.notify.tests.conftest import Receiver
from safepath.notify.tests.helpers import refer
from safepath.notify.webhook_sending import webhooks_send_due
from safepath.notify.webhooks import SubscriptionInput, webhook_subscribe
from safepath.referrals.services import referral_accept
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db

CHILD_NAMES = ("Amina", "Testchild")


@pytest.fixture
def admin(make_user: Any) -> User:
    user: User = make_user(Role.SYSTEM_ADMIN, None, "admin")
    user.email = "admin@example.org"
    user.save()
    return user


def _subscribe(
    admin: User, receiver: Receiver, agency: Agency, *, categories: list[str] | None = None
) -> WebhookSubscription:
    subscription, secret = webhook_subscribe(
        user=admin,
        data=SubscriptionInput(
            name="Ministry case system",
            url=receiver.url,
            events=["case.created", "case.status_changed", "consent.withdrawn"],
            data_categories=categories or [],
            agencies=[agency.id],
        ),
        channel="api",
    )
    receiver.secret = secret
    return subscription


def _later(minutes: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


# --- subscribing ---------------------------------------------------------------------------------


def test_the_administrator_subscribes_through_the_api_and_gets_the_secret_once(
    admin: User, agency_a: Agency, receiver: Receiver
) -> None:
    answer = api_client_for(admin).post(
        "/api/v1/webhooks/",
        {
            "name": "OpenFn",
            "url": receiver.url,
            "events": ["case.created", "referral.created"],
            "data_categories": ["case_facts"],
            "agencies": [str(agency_a.id)],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["case.created", "referral.created"]
    listed = api_client_for(admin).get("/api/v1/webhooks/").json()
    assert [s["id"] for s in listed] == [body["id"]]
    assert "secret" not in listed[0]
    assert body["secret"] not in json.dumps(listed)
    assert AuditEvent.objects.filter(object_type="webhook_subscription").count() == 1


def test_only_the_system_administrator_manages_webhooks(
    caseworker_a: User, supervisor_a: User, agency_a: Agency, receiver: Receiver
) -> None:
    for user in (caseworker_a, supervisor_a):
        api = api_client_for(user)
        assert api.get("/api/v1/webhooks/").status_code == 404
        refused = api.post(
            "/api/v1/webhooks/",
            {"name": "x", "url": receiver.url, "events": ["case.created"], "agencies": []},
            format="json",
        )
        assert refused.status_code in {400, 404}
    assert WebhookSubscription.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "allow_http", "allow_private", "words"),
    [
        ("http://example.org/hook", False, True, "HTTPS"),
        ("https://127.0.0.1/hook", True, False, "loopback"),
        ("https://localhost:8443/hook", True, False, "loopback"),
        ("https://10.1.2.3/hook", True, False, "private"),
        ("https://169.254.169.254/latest/meta-data", True, False, "link-local"),
        ("https://[::1]/hook", True, False, "loopback"),
        ("https://[::ffff:10.0.0.1]/hook", True, False, "private"),
        ("https://user:pw@example.org/hook", True, True, "password"),
        ("ftp://example.org/hook", True, True, "https://"),
        ("https://no-such-host.invalid/hook", True, True, "does not resolve"),
    ],
)
def test_a_bad_address_is_refused_with_the_reason_and_nothing_is_stored(
    admin: User,
    agency_a: Agency,
    settings: Any,
    url: str,
    allow_http: bool,
    allow_private: bool,
    words: str,
) -> None:
    settings.WEBHOOK_ALLOW_HTTP, settings.WEBHOOK_ALLOW_PRIVATE = allow_http, allow_private
    answer = api_client_for(admin).post(
        "/api/v1/webhooks/",
        {"name": "x", "url": url, "events": ["case.created"], "agencies": [str(agency_a.id)]},
        format="json",
    )
    assert answer.status_code == 400
    assert words in " ".join(answer.json()["fields"]["url"])
    assert WebhookSubscription.objects.count() == 0


def test_identifying_categories_are_refused_for_a_webhook(
    admin: User, agency_a: Agency, receiver: Receiver
) -> None:
    for category in ("identity", "contact", "health", "justice", "notes", "owning_agency"):
        answer = api_client_for(admin).post(
            "/api/v1/webhooks/",
            {
                "name": "x",
                "url": receiver.url,
                "events": ["case.created"],
                "data_categories": [category],
                "agencies": [str(agency_a.id)],
            },
            format="json",
        )
        assert answer.status_code == 400
        assert category in " ".join(answer.json()["fields"]["data_categories"])
    assert WebhookSubscription.objects.count() == 0


# --- what is sent --------------------------------------------------------------------------------


def test_a_registered_case_reaches_the_receiver_signed_with_references_only(
    admin: User, caseworker_a: User, agency_a: Agency, receiver: Receiver
) -> None:
    subscription = _subscribe(admin, receiver, agency_a)
    case = register_case(caseworker_a)
    run = webhooks_send_due()
    assert run.as_dict() == {"sent": 1, "retrying": 0, "failed": 0, "paused": 0}
    [message] = receiver.received
    assert message["verified"], "the receiver could not verify the signature"
    assert message["headers"]["webhook-id"].startswith("msg_")
    assert message["headers"]["webhook-signature"].startswith("v1,")
    payload = message["payload"]
    assert payload["type"] == "case.created"
    assert payload["data"]["reference"] == case.reference
    assert payload["data"]["case_id"] == str(case.id)
    # references only: no case facts without the category, and never a name
    assert "forms_of_exploitation" not in payload["data"]
    for name in CHILD_NAMES:
        assert name not in message["body"].decode()
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert (delivery.status, delivery.response_status, delivery.attempts) == ("sent", 200, 1)
    shared = AuditEvent.objects.filter(object_type="webhook_delivery", action="share")
    assert [e.object_id for e in shared] == [str(delivery.id)]


def test_a_category_the_subscription_holds_is_sent_and_no_other(
    admin: User, caseworker_a: User, agency_a: Agency, receiver: Receiver
) -> None:
    _subscribe(admin, receiver, agency_a, categories=["case_facts"])
    register_case(caseworker_a)
    webhooks_send_due()
    data = receiver.verified()[0]["payload"]["data"]
    assert data["forms_of_exploitation"] == ["forced_labour"]
    assert not {"summary", "given_name", "family_name", "date_of_birth", "child"} & set(data)
    # the administrator's log shows the frame only: no case content, even what was sent
    subscription = WebhookSubscription.objects.get()
    log = api_client_for(admin).get(f"/api/v1/webhooks/{subscription.id}/deliveries/").json()
    logged = log["results"][0]["payload"]["data"]
    assert logged["reference"] == data["reference"]
    assert "forms_of_exploitation" not in logged


def test_an_agency_the_subscription_does_not_follow_sends_nothing(
    admin: User, caseworker_b: User, agency_a: Agency, receiver: Receiver
) -> None:
    _subscribe(admin, receiver, agency_a)
    register_case(caseworker_b)
    assert WebhookDelivery.objects.count() == 0


def test_withdrawn_consent_is_an_event_for_both_agencies(
    admin: User, caseworker_a: User, agency_a: Agency, agency_b: Agency, receiver: Receiver
) -> None:
    case = register_case(caseworker_a)
    consent = consent_record(
        user=caseworker_a,
        case=case,
        given_by="child",
        purpose="sharing",
        data_scope="case facts",
        recipient_agency=agency_b,
        given_on=timezone.localdate(),
        expires_on=None,
        channel="api",
        data_categories=["case_facts"],
    )
    _subscribe(admin, receiver, agency_b)  # follows the agency the consent named
    consent_withdraw(user=caseworker_a, consent=consent, channel="api")
    webhooks_send_due()
    [message] = receiver.verified()
    assert message["payload"]["type"] == "consent.withdrawn"
    assert message["payload"]["data"]["consent_id"] == str(consent.id)
    assert message["payload"]["data"]["recipient_agency"] == str(agency_b.id)


# --- failures: retried, paused, nothing lost -----------------------------------------------------


def test_a_failing_receiver_is_retried_with_backoff_then_receives(
    admin: User, caseworker_a: User, agency_a: Agency, receiver: Receiver
) -> None:
    _subscribe(admin, receiver, agency_a)
    register_case(caseworker_a)
    receiver.answer = "error"
    run = webhooks_send_due()
    assert (run.sent, run.retrying) == (0, 1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert (delivery.attempts, delivery.response_status) == (1, 503)
    assert delivery.last_error == "the subscriber answered 503"
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    assert webhooks_send_due().as_dict()["sent"] == 0  # not before its time
    receiver.answer = "ok"
    assert webhooks_send_due(now=_later(2)).sent == 1
    assert len(receiver.verified()) == 2  # the failed attempt and the good one, same id
    assert len({m["headers"]["webhook-id"] for m in receiver.received}) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


@pytest.mark.parametrize(
    ("answer", "words"),
    [("slow", "no answer within 1 seconds"), ("garbage", "not HTTP")],
)
def test_a_slow_or_garbled_answer_is_logged_and_retried(
    admin: User,
    caseworker_a: User,
    agency_a: Agency,
    receiver: Receiver,
    settings: Any,
    answer: str,
    words: str,
) -> None:
    settings.WEBHOOK_TIMEOUT = 1
    receiver.answer, receiver.delay = answer, 2.5
    _subscribe(admin, receiver, agency_a)
    register_case(caseworker_a)
    register_case(caseworker_a)
    run = webhooks_send_due()
    assert (run.sent, run.retrying) == (0, 1)
    first, second = WebhookDelivery.objects.order_by("created_at")
    assert words in first.last_error
    # the second waited with the first (one timeout per run, not one per message)
    assert (second.status, second.attempts) == ("pending", 0)
    assert second.next_attempt_at == first.next_attempt_at
    receiver.answer = "ok"
    assert webhooks_send_due(now=_later(2)).sent == 2


def test_a_receiver_that_keeps_failing_is_paused_and_the_administrator_told(
    admin: User, caseworker_a: User, agency_a: Agency, receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOK_PAUSE_AFTER = 3
    subscription = _subscribe(admin, receiver, agency_a)
    register_case(caseworker_a)
    receiver.answer = "error"
    for minutes in (0, 2, 10):
        webhooks_send_due(now=_later(minutes))
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.PAUSED
    assert "3 failed attempts in a row" in subscription.pause_reason
    [note] = Notification.objects.filter(recipient=admin, kind="webhook_paused")
    assert note.link == f"/webhooks/{subscription.id}/"
    # paused: nothing is sent, nothing is lost
    register_case(caseworker_a)
    receiver.answer = "ok"
    assert webhooks_send_due(now=_later(300)).sent == 0
    assert WebhookDelivery.objects.filter(status="pending").count() == 2
    page = web_client_for(admin).get(f"/webhooks/{subscription.id}/")
    assert "3 failed attempts in a row" in page.content.decode()
    # resumed: both go
    resumed = api_client_for(admin).post(f"/api/v1/webhooks/{subscription.id}/resume/")
    assert resumed.json()["status"] == "active"
    assert webhooks_send_due(now=_later(301)).sent == 2
    assert WebhookDelivery.objects.filter(status="sent").count() == 2


def test_a_delivery_fails_for_good_after_the_last_backoff_and_stays_in_the_log(
    admin: User, caseworker_a: User, agency_a: Agency, receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOK_PAUSE_AFTER = 100
    subscription = _subscribe(admin, receiver, agency_a)
    register_case(caseworker_a)
    receiver.answer = "error"
    minutes = 0.0
    for _attempt in range(6):
        webhooks_send_due(now=_later(minutes))
        minutes += 300
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 6)
    log = api_client_for(admin).get(f"/api/v1/webhooks/{subscription.id}/deliveries/?status=failed")
    assert [d["id"] for d in log.json()["results"]] == [str(delivery.id)]


def test_an_address_that_turns_private_is_refused_when_sending(
    admin: User, caseworker_a: User, agency_a: Agency, receiver: Receiver, settings: Any
) -> None:
    _subscribe(admin, receiver, agency_a)
    register_case(caseworker_a)
    settings.WEBHOOK_ALLOW_PRIVATE = False  # as in production: 127.0.0.1 is never reached
    run = webhooks_send_due()
    assert (run.sent, run.retrying) == (0, 1)
    assert receiver.received == []
    assert "loopback" in WebhookDelivery.objects.get().last_error


# --- replay --------------------------------------------------------------------------------------


def test_replay_sends_the_same_message_again_from_the_api_and_the_page(
    admin: User, caseworker_a: User, agency_a: Agency, receiver: Receiver
) -> None:
    subscription = _subscribe(admin, receiver, agency_a)
    register_case(caseworker_a)
    webhooks_send_due()
    original = WebhookDelivery.objects.get()
    answer = api_client_for(admin).post(f"/api/v1/webhooks/deliveries/{original.id}/replay/")
    assert answer.status_code == 202
    assert answer.json()["replay_of"] == str(original.id)
    webhooks_send_due()
    page = web_client_for(admin).post(f"/webhooks/deliveries/{original.id}/replay/")
    assert page.status_code == 302
    webhooks_send_due()
    assert len(receiver.verified()) == 3
    assert {m["body"] for m in receiver.received} == {original.body.encode()}
    assert {m["headers"]["webhook-id"] for m in receiver.received} == {original.message_id}
    assert subscription.deliveries.count() == 3
    assert caseworker_a.pk  # a caseworker may not replay:
    refused = api_client_for(caseworker_a).post(
        f"/api/v1/webhooks/deliveries/{original.id}/replay/"
    )
    assert refused.status_code == 404
    assert subscription.deliveries.count() == 3


def test_the_pages_show_the_log_and_a_test_message_arrives(
    admin: User, agency_a: Agency, receiver: Receiver
) -> None:
    web = web_client_for(admin)
    made = web.post(
        "/webhooks/",
        {
            "name": "Test receiver",
            "url": receiver.url,
            "events": ["case.created"],
            "agencies": [str(agency_a.id)],
        },
    )
    assert made.status_code == 200
    subscription = WebhookSubscription.objects.get()
    receiver.secret = subscription.secret
    assert subscription.secret in made.content.decode()  # shown once, on this page
    web.post(f"/webhooks/{subscription.id}/test/")
    webhooks_send_due()
    [message] = receiver.verified()
    assert message["payload"]["type"] == "webhook.test"
    detail = web.get(f"/webhooks/{subscription.id}/").content.decode()
    assert "webhook.test" in detail
    assert "Replay" in detail
    assert subscription.secret not in detail


def test_a_rotated_secret_signs_the_next_message(
    admin: User, caseworker_a: User, agency_a: Agency, receiver: Receiver
) -> None:
    subscription = _subscribe(admin, receiver, agency_a)
    old = receiver.secret
    answer = api_client_for(admin).post(f"/api/v1/webhooks/{subscription.id}/rotate-secret/")
    new = answer.json()["secret"]
    assert new != old
    register_case(caseworker_a)
    webhooks_send_due()
    assert receiver.verified() == []  # the receiver still holds the old secret
    receiver.secret = new
    receiver.received.clear()
    api_client_for(admin).post(
        f"/api/v1/webhooks/deliveries/{WebhookDelivery.objects.get().id}/replay/"
    )
    webhooks_send_due()
    assert len(receiver.verified()) == 1


def test_address_checks_are_pure() -> None:
    assert urlguard.address_problem("8.8.8.8") == ""
    assert "private" in urlguard.address_problem("192.168.1.10")
    assert "loopback" in urlguard.address_problem("::ffff:127.0.0.1")
    assert "not public" in urlguard.address_problem("100.64.0.1")  # carrier-grade NAT


def test_a_referral_and_its_answer_reach_a_subscriber_of_the_receiving_agency(
    admin: User,
    caseworker_a: User,
    caseworker_b: User,
    agency_a: Agency,
    agency_b: Agency,
    receiver: Receiver,
) -> None:
    subscription, secret = webhook_subscribe(
        user=admin,
        data=SubscriptionInput(
            name="NGO system",
            url=receiver.url,
            events=["referral.created", "referral.answered"],
            data_categories=[],
            agencies=[agency_b.id],
        ),
        channel="api",
    )
    receiver.secret = secret
    referral = refer(caseworker_a, register_case(caseworker_a), agency_b)
    referral_accept(user=caseworker_b, referral=referral, expected_version=1, channel="api")
    webhooks_send_due()
    types = [m["payload"]["type"] for m in receiver.verified()]
    assert types == ["referral.created", "referral.answered"]
    answered = receiver.verified()[1]["payload"]["data"]
    assert answered["referral_id"] == str(referral.id)
    assert answered["status"] == "accepted"
    assert answered["receiving_agency"] == str(agency_b.id)
    for name in CHILD_NAMES:
        assert all(name not in m["body"].decode() for m in receiver.received)
    assert subscription.deliveries.count() == 2
