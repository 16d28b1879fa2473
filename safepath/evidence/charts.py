"""Charts of published tables: SVG and PNG, each with a text alternative and its table.

A chart only ever draws cells the engine has already passed through disclosure control. A
suppressed cell is drawn as a hatched marker labelled "suppressed", never as a bar of zero,
because a zero is a figure and a suppressed cell is the absence of one. The same cells are
listed in the table printed under every chart, where a suppressed cell reads "suppressed".

Matplotlib runs on its Agg backend through ``Figure`` objects (no pyplot state), so charts can be
drawn in web requests and workers alike.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.figure import Figure

from safepath.accounts.roles import AgencyType
from safepath.cases.vocabulary import Disability, Exploitation, Sex
from safepath.core.countries import country_name

matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, read by tools
matplotlib.rcParams["svg.hashsalt"] = "safepath"  # the same table gives the same file

BAR_COLOUR = "#1f5f8b"
SECOND_COLOURS = ("#1f5f8b", "#c15a00", "#5a7d2a", "#7a4b94", "#8a8a8a")
MAX_BARS = 20  # a longer table stays in the table; the chart shows the largest cells
TOTAL = "_T"  # the engine's code for a total over a dimension (SDMX)


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the dashboard: which dimensions it breaks the figures down by."""

    key: str
    by: tuple[str, ...]
    title: Callable[[], str]
    style: str = "vertical"  # vertical bars, horizontal bars, or grouped (two dimensions)


def _title_by_year() -> str:
    return _("Identified cases by year")


def _title_sex_age() -> str:
    return _("Identified cases by sex and age group")


def _title_exploitation() -> str:
    return _("Identified cases by form of exploitation")


def _title_flows() -> str:
    return _("From citizenship to country of exploitation")


CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("by-year", ("year_identified",), _title_by_year),
    ChartSpec("sex-age", ("age_group_glotip", "sex"), _title_sex_age, style="grouped"),
    ChartSpec("exploitation", ("exploitation",), _title_exploitation, style="horizontal"),
    ChartSpec("flows", ("citizenship", "country_of_exploitation"), _title_flows, "horizontal"),
)
CHART_KEYS = tuple(spec.key for spec in CHARTS)


def chart_spec(key: str) -> ChartSpec:
    for spec in CHARTS:
        if spec.key == key:
            return spec
    raise KeyError(key)


def _dimension_labels() -> dict[str, str]:
    return {
        "age_group_glotip": _("Age group"),
        "age_broad": _("Age group (CTDC)"),
        "sex": _("Sex"),
        "exploitation": _("Form of exploitation"),
        "citizenship": _("Citizenship"),
        "country_of_exploitation": _("Country of exploitation"),
        "year_identified": _("Year identified"),
        "agency_type": _("Identifying agency type"),
        "referral_outcome": _("Referral outcome"),
        "disability": _("Disability"),
    }


def dimension_label(name: str) -> str:
    return _dimension_labels().get(name, name)


def _referral_labels() -> dict[str, str]:
    return {
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "pending": _("Pending"),
        "not_referred": _("Not referred"),
    }


def value_label(dimension: str, value: Any) -> str:
    """A category as a reader should see it, in the reader's language."""
    if value is None or value == "":
        return _("Not recorded")
    if value == TOTAL:
        return _("Total")
    text = str(value)
    choices: Mapping[str, Any] = {}
    if dimension == "sex":
        choices = dict(Sex.choices)
    elif dimension == "exploitation":
        choices = dict(Exploitation.choices)
    elif dimension == "agency_type":
        choices = dict(AgencyType.choices)
    elif dimension == "disability":
        choices = dict(Disability.choices)
    elif dimension == "referral_outcome":
        choices = _referral_labels()
    elif dimension in {"citizenship", "country_of_exploitation"} and len(text) == 2:
        return country_name(text)
    elif dimension == "age_group_glotip":
        choices = {"0-17": _("0 to 17 years"), "18+": _("18 years or over")}
    return str(choices.get(text, text))


def count_text(cell: Mapping[str, Any]) -> str:
    """A cell's figure as printed: the count, or "suppressed"."""
    if cell.get("suppressed") or cell.get("count") is None:
        return _("suppressed")
    return f"{cell['count']:,}"


