"""The access trail of a child's case and the child's access report: who may see them (a
matrix), what they show (names only where the reader may see them), and that reading them is
itself audited."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable

import pytest
from django.test import Client

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, AuditEvent
from safepath.cases.access_trail import TrailAction, case_trail_policy
from safepath.cases.models import Case
from safepath.cases.services import case_share, consent_record
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

PURPOSE_A = "Home visit planning"
PURPOSE_B = "Checking the referral"


@pytest.fixture
def people(
    make_user: Callable[..., User], agency_a: Agency, agency_b: Agency, coordination: Agency
) -> dict[str, User]:
    make = make_user
    return {
        "caseworker.a": make(Role.CASEWORKER, agency_a, "caseworker.a"),
        "supervisor.a": make(Role.SUPERVISOR, agency_a, "supervisor.a"),
        "supervisor.b": make(Role.SUPERVISOR, agency_b, "supervisor.b"),
        "caseworker.b": make(Role.CASEWORKER, agency_b, "caseworker.b"),
        "dpo": make(Role.DATA_PROTECTION_OFFICER, coordination, "dpo"),
        "coordinator": make(Role.COORDINATOR, coordination, "coordinator"),
        "analyst": make(Role.ANALYST, coordination, "analyst"),
        "admin": make(Role.SYSTEM_ADMIN, None, "admin"),
    }


@pytest.fixture
def shared_case(people: dict[str, User], agency_b: Agency) -> Case:
    """Agency A's case, shared with agency B, read once by each agency with a reason."""
    owner = people["caseworker.a"]
    case = register_case(owner, given_name="Zuberi", family_name="Trailchild")
    consent = consent_record(
        user=owner,
        case=case,
        given_by="parent",
        purpose="referral",
        data_scope="The trafficking facts only",
        data_categories=["case_facts"],
        child_assent=True,
        recipient_agency=agency_b,
        given_on=datetime.date(2026, 1, 5),
        expires_on=None,
        channel="api",
    )
    case_share(user=owner, case=case, agency=agency_b, consent=consent, channel="api")
    for user, purpose in ((owner, PURPOSE_A), (people["supervisor.b"], PURPOSE_B)):
        response = api_client_for(user).get(
            f"/api/v1/cases/{case.id}/", HTTP_X_ACCESS_PURPOSE=purpose
        )
        assert response.status_code == 200
    return case


def _client(user: User, language: str = "en") -> Client:
    client = web_client_for(user)
    client.cookies["django_language"] = language
    return client


# --- who may: a matrix of roles x the case's relation to their agency x actions -------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "action", "owner_case", "other_case"),
    [
        ("supervisor.a", TrailAction.VIEW, True, False),  # own agency's cases only
        ("supervisor.a", TrailAction.REPORT, False, False),
        ("supervisor.b", TrailAction.VIEW, False, True),  # B holds A's case: not its trail
        ("caseworker.a", TrailAction.VIEW, False, False),
        ("caseworker.b", TrailAction.VIEW, False, False),
        ("dpo", TrailAction.VIEW, True, True),
        ("dpo", TrailAction.REPORT, True, True),
        ("coordinator", TrailAction.VIEW, False, False),
        ("analyst", TrailAction.VIEW, False, False),
        ("admin", TrailAction.VIEW, False, False),
        ("admin", TrailAction.REPORT, False, False),
    ],
)
def test_who_may_see_a_trail(
    people: dict[str, User],
    shared_case: Case,
    who: str,
    action: TrailAction,
    owner_case: bool,
    other_case: bool,
) -> None:
    """``owner_case``: agency A's case (shared with B); ``other_case``: agency B's own case."""
    b_case = register_case(people["caseworker.b"])
    user = people[who]
    assert case_trail_policy.user_has_permission_for_instance(user, action, shared_case) is (
        owner_case
    )
    assert case_trail_policy.user_has_permission_for_instance(user, action, b_case) is other_case
    url = "cases:trail" if action == TrailAction.VIEW else "cases:access_report"
    from django.urls import reverse

    events = AuditEvent.objects.count()
    status = _client(user).get(reverse(url, args=[shared_case.id])).status_code
    assert status == (200 if owner_case else 404)
    if not owner_case:  # a refused look leaves no trace of having read anything
        assert AuditEvent.objects.count() == events


# --- what the trail shows -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_supervisor_sees_who_when_and_why_naming_only_their_own_staff(
    people: dict[str, User], shared_case: Case, agency_b: Agency
) -> None:
    html = _client(people["supervisor.a"]).get(f"/cases/{shared_case.id}/access/").content.decode()
    assert shared_case.reference in html
    assert PURPOSE_A in html  # the reasons given
    assert PURPOSE_B in html
    who = people["caseworker.a"]
    assert (who.get_full_name() or who.username) in html  # own agency: by name
    other = people["supervisor.b"]
    assert other.username not in html  # another agency: role and agency only
    if other.get_full_name():
        assert other.get_full_name() not in html
    assert agency_b.name in html
    assert "Zuberi" not in html  # the child's data is never on the page
    # the look itself is audited on the case, and shows in the trail from then on
    event = AuditEvent.objects.filter(object_type="case_audit_trail").get()
    assert (event.actor_id, event.object_id, event.action) == (
        people["supervisor.a"].id,
        str(shared_case.id),
        Action.READ,
    )
    again = _client(people["supervisor.a"]).get(f"/cases/{shared_case.id}/access/")
    assert "Access trail" in again.content.decode().split('data-testid="trail-entry"')[1]


