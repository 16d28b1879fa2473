"""Demo data for the online app: a bank of hashes of harmless generated images, reports in
every state (one escalated, some removed, so the dashboard has figures), and adverts with red
flags and a phone number shared across cities. Everything is synthetic; phone numbers are in
the 555-01xx range kept for fiction. Idempotent: a second call adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.online import services
from safepath.online.engine import hashing, synth
from safepath.online.models import HashBank, MatchScope, OnlineReport

DEMO_BANK = "demo-known-items"
DEMO_SEEDS = tuple(range(9001, 9013))
SUPERVISOR = "hotline.supervisor"
HAND_OFF_AGENCY = "agency-a"
HAND_OFF_REPORT = 6  # the advert with a child in danger
ANALYST = "hotline.analyst"

# (kind, url, platform, flags, hours ago, outcome, hosting country, provider, removal hours)
REPORTS: tuple[tuple[Any, ...], ...] = (
    (
        "live_stream",
        "https://stream.example.net/live/4411",
        "Example Live",
        {"live_abuse": True},
        1,
        None,
        "",
        "",
        None,
    ),
    ("chat", "", "Example Chat", {"sextortion": True}, 3, None, "", "", None),
    (
        "image",
        "https://img.example.org/a/1",
        "",
        {},
        40,
        "escalated",
        "NL",
        "Example Hosting BV",
        None,
    ),
    (
        "image",
        "https://img.example.org/a/2",
        "",
        {},
        200,
        "removed",
        "NL",
        "Example Hosting BV",
        18,
    ),
    (
        "video",
        "https://video.example.com/v/77",
        "",
        {},
        300,
        "removed",
        "US",
        "Sample Cloud Inc",
        50,
    ),
    ("image", "https://files.example.info/x/9", "", {}, 400, "removed", "DE", "Beispiel GmbH", 6),
    (
        "advert",
        "https://ads.example.org/listing/5",
        "Example Classifieds",
        {"child_in_danger": True, "identified_child": True},
        5,
        None,
        "",
        "",
        None,
    ),
    ("image", "https://img.example.org/b/3", "", {}, 100, "not_illegal", "", "", None),
)

ADVERTS = (
    ("Nairobi", "New in town!! Young and fresh, ask for Candy. 100 roses QV. Call +1 555 0142"),
    ("Mombasa", "Just arrived, only here for 3 days. Sweet and petite. Text 555-0142 🍒"),
    ("Kisumu", "Nueva en la ciudad, jovencita, pregunta por Sol. Llama al +1 555 0142"),
    ("Nairobi", "Professional massage, licensed therapist, weekdays 9-5. Call +1 555 0177"),
    ("Nakuru", "Nouvelle en ville, demandez Lila, disponible 24h/24. +1 555 0190"),
)


@dataclass(frozen=True)
class DemoResult:
    reports: int
    created: bool


def _bank_text() -> bytes:
    lines = ["# SafePath demo bank: hashes of harmless generated images (shapes, noise, text)"]
    for seed in DEMO_SEEDS:
        result = hashing.hash_bytes(synth.image_bytes(seed))
        lines += [f"pdq {result.pdq}", f"md5 {result.md5}"]
    return ("\n".join(lines) + "\n").encode()


def _report(
    analyst: User, now: datetime.datetime, spec: tuple[object, ...], index: int
) -> OnlineReport:
    kind, url, platform, flags, hours, outcome, country, provider, removal = spec
    received = now - datetime.timedelta(hours=float(hours))  # type: ignore[arg-type]
    report, _ = services.report_submit(
        data=services.ReportInput(
            kind=str(kind),
            url=str(url),
            platform=str(platform),
            description="Synthetic demo report: no real content.",
            **flags,  # type: ignore[arg-type]
        ),
        address=f"demo-{index}",
        channel=Channel.SYSTEM,
        now=received,
    )
    if outcome is None:
        return report
    if outcome != "not_illegal":
        media = synth.encode(
            synth.half_size(synth.draw(synth.picture(DEMO_SEEDS[index]))), fmt="JPEG", quality=70
        )
        services.media_hash(
            user=analyst,
            report=report,
            files=[services.Upload(f"item-{index}.jpg", media)],
            channel=Channel.SYSTEM,
        )
        report.refresh_from_db()
    assessed = received + datetime.timedelta(hours=1)
    services.report_assess(
        user=analyst,
        report=report,
        data=services.AssessmentInput(
            classification="not_illegal" if outcome == "not_illegal" else "baseline",
            content_type="video" if kind == "video" else "image",
            age_group="unknown" if outcome == "not_illegal" else "prepubescent",
            hosting_country=str(country),
            hosting_provider=str(provider),
        ),
        expected_version=report.version,
        channel=Channel.SYSTEM,
        now=assessed,
    )
    if outcome == "not_illegal":
        return report
    report.refresh_from_db()
    sent = assessed + datetime.timedelta(minutes=30)
    notice = services.notice_send(
        user=analyst,
        report=report,
        recipient_type="hotline",
        recipient_name=f"Hotline {country}",
        recipient_country=str(country),
        channel=Channel.SYSTEM,
        now=sent,
    )
    if outcome == "removed":
        services.notice_confirm_removal(
            user=analyst,
            notice=notice,
            channel=Channel.SYSTEM,
            now=sent + datetime.timedelta(hours=float(removal)),  # type: ignore[arg-type]
        )
    return report


def load_demo() -> DemoResult:
    """The demo bank, reports and adverts, unless the bank is there already."""
    if HashBank.objects.filter(name=DEMO_BANK).exists():
        return DemoResult(reports=OnlineReport.objects.count(), created=False)
    supervisor = User.objects.get(username=SUPERVISOR)
    analyst = User.objects.get(username=ANALYST)
    services.bank_import(
        user=supervisor,
        bank=services.BankInput(
            name=DEMO_BANK,
            title="Demo known items",
            source="SafePath demo: hashes of generated images (shapes, noise, text)",
            licence="Synthetic test data, no restriction",
            match_scope=MatchScope.SECTOR,
        ),
        content=_bank_text(),
        file_name="demo-known-items.txt",
        channel=Channel.SYSTEM,
    )
    now = timezone.now()
    reports = [_report(analyst, now, spec, index) for index, spec in enumerate(REPORTS)]
    child_protection = Agency.objects.filter(code=HAND_OFF_AGENCY).first()
    if child_protection is not None:  # the demo's child-protection authority answers it
        services.case_link_request(
            user=supervisor,
            report=reports[HAND_OFF_REPORT],
            agency=child_protection,
            note="Synthetic demo: the reporter knows the child. Is there a case?",
            channel=Channel.SYSTEM,
        )
    services.notices_escalate_overdue(now=now)
    services.adverts_record(
        user=analyst,
        items=[
            services.AdvertInput(text=text, city=city, source_ref=f"demo-{i + 1}")
            for i, (city, text) in enumerate(ADVERTS)
        ],
        channel=Channel.SYSTEM,
    )
    return DemoResult(reports=len(REPORTS), created=True)
