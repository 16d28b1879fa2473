"""``safepath pprl encode|match``: privacy-preserving matching with Bloom-filter CLKs.

``encode`` turns a CSV of person records into a JSON file of CLKs with the shared secret;
``match`` compares two such files (from two parties) and writes ``left_id,right_id,score``.
Files made with different secrets or schemas are refused (exit code 2), never matched.
Export is for children whose consent and best-interests record allow it: the caller
(the web app's export service) filters the records before this command sees them.
"""

from __future__ import annotations

import csv
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.core.cli import add_format_argument, emit
from safepath.linkage import engine
from safepath.linkage.engine import clk, pprl
from safepath.linkage.engine.errors import LinkageError


def _read_json(path: str, what: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path}: cannot read {what} ({exc})", returncode=2) from exc


def _read_secret(path: str) -> bytes:
    try:
        secret = Path(path).read_bytes().strip()
    except OSError as exc:
        raise CommandError(f"{path}: cannot read secret ({exc})", returncode=2) from exc
    if len(secret) < clk.MIN_SECRET_BYTES:
        raise CommandError(
            f"{path}: the secret must be at least {clk.MIN_SECRET_BYTES} bytes", returncode=2
        )
    return secret


def _score(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Encode records as CLKs with a shared secret, or match two CLK files."
    engine_verbs = ("encode", "match")  # files in, a file out (core/engine_verbs.py)

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        encode = sub.add_parser("encode", help="CSV of records -> JSON of CLKs")
        encode.add_argument(
            "--schema", required=True, help="clkhash v3 linkage schema JSON, or 'default'"
        )
        encode.add_argument("--secret-file", required=True, help="file holding the shared secret")
        encode.add_argument("--input", required=True, help="CSV of person records")
        encode.add_argument("--mapping", help="YAML mapping other column names to canonical")
        encode.add_argument("--output", required=True, help="JSON file of CLKs to send")
        add_format_argument(encode)
        match = sub.add_parser("match", help="two CLK files -> CSV of candidate pairs")
        match.add_argument("--left", required=True)
        match.add_argument("--right", required=True)
        match.add_argument(
            "--threshold",
            type=_score,
            default=pprl.DEFAULT_THRESHOLD,
            help=f"minimum Dice score (default {pprl.DEFAULT_THRESHOLD})",
        )
        match.add_argument("--output", required=True, help="CSV left_id,right_id,score")
        add_format_argument(match)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "encode":
            self._encode(options)
        else:
            self._match(options)

    def _encode(self, options: dict[str, Any]) -> None:
        schema = (
            pprl.default_schema()
            if options["schema"] == "default"
            else _read_json(options["schema"], "schema")
        )
        secret = _read_secret(options["secret_file"])
        try:
            mapping = engine.load_mapping(options["mapping"]) if options["mapping"] else None
            records = engine.read_records(options["input"], mapping=mapping)
            document = pprl.encode_file(pprl.encoding_view(records), schema, secret)
        except LinkageError as exc:
            raise CommandError("\n".join(exc.problems), returncode=2) from exc
        Path(options["output"]).write_text(json.dumps(document), encoding="utf-8")
        emit(
            self,
            options,
            {
                "records": len(records),
                "bits": document["bits"],
                "hardening": document["hardening"],
                "output": options["output"],
            },
            f"{len(records)} records encoded ({document['bits']} bits, hardening "
            f"{document['hardening']}) to {options['output']}.",
        )

    def _match(self, options: dict[str, Any]) -> None:
        left = _read_json(options["left"], "encodings")
        right = _read_json(options["right"], "encodings")
        try:
            pairs = pprl.match(left, right, threshold=options["threshold"])
        except LinkageError as exc:
            raise CommandError(
                "Refusing to match: " + "; ".join(exc.problems), returncode=2
            ) from exc
        with Path(options["output"]).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["left_id", "right_id", "score"])
            for left_id, right_id, score in pairs:
                writer.writerow([left_id, right_id, f"{score:.6f}"])
        emit(
            self,
            options,
            {"pairs": len(pairs), "threshold": options["threshold"], "output": options["output"]},
            f"{len(pairs)} candidate pairs at Dice >= {options['threshold']} written to "
            f"{options['output']}. They start a formal request; they disclose nothing.",
        )
