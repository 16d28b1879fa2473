"""Output formats of a protected table: CSV, XLSX, JSON, HXL-tagged CSV, GLOTIP-style rows.

Every writer takes a ``Table`` that already went through disclosure control, and writes only
what the table publishes: a suppressed cell is blank (CSV, XLSX, HXL), ``null`` (JSON) or ``x``
(GLOTIP's value column, the statistical symbol for a confidential figure; never ``<k``, which
would tell an attacker an upper bound that secondary cells do not have). A dimension value of
``"_T"`` is a total; a blank dimension value means "not recorded". The record-level CTDC export
is in ``kanon.py``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from safepath.evidence.engine.tables import TOTAL, Table

HXL_COUNT = "#affected"
# HXL sex attributes (dictionary 1.1: +f, +m, +i) and age attributes (+children, +adults).
HXL_SEX = {
    "female": "f",
    "Female": "f",
    "Woman": "f",
    "male": "m",
    "Male": "m",
    "Man": "m",
    "other": "i",
    "Transgender/NonConforming": "i",
    "Trans/Transgender/NonConforming": "i",
}
HXL_AGE = {"0-17": "children", "Minor": "children", "18+": "adults", "Adult": "adults"}
SEX_DIMENSIONS = ("sex", "gender")
AGE_DIMENSIONS = ("age_group_glotip", "majorityStatus")

GLOTIP_COLUMNS = (
    "Iso3_code",
    "Country",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "txtVALUE",
    "Source",
)
GLOTIP_SEX = {
    "female": "Female",
    "Female": "Female",
    "male": "Male",
    "Male": "Male",
    TOTAL: "Total",
}
GLOTIP_AGE = {
    "0-17": "0 to 17 years",
    "Minor": "0 to 17 years",
    "18+": "18 years or over",
    "Adult": "18 years or over",
    TOTAL: "Total",
}
GLOTIP_CATEGORY_DIMENSIONS = {
    "exploitation": "by form of exploitation",
    "citizenship": "by citizenship",
}
GLOTIP_YEAR_DIMENSIONS = ("year_identified", "yearOfRegistration", "yearRegister")


def _is_dp(table: Table) -> bool:
    return table.metadata.get("method") == "differential_privacy"


def _rows(table: Table) -> tuple[list[str], list[list[Any]]]:
    by: list[str] = list(table.metadata["by"])
    header = [*by, "count", "suppressed"]
    if _is_dp(table):
        header += ["noise_scale", "ci95_low", "ci95_high"]
    rows = []
    for cell in table.cells:
        row: list[Any] = ["" if cell[d] is None else cell[d] for d in by]
        row += [
            "" if cell["count"] is None else cell["count"],
            "yes" if cell["suppressed"] else "no",
        ]
        if _is_dp(table):
            interval = cell.get("ci95") or ["", ""]
            row += [cell.get("noise_scale", ""), interval[0], interval[1]]
        rows.append(row)
    return header, rows


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header, rows = _rows(table)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def to_json(table: Table) -> str:
    return json.dumps(table.to_json(), ensure_ascii=False, indent=1, default=str)


def to_xlsx(table: Table, methodology: str = "") -> bytes:
    """A workbook: the table, its metadata and (when given) the methodology note."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if sheet is None:  # pragma: no cover - a new workbook always has one sheet
        raise RuntimeError("openpyxl created a workbook without a sheet")
    sheet.title = "Table"
    header, rows = _rows(table)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    meta = workbook.create_sheet("Metadata")
    for key, value in table.metadata.items():
        meta.append(
            [
                key,
                value
                if isinstance(value, int | float | str) or value is None
                else json.dumps(value, default=str),
            ]
        )
    if methodology:
        note = workbook.create_sheet("Methodology")
        for line in methodology.splitlines():
            note.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _dimension_tag(table: Table, name: str) -> str:
    tags: dict[str, str] = table.metadata.get("hxl_tags") or {}
    return tags.get(name) or f"#meta+{name.lower()}"


