"""The de-identified extract and its refresh into the analysis store."""

from __future__ import annotations

import datetime
import json

import pyarrow as pa
import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case, Child
from safepath.evidence.extract import (
    DIMENSIONS,
    age_broad,
    age_group_glotip,
    case_batches,
    cases_extract,
    exploitation_codes,
)
from safepath.evidence.selectors import analysis_store
from safepath.evidence.tasks import refresh_analysis_store
from safepath.referrals.models import Referral
from safepath.testing.factories import register_case
from safepath.testing.fixtures import call_cli

pytestmark = pytest.mark.django_db


def _arrow_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def test_the_extract_has_exactly_the_statistical_columns(caseworker_a: User) -> None:
    register_case(caseworker_a)
    assert tuple(cases_extract().column_names) == DIMENSIONS


def test_no_name_date_or_reference_reaches_the_arrow_bytes(caseworker_a: User) -> None:
    case = register_case(
        caseworker_a,
        given_name="Wanjirunique",
        family_name="Kamaufamily",
        date_of_birth=datetime.date(2011, 7, 23),
        identified_on=datetime.date(2024, 9, 14),
    )
    raw = _arrow_bytes(cases_extract())
    for secret in ("Wanjirunique", "Kamaufamily", case.reference, str(case.id), "2011-07-23"):
        assert secret.encode() not in raw
    assert b"2024-09-14" not in raw
    assert b"2024" in raw  # the year is kept, the date is not


def test_a_case_becomes_one_row_of_categories(caseworker_a: User) -> None:
    register_case(
        caseworker_a,
        sex="male",
        date_of_birth=datetime.date(2010, 3, 1),
        identified_on=datetime.date(2025, 2, 28),
        nationality="UG",
        forms_of_exploitation=["sexual_exploitation", "begging", "begging"],
    )
    Case.objects.update(country_of_exploitation="KE")
    [row] = cases_extract().to_pylist()
    assert row == {
        "age_group_glotip": "0-17",
        "age_broad": "9--17",
        "sex": "male",
        "exploitation": ["begging", "sexual_exploitation"],
        "citizenship": "UG",
        "country_of_exploitation": "KE",
        "year_identified": "2025",
        "agency_type": "child_protection",
        "referral_outcome": "not_referred",
        "disability": "unknown",
    }


def _refer(case: Case, status: str, by: User, receiving: Agency, minutes: int) -> None:
    Referral.objects.create(
        case=case,
        referring_agency=case.owner_agency,
        receiving_agency=receiving,
        service_type="shelter",
        urgency="medium",
        reason="Synthetic reason.",
        status=status,
        due_at=timezone.now(),
        referred_by=by,
        created_at=timezone.now() + datetime.timedelta(minutes=minutes),
    )


def test_the_latest_referral_that_was_not_withdrawn_gives_the_outcome(
    caseworker_a: User, agency_b: Agency
) -> None:
    accepted, declined, withdrawn_only, pending = (register_case(caseworker_a) for _ in range(4))
    _refer(accepted, "declined", caseworker_a, agency_b, 1)
    _refer(accepted, "completed", caseworker_a, agency_b, 2)
    _refer(declined, "declined", caseworker_a, agency_b, 1)
    _refer(declined, "withdrawn", caseworker_a, agency_b, 2)
    _refer(withdrawn_only, "withdrawn", caseworker_a, agency_b, 1)
    _refer(pending, "pending", caseworker_a, agency_b, 1)
    register_case(caseworker_a)
    outcomes = sorted(cases_extract().column("referral_outcome").to_pylist())
    assert outcomes == ["accepted", "declined", "not_referred", "not_referred", "pending"]


def test_disability_is_carried_when_recorded(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    Child.objects.filter(pk=case.child_id).update(disability="yes")
    assert cases_extract().column("disability").to_pylist() == ["yes"]


def test_unknown_age_and_exploitation_are_explicit(caseworker_a: User) -> None:
    register_case(caseworker_a, date_of_birth=None, forms_of_exploitation=[])
    [row] = cases_extract().to_pylist()
    assert row["age_group_glotip"] is None
    assert row["age_broad"] is None
    assert row["exploitation"] == ["not_known"]


@pytest.mark.parametrize(
    ("age", "glotip", "broad"),
    [
        (0, "0-17", "0--8"),
        (8, "0-17", "0--8"),
        (9, "0-17", "9--17"),
        (17, "0-17", "9--17"),
        (18, "18+", "18--20"),
        (29, "18+", "27--29"),
        (47, "18+", "39--47"),
        (48, "18+", "48+"),
        (None, None, None),
        (-1, None, None),
    ],
)
def test_age_bands_follow_glotip_and_ctdc(age: int | None, glotip: str, broad: str) -> None:
    assert age_group_glotip(age) == glotip
    assert age_broad(age) == broad


def test_exploitation_codes_drop_unknown_codes() -> None:
    assert exploitation_codes(["forced_labour", "invented"]) == ["forced_labour"]
    assert exploitation_codes(None) == ["not_known"]


def test_batches_stream_in_the_size_asked(caseworker_a: User) -> None:
    for _ in range(5):
        register_case(caseworker_a)
    sizes = [batch.num_rows for batch in case_batches(batch_rows=2)]
    assert sizes == [2, 2, 1]


def test_an_empty_database_gives_an_empty_table_with_its_schema() -> None:
    table = cases_extract()
    assert table.num_rows == 0
    assert tuple(table.column_names) == DIMENSIONS


def test_refresh_task_loads_the_store_and_is_audited(caseworker_a: User) -> None:
    for _ in range(3):
        register_case(caseworker_a)
    before = AuditEvent.objects.filter(object_type="evidence.source").count()
    result = refresh_analysis_store.enqueue()  # the test backend runs it at once
    assert result.return_value["rows"] == 3
    [info] = [s for s in analysis_store().sources() if s.name == "cases"]
    assert info.rows == 3
    assert AuditEvent.objects.filter(object_type="evidence.source").count() == before + 1


def test_refresh_replaces_rather_than_appends(caseworker_a: User) -> None:
    register_case(caseworker_a)
    refresh_analysis_store.enqueue()
    register_case(caseworker_a)
    refresh_analysis_store.enqueue()
    assert [s.rows for s in analysis_store().sources() if s.name == "cases"] == [2]


def test_cli_refresh_prints_json(caseworker_a: User) -> None:
    register_case(caseworker_a)
    code, out, _ = call_cli("evidence_refresh", "--format", "json")
    assert code == 0
    assert json.loads(out)["rows"] == 1
