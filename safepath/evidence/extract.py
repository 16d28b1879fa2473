"""The de-identified ``cases`` extract: one row per case, only the categories statistics need.

What leaves the case tables: age group (never a date of birth), sex, forms of exploitation,
citizenship, country of exploitation, year of identification (never a date), the type of the
identifying agency (never the agency), the referral outcome and disability. No name, reference,
identifier or free text is read, so none can reach the analysis store.

The rows are read with ``values_list(...).iterator()`` in chunks and turned into Arrow record
batches column by column: no model instance is built and no encrypted field is decrypted, so a
million cases fit in a few hundred megabytes and a few seconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.fields import CharField
from django.db.models.functions import Cast, ExtractYear, Substr
from django.db.models.sql.constants import MULTI

from safepath.accounts.models import Agency
from safepath.cases.models import Case
from safepath.cases.vocabulary import Exploitation
from safepath.referrals.models import Referral

SOURCE = "cases"

# Columns in the order the engine's ``cases_dimensions.json`` declares them.
DIMENSIONS = (
    "age_group_glotip",
    "age_broad",
    "sex",
    "exploitation",
    "citizenship",
    "country_of_exploitation",
    "year_identified",
    "agency_type",
    "referral_outcome",
    "disability",
)

SCHEMA = pa.schema(
    [
        pa.field("age_group_glotip", pa.string()),
        pa.field("age_broad", pa.string()),
        pa.field("sex", pa.string()),
        pa.field("exploitation", pa.list_(pa.string())),
        pa.field("citizenship", pa.string()),
        pa.field("country_of_exploitation", pa.string()),
        pa.field("year_identified", pa.string()),  # as the dimension's public domain
        pa.field("agency_type", pa.string()),
        pa.field("referral_outcome", pa.string()),
        pa.field("disability", pa.string()),
    ]
)

BATCH_ROWS = 50_000
CHUNK_ROWS = 10_000

# CTDC ``ageBroad`` bands (codebook v6, 2017): (lowest age, label).
_AGE_BROAD = (
    (0, "0--8"),
    (9, "9--17"),
    (18, "18--20"),
    (21, "21--23"),
    (24, "24--26"),
    (27, "27--29"),
    (30, "30--38"),
    (39, "39--47"),
    (48, "48+"),
)
_OLDEST = 130


def _broad_band(age: int) -> str:
    label = _AGE_BROAD[0][1]
    for lowest, name in _AGE_BROAD:
        if age >= lowest:
            label = name
    return label


# Looked up by age rather than computed per row: a million rows, two list indexings each.
_BROAD_BY_AGE = tuple(_broad_band(age) for age in range(_OLDEST + 1))
_GLOTIP_BY_AGE = tuple("0-17" if age < 18 else "18+" for age in range(_OLDEST + 1))


def age_broad(age: int | None) -> str | None:
    """CTDC ``ageBroad`` band of an age in whole years; None when the age is not known."""
    if age is None or age < 0 or age > _OLDEST:
        return None
    return _BROAD_BY_AGE[age]


def age_group_glotip(age: int | None) -> str | None:
    """UNODC GLOTIP age group (``0-17`` / ``18+``); None when the age is not known."""
    if age is None or age < 0 or age > _OLDEST:
        return None
    return _GLOTIP_BY_AGE[age]


_KNOWN_EXPLOITATION = frozenset(Exploitation.values)
_NOT_KNOWN = (Exploitation.NOT_KNOWN.value,)


def exploitation_codes(raw: Any) -> list[str]:
    """The case's forms of exploitation as vocabulary codes, each once; never empty."""
    if not isinstance(raw, list):
        return list(_NOT_KNOWN)
    codes = sorted({code for code in raw if code in _KNOWN_EXPLOITATION})
    return codes or list(_NOT_KNOWN)


# Referral statuses as the engine's ``referral_outcome`` values (referrals/models.py
# ReferralStatus). A withdrawn referral is left out: the referring agency took it back, so it
# says nothing about whether the service took the child.
_REFERRAL_OUTCOMES = {
    "accepted": "accepted",
    "completed": "accepted",
    "declined": "declined",
    "pending": "pending",
}
_IGNORED_REFERRALS = ("withdrawn",)


def _latest_referral_status() -> Subquery:
    """The status of the case's latest referral that was not withdrawn (None: no referral)."""
    latest = (
        Referral.objects.filter(case=OuterRef("pk"))
        .exclude(status__in=_IGNORED_REFERRALS)
        .order_by("-created_at")
        .values("status")[:1]
    )
    return Subquery(latest, output_field=CharField())


def referral_outcome(status: str | None) -> str:
    if status is None:
        return "not_referred"
    return _REFERRAL_OUTCOMES.get(status, "pending")


