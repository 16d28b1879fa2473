"""What sealing and opening cost between two instances (issue 14), with no database: N case
packages of a realistic size (synthetic), sealed by one instance (JWS ES256 inside JWE
ECDH-ES+A256KW/A256GCM) and opened and verified by the other; then a few messages carrying a
10 MB document each, base64 inside the JSON as a package would carry it.

    .venv/bin/python benchmarks/exchange_envelope.py [--packages 1000] [--large 3]

The database side (queueing, receipt, import as a case) is not measured here yet."""

from __future__ import annotations

import argparse
import base64
import os
import time
import uuid
from datetime import UTC, datetime, timedelta

from safepath.exchange import instance_keys
from safepath.exchange.envelope import Claims, open_message, seal


def _claims(sender: str, recipient: str, sequence: int, body: dict[str, object]) -> Claims:
    now = datetime.now(tz=UTC)
    return Claims(
        id=str(uuid.uuid4()),
        kind="case_transfer",
        purpose="case_transfer",
        sender=sender,
        recipient=recipient,
        sent_at=now,
        expires_at=now + timedelta(days=7),
        sequence=sequence,
        body=body,
    )


def _package(n: int) -> dict[str, object]:
    return {
        "package": {
            "id": str(uuid.uuid4()),
            "reference": f"SP-BNCH-{n:04d}",
            "identified_on": "2026-11-01",
            "child": {"given_name": f"Synthetic{n}", "family_name": "Child", "sex": "female"},
            "forms_of_exploitation": ["forced_labour"],
            "summary": "Synthetic summary. " * 40,
            "notes": [{"body": "A synthetic note. " * 30, "written_at": "2026-11-02"}] * 3,
        },
        "categories": ["case_facts", "identity", "notes"],
        "consent": str(uuid.uuid4()),
        "recipient_agency": {"code": "tz-cpa", "name": "Synthetic"},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=1000)
    parser.add_argument("--large", type=int, default=3)
    args = parser.parse_args()
    home, abroad = instance_keys.generate("sp-home"), instance_keys.generate("sp-abroad")
    jwks = {home.instance: home.public_jwks()}

    def run(bodies: list[dict[str, object]]) -> tuple[float, float, int]:
        started = time.perf_counter()
        tokens = [
            seal(
                _claims(home.instance, abroad.instance, i + 1, body),
                keys=home,
                recipient_jwks=abroad.public_jwks(),
            )
            for i, body in enumerate(bodies)
        ]
        sealed = time.perf_counter()
        now = datetime.now(tz=UTC)
        for token in tokens:
            open_message(token, keys=abroad, partner_jwks=jwks.get, now=now, max_bytes=10**9)
        opened = time.perf_counter()
        return sealed - started, opened - sealed, sum(len(t) for t in tokens)

    seal_s, open_s, size = run([_package(n) for n in range(args.packages)])
    n = args.packages
    print(
        f"{n} packages, {size / n / 1024:.1f} KiB sealed each: seal {seal_s:.2f} s "
        f"({seal_s / n * 1000:.2f} ms each), open and verify {open_s:.2f} s "
        f"({open_s / n * 1000:.2f} ms each)"
    )
    document = base64.b64encode(os.urandom(10 * 1024 * 1024)).decode()
    seal_s, open_s, size = run([{**_package(i), "document": document} for i in range(args.large)])
    k = args.large
    print(
        f"{k} messages with a 10 MB document, {size / k / 1024 / 1024:.1f} MiB sealed each: "
        f"seal {seal_s / k:.2f} s each, open and verify {open_s / k:.2f} s each"
    )


if __name__ == "__main__":
    main()
