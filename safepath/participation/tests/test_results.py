"""Results as aggregates: the threshold of 11 and the evidence engine's secondary suppression.
Pure; an attacker with a linear-programming solver recovers no hidden count of children."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from safepath.evidence.engine import suppression
from safepath.participation import consultations, results
from safepath.participation.results import ANSWERED, SKIPPED, TOTAL, Response, tabulate

SERVICES = consultations.latest()["services-experience"]
YOUNG = consultations.latest()["feeling-safe-young"]


def _many(band: str, answers: dict[str, str | None], n: int) -> list[Response]:
    return [Response(band, answers) for _ in range(n)]


def test_small_counts_are_hidden_and_zeros_shown() -> None:
    found = tabulate(
        SERVICES,
        _many("16-17", {"felt_safe": "very"}, 12) + _many("16-17", {"felt_safe": "quite"}, 3),
    )
    table = found.questions[0].table
    assert table.cell("not_at_all", TOTAL).count == 0
    assert table.cell("quite", TOTAL).suppressed
    assert table.cell("quite", TOTAL).count is None
    assert table.cell("very", TOTAL).suppressed, (
        "the only other non-zero row would give 'quite' away"
    )
    assert table.total.count == 15
    assert found.taking_part.total.count == 15


def test_fewer_than_eleven_children_show_no_figure_at_all() -> None:
    found = tabulate(YOUNG, _many("8-11", {"feel_here": "good", "best_thing": "x"}, 5))
    assert found.taking_part.total.suppressed
    for item in found.questions:
        assert all(cell.count in (None, 0) for cell in item.table.cells.values())


def test_written_answers_are_counted_never_shown() -> None:
    found = tabulate(
        YOUNG,
        _many("8-11", {"best_thing": "a secret"}, 11) + _many("8-11", {"best_thing": None}, 11),
    )
    table = next(q for q in found.questions if q.question.id == "best_thing").table
    assert table.rows == [ANSWERED, SKIPPED, TOTAL]
    assert table.cell(ANSWERED).count == 11
    assert table.cell(SKIPPED).count == 11


def test_a_question_not_asked_is_not_counted_as_skipped() -> None:
    found = tabulate(SERVICES, _many("16-17", {"listened": "yes"}, 12))
    table = next(q for q in found.questions if q.question.id == "listen_better").table
    assert table.total.count == 0


def test_bands_make_a_two_way_table_with_totals() -> None:
    found = tabulate(
        SERVICES,
        _many("12-15", {"explained": "yes"}, 20)
        + _many("16-17", {"explained": "yes"}, 15)
        + _many("16-17", {"explained": "no"}, 2),
    )
    table = next(q for q in found.questions if q.question.id == "explained").table
    assert table.columns == ["12-15", "16-17", TOTAL]
    assert table.cell("no", "16-17").suppressed
    # the hidden 2 cannot be read off its row or column: those cells are hidden too
    assert table.cell("no", TOTAL).suppressed or table.cell("yes", "16-17").suppressed


def _published(table: results.Table) -> tuple[np.ndarray, np.ndarray]:
    values = np.array(
        [[table.cell(r, c).count or 0 for c in table.columns] for r in table.rows], dtype=float
    )
    mask = np.array([[table.cell(r, c).suppressed for c in table.columns] for r in table.rows])
    return values, mask


def _truth(rows: list[tuple[str, dict[str, str | None]]]) -> np.ndarray:
    """The unprotected table the published one came from (rows: options then skipped)."""
    options = [*SERVICES.question("felt_safe").option_ids(), None]
    bands = ["12-15", "16-17"]
    interior = np.zeros((len(options), len(bands)), dtype=np.int64)
    for band, answer in rows:
        interior[options.index(answer["felt_safe"]), bands.index(band)] += 1
    return suppression.with_margins(interior)


answers = st.fixed_dictionaries(
    {
        "felt_safe": st.sampled_from(
            [None, "not_at_all", "not_really", "in_between", "quite", "very"]
        )
    }
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["12-15", "16-17"]), answers), min_size=0, max_size=80))
def test_no_hidden_count_of_children_can_be_recovered(
    rows: list[tuple[str, dict[str, str | None]]],
) -> None:
    found = tabulate(SERVICES, [Response(band, a) for band, a in rows])
    table = found.questions[0].table
    for cell in table.cells.values():
        assert cell.suppressed or cell.count == 0 or cell.count >= 11
    values, mask = _published(table)
    truth = _truth(rows)
    # A hidden zero may be worked out (a published total of 0 says it); a child's count never.
    assert [cell for cell in results.recoverable_cells(values, mask) if truth[cell] != 0] == []