def _year_expression() -> Any:
    """The year of identification, read without a per-row date conversion in Python."""
    if connection.vendor == "sqlite":  # dates are 'YYYY-MM-DD' text there
        return Substr(Cast("identified_on", output_field=CharField()), 1, 4)
    return ExtractYear("identified_on")


def _queryset() -> Any:
    return (
        Case.objects.order_by()
        .annotate(_referral=_latest_referral_status(), _year=_year_expression())
        .values_list(
            "child__age_at_identification",
            "child__sex",
            "forms_of_exploitation",
            "child__nationality",
            "country_of_exploitation",
            "_year",
            "owner_agency_id",
            "_referral",
            "child__disability",
        )
    )


def _raw_chunks(queryset: Any) -> Iterator[list[tuple[Any, ...]]]:
    """Rows as the database driver returns them, chunk by chunk.

    The ORM's per-value converters (JSON parsing, date parsing) are skipped: they cost more
    than the rest of the extract together, and every value is converted below per column, with
    JSON parsed once per distinct list of forms rather than once per case. On PostgreSQL the
    chunks come from a server-side cursor.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    chunks = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=CHUNK_ROWS)
    yield from chunks or ()


def _text(values: Sequence[Any], *, missing: str | None = None) -> pa.Array:
    """A string column; blank values become ``missing`` (null unless given)."""
    array = pa.array(values, pa.string())
    blank = pc.fill_null(pc.equal(array, ""), fill_value=True)
    return pc.if_else(blank, pa.scalar(missing, pa.string()), array)


def _ages(values: Sequence[Any]) -> tuple[pa.Array, pa.Array]:
    ages = pa.array(values, pa.int32())
    known = pc.and_(pc.greater_equal(ages, 0), pc.less_equal(ages, _OLDEST))
    index = pc.if_else(known, ages, pa.scalar(None, pa.int32()))
    glotip = pa.array(_GLOTIP_BY_AGE, pa.string()).take(index)
    broad = pa.array(_BROAD_BY_AGE, pa.string()).take(index)
    return glotip, broad


def _years(values: Sequence[Any]) -> pa.Array:
    return _text([str(value) if value else None for value in values])


def _agency_types(values: Sequence[Any], types: dict[Any, str]) -> pa.Array:
    """Agency ids to agency types in Python: a handful of agencies, no join per case."""
    return _text([types.get(agency_id) for agency_id in values])


def _forms(values: Sequence[Any]) -> pa.Array:
    """Forms of exploitation, parsed once per distinct stored list (a few hundred at most)."""
    positions: dict[str, int] = {}
    parsed: list[list[str]] = []
    indices = []
    for raw in values:
        key = raw if isinstance(raw, str) else json.dumps(raw)
        position = positions.get(key)
        if position is None:
            position = positions[key] = len(parsed)
            parsed.append(exploitation_codes(json.loads(key) if key else None))
        indices.append(position)
    return pa.array(parsed, pa.list_(pa.string())).take(pa.array(indices, pa.int32()))


def _referrals(values: Sequence[Any]) -> pa.Array:
    outcomes = {status: referral_outcome(status) for status in set(values)}
    return pa.array([outcomes[status] for status in values], pa.string())


def _batch(rows: Sequence[tuple[Any, ...]], agency_types: dict[Any, str]) -> pa.RecordBatch:
    ages, sexes, forms, citizenship, exploited_in, years, agencies, referrals, disability = zip(
        *rows, strict=True
    )
    glotip, broad = _ages(ages)
    return pa.RecordBatch.from_arrays(
        [
            glotip,
            broad,
            _text(sexes, missing="unknown"),
            _forms(forms),
            _text(citizenship),
            _text(exploited_in),
            _years(years),
            _agency_types(agencies, agency_types),
            _referrals(referrals),
            _text(disability, missing="unknown"),
        ],
        schema=SCHEMA,
    )


def case_batches(batch_rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
    """Every case as de-identified Arrow record batches of at most ``batch_rows`` rows."""
    # The raw id column is text on SQLite and a UUID on PostgreSQL: key the map both ways.
    agency_types: dict[Any, str] = {}
    for agency_id, kind in Agency.objects.values_list("id", "agency_type"):
        agency_types[agency_id] = agency_types[agency_id.hex] = kind
    pending: list[tuple[Any, ...]] = []
    for chunk in _raw_chunks(_queryset()):
        pending.extend(chunk)
        while len(pending) >= batch_rows:
            yield _batch(pending[:batch_rows], agency_types)
            del pending[:batch_rows]
    if pending:
        yield _batch(pending, agency_types)


def cases_extract(batch_rows: int = BATCH_ROWS) -> pa.Table:
    """The whole ``cases`` source as one Arrow table (empty, with its schema, when no case)."""
    return pa.Table.from_batches(list(case_batches(batch_rows)), schema=SCHEMA)
