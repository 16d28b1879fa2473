"""Consent on the case page (issue 19): recorded and withdrawn through the page's forms by those
who may share the case, refused in words, and invisible to everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, CaseShare, Consent
from safepath.cases.services import case_share, consent_record
from safepath.cases.tests.test_workflow_pages import post
from safepath.core.dates import day
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for

TODAY = timezone.localdate()


def consent_data(agency: Agency, **changes: Any) -> dict[str, Any]:
    return {
        "given_by": "guardian",
        "child_assent": "yes",
        "purpose": "referral",
        "recipient_agency": str(agency.pk),
        "data_categories": ["identity", "plan"],
        "data_scope": "Name, age and the services needed",
        "given_on": str(TODAY),
        "expires_on": "",
        **changes,
    }


@pytest.fixture
def case(caseworker_a: User) -> Case:
    return register_case(caseworker_a)


def _given(case: Case, user: User, agency: Agency) -> Consent:
    return consent_record(
        user=user,
        case=case,
        given_by="parent",
        purpose="referral",
        data_scope="Facts only",
        data_categories=["case_facts"],
        recipient_agency=agency,
        given_on=TODAY,
        expires_on=None,
        channel="web",
    )


@pytest.mark.django_db
def test_the_assigned_caseworker_records_consent_on_the_overview(
    case: Case, caseworker_a: User, agency_b: Agency
) -> None:
    client = web_client_for(caseworker_a)
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert 'data-testid="form-consent"' in page
    assert "No consent recorded yet." in page

    response = post(client, case, "consent", consent_data(agency_b))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.id}/#consent")
    consent = Consent.objects.get(case=case)
    assert consent.data_categories == ["identity", "plan"]
    assert consent.child_assent is True
    assert consent.recorded_by == caseworker_a
    assert AuditEvent.objects.filter(object_type="consent", object_id=consent.id).exists()
    shown = client.get(f"/cases/{case.id}/").content.decode()
    assert "In force" in shown
    assert "Identity: names, date of birth, nationality; Case plan, tasks and reviews" in shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"data_categories": []}, "data_categories", "Tick at least one part"),
        ({"expires_on": "2000-01-01"}, "expires_on", "cannot expire before it was given"),
        (
            {"given_on": str(TODAY.replace(year=TODAY.year + 1))},
            "given_on",
            "cannot be given in the future",
        ),
        ({"child_assent": "maybe"}, "child_assent", "Select a valid choice"),
    ],
)
def test_a_refused_consent_says_why_beside_the_field_and_stores_nothing(
    case: Case,
    caseworker_a: User,
    agency_b: Agency,
    changes: dict[str, Any],
    field: str,
    words: str,
) -> None:
    response = post(
        web_client_for(caseworker_a), case, "consent", consent_data(agency_b, **changes)
    )

    assert response.status_code == 400
    assert f'id="id_consent-{field}_error"' in response.content.decode()
    assert words in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_the_owning_agency_is_not_offered_as_a_recipient(
    case: Case, caseworker_a: User, agency_a: Agency
) -> None:
    response = post(web_client_for(caseworker_a), case, "consent", consent_data(agency_a))
    assert response.status_code == 400
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_a_shared_agency_neither_sees_nor_records_consent(
    case: Case, caseworker_a: User, make_user: Any, agency_b: Agency
) -> None:
    consent = _given(case, caseworker_a, agency_b)
    case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="web")
    supervisor_b = make_user("supervisor", agency_b)
    client = web_client_for(supervisor_b)

    page = client.get(f"/cases/{case.id}/").content.decode()
    refused = post(client, case, "consent", consent_data(agency_b))
    withdrawn = post(client, case, "withdraw-consent", {}, target=consent.id)

    assert 'id="consent"' not in page
    assert refused.status_code == 403
    assert withdrawn.status_code == 403
    assert Consent.objects.count() == 1
    assert Consent.objects.get().withdrawn_at is None


@pytest.mark.django_db
def test_another_agency_gets_not_found_and_nothing_is_stored(
    case: Case, caseworker_b: User, agency_b: Agency
) -> None:
    response = post(web_client_for(caseworker_b), case, "consent", consent_data(agency_b))
    assert response.status_code == 404
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_withdrawing_on_the_page_ends_the_shares_and_cannot_be_repeated(
    case: Case, caseworker_a: User, agency_b: Agency
) -> None:
    consent = _given(case, caseworker_a, agency_b)
    case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="web")
    client = web_client_for(caseworker_a)

    first = post(client, case, "withdraw-consent", {}, target=consent.id)
    again = post(client, case, "withdraw-consent", {}, target=consent.id)

    assert first.status_code == 302
    assert again.status_code == 409
    assert "already withdrawn" in again.content.decode()
    assert Consent.objects.get().withdrawn_at is not None
    assert not CaseShare.objects.active().exists()
    assert "Withdrawn" in client.get(f"/cases/{case.id}/").content.decode()


@pytest.mark.django_db
def test_a_consent_of_another_case_is_not_found(
    case: Case, caseworker_a: User, agency_b: Agency
) -> None:
    other = register_case(caseworker_a)
    consent = _given(other, caseworker_a, agency_b)
    response = post(web_client_for(caseworker_a), case, "withdraw-consent", {}, target=consent.id)
    assert response.status_code == 404
    assert Consent.objects.get().withdrawn_at is None


@pytest.mark.django_db
def test_the_referral_form_offers_to_record_the_missing_consent(
    case: Case, caseworker_a: User, agency_b: Agency
) -> None:
    client = web_client_for(caseworker_a)
    before = client.get(f"/referrals/new/{case.id}/").content.decode()
    assert 'data-testid="consent-missing"' in before
    assert f"/cases/{case.id}/?record=consent#consent" in before

    post(client, case, "consent", consent_data(agency_b))
    after = client.get(f"/referrals/new/{case.id}/").content.decode()

    assert 'data-testid="consent-missing"' not in after
    assert f"To {agency_b.name}, given on {day(TODAY)}" in after  # as every page shows a day
