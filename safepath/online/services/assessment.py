"""Triage and assessment: hash the media in memory, recognise known items, classify.

The analyst never sees the media in SafePath. Files are hashed in memory and dropped; a hash
already classified by this hotline (exact MD5/SHA-1, or PDQ within 31) is flagged with its
earlier classification so that nobody has to look at it again.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.core.exceptions import ConflictError, FieldValidationError
from safepath.online.engine import hashing, index
from safepath.online.engine.matching import PDQ_MATCH_THRESHOLD, FileMatches
from safepath.online.engine.triage import HASH_MATCH_WEIGHT
from safepath.online.models import (
    ILLEGAL,
    AgeGroup,
    AssessedHash,
    Assessment,
    Classification,
    ContentType,
    MediaMatch,
    OnlineReport,
    ReportMedia,
    ReportStatus,
    Step,
)
from safepath.online.policies import OnlineAction
from safepath.online.services.banks import banks_by_name, matcher_for
from safepath.online.services.common import audit, authorise, now_or, record_event, require

MAX_FILES = 50


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _hash_all(files: Sequence[Upload]) -> list[hashing.HashResult]:
    """Hash every file or refuse them all, naming each bad file (nothing is kept)."""
    if not files:
        raise FieldValidationError({"files": [_("Choose at least one file.")]})
    if len(files) > MAX_FILES:
        raise FieldValidationError({"files": [_("At most %d files at a time.") % MAX_FILES]})
    results: list[hashing.HashResult] = []
    problems: list[str] = []
    for upload in files:
        try:
            results.append(hashing.hash_bytes(upload.data, name=upload.name, dihedral=True))
        except hashing.ImageError as error:
            problems.append(str(error))
    if problems:
        raise FieldValidationError({"files": problems})
    return results


def files_match(
    *, user: User, files: Sequence[Upload], bank_names: Sequence[str], channel: str
) -> list[FileMatches]:
    """Hash files and match them against banks the user may use. Nothing but the audit event
    (which names the banks and counts, never the files) is stored."""
    require(user, OnlineAction.MATCH)
    banks = banks_by_name(user=user, names=bank_names)
    hashed = _hash_all(files)
    matcher = matcher_for(banks)
    results = [matcher.match(h, banks=[b.name for b in banks]) for h in hashed]
    audit(
        user,
        channel,
        Action.READ,
        "hash_match",
        None,
        files=len(hashed),
        banks=[b.name for b in banks],
        matched=sum(1 for r in results if r.matches),
    )
    return results


def _known(report: OnlineReport, hashed: hashing.HashResult) -> str:
    """The classification this hotline already gave the same item, or ''."""
    registry = AssessedHash.objects.filter(hotline=report.hotline_id)
    exact = registry.filter(
        kind__in=("md5", "sha1"), value__in=(hashed.md5, hashed.sha1)
    ).values_list("classification", flat=True)
    found = list(exact[:1])
    if found:
        return found[0]
    if hashed.quality < 50:
        return ""
    rows = list(registry.filter(kind="pdq").values_list("value", "classification"))
    if not rows:
        return ""
    words = index.hex_to_words([v for v, _ in rows])
    queries = index.hex_to_words(list(hashed.dihedral or (hashed.pdq,)))
    hits = index.BruteForceIndex(words).search(queries, PDQ_MATCH_THRESHOLD)
    return rows[min(hits, key=lambda h: h.distance).id][1] if hits else ""


def media_hash(
    *,
    user: User,
    report: OnlineReport,
    files: Sequence[Upload],
    channel: str,
) -> list[ReportMedia]:
    """Hash files for a report against every bank the hotline may use; keep only hashes."""
    authorise(user, OnlineAction.HASH, report)
    hashed = _hash_all(files)
    banks = {b.name: b for b in banks_by_name(user=user, names=[])}
    matcher = matcher_for(list(banks.values()))
    stored = []
    with transaction.atomic():
        any_match = False
        for item in hashed:
            media = ReportMedia.objects.create(
                report=report,
                pdq=item.pdq,
                quality=item.quality,
                md5=item.md5,
                sha1=item.sha1,
                width=item.width,
                height=item.height,
                size=item.size,
                known_classification=_known(report, item),
                hashed_by=user,
            )
            result = matcher.match(item)
            MediaMatch.objects.bulk_create(
                MediaMatch(
                    media=media,
                    bank=banks[m.bank],
                    kind=m.kind,
                    distance=m.distance,
                    variant=m.variant,
                    signal=m.signal,
                )
                for m in result.matches
            )
            any_match = any_match or bool(result.matches)
            stored.append(media)
        if any_match and not report.hash_matched:
            OnlineReport.objects.filter(pk=report.pk).update(
                hash_matched=True, urgency=F("urgency") + HASH_MATCH_WEIGHT
            )
        audit(
            user,
            channel,
            Action.UPDATE,
            "online_report",
            report.id,
            media_hashed=len(stored),
            matched=any_match,
        )
    return stored


@dataclass(frozen=True)
class AssessmentInput:
    classification: str
    content_type: str
    age_group: str
    hosting_country: str = ""
    hosting_ip: str = ""
    hosting_provider: str = ""
    registrar: str = ""
    hosting_source: str = "entered"
    note: str = ""
    from_known_hash: bool = False


def _check_assessment(report: OnlineReport, data: AssessmentInput) -> None:
    problems: dict[str, list[str]] = {}
    if data.classification not in Classification.values:
        problems["classification"] = [_("Choose baseline, nationally illegal or not illegal.")]
    if data.content_type not in ContentType.values:
        problems["content_type"] = [_("Choose the type of content.")]
    if data.age_group not in AgeGroup.values:
        problems["age_group"] = [_("Choose the apparent age group.")]
    country = data.hosting_country.strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        problems["hosting_country"] = [_("Give a two-letter country code (ISO 3166).")]
    if data.hosting_ip.strip():
        import ipaddress

        try:
            ipaddress.ip_address(data.hosting_ip.strip())
        except ValueError:
            problems["hosting_ip"] = [_("Not an IP address.")]
    if data.from_known_hash:
        known = set(report.media.values_list("known_classification", flat=True))
        if not known or "" in known or known != {data.classification}:
            problems["classification"] = [
                _("Only media already assessed with this classification can skip viewing.")
            ]
    if len(data.note) > 4000:
        problems["note"] = [_("Keep it under 4000 characters.")]
    if problems:
        raise FieldValidationError(problems)


def report_assess(
    *,
    user: User,
    report: OnlineReport,
    data: AssessmentInput,
    expected_version: int,
    channel: str,
    now: datetime.datetime | None = None,
) -> Assessment:
    """Classify the report (ICCAM) with its hosting facts; remember the media's hashes."""
    authorise(user, OnlineAction.ASSESS, report)
    _check_assessment(report, data)
    now = now_or(now)
    with transaction.atomic():
        status = report.status
        if status in (ReportStatus.RECEIVED, ReportStatus.ASSESSED, ReportStatus.CLOSED):
            status = (
                ReportStatus.ASSESSED if data.classification in ILLEGAL else ReportStatus.CLOSED
            )
        bumped = OnlineReport.objects.filter(pk=report.pk, version=expected_version).update(
            version=F("version") + 1,
            status=status,
            assessed_at=report.assessed_at or now,
            closed_at=now if status == ReportStatus.CLOSED else None,
        )
        if not bumped:
            raise ConflictError(
                _("Someone changed this report since you opened it. Reload it and try again."),
                extra={"current_version": OnlineReport.objects.get(pk=report.pk).version},
            )
        assessment = Assessment.objects.create(
            report=report,
            classification=data.classification,
            content_type=data.content_type,
            age_group=data.age_group,
            hosting_country=data.hosting_country.strip().upper(),
            hosting_ip=data.hosting_ip.strip() or None,
            hosting_provider=data.hosting_provider.strip()[:200],
            registrar=data.registrar.strip()[:200],
            hosting_source=data.hosting_source if data.hosting_source == "imported" else "entered",
            from_known_hash=data.from_known_hash,
            note=data.note.strip(),
            assessed_by=user,
            assessed_at=now,
        )
        AssessedHash.objects.bulk_create(
            AssessedHash(
                hotline_id=report.hotline_id,
                kind=kind,
                value=value,
                classification=data.classification,
                assessment=assessment,
                recorded_at=now,
            )
            for media in report.media.all()
            for kind, value in (("pdq", media.pdq), ("md5", media.md5), ("sha1", media.sha1))
            if kind != "pdq" or media.quality >= 50
        )
        record_event(
            report,
            Step.ASSESSED,
            now,
            by=user,
            classification=data.classification,
            from_known_hash=data.from_known_hash,
        )
        if status == ReportStatus.CLOSED and report.status != ReportStatus.CLOSED:
            record_event(report, Step.CLOSED, now, by=user)
        audit(
            user,
            channel,
            Action.UPDATE,
            "online_report",
            report.id,
            assessment=str(assessment.id),
            classification=data.classification,
        )
    report.refresh_from_db()
    return assessment
