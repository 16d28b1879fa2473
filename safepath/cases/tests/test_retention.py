"""Retention and erasure: periods as data, due from the day of closure, legal holds that stop
it, a child's own data kept while another case of the child is open, nothing of what was
erased kept in the record of it or the audit trail."""

from __future__ import annotations

import datetime
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent, Channel
from safepath.audit.selectors import audit_chain_verify
from safepath.cases import documents
from safepath.cases.models import (
    Case,
    CaseChange,
    CaseDocument,
    CaseErasure,
    CaseNote,
    Child,
    ChildNameKey,
    FamilyMember,
    JusticeContact,
    LegalHold,
)
from safepath.cases.retention import RetentionSettingError, categories_due, parse_periods
from safepath.cases.services import (
    case_update,
    document_upload,
    family_member_add,
    justice_contact_record,
    note_add,
)
from safepath.cases.services.erasure import legal_hold_place, legal_hold_release, retention_run
from safepath.cases.vocabulary import CaseStatus
from safepath.core.exceptions import ConflictError, PermissionDeniedError
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

ALL = "identity=30,contact=30,case_facts=30,plan=30,health=30,justice=30,notes=30"
PDF = b"%PDF-1.4\n% synthetic retention test document\n"
TODAY = datetime.date(2026, 6, 30)


# -- the rules, as a table -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("", {}),
        ("contact=365", {"contact": 365}),
        (" identity = 3650 , notes=1825,", {"identity": 3650, "notes": 1825}),
    ],
)
def test_periods_are_read_from_the_setting(text: str, periods: dict[str, int]) -> None:
    assert parse_periods(text) == periods


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("contact", "'contact' is not category=days"),
        ("names=30", "'names=30' is not category=days"),
        ("contact=0", "'contact=0': the days must be a whole number above 0"),
        ("contact=-5", "'contact=-5': the days must be"),
        ("contact=1y", "'contact=1y': the days must be"),
        ("notes=3,notes=4", "'notes' is given twice"),
    ],
)
def test_a_bad_setting_names_the_part_that_is_wrong(text: str, named: str) -> None:
    with pytest.raises(RetentionSettingError, match=named):
        parse_periods(text)


CLOSED = datetime.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("today", "closed_on", "erased", "held", "due"),
    [
        (CLOSED + timedelta(days=29), CLOSED, (), False, []),  # the day before
        (CLOSED + timedelta(days=30), CLOSED, (), False, ["contact", "notes"]),  # the day itself
        (CLOSED + timedelta(days=90), CLOSED, (), False, ["contact", "notes"]),
        (CLOSED + timedelta(days=90), CLOSED, ("notes",), False, ["contact"]),  # not twice
        (CLOSED + timedelta(days=90), CLOSED, (), True, []),  # a legal hold
        (CLOSED + timedelta(days=90), None, (), False, []),  # open again
        (CLOSED + timedelta(days=365), CLOSED, (), False, ["identity", "contact", "notes"]),
    ],
)
def test_which_categories_are_due(
    today: datetime.date,
    closed_on: datetime.date | None,
    erased: tuple[str, ...],
    held: bool,
    due: list[str],
) -> None:
    periods = {"contact": 30, "notes": 30, "identity": 365}
    assert (
        categories_due(closed_on=closed_on, today=today, periods=periods, erased=erased, held=held)
        == due
    )


# -- erasure on real records ---------------------------------------------------------------


def _full_case(user: User, **child: str) -> Case:
    case = register_case(user, **child)
    case_update(
        user=user,
        case=case,
        expected_version=case.version,
        changes={"address": "12 Synthetic Lane", "contact": "+000 555 0100"},
        channel=Channel.API,
    )
    note_add(user=user, case=case, body="Synthetic note about the visit.", channel=Channel.API)
    document_upload(
        user=user, case=case, title="Birth record", filename="b.pdf", content=PDF, channel="api"
    )
    family_member_add(
        user=user, case=case, relation="aunt", name="Zawadi Testaunt", channel=Channel.API
    )
    justice_contact_record(
        user=user,
        case=case,
        kind="detained",
        occurred_on=timezone.localdate(),
        details="Synthetic statement details.",
        channel=Channel.API,
    )
    return Case.objects.get(pk=case.pk)


def _close(case: Case, days_ago: int) -> None:
    """Closed that many days before TODAY (the lifecycle's own tests cover how cases close)."""
    closed_at = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12)))
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, status_changed_at=closed_at - timedelta(days=days_ago)
    )


