"""``safepath online hash | match | flags | graph | indicators`` run on files with no database;
``import-bank | banks | escalate`` work on the database.

Bad input (a file that is not an image, a corrupt or oversize image, an unknown bank, a hash
list with malformed lines) names the file and line and exits with code 2; nothing is stored.
"""

from __future__ import annotations

import csv
import io
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.core.cli import add_format_argument, wants_json
from safepath.online.engine import banks, graph, hashing, indicators
from safepath.online.engine.matching import PDQ_MAX_THRESHOLD, TRIAGE_NOTICE, Matcher

EXIT_BAD_INPUT = 2


def bad_input(lines: list[str]) -> CommandError:
    return CommandError("bad input:\n" + "\n".join(lines[:50]), returncode=EXIT_BAD_INPUT)


def hash_all(paths: list[Path], *, max_bytes: int, dihedral: bool) -> list[hashing.HashResult]:
    results, problems = [], []
    for path in paths:
        try:
            results.append(hashing.hash_file(path, max_bytes=max_bytes, dihedral=dihedral))
        except hashing.ImageError as error:
            problems.append(str(error))
    if problems:
        raise bad_input(problems)
    return results


class Command(BaseCommand):
    help = "Online safety: hash and match images, text red flags, advert graph, hash banks."
    # Files in, JSON or text out: no database, secret or settings (core/engine_verbs.py).
    # `match --bank NAME` of a stored bank needs the database; on files it does not.
    engine_verbs = ("hash", "match", "flags", "graph", "indicators")

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        hash_ = sub.add_parser("hash", help="PDQ, quality, MD5 and SHA-1 of image files")
        hash_.add_argument("files", nargs="+", type=Path)
        hash_.add_argument("--dihedral", action="store_true", help="also the 8 dihedral hashes")
        hash_.add_argument("--max-bytes", type=int, default=hashing.MAX_FILE_BYTES)
        add_format_argument(hash_)
        match = sub.add_parser("match", help="match image files against banks")
        match.add_argument("files", nargs="+", type=Path)
        match.add_argument(
            "--bank",
            action="append",
            required=True,
            help="a hash-list file, or the name of a bank stored in SafePath (repeatable)",
        )
        match.add_argument("--bank-format", choices=banks.FORMATS, default=None)
        match.add_argument("--threshold", type=int, default=31, help="PDQ distance (files)")
        match.add_argument("--no-dihedral", action="store_true")
        match.add_argument("--max-bytes", type=int, default=hashing.MAX_FILE_BYTES)
        add_format_argument(match)
        flags = sub.add_parser("flags", help="text red flags of an advert or chat (file or -)")
        flags.add_argument("file", type=Path)
        flags.add_argument("--kind", choices=indicators.KINDS, default="advert")
        flags.add_argument("--language", action="append", choices=indicators.LANGUAGES)
        add_format_argument(flags)
        graph_ = sub.add_parser(
            "graph", help="adverts linked by phones, e-mails (CSV: id,city,text)"
        )
        graph_.add_argument("file", type=Path)
        add_format_argument(graph_)
        listing = sub.add_parser("indicators", help="list or check the indicator files")
        listing.add_argument("--check", action="store_true")
        add_format_argument(listing)
        importing = sub.add_parser("import-bank", help="import a hash list into a stored bank")
        importing.add_argument("file", type=Path)
        importing.add_argument("--name", required=True)
        importing.add_argument("--user", required=True, help="the supervisor who imports")
        importing.add_argument("--title", default="")
        importing.add_argument("--source", default="")
        importing.add_argument("--licence", default="")
        importing.add_argument("--scope", choices=["owner", "listed", "sector"], default="owner")
        importing.add_argument("--allow", default="", help="agency codes that may match (listed)")
        importing.add_argument("--bank-format", choices=banks.FORMATS, default="")
        importing.add_argument("--threshold", type=int, default=31)
        add_format_argument(importing)
        stored = sub.add_parser("banks", help="list the stored banks")
        add_format_argument(stored)
        escalate = sub.add_parser("escalate", help="escalate overdue notices now")
        add_format_argument(escalate)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["verb"].replace("-", "_"))(options)

    def _emit(self, options: dict[str, Any], data: Any, text: str) -> None:
        if wants_json(options):
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(text)

    # --- engine verbs: files in, no database ------------------------------------------------

    def _hash(self, options: dict[str, Any]) -> None:
        results = hash_all(
            options["files"], max_bytes=options["max_bytes"], dihedral=options["dihedral"]
        )
        data = []
        for result in results:
            row = result.as_dict()
            if options["dihedral"]:
                row["dihedral"] = dict(zip(hashing.DIHEDRAL_NAMES, result.dihedral, strict=True))
            data.append(row)
        text = "\n".join(f"{r.pdq},{r.quality},{r.md5},{r.sha1},{r.file}" for r in results)
        self._emit(options, data, text)

    def _load_banks(self, options: dict[str, Any]) -> Matcher:
        if not 0 <= options["threshold"] <= PDQ_MAX_THRESHOLD:
            raise bad_input([f"--threshold: between 0 and {PDQ_MAX_THRESHOLD}"])
        matcher = Matcher()
        problems: list[str] = []
        for name in options["bank"]:
            path = Path(name)
            if path.is_file():
                try:
                    parsed = banks.read_bank_file(path, fmt=options["bank_format"] or "")
                except banks.BankFileError as error:
                    problems.extend(str(p) for p in error.problems)
                    continue
                matcher.add_bank(str(path), parsed.signals, threshold=options["threshold"])
            else:
                stored = self._stored_bank(name)
                if stored is None:
                    problems.append(f"{name}: unknown bank (no such file, no stored bank)")
                else:
                    matcher.merge(stored)
        if problems:
            raise bad_input(problems)
        return matcher

    def _stored_bank(self, name: str) -> Matcher | None:
        """A bank stored in SafePath, by name (needs the database)."""
        from django.core.exceptions import ImproperlyConfigured
        from django.db import DatabaseError

        try:
            from safepath.online.models import HashBank
            from safepath.online.services import matcher_for

            bank = HashBank.objects.filter(name=name, is_active=True).first()
        except (DatabaseError, ImproperlyConfigured):  # no database: an engine run on files
            return None
        return matcher_for([bank]) if bank is not None else None

    def _match(self, options: dict[str, Any]) -> None:
        matcher = self._load_banks(options)
        results = hash_all(
            options["files"], max_bytes=options["max_bytes"], dihedral=not options["no_dihedral"]
        )
        matched = [matcher.match(result) for result in results]
        data = [m.as_dict() for m in matched]
        lines = []
        for m in matched:
            found = ", ".join(f"{x.bank} {x.kind} d={x.distance} ({x.variant})" for x in m.matches)
            lines.append(f"{m.file}: {found or 'no match'}")
        lines.append(TRIAGE_NOTICE)
        self._emit(options, data, "\n".join(lines))

    def _read_text(self, path: Path) -> str:
        import sys

        if str(path) == "-":
            return sys.stdin.read()
        if not path.is_file():
            raise bad_input([f"{path}: no such file"])
        try:
            return path.read_text("utf-8")
        except UnicodeDecodeError as error:
            raise bad_input([f"{path}: not UTF-8 text (byte {error.start})"]) from None

    def _flags(self, options: dict[str, Any]) -> None:
        languages = tuple(options["language"] or indicators.LANGUAGES)
        result = indicators.analyse(
            self._read_text(options["file"]), kind=options["kind"], languages=languages
        )
        lines = [f"score {result.score}"]
        lines += [f"{h.id} ({h.weight}) {h.title}: {', '.join(h.matched)}" for h in result.hits]
        lines.append(indicators.TRIAGE_NOTICE)
        self._emit(options, result.as_dict(), "\n".join(lines))

    def _graph(self, options: dict[str, Any]) -> None:
        rows = list(csv.DictReader(io.StringIO(self._read_text(options["file"]))))
        problems = [
            f"{options['file']}, line {i + 2}: needs id, city and text"
            for i, row in enumerate(rows)
            if not (row.get("id") and row.get("text") is not None)
        ]
        if problems or not rows:
            raise bad_input(problems or [f"{options['file']}: no adverts (header: id,city,text)"])
        nodes = []
        for row in rows:
            phones, emails = indicators.extract_contacts(row["text"] or "")
            nodes.append(
                graph.AdvertNode(
                    id=row["id"],
                    city=row.get("city") or "",
                    phones=tuple(phones),
                    emails=tuple(emails),
                )
            )
        built = graph.build_graph(nodes).as_dict()
        lines = [f"{p['phone']}: {p['city_count']} cities" for p in built["phones"]]
        lines.append(graph.TRIAGE_NOTICE)
        self._emit(options, built, "\n".join(lines))

    def _indicators(self, options: dict[str, Any]) -> None:
        if options["check"]:
            problems = indicators.validate_files()
            if problems:
                raise bad_input(problems)
            self._emit(options, {"valid": True}, "indicator files are valid")
            return
        data = indicators.describe()
        self._emit(
            options, data, "\n".join(f"{d['id']} [{d['language']}] {d['title']}" for d in data)
        )

    # --- database verbs ---------------------------------------------------------------------

    def _import_bank(self, options: dict[str, Any]) -> None:
        from safepath.accounts.models import User
        from safepath.audit.models import Channel
        from safepath.core.exceptions import ApplicationError, FieldValidationError
        from safepath.online import services
        from safepath.online.models import HashBank

        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise bad_input([f"--user: no active user {options['user']}"])
        path: Path = options["file"]
        if not path.is_file():
            raise bad_input([f"{path}: no such file"])
        existing = HashBank.objects.filter(name=options["name"]).first()
        try:
            target: Any = existing or services.BankInput(
                name=options["name"],
                title=options["title"] or options["name"],
                source=options["source"],
                licence=options["licence"],
                match_scope=options["scope"],
                allowed_agencies=services.agencies_by_code(options["allow"]),
                pdq_threshold=options["threshold"],
            )
            record = services.bank_import(
                user=user,
                bank=target,
                content=path.read_bytes(),
                file_name=str(path),
                file_format=options["bank_format"],
                channel=Channel.CLI,
            )
        except FieldValidationError as error:
            raise bad_input([m for messages in error.fields.values() for m in messages]) from None
        except ApplicationError as error:
            raise bad_input([error.message]) from None
        data = {
            "bank": record.bank.name,
            "added": record.added,
            "format": record.file_format,
            "already_present": record.already_present,
        }
        self._emit(options, data, f"{record.bank.name}: {record.added} hashes added")

    def _banks(self, options: dict[str, Any]) -> None:
        from django.db.models import Count

        from safepath.online.models import HashBank

        rows = [
            {
                "name": b.name,
                "source": b.source,
                "licence": b.licence,
                "scope": b.match_scope,
                "threshold": b.pdq_threshold,
                "signals": b.n,
            }
            for b in HashBank.objects.annotate(n=Count("signals")).order_by("name")
        ]
        self._emit(
            options, rows, "\n".join(f"{r['name']}: {r['signals']} ({r['source']})" for r in rows)
        )

    def _escalate(self, options: dict[str, Any]) -> None:
        from safepath.online.services import notices_escalate_overdue

        run = notices_escalate_overdue()
        self._emit(options, run.as_dict(), f"{len(run.escalated)} notices escalated")
