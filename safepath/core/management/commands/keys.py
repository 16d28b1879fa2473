"""``safepath keys init|status|rotate|retire``: the encryption keyring and its rotation."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core import crypto, keyring, rotation
from safepath.core.cli import add_format_argument, emit


class Command(BaseCommand):
    help = "Manage the encryption keyring: init, status, rotate, retire KEY_ID."
    # `keys init` runs before a deployment has secrets (see core/engine_verbs.py).
    engine_verbs = ("init",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        init = sub.add_parser("init", help="write a new keyring file")
        init.add_argument("path", type=Path)
        status = sub.add_parser("status", help="how many values each key encrypts")
        add_format_argument(status)
        sub.add_parser("rotate", help="add a new active key and re-encrypt everything under it")
        retire = sub.add_parser("retire", help="remove a key that no value uses any more")
        retire.add_argument("key_id")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "init":
            self._init(options["path"])
            return
        path: Path | None = settings.KEYRING_FILE
        if path is None:
            raise CommandError(
                "The keyring comes from SAFEPATH_KEYRING; rotation needs a keyring file "
                "(SAFEPATH_KEYRING_FILE) that every SafePath process reads."
            )
        getattr(self, f"_{verb}")(path, options)

    def _init(self, path: Path) -> None:
        try:
            keyring.create_file(path)
        except keyring.KeyringError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(keyring.INIT_DONE.format(path=path))

    def _status(self, path: Path, options: dict[str, Any]) -> None:
        ring = keyring.load_file(path)
        counts = {key_id: rotation.values_under(key_id) for key_id in ring.keys}
        lines = [
            f"{key_id}{' (active)' if key_id == ring.active else ''}: {count} values"
            for key_id, count in counts.items()
        ]
        emit(self, options, {"active": ring.active, "values": counts}, "\n".join(lines))

    def _rotate(self, path: Path, options: dict[str, Any]) -> None:
        ring = keyring.load_file(path).with_new_active_key()
        keyring.write_file(path, ring)
        crypto.reload_keyring()
        self.stdout.write(
            f"New active key {ring.active}; running services pick it up within "
            f"{crypto.RELOAD_SECONDS:.0f} seconds. Re-encrypting ..."
        )
        total = sum(column.count_not_under(ring.active) for column in rotation.encrypted_columns())
        with tqdm(total=total, unit="value", disable=options["verbosity"] < 1) as bar:
            report = rotation.reencrypt_all(ring, progress=bar.update)
        audit_record(
            actor=Actor.system(Channel.CLI),
            action=Action.KEY_ROTATION,
            object_type="keyring",
            object_id=ring.active,
            details={"reencrypted": report.reencrypted, "remaining": report.remaining},
        )
        self.stdout.write(
            f"Re-encrypted {report.reencrypted} values under {ring.active}; "
            f"{report.remaining} remain under older keys."
        )
        if report.remaining:
            raise CommandError("Some values are still under older keys; run `keys rotate` again.")
        self.stdout.write("Older keys may now be retired with `safepath keys retire KEY_ID`.")

    def _retire(self, path: Path, options: dict[str, Any]) -> None:
        ring = keyring.load_file(path)
        key_id = options["key_id"]
        if key_id not in ring.keys:
            raise CommandError(f"There is no key {key_id!r} in the keyring.")
        still = rotation.values_under(key_id)
        if still:
            raise CommandError(
                f"{still} values are still encrypted under {key_id}; "
                "run `safepath keys rotate` first."
            )
        keyring.write_file(path, ring.without_key(key_id))
        crypto.reload_keyring()
        audit_record(
            actor=Actor.system(Channel.CLI),
            action=Action.KEY_ROTATION,
            object_type="keyring",
            object_id=key_id,
            details={"retired": True},
        )
        self.stdout.write(f"Retired key {key_id}.")
