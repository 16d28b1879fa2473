"""INFORM Risk from its workbook and CSV (the same importer updates it), joined with case counts
by country under the evidence app's disclosure control, drawn as a map with no network."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from safepath.accounts.models import User
from safepath.emergency import inform, worldmap
from safepath.emergency.models import CountryRisk, RiskEdition
from safepath.testing.factories import register_case
from safepath.testing.fixtures import call_cli, web_client_for

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "inform_risk_2025_v070_sample.csv"


def _workbook(tmp_path: Path, rows: list[list[Any]] | None = None) -> Path:
    with SAMPLE.open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "INFORM Risk 2025 (a-z)"
    for row in rows or table:
        sheet.append(
            [float(c) if c.replace(".", "", 1).isdigit() else c for c in row]
            if rows is None
            else row
        )
    book.create_sheet("About")
    path = tmp_path / "inform_risk_2025_v070.xlsx"
    book.save(path)
    return path


def test_the_reader_takes_the_workbook_the_csv_and_the_trends(tmp_path: Path) -> None:
    [edition] = inform.read(_workbook(tmp_path)).editions
    assert edition.label == "INFORM Risk 2025 v0.7.0"
    assert edition.year == 2025
    kenya = next(c for c in edition.countries if c.iso3 == "KEN")
    assert kenya.risk is not None
    assert 0 <= kenya.risk <= 10
    assert kenya.risk_class
    assert "Uprooted people" in kenya.components
    afghanistan = next(c for c in edition.countries if c.iso3 == "AFG")
    assert afghanistan.highly_violent_conflict is True
    [from_csv] = inform.read(SAMPLE).editions
    assert [c.iso3 for c in from_csv.countries] == [c.iso3 for c in edition.countries]
    trends = inform.read(FIXTURES / "inform_trends_sample.csv").editions
    assert [e.label for e in trends] == [
        "INFORM Risk 2024 (trend series)",
        "INFORM Risk 2025 (trend series)",
    ]
    assert {c.iso3 for c in trends[1].countries} == {"KEN", "SSD"}


def test_bad_files_name_the_row_and_column(tmp_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header, first, second = lines[0], lines[1].split(","), lines[2].split(",")
    first[2] = "12.5"  # INFORM RISK
    second[1] = "Kenya"  # ISO3
    bad = tmp_path / "inform_risk_2025_v070_bad.csv"
    bad.write_text("\n".join([header, ",".join(first), ",".join(second)]) + "\n", encoding="utf-8")
    with pytest.raises(inform.InformFileError) as refused:
        inform.read(bad)
    assert refused.value.problems == [
        "inform_risk_2025_v070_bad.csv: row 2, INFORM RISK: 12.5 is outside 0 to 10",
        "inform_risk_2025_v070_bad.csv: row 3, ISO3: 'Kenya' is not an ISO 3166 alpha-3 code",
    ]
    unnamed = tmp_path / "scores.csv"
    unnamed.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(inform.InformFileError, match="which edition"):
        inform.read(unnamed)
    assert len(inform.read(unnamed, year=2025).editions[0].countries) == 10


@pytest.mark.django_db
def test_the_importer_loads_and_then_updates_an_edition(tmp_path: Path) -> None:
    code, out, err = call_cli(
        "emergency", "risk-import", str(_workbook(tmp_path)), "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out) == [
        {"edition": "INFORM Risk 2025 v0.7.0", "countries": 10, "created": True}
    ]
    code, out, _ = call_cli("emergency", "risk-import", str(SAMPLE), "--format", "json")
    assert json.loads(out)[0]["created"] is False  # the same edition, updated in place
    assert RiskEdition.objects.count() == 1
    assert CountryRisk.objects.count() == 10
    kenya = CountryRisk.objects.get(iso3="KEN")
    assert (kenya.iso2, kenya.iso_numeric) == ("KE", "404")

    broken = tmp_path / "inform_risk_2025_v070_broken.csv"
    broken.write_text(SAMPLE.read_text(encoding="utf-8").replace(",KEN,", ",KE,"), encoding="utf-8")
    code, _, err = call_cli("emergency", "risk-import", str(broken))
    assert code == 2
    assert "ISO3: 'KE'" in err
    assert "Nothing was imported" in err
    assert CountryRisk.objects.filter(iso3="KEN").exists()


def test_the_map_is_drawn_with_no_network() -> None:
    shapes = worldmap.shapes()
    assert len(shapes) > 170
    assert all(s.path.startswith("M") for s in shapes if s.path)
    kenya = next(s for s in shapes if s.iso3 == "KEN")
    x, y = worldmap._screen(37.9, 0.0)  # a point in Kenya lands inside the map
    assert 0 < x < worldmap.WIDTH
    assert 0 < y < worldmap.HEIGHT
    assert kenya.path
    svg = worldmap.svg({"KEN": worldmap.Shade(4, "Kenya <7>")}, title="t", description="d")
    assert 'class="c4" data-iso3="KEN"' in svg
    assert "Kenya &lt;7&gt;" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.django_db
def test_the_risk_page_joins_cases_with_every_count_protected(
    tmp_path: Path, settings: Any, caseworker_a: User, make_user: Any, coordination: Any
) -> None:
    from safepath.evidence.tasks import cases_source_refresh

    settings.EVIDENCE_STORE_PATH = str(tmp_path / "analysis.duckdb")
    call_cli("emergency", "risk-import", str(SAMPLE))
    for number in range(12):
        register_case(
            caseworker_a,
            given_name=f"K{number}",
            nationality="KE",
            forms_of_exploitation=["forced_labour"],
        )
    for number in range(3):
        register_case(
            caseworker_a,
            given_name=f"S{number}",
            nationality="SS",
            forms_of_exploitation=["begging"],
        )
    cases_source_refresh()
    analyst = make_user("analyst", coordination, "analyst")
    page = web_client_for(analyst).get("/emergency/risk/?layer=origin")
    assert page.status_code == 200
    text = page.content.decode()
    assert '<svg class="risk-map"' in text
    assert 'data-iso3="KEN"' in text
    rows = {r.split('data-iso3="')[1][:3]: r for r in text.split("<tr")[1:] if 'data-iso3="' in r}
    assert "suppressed" in rows["SSD"]
    assert ">3<" not in rows["SSD"]
    assert "suppressed" in rows["KEN"]  # secondary: else 3 = total - 12 by subtraction
    assert "K0" not in text
    filtered = (
        web_client_for(analyst).get("/emergency/risk/?exploitation=forced_labour").content.decode()
    )
    assert "disclosure-note" in filtered
    assert web_client_for(caseworker_a).get("/emergency/risk/").status_code == 404
