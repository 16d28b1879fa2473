"""``safepath link dedupe|between``: clear-text probabilistic linkage of CSV files.

Input is canonical records (``safepath.linkage.engine.canonical``) or any CSV with a
``--mapping`` YAML; output is one CSV row per predicted match. Bad input exits with code 2
and a message naming file, row and field; nothing is written then.
"""

from __future__ import annotations

import csv
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from safepath.core.cli import add_format_argument, emit
from safepath.linkage import engine
from safepath.linkage.engine.errors import LinkageError

STEPS = ("reading", "training", "predicting", "clustering", "writing")


def backend_setting() -> str:
    """``SAFEPATH_LINKAGE_BACKEND`` (``duckdb`` by default, ``spark`` for national scale)."""
    return str(getattr(settings, "SAFEPATH_LINKAGE_BACKEND", "duckdb"))


class StepBar:
    """A tqdm bar over the pipeline's named steps, on stderr so stdout stays clean."""

    def __init__(self, command: BaseCommand, enabled: bool) -> None:
        stream: Any = getattr(command.stderr, "_out", command.stderr)
        self.bar = tqdm(
            total=len(STEPS),
            file=stream,
            disable=not enabled,
            unit="step",
            leave=False,
            delay=1.0,
        )

    def __call__(self, label: str) -> None:
        self.bar.set_description(label)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _threshold(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Find records of the same child: within one file (dedupe) or between two files."
    engine_verbs = ("dedupe", "between")  # files in, a file out (core/engine_verbs.py)

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        dedupe = sub.add_parser("dedupe", help="pairs of records in one file that match")
        dedupe.add_argument("--input", required=True, help="CSV of person records")
        between = sub.add_parser("between", help="pairs across two files")
        between.add_argument("--left", required=True, help="CSV of person records")
        between.add_argument("--right", required=True, help="CSV of person records")
        for verb in (dedupe, between):
            verb.add_argument("--output", required=True, help="CSV of predicted matches")
            verb.add_argument(
                "--threshold",
                type=_threshold,
                default=0.9,
                help="minimum match probability in (0, 1] (default 0.9)",
            )
            verb.add_argument("--mapping", help="YAML mapping other column names to canonical")
            verb.add_argument(
                "--model",
                type=Path,
                help="predict with a saved model (no training)",
            )
            verb.add_argument("--save-model", type=Path, help="write the trained model (JSON)")
            verb.add_argument("--no-progress", action="store_true", help="no progress bar")
            add_format_argument(verb)

    def handle(self, *args: Any, **options: Any) -> None:
        progress = StepBar(self, enabled=not options["no_progress"])
        model = _read_model(options["model"]) if options["model"] else None
        try:
            mapping = engine.load_mapping(options["mapping"]) if options["mapping"] else None
            if options["verb"] == "dedupe":
                records = engine.read_records(options["input"], mapping=mapping)
                progress("reading")
                result = engine.dedupe(
                    records,
                    threshold=options["threshold"],
                    backend=backend_setting(),
                    progress=progress,
                    model=model,
                )
                header, columns = ["id_1", "id_2", "match_probability"], ["id_1", "id_2"]
                counts = {"records": len(records)}
            else:
                left = engine.read_records(options["left"], mapping=mapping)
                right = engine.read_records(options["right"], mapping=mapping)
                progress("reading")
                result = engine.link(
                    left,
                    right,
                    threshold=options["threshold"],
                    backend=backend_setting(),
                    progress=progress,
                    model=model,
                )
                header, columns = (
                    ["left_id", "right_id", "match_probability"],
                    ["left_id", "right_id"],
                )
                counts = {"left_records": len(left), "right_records": len(right)}
        except LinkageError as exc:
            progress.close()
            raise CommandError("\n".join(exc.problems), returncode=2) from exc
        _write_pairs(Path(options["output"]), header, result.pairs[[*columns, "match_probability"]])
        if options["save_model"]:
            options["save_model"].write_text(json.dumps(result.model(), indent=1), "utf-8")
        progress("writing")
        progress.close()
        summary = {
            **counts,
            "pairs": len(result.pairs),
            "threshold": options["threshold"],
            "output": options["output"],
        }
        emit(
            self,
            options,
            summary,
            f"{len(result.pairs)} predicted matches at p >= {options['threshold']} "
            f"written to {options['output']}.",
        )


def _read_model(path: Path) -> dict[str, Any]:
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path}: cannot read the model ({exc})", returncode=2) from exc
    if not isinstance(model, dict):
        raise CommandError(f"{path}: not a saved model", returncode=2)
    return model


def _write_pairs(path: Path, header: list[str], pairs: Any) -> None:
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for a, b, p in pairs.itertuples(index=False):
                writer.writerow([a, b, f"{p:.6f}"])
    except OSError as exc:
        raise CommandError(f"{path}: cannot write output ({exc})", returncode=2) from exc
