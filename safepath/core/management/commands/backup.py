"""``safepath backup DEST``: the database, the document files and a manifest with their hashes."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.audit.models import Action, Channel
from safepath.audit.selectors import audit_chain_verify
from safepath.audit.services import Actor, audit_record
from safepath.core import backup, crypto, rotation
from safepath.core.cli import add_format_argument, emit

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Back up the database, the sealed document files and a manifest (SHA-256 of every "
        "file, key ids in use, schema migrations, time) into DEST, a new or empty folder. "
        "The keyring is not included: back it up separately."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("dest", type=Path, help="a folder that does not exist yet, or empty")
        parser.add_argument(
            "--include-keyring",
            action="store_true",
            help="also copy the keyring file into the backup (not recommended: a backup "
            "with its keys is readable by whoever holds it)",
        )
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup.check_destination(options["dest"])
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from None
        ring = crypto.current_keyring()
        in_use = {
            kind: {key_id: n for key_id, n in table.items() if n}
            for kind, table in rotation.counts(ring).items()
        }
        verdict = audit_chain_verify()
        if not verdict.intact:
            raise CommandError(
                f"The audit trail is broken at event #{verdict.broken_at} ({verdict.reason}); "
                "investigate before backing up (`safepath audit verify`)."
            )
        audit_head = f"{verdict.head_seq}:{verdict.head_hash}" if verdict.head_seq else None
        keys = {
            "active": ring.active,
            "index_active": ring.index_active,
            "audit_active": ring.audit_active,
            "in_use": in_use,
        }
        try:
            result = backup.create(
                options["dest"],
                keys=keys,
                audit_head=audit_head,
                include_keyring=options["include_keyring"],
            )
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from None
        manifest = result.manifest
        audit_record(  # a copy of everything left the running system
            actor=Actor.system(Channel.CLI),
            action=Action.EXPORT,
            object_type="backup",
            object_id=result.manifest_sha256[:32],
            details={"files": len(manifest["files"]), "audit_head": audit_head},
        )
        data = {
            "dest": str(options["dest"]),
            "manifest_sha256": result.manifest_sha256,
            "files": len(manifest["files"]),
            "bytes": sum(f["size"] for f in manifest["files"].values()),
            "created_at": manifest["created_at"],
            "audit_head": audit_head,
            "keyring_included": manifest["keyring_included"],
        }
        text = (
            f"Backed up {data['files']} files ({data['bytes']} bytes) to {options['dest']}.\n"
            f"Manifest SHA-256: {result.manifest_sha256} (write it down beside the audit "
            f"head {audit_head}).\n"
            + (
                "The keyring IS in this backup: keep it as secret as the keys themselves."
                if manifest["keyring_included"]
                else "The keyring is not in the backup: back it up separately, offline."
            )
        )
        emit(self, options, data, text)
