"""Who may do what in the participation app: roles x agencies x actions, over the API.

A record the caller may not see is 404; a step on a record they see but may not take is 403;
every refused request leaves the data exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.cases.models import Case
from safepath.participation.models import (
    ActionTaken,
    Answer,
    Consultation,
    ConsultationSummary,
    Feedback,
    InformationGiven,
    Participant,
    SafeguardingLead,
)
from safepath.participation.services.feedback import feedback_submit
from safepath.participation.services.safeguarding import safeguarding_lead_set
from safepath.participation.tests.conftest import submit
from safepath.referrals.models import Service
from safepath.testing.factories import AgencyFactory, register_case
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/participation"
ACTIONS = ("view", "results", "link", "submission", "written", "action", "summary")
ALL_404 = dict.fromkeys(ACTIONS, 404)

# (role, where the user works) -> expected status per action on the NGO's consultation.
CONSULTATION_MATRIX: list[tuple[str, str, dict[str, int]]] = [
    (
        Role.FACILITATOR,
        "ngo",
        {
            "view": 200,
            "results": 200,
            "link": 201,
            "submission": 201,
            "written": 200,
            "action": 201,
            "summary": 403,
        },
    ),
    (Role.FACILITATOR, "other", ALL_404),
    (
        Role.COORDINATOR,
        "coordination",
        {
            "view": 200,
            "results": 200,
            "link": 403,
            "submission": 403,
            "written": 403,
            "action": 201,
            "summary": 201,
        },
    ),
    (
        Role.DATA_PROTECTION_OFFICER,
        "coordination",
        {
            "view": 200,
            "results": 200,
            "link": 403,
            "submission": 403,
            "written": 200,
            "action": 403,
            "summary": 403,
        },
    ),
    (Role.ANALYST, "coordination", ALL_404),
    (Role.SUPERVISOR, "ngo", ALL_404),
    (Role.CASEWORKER, "ngo", ALL_404),
    (Role.LAW_ENFORCEMENT, "police", ALL_404),
    (Role.FINANCIAL_ANALYST, "fiu", ALL_404),
    (Role.SYSTEM_ADMIN, "", ALL_404),
]


def _snapshot() -> tuple[Any, ...]:
    return (
        list(
            Consultation.objects.order_by("id").values_list(
                "id", "status", "link_digest", "version"
            )
        ),
        Participant.objects.count(),
        Answer.objects.count(),
        ActionTaken.objects.count(),
        ConsultationSummary.objects.count(),
    )


def _user(
    make_user: Callable[..., User], role: str, where: str, agencies: dict[str, Agency]
) -> User:
    return make_user(role, agencies[where] if where else None, f"{role}.{where or 'none'}")


def _call(api: Any, action: str, consultation: Consultation) -> int:
    url = f"{BASE}/consultations/{consultation.id}/"
    requests: dict[str, tuple[str, str, dict[str, Any]]] = {
        "view": ("get", url, {}),
        "results": ("get", f"{url}results/", {}),
        "link": ("post", f"{url}link/", {}),
        "submission": (
            "post",
            f"{url}submissions/",
            {
                "age_band": "16-17",
                "language": "en",
                "assent": True,
                "answers": {"felt_safe": "very"},
            },
        ),
        "written": ("get", f"{url}written-answers/", {}),
        "action": ("post", f"{url}actions/", {"you_said": "x", "we_did": "y", "status": "planned"}),
        "summary": ("post", f"{url}summary/", {}),
    }
    method, path, body = requests[action]
    response = getattr(api, method)(path, body, format="json")
    return int(response.status_code)


@pytest.mark.parametrize(("role", "where", "expected"), CONSULTATION_MATRIX)
def test_consultations_matrix(
    role: str,
    where: str,
    expected: dict[str, int],
    make_user: Callable[..., User],
    ngo: Agency,
    other_ngo: Agency,
    coordination: Agency,
    facilitator: User,
    consultation: Consultation,
) -> None:
    agencies = {
        "ngo": ngo,
        "other": other_ngo,
        "coordination": coordination,
        "police": AgencyFactory(agency_type=AgencyType.POLICE),
        "fiu": AgencyFactory(agency_type=AgencyType.FIU),
    }
    submit(facilitator, consultation, {"one_change": "An idea"})
    api = api_client_for(_user(make_user, role, where, agencies))
    for action in ACTIONS:
        before = _snapshot()
        status = _call(api, action, consultation)
        assert status == expected[action], f"{role}@{where} {action}: {status}"
        if status >= 400:
            assert _snapshot() == before, f"{role}@{where} {action} changed something"


@pytest.mark.parametrize(
    ("role", "where", "create"),
    [
        (Role.FACILITATOR, "ngo", 201),
        (Role.COORDINATOR, "coordination", 201),
        (Role.DATA_PROTECTION_OFFICER, "coordination", 403),
        (Role.CASEWORKER, "ngo", 403),
        (Role.SUPERVISOR, "ngo", 403),
    ],
)
def test_who_creates_consultations(
    role: str,
    where: str,
    create: int,
    make_user: Callable[..., User],
    ngo: Agency,
    coordination: Agency,
) -> None:
    user = _user(make_user, role, where, {"ngo": ngo, "coordination": coordination})
    response = api_client_for(user).post(
        f"{BASE}/consultations/", {"instrument": "feeling-safe-young"}, format="json"
    )
    assert response.status_code == create
    assert Consultation.objects.count() == (1 if create == 201 else 0)
    if create == 201:
        assert Consultation.objects.get().agency == user.agency


# --- feedback ------------------------------------------------------------------------------


def _feedback(service: Service, kind: str, subject: User | None = None) -> Feedback:
    feedback, _code = feedback_submit(
        kind=kind, submitted_by="child", service_id=service.id, message="Synthetic words."
    )
    if subject is not None:
        Feedback.objects.filter(pk=feedback.pk).update(subject_user=subject)
        feedback.refresh_from_db()
    return feedback


FEEDBACK_MATRIX = [
    # (who, ordinary feedback: read / handle, safeguarding complaint: read / handle)
    ("supervisor", (200, 200), (404, 404)),
    ("lead", (404, 404), (200, 200)),
    ("subject", (404, 404), (404, 404)),
    ("worker", (404, 404), (404, 404)),
    ("other_supervisor", (404, 404), (404, 404)),
    ("coordinator", (404, 404), (404, 404)),
    ("dpo", (404, 404), (404, 404)),
    ("facilitator", (404, 404), (404, 404)),
]


@pytest.mark.parametrize(("who", "ordinary", "safeguarding"), FEEDBACK_MATRIX)
def test_feedback_matrix(
    who: str,
    ordinary: tuple[int, int],
    safeguarding: tuple[int, int],
    make_user: Callable[..., User],
    ngo: Agency,
    other_ngo: Agency,
    supervisor: User,
    worker: User,
    facilitator: User,
    coordinator: User,
    dpo: User,
    service: Service,
) -> None:
    lead = make_user(Role.CASEWORKER, ngo, "lead")
    subject = make_user(Role.CASEWORKER, ngo, "subject")
    safeguarding_lead_set(actor=supervisor, agency_id=ngo.id, lead_id=lead.id)
    people = {
        "supervisor": supervisor,
        "lead": lead,
        "subject": subject,
        "worker": worker,
        "other_supervisor": make_user(Role.SUPERVISOR, other_ngo, "other.supervisor"),
        "coordinator": coordinator,
        "dpo": dpo,
        "facilitator": facilitator,
    }
    items = {
        "ordinary": _feedback(service, "complaint"),
        "safeguarding": _feedback(service, "safeguarding", subject=subject),
    }
    api = api_client_for(people[who])
    for name, (read, handle) in (("ordinary", ordinary), ("safeguarding", safeguarding)):
        feedback = items[name]
        assert api.get(f"{BASE}/feedback/{feedback.id}/").status_code == read, f"{who} reads {name}"
        before = Feedback.objects.values_list("status", "version").get(pk=feedback.pk)
        status = api.post(
            f"{BASE}/feedback/{feedback.id}/acknowledgement/", {}, format="json"
        ).status_code
        assert status == handle, f"{who} handles {name}"
        if status >= 400:
            assert Feedback.objects.values_list("status", "version").get(pk=feedback.pk) == before


# --- safeguarding leads and information given ----------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("supervisor", 200),
        ("other_supervisor", 404),
        ("admin", 200),
        ("worker", 403),
        ("coordinator", 403),
    ],
)
def test_who_names_a_safeguarding_lead(
    who: str,
    expected: int,
    make_user: Callable[..., User],
    ngo: Agency,
    other_ngo: Agency,
    supervisor: User,
    worker: User,
    coordinator: User,
) -> None:
    people = {
        "supervisor": supervisor,
        "other_supervisor": make_user(Role.SUPERVISOR, other_ngo, "other.supervisor"),
        "admin": make_user(Role.SYSTEM_ADMIN, None, "admin"),
        "worker": worker,
        "coordinator": coordinator,
    }
    response = api_client_for(people[who]).post(
        f"{BASE}/safeguarding-leads/",
        {"agency": str(ngo.id), "lead": str(worker.id)},
        format="json",
    )
    assert response.status_code == expected
    assert SafeguardingLead.objects.count() == (1 if expected == 200 else 0)


@pytest.mark.parametrize(
    ("who", "read", "record"),
    [
        ("caseworker_a", 200, 201),
        ("supervisor_a", 200, 201),
        ("caseworker_b", 404, 404),
        ("coordinator", 404, 404),
        ("facilitator", 404, 404),
    ],
)
def test_information_given_follows_the_case(
    who: str,
    read: int,
    record: int,
    caseworker_a: User,
    supervisor_a: User,
    caseworker_b: User,
    coordinator: User,
    facilitator: User,
) -> None:
    case: Case = register_case(caseworker_a)
    people = {
        "caseworker_a": caseworker_a,
        "supervisor_a": supervisor_a,
        "caseworker_b": caseworker_b,
        "coordinator": coordinator,
        "facilitator": facilitator,
    }
    api = api_client_for(people[who])
    url = f"{BASE}/cases/{case.id}/information-given/"
    assert api.get(url).status_code == read
    posted = api.post(
        url,
        {"topic": "your-rights", "level": "younger", "language": "ar", "format": "printed"},
        format="json",
    )
    assert posted.status_code == record
    assert InformationGiven.objects.count() == (1 if record == 201 else 0)


def test_what_the_child_was_told_reaches_a_partner_only_under_a_consent_covering_the_plan(
    caseworker_a: User, make_user: Callable[..., User], agency_b: Agency
) -> None:
    """Issue 21: the information panel and its API go through the category map like every
    other read of a shared case (``information_given`` sits with the child's views, in plan)."""
    from django.utils import timezone

    from safepath.audit.models import Channel
    from safepath.cases.services import case_share, consent_record
    from safepath.testing.fixtures import web_client_for

    case = register_case(caseworker_a)
    url = f"{BASE}/cases/{case.id}/information-given/"
    told = {"topic": "your-rights", "level": "younger", "language": "ar", "format": "printed"}
    assert api_client_for(caseworker_a).post(url, told, format="json").status_code == 201
    supervisor_b = make_user(Role.SUPERVISOR, agency_b)

    def share(categories: list[str]) -> None:
        consent = consent_record(
            user=caseworker_a,
            case=case,
            given_by="guardian",
            purpose="sharing",
            data_scope="as ticked",
            data_categories=categories,
            recipient_agency=agency_b,
            given_on=timezone.localdate(),
            expires_on=None,
            channel=Channel.API,
        )
        case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="api")

    share(["identity", "case_facts"])
    assert api_client_for(supervisor_b).get(url).status_code == 404
    page = web_client_for(supervisor_b).get(f"/cases/{case.id}/").content.decode()
    assert 'id="information-heading"' not in page

    case.shares.update(revoked_at=timezone.now())
    share(["identity", "plan"])
    assert api_client_for(supervisor_b).get(url).status_code == 200
