"""Who may do what to a referral: roles x agencies x actions. A denied action changes nothing;
a referral the caller may not see is 404, one they see but may not act on is 403."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, CaseShare, Consent
from safepath.cases.services import ChildViewsInput
from safepath.referrals.models import Referral, ReferralStatus
from safepath.referrals.services import ReferralInput, referral_create
from safepath.referrals.tests.conftest import referral_payload, views_payload
from safepath.testing.factories import AgencyFactory
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db

# (who, may see, may act on the referring side, may act on the receiving side)
WHO = {
    "caseworker_a_assigned": (True, True, False),
    "caseworker_a_unassigned": (False, False, False),
    "supervisor_a": (True, True, False),
    "police_a": (False, False, False),
    "caseworker_b": (True, False, True),
    "supervisor_b": (True, False, True),
    "police_b": (False, False, False),
    "caseworker_c": (False, False, False),
    "coordinator_b": (False, False, False),
    "admin": (False, False, False),
}

ACTIONS = {
    "accept": ("accept/", {}, "receiving"),
    "decline": ("decline/", {"code": "no_capacity", "reason": "Full."}, "receiving"),
    "withdraw": ("withdraw/", {"reason": "Not needed."}, "referring"),
}


@pytest.fixture
def people(
    make_user: Callable[..., User],
    caseworker_a: User,
    supervisor_a: User,
    caseworker_b: User,
    agency_a: Agency,
    agency_b: Agency,
) -> dict[str, User]:
    agency_c = AgencyFactory(code="c", name="Agency C")
    return {
        "caseworker_a_assigned": caseworker_a,
        "caseworker_a_unassigned": make_user(Role.CASEWORKER, agency_a),
        "supervisor_a": supervisor_a,
        "police_a": make_user(Role.LAW_ENFORCEMENT, agency_a),
        "caseworker_b": caseworker_b,
        "supervisor_b": make_user(Role.SUPERVISOR, agency_b),
        "police_b": make_user(Role.LAW_ENFORCEMENT, agency_b),
        "caseworker_c": make_user(Role.CASEWORKER, agency_c),
        "coordinator_b": make_user(Role.COORDINATOR, agency_b),
        "admin": make_user(Role.SYSTEM_ADMIN, None),
    }


@pytest.fixture
def referral(
    caseworker_a: User, case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> Referral:
    views = views_payload()
    views.pop("heard_on")
    return referral_create(
        user=caseworker_a,
        case=case_a,
        data=ReferralInput(
            receiving_agency=agency_b,
            service_type="shelter.emergency",
            urgency="high",
            reason="Needs shelter.",
            consent=consent_a_to_b,
            child_views=ChildViewsInput(heard_on=timezone.localdate(), **views),
        ),
        channel="api",
    )


@pytest.mark.parametrize("who", WHO)
def test_who_sees_a_referral(who: str, people: dict[str, User], referral: Referral) -> None:
    sees = WHO[who][0]
    client = api_client_for(people[who])
    detail = client.get(f"/api/v1/referrals/{referral.id}/")
    assert detail.status_code == (200 if sees else 404)
    listing = client.get("/api/v1/referrals/")
    ids = [row["id"] for row in listing.json()["results"]] if listing.status_code == 200 else []
    assert (str(referral.id) in ids) is sees


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", WHO)
def test_who_acts_on_a_referral(
    who: str, action: str, people: dict[str, User], referral: Referral
) -> None:
    sees, referring, receiving = WHO[who]
    suffix, body, side = ACTIONS[action]
    allowed = referring if side == "referring" else receiving
    audit_before = AuditEvent.objects.count()
    response = api_client_for(people[who]).post(
        f"/api/v1/referrals/{referral.id}/{suffix}", {"version": 1, **body}, format="json"
    )
    if allowed:
        assert response.status_code == 200, response.json()
        return
    assert response.status_code == (403 if sees else 404)
    fresh = Referral.objects.get(pk=referral.pk)
    assert fresh.status == ReferralStatus.PENDING
    assert fresh.version == 1
    assert not CaseShare.objects.exists()
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize("who", WHO)
def test_who_may_refer_a_case(
    who: str, people: dict[str, User], case_a: Case, agency_b: Agency, consent_a_to_b: Consent
) -> None:
    may = who in ("caseworker_a_assigned", "supervisor_a")
    response = api_client_for(people[who]).post(
        "/api/v1/referrals/",
        referral_payload(case_a, agency_b, consent=str(consent_a_to_b.id)),
        format="json",
    )
    if may:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 404  # none of them may even see the case
        assert not Referral.objects.exists()
