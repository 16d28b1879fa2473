"""How well a screening instrument does against confirmed outcomes. Pure, no Django.

A 2x2 table (screen positive/negative against confirmed victim/not) gives sensitivity,
specificity, PPV and NPV, each with a 95% interval:

- ``wilson`` (the default): the Wilson score interval, written out from its definition;
- ``exact``: the Clopper-Pearson interval, found by bisection on the binomial distribution
  (the Greenbaum et al. 2018 multi-site paper reports these).

A proportion with a zero denominator (no confirmed victims, say) has no value and no interval:
``None``, never a ``ZeroDivisionError``.

``compare`` sets local figures beside a published study from an instrument file, and
``read_labels`` reads the local labels from a CSV file (``screen_result``,
``confirmed_outcome``), refusing a bad file with its row, field and reason.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from safepath.screening.instruments import Study

Z95 = 1.959963984540054  # the 0.975 quantile of the standard normal distribution
CONFIDENCE = 0.95
Method = Literal["wilson", "exact"]
METHODS: tuple[Method, ...] = ("wilson", "exact")
MEASURES = ("sensitivity", "specificity", "ppv", "npv")
# Sensitivity and specificity travel between settings; PPV and NPV follow the prevalence, so a
# published PPV or NPV is shown beside the local one but never tested against its interval.
COMPARED = ("sensitivity", "specificity")
_BISECTION_STEPS = 60  # 2**-60 is below the spacing of doubles near 1


class Interval(NamedTuple):
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class TwoByTwo:
    """Counts of screen result (positive/negative) against confirmed outcome (victim/not)."""

    tp: int
    fn: int
    fp: int
    tn: int

    def __post_init__(self) -> None:
        for name in ("tp", "fn", "fp", "tn"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number of 0 or more, not {value!r}")

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[bool, bool]]) -> TwoByTwo:
        """From ``(screen_positive, confirmed)`` pairs, one per person screened."""
        tp = fn = fp = tn = 0
        for screen_positive, confirmed in pairs:
            if screen_positive and confirmed:
                tp += 1
            elif confirmed:
                fn += 1
            elif screen_positive:
                fp += 1
            else:
                tn += 1
        return cls(tp=tp, fn=fn, fp=fp, tn=tn)

    @property
    def n(self) -> int:
        return self.tp + self.fn + self.fp + self.tn

    def to_dict(self) -> dict[str, int]:
        return {"tp": self.tp, "fn": self.fn, "fp": self.fp, "tn": self.tn}


def wilson_interval(successes: int, total: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval for ``successes`` out of ``total``; ``None`` when total is 0.

    centre = (p + z²/2n) / (1 + z²/n),
    half-width = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n).
    """
    _check_counts(successes, total)
    if total == 0:
        return None
    p = successes / total
    n = total
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 or n successes a bound is 0 or 1 exactly; say so rather than leave rounding dust.
    low = 0.0 if successes == 0 else max(0.0, centre - half_width)
    high = 1.0 if successes == total else min(1.0, centre + half_width)
    return Interval(low, high)


def exact_interval(successes: int, total: int, confidence: float = CONFIDENCE) -> Interval | None:
    """The Clopper-Pearson ("exact") interval; ``None`` when total is 0.

    With X ~ Binomial(total, p) and tail = (1 - confidence) / 2, the lower bound is the p at
    which P(X >= successes) = tail, the upper bound the p at which P(X <= successes) = tail;
    both found by bisection.
    """
    _check_counts(successes, total)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    if total == 0:
        return None
    tail = (1 - confidence) / 2
    log_choose = _log_binomial_coefficients(total)
    low = 0.0
    if successes > 0:
        # P(X >= successes) rises with p: find where it reaches the tail.
        low = _bisect(lambda p: _upper_tail(log_choose, successes, p) < tail)
    high = 1.0
    if successes < total:
        # P(X <= successes) falls as p rises: find where it drops to the tail.
        high = _bisect(lambda p: _lower_tail(log_choose, successes, p) > tail)
    return Interval(low, high)


