"""Charts: a text alternative for each, suppressed cells drawn and listed as suppressed."""

from __future__ import annotations

import re
import struct
import zlib

import pytest

from safepath.evidence.charts import CHARTS, ChartData, chart_spec, count_text, describe, render

CELLS = [
    {"age_group_glotip": "0-17", "sex": "female", "count": 40, "suppressed": False},
    {"age_group_glotip": "0-17", "sex": "male", "count": None, "suppressed": True},
    {"age_group_glotip": "18+", "sex": "female", "count": None, "suppressed": True},
    {"age_group_glotip": "18+", "sex": "male", "count": 25, "suppressed": False},
]


def _png_text(data: bytes) -> dict[str, str]:
    """The tEXt chunks of a PNG (keyword -> text)."""
    chunks, offset = {}, 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            chunks[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed = rest[0]
            text = rest[2:].split(b"\0", 2)[2]
            chunks[key.decode()] = (zlib.decompress(text) if compressed else text).decode()
        offset += 12 + length
    return chunks


def test_every_dashboard_chart_has_a_title() -> None:
    assert {spec.key for spec in CHARTS} == {"by-year", "sex-age", "exploitation", "flows"}
    assert all(spec.title() for spec in CHARTS)


def test_the_text_alternative_names_largest_figures_and_suppression() -> None:
    text = describe(ChartData(chart_spec("sex-age"), CELLS, k=11))
    assert "0 to 17 years → Female: 40" in text
    assert "2 figures are suppressed" in text
    assert "fewer than 11 cases" in text


def test_a_suppressed_cell_reads_suppressed_never_zero() -> None:
    data = ChartData(chart_spec("sex-age"), CELLS, k=11)
    rows = data.rows()
    assert [row["count"] for row in rows] == ["40", "suppressed", "suppressed", "25"]
    assert [row["suppressed"] for row in rows] == [False, True, True, False]
    assert count_text({"count": 0, "suppressed": False}) == "0"


def test_svg_carries_title_description_and_the_word_suppressed() -> None:
    svg = render(ChartData(chart_spec("sex-age"), CELLS, k=11), "svg").decode()
    assert "<title>Identified cases by sex and age group</title>" in svg
    assert "2 figures are suppressed" in svg  # the description in the metadata
    assert len(re.findall(r">suppressed<", svg)) == 2  # one marker per suppressed cell
    assert svg == render(ChartData(chart_spec("sex-age"), CELLS, k=11), "svg").decode()


def test_png_carries_the_text_alternative() -> None:
    png = render(ChartData(chart_spec("exploitation"), [], k=11), "png")
    assert png.startswith(b"\x89PNG")
    text = _png_text(png)
    assert text["Title"] == "Identified cases by form of exploitation"
    assert "no figures" in text["Description"]


def test_flows_and_years_draw_with_suppressed_cells() -> None:
    flows = [
        {"citizenship": "UG", "country_of_exploitation": "KE", "count": 30, "suppressed": False},
        {"citizenship": "TZ", "country_of_exploitation": "KE", "count": None, "suppressed": True},
    ]
    svg = render(ChartData(chart_spec("flows"), flows, k=11), "svg").decode()
    assert "Uganda → Kenya" in svg
    assert ">suppressed<" in svg
    years = [
        {"year_identified": str(y), "count": 12 + y % 3, "suppressed": False}
        for y in range(2019, 2025)
    ]
    assert ">2024<" in render(ChartData(chart_spec("by-year"), years, k=11), "svg").decode()


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="svg, png"):
        render(ChartData(chart_spec("by-year"), [], k=11), "gif")


def test_noisy_counts_show_their_interval() -> None:
    cells = [{"year_identified": "2024", "count": 17, "suppressed": False, "ci95": [13, 21]}]
    data = ChartData(chart_spec("by-year"), cells, k=11, epsilon=1.0)
    assert data.has_intervals()
    assert data.rows()[0]["interval"] == "13 to 21"
    assert "epsilon 1.0" in data.alt_text()
