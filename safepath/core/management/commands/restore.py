"""``safepath restore SRC``: check a backup's hashes, put it in place, check the audit chain."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safepath.audit.selectors import audit_chain_verify
from safepath.core import backup, crypto
from safepath.core.cli import add_format_argument, emit

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Restore a backup made by `safepath backup` into this data folder and database: every "
        "file's SHA-256 is checked first; a target that is not empty needs --force. Stop the "
        "service first. Then checks the audit chain."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("src", type=Path, help="the backup folder")
        parser.add_argument(
            "--force", action="store_true", help="replace a database and data folder in use"
        )
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.restore(options["src"], force=options["force"])
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from None
        head = manifest.get("audit_head")
        seq, _, digest = (head or "").partition(":")
        # the head at backup time as the anchor: nothing was cut off the end since
        verdict = audit_chain_verify(anchor=(int(seq), digest) if head else None)
        ring = crypto.current_keyring()
        in_use = manifest["keys"].get("in_use", {})
        needed = {key_id for table in in_use.values() for key_id in table}
        missing = sorted(needed - set(ring.keys) - set(ring.index_keys) - set(ring.audit_keys))
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        data = {
            "src": str(options["src"]),
            "files": len(manifest["files"]),
            "created_at": manifest["created_at"],
            "audit_intact": verdict.intact,
            "audit_checked": verdict.checked,
            "audit_broken_at": verdict.broken_at,
            "missing_keys": missing,
            "migrations_to_apply": len(pending),
        }
        lines = [
            f"Restored {data['files']} files from a backup made {manifest['created_at']}.",
            f"Audit trail {'intact' if verdict.intact else 'BROKEN'}: {verdict.checked} events "
            "checked" + ("." if verdict.intact else f", first broken at #{verdict.broken_at}."),
        ]
        if missing:
            lines.append(
                "The keyring lacks keys this backup needs: " + ", ".join(missing) + ". Put the "
                "keyring of the backup's time in place (SAFEPATH_KEYRING_FILE)."
            )
        if pending:
            lines.append(f"Run `safepath migrate`: {len(pending)} migrations to apply.")
        emit(self, options, data, "\n".join(lines))
        if not verdict.intact or missing:
            raise SystemExit(1)