@pytest.mark.django_db
@override_settings(RETENTION_PERIODS=ALL)
def test_a_closed_case_past_its_periods_is_erased_and_nothing_erased_is_kept(
    caseworker_a: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    case = _full_case(caseworker_a, given_name="Nyokabi", family_name="Erasetest")
    document = CaseDocument.objects.get(case=case)
    assert documents._path(document.id).exists()
    assert ChildNameKey.objects.filter(child_id=case.child_id).exists()
    _close(case, days_ago=31)

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_run(today=TODAY)

    assert [row["reference"] for row in report.erased] == [case.reference]
    child = Child.objects.get(pk=case.child_id)
    assert (child.given_name, child.family_name, child.date_of_birth) == ("", "", None)
    assert (child.given_name_index, child.family_name_index) == ("", "")
    assert not ChildNameKey.objects.filter(child_id=case.child_id).exists()  # search keys too
    assert (child.address, child.contact) == ("", "")
    # What statistics need stays.
    assert (child.sex, child.nationality, child.age_at_identification) == ("female", "KE", 14)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.summary == ""
    assert fresh.forms_of_exploitation == ["forced_labour"]
    assert fresh.status == CaseStatus.CLOSED
    assert not CaseNote.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case).exists()
    assert not documents._path(document.id).exists()
    assert FamilyMember.objects.get(case=case).name == ""
    assert JusticeContact.objects.get(case=case).details == ""
    changes = CaseChange.objects.filter(case=case)
    assert changes.exists()
    assert all(c.before == {} and c.after == {} for c in changes)
    assert {e.category for e in CaseErasure.objects.filter(case=case)} == set(parse_periods(ALL))

    event = AuditEvent.objects.filter(action="delete", object_id=str(case.id)).get()
    assert event.purpose == "retention"
    trail = json.dumps(list(AuditEvent.objects.values("details")))
    record = json.dumps(list(CaseErasure.objects.values("counts")))
    for value in ("Nyokabi", "Erasetest", "Synthetic Lane", "Zawadi", "Synthetic note"):
        assert value not in trail
        assert value not in record
    assert audit_chain_verify().intact

    again = retention_run(today=TODAY + timedelta(days=400))
    assert again.erased == []
    assert AuditEvent.objects.filter(action="delete", object_id=str(case.id)).count() == 1


@pytest.mark.django_db
@override_settings(RETENTION_PERIODS="notes=30,identity=60")
def test_each_category_waits_for_its_own_period(caseworker_a: User) -> None:
    case = _full_case(caseworker_a)
    _close(case, days_ago=45)
    retention_run(today=TODAY)
    assert not CaseNote.objects.filter(case=case).exists()
    assert Child.objects.get(pk=case.child_id).given_name == "Amina"  # 45 < 60 days
    assert Child.objects.get(pk=case.child_id).address == "12 Synthetic Lane"  # no period
    retention_run(today=TODAY + timedelta(days=15))
    assert Child.objects.get(pk=case.child_id).given_name == ""
    assert Child.objects.get(pk=case.child_id).address == "12 Synthetic Lane"


@pytest.mark.django_db
@override_settings(RETENTION_PERIODS=ALL)
def test_nothing_is_erased_before_the_period_or_from_an_open_case(caseworker_a: User) -> None:
    recent = _full_case(caseworker_a)
    _close(recent, days_ago=29)
    reopened = _full_case(caseworker_a, given_name="Baraka")
    _close(reopened, days_ago=300)
    Case.objects.filter(pk=reopened.pk).update(status=CaseStatus.FOLLOW_UP)
    open_case = _full_case(caseworker_a, given_name="Chausiku")

    assert retention_run(today=TODAY).erased == []
    assert CaseNote.objects.count() == 3
    assert not CaseErasure.objects.exists()
    assert sorted(Child.objects.values_list("given_name", flat=True)) == [
        "Amina",
        "Baraka",
        "Chausiku",
    ]
    assert open_case.status != CaseStatus.CLOSED


@pytest.mark.django_db
@override_settings(RETENTION_PERIODS=ALL)
def test_a_dry_run_says_what_is_due_and_changes_nothing(caseworker_a: User) -> None:
    case = _full_case(caseworker_a)
    _close(case, days_ago=31)
    before = AuditEvent.objects.count()
    report = retention_run(today=TODAY, dry_run=True)
    assert report.erased[0]["reference"] == case.reference
    assert set(report.erased[0]["categories"]) == set(parse_periods(ALL))
    assert Child.objects.get(pk=case.child_id).given_name == "Amina"
    assert CaseNote.objects.filter(case=case).exists()
    assert not CaseErasure.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
@override_settings(RETENTION_PERIODS="")
def test_without_periods_nothing_is_erased(caseworker_a: User) -> None:
    case = _full_case(caseworker_a)
    _close(case, days_ago=10_000)
    assert retention_run(today=TODAY).erased == []
    assert Child.objects.get(pk=case.child_id).given_name == "Amina"


@pytest.mark.django_db
@override_settings(RETENTION_PERIODS=ALL)
def test_a_legal_hold_keeps_everything_until_it_is_released(
    caseworker_a: User, supervisor_a: User
) -> None:
    case = _full_case(caseworker_a)
    _close(case, days_ago=31)
    hold = legal_hold_place(
        user=supervisor_a, case=case, reason="Trial of the recruiter pending", channel="api"
    )
    report = retention_run(today=TODAY)
    assert (report.erased, report.held) == ([], 1)
    assert Child.objects.get(pk=case.child_id).given_name == "Amina"
    assert CaseNote.objects.filter(case=case).exists()

    legal_hold_release(user=supervisor_a, hold=hold, channel="api")
    with pytest.raises(ConflictError):
        legal_hold_release(user=supervisor_a, hold=hold, channel="api")
    assert retention_run(today=TODAY).erased[0]["reference"] == case.reference
    assert Child.objects.get(pk=case.child_id).given_name == ""


