"""``safepath evidence import-ctdc | sources | table | export | budget``.

Bad input (unknown dimension or source, epsilon <= 0 or over budget, k < 2, a CTDC file with a
wrong header or value) prints one message naming the field and its allowed values and exits
with code 2; nothing is stored, spent or released.
"""

from __future__ import annotations

import json
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.cli import add_format_argument, emit
from safepath.core.exceptions import ApplicationError, FieldValidationError
from safepath.evidence import services
from safepath.evidence.engine import ctdc, formats, kanon, tables
from safepath.evidence.engine.dimensions import InputError
from safepath.evidence.engine.store import AnalysisStore
from safepath.evidence.selectors import analysis_store, budget_for, source_list

EXIT_BAD_INPUT = 2
FILE_SOURCE = "file"


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


def _where(pairs: list[str]) -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, values = pair.partition("=")
        if not sep or not name:
            raise _fail(f"--where: '{pair}' is not DIMENSION=VALUE[|VALUE...].")
        where.setdefault(name.strip(), []).extend(v for v in values.split("|"))
    return where


def _names(text: str, option: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise _fail(f"{option}: give at least one dimension.")
    return names


class Command(BaseCommand):
    help = "Evidence base: import CTDC files, list sources, protected tables and exports."
    # A table straight from a CTDC file needs no database; from a source it is audited.
    engine_verbs = ("table --file",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        imp = sub.add_parser("import-ctdc", help="validate and load a CTDC-format CSV as a source")
        imp.add_argument("file", type=Path)
        imp.add_argument("--name", required=True, help="source name (not 'cases')")
        add_format_argument(imp)
        add_format_argument(sub.add_parser("sources", help="sources in the analysis store"))
        table = sub.add_parser("table", help="a protected table of counts")
        origin = table.add_mutually_exclusive_group(required=True)
        origin.add_argument("--source", help="a source of the analysis store (audited)")
        origin.add_argument(
            "--file", type=Path, help="a CTDC-format CSV, read directly: no database needed"
        )
        table.add_argument("--by", required=True, help="DIM[,DIM...]")
        table.add_argument("--where", action="append", default=[], help="DIM=VALUE[|VALUE]")
        table.add_argument("--k", type=int, default=11, help="threshold (default 11, as CTDC)")
        table.add_argument("--epsilon", type=float, help="differential privacy (spends budget)")
        table.add_argument("--format", choices=formats.FORMATS, default="json")
        table.add_argument("--out", type=Path, help="write to this file instead of stdout")
        export = sub.add_parser("export", help="record-level export after a k-anonymity check")
        export.add_argument("--source", required=True)
        export.add_argument("--k", type=int, required=True)
        export.add_argument("--quasi", required=True, help="quasi-identifiers: DIM[,DIM...]")
        export.add_argument("--max-suppression", type=float, default=0.05)
        export.add_argument("--format", choices=["ctdc", "csv"], default="ctdc")
        export.add_argument("--out", type=Path)
        export.add_argument("--report", type=Path, help="write the suppression report (JSON)")
        budget = sub.add_parser("budget", help="show (or --set) a source's privacy budget")
        budget.add_argument("--source", required=True)
        budget.add_argument("--set", dest="total", type=float)
        add_format_argument(budget)

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"].replace("-", "_")
        try:
            getattr(self, f"_{verb}")(options)
        except FieldValidationError as error:
            raise _fail(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.fields.items())
            ) from error
        except (ApplicationError, InputError) as error:
            raise _fail(str(error)) from error

    def _write(self, options: dict[str, Any], content: bytes, binary: bool = False) -> None:
        out: Path | None = options.get("out")
        if out is not None:
            out.write_bytes(content)
            self.stderr.write(f"wrote {out} ({len(content)} bytes)")
        elif binary:
            raise _fail("--format xlsx needs --out FILE.")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")

    def _import_ctdc(self, options: dict[str, Any]) -> None:
        info = services.source_import_ctdc(path=options["file"], name=options["name"])
        emit(
            self,
            options,
            info.to_json(),
            f"Imported {info.rows} records of CTDC schema {info.schema} as source '{info.name}'.",
        )

    def _sources(self, options: dict[str, Any]) -> None:
        sources = source_list(user=None)
        text = "\n".join(
            f"{s.name}\t{s.rows} rows\t{s.schema or '-'}\t{', '.join(d.name for d in s.dimensions)}"
            for s in sources
        )
        emit(self, options, [s.to_json() for s in sources], text or "No sources loaded.")

    def _table(self, options: dict[str, Any]) -> None:
        fmt = options["format"]
        if fmt == "xlsx" and options.get("out") is None:
            raise _fail("--format xlsx needs --out FILE.")
        if options.get("file") is not None:
            table = self._table_from_file(options)
        else:
            table = services.table_compute(
                user=None,
                source=options["source"],
                by=_names(options["by"], "--by"),
                where=_where(options["where"]),
                k=options["k"],
                epsilon=options["epsilon"],
                channel=Channel.CLI,
            )
        try:
            content, _mime, _ext = formats.render(table, fmt)
        except ValueError as error:
            raise _fail(f"--format {fmt}: {error}") from error
        self._write(options, content, binary=fmt == "xlsx")

    def _table_from_file(self, options: dict[str, Any]) -> tables.Table:
        """The same protected table, from a CTDC file loaded into a throw-away store.

        The analyst's own file on their own machine: nothing is stored or audited, and with
        ``--epsilon`` no privacy budget is kept (say so; a release goes through the app).
        """
        with tempfile.TemporaryDirectory(prefix="safepath-evidence-") as work:
            store = AnalysisStore(Path(work) / "analysis.duckdb")
            ctdc.import_ctdc(store, options["file"], FILE_SOURCE)
            if options["epsilon"] is not None:
                self.stderr.write(
                    "note: a table from a file spends no recorded privacy budget; releases "
                    "with a budget go through `--source` or the web app."
                )
            return tables.build_table(
                store,
                FILE_SOURCE,
                _names(options["by"], "--by"),
                _where(options["where"]),
                k=options["k"],
                epsilon=options["epsilon"],
            )

    def _export(self, options: dict[str, Any]) -> None:
        store = analysis_store()
        with transaction.atomic():
            result = kanon.export(
                store,
                options["source"],
                quasi=_names(options["quasi"], "--quasi"),
                k=options["k"],
                max_suppression=options["max_suppression"],
            )
            audit_record(
                actor=Actor.system(Channel.CLI),
                action=Action.EXPORT,
                object_type="evidence.source",
                object_id=options["source"],
                purpose="k-anonymous record-level export",
                details={
                    "k": options["k"],
                    "quasi": result.report["quasi_identifiers"],
                    "records": result.report["records_out"],
                },
            )
        content = kanon.to_csv(result, ctdc=options["format"] == "ctdc").encode("utf-8")
        if options.get("report"):
            options["report"].write_text(json.dumps(result.report, indent=1), encoding="utf-8")
        self.stderr.write(kanon.report_text(result.report))
        self._write(options, content)

    def _budget(self, options: dict[str, Any]) -> None:
        source = options["source"]
        analysis_store().source(source)
        if options.get("total") is not None:
            services.budget_set(user=None, source=source, total_epsilon=options["total"])
        budget = budget_for(source)
        total = budget.total_epsilon if budget else services.DEFAULT_TOTAL_EPSILON
        spent = budget.spent() if budget else 0
        data = {
            "source": source,
            "total_epsilon": str(total),
            "spent": str(spent),
            "remaining": str(total - spent),
        }
        emit(self, options, data, f"{source}: {total - spent} of {total} epsilon remains.")
