"""``safepath screen validate ID --labels FILE.csv``: local accuracy beside the published studies.

Kept apart from ``management/commands/screen.py`` so that the verb can grow without touching
the other verbs: the command adds the parser with ``add_validate_parser`` and hands the
options to ``run_validate``.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from safepath.core.cli import add_format_argument, wants_json
from safepath.screening import instruments
from safepath.screening.accuracy import (
    MEASURES,
    METHODS,
    Estimate,
    LabelFileError,
    MeasureComparison,
    compare,
    evaluate,
    read_labels,
)

if TYPE_CHECKING:
    from argparse import _SubParsersAction

EXIT_BAD_INPUT = 2
LABELS = {
    "sensitivity": "Sensitivity",
    "specificity": "Specificity",
    "ppv": "PPV",
    "npv": "NPV",
}
EMPTY = {
    "sensitivity": "no confirmed victims",
    "specificity": "no confirmed non-victims",
    "ppv": "no positive screens",
    "npv": "no negative screens",
}
METHOD_NAMES = {"wilson": "Wilson", "exact": "exact Clopper-Pearson"}


def add_validate_parser(subparsers: _SubParsersAction[ArgumentParser]) -> ArgumentParser:
    parser = subparsers.add_parser(
        "validate",
        help="sensitivity, specificity, PPV and NPV on local labels, beside the published ones",
    )
    parser.add_argument("instrument")
    parser.add_argument(
        "--labels",
        required=True,
        type=Path,
        help="CSV file with the columns screen_result and confirmed_outcome",
    )
    parser.add_argument(
        "--interval",
        choices=METHODS,
        default="wilson",
        help="95%% interval: wilson (default) or exact (Clopper-Pearson)",
    )
    add_format_argument(parser)
    return parser


def run_validate(command: BaseCommand, options: dict[str, Any]) -> int:
    """Print the local figures and the published ones; 2 on a bad instrument id or file."""
    try:
        instrument = instruments.get(options["instrument"])
        labels = read_labels(options["labels"])
    except (instruments.InstrumentError, LabelFileError) as error:
        command.stderr.write(str(error))
        return EXIT_BAD_INPUT
    performance = evaluate(labels.table, options.get("interval") or "wilson")
    comparisons = [compare(performance, study) for study in instrument.validation]
    if wants_json(options):
        payload = {
            "instrument": {
                "id": instrument.id,
                "version": instrument.version,
                "title": instrument.title,
            },
            "labels": {"file": str(options["labels"]), **labels.to_dict()},
            "performance": performance.to_dict(),
            "published": [comparison.to_dict() for comparison in comparisons],
        }
        command.stdout.write(json.dumps(payload, ensure_ascii=False))
        return 0
    table = labels.table
    write = command.stdout.write
    write(f"{instrument.title} ({instrument.id} {instrument.version})")
    write(f"Labels: {options['labels']}: {labels.rows} rows, {table.n} in the table")
    if labels.excluded:
        write(
            f"  {labels.excluded} rows left out (insufficient_information), "
            f"{labels.excluded_victims} of them confirmed victims"
        )
    write(f"  TP {table.tp}  FN {table.fn}  FP {table.fp}  TN {table.tn}")
    write(f"95% intervals: {METHOD_NAMES[performance.method]}")
    for name in MEASURES:
        write("")
        write(f"{LABELS[name]:<12} {_estimate(performance.measure(name), name)}")
        for comparison in comparisons:
            write(f"  {_published(comparison.measure(name))}  {comparison.study}")
    write("")
    write(
        "PPV and NPV depend on how common trafficking is in the group screened, so they are "
        "shown beside the published ones but not compared."
    )
    return 0


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _estimate(estimate: Estimate, name: str) -> str:
    if estimate.value is None or estimate.interval is None:
        return f"n/a ({EMPTY[name]})"
    low, high = estimate.interval
    return (
        f"{_percent(estimate.value)}  (95% CI {_percent(low)} to {_percent(high)}; "
        f"{estimate.successes} of {estimate.total})"
    )


def _published(comparison: MeasureComparison) -> str:
    if comparison.published is None:
        return f"{'not published':<34}"
    verdict = {
        True: "inside the local interval",
        False: "outside the local interval",
        None: "",
    }[comparison.within]
    return f"{_percent(comparison.published):>6} {verdict:<27}"
