"""Who may do what to a child's case, proven over the API: roles x agencies x actions.

One case is owned by agency A, registered by an assigned caseworker of A, and shared with
agency B under the child's consent. Agency C never had anything to do with it. Every cell says
the HTTP status the API must answer; a denied cell also proves that nothing changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, CaseAssignment, Consent
from safepath.cases.services import case_assign, case_share, consent_record
from safepath.testing.factories import AgencyFactory, UserFactory, register_case
from safepath.testing.fixtures import api_client_for

OWNER, SHARED, OTHER, NONE = "owner", "shared", "other", "none"


@dataclass(frozen=True)
class Who:
    role: str
    relation: str  # the user's agency's relation to the case
    assigned: bool = False

    @property
    def label(self) -> str:
        return f"{self.role}@{self.relation}{'+assigned' if self.assigned else ''}"


PEOPLE = [
    Who(Role.SYSTEM_ADMIN, NONE),
    Who(Role.COORDINATOR, OTHER),
    Who(Role.ANALYST, OTHER),
    Who(Role.SUPERVISOR, OWNER),
    Who(Role.SUPERVISOR, SHARED),
    Who(Role.SUPERVISOR, OTHER),
    Who(Role.CASEWORKER, OWNER, assigned=True),
    Who(Role.CASEWORKER, OWNER),
    Who(Role.CASEWORKER, SHARED, assigned=True),
    Who(Role.CASEWORKER, SHARED),
    Who(Role.CASEWORKER, OTHER),
    Who(Role.LAW_ENFORCEMENT, OWNER, assigned=True),
    Who(Role.LAW_ENFORCEMENT, OWNER),
    Who(Role.LAW_ENFORCEMENT, OTHER),
]

# status codes: view (GET), listed (appears in GET list), edit (PATCH), assign, consent, create
EXPECTED: dict[str, dict[str, int | bool]] = {
    "system_admin@none": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 403,
    },
    "coordinator@other": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 403,
    },
    "analyst@other": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 403,
    },
    "supervisor@owner": {
        "view": 200,
        "listed": True,
        "edit": 200,
        "assign": 201,
        "consent": 201,
        "create": 201,
    },
    "supervisor@shared": {
        "view": 200,
        "listed": True,
        "edit": 403,
        "assign": 201,
        "consent": 403,
        "create": 201,
    },
    "supervisor@other": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 201,
    },
    "caseworker@owner+assigned": {
        "view": 200,
        "listed": True,
        "edit": 200,
        "assign": 403,
        "consent": 201,
        "create": 201,
    },
    "caseworker@owner": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 201,
    },
    "caseworker@shared+assigned": {
        "view": 200,
        "listed": True,
        "edit": 403,
        "assign": 403,
        "consent": 403,
        "create": 201,
    },
    "caseworker@shared": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 201,
    },
    "caseworker@other": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 201,
    },
    "law_enforcement@owner+assigned": {
        "view": 200,
        "listed": True,
        "edit": 200,
        "assign": 403,
        "consent": 201,
        "create": 201,
    },
    "law_enforcement@owner": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 201,
    },
    "law_enforcement@other": {
        "view": 404,
        "listed": False,
        "edit": 404,
        "assign": 404,
        "consent": 404,
        "create": 201,
    },
}


@dataclass
class World:
    case: Case
    agencies: dict[str, Agency]
    people: dict[str, User]
    colleague: dict[str, User]  # an unassigned caseworker in each agency, to be assigned


@pytest.fixture
def world(db: None) -> World:
    agencies = {
        OWNER: AgencyFactory(name="Owner", code="own"),
        SHARED: AgencyFactory(name="Shared", code="shr", agency_type=AgencyType.NGO),
        OTHER: AgencyFactory(name="Other", code="oth"),
    }
    registrar = UserFactory(role=Role.CASEWORKER, agency=agencies[OWNER])
    supervisor_owner = UserFactory(role=Role.SUPERVISOR, agency=agencies[OWNER])
    supervisor_shared = UserFactory(role=Role.SUPERVISOR, agency=agencies[SHARED])
    case = register_case(registrar)
    consent = consent_record(
        user=registrar,
        case=case,
        given_by="child",
        purpose="referral",
        data_scope="all",
        recipient_agency=agencies[SHARED],
        given_on=timezone.localdate(),
        expires_on=None,
        channel="api",
    )
    case_share(user=registrar, case=case, agency=agencies[SHARED], consent=consent, channel="api")
    people: dict[str, User] = {}
    for who in PEOPLE:
        if who.label == "caseworker@owner+assigned":
            people[who.label] = registrar
        elif who.label == "supervisor@owner":
            people[who.label] = supervisor_owner
        elif who.label == "supervisor@shared":
            people[who.label] = supervisor_shared
        else:
            agency = agencies.get(who.relation)
            people[who.label] = UserFactory(role=who.role, agency=agency)
        if who.assigned and people[who.label] != registrar:
            boss = supervisor_owner if who.relation == OWNER else supervisor_shared
            case_assign(user=boss, case=case, assignee=people[who.label], channel="api")
    colleague = {
        relation: UserFactory(role=Role.CASEWORKER, agency=agency)
        for relation, agency in agencies.items()
    }
    return World(case, agencies, people, colleague)


def _snapshot(case: Case) -> tuple[int, int, int]:
    return (
        Case.objects.get(pk=case.pk).version,
        CaseAssignment.objects.filter(case=case).count(),
        Consent.objects.filter(case=case).count(),
    )


ACTIONS: dict[str, Callable[[World, Who], tuple[str, str, dict[str, object]]]] = {
    "view": lambda w, who: ("get", f"/api/v1/cases/{w.case.id}/", {}),
    "edit": lambda w, who: (
        "patch",
        f"/api/v1/cases/{w.case.id}/",
        {"version": 1, "summary": "Changed."},
    ),
    "assign": lambda w, who: (
        "post",
        f"/api/v1/cases/{w.case.id}/assignments/",
        {"user": str(w.colleague.get(who.relation, w.colleague[OTHER]).id)},
    ),
    "consent": lambda w, who: (
        "post",
        f"/api/v1/cases/{w.case.id}/consents/",
        {
            "given_by": "child",
            "purpose": "sharing",
            "data_scope": "summary",
            "recipient_agency": str(w.agencies[OTHER].id),
            "given_on": str(timezone.localdate()),
        },
    ),
}


@pytest.mark.parametrize("who", PEOPLE, ids=lambda who: who.label)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_case_actions(world: World, who: Who, action: str) -> None:
    user = world.people[who.label]
    client = api_client_for(user)
    method, url, body = ACTIONS[action](world, who)
    before, audit_before = _snapshot(world.case), AuditEvent.objects.count()

    response = getattr(client, method)(url, body, format="json")

    assert response.status_code == EXPECTED[who.label][action], response.content
    assert response["Content-Type"] == "application/json"
    if response.status_code >= 400:
        assert _snapshot(world.case) == before
        assert AuditEvent.objects.count() == audit_before
        assert "given_name" not in response.json()


@pytest.mark.parametrize("who", PEOPLE, ids=lambda who: who.label)
def test_case_list_shows_only_what_the_user_may_see(world: World, who: Who) -> None:
    response = api_client_for(world.people[who.label]).get("/api/v1/cases/")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == ([str(world.case.id)] if EXPECTED[who.label]["listed"] else [])


@pytest.mark.parametrize("who", PEOPLE, ids=lambda who: who.label)
def test_register_a_case(world: World, who: Who) -> None:
    body = {"child": {"given_name": "Lina"}, "identified_on": str(timezone.localdate())}
    count = Case.objects.count()
    response = api_client_for(world.people[who.label]).post("/api/v1/cases/", body, format="json")
    assert response.status_code == EXPECTED[who.label]["create"], response.content
    assert Case.objects.count() == count + (1 if response.status_code == 201 else 0)


def test_withdrawn_consent_ends_the_share(world: World) -> None:
    from safepath.cases.services import consent_withdraw

    supervisor_shared = world.people["supervisor@shared"]
    client = api_client_for(supervisor_shared)
    assert client.get(f"/api/v1/cases/{world.case.id}/").status_code == 200
    consent = Consent.objects.get(case=world.case, recipient_agency=world.agencies[SHARED])
    consent_withdraw(user=world.people["supervisor@owner"], consent=consent, channel="api")
    assert client.get(f"/api/v1/cases/{world.case.id}/").status_code == 404


def test_expired_consent_ends_the_share(world: World) -> None:
    consent = Consent.objects.get(case=world.case, recipient_agency=world.agencies[SHARED])
    Consent.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = api_client_for(world.people["supervisor@shared"])
    assert client.get(f"/api/v1/cases/{world.case.id}/").status_code == 404


@pytest.mark.parametrize(
    ("expires_in_days", "status"),
    [(1, 200), (0, 200), (-1, 404)],
    ids=["tomorrow", "today", "yesterday"],
)
def test_a_consent_is_in_force_through_its_expiry_date(
    world: World, expires_in_days: int, status: int
) -> None:
    """docs/data-protection.md: the expiry date itself is the last day (by UTC date)."""
    consent = Consent.objects.get(case=world.case, recipient_agency=world.agencies[SHARED])
    Consent.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=expires_in_days)
    )
    client = api_client_for(world.people["supervisor@shared"])
    assert client.get(f"/api/v1/cases/{world.case.id}/").status_code == status


def test_sharing_on_a_consent_expiring_today_is_allowed(world: World) -> None:
    owner = world.people["supervisor@owner"]
    consent = consent_record(
        user=owner,
        case=world.case,
        given_by="child",
        purpose="referral",
        data_scope="all",
        recipient_agency=world.agencies[OTHER],
        given_on=timezone.localdate(),
        expires_on=timezone.localdate(),
        channel="api",
    )
    case_share(
        user=owner, case=world.case, agency=world.agencies[OTHER], consent=consent, channel="api"
    )
    client = api_client_for(world.people["supervisor@other"])
    assert client.get(f"/api/v1/cases/{world.case.id}/").status_code == 200


def test_who_can_see_this_child(world: World) -> None:
    from safepath.cases.policies import CaseAction, case_policy

    seers = set(case_policy.users_with_permission_for_instance(CaseAction.VIEW, world.case))
    expected = {world.people[label] for label, row in EXPECTED.items() if row["view"] == 200}
    assert seers == expected


def test_a_closed_agency_holds_no_case(world: World) -> None:
    """The policy itself refuses, whatever signs the user in: a supervisor of a closed
    owning agency, and of a closed agency the case is shared with, see nothing."""
    from safepath.cases.policies import CaseAction, case_policy

    for relation in (OWNER, SHARED):
        supervisor = world.people[f"supervisor@{relation}"]
        assert case_policy.user_has_permission_for_instance(supervisor, CaseAction.VIEW, world.case)
        Agency.objects.filter(pk=world.agencies[relation].pk).update(is_active=False)
        supervisor.refresh_from_db()
        assert not case_policy.user_has_permission(supervisor, CaseAction.VIEW)
        assert not case_policy.instances_user_has_permission_for(supervisor, CaseAction.VIEW)
        seers = case_policy.users_with_permission_for_instance(CaseAction.VIEW, world.case)
        assert supervisor not in seers


def test_an_ended_assignment_gives_no_access(world: World) -> None:
    from safepath.cases.policies import CaseAction, case_policy

    worker = world.people["caseworker@owner+assigned"]
    assert case_policy.user_has_permission_for_instance(worker, CaseAction.VIEW, world.case)
    CaseAssignment.objects.filter(case=world.case, user=worker).update(ended_at=timezone.now())
    assert not case_policy.user_has_permission_for_instance(worker, CaseAction.VIEW, world.case)
    assert api_client_for(worker).get(f"/api/v1/cases/{world.case.id}/").status_code == 404


def test_only_an_assigned_caseworker_edits_or_shares_at_the_policy_itself(world: World) -> None:
    """The API reads the case before changing it, so it hides an edit rule that lost its
    assignment check; a service that asks the policy for EDIT alone must not."""
    from safepath.cases.policies import CaseAction, case_policy

    assigned = world.people["caseworker@owner+assigned"]
    unassigned = world.people["caseworker@owner"]
    for action in (CaseAction.EDIT, CaseAction.SHARE):
        assert case_policy.user_has_permission_for_instance(assigned, action, world.case)
        assert not case_policy.user_has_permission_for_instance(unassigned, action, world.case)


def test_sharing_again_after_a_consent_expired(world: World) -> None:
    consent = Consent.objects.get(case=world.case, recipient_agency=world.agencies[SHARED])
    Consent.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    owner = world.people["supervisor@owner"]
    renewed = consent_record(
        user=owner,
        case=world.case,
        given_by="child",
        purpose="referral",
        data_scope="all",
        recipient_agency=world.agencies[SHARED],
        given_on=timezone.localdate(),
        expires_on=None,
        channel="api",
    )
    case_share(
        user=owner, case=world.case, agency=world.agencies[SHARED], consent=renewed, channel="api"
    )
    client = api_client_for(world.people["supervisor@shared"])
    assert client.get(f"/api/v1/cases/{world.case.id}/").status_code == 200


def test_sharing_on_an_expired_or_withdrawn_consent_is_refused(world: World) -> None:
    from safepath.core.exceptions import FieldValidationError

    owner = world.people["supervisor@owner"]
    consent = consent_record(
        user=owner,
        case=world.case,
        given_by="child",
        purpose="referral",
        data_scope="all",
        recipient_agency=world.agencies[OTHER],
        given_on=timezone.localdate(),
        expires_on=None,
        channel="api",
    )
    shares = world.case.shares.count()
    for change in (
        {"expires_on": timezone.localdate() - datetime.timedelta(days=1)},
        {"expires_on": None, "withdrawn_at": timezone.now()},
    ):
        Consent.objects.filter(pk=consent.pk).update(**change)
        consent.refresh_from_db()
        with pytest.raises(FieldValidationError) as refused:
            case_share(
                user=owner,
                case=world.case,
                agency=world.agencies[OTHER],
                consent=consent,
                channel="api",
            )
        assert list(refused.value.fields) == ["consent"]
        assert world.case.shares.count() == shares