@pytest.mark.django_db
def test_the_trail_has_changes_with_their_field_names_not_values(
    people: dict[str, User], shared_case: Case
) -> None:
    client = api_client_for(people["caseworker.a"])
    version = client.get(f"/api/v1/cases/{shared_case.id}/").json()["version"]
    response = client.patch(
        f"/api/v1/cases/{shared_case.id}/",
        {"version": version, "summary": "Moved to a safe house in Testtown."},
        format="json",
    )
    assert response.status_code == 200, response.content
    html = _client(people["dpo"]).get(f"/cases/{shared_case.id}/access/").content.decode()
    assert "summary" in html  # the field's name
    assert "Testtown" not in html  # never its value
    assert people["supervisor.b"].username in html or people["supervisor.b"].get_full_name() in html


@pytest.mark.django_db
def test_the_case_page_links_the_trail_for_its_supervisor_only(
    people: dict[str, User], shared_case: Case
) -> None:
    link = f'href="/cases/{shared_case.id}/access/"'
    assert link in _client(people["supervisor.a"]).get(f"/cases/{shared_case.id}/").content.decode()
    assert link not in (
        _client(people["caseworker.a"]).get(f"/cases/{shared_case.id}/").content.decode()
    )
    assert link not in (
        _client(people["supervisor.b"]).get(f"/cases/{shared_case.id}/").content.decode()
    )


@pytest.mark.django_db
def test_the_officer_finds_a_trail_by_reference(people: dict[str, User], shared_case: Case) -> None:
    client = _client(people["dpo"])
    assert 'href="/cases/access/"' in client.get("/").content.decode()  # in the menu
    found = client.post("/cases/access/", {"reference": shared_case.reference.lower()})
    assert found.status_code == 302
    assert found["Location"] == f"/cases/{shared_case.id}/access/"
    missing = client.post("/cases/access/", {"reference": "SP-XXXX-XXXX"})
    assert missing.status_code == 400
    # a supervisor of another agency finds nothing, whether or not the case exists
    other = _client(people["supervisor.b"]).post(
        "/cases/access/", {"reference": shared_case.reference}
    )
    assert other.status_code == 400
    assert _client(people["caseworker.a"]).get("/cases/access/").status_code == 404


# --- the child's access report ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_access_report_names_agencies_and_roles_never_staff(
    people: dict[str, User], shared_case: Case, agency_a: Agency, agency_b: Agency
) -> None:
    client = _client(people["dpo"])
    html = client.get(f"/cases/{shared_case.id}/access/report/").content.decode()
    download = client.get(f"/cases/{shared_case.id}/access/report.csv")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["When (UTC)", "Agency", "Role", "Access", "Record", "Why"]
    body = rows[1:]
    reads = [row for row in body if row[3] == "read" and row[4] == "Case record"]
    assert [(row[1], row[2], row[5]) for row in reads] == [
        (agency_a.name, "Caseworker", PURPOSE_A),
        (agency_b.name, "Supervisor", PURPOSE_B),
    ]  # oldest first
    listed = html.split('data-testid="report"')[1].split("</ol>")[0]  # not the page's header
    # the download lists one more access than the page: the page's own making of the report
    assert listed.count('data-testid="report-entry"') == len(body) - 1
    assert body[-1][2:5] == ["Data-protection officer", "read", "Access report"]
    for user in people.values():
        for shown in (listed, download.content.decode("utf-8-sig")):
            assert f">{user.username}<" not in shown
            assert f",{user.username}," not in shown
            if user.get_full_name():
                assert user.get_full_name() not in shown
    assert "Zuberi" not in html
    exported = AuditEvent.objects.filter(object_type="case_access_report").order_by("seq")
    assert [e.action for e in exported] == [Action.READ, Action.EXPORT]
    assert all(e.actor_id == people["dpo"].id for e in exported)


@pytest.mark.django_db
def test_a_report_cell_is_never_a_spreadsheet_formula(people: dict[str, User]) -> None:
    case = register_case(people["caseworker.a"])
    api_client_for(people["caseworker.a"]).get(
        f"/api/v1/cases/{case.id}/", HTTP_X_ACCESS_PURPOSE="=HYPERLINK(1)"
    )
    text = _client(people["dpo"]).get(f"/cases/{case.id}/access/report.csv").content.decode()
    assert "'=HYPERLINK(1)" in text


# --- four languages -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "trail", "report"),
    [
        ("en", "Access trail of case", "Access report for case"),
        ("fr", "Journal des accès au dossier", "Rapport des accès au dossier"),
        ("es", "Registro de accesos al caso", "Informe de accesos del caso"),
        ("ar", "سجل الاطلاع على الحالة", "تقرير الاطلاع على الحالة"),
    ],
)
def test_the_pages_in_four_languages(
    people: dict[str, User], shared_case: Case, language: str, trail: str, report: str
) -> None:
    client = _client(people["dpo"], language)
    assert trail in client.get(f"/cases/{shared_case.id}/access/").content.decode()
    assert report in client.get(f"/cases/{shared_case.id}/access/report/").content.decode()