@pytest.mark.django_db
@override_settings(RETENTION_PERIODS=ALL)
def test_a_childs_own_data_waits_while_another_case_of_the_child_is_kept(
    caseworker_a: User, supervisor_a: User
) -> None:
    first = _full_case(caseworker_a)
    second = register_case(caseworker_a, given_name="Other")
    Case.objects.filter(pk=second.pk).update(child=first.child_id)  # the same child, twice
    _close(first, days_ago=31)

    report = retention_run(today=TODAY)
    assert report.waiting == 3  # identity, contact, health
    assert not CaseNote.objects.filter(case=first).exists()  # the case's own notes went
    assert Child.objects.get(pk=first.child_id).given_name == "Amina"
    assert Child.objects.get(pk=first.child_id).address == "12 Synthetic Lane"

    _close(second, days_ago=31)
    legal_hold_place(user=supervisor_a, case=second, reason="Appeal", channel="api")
    retention_run(today=TODAY)
    assert Child.objects.get(pk=first.child_id).given_name == "Amina"  # held through the other

    LegalHold.objects.update(released_at=timezone.now(), released_by=supervisor_a)
    retention_run(today=TODAY)
    assert Child.objects.get(pk=first.child_id).given_name == ""
    assert CaseErasure.objects.filter(category="identity").count() == 2


@pytest.mark.django_db
def test_only_a_supervisor_of_the_owning_agency_holds_a_case(
    caseworker_a: User,
    supervisor_a: User,
    make_user,
    agency_b,  # type: ignore[no-untyped-def]
) -> None:
    case = register_case(caseworker_a)
    other = make_user("supervisor", agency_b, "supervisor.other")
    for user in (caseworker_a, other):
        with pytest.raises(PermissionDeniedError):
            legal_hold_place(user=user, case=case, reason="Proceedings", channel="api")
    assert not LegalHold.objects.exists()
    assert not AuditEvent.objects.filter(object_type="legal_hold").exists()


# -- API and command line ------------------------------------------------------------------


@pytest.mark.django_db
def test_legal_holds_through_the_api(
    caseworker_a: User,
    supervisor_a: User,
    make_user,
    agency_b,  # type: ignore[no-untyped-def]
) -> None:
    supervisor_b = make_user("supervisor", agency_b, "supervisor.b")
    case = register_case(caseworker_a)
    url = f"/api/v1/cases/{case.id}/legal-holds/"
    assert (
        api_client_for(caseworker_a).post(url, {"reason": "Proceedings"}, format="json").status_code
        == 403
    )
    other = api_client_for(supervisor_b)
    assert other.post(url, {"reason": "Proceedings"}, format="json").status_code == 404
    assert other.get(url).status_code == 404
    assert not LegalHold.objects.exists()

    client = api_client_for(supervisor_a)
    assert client.post(url, {"reason": "   "}, format="json").status_code == 400
    placed = client.post(url, {"reason": "Proceedings against the recruiter"}, format="json")
    assert placed.status_code == 201
    hold_id = placed.json()["id"]
    listed = client.get(url).json()
    assert [h["id"] for h in listed["legal_holds"]] == [hold_id]
    assert listed["legal_holds"][0]["released_at"] is None
    assert listed["erasures"] == []
    release = f"{url}{hold_id}/release/"
    assert client.post(release).status_code == 200
    assert client.post(release).status_code == 409
    assert LegalHold.objects.get().released_by == supervisor_a


@pytest.mark.django_db
def test_the_command_line(caseworker_a: User, supervisor_a: User) -> None:
    case = register_case(caseworker_a)
    out = io.StringIO()
    with override_settings(RETENTION_PERIODS=""):
        call_command("retention", "run", stdout=out)
    assert "No retention period is set" in out.getvalue()

    out = io.StringIO()
    call_command(
        "retention",
        "hold",
        case.reference,
        "--user",
        "supervisor.a",
        "--reason",
        "Inquiry",
        "--format",
        "json",
        stdout=out,
    )
    hold_id = json.loads(out.getvalue())["hold"]
    assert LegalHold.objects.get(pk=hold_id).released_at is None
    err = io.StringIO()
    with pytest.raises(SystemExit) as refused:
        call_command("retention", "hold", case.reference, "--user", "caseworker.a",
                     "--reason", "x", stderr=err)  # fmt: skip
    assert refused.value.code == 2
    assert LegalHold.objects.count() == 1
    call_command("retention", "release", hold_id, "--user", "supervisor.a", stdout=io.StringIO())
    assert LegalHold.objects.get(pk=hold_id).released_at is not None

    with override_settings(RETENTION_PERIODS="contacts=30"), pytest.raises(SystemExit) as bad:
        call_command("retention", "run", stderr=err)
    assert bad.value.code == 2
    assert "'contacts=30' is not category=days" in err.getvalue()
