"""``safepath keys init|status|rotate|retire``: the encryption keyring and its rotation."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from safepath.audit.keys import unkeyed_events
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record, chain_locked
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
        status = sub.add_parser(
            "status", help="how many values, documents, signatures and indexes each key seals"
        )
        add_format_argument(status)
        rotate = sub.add_parser(
            "rotate",
            help="add new active keys and bring everything sealed (values, documents, "
            "signatures, blind indexes) under them",
        )
        rotate.add_argument(
            "--keep-index-key",
            action="store_true",
            help="rotate the encryption key only; keep the blind-index key",
        )
        rotate.add_argument(
            "--audit-key-only",
            action="store_true",
            help="only add a new audit chain key (a new segment of the chain; nothing is "
            "re-sealed); on a keyring from before audit keys, the chain is keyed from now on",
        )
        retire = sub.add_parser("retire", help="remove a key that nothing sealed uses any more")
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
        counts = rotation.counts(ring)
        lines = []
        labels = {"key": "key", "index": "index key", "audit": "audit key"}
        for family in keyring.FAMILIES:
            active = ring.active_of(family)
            for key_id in ring.ids_of(family):
                # a kind's table has the ids of its own family only (ids never repeat across)
                parts = [
                    f"{table[key_id]} {kind}" for kind, table in counts.items() if key_id in table
                ]
                lines.append(
                    f"{labels[family]} {key_id}{' (active)' if key_id == active else ''}: "
                    + (", ".join(parts) or "nothing")
                )
        unkeyed = unkeyed_events()
        if unkeyed or not ring.audit_keys:
            lines.append(
                f"unkeyed (written before the chain was keyed): {unkeyed} audit events"
                + ("" if ring.audit_keys else "; add an audit key: keys rotate --audit-key-only")
            )
        data: dict[str, Any] = {
            "active": ring.active,
            "index_active": ring.index_active,
            "audit_active": ring.audit_active,
            "audit_legacy_until": ring.audit_legacy_until,
            "unkeyed_audit_events": unkeyed,
        }
        data.update(counts)
        emit(self, options, data, "\n".join(lines))

    def _new_audit_key(self, ring: keyring.Keyring, path: Path) -> keyring.Keyring:
        """Write ``ring`` with a new audit key while no event is chained: a keyring's first
        audit key records the chain's head as the switch-over point."""
        with chain_locked() as head:
            ring = ring.with_new_audit_key(head_seq=head)
            keyring.write_file(path, ring)
        crypto.reload_keyring()
        return ring

    def _rotate(self, path: Path, options: dict[str, Any]) -> None:
        if options["audit_key_only"]:
            ring = self._new_audit_key(keyring.load_file(path), path)
            audit_record(
                actor=Actor.system(Channel.CLI),
                action=Action.KEY_ROTATION,
                object_type="keyring",
                object_id=ring.audit_active or "",
                details={"audit_key": ring.audit_active},
            )
            self.stdout.write(
                f"New audit key {ring.audit_active}: events from now on start a new segment of "
                "the chain. Back up the keyring now: without it, `audit verify` cannot check them."
            )
            return
        ring = keyring.load_file(path).with_new_active_key()
        families: tuple[rotation.Family, ...] = ("key",)
        if not options["keep_index_key"]:
            ring = ring.with_new_index_key()
            families = ("key", "index")
        ring = self._new_audit_key(ring, path)
        self.stdout.write(
            f"New active key {ring.active} (index key {ring.index_active}, audit key "
            f"{ring.audit_active}); running services pick it up within "
            f"{crypto.RELOAD_SECONDS:.0f} seconds. Re-sealing ..."
        )
        total = rotation.pending(ring, families)
        with tqdm(total=total, unit="item", disable=options["verbosity"] < 1) as bar:
            report = rotation.reencrypt_all(ring, progress=bar.update, families=families)
        audit_record(
            actor=Actor.system(Channel.CLI),
            action=Action.KEY_ROTATION,
            object_type="keyring",
            object_id=ring.active,
            details={
                "reencrypted": report.reencrypted,
                "remaining": report.remaining,
                "index_key": ring.index_active if "index" in families else None,
                "audit_key": ring.audit_active,
                "by_kind": report.by_kind,
                "waiting": report.waiting,
            },
        )
        done = ", ".join(f"{count} {kind}" for kind, count in report.by_kind.items())
        self.stdout.write(
            f"Re-sealed {report.reencrypted} items ({done or 'nothing'}) under the new keys; "
            f"{report.remaining} remain under older keys."
        )
        if report.waiting:
            self.stdout.write(
                f"{report.waiting} indexes of codes that people hold (tracking codes, report "
                "references) cannot be recomputed: each moves to the new index key when next "
                "used. The older index key cannot be retired until then."
            )
        if report.remaining:
            raise CommandError("Some items are still under older keys; run `keys rotate` again.")
        self.stdout.write("Older keys may now be retired with `safepath keys retire KEY_ID`.")

    def _retire(self, path: Path, options: dict[str, Any]) -> None:
        ring = keyring.load_file(path)
        key_id = options["key_id"]
        if ring.family_of(key_id) is None:
            raise CommandError(f"There is no key {key_id!r} in the keyring.", returncode=2)
        if key_id in (ring.active, ring.index_active, ring.audit_active):
            raise CommandError(f"{key_id} is an active key; rotate first.", returncode=2)
        still = rotation.sealed_under(ring, key_id)
        if still and ring.family_of(key_id) == "audit":
            raise CommandError(
                f"Audit key {key_id} still verifies {still.get('audit events', 0)} audit events "
                "(the trail is append-only): it stays in the keyring, and in its backups, as "
                "long as they do."
            )
        if still:
            what = ", ".join(f"{count} {_singular(kind, count)}" for kind, count in still.items())
            raise CommandError(
                f"Still sealed under {key_id}: {what}; run `safepath keys rotate` first "
                "(codes people hold move when next used)."
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


def _singular(kind: str, count: int) -> str:
    return kind if count != 1 else kind.removesuffix("es" if kind == "indexes" else "s")
