"""The case workflow's pages through Django's client: each form's success, its refusal in words,
access (404 for others, nothing changed) and the stale-version message."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent, Channel
from safepath.cases import services
from safepath.cases.models import (
    BestInterestsAssessment,
    BestInterestsDetermination,
    Case,
    CaseDocument,
    CaseNote,
    CasePlan,
    CaseTask,
    ChildViews,
    JusticeContact,
    PlanStatus,
)
from safepath.cases.vocabulary import CaseStatus
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n% synthetic test document\n"

VIEWS = {
    "views": "I want to stay at school here.",
    "informed_language": "sw",
    "informed_in_understandable_manner": "on",
    "weight_given": "Her wish to stay in school decided the plan.",
    "heard_on": str(TODAY),
}


def prefixed(action: str, data: dict[str, Any]) -> dict[str, Any]:
    return {f"{action}-{name}": value for name, value in data.items()}


def post(client: Client, case: Case, action: str, data: dict[str, Any], target: Any = None) -> Any:
    url = f"/cases/{case.id}/do/{action}/" + (f"{target}/" if target else "")
    return client.post(url, prefixed(action, data))


def views_input() -> services.ChildViewsInput:
    return services.ChildViewsInput(
        views="Synthetic views.",
        informed_language="sw",
        informed_in_understandable_manner=True,
        weight_given="Weighed fully.",
        heard_on=TODAY,
    )


def moved(case: Case, user: User, *targets: str, reason: str = "") -> Case:
    for target in targets:
        case = services.case_transition(
            user=user,
            case=case,
            expected_version=Case.objects.get(pk=case.pk).version,
            target=target,
            closure_reason=reason,
            channel=Channel.API,
        )
    return case


def assessed(case: Case, user: User) -> None:
    services.assessment_record(
        user=user,
        case=case,
        kind="short",
        assessed_on=TODAY,
        findings="Synthetic findings.",
        recommendation="",
        channel=Channel.API,
    )


@pytest.fixture
def case(caseworker_a: User) -> Case:
    return register_case(caseworker_a)


@pytest.fixture
def police_a(make_user: Callable[..., User], agency_a: Agency) -> User:
    return make_user(Role.LAW_ENFORCEMENT, agency_a, "officer.a")


# --- the pages ---


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "procedure/", "plan/", "care/", "history/"])
def test_each_case_page_opens_for_the_worker_and_is_not_found_for_others(
    case: Case, caseworker_a: User, caseworker_b: User, page: str
) -> None:
    mine = web_client_for(caseworker_a).get(f"/cases/{case.id}/{page}")
    assert mine.status_code == 200
    assert case.reference in mine.content.decode()
    assert web_client_for(caseworker_b).get(f"/cases/{case.id}/{page}").status_code == 404


@pytest.mark.django_db
def test_another_agency_cannot_post_any_form_and_nothing_changes(
    case: Case, caseworker_b: User
) -> None:
    client = web_client_for(caseworker_b)
    before = Case.objects.get(pk=case.pk).version
    assert post(client, case, "note", {"body": "Intruding."}).status_code == 404
    assert (
        post(client, case, "move", {"version": before, "target": "assessment"}).status_code == 404
    )
    assert CaseNote.objects.count() == 0
    assert Case.objects.get(pk=case.pk).version == before
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED


@pytest.mark.django_db
def test_an_unknown_action_or_item_is_not_found(case: Case, caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    assert post(client, case, "explode", {}).status_code == 404
    other = register_case(caseworker_a)
    plan = services.plan_create(user=caseworker_a, case=other, goals=["x"], channel=Channel.API)
    assert post(client, case, "submit-plan", {}, target=plan.id).status_code == 404
    assert CasePlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


# --- the stage ---


@pytest.mark.django_db
def test_move_form_lists_the_allowed_targets_and_moves(case: Case, caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    html = client.get(f"/cases/{case.id}/").content.decode()
    assert 'value="assessment"' in html
    assert 'value="implementation"' not in html
    response = post(client, case, "move", {"version": case.version, "target": "assessment"})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.id}/#stage"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ASSESSMENT


@pytest.mark.django_db
def test_a_refused_move_says_every_reason_in_words(case: Case, caseworker_a: User) -> None:
    case = moved(case, caseworker_a, CaseStatus.ASSESSMENT)
    client = web_client_for(caseworker_a)
    response = post(client, case, "move", {"version": case.version, "target": "case_plan"})
    assert response.status_code == 400
    assert "Record a best-interests assessment" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ASSESSMENT

    closing = post(client, case, "move", {"version": case.version, "target": "closed"})
    html = closing.content.decode()
    assert "Only a supervisor closes a case." in html
    assert "Give the reason for closure." in html
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ASSESSMENT


@pytest.mark.django_db
def test_a_stale_version_asks_to_reload_and_changes_nothing(case: Case, caseworker_a: User) -> None:
    stale = case.version
    moved(case, caseworker_a, CaseStatus.URGENT_PROTECTION)
    response = post(
        web_client_for(caseworker_a), case, "move", {"version": stale, "target": "assessment"}
    )
    assert response.status_code == 409
    assert "Reload it, then make your change again." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.URGENT_PROTECTION


# --- the child's views ---


@pytest.mark.django_db
def test_childs_views_are_recorded_and_shown(case: Case, caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    response = post(client, case, "views", {"decision": "plan", **VIEWS})
    assert response.status_code == 302
    assert ChildViews.objects.get().decision == "plan"
    assert "I want to stay at school here." in client.get(f"/cases/{case.id}/").content.decode()


@pytest.mark.django_db
def test_childs_views_refusals_are_next_to_their_fields(case: Case, caseworker_a: User) -> None:
    data = {**VIEWS, "decision": "plan", "views": "", "informed_language": "zz9"}
    data.pop("informed_in_understandable_manner")
    response = post(web_client_for(caseworker_a), case, "views", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_views-views_error"' in html
    assert 'id="id_views-informed_language_error"' in html
    assert 'id="id_views-informed_in_understandable_manner_error"' in html
    assert ChildViews.objects.count() == 0


# --- the best-interests procedure ---


@pytest.mark.django_db
def test_assessment_is_recorded_and_a_future_date_refused(case: Case, caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    data = {"kind": "short", "assessed_on": str(TODAY), "findings": "Safe at the shelter."}
    assert post(client, case, "assessment", data).status_code == 302
    future = post(
        client, case, "assessment", {**data, "assessed_on": str(TODAY + datetime.timedelta(3))}
    )
    assert future.status_code == 400
    assert 'id="id_assessment-assessed_on_error"' in future.content.decode()
    assert BestInterestsAssessment.objects.count() == 1
    assert "Safe at the shelter." in client.get(f"/cases/{case.id}/procedure/").content.decode()


def panel(n: int) -> dict[str, str]:
    rows = {}
    for row in range(1, n + 1):
        rows[f"member_{row}_name"] = f"Member {row}"
        rows[f"member_{row}_role"] = "Social worker"
    return rows


@pytest.mark.django_db
def test_determination_needs_three_members_and_a_supervisor_approves(
    case: Case, caseworker_a: User, supervisor_a: User
) -> None:
    client = web_client_for(caseworker_a)
    data = {
        "decided_on": str(TODAY),
        "decision": "return",
        "reasons": "Family traced and assessed safe.",
        "risk_assessment_done": "on",
        "non_refoulement_checked": "on",
    }
    short = post(client, case, "determination", {**data, **panel(2)})
    assert short.status_code == 400
    assert "at least 3 named members" in short.content.decode()
    assert BestInterestsDetermination.objects.count() == 0

    assert post(client, case, "determination", {**data, **panel(3)}).status_code == 302
    determination = BestInterestsDetermination.objects.get()
    assert [m["name"] for m in determination.panel] == ["Member 1", "Member 2", "Member 3"]

    denied = post(client, case, "approve-determination", {}, target=determination.id)
    assert denied.status_code == 403
    assert "Only a supervisor approves a determination." in denied.content.decode()
    assert BestInterestsDetermination.objects.get().approved_at is None

    page = web_client_for(supervisor_a).get(f"/cases/{case.id}/procedure/").content.decode()
    assert "Approve the determination" in page
    approved = post(
        web_client_for(supervisor_a), case, "approve-determination", {}, target=determination.id
    )
    assert approved.status_code == 302
    assert BestInterestsDetermination.objects.get().approved_by == supervisor_a


@pytest.mark.django_db
def test_solution_and_placement_are_chosen_with_the_childs_views(
    case: Case, caseworker_a: User
) -> None:
    client = web_client_for(caseworker_a)
    solution = post(
        client,
        case,
        "solution",
        {"version": case.version, "solution": "local_integration", **VIEWS},
    )
    assert solution.status_code == 302
    case.refresh_from_db()
    assert case.durable_solution == "local_integration"
    placement = post(
        client,
        case,
        "placement",
        {"version": case.version, "placement": "foster", "location": "Town A", **VIEWS},
    )
    assert placement.status_code == 302
    case.refresh_from_db()
    assert case.placement == "foster"
    decisions = sorted(ChildViews.objects.values_list("decision", flat=True))
    assert decisions == ["durable_solution", "placement"]


@pytest.mark.django_db
def test_solution_without_views_and_with_a_stale_version_is_refused(
    case: Case, caseworker_a: User
) -> None:
    client = web_client_for(caseworker_a)
    no_views = post(
        client,
        case,
        "solution",
        {"version": case.version, "solution": "local_integration", **VIEWS, "weight_given": ""},
    )
    assert no_views.status_code == 400
    assert 'id="id_solution-weight_given_error"' in no_views.content.decode()
    stale = post(
        client,
        case,
        "placement",
        {"version": case.version - 1 or 99, "placement": "foster", **VIEWS},
    )
    assert stale.status_code == 409
    assert "Someone else saved this case" in stale.content.decode()
    case.refresh_from_db()
    assert (case.durable_solution, case.placement) == ("", "none")
    assert ChildViews.objects.count() == 0


# --- plans, tasks, reviews, notes, documents ---


@pytest.mark.django_db
def test_plan_is_written_submitted_and_approved_only_after_the_child_is_heard(
    case: Case, caseworker_a: User, supervisor_a: User
) -> None:
    worker, supervisor = web_client_for(caseworker_a), web_client_for(supervisor_a)
    assert post(worker, case, "plan", {"goals": "School\n\nHealth care\n"}).status_code == 302
    plan = CasePlan.objects.get()
    assert plan.goals == ["School", "Health care"]
    assert post(worker, case, "submit-plan", {}, target=plan.id).status_code == 302
    assert post(worker, case, "approve-plan", {}, target=plan.id).status_code == 403

    unheard = post(supervisor, case, "approve-plan", {}, target=plan.id)
    assert unheard.status_code == 400
    assert "Record the child&#x27;s views on this plan" in unheard.content.decode()
    assert CasePlan.objects.get().status == PlanStatus.SUBMITTED

    assert post(worker, case, "views", {"decision": "plan", **VIEWS}).status_code == 302
    assert post(supervisor, case, "approve-plan", {}, target=plan.id).status_code == 302
    assert CasePlan.objects.get().status == PlanStatus.APPROVED
    again = post(worker, case, "submit-plan", {}, target=plan.id)
    assert again.status_code == 409
    assert "Only a draft plan" in again.content.decode()


@pytest.mark.django_db
def test_empty_plan_is_refused_next_to_the_goals(case: Case, caseworker_a: User) -> None:
    response = post(web_client_for(caseworker_a), case, "plan", {"goals": "  \n "})
    assert response.status_code == 400
    assert 'id="id_plan-goals_error"' in response.content.decode()
    assert CasePlan.objects.count() == 0


@pytest.mark.django_db
def test_task_is_added_and_completed(case: Case, caseworker_a: User, caseworker_b: User) -> None:
    client = web_client_for(caseworker_a)
    outsider = post(
        client, case, "task", {"title": "Visit", "due_on": str(TODAY), "owner": caseworker_b.pk}
    )
    assert outsider.status_code == 400
    assert 'id="id_task-owner_error"' in outsider.content.decode()
    added = post(
        client, case, "task", {"title": "Visit", "due_on": str(TODAY), "owner": caseworker_a.pk}
    )
    assert added.status_code == 302
    task = CaseTask.objects.get()
    assert post(client, case, "complete-task", {}, target=task.id).status_code == 302
    assert CaseTask.objects.get().done_at is not None


@pytest.mark.django_db
def test_review_and_note_are_recorded(case: Case, caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    bad = post(
        client,
        case,
        "review",
        {"reviewed_on": str(TODAY), "summary": "Stable.", "next_review_on": str(TODAY)},
    )
    assert bad.status_code == 400
    assert "The next review comes after this one." in bad.content.decode()
    good = post(
        client,
        case,
        "review",
        {
            "reviewed_on": str(TODAY),
            "summary": "Stable.",
            "next_review_on": str(TODAY + datetime.timedelta(30)),
        },
    )
    assert good.status_code == 302
    assert post(client, case, "note", {"body": "Called the school."}).status_code == 302
    html = client.get(f"/cases/{case.id}/plan/").content.decode()
    assert "Stable." in html
    assert "Called the school." in html


@pytest.mark.django_db
def test_document_is_uploaded_and_downloaded_as_an_audited_attachment(
    case: Case, caseworker_a: User, caseworker_b: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = web_client_for(caseworker_a)
    wrong = client.post(
        f"/cases/{case.id}/do/document/",
        {"document-title": "Notes", "document-file": SimpleUploadedFile("x.txt", b"hello")},
    )
    assert wrong.status_code == 400
    assert 'id="id_document-file_error"' in wrong.content.decode()
    assert CaseDocument.objects.count() == 0

    uploaded = client.post(
        f"/cases/{case.id}/do/document/",
        {"document-title": "Birth record", "document-file": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert uploaded.status_code == 302
    document = CaseDocument.objects.get()
    assert 'enctype="multipart/form-data"' in client.get(f"/cases/{case.id}/plan/").content.decode()

    before = AuditEvent.objects.count()
    download = client.get(f"/cases/{case.id}/documents/{document.id}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="b.pdf"'
    assert download.content == PDF
    reads = AuditEvent.objects.filter(seq__gt=before, action="read")
    assert set(reads.values_list("object_type", flat=True)) == {"case", "case_document"}
    url = f"/cases/{case.id}/documents/{document.id}/"
    assert web_client_for(caseworker_b).get(url).status_code == 404


# --- care and protection ---


@pytest.mark.django_db
def test_justice_contact_raises_the_notice_that_police_see_until_resolved(
    case: Case, caseworker_a: User, supervisor_a: User, police_a: User
) -> None:
    services.case_assign(user=supervisor_a, case=case, assignee=police_a, channel=Channel.API)
    police = web_client_for(police_a)
    recorded = post(
        police, case, "justice", {"kind": "arrested", "occurred_on": str(TODAY), "details": "x"}
    )
    assert recorded.status_code == 302
    html = police.get(f"/cases/{case.id}/").content.decode()
    assert 'role="alert" data-testid="alert-non_punishment"' in html
    assert "Non-punishment" in html

    contact = JusticeContact.objects.get()
    worker = web_client_for(caseworker_a)
    early = post(
        worker,
        case,
        "resolve-justice",
        {"resolved_on": str(TODAY - datetime.timedelta(2))},
        target=contact.id,
    )
    assert early.status_code == 400
    assert "It cannot be resolved before it happened." in early.content.decode()
    done = post(worker, case, "resolve-justice", {"resolved_on": str(TODAY)}, target=contact.id)
    assert done.status_code == 302
    assert "alert-non_punishment" not in police.get(f"/cases/{case.id}/").content.decode()


@pytest.mark.django_db
def test_care_forms_record_guardian_transition_age_and_family(
    case: Case, caseworker_a: User
) -> None:
    client = web_client_for(caseworker_a)
    today = str(TODAY)
    assert (
        post(client, case, "guardian", {"guardian_name": "G. Guardian", "appointed_on": today})
    ).status_code == 302
    transition = {"agreed_on": today, "content": "Vocational training.", "aftercare_wanted": "on"}
    assert post(client, case, "transition-plan", transition).status_code == 302
    bad_age = {"method": "interview", "assessed_on": today, "minimum_age": 16, "maximum_age": 14}
    refused = post(client, case, "age", bad_age)
    assert refused.status_code == 400
    assert 'id="id_age-maximum_age_error"' in refused.content.decode()
    good_age = {**bad_age, "maximum_age": 17, "disputed": "on"}
    assert post(client, case, "age", good_age).status_code == 302
    member = {"relation": "aunt", "name": "Aunt Synthetic", "tracing_requested": "on"}
    assert post(client, case, "family", member).status_code == 302
    html = client.get(f"/cases/{case.id}/care/").content.decode()
    for shown in ("G. Guardian", "Vocational training.", "Aunt Synthetic", "disputed"):
        assert shown in html


# --- history, supervision, non-punishment report ---


@pytest.mark.django_db
def test_history_lists_each_change_with_before_and_after(
    case: Case, caseworker_a: User, caseworker_b: User
) -> None:
    moved(case, caseworker_a, CaseStatus.ASSESSMENT)
    before = Case.objects.get(pk=case.pk).version
    html = web_client_for(caseworker_a).get(f"/cases/{case.id}/history/").content.decode()
    assert "The case moved to another stage" in html
    assert "<strong>Stage</strong>: Registered → Assessment" in html
    assert f'<td data-label="Version">{before}</td>' in html
    assert web_client_for(caseworker_b).get(f"/cases/{case.id}/history/").status_code == 404


@pytest.mark.django_db
def test_supervision_page_is_for_supervisors_and_shows_waiting_approvals(
    case: Case, caseworker_a: User, supervisor_a: User
) -> None:
    plan = services.plan_create(user=caseworker_a, case=case, goals=["x"], channel=Channel.API)
    services.plan_submit(user=caseworker_a, plan=plan, channel=Channel.API)
    services.task_create(
        user=caseworker_a,
        case=case,
        title="Late",
        due_on=TODAY - datetime.timedelta(1),
        owner=caseworker_a,
        channel=Channel.API,
    )
    supervisor = web_client_for(supervisor_a)
    assert "/cases/supervision/" in supervisor.get("/cases/").content.decode()
    html = supervisor.get("/cases/supervision/").content.decode()
    assert html.count('data-testid="approval"') == 1
    assert html.count('data-testid="overdue"') == 1
    assert case.reference in html
    assert web_client_for(caseworker_a).get("/cases/supervision/").status_code == 404
    assert "/cases/supervision/" not in web_client_for(caseworker_a).get("/cases/").content.decode()


@pytest.mark.django_db
def test_non_punishment_report_is_for_the_coordinator_by_reference_only(
    case: Case, caseworker_a: User, make_user: Callable[..., User], coordination: Agency
) -> None:
    services.justice_contact_record(
        user=caseworker_a, case=case, kind="detained", occurred_on=TODAY, channel=Channel.API
    )
    coordinator = make_user(Role.COORDINATOR, coordination)
    html = web_client_for(coordinator).get("/cases/non-punishment/").content.decode()
    assert case.reference in html
    assert case.child.given_name not in html
    assert web_client_for(caseworker_a).get("/cases/non-punishment/").status_code == 404


@pytest.mark.django_db
def test_a_shared_agency_sees_only_what_the_consent_covers_on_the_pages(
    caseworker_a: User, make_user: Any, agency_b: Any
) -> None:
    from safepath.cases.services import case_share, consent_record

    case = register_case(caseworker_a)
    supervisor_b = make_user("supervisor", agency_b)
    consent = consent_record(
        user=caseworker_a,
        case=case,
        given_by="parent",
        purpose="referral",
        data_scope="Trafficking facts only",
        data_categories=["case_facts"],
        recipient_agency=agency_b,
        given_on=timezone.localdate(),
        expires_on=None,
        channel="web",
    )
    case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="web")
    client = web_client_for(supervisor_b)

    listing = client.get("/cases/").content.decode()
    overview = client.get(f"/cases/{case.id}/").content.decode()

    assert case.reference in listing
    assert "Amina" not in listing
    assert "Amina" not in overview
    assert "withheld: not covered by the consent" in listing
    assert "does not cover" in overview
    assert "Forced labour" in overview  # the facts the consent covers
    assert "Amina" in web_client_for(caseworker_a).get(f"/cases/{case.id}/").content.decode()


@pytest.mark.django_db
def test_the_record_is_changed_on_the_page_and_a_stale_form_is_refused(caseworker_a: User) -> None:
    from safepath.cases.forms import CaseEditForm

    case = register_case(caseworker_a)
    client = web_client_for(caseworker_a)
    form = CaseEditForm.initial_for(case)
    form.update(
        {
            "given_name": "Amina",
            "languages": "sw, ar",
            "care_arrangement": "separated",
            "country_of_origin": "ET",
            "countries_of_transit": ["SD", "EG"],
            "means_of_control": ["debt_bondage"],
            "forms_of_exploitation": ["forced_labour"],
            "date_of_birth": "2012-05-17",
            "identified_on": str(TODAY),
        }
    )
    form = {k: v for k, v in form.items() if v not in (None, False)}

    saved = post(client, case, "edit", form)

    assert saved.status_code == 302
    case.refresh_from_db()
    assert case.version == 2
    assert case.child.languages == ["ar", "sw"]
    assert case.child.care_arrangement == "separated"
    assert case.countries_of_transit == ["SD", "EG"]
    assert case.means_of_control == ["debt_bondage"]
    stale = post(client, case, "edit", {**form, "given_name": "Changed"})  # version 1 again
    assert stale.status_code == 409
    case.refresh_from_db()
    assert case.child.given_name == "Amina"
    bad = post(client, case, "edit", {**form, "version": 2, "languages": "zz9"})
    assert bad.status_code == 400
    assert "zz9 is not a language we know: give its name or ISO 639 code." in bad.content.decode()
