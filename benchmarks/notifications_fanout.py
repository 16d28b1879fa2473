"""Notification fan-out: N events notified, then sent by the worker's code, on a fresh SQLite
database, e-mail through a real SMTP server (aiosmtpd) on 127.0.0.1 and SMS on the test channel.

    nice .venv/bin/python benchmarks/notifications_fanout.py [--events 10000] [--people 200]

Each event tells one person (round-robin over ``--people`` caseworkers, each with an e-mail
address, immediate delivery and SMS for urgent ones); one event in ten is urgent (e-mail + SMS).
Measures ``notify`` (what a service's transaction pays, per event) apart from the sending
(``deliveries_send_due``, what the worker does). Target (issue 18): 10,000 events fanned out
and sent in under 2 minutes. Prints JSON; docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import socket
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument(
        "--data-dir",
        default=None,
        help="where the SQLite file goes (a tmpfs "
        "such as /dev/shm keeps a busy disk out of the figures)",
    )
    options = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="safepath-bench-", dir=options.data_dir)
    port = free_port()
    os.environ.update(
        SAFEPATH_MODE="development",
        SAFEPATH_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="safepath.config.settings",
        SAFEPATH_EMAIL_HOST="127.0.0.1",
        SAFEPATH_EMAIL_PORT=str(port),
        SAFEPATH_SMS_CHANNEL="test",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command

    from safepath.accounts.models import Agency, User
    from safepath.accounts.roles import AgencyType, Role
    from safepath.notify.models import Delivery, Preference
    from safepath.notify.services import deliveries_send_due, notify
    from safepath.notify.sms import TestChannel

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    agency = Agency.objects.create(
        name="Bench agency", code="bench", agency_type=AgencyType.CHILD_PROTECTION, country="KE"
    )
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
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(options.events):
            notify(
                recipients=[people[n % len(people)]],
                kind="referral_overdue" if n % 10 == 0 else "referral_received",
                reference=f"SP-{n % 65536:04X}-BNCH",
                link=f"/referrals/{n}/",
                dedupe_key=f"bench:{n}",
            )
        notified = time.perf_counter() - started
        notify_cpu = time.process_time() - cpu
        print(f"notified in {notified:.1f} s", file=sys.stderr)
        deliveries = Delivery.objects.count()
        started, cpu = time.perf_counter(), time.process_time()
        run = deliveries_send_due(limit=deliveries + 1)
        sent = time.perf_counter() - started
        send_cpu = time.process_time() - cpu
    finally:
        controller.stop()
    total = notified + sent
    print(
        json.dumps(
            {
                "events": options.events,
                "people": options.people,
                "deliveries": deliveries,
                "emails_received": inbox.count,
                "sms_sent": len(TestChannel.outbox),
                "failed": len(run.failed) + len(run.retrying),
                "notify_seconds": round(notified, 1),
                "notify_ms_per_event": round(1000 * notified / options.events, 2),
                "notify_cpu_seconds": round(notify_cpu, 1),
                "send_seconds": round(sent, 1),
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