def _check_counts(successes: int, total: int) -> None:
    if successes < 0 or total < 0 or successes > total:
        raise ValueError(f"cannot take {successes} out of {total}")


def _bisect(below: Callable[[float], bool]) -> float:
    """The point in (0, 1) where ``below(p)`` turns from true to false."""
    low, high = 0.0, 1.0
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        if below(middle):
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _log_binomial_coefficients(n: int) -> list[float]:
    log_n_factorial = math.lgamma(n + 1)
    return [log_n_factorial - math.lgamma(k + 1) - math.lgamma(n - k + 1) for k in range(n + 1)]


def _probability(log_choose: list[float], ks: range, p: float) -> float:
    """P(X in ks) for X ~ Binomial(n, p), 0 < p < 1, summed term by term in log space."""
    n = len(log_choose) - 1
    # Terms more than 50 standard deviations (+10) from the mean are far below what a tail
    # of a few per cent can notice: leave them out so that large files stay fast.
    spread = 50 * math.sqrt(n * p * (1 - p)) + 10
    first = max(ks.start, math.floor(n * p - spread))
    stop = min(ks.stop, math.ceil(n * p + spread) + 1)
    log_p, log_q = math.log(p), math.log1p(-p)
    return math.fsum(
        math.exp(log_choose[k] + k * log_p + (n - k) * log_q) for k in range(first, stop)
    )


def _lower_tail(log_choose: list[float], x: int, p: float) -> float:
    """P(X <= x), summing whichever side has fewer terms."""
    n = len(log_choose) - 1
    if x + 1 <= n - x:
        return _probability(log_choose, range(x + 1), p)
    return 1.0 - _probability(log_choose, range(x + 1, n + 1), p)


def _upper_tail(log_choose: list[float], x: int, p: float) -> float:
    """P(X >= x)."""
    return 1.0 - _lower_tail(log_choose, x - 1, p) if x > 0 else 1.0


@dataclass(frozen=True)
class Estimate:
    """One proportion: ``value`` and ``interval`` are ``None`` when ``total`` is 0."""

    successes: int
    total: int
    value: float | None
    interval: Interval | None
    method: Method

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "ci_low": self.interval.low if self.interval else None,
            "ci_high": self.interval.high if self.interval else None,
            "successes": self.successes,
            "total": self.total,
        }


def proportion(successes: int, total: int, method: Method = "wilson") -> Estimate:
    if method == "wilson":
        interval = wilson_interval(successes, total)
    elif method == "exact":
        interval = exact_interval(successes, total)
    else:
        raise ValueError(f"unknown interval method {method!r} (use {' or '.join(METHODS)})")
    value = successes / total if total else None
    return Estimate(successes, total, value, interval, method)


def sensitivity(table: TwoByTwo, method: Method = "wilson") -> Estimate:
    """Confirmed victims the screen found: TP / (TP + FN)."""
    return proportion(table.tp, table.tp + table.fn, method)


def specificity(table: TwoByTwo, method: Method = "wilson") -> Estimate:
    """People not confirmed as victims whom the screen left negative: TN / (TN + FP)."""
    return proportion(table.tn, table.tn + table.fp, method)


def ppv(table: TwoByTwo, method: Method = "wilson") -> Estimate:
    """Positive screens that were confirmed victims: TP / (TP + FP)."""
    return proportion(table.tp, table.tp + table.fp, method)


def npv(table: TwoByTwo, method: Method = "wilson") -> Estimate:
    """Negative screens that were not victims: TN / (TN + FN)."""
    return proportion(table.tn, table.tn + table.fn, method)


@dataclass(frozen=True)
class Performance:
    table: TwoByTwo
    method: Method
    sensitivity: Estimate
    specificity: Estimate
    ppv: Estimate
    npv: Estimate

    def measure(self, name: str) -> Estimate:
        if name not in MEASURES:
            raise KeyError(name)
        estimate: Estimate = getattr(self, name)
        return estimate

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table.to_dict(),
            "n": self.table.n,
            "interval_method": self.method,
            "confidence": CONFIDENCE,
            **{name: self.measure(name).to_dict() for name in MEASURES},
        }


