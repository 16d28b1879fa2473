"""Reports in: the public form (no account) and partners through the API.

A public reporter gets a reference to ask for the report's status. The reference is shown
once and stored only as a keyed hash, so it is never in a URL, a log or the database in
clear. Submissions and status look-ups are limited per address (also a keyed hash).
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType
from safepath.audit.models import Action, Channel
from safepath.core import crypto
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.online.engine import triage
from safepath.online.models import (
    ADDRESS_INDEX_PURPOSE,
    REFERENCE_INDEX_PURPOSE,
    URL_INDEX_PURPOSE,
    IntakeAttempt,
    OnlineReport,
    ReportChannel,
    ReportKind,
    ReportStatus,
    Step,
)
from safepath.online.policies import OnlineAction
from safepath.online.services.common import audit, now_or, record_event, require

# Crockford's base 32: no I, L, O or U, so a reference read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
URL_MAX = 2048
TEXT_MAX = 4000
CONTACT_MAX = 200
# Markup has no place in a report: refuse it rather than store it (pages escape it anyway).
MARKUP = re.compile(r"<\s*/?\s*[a-z!]|javascript\s*:|on[a-z]+\s*=", re.IGNORECASE)


class ThrottledError(ApplicationError):
    code = "throttled"
    http_status = 429


def new_reference() -> str:
    """HR-XXXX-XXXX-XXXX: 60 random bits."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"HR-{body[:4]}-{body[4:8]}-{body[8:]}"


def normalise_reference(value: str) -> str:
    text = "".join(value.upper().split()).replace("O", "0").replace("I", "1").replace("L", "1")
    if not text.startswith("HR-") and len(text.replace("-", "")) == 14:
        text = "HR-" + text.replace("-", "")[2:]
    return text


def reference_index(reference: str) -> str:
    return crypto.tagged_index(normalise_reference(reference), purpose=REFERENCE_INDEX_PURPOSE)


def reference_indexes(reference: str) -> list[str]:
    """The reference's index under every index key (active first): during and after an
    index-key rotation, a reference made under an older key is still found."""
    return crypto.tagged_indexes(normalise_reference(reference), purpose=REFERENCE_INDEX_PURPOSE)


def url_index(url: str) -> str:
    return crypto.blind_index(url.strip(), purpose=URL_INDEX_PURPOSE) if url.strip() else ""


def intake_hotline() -> Agency:
    """The hotline that receives reports: ``ONLINE_INTAKE_AGENCY`` (a code), else the first
    active hotline."""
    code = getattr(settings, "ONLINE_INTAKE_AGENCY", "")
    hotlines = Agency.objects.filter(agency_type=AgencyType.HOTLINE, is_active=True)
    agency = (hotlines.filter(code=code) if code else hotlines.order_by("created_at")).first()
    if agency is None:
        raise ApplicationError(
            _("Reports cannot be received yet: no hotline is set up."), code="no_hotline"
        )
    return agency


# --- throttling ----------------------------------------------------------------------------


def throttle(*, address: str, action: str, now: datetime.datetime | None = None) -> None:
    """Refuse (429) past ``ONLINE_<ACTION>_PER_HOUR`` attempts from one address in an hour."""
    now = now_or(now)
    limit = int(getattr(settings, f"ONLINE_{action.upper()}_PER_HOUR", 10))
    index = crypto.blind_index(address or "unknown", purpose=ADDRESS_INDEX_PURPOSE)
    since = now - datetime.timedelta(hours=1)
    recent = IntakeAttempt.objects.filter(address_index=index, action=action, at__gt=since)
    if recent.count() >= limit:
        raise ThrottledError(
            _("Too many attempts from your connection. Please try again in an hour."),
        )
    IntakeAttempt.objects.create(address_index=index, action=action, at=now)
    # keep the table small: attempts older than a day mean nothing
    IntakeAttempt.objects.filter(at__lt=now - datetime.timedelta(days=1)).delete()


# --- the report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    kind: str
    url: str = ""
    platform: str = ""
    description: str = ""
    live_abuse: bool = False
    child_in_danger: bool = False
    sextortion: bool = False
    identified_child: bool = False
    anonymous: bool = True
    contact: str = ""
    language: str = ""


