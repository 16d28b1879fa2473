"""The referral workflow through the API: consent, urgent exception, accept, decline, outcome,
withdraw, stale versions and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, CaseShare, ChildViews, Consent
from safepath.cases.vocabulary import CaseStatus, ConsentPurpose, DecisionKind
from safepath.referrals.models import Referral, ReferralStatus, Service
from safepath.referrals.tests.conftest import give_consent, referral_payload, views_payload
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


def _create(user: User, payload: dict[str, object]) -> dict[str, object]:
    response = api_client_for(user).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def _refer(caseworker_a: User, case_a: Case, agency_b: Agency, consent: Consent) -> Referral:
    body = _create(caseworker_a, referral_payload(case_a, agency_b, consent=str(consent.id)))
    return Referral.objects.get(pk=body["id"])


def test_referral_with_consent_is_created_with_deadline_views_and_audit(
    caseworker_a: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent, service_b: Service
) -> None:
    before = timezone.now()
    body = _create(
        caseworker_a,
        referral_payload(
            case_a,
            agency_b,
            consent=str(consent_a_to_b.id),
            service=str(service_b.id),
            urgency="medium",
        ),
    )
    referral = Referral.objects.get(pk=body["id"])
    assert body["status"] == "pending"
    assert body["consent_pending"] is False
    assert body["case_reference"] == case_a.reference
    assert datetime.timedelta(hours=72) <= referral.due_at - before < datetime.timedelta(hours=73)
    views = ChildViews.objects.get(decision=DecisionKind.REFERRAL, decision_ref=str(referral.id))
    assert views.informed_language == "sw"
    assert views.case_id == case_a.id
    event = AuditEvent.objects.get(
        object_type="referral", object_id=str(referral.id), action="create"
    )
    assert event.actor_id == caseworker_a.id
    assert event.details["urgent_exception"] is False


@pytest.mark.parametrize(
    "problem", ["none", "other_purpose", "other_agency", "withdrawn", "expired"]
)
def test_referral_needs_a_referral_consent_in_force_for_the_receiver(
    problem: str,
    caseworker_a: User,
    case_a: Case,
    agency_a: Agency,
    agency_b: Agency,
    make_user: object,
) -> None:
    from safepath.testing.factories import AgencyFactory

    consent: Consent | None = None
    if problem == "other_purpose":
        consent = give_consent(caseworker_a, case_a, agency_b, purpose=ConsentPurpose.SHARING)
    elif problem == "other_agency":
        consent = give_consent(caseworker_a, case_a, AgencyFactory(code="c", name="Agency C"))
    elif problem == "withdrawn":
        consent = give_consent(caseworker_a, case_a, agency_b)
        Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    elif problem == "expired":
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        consent = give_consent(
            caseworker_a,
            case_a,
            agency_b,
            given_on=yesterday - datetime.timedelta(days=9),
            expires_on=yesterday,
        )
    payload = referral_payload(case_a, agency_b)
    if consent is not None:
        payload["consent"] = str(consent.id)
    audit_before = AuditEvent.objects.count()
    response = api_client_for(caseworker_a).post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == ("consent_required" if problem == "none" else "consent_invalid")
    assert "consent" in body["fields"]
    assert not Referral.objects.exists()
    assert not ChildViews.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_urgent_exception_refused_to_a_caseworker_outside_urgent_protection(
    caseworker_a: User, case_a: Case, agency_b: Agency
) -> None:
    payload = referral_payload(case_a, agency_b, urgent_exception_reason="Child in danger tonight.")
    response = api_client_for(caseworker_a).post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "urgent_exception_not_allowed"
    assert not Referral.objects.exists()


def test_urgent_exception_allowed_on_urgent_case_and_flagged_then_consent_attached(
    caseworker_a: User, caseworker_b: User, case_a: Case, agency_b: Agency
) -> None:
    Case.objects.filter(pk=case_a.pk).update(status=CaseStatus.URGENT_PROTECTION)
    body = _create(
        caseworker_a,
        referral_payload(case_a, agency_b, urgent_exception_reason="Child in danger tonight."),
    )
    assert body["consent_pending"] is True
    assert body["consent"] is None
    accepted = api_client_for(caseworker_b).post(
        f"{URL}{body['id']}/accept/", {"version": 1}, format="json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["shared"] is False  # no consent: the case itself stays closed to B
    assert not CaseShare.objects.filter(case=case_a, agency=agency_b).exists()
    consent = give_consent(caseworker_a, case_a, agency_b)
    attached = api_client_for(caseworker_a).post(
        f"{URL}{body['id']}/consent/", {"version": 2, "consent": str(consent.id)}, format="json"
    )
    assert attached.status_code == 200, attached.json()
    assert attached.json()["consent_pending"] is False
    assert attached.json()["shared"] is True
    assert api_client_for(caseworker_b).get(f"/api/v1/cases/{case_a.id}/").status_code == 200


def test_urgent_exception_allowed_to_a_supervisor(
    supervisor_a: User, case_a: Case, agency_b: Agency
) -> None:
    body = _create(
        supervisor_a, referral_payload(case_a, agency_b, urgent_exception_reason="Immediate risk.")
    )
    assert body["consent_pending"] is True
    event = AuditEvent.objects.get(object_type="referral", object_id=body["id"], action="create")
    assert event.details["urgent_exception"] is True


def test_child_views_are_required(
    caseworker_a: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    payload = referral_payload(
        case_a,
        agency_b,
        consent=str(consent_a_to_b.id),
        child_views=views_payload(views="", informed_language="zz"),
    )
    response = api_client_for(caseworker_a).post(URL, payload, format="json")
    assert response.status_code == 400
    assert {"child_views.views", "child_views.informed_language"} <= set(response.json()["fields"])
    assert not Referral.objects.exists()


def test_accept_opens_the_case_to_the_receiving_agency(
    caseworker_a: User, caseworker_b: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    assert api_client_for(caseworker_b).get(f"/api/v1/cases/{case_a.id}/").status_code == 404
    response = api_client_for(caseworker_b).post(
        f"{URL}{referral.id}/accept/", {"version": referral.version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert response.json()["shared"] is True
    share = CaseShare.objects.get(case=case_a, agency=agency_b)
    assert share.consent_id == consent_a_to_b.id
    # caseworkers see held cases assigned to them; B's supervisor sees every held case
    from safepath.accounts.roles import Role
    from safepath.testing.factories import UserFactory

    supervisor_b = UserFactory(role=Role.SUPERVISOR, agency=agency_b)
    assert api_client_for(supervisor_b).get(f"/api/v1/cases/{case_a.id}/").status_code == 200
    assert AuditEvent.objects.filter(
        object_type="referral", object_id=str(referral.id), details__transition="accept"
    ).exists()


def test_decline_needs_a_code_and_a_reason_in_words(
    caseworker_a: User, caseworker_b: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    client = api_client_for(caseworker_b)
    refused = client.post(
        f"{URL}{referral.id}/decline/", {"version": 1, "code": "no_capacity"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "decline_reason_required"
    assert set(refused.json()["fields"]) == {"reason"}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert referral.version == 1
    done = client.post(
        f"{URL}{referral.id}/decline/",
        {"version": 1, "code": "no_capacity", "reason": "All beds are full until Monday."},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["decline_reason"] == "All beds are full until Monday."
    assert not CaseShare.objects.filter(case=case_a, agency=agency_b).exists()


def test_outcome_reported_after_acceptance_only(
    caseworker_a: User, caseworker_b: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    client = api_client_for(caseworker_b)
    today = timezone.localdate().isoformat()
    early = client.post(
        f"{URL}{referral.id}/outcome/",
        {"version": 1, "outcome": "delivered", "outcome_on": today},
        format="json",
    )
    assert early.status_code == 400
    assert early.json()["code"] == "wrong_status"
    client.post(f"{URL}{referral.id}/accept/", {"version": 1}, format="json")
    no_note = client.post(
        f"{URL}{referral.id}/outcome/",
        {"version": 2, "outcome": "child_declined", "outcome_on": today},
        format="json",
    )
    assert no_note.status_code == 400
    assert set(no_note.json()["fields"]) == {"note"}
    done = client.post(
        f"{URL}{referral.id}/outcome/",
        {"version": 2, "outcome": "delivered", "outcome_on": today, "note": "Placed in shelter."},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    assert done.json()["outcome"] == "delivered"
    assert done.json()["version"] == 3


def test_stale_version_answers_409_and_changes_nothing(
    caseworker_a: User, caseworker_b: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    api_client_for(caseworker_b).post(f"{URL}{referral.id}/accept/", {"version": 1}, format="json")
    stale = api_client_for(caseworker_a).post(
        f"{URL}{referral.id}/withdraw/",
        {"version": 1, "reason": "No longer needed."},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert stale.json()["current_version"] == 2
    assert stale.json()["current"]["status"] == "accepted"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.withdraw_reason == ""


def test_withdraw_pending_referral(
    caseworker_a: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    referral = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    client = api_client_for(caseworker_a)
    assert (
        client.post(f"{URL}{referral.id}/withdraw/", {"version": 1}, format="json").status_code
        == 400
    )
    done = client.post(
        f"{URL}{referral.id}/withdraw/", {"version": 1, "reason": "Family found."}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "withdrawn"


def test_refer_to_own_agency_refused(caseworker_a: User, case_a: Case, agency_a: Agency) -> None:
    consent = give_consent(caseworker_a, case_a, agency_a)
    response = api_client_for(caseworker_a).post(
        URL, referral_payload(case_a, agency_a, consent=str(consent.id)), format="json"
    )
    assert response.status_code == 400
    assert "receiving_agency" in response.json()["fields"]


def test_every_transition_is_audited(
    caseworker_a: User, caseworker_b: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    first = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    api_client_for(caseworker_b).post(f"{URL}{first.id}/accept/", {"version": 1}, format="json")
    api_client_for(caseworker_b).post(
        f"{URL}{first.id}/outcome/",
        {"version": 2, "outcome": "delivered", "outcome_on": timezone.localdate().isoformat()},
        format="json",
    )
    second = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    api_client_for(caseworker_b).post(
        f"{URL}{second.id}/decline/",
        {"version": 1, "code": "already_served", "reason": "Already in our shelter."},
        format="json",
    )
    third = _refer(caseworker_a, case_a, agency_b, consent_a_to_b)
    api_client_for(caseworker_a).post(
        f"{URL}{third.id}/withdraw/", {"version": 1, "reason": "Duplicate."}, format="json"
    )

    def transitions(referral: Referral) -> list[str]:
        events = AuditEvent.objects.filter(
            object_type="referral", object_id=str(referral.id)
        ).exclude(action="read")
        return [e.details.get("transition", e.action) for e in events.order_by("seq")]

    assert transitions(first) == ["create", "accept", "outcome"]
    assert transitions(second) == ["create", "decline"]
    assert transitions(third) == ["create", "withdraw"]
    actors = AuditEvent.objects.filter(
        object_type="referral", object_id=str(first.id), details__transition="accept"
    ).values_list("actor_id", flat=True)
    assert list(actors) == [caseworker_b.id]