def evaluate(table: TwoByTwo, method: Method = "wilson") -> Performance:
    return Performance(
        table=table,
        method=method,
        sensitivity=sensitivity(table, method),
        specificity=specificity(table, method),
        ppv=ppv(table, method),
        npv=npv(table, method),
    )


@dataclass(frozen=True)
class MeasureComparison:
    """A local figure beside a published one.

    ``within`` says whether the published figure lies inside the local 95% interval; it is
    ``None`` when either figure is missing, and always for PPV and NPV (they depend on the
    prevalence, which differs between settings).
    """

    measure: str
    local: Estimate
    published: float | None
    within: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "local": self.local.value,
            "local_ci_low": self.local.interval.low if self.local.interval else None,
            "local_ci_high": self.local.interval.high if self.local.interval else None,
            "published": self.published,
            "within_local_interval": self.within,
        }


@dataclass(frozen=True)
class Comparison:
    study: str
    population: str
    n: int
    published_table: TwoByTwo | None
    measures: tuple[MeasureComparison, ...]

    def measure(self, name: str) -> MeasureComparison:
        for comparison in self.measures:
            if comparison.measure == name:
                return comparison
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "population": self.population,
            "n": self.n,
            "table": self.published_table.to_dict() if self.published_table else None,
            **{m.measure: m.to_dict() for m in self.measures},
        }


def compare(performance: Performance, study: Study) -> Comparison:
    """The local figures beside ``study``'s published ones."""
    measures = []
    for name in MEASURES:
        local = performance.measure(name)
        published: float | None = getattr(study, name)
        within = None
        if name in COMPARED and published is not None and local.interval is not None:
            within = local.interval.contains(published)
        measures.append(MeasureComparison(name, local, published, within))
    published_table = None
    if (
        study.tp is not None
        and study.fn is not None
        and study.fp is not None
        and study.tn is not None
    ):
        published_table = TwoByTwo(tp=study.tp, fn=study.fn, fp=study.fp, tn=study.tn)
    return Comparison(study.study, study.population, study.n, published_table, tuple(measures))


# --- Labels from a CSV file -----------------------------------------------------------------

SCREEN_COLUMN = "screen_result"
CONFIRMED_COLUMN = "confirmed_outcome"
SCREEN_VALUES: dict[str, bool | None] = {
    "positive": True,
    "presumed_victim": True,
    "possible_victim": True,
    "negative": False,
    "no_indicators": False,
    "at_risk": False,
    "insufficient_information": None,  # excluded from the table, counted apart
}
CONFIRMED_VALUES: dict[str, bool] = {
    "victim": True,
    "not_victim": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}


class LabelFileError(ValueError):
    """A labels file is unusable. ``row`` is 0 for the header, then 1 for the first data row
    (row N is line N + 1 of a file without blank or multi-line records); ``field`` names the
    column when there is one."""

    def __init__(self, source: str, row: int | None, field: str | None, reason: str):
        where = source
        if row is not None:
            where += ", header" if row == 0 else f", row {row}"
        if field is not None:
            where += f", field {field}"
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.row = row
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Labels:
    """What a labels file holds: the 2x2 table, plus the rows left out of it."""

    table: TwoByTwo
    rows: int
    excluded: int  # screen_result insufficient_information: no screen result to count
    excluded_victims: int  # of those, confirmed victims

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "in_table": self.table.n,
            "excluded_insufficient_information": self.excluded,
            "excluded_confirmed_victims": self.excluded_victims,
        }


def read_labels(path: Path) -> Labels:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LabelFileError(str(path), None, None, f"cannot read the file ({error})") from None
    return parse_labels(data, source=str(path))


