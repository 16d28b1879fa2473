"""The case-management workflow through the API: from registration to closure, and every way a
step is refused without changing anything."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from safepath.accounts.models import Agency, User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, CaseChange, CaseShare, ChildViews
from safepath.cases.services import case_share, consent_record
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

TODAY = timezone.localdate()
VIEWS: dict[str, Any] = {
    "views": "I want to stay in school here.",
    "informed_language": "sw",
    "interpreter_language": "sw",
    "informed_in_understandable_manner": True,
    "weight_given": "Given great weight: consistent with the assessment.",
    "heard_on": str(TODAY),
}


def url(case: Case, tail: str = "") -> str:
    return f"/api/v1/cases/{case.id}/{tail}"


def version(case: Case) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


def move(client: APIClient, case: Case, target: str, **extra: str) -> Any:
    body = {"version": version(case), "target": target, **extra}
    return client.post(url(case, "transitions/"), body, format="json")


def hear(client: APIClient, case: Case, decision: str) -> None:
    response = client.post(
        url(case, "child-views/"), {**VIEWS, "decision": decision}, format="json"
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_a_case_goes_from_registration_to_closure(caseworker_a: User, supervisor_a: User) -> None:
    case = register_case(caseworker_a)
    worker, supervisor = api_client_for(caseworker_a), api_client_for(supervisor_a)

    assert move(worker, case, "assessment").status_code == 200
    refused = move(worker, case, "case_plan")
    assert refused.status_code == 400
    assert refused.json()["code"] == "transition_refused"
    assert [r["code"] for r in refused.json()["reasons"]] == ["assessment_missing"]
    assessment = {"kind": "short", "assessed_on": str(TODAY), "findings": "Safe at the shelter."}
    assert worker.post(url(case, "assessments/"), assessment, format="json").status_code == 201
    assert move(worker, case, "case_plan").json()["status"] == "case_plan"

    plan = worker.post(url(case, "plans/"), {"goals": ["School", "Health check"]}, format="json")
    plan_id = plan.json()["id"]
    assert worker.post(url(case, f"plans/{plan_id}/submission/")).status_code == 200
    assert worker.post(url(case, f"plans/{plan_id}/approval/")).status_code == 403
    unheard = supervisor.post(url(case, f"plans/{plan_id}/approval/"))
    assert unheard.status_code == 400
    assert "child_views" in unheard.json()["fields"]
    hear(worker, case, "plan")
    assert supervisor.post(url(case, f"plans/{plan_id}/approval/")).json()["status"] == "approved"
    assert move(worker, case, "implementation").status_code == 200
    assert move(worker, case, "review").status_code == 200

    solution = {"version": version(case), "solution": "local_integration", "views": VIEWS}
    chosen = worker.post(url(case, "durable-solution/"), solution, format="json")
    assert chosen.json()["durable_solution"] == "local_integration"
    assert move(worker, case, "durable_solution").status_code == 200

    hear(worker, case, "closure")
    assert move(worker, case, "closed", closure_reason="solution_reached").status_code == 400
    closed = move(supervisor, case, "closed", closure_reason="solution_reached")
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    assert closed.json()["allowed_transitions"] == ["follow_up"]

    history = worker.get(url(case, "history/")).json()
    transitions = [(h["before"], h["after"]) for h in history if h["kind"] == "transition"]
    assert transitions[0] == ({"status": "registered"}, {"status": "assessment"})
    assert transitions[-1][1] == {"status": "closed", "closure_reason": "solution_reached"}


@pytest.mark.django_db
def test_return_needs_an_approved_determination_by_three_with_checks(
    caseworker_a: User, supervisor_a: User
) -> None:
    case = register_case(caseworker_a)
    Case.objects.filter(pk=case.pk).update(status="review")
    worker = api_client_for(caseworker_a)
    worker.post(
        url(case, "durable-solution/"),
        {"version": version(case), "solution": "return", "views": VIEWS},
        format="json",
    )
    assert [r["code"] for r in move(worker, case, "durable_solution").json()["reasons"]] == [
        "determination_missing"
    ]
    two = {
        "decided_on": str(TODAY),
        "panel": [{"name": "Panel One"}, {"name": "Panel Two"}],
        "decision": "return",
        "reasons": "Family assessed as safe.",
    }
    short = worker.post(url(case, "determinations/"), two, format="json")
    assert short.status_code == 400
    assert "panel" in short.json()["fields"]
    three = {**two, "panel": [*two["panel"], {"name": "Panel Three", "role": "Guardian"}]}
    made = worker.post(url(case, "determinations/"), three, format="json").json()["id"]
    api_client_for(supervisor_a).post(url(case, f"determinations/{made}/approval/"))
    assert [r["code"] for r in move(worker, case, "durable_solution").json()["reasons"]] == [
        "return_checks_missing"
    ]
    checked = {**three, "risk_assessment_done": True, "non_refoulement_checked": True}
    made = worker.post(url(case, "determinations/"), checked, format="json").json()["id"]
    api_client_for(supervisor_a).post(url(case, f"determinations/{made}/approval/"))
    assert move(worker, case, "durable_solution").status_code == 200


@pytest.mark.django_db
def test_a_refused_move_changes_nothing(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    events, changes = AuditEvent.objects.count(), CaseChange.objects.count()

    assert move(api_client_for(caseworker_a), case, "closed").status_code == 400

    case.refresh_from_db()
    assert (case.status, case.version) == ("registered", 1)
    assert (AuditEvent.objects.count(), CaseChange.objects.count()) == (events, changes)


@pytest.mark.django_db
def test_a_stale_write_answers_409_with_what_changed(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    client = api_client_for(caseworker_a)
    first = client.patch(url(case), {"version": 1, "summary": "New facts."}, format="json")
    assert first.status_code == 200

    stale = client.patch(url(case), {"version": 1, "country_of_origin": "ET"}, format="json")

    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2
    assert body["changes_since"][0]["fields"] == ["summary"]
    assert body["changes_since"][0]["changed_by"] == str(caseworker_a.id)
    assert "New facts" not in stale.content.decode()  # names fields, never values
    assert Case.objects.get(pk=case.pk).country_of_origin == ""


@pytest.mark.django_db
def test_status_changes_only_through_transitions(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    response = api_client_for(caseworker_a).patch(
        url(case), {"version": 1, "status": "closed"}, format="json"
    )
    assert Case.objects.get(pk=case.pk).status == "registered"
    assert response.status_code == 200  # the unknown key is ignored, not applied


@pytest.mark.django_db
def test_invalid_input_names_the_field_and_stores_nothing(caseworker_a: User) -> None:
    client = api_client_for(caseworker_a)
    old = {
        "child": {"given_name": "Test", "date_of_birth": "1990-01-01"},
        "identified_on": str(TODAY),
    }
    response = client.post("/api/v1/cases/", old, format="json")
    assert response.status_code == 400
    assert "over 25" in response.json()["fields"]["date_of_birth"][0]
    bad_country = {
        "child": {"given_name": "Test"},
        "identified_on": str(TODAY),
        "country_of_origin": "XX",
    }
    response = client.post("/api/v1/cases/", bad_country, format="json")
    assert response.status_code == 400
    assert "country_of_origin" in response.json()["fields"]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_police_see_the_non_punishment_notice_and_the_coordinator_report(
    caseworker_a: User, make_user: Any, police_agency: Agency, coordination: Agency
) -> None:
    case = register_case(caseworker_a)
    police = make_user("law_enforcement", police_agency)
    consent = consent_record(
        user=caseworker_a,
        case=case,
        given_by="guardian",
        purpose="sharing",
        data_scope="Identity and justice contact",
        data_categories=["identity", "justice"],
        recipient_agency=police_agency,
        given_on=TODAY,
        expires_on=None,
        channel="api",
    )
    case_share(user=caseworker_a, case=case, agency=police_agency, consent=consent, channel="api")
    from safepath.cases.models import CaseAssignment

    CaseAssignment.objects.create(case=case, user=police, assigned_by=caseworker_a)
    contact = {"kind": "arrested", "occurred_on": str(TODAY), "authority": "Central station"}
    # the police agency holds the case to read it; the owning agency records the contact
    refused = api_client_for(police).post(url(case, "justice-contacts/"), contact, format="json")
    assert refused.status_code == 403
    assert api_client_for(police).get(url(case)).json()["alerts"] == []
    recorded = api_client_for(caseworker_a).post(
        url(case, "justice-contacts/"), contact, format="json"
    )
    assert recorded.status_code == 201

    seen = api_client_for(police).get(url(case)).json()
    assert seen["alerts"][0]["code"] == "non_punishment"
    file = api_client_for(police).get(url(case, "file/")).json()
    assert "justice_contacts" in file
    assert "notes" not in file
    assert file["withheld_categories"] == ["case_facts", "contact", "health", "notes", "plan"]

    coordinator = make_user("coordinator", coordination)
    report = api_client_for(coordinator).get("/api/v1/cases/non-punishment/").json()
    assert report == [
        {
            "reference": case.reference,
            "agency": case.owner_agency.name,
            "kind": "Arrested",
            "occurred_on": str(TODAY),
            "linked_to_exploitation": True,
        }
    ]
    assert api_client_for(caseworker_a).get("/api/v1/cases/non-punishment/").status_code == 404


# Every kind of contact, written out: a kind left out of the rule must fail here.
JUSTICE_KINDS = {
    "arrested": "Arrested",
    "charged": "Charged",
    "detained": "Detained",
    "prosecuted": "Prosecuted",
    "convicted": "Convicted",
    "immigration_detention": "In immigration detention",
}


@pytest.mark.django_db
def test_every_kind_of_justice_contact_raises_the_non_punishment_notice(
    caseworker_a: User, make_user: Any, coordination: Agency
) -> None:
    """Immigration detention too: a trafficked child held for an immigration offence is
    punished for what the trafficking made them do (ICAT non-punishment principle)."""
    worker = api_client_for(caseworker_a)
    cases = {}
    for kind in JUSTICE_KINDS:
        case = register_case(caseworker_a)
        contact = {"kind": kind, "occurred_on": str(TODAY)}
        assert (
            worker.post(url(case, "justice-contacts/"), contact, format="json").status_code == 201
        )
        assert [a["code"] for a in worker.get(url(case)).json()["alerts"]] == ["non_punishment"]
        cases[case.reference] = JUSTICE_KINDS[kind]
    coordinator = make_user("coordinator", coordination)
    report = api_client_for(coordinator).get("/api/v1/cases/non-punishment/").json()
    assert {row["reference"]: row["kind"] for row in report} == cases


@pytest.mark.django_db
def test_an_unaccompanied_child_without_a_guardian_raises_an_alert(caseworker_a: User) -> None:
    case = register_case(caseworker_a, identified_on=TODAY - datetime.timedelta(days=5))
    client = api_client_for(caseworker_a)
    client.patch(
        url(case), {"version": 1, "child": {"care_arrangement": "unaccompanied"}}, format="json"
    )
    assert [a["code"] for a in client.get(url(case)).json()["alerts"]] == ["guardian_overdue"]
    guardian = {"guardian_name": "G. Guardian", "appointed_on": str(TODAY)}
    assert client.post(url(case, "guardians/"), guardian, format="json").status_code == 201
    assert client.get(url(case)).json()["alerts"] == []


@pytest.mark.django_db
def test_turning_seventeen_asks_for_a_transition_plan_and_eighteen_for_aftercare_consent(
    caseworker_a: User,
) -> None:
    born = TODAY.replace(year=TODAY.year - 18) - datetime.timedelta(days=1)
    case = register_case(caseworker_a, date_of_birth=born, identified_on=TODAY)
    client = api_client_for(caseworker_a)
    alerts = [a["code"] for a in client.get(url(case)).json()["alerts"]]
    assert alerts == ["transition_plan_due", "aftercare_consent_needed"]
    assert [r["code"] for r in move(client, case, "assessment").json()["reasons"]] == [
        "aftercare_consent_missing"
    ]
    consent_record(
        user=caseworker_a,
        case=case,
        given_by="child",
        purpose="aftercare",
        data_scope="Aftercare",
        recipient_agency=case.owner_agency,
        given_on=TODAY,
        expires_on=None,
        channel="api",
    )
    assert move(client, case, "assessment").status_code == 200
    assert case.status == "registered"  # not closed on the birthday


@pytest.mark.django_db
def test_documents_are_type_checked_encrypted_and_downloaded(
    caseworker_a: User, settings: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = register_case(caseworker_a)
    client = api_client_for(caseworker_a)
    fake = SimpleUploadedFile("birth.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(
        url(case, "documents/"), {"title": "Birth", "file": fake}, format="multipart"
    )
    assert refused.status_code == 400
    assert "file" in refused.json()["fields"]
    pdf = b"%PDF-1.4\n% synthetic test document\n"
    good = SimpleUploadedFile("birth.pdf", pdf, content_type="application/pdf")
    created = client.post(
        url(case, "documents/"), {"title": "Birth", "file": good}, format="multipart"
    )
    assert created.status_code == 201
    stored = list((settings.DATA_DIR / "documents").rglob(f"{created.json()['id']}.sealed"))
    assert stored
    assert b"synthetic" not in stored[0].read_bytes()
    download = client.get(url(case, f"documents/{created.json()['id']}/"))
    assert download.content == pdf
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_views_need_an_understood_language_and_how_they_were_weighed(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    bad = {**VIEWS, "decision": "placement", "informed_language": "xx"}
    bad["informed_in_understandable_manner"] = False
    response = api_client_for(caseworker_a).post(url(case, "child-views/"), bad, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {
        "informed_language",
        "informed_in_understandable_manner",
    }
    assert ChildViews.objects.count() == 0


@pytest.mark.django_db
def test_other_agencies_get_404_and_change_nothing(caseworker_a: User, caseworker_b: User) -> None:
    case = register_case(caseworker_a)
    outsider = api_client_for(caseworker_b)
    for tail, body in [
        ("transitions/", {"version": 1, "target": "assessment"}),
        ("notes/", {"body": "x"}),
        ("child-views/", {**VIEWS, "decision": "plan"}),
        ("file/", None),
        ("history/", None),
    ]:
        response = (
            outsider.post(url(case, tail), body, format="json")
            if body
            else outsider.get(url(case, tail))
        )
        assert response.status_code == 404, tail
    assert Case.objects.get(pk=case.pk).version == 1
    assert not CaseShare.objects.exists()


@pytest.mark.django_db
def test_the_supervision_view_counts_caseloads_in_a_fixed_number_of_queries(
    caseworker_a: User, supervisor_a: User
) -> None:
    for _ in range(3):
        register_case(caseworker_a)
    client = api_client_for(supervisor_a)
    client.get("/api/v1/cases/supervision/")  # warm the token and session caches
    with CaptureQueriesContext(connection) as few:
        first = client.get("/api/v1/cases/supervision/").json()
    for _ in range(5):
        register_case(caseworker_a)
    with CaptureQueriesContext(connection) as more:
        client.get("/api/v1/cases/supervision/")
    assert len(more) == len(few)
    loads = {row["username"]: row["open_cases"] for row in first["caseloads"]}
    assert loads["caseworker.a"] == 3


@pytest.mark.django_db
def test_the_case_list_runs_a_fixed_number_of_queries(caseworker_a: User) -> None:
    client = api_client_for(caseworker_a)
    register_case(caseworker_a)
    client.get("/api/v1/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cases/")
    for _ in range(6):
        register_case(caseworker_a)
    with CaptureQueriesContext(connection) as more:
        client.get("/api/v1/cases/")
    assert len(more) == len(few)


@pytest.mark.django_db
def test_a_shared_agency_reads_only_the_categories_its_consent_covers(
    caseworker_a: User, make_user: Any, agency_b: Agency
) -> None:
    case = register_case(caseworker_a)
    supervisor_b = make_user("supervisor", agency_b)
    consent = consent_record(
        user=caseworker_a,
        case=case,
        given_by="parent",
        purpose="referral",
        data_scope="The trafficking facts only",
        data_categories=["case_facts"],
        child_assent=True,
        recipient_agency=agency_b,
        given_on=TODAY,
        expires_on=None,
        channel="api",
    )
    case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="api")
    client = api_client_for(supervisor_b)

    detail = client.get(url(case)).json()
    listed = client.get("/api/v1/cases/").json()["results"][0]

    for shown in (detail, listed):
        assert "given_name" not in shown["child"]
        assert "date_of_birth" not in shown["child"]
        assert shown["forms_of_exploitation"] == ["forced_labour"]
        assert "identity" in shown["withheld_categories"]
    assert "address" not in detail["child"]
    assert "Amina" not in str(client.get(url(case, "file/")).content)
    own = api_client_for(caseworker_a).get(url(case)).json()
    assert own["child"]["given_name"] == "Amina"
    assert "withheld_categories" not in own


@pytest.mark.django_db
def test_withdrawing_consent_ends_the_share_at_once(
    caseworker_a: User, make_user: Any, agency_b: Agency
) -> None:
    case = register_case(caseworker_a)
    supervisor_b = make_user("supervisor", agency_b)
    client = api_client_for(caseworker_a)
    body = {
        "given_by": "child",
        "purpose": "sharing",
        "data_scope": "Everything for psychosocial support",
        "recipient_agency": str(agency_b.id),
        "given_on": str(TODAY),
        "child_assent": True,
    }
    consent_id = client.post(url(case, "consents/"), body, format="json").json()["id"]
    client.post(
        url(case, "shares/"), {"agency": str(agency_b.id), "consent": consent_id}, format="json"
    )
    listed = client.get(url(case, "consents/")).json()
    assert listed[0]["data_categories"] == sorted(
        ["identity", "contact", "case_facts", "plan", "health", "justice", "notes"]
    )
    assert api_client_for(supervisor_b).get(url(case)).status_code == 200

    withdrawn = client.post(url(case, f"consents/{consent_id}/withdrawal/"))

    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_at"] is not None
    assert api_client_for(supervisor_b).get(url(case)).status_code == 404
    assert client.post(url(case, f"consents/{consent_id}/withdrawal/")).status_code == 409


@pytest.mark.django_db
def test_history_and_non_punishment_lists_run_a_fixed_number_of_queries(
    caseworker_a: User, make_user: Any, coordination: Agency
) -> None:
    case = register_case(caseworker_a)
    coordinator = make_user("coordinator", coordination)
    worker, national = api_client_for(caseworker_a), api_client_for(coordinator)
    contact = {"kind": "detained", "occurred_on": str(TODAY)}

    def queries(client: APIClient, path: str) -> int:
        client.get(path)
        with CaptureQueriesContext(connection) as seen:
            assert client.get(path).status_code == 200
        return len(seen)

    worker.post(url(case, "justice-contacts/"), contact, format="json")
    history, report = (
        queries(worker, url(case, "history/")),
        queries(national, "/api/v1/cases/non-punishment/"),
    )
    for _ in range(4):
        worker.post(url(case, "notes/"), {"body": "Synthetic note."}, format="json")
        other = register_case(caseworker_a)
        worker.post(url(other, "justice-contacts/"), contact, format="json")
    assert queries(worker, url(case, "history/")) == history
    assert queries(national, "/api/v1/cases/non-punishment/") == report
