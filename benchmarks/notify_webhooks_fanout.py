"""Notification and webhook fan-out: N events, each telling one person (``notify``) and every
webhook subscriber (``webhook_emit``), then everything sent by the worker's code, on a fresh
SQLite database. E-mail goes through a real SMTP server (aiosmtpd) on 127.0.0.1, SMS on the test
channel, webhooks to a real HTTP receiver on 127.0.0.1 in a separate process (it checks nothing
but counts, like a receiver that verifies later; see the tests for signature checks).

    nice .venv/bin/python benchmarks/notify_webhooks_fanout.py [--events 10000] [--people 200] \
        [--subscribers 2] [--per-transaction 1] [--data-dir /dev/shm]

``--per-transaction 1`` is the worst shape: each event in its own transaction, as a service
makes one change; a nightly run that handles its events in batches passes e.g. 500. One event
in ten is urgent (e-mail + SMS). Target (issue 18): 10,000 events fanned out and sent in under
2 minutes. Prints JSON; docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import platform
import socket
import sys
import tempfile
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 120.0


class Inbox:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def receiver(port: int) -> None:
    """A webhook receiver in its own process: 200 to every POST, GET answers the count."""
    received = [0]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received[0] += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            body = str(received[0]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--subscribers", type=int, default=2)
    parser.add_argument("--per-transaction", type=int, default=1)
    parser.add_argument("--data-dir", default=None)
    options = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="safepath-bench-", dir=options.data_dir)
    smtp_port, hook_port = free_port(), free_port()
    os.environ.update(
        SAFEPATH_MODE="development",
        SAFEPATH_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="safepath.config.settings",
        SAFEPATH_EMAIL_HOST="127.0.0.1",
        SAFEPATH_EMAIL_PORT=str(smtp_port),
        SAFEPATH_SMS_CHANNEL="test",
    )
    os.environ.pop("DATABASE_URL", None)
    hooks = multiprocessing.Process(target=receiver, args=(hook_port,), daemon=True)
    hooks.start()
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from safepath.accounts.models import Agency, User
    from safepath.accounts.roles import AgencyType, Role
    from safepath.notify.models import Delivery, Preference, WebhookDelivery
    from safepath.notify.services import Notice, deliveries_send_due, notify, notify_many
    from safepath.notify.sms import TestChannel
    from safepath.notify.webhook_sending import webhooks_send_due
    from safepath.notify.webhooks import (
        SubscriptionInput,
        webhook_emit,
        webhook_emit_many,
        webhook_subscribe,
    )

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(
        name="Bench agency", code="bench", agency_type=AgencyType.CHILD_PROTECTION, country="KE"
    )
    admin = User.objects.create(username="admin", role=Role.SYSTEM_ADMIN)
    people = [
        User.objects.create(
            username=f"worker{n}",
            email=f"worker{n}@example.org",
            role=Role.CASEWORKER,
            agency=agency,
        )
        for n in range(options.people)
    ]
    Preference.objects.bulk_create(
        Preference(user=u, frequency="immediate", sms_enabled=True, phone=f"+2547{n:08d}")
        for n, u in enumerate(people)
    )
    for n in range(options.subscribers):
        webhook_subscribe(
            user=admin,
            data=SubscriptionInput(
                name=f"system {n}",
                url=f"http://127.0.0.1:{hook_port}/hooks/{n}",
                events=["referral.answered"],
                data_categories=[],
                agencies=[agency.id],
            ),
            channel="cli",
        )
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()

    def notice(n: int) -> Notice:
        return Notice(
            recipients=[people[n % len(people)]],
            kind="referral_overdue" if n % 10 == 0 else "referral_accepted",
            reference=f"SP-{n % 65536:04X}-BNCH",
            link=f"/referrals/{n}/",
            dedupe_key=f"bench:{n}",
        )

    def hook(n: int) -> tuple[list[Any], dict[str, Any]]:
        values = {"reference": f"SP-{n % 65536:04X}-BNCH", "referral_id": f"r{n}"}
        return [agency.id], {**values, "status": "accepted"}

    def events(first: int, last: int) -> None:
        """One change per transaction calls notify and webhook_emit; a batch, the _many forms."""
        if last - first == 1:
            one = notice(first)
            notify(
                recipients=one.recipients,
                kind=one.kind,
                reference=one.reference,
                link=one.link,
                dedupe_key=one.dedupe_key,
            )
            agencies, values = hook(first)
            webhook_emit(event_type="referral.answered", agencies=agencies, values=values)
            return
        notify_many(notices=[notice(n) for n in range(first, last)])
        webhook_emit_many(
            event_type="referral.answered", events=[hook(n) for n in range(first, last)]
        )

    try:
        started, cpu = time.perf_counter(), time.process_time()
        step = max(1, options.per_transaction)
        for first in range(0, options.events, step):
            with transaction.atomic():
                events(first, min(first + step, options.events))
        fanned = time.perf_counter() - started
        fan_cpu = time.process_time() - cpu
        print(f"fanned out in {fanned:.1f} s", file=sys.stderr)
        deliveries = Delivery.objects.count()
        hook_deliveries = WebhookDelivery.objects.count()
        queued_tasks = DBTaskResult.objects.count()
        started, cpu = time.perf_counter(), time.process_time()
        run = deliveries_send_due(limit=deliveries + 1)
        notify_sent = time.perf_counter() - started
        hook_started = time.perf_counter()
        hook_run = webhooks_send_due()
        hooks_sent = time.perf_counter() - hook_started
        send_cpu = time.process_time() - cpu
    finally:
        controller.stop()
    with urllib.request.urlopen(f"http://127.0.0.1:{hook_port}/count") as answer:
        received = int(answer.read())
    hooks.terminate()
    total = fanned + notify_sent + hooks_sent
    print(
        json.dumps(
            {
                "events": options.events,
                "people": options.people,
                "subscribers": options.subscribers,
                "events_per_transaction": step,
                "deliveries": deliveries,
                "webhook_deliveries": hook_deliveries,
                "worker_task_rows": queued_tasks,
                "emails_received": inbox.count,
                "sms_sent": len(TestChannel.outbox),
                "webhooks_received": received,
                "failed": len(run.failed) + len(run.retrying) + hook_run.failed + hook_run.retrying,
                "fanout_seconds": round(fanned, 1),
                "fanout_ms_per_event": round(1000 * fanned / options.events, 2),
                "fanout_cpu_seconds": round(fan_cpu, 1),
                "notify_send_seconds": round(notify_sent, 1),
                "webhook_send_seconds": round(hooks_sent, 1),
                "send_cpu_seconds": round(send_cpu, 1),
                "load_average": os.getloadavg()[0],
                "total_seconds": round(total, 1),
                "target_seconds": TARGET_SECONDS,
                "within_target": total < TARGET_SECONDS,
                "machine": f"{platform.machine()} {os.cpu_count()} CPUs, Python "
                f"{platform.python_version()}, SQLite",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