def parse_labels(data: bytes, *, source: str = "labels") -> Labels:
    """The labels in ``data`` (UTF-8 CSV, a byte-order mark allowed); all rows or an error."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        row, field = _locate_byte(data, error.start)
        raise LabelFileError(
            source, row, field, f"not UTF-8 text (byte 0x{data[error.start]:02x})"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header_line: int | None = None
    columns: dict[str, int] = {}
    width = 0
    pairs: list[tuple[bool, bool]] = []
    rows = excluded = excluded_victims = 0
    previous_end = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            row = (previous_end + 1 - header_line) if header_line is not None else 0
            raise LabelFileError(source, row, None, f"not valid CSV ({error})") from None
        start, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank lines and rows of empty cells
        if header_line is None:
            header_line = start
            columns, width = _read_header(source, record)
            continue
        row = start - header_line
        if len(record) > width:
            raise LabelFileError(
                source, row, None, f"{len(record)} cells but the header has {width} columns"
            )
        screen_text = _cell(source, row, record, columns, SCREEN_COLUMN)
        confirmed_text = _cell(source, row, record, columns, CONFIRMED_COLUMN)
        if screen_text not in SCREEN_VALUES:
            raise LabelFileError(
                source,
                row,
                SCREEN_COLUMN,
                f"unknown value {screen_text!r} (expected one of {', '.join(SCREEN_VALUES)})",
            )
        if confirmed_text not in CONFIRMED_VALUES:
            raise LabelFileError(
                source,
                row,
                CONFIRMED_COLUMN,
                f"unknown value {confirmed_text!r} "
                "(expected victim/not_victim, yes/no, true/false or 1/0)",
            )
        rows += 1
        screen_positive = SCREEN_VALUES[screen_text]
        confirmed = CONFIRMED_VALUES[confirmed_text]
        if screen_positive is None:
            excluded += 1
            excluded_victims += int(confirmed)
            continue
        pairs.append((screen_positive, confirmed))
    if header_line is None:
        raise LabelFileError(source, 0, None, "the file is empty")
    if rows == 0:
        raise LabelFileError(source, 1, None, "no data rows after the header")
    return Labels(TwoByTwo.from_pairs(pairs), rows, excluded, excluded_victims)


def _read_header(source: str, record: list[str]) -> tuple[dict[str, int], int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(record):
        key = name.strip().lower()
        if key in columns and key in (SCREEN_COLUMN, CONFIRMED_COLUMN):
            raise LabelFileError(source, 0, key, "the column appears twice")
        columns.setdefault(key, index)
    for name in (SCREEN_COLUMN, CONFIRMED_COLUMN):
        if name not in columns:
            found = ", ".join(repr(cell.strip()) for cell in record)
            raise LabelFileError(source, 0, name, f"missing column (found {found})")
    return columns, len(record)


def _cell(source: str, row: int, record: list[str], columns: dict[str, int], name: str) -> str:
    index = columns[name]
    value = record[index].strip().lower() if index < len(record) else ""
    if not value:
        raise LabelFileError(source, row, name, "empty value")
    return value


def _locate_byte(data: bytes, position: int) -> tuple[int, str | None]:
    """Row (0 = header) and, where the header can tell, column of the byte at ``position``.

    Counts physical lines, so it assumes one record a line (true of any labels file not
    hand-made with quoted line breaks)."""
    lines = data.split(b"\n")
    line_index = data.count(b"\n", 0, position)
    header_index = 0
    while header_index < len(lines) and not lines[header_index].strip(b"\r\t ,"):
        header_index += 1
    row = max(line_index - header_index, 0)
    if row == 0:
        return 0, None
    line_start = data.rfind(b"\n", 0, position) + 1
    prefix = data[line_start:position].decode("utf-8", errors="replace")
    try:
        header = next(csv.reader([lines[header_index].decode("utf-8").rstrip("\r")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return row, None
    column = max(len(next(csv.reader([prefix]), [""])) - 1, 0)
    name = header[column].strip().lower() if column < len(header) else ""
    return row, name or None
