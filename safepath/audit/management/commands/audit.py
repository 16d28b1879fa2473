"""``safepath audit verify [--anchor SEQ:HASH]`` and ``safepath audit head``."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.audit.chain import Segment, Verdict
from safepath.audit.selectors import audit_chain_verify
from safepath.core import crypto
from safepath.core.cli import add_format_argument


def _anchor(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError("--anchor takes SEQ:HASH as printed by `safepath audit head`.")
    return int(seq), digest


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail, or print its head to write down elsewhere."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="report the first broken link, if any")
        verify.add_argument("--anchor", help="SEQ:HASH from an earlier `audit head`")
        add_format_argument(verify)
        head = sub.add_parser("head", help="print the last event's SEQ:HASH")
        add_format_argument(head)

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = _anchor(options["anchor"]) if options.get("anchor") else None
        verdict = audit_chain_verify(anchor=anchor)
        head = f"{verdict.head_seq}:{verdict.head_hash}" if verdict.head_seq else None
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "intact": verdict.intact,
                        "checked": verdict.checked,
                        "broken_at": verdict.broken_at,
                        "reason": verdict.reason,
                        "key_id": verdict.key_id,
                        "head": head,
                        "segments": [_segment_data(s) for s in verdict.segments],
                        "keyed": bool(crypto.current_keyring().audit_keys),
                    }
                )
            )
        elif not verdict.intact:
            self.stderr.write(
                f"Audit trail BROKEN at event #{verdict.broken_at}{_where(verdict)}: "
                f"{verdict.reason}."
            )
        elif options["verb"] == "head":
            if head is None:
                self.stderr.write("The audit trail is empty: there is no head to write down yet.")
                raise SystemExit(1)
            self.stdout.write(head)
        else:
            self.stdout.write(f"Audit trail intact: {verdict.checked} events checked.")
            for segment in verdict.segments:
                self.stdout.write(f"  {_segment_text(segment)}")
            if not crypto.current_keyring().audit_keys:
                self.stdout.write(
                    "The keyring has no audit key: the chain is not keyed, so someone with "
                    "database rights could rebuild it. Add one: `safepath keys rotate "
                    "--audit-key-only`."
                )
        if not verdict.intact:
            raise SystemExit(1)


def _segment_text(segment: Segment) -> str:
    who = f"audit key {segment.key_id}" if segment.key_id else "unkeyed (before the chain key)"
    return f"#{segment.first_seq}-#{segment.last_seq} ({segment.events} events): {who}"


def _segment_data(segment: Segment) -> dict[str, Any]:
    return {"key_id": segment.key_id, "first": segment.first_seq, "last": segment.last_seq}


def _where(verdict: Verdict) -> str:
    """Which segment the broken event is in: its audit key, or unkeyed."""
    if verdict.key_id is None:
        return ""
    return f" (audit key {verdict.key_id})" if verdict.key_id else " (unkeyed segment)"
