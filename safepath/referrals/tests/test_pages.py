"""The pages, through Django's test client: directory, make a referral, answer it, overdue list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.cases.models import Case, CaseShare, Consent
from safepath.referrals.models import Referral, ReferralStatus, Service
from safepath.referrals.services import referrals_escalate_overdue
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db


def _form(case: Case, consent: Consent, service: Service) -> dict[str, str]:
    return {
        "service": str(service.id),
        "service_type": "shelter.emergency",
        "urgency": "high",
        "reason": "Needs a safe place tonight.",
        "consent": str(consent.id),
        "views": "I agree to go.",
        "informed_language": "sw",
        "informed_in_understandable_manner": "on",
        "weight_given": "Her wish decided the choice of shelter.",
        "heard_on": timezone.localdate().isoformat(),
    }


def test_links_and_directory(caseworker_a: User, service_b: Service) -> None:
    client = web_client_for(caseworker_a)
    home = client.get("/")
    assert reverse("referrals:services") in home.content.decode()
    assert reverse("referrals:list") in home.content.decode()
    page = client.get(reverse("referrals:services"), {"service_type": "shelter"})
    assert page.status_code == 200
    assert "Emergency shelter, Nairobi" in page.content.decode()
    none = client.get(reverse("referrals:services"), {"service_type": "health"})
    assert "Emergency shelter, Nairobi" not in none.content.decode()


def test_refer_from_a_case_then_accept_and_report(
    caseworker_a: User,
    caseworker_b: User,
    agency_b: Agency,
    case_a: Case,
    consent_a_to_b: Consent,
    service_b: Service,
) -> None:
    client_a = web_client_for(caseworker_a)
    url = reverse("referrals:create", args=[case_a.id])
    form = client_a.get(url)
    assert form.status_code == 200
    assert "Recommended by the referral pathway" in form.content.decode()
    missing = client_a.post(url, {**_form(case_a, consent_a_to_b, service_b), "weight_given": ""})
    assert missing.status_code == 400
    assert not Referral.objects.exists()
    sent = client_a.post(url, _form(case_a, consent_a_to_b, service_b))
    referral = Referral.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("referrals:detail", args=[referral.id])
    assert referral.receiving_agency == agency_b

    client_b = web_client_for(caseworker_b)
    incoming = client_b.get(reverse("referrals:list"))
    assert case_a.reference in incoming.content.decode()
    refuse = client_b.post(
        reverse("referrals:action", args=[referral.id, "decline"]),
        {"version": "1", "code": "no_capacity", "reason": ""},
    )
    assert refuse.status_code == 400
    accepted = client_b.post(
        reverse("referrals:action", args=[referral.id, "accept"]), {"version": "1"}
    )
    assert accepted.status_code == 302
    assert CaseShare.objects.filter(case=case_a, agency=agency_b).exists()
    detail = client_b.get(reverse("referrals:detail", args=[referral.id]))
    assert reverse("cases:detail", args=[case_a.id]) in detail.content.decode()
    reported = client_b.post(
        reverse("referrals:action", args=[referral.id, "outcome"]),
        {"version": "2", "outcome": "delivered", "outcome_on": timezone.localdate().isoformat()},
    )
    assert reported.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED


def test_pages_are_404_for_outsiders(
    make_user: object,
    caseworker_a: User,
    case_a: Case,
    consent_a_to_b: Consent,
    service_b: Service,
    agency_a: Agency,
) -> None:
    from safepath.accounts.roles import Role
    from safepath.testing.factories import UserFactory

    web_client_for(caseworker_a).post(
        reverse("referrals:create", args=[case_a.id]), _form(case_a, consent_a_to_b, service_b)
    )
    referral = Referral.objects.get()
    stranger = UserFactory(role=Role.CASEWORKER, agency=agency_a)  # same agency, not assigned
    client = web_client_for(stranger)
    assert client.get(reverse("referrals:detail", args=[referral.id])).status_code == 404
    assert client.get(reverse("referrals:create", args=[case_a.id])).status_code == 404
    assert (
        client.post(
            reverse("referrals:action", args=[referral.id, "withdraw"]),
            {"version": "1", "reason": "x"},
        ).status_code
        == 404
    )
    assert client.get(reverse("referrals:overdue")).status_code == 404
    analyst = UserFactory(role=Role.ANALYST, agency=agency_a)
    assert web_client_for(analyst).get(reverse("referrals:list")).status_code == 404


def test_overdue_page_and_escalation_notice(
    caseworker_a: User,
    supervisor_a: User,
    case_a: Case,
    consent_a_to_b: Consent,
    service_b: Service,
) -> None:
    web_client_for(caseworker_a).post(
        reverse("referrals:create", args=[case_a.id]), _form(case_a, consent_a_to_b, service_b)
    )
    referral = Referral.objects.get()
    Referral.objects.filter(pk=referral.pk).update(
        due_at=timezone.now() - timezone.timedelta(days=2)
    )
    referrals_escalate_overdue()
    overdue = web_client_for(supervisor_a).get(reverse("referrals:overdue"))
    assert overdue.status_code == 200
    assert case_a.reference in overdue.content.decode()
    notice = web_client_for(caseworker_a).get(reverse("referrals:list"))
    assert 'data-testid="escalations"' in notice.content.decode()
