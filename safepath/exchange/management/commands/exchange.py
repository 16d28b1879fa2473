"""``safepath exchange keys|identity|partners|send|receive|status``: trust between instances and
the messages between them, from the command line (an administrator's tool)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.cli import add_format_argument, emit, field_errors
from safepath.core.exceptions import ApplicationError, FieldValidationError
from safepath.exchange import instance_keys
from safepath.exchange.envelope import fingerprint
from safepath.exchange.models import Message, Partner
from safepath.exchange.services import (
    current_keys,
    messages_deliver_due,
    partner_register,
    partner_update,
    withdrawals_send_due,
)
from safepath.exchange.services.keys import keys_file
from safepath.exchange.services.pulling import messages_export, messages_import, messages_pull
from safepath.exchange.vocabulary import Direction

CLI = Channel.CLI


class Command(BaseCommand):
    help = (
        "Exchange with partner instances: keys init|status|rotate|retire, identity, "
        "partners [add|update], send, receive, status."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        keys = sub.add_parser("keys", help="this instance's signing and encryption keys")
        keys_sub = keys.add_subparsers(dest="keys_verb", required=True)
        init = keys_sub.add_parser("init", help="write a new key file")
        init.add_argument("path", type=Path)
        init.add_argument("--instance", default=None, help="this instance's id (default: new)")
        add_format_argument(keys_sub.add_parser("status", help="the keys and their ids"))
        keys_sub.add_parser("rotate", help="new active keys; the older ones stay until retired")
        retire = keys_sub.add_parser("retire", help="remove an older key")
        retire.add_argument("kid")

        add_format_argument(sub.add_parser("identity", help="what a partner registers"))

        partners = sub.add_parser("partners", help="list, add or update partner instances")
        add_format_argument(partners)
        partners_sub = partners.add_subparsers(dest="partners_verb")
        for name in ("add", "update"):
            verb = partners_sub.add_parser(name)
            verb.add_argument("--user", required=True, help="a system administrator")
            verb.add_argument(
                "--identity", type=Path, help="the partner's `exchange identity --format json`"
            )
            verb.add_argument("--name")
            verb.add_argument("--url", help="its address (https://...)")
            verb.add_argument("--purposes", help="comma-separated: tracing,matching,...")
            verb.add_argument("--categories", help="comma-separated data categories")
            verb.add_argument("--agencies", help="comma-separated codes of agencies it speaks for")
            if name == "add":
                verb.add_argument("--country", required=True)
            else:
                verb.add_argument("instance")
                verb.add_argument("--deactivate", action="store_true")

        send = sub.add_parser(
            "send", help="push what is due now, or write what waits for a partner to a file"
        )
        send.add_argument("--partner", help="only this partner (instance id)")
        send.add_argument("--file", type=Path, help="write the sealed messages here instead")
        add_format_argument(send)
        receive = sub.add_parser("receive", help="read sealed messages from a file or pull them")
        source = receive.add_mutually_exclusive_group(required=True)
        source.add_argument("--file", type=Path, help="one sealed message a line ('-': stdin)")
        source.add_argument("--pull", metavar="INSTANCE", help="pull from this partner")
        add_format_argument(receive)
        status = sub.add_parser("status", help="what was sent to and received from partners")
        status.add_argument("--partner", help="only this partner (instance id)")
        add_format_argument(status)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['verb']}")(options)
        except FieldValidationError as error:
            raise field_errors(error) from None
        except ApplicationError as error:
            raise CommandError(error.message) from None

    # --- keys ---------------------------------------------------------------------------------

    def _keys(self, options: dict[str, Any]) -> None:
        verb = options["keys_verb"]
        try:
            if verb == "init":
                made = instance_keys.create_file(options["path"], options["instance"])
                self.stdout.write(
                    instance_keys.INIT_DONE.format(path=options["path"], instance=made.instance)
                )
                return
            path = keys_file()
            keys = current_keys()
            if verb == "status":
                data = {
                    "instance": keys.instance,
                    "signing": keys.signing,
                    "encryption": keys.encryption,
                    "keys": {kid: jwk["use"] for kid, jwk in keys.keys.items()},
                    "fingerprint": fingerprint(keys.public_jwks()),
                }
                lines = [f"instance {keys.instance}, fingerprint {data['fingerprint']}"] + [
                    f"{jwk['use']} key {kid}"
                    + (" (active)" if kid in (keys.signing, keys.encryption) else "")
                    for kid, jwk in keys.keys.items()
                ]
                emit(self, options, data, "\n".join(lines))
                return
            changed = keys.rotated() if verb == "rotate" else keys.without(options["kid"])
        except instance_keys.InstanceKeysError as error:
            raise CommandError(str(error)) from None
        instance_keys.write_file(path, changed)
        audit_record(
            actor=Actor.system(CLI),
            action=Action.KEY_ROTATION,
            object_type="exchange_keys",
            object_id=changed.instance,
            details={"signing": changed.signing, "encryption": changed.encryption}
            | ({"retired": options["kid"]} if verb == "retire" else {}),
        )
        if verb == "rotate":
            self.stdout.write(
                f"New active keys {changed.signing} and {changed.encryption}. Give every partner "
                "the new identity (`safepath exchange identity`); messages sealed to the older "
                "encryption key still open until you retire it."
            )
        else:
            self.stdout.write(f"Retired exchange key {options['kid']}.")

    def _identity(self, options: dict[str, Any]) -> None:
        identity = current_keys().identity()
        identity["fingerprint"] = fingerprint(identity["jwks"])
        text = (
            f"instance {identity['instance']}\nfingerprint {identity['fingerprint']}\n"
            + json.dumps(identity["jwks"], indent=2)
        )
        emit(self, options, identity, text)

    # --- partners -----------------------------------------------------------------------------

    def _partners(self, options: dict[str, Any]) -> None:
        verb = options.get("partners_verb")
        if verb:
            user = self._admin(options["user"])
            identity = self._read_identity(options["identity"]) if options["identity"] else {}
            values: dict[str, Any] = {}
            if identity:
                values["public_keys"] = identity["jwks"]
            for option, key in (("name", "name"), ("url", "url")):
                if options[option] is not None:
                    values[key] = options[option]
            if options["purposes"] is not None:
                values["purposes"] = _csv(options["purposes"])
            if options["categories"] is not None:
                values["data_categories"] = _csv(options["categories"])
            if options["agencies"] is not None:
                values["agencies"] = self._agencies(_csv(options["agencies"]))
            if verb == "add":
                if not identity:
                    raise CommandError("partners add needs --identity FILE")
                partner = partner_register(
                    user=user,
                    instance_id=str(identity["instance"]),
                    country=options["country"],
                    channel=CLI,
                    **{"purposes": [], "data_categories": [], "name": ""} | values,
                )
            else:
                partner = self._partner(options["instance"])
                if options["deactivate"]:
                    values["is_active"] = False
                partner = partner_update(user=user, partner=partner, channel=CLI, **values)
            self.stdout.write(
                f"Partner {partner.instance_id} ({partner.country}): purposes "
                f"{', '.join(partner.purposes) or 'none'}; categories "
                f"{', '.join(partner.data_categories) or 'none'}; fingerprint "
                f"{fingerprint(partner.public_keys)}."
            )
            return
        rows = [
            {
                "instance": p.instance_id,
                "name": p.name,
                "country": p.country,
                "url": p.url,
                "purposes": p.purposes,
                "data_categories": p.data_categories,
                "agencies": [a.code for a in p.agencies.all()],
                "active": p.is_active,
                "fingerprint": fingerprint(p.public_keys),
            }
            for p in Partner.objects.prefetch_related("agencies").order_by("country", "name")
        ]
        text = "\n".join(
            f"{r['instance']} {r['country']} {'active' if r['active'] else 'inactive'}: "
            f"{', '.join(r['purposes']) or 'no purpose'}; {', '.join(r['data_categories'])}"
            for r in rows
        )
        emit(self, options, rows, text or "No partner instance is registered.")

    def _admin(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or user.role != Role.SYSTEM_ADMIN:
            raise CommandError(f"{username} is not an active system administrator.")
        return user

    def _partner(self, instance: str) -> Partner:
        partner = Partner.objects.filter(instance_id=instance).first()
        if partner is None:
            raise CommandError(f"No partner instance {instance}.")
        return partner

    def _agencies(self, codes: list[str]) -> list[Agency]:
        found = {a.code: a for a in Agency.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise CommandError(f"agencies: no agency with the code {missing[0]}.")
        return [found[c] for c in codes]

    def _read_identity(self, path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or "instance" not in data or "jwks" not in data:
                raise ValueError("it needs instance and jwks")
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: not an exchange identity ({error})") from None
        return data

    # --- messages -----------------------------------------------------------------------------

    def _send(self, options: dict[str, Any]) -> None:
        partner = self._partner(options["partner"]) if options["partner"] else None
        withdrawals = withdrawals_send_due(channel=CLI)
        if options["file"]:
            if partner is None:
                raise CommandError("send --file needs --partner")
            tokens = messages_export(partner)
            options["file"].write_text("".join(f"{t}\n" for t in tokens), encoding="ascii")
            emit(
                self,
                options,
                {"written": len(tokens), "file": str(options["file"])},
                f"Wrote {len(tokens)} sealed messages for {partner.instance_id} to "
                f"{options['file']}.",
            )
            return
        run = messages_deliver_due(partner=partner)
        emit(
            self,
            options,
            run.as_dict() | {"withdrawals": len(withdrawals)},
            f"Delivered {len(run.sent)}; {len(run.retrying)} to retry; {len(run.failed)} failed"
            + (f"; {len(withdrawals)} consent withdrawals queued." if withdrawals else "."),
        )

    def _receive(self, options: dict[str, Any]) -> None:
        if options["pull"]:
            run = messages_pull(self._partner(options["pull"]))
        else:
            path = options["file"]
            lines = (sys.stdin if str(path) == "-" else path.open(encoding="ascii")).read()
            run = messages_import(lines.splitlines(), via="file")
        refused = "; ".join(f"line {line}: {code}" for line, code in run.refused)
        emit(
            self,
            options,
            run.as_dict(),
            f"Received {len(run.received)}; {run.already} already received"
            + (f"; refused {refused}." if refused else "."),
        )
        if run.refused:
            raise CommandError(f"{len(run.refused)} messages were refused.", returncode=1)

    def _status(self, options: dict[str, Any]) -> None:
        messages = Message.objects.select_related("partner").order_by("created_at")
        if options["partner"]:
            messages = messages.filter(partner__instance_id=options["partner"])
        rows: list[dict[str, Any]] = [
            {
                "id": str(m.id),
                "partner": m.partner.instance_id,
                "direction": m.direction,
                "kind": m.kind,
                "sequence": m.sequence,
                "status": m.status,
                "sent_at": m.sent_at.isoformat(),
                "delivered_at": m.delivered_at.isoformat() if m.delivered_at else None,
                "digest": m.digest,
                "last_error": m.last_error,
            }
            for m in messages
        ]
        text = "\n".join(
            f"{r['sent_at'][:19]} {'->' if r['direction'] == Direction.OUT else '<-'} "
            f"{r['partner']} #{r['sequence']} {r['kind']} {r['status']} {r['digest'][:16]}"
            + (f" ({r['last_error']})" if r["last_error"] else "")
            for r in rows
        )
        emit(self, options, rows, text or "No message sent or received.")


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