def to_hxl(table: Table) -> str:
    """HXL-tagged CSV. With a sex and an age dimension, counts pivot into ``#affected+f+children``
    style columns (the HXL convention for disaggregated people counts); otherwise long format."""
    by: list[str] = list(table.metadata["by"])
    sex = next((d for d in by if d in SEX_DIMENSIONS), None)
    age = next((d for d in by if d in AGE_DIMENSIONS), None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if sex and age:
        keys = [d for d in by if d not in (sex, age)]
        columns: dict[tuple[Any, Any], str] = {}
        grid: dict[tuple[Any, ...], dict[tuple[Any, Any], Any]] = {}
        for cell in table.cells:
            pair = (cell[sex], cell[age])
            sex_attr = "total" if cell[sex] == TOTAL else HXL_SEX.get(str(cell[sex]), "unknown_sex")
            age_attr = "total" if cell[age] == TOTAL else HXL_AGE.get(str(cell[age]), "unknown_age")
            attributes = "+".join(dict.fromkeys([sex_attr, age_attr]))
            columns.setdefault(pair, f"{HXL_COUNT}+{attributes}")
            row_key = tuple(cell[d] for d in keys)
            grid.setdefault(row_key, {})[pair] = cell["count"]
        pairs = list(columns)
        writer.writerow(
            [*keys, *[f"{s or 'not recorded'} / {a or 'not recorded'}" for s, a in pairs]]
        )
        writer.writerow([*[_dimension_tag(table, d) for d in keys], *[columns[p] for p in pairs]])
        for row_key, counts in grid.items():
            writer.writerow(
                [*("" if v is None else v for v in row_key)]
                + ["" if counts.get(p) is None else counts[p] for p in pairs]
            )
    else:
        header, rows = _rows(table)
        tags = [_dimension_tag(table, d) for d in by] + [f"{HXL_COUNT}+num", "#meta+suppressed"]
        if _is_dp(table):
            tags += ["#meta+noise_scale", f"{HXL_COUNT}+ci95_low", f"{HXL_COUNT}+ci95_high"]
        writer.writerow(header)
        writer.writerow(tags)
        writer.writerows(rows)
    text = out.getvalue()
    validate_hxl(text)
    return text


def validate_hxl(text: str) -> list[str]:
    """Parse with libhxl; every column must carry a hashtag. Returns the tags."""
    import hxl

    source = hxl.input.make_input(
        io.BytesIO(text.encode("utf-8")), hxl.InputOptions(allow_local=True)
    )
    dataset = hxl.data(source)
    tags = [column.display_tag for column in dataset.columns]
    if not tags or any(not tag for tag in tags):
        raise ValueError(f"HXL output has untagged columns: {tags}")
    list(dataset)  # reads every row: libhxl raises on a malformed file
    return tags


def glotip_rows(
    table: Table, *, country: str = "", iso3: str = "", source: str = ""
) -> list[dict[str, Any]]:
    """GLOTIP-style long rows (UNODC ``data_glotip.xlsx`` layout): detected victims by sex, age,
    and form of exploitation or citizenship. Rows need a sex and an age dimension; other values
    of sex (other, unknown) and 'not recorded' ages keep their own labels."""
    by: list[str] = list(table.metadata["by"])
    sex = next((d for d in by if d in SEX_DIMENSIONS), None)
    age = next((d for d in by if d in AGE_DIMENSIONS), None)
    category = next((d for d in by if d in GLOTIP_CATEGORY_DIMENSIONS), None)
    year = next((d for d in by if d in GLOTIP_YEAR_DIMENSIONS), None)
    others = [d for d in by if d not in (sex, age, category, year)]
    if sex is None or age is None or others:
        raise ValueError(
            "A GLOTIP table is by sex and age group, optionally by one of form of exploitation "
            "or citizenship, and by year; this table is by " + ", ".join(by) + "."
        )
    rows = []
    for cell in table.cells:
        if year and cell[year] == TOTAL:
            continue
        if category and cell[category] == TOTAL:
            dimension, label = "Total", "Total"
        elif category:
            dimension = GLOTIP_CATEGORY_DIMENSIONS[category]
            label = cell[category] if cell[category] is not None else "Not recorded"
        else:
            dimension, label = "Total", "Total"
        rows.append(
            {
                "Iso3_code": iso3,
                "Country": country,
                "Indicator": "Detected trafficking victims",
                "Dimension": dimension,
                "Category": label,
                "Sex": GLOTIP_SEX.get(str(cell[sex]), str(cell[sex] or "Not recorded")),
                "Age": GLOTIP_AGE.get(str(cell[age]), str(cell[age] or "Not recorded")),
                "Year": cell[year] if year else "",
                "Unit of measurement": "Counts",
                "txtVALUE": "x" if cell["suppressed"] else cell["count"],
                "Source": source or str(table.metadata.get("source", "")),
            }
        )
    return rows


def to_glotip_csv(table: Table, **kwargs: str) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(GLOTIP_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(glotip_rows(table, **kwargs))
    return out.getvalue()


def render(table: Table, fmt: str, *, methodology: str = "") -> tuple[bytes, str, str]:
    """(content, MIME type, file extension) of ``table`` in ``fmt``."""
    if fmt == "json":
        return to_json(table).encode(), "application/json", "json"
    if fmt == "csv":
        return to_csv(table).encode(), "text/csv", "csv"
    if fmt == "xlsx":
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return to_xlsx(table, methodology), mime, "xlsx"
    if fmt == "hxl":
        return to_hxl(table).encode(), "text/csv", "hxl.csv"
    if fmt == "glotip":
        return to_glotip_csv(table).encode(), "text/csv", "glotip.csv"
    raise ValueError(f"Unknown format '{fmt}'; allowed formats: {', '.join(FORMATS)}.")


FORMATS = ("json", "csv", "xlsx", "hxl", "glotip")
