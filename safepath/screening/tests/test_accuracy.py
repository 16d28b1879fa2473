"""Accuracy figures: the published papers reproduced from their 2x2 tables, the two interval
methods, the labels file and `safepath screen validate`.

The 2x2 tables are the ones rebuilt in the research notes (screening_instruments.md, 3.2 and
3.3); the published figures are compared at the precision the papers print them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from safepath.screening import instruments
from safepath.screening.accuracy import (
    Z95,
    LabelFileError,
    TwoByTwo,
    compare,
    evaluate,
    exact_interval,
    npv,
    parse_labels,
    ppv,
    read_labels,
    sensitivity,
    specificity,
    wilson_interval,
)
from safepath.testing.fixtures import call_cli

# --- The papers -----------------------------------------------------------------------------

QYIT = TwoByTwo(tp=26, fn=4, fp=73, tn=237)  # Chisolm-Straker et al. 2019, n = 340
DERIVATION = TwoByTwo(tp=23, fn=2, fp=22, tn=61)  # Greenbaum et al. 2018, PEC, n = 108
MULTI_SITE = TwoByTwo(tp=76, fn=14, fp=306, tn=414)  # Greenbaum et al. 2018, JAH, n = 810
KALTISO = TwoByTwo(tp=10, fn=1, fp=90, tn=102)  # Kaltiso et al. 2018, AEM, n = 203
HURST = TwoByTwo(tp=22, fn=4, fp=87, tn=99)  # Hurst et al. 2021, Pediatrics, n = 212

PUBLISHED = [
    # table, n, decimals printed, {measure: published percentage}
    ("QYIT", QYIT, 340, 1, {"sensitivity": 86.7, "specificity": 76.5}),
    (
        "SSCST derivation",
        DERIVATION,
        108,
        0,
        {"sensitivity": 92, "specificity": 73, "ppv": 51, "npv": 97},
    ),
    ("SSCST multi-site", MULTI_SITE, 810, 2, {"sensitivity": 84.44, "specificity": 57.50}),
    (
        "Kaltiso",
        KALTISO,
        203,
        1,
        {"sensitivity": 90.9, "specificity": 53.1, "ppv": 10.0, "npv": 99.0},
    ),
    (
        "Hurst",
        HURST,
        212,
        1,
        {"sensitivity": 84.6, "specificity": 53.2, "ppv": 20.2, "npv": 96.1},
    ),
]
MEASURE_FUNCTIONS = {"sensitivity": sensitivity, "specificity": specificity, "ppv": ppv, "npv": npv}


def _pairs(table: TwoByTwo) -> list[tuple[bool, bool]]:
    """One (screen_positive, confirmed) pair per person, as a labels file would give them."""
    return (
        [(True, True)] * table.tp
        + [(False, True)] * table.fn
        + [(True, False)] * table.fp
        + [(False, False)] * table.tn
    )


def _percent(value: float | None, decimals: int) -> float:
    assert value is not None
    return round(100 * value, decimals)


@pytest.mark.parametrize(
    ("paper", "table", "n", "decimals", "figures"), PUBLISHED, ids=[p[0] for p in PUBLISHED]
)
def test_the_published_figures_come_back_from_the_2x2_tables(
    paper: str, table: TwoByTwo, n: int, decimals: int, figures: dict[str, float]
) -> None:
    rebuilt = TwoByTwo.from_pairs(_pairs(table))
    assert rebuilt == table
    assert rebuilt.n == n
    for measure, published in figures.items():
        value = MEASURE_FUNCTIONS[measure](rebuilt).value
        assert _percent(value, decimals) == published, (paper, measure, value)


def test_multi_site_intervals_are_clopper_pearson_not_wilson() -> None:
    """Greenbaum et al. 2018 (JAH) print 84.44% (75.28, 91.23) and 57.50% (53.80, 61.11).

    The exact (Clopper-Pearson) interval gives three of the four bounds to the hundredth. The
    fourth, the upper bound for specificity, comes out 61.14, not 61.11: no table with a
    specificity of 57.50% has a Clopper-Pearson interval of 53.80-61.11 (414/720 is also
    confirmed by the published LR+ 1.99, 1.76-2.25), so we take 61.11 as a slip in the paper.
    """
    sens = sensitivity(MULTI_SITE, "exact").interval
    spec = specificity(MULTI_SITE, "exact").interval
    assert sens is not None
    assert spec is not None
    assert (round(100 * sens.low, 2), round(100 * sens.high, 2)) == (75.28, 91.23)
    assert round(100 * spec.low, 2) == 53.80
    assert round(100 * spec.high, 2) == 61.14  # published: 61.11
    # Wilson gives narrower intervals and matches none of the published bounds.
    wilson_sens = sensitivity(MULTI_SITE).interval
    wilson_spec = specificity(MULTI_SITE).interval
    assert wilson_sens is not None
    assert wilson_spec is not None
    assert (round(100 * wilson_sens.low, 2), round(100 * wilson_sens.high, 2)) == (75.57, 90.50)
    assert (round(100 * wilson_spec.low, 2), round(100 * wilson_spec.high, 2)) == (53.86, 61.06)


def test_the_multi_site_likelihood_ratio_confirms_the_table() -> None:
    """LR+ 1.99 (1.76, 2.25) uses all four cells: the rebuilt table gives it exactly."""
    se, sp = MULTI_SITE.tp / 90, MULTI_SITE.tn / 720
    ratio = se / (1 - sp)
    log_se = math.sqrt(1 / 76 - 1 / 90 + 1 / 306 - 1 / 720)
    bounds = (ratio * math.exp(-Z95 * log_se), ratio * math.exp(Z95 * log_se))
    assert round(ratio, 2) == 1.99
    assert tuple(round(b, 2) for b in bounds) == (1.76, 2.25)


def test_hurst_intervals_are_wald_intervals_which_we_do_not_offer() -> None:
    """Hurst et al. 2021 print symmetric intervals: sensitivity 70.8-98.5, specificity
    46.1-60.4, PPV 12.7-27.7, NPV 92.4-99.9. They are the normal-approximation (Wald)
    intervals p ± 1.96·sqrt(p(1-p)/n), rounded first to two decimals and then to one (70.747
    -> 70.75 -> 70.8). Neither Wilson nor the exact interval gives them."""
    published = {
        "sensitivity": (70.8, 98.5),
        "specificity": (46.1, 60.4),
        "ppv": (12.7, 27.7),
        "npv": (92.4, 99.9),
    }
    for measure, bounds in published.items():
        estimate = MEASURE_FUNCTIONS[measure](HURST)
        assert estimate.value is not None
        p, n = estimate.value, estimate.total
        half = 1.96 * math.sqrt(p * (1 - p) / n)
        wald = tuple(
            float(_round_half_up(_round_half_up(100 * b, 2), 1)) for b in (p - half, p + half)
        )
        assert wald == bounds, measure
        for method in ("wilson", "exact"):
            interval = MEASURE_FUNCTIONS[measure](HURST, method).interval
            assert interval is not None
            assert (round(100 * interval.low, 1), round(100 * interval.high, 1)) != bounds


def _round_half_up(value: float, decimals: int) -> float:
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


def test_the_instrument_file_agrees_with_its_own_2x2_tables() -> None:
    """sscst-6.json carries each study's table and figures: they must agree at the precision
    the file gives, and the tables must be the ones in the research notes."""
    studies = instruments.get("sscst-6").validation
    tables = [
        TwoByTwo(tp=s.tp, fn=s.fn, fp=s.fp, tn=s.tn)  # type: ignore[arg-type]
        for s in studies
    ]
    assert tables == [DERIVATION, MULTI_SITE, KALTISO, HURST]
    for study, table in zip(studies, tables, strict=True):
        assert table.n == study.n
        for measure, function in MEASURE_FUNCTIONS.items():
            published = getattr(study, measure)
            if published is None:
                continue
            decimals = len(repr(published).split(".")[1])
            value = function(table).value
            assert value is not None
            assert abs(value - published) <= 0.5 * 10**-decimals + 1e-12, (study.study, measure)


# --- The intervals --------------------------------------------------------------------------

# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
# methods. Stat Med 1998;17:857-872, table I (score method without continuity correction and
# the exact method), to four decimals; 5/10 worked by hand below.
WILSON_CASES = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
    # 5/10: z² = 3.841459, 1 + z²/n = 1.3841459, centre = (0.5 + 0.1920729) / 1.3841459 = 0.5,
    # half-width = 1.959964 · sqrt(0.025 + 0.0096037) / 1.3841459 = 0.263407.
    (5, 10, 0.2366, 0.7634),
    (10, 10, 0.7225, 1.0000),
]
EXACT_CASES = [
    (81, 263, 0.2527, 0.3676),
    (0, 20, 0.0000, 0.1684),
    (1, 29, 0.0009, 0.1776),
    (5, 10, 0.1871, 0.8129),
]


@pytest.mark.parametrize(("x", "n", "low", "high"), WILSON_CASES)
def test_wilson_interval_against_hand_computed_values(
    x: int, n: int, low: float, high: float
) -> None:
    interval = wilson_interval(x, n)
    assert interval is not None
    assert interval.low == pytest.approx(low, abs=5e-5)
    assert interval.high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(("x", "n", "low", "high"), EXACT_CASES)
def test_exact_interval_against_published_values(x: int, n: int, low: float, high: float) -> None:
    interval = exact_interval(x, n)
    assert interval is not None
    assert interval.low == pytest.approx(low, abs=5e-5)
    assert interval.high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize("n", [1, 7, 20, 333])
def test_intervals_at_the_edges_have_closed_forms(n: int) -> None:
    z2 = Z95 * Z95
    wilson_none, wilson_all = wilson_interval(0, n), wilson_interval(n, n)
    exact_none, exact_all = exact_interval(0, n), exact_interval(n, n)
    assert wilson_none is not None
    assert wilson_all is not None
    assert exact_none is not None
    assert exact_all is not None
    assert (wilson_none.low, wilson_all.high, exact_none.low, exact_all.high) == (0, 1, 0, 1)
    assert wilson_none.high == pytest.approx((z2 / n) / (1 + z2 / n))
    assert wilson_all.low == pytest.approx(1 / (1 + z2 / n))
    assert exact_none.high == pytest.approx(1 - 0.025 ** (1 / n))
    assert exact_all.low == pytest.approx(0.025 ** (1 / n))


@pytest.mark.parametrize(("x", "n"), [(3, 17), (76, 90), (414, 720), (1, 5000)])
def test_intervals_are_mirror_images_and_nest(x: int, n: int) -> None:
    for method in (wilson_interval, exact_interval):
        interval, mirrored = method(x, n), method(n - x, n)
        assert interval is not None
        assert mirrored is not None
        assert interval.low == pytest.approx(1 - mirrored.high, abs=1e-12)
        assert interval.low < x / n < interval.high
    wilson, exact = wilson_interval(x, n), exact_interval(x, n)
    assert wilson is not None
    assert exact is not None
    assert exact.low < wilson.low
    if x / n > 0.01:  # with very few successes the Wilson upper bound passes the exact one
        assert wilson.high < exact.high


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="out of"):
        wilson_interval(5, 3)
    with pytest.raises(ValueError, match="out of"):
        exact_interval(-1, 3)
    with pytest.raises(ValueError, match="tp"):
        TwoByTwo(tp=-1, fn=0, fp=0, tn=0)


# --- Zero denominators ----------------------------------------------------------------------


def test_zero_denominators_give_none_not_an_error() -> None:
    assert wilson_interval(0, 0) is None
    assert exact_interval(0, 0) is None
    no_victims = TwoByTwo(tp=0, fn=0, fp=5, tn=15)
    for method in ("wilson", "exact"):
        performance = evaluate(no_victims, method)
        assert performance.sensitivity.value is None
        assert performance.sensitivity.interval is None
        assert performance.npv.value == 1.0
        assert performance.specificity.value == 0.75
        data = performance.to_dict()
        assert data["sensitivity"] == {
            "value": None,
            "ci_low": None,
            "ci_high": None,
            "successes": 0,
            "total": 0,
        }
        json.dumps(data)
    nothing = evaluate(TwoByTwo(0, 0, 0, 0))
    assert [nothing.measure(m).value for m in ("sensitivity", "specificity", "ppv", "npv")] == [
        None,
        None,
        None,
        None,
    ]
    all_negative = evaluate(TwoByTwo(tp=0, fn=3, fp=0, tn=9))
    assert all_negative.ppv.value is None
    assert all_negative.sensitivity.value == 0.0


# --- Comparison with the published studies --------------------------------------------------


def test_compare_says_whether_the_published_figure_is_inside_the_local_interval() -> None:
    studies = instruments.get("sscst-6").validation
    wilson = [compare(evaluate(MULTI_SITE), study) for study in studies]
    inside = [(c.measure("sensitivity").within, c.measure("specificity").within) for c in wilson]
    # Local 95% Wilson: sensitivity 75.57-90.50, specificity 53.86-61.06.
    assert inside == [(False, False), (True, True), (False, False), (True, False)]
    assert [c.measure("ppv").within for c in wilson] == [None] * 4  # PPV follows prevalence
    assert wilson[1].measure("sensitivity").published == 0.8444
    assert wilson[1].measure("ppv").published is None
    assert wilson[0].published_table == DERIVATION
    # The exact interval is wider: Kaltiso's 90.9% falls inside 75.28-91.23.
    exact = compare(evaluate(MULTI_SITE, "exact"), studies[2])
    assert exact.measure("sensitivity").within is True
    data = exact.to_dict()
    assert data["study"].startswith("Kaltiso")
    assert data["sensitivity"]["within_local_interval"] is True
    assert data["specificity"]["published"] == 0.531
    # No local victims: nothing to compare against.
    empty = compare(evaluate(TwoByTwo(0, 0, 40, 40)), studies[0])
    assert empty.measure("sensitivity").within is None
    assert empty.measure("specificity").within is False


# --- The labels file ------------------------------------------------------------------------


def test_labels_accept_every_spelling_and_count_the_excluded_rows() -> None:
    data = (
        "\ufeffCase, Screen_Result ,confirmed_outcome\r\n"
        "a1,positive,victim\r\n"
        "a2, Presumed_Victim ,YES\r\n"
        "\r\n"
        "a3,possible_victim,True\r\n"
        "a4,negative, 1\r\n"
        "a5,no_indicators,not_victim\r\n"
        "a6,AT_RISK,no\r\n"
        "a7,negative,false\r\n"
        "a8,positive,0\r\n"
        ",,\r\n"
        "a9,insufficient_information,victim\r\n"
        "a10,insufficient_information,no\r\n"
    ).encode()
    labels = parse_labels(data)
    assert labels.table == TwoByTwo(tp=3, fn=1, fp=1, tn=3)
    assert (labels.rows, labels.excluded, labels.excluded_victims) == (10, 2, 1)


def test_labels_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("screen_result,confirmed_outcome\npositive,victim\n", encoding="utf-8")
    assert read_labels(path).table == TwoByTwo(tp=1, fn=0, fp=0, tn=0)
    with pytest.raises(LabelFileError, match="cannot read the file"):
        read_labels(tmp_path / "missing.csv")


HEADER = b"id,screen_result,confirmed_outcome\n"


@pytest.mark.parametrize(
    ("data", "row", "field", "reason"),
    [
        (b"", 0, None, "the file is empty"),
        (b"\n \n", 0, None, "the file is empty"),
        (HEADER, 1, None, "no data rows"),
        (b"id,screen_result\n1,positive\n", 0, "confirmed_outcome", "missing column"),
        (b"screen,confirmed_outcome\n", 0, "screen_result", "missing column"),
        (
            b"screen_result,confirmed_outcome,Screen_Result\n",
            0,
            "screen_result",
            "appears twice",
        ),
        (HEADER + b"1,positive,yes\n2,maybe,no\n", 2, "screen_result", "unknown value 'maybe'"),
        (HEADER + b"1,positive,yes\n2,negative,unsure\n", 2, "confirmed_outcome", "'unsure'"),
        (HEADER + b"1,positive,yes\n\n3,, no\n", 3, "screen_result", "empty value"),
        (HEADER + b"1,positive\n", 1, "confirmed_outcome", "empty value"),
        (HEADER + b"1,positive,yes,extra\n", 1, None, "4 cells but the header has 3"),
        (HEADER + b'1,positive,"yes"x\n', 1, None, "not valid CSV"),
        (HEADER + b"1,positive,yes\n2,negative,n\xf6\n", 2, "confirmed_outcome", "not UTF-8"),
        (HEADER + b"1,positi\xe9e,yes\n", 1, "screen_result", "byte 0xe9"),
        (b"id,screen_r\xe9sult,confirmed_outcome\n1,positive,yes\n", 0, None, "not UTF-8"),
    ],
)
def test_bad_labels_name_the_row_the_field_and_the_reason(
    data: bytes, row: int, field: str | None, reason: str
) -> None:
    with pytest.raises(LabelFileError) as caught:
        parse_labels(data, source="labels.csv")
    error = caught.value
    assert (error.row, error.field) == (row, field)
    assert reason in error.reason
    where = "header" if row == 0 else f"row {row}"
    assert str(error).startswith(f"labels.csv, {where}")
    if field:
        assert f"field {field}: " in str(error)


# --- safepath screen validate ---------------------------------------------------------------


def _labels_file(tmp_path: Path, table: TwoByTwo, extra: str = "") -> str:
    lines = ["screen_result,confirmed_outcome"]
    lines += ["positive,victim"] * table.tp + ["no_indicators,yes"] * table.fn
    lines += ["possible_victim,0"] * table.fp + ["negative,not_victim"] * table.tn
    path = tmp_path / "labels.csv"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return str(path)


def _call(*args: str) -> tuple[int, str, str]:
    return call_cli("screen", *args)


def test_validate_json_gives_the_figures_and_the_published_studies(tmp_path: Path) -> None:
    path = _labels_file(tmp_path, MULTI_SITE, "insufficient_information,victim\n")
    code, out, err = _call("validate", "sscst-6", "--labels", path, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["instrument"]["id"] == "sscst-6"
    assert data["labels"]["rows"] == 811
    assert data["labels"]["excluded_insufficient_information"] == 1
    assert data["labels"]["excluded_confirmed_victims"] == 1
    performance = data["performance"]
    assert performance["table"] == {"tp": 76, "fn": 14, "fp": 306, "tn": 414}
    assert performance["interval_method"] == "wilson"
    assert round(performance["sensitivity"]["value"] * 100, 2) == 84.44
    assert round(performance["sensitivity"]["ci_low"] * 100, 2) == 75.57
    authors = [s["study"].split()[0] for s in data["published"]]
    assert authors == ["Greenbaum", "Greenbaum", "Kaltiso", "Hurst"]
    assert data["published"][1]["sensitivity"]["within_local_interval"] is True
    assert data["published"][2]["sensitivity"]["within_local_interval"] is False

    code, out, _ = _call(
        "validate", "sscst-6", "--labels", path, "--format", "json", "--interval", "exact"
    )
    exact = json.loads(out)["performance"]
    assert exact["interval_method"] == "exact"
    assert round(exact["sensitivity"]["ci_low"] * 100, 2) == 75.28
    assert round(exact["sensitivity"]["ci_high"] * 100, 2) == 91.23


def test_validate_text_shows_percentages_with_intervals_and_the_papers(tmp_path: Path) -> None:
    code, out, _ = _call("validate", "sscst-6", "--labels", _labels_file(tmp_path, HURST))
    assert code == 0
    assert "Sensitivity  84.6%  (95% CI 66.5% to 93.8%; 22 of 26)" in out
    assert "Specificity  53.2%  (95% CI 46.1% to 60.3%; 99 of 186)" in out
    assert "NPV          96.1%" in out
    assert "95% intervals: Wilson" in out
    assert "Hurst et al. 2021" in out
    assert " 92.0% inside the local interval" in out  # derivation: 92% in 66.5-93.8
    assert " 73.0% outside the local interval" in out  # derivation: 73% above 60.3
    assert "not published" in out  # the multi-site paper gives no PPV


def test_validate_with_no_confirmed_victims_says_so(tmp_path: Path) -> None:
    path = _labels_file(tmp_path, TwoByTwo(tp=0, fn=0, fp=3, tn=7))
    code, out, _ = _call("validate", "sscst-6", "--labels", path)
    assert code == 0
    assert "Sensitivity  n/a (no confirmed victims)" in out
    code, out, _ = _call("validate", "sscst-6", "--labels", path, "--format", "json")
    assert json.loads(out)["performance"]["sensitivity"]["value"] is None


@pytest.mark.parametrize("output", ["json", "text"])
def test_validate_bad_file_exits_2_with_nothing_on_stdout(tmp_path: Path, output: str) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("screen_result,confirmed_outcome\npositive,yes\npositive,perhaps\n")
    code, out, err = _call("validate", "sscst-6", "--labels", str(path), "--format", output)
    assert (code, out) == (2, "")
    assert "row 2, field confirmed_outcome: unknown value 'perhaps'" in err
    code, out, err = _call("validate", "sscst-6", "--labels", str(tmp_path / "nope.csv"))
    assert (code, out) == (2, "")
    assert "cannot read the file" in err


def test_validate_unknown_instrument_exits_2(tmp_path: Path) -> None:
    path = _labels_file(tmp_path, KALTISO)
    code, out, err = _call("validate", "no-such-tool", "--labels", path, "--format", "json")
    assert (code, out) == (2, "")
    assert "no such screening instrument" in err