@dataclass
class ChartData:
    """The figures one chart draws, with everything needed to describe them in words."""

    spec: ChartSpec
    cells: list[dict[str, Any]]
    k: int
    epsilon: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.spec.title()

    def drawn(self) -> list[dict[str, Any]]:
        """The cells drawn as bars: every cell but the totals (they are in the table), and for
        flows only the pairs that occur (an origin-destination grid is mostly zeros)."""
        cells = [c for c in self.cells if all(c.get(n) != TOTAL for n in self.spec.by)]
        if self.spec.key == "flows":
            cells = [c for c in cells if c.get("count") != 0]
        return cells

    def listed(self) -> list[dict[str, Any]]:
        """The cells of the table under the chart: the drawn ones, then the totals."""
        drawn = self.drawn()
        totals = [c for c in self.cells if any(c.get(n) == TOTAL for n in self.spec.by)]
        return drawn + [c for c in totals if c.get("count") != 0]

    def grand_total(self) -> dict[str, Any] | None:
        for cell in self.cells:
            if all(cell.get(name) == TOTAL for name in self.spec.by):
                return cell
        return None

    def columns(self) -> list[str]:
        return [dimension_label(name) for name in self.spec.by]

    def rows(self) -> list[dict[str, Any]]:
        """The table under the chart: one row per cell, labels translated."""
        rows = []
        for cell in self.listed():
            interval = cell.get("ci95")
            rows.append(
                {
                    "labels": [value_label(name, cell.get(name)) for name in self.spec.by],
                    "count": count_text(cell),
                    "suppressed": bool(cell.get("suppressed") or cell.get("count") is None),
                    "interval": (
                        _("%(low)s to %(high)s")
                        % {"low": f"{interval[0]:,}", "high": f"{interval[1]:,}"}
                        if interval
                        else ""
                    ),
                }
            )
        return rows

    def has_intervals(self) -> bool:
        return any(cell.get("ci95") for cell in self.cells)

    def alt_text(self) -> str:
        return describe(self)

    def short_alt(self) -> str:
        """The image's ``alt``: short, since the full description is the caption under it."""
        return _("Bar chart: %(title)s. Its description and every figure follow.") % {
            "title": self.title
        }


def _value(cell: Mapping[str, Any]) -> float | None:
    """A cell's height in the chart; None when suppressed (drawn as a marker, not a bar)."""
    if cell.get("suppressed") or cell.get("count") is None:
        return None
    return float(cell["count"])


def _label(cell: Mapping[str, Any], names: Sequence[str]) -> str:
    return " → ".join(value_label(name, cell.get(name)) for name in names)


def describe(data: ChartData) -> str:
    """The chart's text alternative: what it shows, its largest figures, what is suppressed."""
    names = data.spec.by
    drawn = data.drawn()
    shown = [cell for cell in drawn if _value(cell) is not None]
    suppressed = len(drawn) - len(shown)
    if not drawn:
        return _("%(title)s: no figures for these filters.") % {"title": data.title}
    parts = [
        ngettext(
            "%(title)s: bar chart of %(n)d figure.",
            "%(title)s: bar chart of %(n)d figures.",
            len(drawn),
        )
        % {"title": data.title, "n": len(drawn)}
    ]
    total = data.grand_total()
    if total is not None:
        parts.append(_("Total: %(count)s.") % {"count": count_text(total)})
    ranked = sorted(shown, key=lambda cell: -(_value(cell) or 0.0))[:3]
    if ranked:
        largest = "; ".join(f"{_label(cell, names)}: {count_text(cell)}" for cell in ranked)
        parts.append(_("Largest: %(largest)s.") % {"largest": largest})
    if suppressed:
        parts.append(
            ngettext(
                "%(n)d figure is suppressed because it rests on fewer than %(k)d cases.",
                "%(n)d figures are suppressed because they rest on fewer than %(k)d cases, "
                "or would reveal one that does.",
                suppressed,
            )
            % {"n": suppressed, "k": data.k}
        )
    if data.epsilon is not None:
        parts.append(
            _("Counts carry random noise (differential privacy, epsilon %(epsilon)s).")
            % {"epsilon": data.epsilon}
        )
    if "exploitation" in names:
        parts.append(_("A case with several forms of exploitation is counted under each."))
    parts.append(_("The table under the chart lists every figure."))
    return " ".join(parts)


def _bars(data: ChartData) -> tuple[list[str], list[float | None], list[str]]:
    """Bar labels, heights (None = suppressed) and colours, largest first when too many."""
    cells = data.drawn()
    if len(cells) > MAX_BARS:
        cells = sorted(cells, key=lambda cell: -(_value(cell) or -1.0))[:MAX_BARS]
    names = data.spec.by
    labels = [_label(cell, names) for cell in cells]
    heights = [_value(cell) for cell in cells]
    return labels, heights, [BAR_COLOUR] * len(cells)


