"""Who may do what in the online app: roles x agencies x actions, as a matrix.

Hotline analysts and supervisors work their own hotline's reports (supervisors alone manage
banks, refer to law enforcement and hand off to child protection); platform analysts submit,
match and analyse adverts; child-protection staff answer hand-offs; everyone else gets 404.
A denied action changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.online.models import (
    Advert,
    Assessment,
    CaseLink,
    CyberTipExport,
    HashBank,
    LawEnforcementReferral,
    Notice,
    OnlineReport,
)
from safepath.online.policies import OnlineAction, online_policy
from safepath.online.tests.app.conftest import bank_text
from safepath.testing.factories import AgencyFactory, UserFactory

ROLES: list[tuple[str, str | None]] = [
    (Role.HOTLINE_ANALYST, AgencyType.HOTLINE),
    (Role.HOTLINE_SUPERVISOR, AgencyType.HOTLINE),
    (Role.PLATFORM_ANALYST, AgencyType.ONLINE_PLATFORM),
    (Role.SUPERVISOR, AgencyType.CHILD_PROTECTION),
    (Role.CASEWORKER, AgencyType.NGO),
    (Role.LAW_ENFORCEMENT, AgencyType.POLICE),
    (Role.COORDINATOR, AgencyType.NATIONAL_COORDINATION),
    (Role.ANALYST, AgencyType.NATIONAL_COORDINATION),
    (Role.DATA_PROTECTION_OFFICER, AgencyType.NATIONAL_COORDINATION),
    (Role.FINANCIAL_ANALYST, AgencyType.FIU),
    (Role.SYSTEM_ADMIN, None),
    # the right role in the wrong kind of agency opens nothing
    (Role.HOTLINE_ANALYST, AgencyType.NGO),
    (Role.PLATFORM_ANALYST, AgencyType.HOTLINE),
]

# What each (role, agency type) may do, in general; everything else is refused.
ALLOWED: dict[tuple[str, str | None], set[str]] = {
    (Role.HOTLINE_ANALYST, AgencyType.HOTLINE): {
        "view",
        "assess",
        "hash",
        "notice",
        "export",
        "submit",
        "match",
        "adverts",
        "dashboard",
    },
    (Role.HOTLINE_SUPERVISOR, AgencyType.HOTLINE): {a.value for a in OnlineAction} - {"link_case"},
    (Role.PLATFORM_ANALYST, AgencyType.ONLINE_PLATFORM): {
        "submit",
        "match",
        "adverts",
        "manage_banks",
    },
    (Role.SUPERVISOR, AgencyType.CHILD_PROTECTION): {"link_case"},
    (Role.CASEWORKER, AgencyType.NGO): {"link_case"},
}


def _user(role: str, agency_type: str | None, **agency: Any) -> User:
    home = AgencyFactory(agency_type=agency_type, **agency) if agency_type else None
    return UserFactory(role=role, agency=home)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "agency_type"), ROLES)
def test_general_permissions(role: str, agency_type: str | None) -> None:
    user = _user(role, agency_type)
    allowed = {a.value for a in OnlineAction if online_policy.user_has_permission(user, a)}
    assert allowed == ALLOWED.get((role, agency_type), set())


def _snapshot() -> tuple[Any, ...]:
    return (
        list(OnlineReport.objects.order_by("id").values_list("id", "status", "version")),
        Assessment.objects.count(),
        Notice.objects.count(),
        LawEnforcementReferral.objects.count(),
        CyberTipExport.objects.count(),
        CaseLink.objects.count(),
        HashBank.objects.count(),
        Advert.objects.count(),
    )


def _requests(report: OnlineReport, hotline: Agency) -> list[tuple[str, str, dict[str, Any]]]:
    base = "/api/v1/online"
    assess = {
        "classification": "baseline",
        "content_type": "image",
        "age_group": "unknown",
        "version": 1,
    }
    return [
        ("get", f"{base}/reports/", {}),
        ("get", f"{base}/reports/{report.id}/", {}),
        ("post", f"{base}/reports/{report.id}/assessments/", assess),
        (
            "post",
            f"{base}/reports/{report.id}/notices/",
            {"recipient_type": "hotline", "recipient_name": "X"},
        ),
        (
            "post",
            f"{base}/reports/{report.id}/law-enforcement/",
            {"agency_name": "P", "reason": "r"},
        ),
        ("post", f"{base}/reports/{report.id}/exports/", {}),
        (
            "post",
            f"{base}/reports/{report.id}/case-links/",
            {"agency": str(hotline.id), "note": "n"},
        ),
        ("get", f"{base}/dashboard/removal/", {}),
    ]


def _call(client: APIClient, method: str, url: str, body: dict[str, Any]) -> int:
    if method == "get":
        return int(client.get(url).status_code)
    return int(client.post(url, body, format="json").status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "agency_type"),
    [
        r
        for r in ROLES
        if r[0] not in (Role.HOTLINE_ANALYST, Role.HOTLINE_SUPERVISOR) or r[1] != AgencyType.HOTLINE
    ],
)
def test_outsiders_get_404_on_reports_and_change_nothing(
    role: str, agency_type: str | None, hotline: Agency, report: OnlineReport
) -> None:
    client = _client(_user(role, agency_type))
    before = _snapshot()
    for method, url, body in _requests(report, hotline):
        assert _call(client, method, url, body) == 404, (method, url)
    assert _snapshot() == before


@pytest.mark.django_db
def test_another_hotline_sees_nothing_of_this_one(
    other_hotline: Agency, hotline: Agency, report: OnlineReport
) -> None:
    for role in (Role.HOTLINE_ANALYST, Role.HOTLINE_SUPERVISOR):
        client = _client(UserFactory(role=role, agency=other_hotline))
        before = _snapshot()
        assert client.get("/api/v1/online/reports/").json()["count"] == 0
        for method, url, body in _requests(report, hotline)[1:-1]:
            assert _call(client, method, url, body) == 404, (role, url)
        assert _snapshot() == before


@pytest.mark.django_db
def test_an_analyst_sees_but_may_not_refer_or_hand_off(
    analyst: User, hotline: Agency, report: OnlineReport
) -> None:
    client = _client(analyst)
    before = _snapshot()
    base = f"/api/v1/online/reports/{report.id}"
    assert (
        _call(client, "post", f"{base}/law-enforcement/", {"agency_name": "P", "reason": "r"})
        == 403
    )
    assert (
        _call(client, "post", f"{base}/case-links/", {"agency": str(hotline.id), "note": "n"})
        == 403
    )
    assert _snapshot() == before


@pytest.mark.django_db
def test_banks_are_matched_only_by_those_allowed(
    hotline_supervisor: User, platform_analyst: User, hotline: Agency, platform: Agency
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    supervisor = _client(hotline_supervisor)
    for name, scope in (("own-only", "owner"), ("shared", "sector")):
        response = supervisor.post(
            "/api/v1/online/banks/",
            {
                "file": SimpleUploadedFile("b.txt", bank_text((1,))),
                "name": name,
                "source": "tests",
                "licence": "tests",
                "match_scope": scope,
            },
            format="multipart",
        )
        assert response.status_code == 201, response.json()
    platform_client = _client(platform_analyst)
    names = [b["name"] for b in platform_client.get("/api/v1/online/banks/").json()]
    assert names == ["shared"]
    outsider = _client(_user(Role.CASEWORKER, AgencyType.CHILD_PROTECTION))
    assert outsider.get("/api/v1/online/banks/").status_code == 404
    # a platform analyst may not add to the hotline's bank: it is not theirs to manage
    before = _snapshot()
    response = platform_client.post(
        "/api/v1/online/banks/",
        {
            "file": SimpleUploadedFile("b.txt", bank_text((2,))),
            "name": "shared",
            "source": "x",
            "licence": "x",
        },
        format="multipart",
    )
    assert response.status_code == 403
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_platform_follows_only_what_it_submitted(
    platform_analyst: User, hotline: Agency, report: OnlineReport
) -> None:
    client = _client(platform_analyst)
    created = client.post(
        "/api/v1/online/reports/new/",
        {"kind": "image", "url": "https://example.org/p"},
        format="json",
    )
    assert created.status_code == 201
    reference = created.json()["reference"]
    status = client.post("/api/v1/online/reports/status/", {"reference": reference}, format="json")
    assert status.json()["status"] == "received"
    assert client.get("/api/v1/online/reports/").status_code == 404
    other = _client(_user(Role.PLATFORM_ANALYST, AgencyType.ONLINE_PLATFORM))
    missing = other.post("/api/v1/online/reports/status/", {"reference": reference}, format="json")
    assert missing.status_code == 404


def _client(user: User) -> APIClient:
    from safepath.testing.fixtures import api_client_for

    return api_client_for(user)


# silence "unused" for fixtures some tests only need for their side effects
_ = Callable


@pytest.mark.django_db
def test_a_listed_bank_is_matched_by_the_agencies_listed(
    hotline_supervisor: User, platform_analyst: User, platform: Agency
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    supervisor = _client(hotline_supervisor)
    refused = supervisor.post(
        "/api/v1/online/banks/",
        {
            "file": SimpleUploadedFile("b.txt", bank_text((1,))),
            "name": "listed",
            "source": "t",
            "licence": "t",
            "match_scope": "listed",
            "allowed_agencies": "nowhere",
        },
        format="multipart",
    )
    assert refused.status_code == 400
    assert "nowhere" in str(refused.json()["fields"]["allowed_agencies"])
    created = supervisor.post(
        "/api/v1/online/banks/",
        {
            "file": SimpleUploadedFile("b.txt", bank_text((1,))),
            "name": "listed",
            "source": "t",
            "licence": "t",
            "match_scope": "listed",
            "allowed_agencies": "platform",
        },
        format="multipart",
    )
    assert created.status_code == 201
    names = [b["name"] for b in _client(platform_analyst).get("/api/v1/online/banks/").json()]
    assert names == ["listed"]
    stranger = _client(_user(Role.PLATFORM_ANALYST, AgencyType.ONLINE_PLATFORM))
    assert stranger.get("/api/v1/online/banks/").json() == []
