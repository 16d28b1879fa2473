"""Record-level de-identified export in the CTDC schema, only after a k-anonymity check.

The caller declares the quasi-identifiers (the fields an outsider could know about a person:
age group, sex, citizenship, year...). Records are grouped by their quasi-identifier values;
a group smaller than k would single people out. The engine then:

1. drops the records of small groups if they are at most ``max_suppression`` of the total;
2. otherwise generalises one quasi-identifier to blank (CTDC's own convention for a suppressed
   field) — the one that leaves the fewest records in small groups — and tries again;
3. checks the result with pycanon (``anonymity.k_anonymity``) and refuses to export anything
   that is not k-anonymous.

Rare groups disappear first: children, non-binary people and people from small countries sit in
small groups, so they are dropped (or their field blanked) long before anyone else. The report
lists, for every quasi-identifier value, how many of its records were dropped, largest share
first, so the loss is visible rather than silent.

Fields not declared as quasi-identifiers are exported unchanged; declaring them is the
exporter's responsibility (the CLI audit event records the declared list).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pandas as pd

from safepath.evidence.engine.dimensions import (
    CASES_SOURCE,
    InputError,
    cases_dimensions,
    ctdc_exploitation_flags,
    resolve,
)
from safepath.evidence.engine.store import AnalysisStore, table_name
from safepath.evidence.engine.tables import check_k

BLANK = "(blank)"  # how a missing value is grouped: blank is a value an outsider sees too


@dataclass
class ExportResult:
    frame: pd.DataFrame
    report: dict[str, Any]
    source: str
    schema: str


def _qi_frame(frame: pd.DataFrame, quasi: list[str]) -> pd.DataFrame:
    view = pd.DataFrame(index=frame.index)
    for name in quasi:
        column = frame[name]
        if column.map(lambda v: isinstance(v, list | tuple)).any():
            column = column.map(
                lambda v: ";".join(sorted(v)) if isinstance(v, list | tuple) and len(v) else None
            )
        view[name] = column.astype("object").where(column.notna(), BLANK).astype(str)
    return view


def _small_group_rows(view: pd.DataFrame, quasi: list[str], k: int) -> pd.Series:
    sizes = view.groupby(quasi, dropna=False, sort=False)[quasi[0]].transform("size")
    return sizes < k


def export(
    store: AnalysisStore,
    source: str,
    *,
    quasi: list[str],
    k: int,
    max_suppression: float = 0.05,
) -> ExportResult:
    """The k-anonymous records of ``source`` and a report of what was generalised or dropped."""
    check_k(k)
    if not 0 <= max_suppression < 1:
        raise InputError(
            f"max_suppression must be between 0 and 1 (got {max_suppression}).",
            field_name="max_suppression",
        )
    info = store.source(source)
    resolve(info.dimension_map(), quasi)
    frame = store.query(f'SELECT * FROM "{table_name(source)}"').to_pandas()  # noqa: S608 - validated name
    total = len(frame)
    view = _qi_frame(frame, quasi)
    generalised: list[str] = []
    while True:
        small = _small_group_rows(view, quasi, k)
        if small.sum() <= max_suppression * total or len(generalised) == len(quasi):
            break
        best, best_small = "", None
        for name in quasi:
            if name in generalised:
                continue
            trial = view.copy()
            trial[name] = BLANK
            count = int(_small_group_rows(trial, quasi, k).sum())
            if best_small is None or count < best_small:
                best, best_small = name, count
        generalised.append(best)
        view[best] = BLANK
        frame[best] = None
    dropped = _small_group_rows(view, quasi, k)
    report = _report(frame, view, dropped, quasi, generalised, k, max_suppression)
    kept = frame.loc[~dropped].reset_index(drop=True)
    kept_view = view.loc[~dropped].reset_index(drop=True)
    if len(kept):
        from pycanon import anonymity

        measured = int(anonymity.k_anonymity(kept_view, quasi))
        report["pycanon_k"] = measured
        if measured < k:  # pragma: no cover - the algorithm above guarantees it
            raise InputError(
                f"pycanon measured k = {measured} < {k}; nothing exported.", field_name="k"
            )
    return ExportResult(frame=kept, report=report, source=source, schema=info.schema)


def _report(
    frame: pd.DataFrame,
    view: pd.DataFrame,
    dropped: pd.Series,
    quasi: list[str],
    generalised: list[str],
    k: int,
    max_suppression: float,
) -> dict[str, Any]:
    losses = []
    for name in quasi:
        if name in generalised:
            continue
        for value, group in dropped.groupby(view[name]):
            records = len(group)
            lost = int(group.sum())
            if lost:
                losses.append(
                    {
                        "field": name,
                        "value": value,
                        "records": records,
                        "dropped": lost,
                        "share_dropped": round(lost / records, 4),
                    }
                )
    losses.sort(key=lambda item: (-item["share_dropped"], -item["dropped"]))
    return {
        "k": k,
        "quasi_identifiers": quasi,
        "max_suppression": max_suppression,
        "records_in": len(frame),
        "records_out": int((~dropped).sum()),
        "records_dropped": int(dropped.sum()),
        "generalised_to_blank": generalised,
        "dropped_by_value": losses,
        "note": (
            "Rare groups disappear first: records of small groups (children, non-binary "
            "people, small countries) are dropped or their fields blanked before any others."
        ),
    }


def report_text(report: dict[str, Any]) -> str:
    lines = [
        f"k-anonymity k={report['k']} over {', '.join(report['quasi_identifiers'])}: "
        f"{report['records_out']} of {report['records_in']} records exported, "
        f"{report['records_dropped']} dropped.",
    ]
    if report["generalised_to_blank"]:
        lines.append(f"Fields blanked for everyone: {', '.join(report['generalised_to_blank'])}.")
    for item in report["dropped_by_value"][:10]:
        lines.append(
            f"  {item['field']}={item['value']}: {item['dropped']} of {item['records']} "
            f"dropped ({item['share_dropped']:.1%})"
        )
    lines.append(report["note"])
    return "\n".join(lines)


# CTDC k-anonymised Global Dataset fields written for the `cases` source (codebook v6).
CASES_TO_CTDC = (
    ("yearOfRegistration", "year_identified"),
    ("Datasource", None),
    ("gender", "sex"),
    ("ageBroad", "age_broad"),
    ("majorityStatus", "age_group_glotip"),
    ("citizenship", "citizenship"),
    ("CountryOfExploitation", "country_of_exploitation"),
)


def _ctdc_rows(result: ExportResult) -> tuple[list[str], list[list[Any]]]:
    frame = result.frame
    if result.source != CASES_SOURCE:
        columns = list(frame.columns)
        return columns, frame.astype(object).where(frame.notna(), None).values.tolist()
    dims = {d.name: d for d in cases_dimensions()}
    flags = ctdc_exploitation_flags()
    header = [name for name, _ in CASES_TO_CTDC] + list(flags)
    rows = []
    for record in frame.to_dict("records"):
        row: list[Any] = []
        for _ctdc_name, ours in CASES_TO_CTDC:
            if ours is None:
                row.append("Case Management")
                continue
            value = record.get(ours)
            mapping = dims[ours].ctdc_map
            row.append(mapping.get(str(value), value) if value is not None else None)
        forms = record.get("exploitation")
        known = forms is not None and len(forms) > 0 and "exploitation" not in _blanked(result)
        for targets in flags.values():
            row.append(
                (1 if any(f in targets for f in forms) else 0)
                if known and forms is not None
                else None
            )
        rows.append(row)
    return header, rows


def _blanked(result: ExportResult) -> list[str]:
    return list(result.report.get("generalised_to_blank", []))


def to_csv(result: ExportResult, *, ctdc: bool = True) -> str:
    """CSV of the exported records; ``ctdc`` writes CTDC field names and codes, blank = missing."""
    if ctdc:
        header, rows = _ctdc_rows(result)
    else:
        header = list(result.frame.columns)
        rows = [
            [";".join(v) if isinstance(v, list | tuple) else v for v in row]
            for row in result.frame.astype(object).where(result.frame.notna(), None).values.tolist()
        ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue()