def _clean(data: ReportInput) -> ReportInput:
    problems: dict[str, list[str]] = {}
    if data.kind not in ReportKind.values:
        problems["kind"] = [_("Choose what you saw.")]
    for name in ("url", "platform", "description", "contact"):
        if MARKUP.search(getattr(data, name)):
            problems[name] = [_("Remove the HTML or script from this field.")]
    if problems:
        raise FieldValidationError(problems)
    url = data.url.strip()
    if len(url) > URL_MAX:
        problems["url"] = [_("The address is too long (at most %d characters).") % URL_MAX]
    elif url:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
            problems["url"] = [_("Give a web address such as https://example.org/page.")]
        url = parts.geturl()
    description = data.description.strip()
    if len(description) > TEXT_MAX:
        problems["description"] = [_("Keep it under %d characters.") % TEXT_MAX]
    if not url and not description:
        problems["url"] = [_("Give the address, or describe where you saw it.")]
    contact = data.contact.strip()
    if len(contact) > CONTACT_MAX:
        problems["contact"] = [_("Keep it under %d characters.") % CONTACT_MAX]
    if data.anonymous and contact:
        problems["contact"] = [_("You chose to stay anonymous: leave the contact empty.")]
    if problems:
        raise FieldValidationError(problems)
    return ReportInput(
        kind=data.kind,
        url=url,
        platform=data.platform.strip()[:100],
        description=description,
        live_abuse=data.live_abuse,
        child_in_danger=data.child_in_danger,
        sextortion=data.sextortion,
        identified_child=data.identified_child,
        anonymous=data.anonymous,
        contact="" if data.anonymous else contact,
        language=data.language[:10],
    )


def _urgency(data: ReportInput, hash_matched: bool = False) -> int:
    return triage.urgency(
        triage.UrgencyInput(
            kind=data.kind,
            live_abuse=data.live_abuse,
            child_in_danger=data.child_in_danger,
            sextortion=data.sextortion,
            hash_matched=hash_matched,
        )
    )


def report_submit(
    *,
    data: ReportInput,
    user: User | None = None,
    address: str = "",
    channel: str,
    now: datetime.datetime | None = None,
) -> tuple[OnlineReport, str]:
    """Receive a report; returns it and the reference to give the reporter (shown once).

    Public (``user`` None): throttled per address. A partner (platform, another hotline)
    reports through the API with its token.
    """
    now = now_or(now)
    if user is not None:
        require(user, OnlineAction.SUBMIT)
    else:  # counted before validation, so a flood of bad submissions is throttled too
        with transaction.atomic():
            throttle(address=address, action="report", now=now)
    cleaned = _clean(data)
    with transaction.atomic():
        return _create(cleaned, user=user, channel=channel, now=now)


def _create(
    cleaned: ReportInput, *, user: User | None, channel: str, now: datetime.datetime
) -> tuple[OnlineReport, str]:
    hotline = intake_hotline()
    reference = new_reference()
    report = OnlineReport.objects.create(
        hotline=hotline,
        submitted_by_agency=user.agency if user is not None else None,
        channel=ReportChannel.API if user is not None else ReportChannel.PUBLIC,
        reference_index=reference_index(reference),
        kind=cleaned.kind,
        url=cleaned.url,
        url_index=url_index(cleaned.url),
        platform=cleaned.platform,
        description=cleaned.description,
        live_abuse=cleaned.live_abuse,
        child_in_danger=cleaned.child_in_danger,
        sextortion=cleaned.sextortion,
        identified_child=cleaned.identified_child,
        anonymous=cleaned.anonymous,
        contact=cleaned.contact,
        language=cleaned.language,
        urgency=_urgency(cleaned),
        received_at=now,
    )
    record_event(report, Step.RECEIVED, now, by=user, channel=report.channel)
    audit(user, channel, Action.CREATE, "online_report", report.id, kind=report.kind)
    return report, reference


# What a reporter is told: coarse, never the assessment or the notices' recipients.
PUBLIC_STATUS = {
    ReportStatus.RECEIVED: "received",
    ReportStatus.ASSESSED: "in_progress",
    ReportStatus.NOTICE_SENT: "in_progress",
    ReportStatus.REMOVED: "action_taken",
    ReportStatus.CLOSED: "closed",
}


def report_status_lookup(
    *,
    reference: str,
    user: User | None = None,
    address: str = "",
    channel: str = Channel.WEB,
    now: datetime.datetime | None = None,
) -> tuple[str, datetime.datetime]:
    """(public status, received at) for a reference; throttled per address for the public."""
    now = now_or(now)
    if user is None:
        with transaction.atomic():
            throttle(address=address, action="status", now=now)
    candidates = reference_indexes(reference)
    found = OnlineReport.objects.filter(reference_index__in=candidates)
    if user is not None:
        require(user, OnlineAction.SUBMIT)
        found = found.filter(submitted_by_agency=user.agency_id)
    report = found.only("id", "status", "received_at", "reference_index").first()
    if report is None:
        raise NotFoundError(_("No report has this reference. Check it and try again."))
    if report.reference_index != candidates[0]:  # made under an older index key: move it
        OnlineReport.objects.filter(pk=report.pk, reference_index=report.reference_index).update(
            reference_index=candidates[0]
        )
    audit(user, channel, Action.READ, "online_report_status", report.id)
    return PUBLIC_STATUS[ReportStatus(report.status)], report.received_at