def _grouped(data: ChartData) -> tuple[list[str], list[str], dict[tuple[str, str], Any]]:
    first, second = data.spec.by
    groups: list[str] = []
    series: list[str] = []
    values: dict[tuple[str, str], Any] = {}
    for cell in data.drawn():
        group, serie = value_label(first, cell.get(first)), value_label(second, cell.get(second))
        if group not in groups:
            groups.append(group)
        if serie not in series:
            series.append(serie)
        values[(group, serie)] = _value(cell)
    return groups, series, values


def _mark_suppressed(axes: Any, x: float, width: float, *, horizontal: bool) -> None:
    """A hatched, empty marker and the word "suppressed": unmistakably not a zero."""
    word = _("suppressed")
    if horizontal:
        axes.barh(x, 0.0, height=width, color="none")
        axes.annotate(
            word, (0, x), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8,
            style="italic", color="#444444",
        )  # fmt: skip
    else:
        axes.annotate(
            word, (x, 0), xytext=(0, 4), textcoords="offset points", ha="center", va="bottom",
            rotation=90, fontsize=8, style="italic", color="#444444",
        )  # fmt: skip


def _figure(data: ChartData) -> Figure:
    figure = Figure(figsize=(8, 4.5), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(data.title)
    axes.spines[["top", "right"]].set_visible(False)
    if not data.drawn():
        axes.text(0.5, 0.5, _("No figures for these filters."), ha="center", va="center")
        axes.set_axis_off()
        return figure
    if len(data.spec.by) == 2 and data.spec.key == "sex-age":
        _draw_grouped(axes, data)
    elif data.spec.key in {"exploitation", "flows"}:
        _draw_horizontal(axes, data)
    else:
        _draw_vertical(axes, data)
    if any(_value(cell) is None for cell in data.drawn()):
        figure.supxlabel(
            _("“suppressed”: fewer than %(k)d cases, or would reveal such a figure.")
            % {"k": data.k},
            fontsize=8, color="#444444", ha="left", x=0.01,
        )  # fmt: skip
    return figure


def _draw_vertical(axes: Any, data: ChartData) -> None:
    labels, heights, colours = _bars(data)
    positions = list(range(len(labels)))
    axes.bar(positions, [h or 0.0 for h in heights], color=colours)
    for position, height in zip(positions, heights, strict=True):
        if height is None:
            _mark_suppressed(axes, position, 0.8, horizontal=False)
    slanted = len(labels) > 8
    axes.set_xticks(
        positions, labels, rotation=45 if slanted else 0, ha="right" if slanted else "center"
    )
    axes.set_ylim(bottom=0)
    axes.set_ylabel(_("Cases"))


def _draw_horizontal(axes: Any, data: ChartData) -> None:
    labels, widths, colours = _bars(data)
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, [w or 0.0 for w in widths], color=colours)
    for position, width in zip(positions, widths, strict=True):
        if width is None:
            _mark_suppressed(axes, position, 0.8, horizontal=True)
    axes.set_yticks(positions, labels)
    axes.set_xlabel(_("Cases"))
    axes.set_xlim(left=0)


def _draw_grouped(axes: Any, data: ChartData) -> None:
    groups, series, values = _grouped(data)
    width = 0.8 / max(len(series), 1)
    for index, serie in enumerate(series):
        xs = [g + index * width for g in range(len(groups))]
        heights = [values.get((group, serie)) for group in groups]
        colour = SECOND_COLOURS[index % len(SECOND_COLOURS)]
        axes.bar(xs, [h or 0.0 for h in heights], width=width, label=serie, color=colour)
        for x, height in zip(xs, heights, strict=True):
            if height is None:
                _mark_suppressed(axes, x, width, horizontal=False)
    centre = width * (len(series) - 1) / 2
    axes.set_xticks([g + centre for g in range(len(groups))], groups)
    axes.set_ylabel(_("Cases"))
    axes.set_ylim(bottom=0)
    axes.legend(title=dimension_label(data.spec.by[1]), frameon=False)


def render(data: ChartData, image_format: str) -> bytes:
    """The chart as ``svg`` or ``png`` bytes, its title and text alternative embedded."""
    if image_format not in {"svg", "png"}:
        raise ValueError(f"Unknown chart format '{image_format}'; allowed: svg, png.")
    figure = _figure(data)
    buffer = io.BytesIO()
    metadata = {"Title": data.title, "Description": data.alt_text()}
    if image_format == "svg":
        metadata["Date"] = None  # type: ignore[assignment]  # no timestamp: same input, same file
    figure.savefig(buffer, format=image_format, metadata=metadata)
    return buffer.getvalue()
