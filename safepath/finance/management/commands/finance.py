"""``safepath finance screen | rules | synth | report``: the bank's standalone batch job."""

from __future__ import annotations

import json
import os
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from safepath.core.cli import add_format_argument, wants_json
from safepath.finance.engine import Alert, InputError, load_rules, parse_period, screen
from safepath.finance.engine.adapters import convert_amlworld, convert_samld
from safepath.finance.engine.camt053 import read_camt053
from safepath.finance.engine.extract import fetch_rows
from safepath.finance.engine.screening import prepare
from safepath.finance.engine.synth import SynthConfig, generate
from safepath.finance.reports import (
    ReportError,
    load_profile,
    render_goaml,
    render_sar_fields,
    validate_goaml,
)

EXIT_BAD_INPUT = 2


class _Stderr:
    """tqdm writes partial lines; Django's OutputWrapper would add a newline to each."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command

    def write(self, text: str) -> None:
        self.command.stderr.write(text, ending="")

    def flush(self) -> None:
        self.command.stderr.flush()


def _advance(bar: tqdm[Any], step: str) -> None:
    bar.set_description(step)
    bar.update(1)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename: no half-written output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    Path(tmp).replace(path)


def _bad_input(error: InputError | ReportError) -> CommandError:
    lines = [str(p) for p in error.problems] if isinstance(error, InputError) else error.errors
    return CommandError("bad input:\n" + "\n".join(lines[:50]), returncode=EXIT_BAD_INPUT)


class Command(BaseCommand):
    help = (
        "Financial red flags: screen transactions, prepare them for Spark, list rules, "
        "synthesise data, render reports."
    )
    # A bank runs these on its own files, with nothing of SafePath configured.
    engine_verbs = ("screen", "prepare", "rules", "synth", "report")

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        run = sub.add_parser("screen", help="screen transactions and write alerts")
        run.add_argument("--transactions", required=True, type=Path)
        run.add_argument("--customers", type=Path, help="required for canonical input")
        run.add_argument(
            "--input-format",
            choices=["canonical", "camt053", "amlworld", "samld"],
            default="canonical",
            help="camt053: --transactions is a statement XML; amlworld/samld: the dataset's CSV",
        )
        run.add_argument(
            "--rules", type=Path, help="a rules directory (default: the shipped catalogue)"
        )
        run.add_argument(
            "--mapping", type=Path, help="column-mapping YAML for the bank's own names"
        )
        run.add_argument(
            "--period", help="month, or YYYY-MM-DD..YYYY-MM-DD (default: the data's span)"
        )
        run.add_argument("--base-currency", default="USD")
        run.add_argument("--threshold", type=int)
        run.add_argument("--previous", type=Path, help="earlier alerts.json, to suppress repeats")
        run.add_argument(
            "--engine",
            choices=["duckdb", "spark"],
            default="duckdb",
            help="where the rules run: DuckDB here, or Spark (pip install 'safepath[spark]')",
        )
        run.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
        run.add_argument("--memory-limit", help="DuckDB memory limit, e.g. 1GB")
        run.add_argument(
            "--spill-dir", type=Path, help="work in a temporary database file here (large inputs)"
        )
        run.add_argument("--out", required=True, type=Path)
        add_format_argument(run)
        prep = sub.add_parser(
            "prepare", help="validate and write the rule tables as parquet, for a Spark job"
        )
        prep.add_argument("--transactions", required=True, type=Path)
        prep.add_argument("--customers", required=True, type=Path)
        prep.add_argument("--mapping", type=Path)
        prep.add_argument("--base-currency", default="USD")
        prep.add_argument("--spill-dir", type=Path)
        prep.add_argument("--out", required=True, type=Path, help="folder for the parquet files")
        add_format_argument(prep)
        rules = sub.add_parser("rules", help="list the rules and their sources")
        rules.add_argument("--rules", type=Path)
        add_format_argument(rules)
        synth = sub.add_parser(
            "synth", help="write synthetic transactions with injected typologies"
        )
        synth.add_argument("--customers", type=int, required=True)
        synth.add_argument("--days", type=int, required=True)
        synth.add_argument("--seed", type=int, default=7)
        synth.add_argument(
            "--rate", type=float, default=1.0, help="ordinary transactions per customer-day"
        )
        synth.add_argument("--file-format", choices=["parquet", "csv"], default="parquet")
        synth.add_argument("--out", required=True, type=Path)
        add_format_argument(synth)
        report = sub.add_parser("report", help="render a report for one alert and validate it")
        report.add_argument("--alerts", required=True, type=Path)
        report.add_argument("--alert-id")
        report.add_argument("--customer")
        report.add_argument("--transactions", required=True, type=Path)
        report.add_argument("--customers", required=True, type=Path)
        report.add_argument("--mapping", type=Path)
        report.add_argument("--profile", default="test")
        report.add_argument(
            "--xsd", type=Path, help="the FIU's own schema (overrides the profile's)"
        )
        report.add_argument("--rentity-id", type=int, default=1)
        report.add_argument("--rentity-name", default="Reporting institution")
        report.add_argument("--out", required=True, type=Path)
        add_format_argument(report)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["verb"])(options)

    def _screen(self, options: dict[str, Any]) -> None:
        previous: list[Alert] = []
        if options["previous"]:
            previous = [
                Alert.from_dict(a) for a in json.loads(options["previous"].read_text("utf-8"))
            ]
        bar = tqdm(
            total=len(load_rules(options["rules"])) + 1,
            file=_Stderr(self),
            unit="step",
            disable=None,
            leave=False,
        )
        try:
            transactions, customers = self._inputs(options)
            result = screen(
                transactions,
                customers,
                rules_dir=options["rules"],
                mapping=options["mapping"],
                base_currency=options["base_currency"],
                period=parse_period(options["period"]),
                threshold=options["threshold"],
                previous_alerts=previous,
                progress=lambda step: _advance(bar, step),
                threads=options["threads"],
                memory_limit=options["memory_limit"],
                spill_dir=options["spill_dir"],
                engine=options["engine"],
            )
        except InputError as error:
            raise _bad_input(error) from error
        finally:
            bar.close()
        alerts = [a.as_dict() for a in result.alerts]
        _write_atomic(
            options["out"], json.dumps(alerts, indent=1, ensure_ascii=False).encode("utf-8")
        )
        if wants_json(options):
            self.stdout.write(json.dumps(alerts, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result.transactions} transactions, {result.customers} customers, "
            f"{len(result.rules_run)} rules run, {len(result.alerts)} alerts -> {options['out']}"
        )
        for skipped in result.skipped_rules:
            self.stdout.write(f"skipped {skipped.id}: missing {', '.join(skipped.missing_fields)}")
        if result.suppressed:
            self.stdout.write(f"{len(result.suppressed)} repeat alerts suppressed")

    def _inputs(self, options: dict[str, Any]) -> tuple[Any, Any]:
        """The screen inputs: canonical files as given, other layouts converted first."""
        kind = options["input_format"]
        source = options["transactions"]
        if kind == "camt053":
            txns, custs = read_camt053(source)
            return txns, options["customers"] or custs
        if kind in ("amlworld", "samld"):
            out = Path(tempfile.mkdtemp(prefix="safepath-finance-"))
            convert = convert_amlworld if kind == "amlworld" else convert_samld
            txn_path, cust_path, _labels = convert(source, out)
            return txn_path, options["customers"] or cust_path
        if options["customers"] is None:
            raise CommandError(
                "--customers is required for canonical input", returncode=EXIT_BAD_INPUT
            )
        return source, options["customers"]

    def _prepare(self, options: dict[str, Any]) -> None:
        try:
            done = prepare(
                options["transactions"],
                options["customers"],
                options["out"],
                mapping=options["mapping"],
                base_currency=options["base_currency"],
                spill_dir=options["spill_dir"],
            )
        except InputError as error:
            raise _bad_input(error) from error
        if wants_json(options):
            self.stdout.write(json.dumps(done))
            return
        self.stdout.write(
            f"{done['transactions']} transactions, {done['customers']} customers prepared; "
            f"{len(done['rules'])} rules can run on them -> {options['out']}"
        )

    def _rules(self, options: dict[str, Any]) -> None:
        try:
            rules = load_rules(options["rules"])
        except InputError as error:
            raise _bad_input(error) from error
        if wants_json(options):
            self.stdout.write(json.dumps([r.as_dict() for r in rules], ensure_ascii=False))
            return
        for rule in rules:
            self.stdout.write(
                f"{rule.id:7} w{rule.weight:<3} {rule.typology:18} {rule.title}\n        "
                f"{rule.source}"
            )

    def _synth(self, options: dict[str, Any]) -> None:
        if options["customers"] < 1 or options["days"] < 1:
            raise CommandError(
                "--customers and --days must be at least 1", returncode=EXIT_BAD_INPUT
            )
        cfg = SynthConfig(
            customers=options["customers"],
            days=options["days"],
            seed=options["seed"],
            rate=options["rate"],
        )
        out = generate(cfg, options["out"], fmt=options["file_format"])
        data = {
            "transactions": str(out.transactions),
            "customers": str(out.customers),
            "ground_truth": str(out.ground_truth),
            "rows": out.rows,
            "injected": out.injected,
        }
        if wants_json(options):
            self.stdout.write(json.dumps(data))
        else:
            self.stdout.write(
                f"{out.rows} transactions, {sum(out.injected.values())} injected customers -> "
                f"{options['out']}"
            )

    def _report(self, options: dict[str, Any]) -> None:
        try:
            alerts = [Alert.from_dict(a) for a in json.loads(options["alerts"].read_text("utf-8"))]
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(
                f"{options['alerts']}: not an alerts file: {error}", returncode=EXIT_BAD_INPUT
            ) from error
        chosen = [
            a
            for a in alerts
            if (options["alert_id"] is None or a.alert_id == options["alert_id"])
            and (options["customer"] is None or a.customer_id == options["customer"])
        ]
        if not chosen or (options["alert_id"] is None and options["customer"] is None):
            raise CommandError(
                "name one alert with --alert-id or --customer", returncode=EXIT_BAD_INPUT
            )
        alert = chosen[0]
        try:
            profile = load_profile(options["profile"])
            txns, custs = fetch_rows(
                options["transactions"],
                options["customers"],
                alert.evidence_txn_ids,
                [alert.customer_id],
                mapping=options["mapping"],
                base_currency=alert.base_currency,
            )
            entity = {"rentity_id": options["rentity_id"], "name": options["rentity_name"]}
            if profile.format == "goaml":
                xml = render_goaml(alert, txns, custs, profile.path, entity)
                validate_goaml(xml, options["xsd"] or profile.xsd)
                payload = xml
            else:
                fields = render_sar_fields(alert, txns, custs, profile.path, entity)
                payload = json.dumps(fields, indent=1, ensure_ascii=False).encode("utf-8")
        except (InputError, ReportError) as error:
            raise _bad_input(error) from error
        _write_atomic(options["out"], payload)
        summary = {
            "alert_id": alert.alert_id,
            "profile": profile.id,
            "out": str(options["out"]),
            "valid": True,
        }
        if wants_json(options):
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"{profile.id} report for {alert.alert_id} written and valid -> {options['out']}"
            )
