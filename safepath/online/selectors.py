"""Reads of the online app, scoped by its policy; reads of reports are audited.

A record the caller may not see is "not found", whether or not it exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record, audit_record_many
from safepath.core.exceptions import NotFoundError
from safepath.online.engine import takedown
from safepath.online.models import (
    Advert,
    Assessment,
    CaseLink,
    CyberTipExport,
    HashBank,
    MediaMatch,
    Notice,
    NoticeEscalation,
    NoticeStatus,
    OnlineReport,
    ReportMedia,
    ReportStatus,
)
from safepath.online.policies import OnlineAction, online_policy
from safepath.online.services.common import require

OPEN_STATUSES = (ReportStatus.RECEIVED, ReportStatus.ASSESSED, ReportStatus.NOTICE_SENT)


def report_list(*, user: User, status: str = "open") -> QuerySet[OnlineReport]:
    """The queue: most urgent first (live abuse, a child in danger, sextortion), then oldest."""
    require(user, OnlineAction.VIEW)
    reports = online_policy.reports_user_has_permission_for(user, OnlineAction.VIEW)
    if status == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif status in ReportStatus.values:
        reports = reports.filter(status=status)
    return reports.annotate(media_count=Count("media")).order_by("-urgency", "received_at", "id")


def audit_report_reads(*, user: User, reports: Sequence[OnlineReport], channel: str) -> None:
    audit_record_many(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="online_report",
        object_ids=[r.id for r in reports],
    )


def report_get(*, user: User, report_id: uuid.UUID | str, channel: str) -> OnlineReport:
    """One report with its assessment history, media hashes, notices and timeline (audited)."""
    try:
        report = (
            online_policy.reports_user_has_permission_for(user, OnlineAction.VIEW)
            .select_related("hotline", "submitted_by_agency")
            .prefetch_related(
                Prefetch(
                    "assessments",
                    queryset=Assessment.objects.select_related("assessed_by").order_by(
                        "-assessed_at"
                    ),
                ),
                Prefetch(
                    "media",
                    queryset=ReportMedia.objects.prefetch_related(
                        Prefetch("matches", queryset=MediaMatch.objects.select_related("bank"))
                    ),
                ),
                Prefetch(
                    "notices",
                    queryset=Notice.objects.prefetch_related("escalations").order_by("sent_at"),
                ),
                "events",
                "referrals",
                Prefetch("exports", queryset=CyberTipExport.objects.defer("content")),
                Prefetch("case_links", queryset=CaseLink.objects.select_related("agency")),
            )
            .get(pk=report_id)
        )
    except (OnlineReport.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such report.")) from None
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="online_report",
        object_id=report.id,
    )
    return report


def report_for_action(*, user: User, report_id: uuid.UUID | str) -> OnlineReport:
    """The report a service is about to change (the service audits; 403 is the service's)."""
    try:
        return online_policy.reports_user_has_permission_for(user, OnlineAction.VIEW).get(
            pk=report_id
        )
    except (OnlineReport.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such report.")) from None


def notice_for_action(*, user: User, notice_id: uuid.UUID | str) -> Notice:
    visible = online_policy.reports_user_has_permission_for(user, OnlineAction.VIEW)
    try:
        return Notice.objects.select_related("report").get(pk=notice_id, report__in=visible)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such notice.")) from None


def export_for_download(*, user: User, export_id: uuid.UUID | str, channel: str) -> CyberTipExport:
    visible = online_policy.reports_user_has_permission_for(user, OnlineAction.EXPORT)
    try:
        export = CyberTipExport.objects.get(pk=export_id, report__in=visible)
    except (CyberTipExport.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such export.")) from None
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.EXPORT,
        object_type="online_cybertip",
        object_id=export.id,
        details={"report": str(export.report_id)},
    )
    return export


def bank_list(*, user: User) -> QuerySet[HashBank]:
    """The banks the user may match against (or manage), with their signal counts."""
    if not (
        online_policy.user_has_permission(user, OnlineAction.MATCH)
        or online_policy.user_has_permission(user, OnlineAction.MANAGE_BANKS)
    ):
        raise NotFoundError(_("No such page."))
    visible = HashBank.objects.filter(
        Q(pk__in=online_policy.banks_user_may_match(user).values("pk"))
        | Q(pk__in=online_policy.banks_user_may_manage(user).values("pk"))
    )
    return visible.select_related("owner").annotate(signal_count=Count("signals")).order_by("name")


def bank_get(*, user: User, name: str) -> HashBank:
    try:
        return bank_list(user=user).prefetch_related("imports", "allowed_agencies").get(name=name)
    except HashBank.DoesNotExist:
        raise NotFoundError(_("No such bank.")) from None


def bank_may_manage(*, user: User, bank: HashBank) -> bool:
    return online_policy.banks_user_may_manage(user).filter(pk=bank.pk).exists()


def advert_list(*, user: User) -> QuerySet[Advert]:
    require(user, OnlineAction.ADVERTS)
    return online_policy.adverts_user_has_permission_for(user).order_by("-score", "-created_at")


def case_link_list(*, user: User) -> QuerySet[CaseLink]:
    if not (
        online_policy.user_has_permission(user, OnlineAction.VIEW)
        or online_policy.user_has_permission(user, OnlineAction.LINK_CASE)
    ):
        raise NotFoundError(_("No such page."))
    return online_policy.case_links_user_may_see(user).select_related(
        "agency", "hotline", "report", "case"
    )


def escalations_open(*, user: User) -> QuerySet[NoticeEscalation]:
    """Escalations waiting for this user (notices not removed in time)."""
    if not online_policy.user_has_permission(user, OnlineAction.NOTICE):
        return NoticeEscalation.objects.none()
    return NoticeEscalation.objects.filter(
        recipient=user, resolved_at__isnull=True, notice__status__in=("sent", "reappeared")
    ).select_related("notice")


def removal_dashboard(*, user: User) -> dict[str, list[takedown.RemovalSummary]]:
    """Time from notice to confirmed removal: percentiles by hosting country and provider."""
    require(user, OnlineAction.DASHBOARD)
    visible = online_policy.reports_user_has_permission_for(user, OnlineAction.DASHBOARD)
    times = [
        takedown.RemovalTime(
            country=country or "",
            provider=provider or "",
            hours=(removed - sent).total_seconds() / 3600 if removed else None,
        )
        for country, provider, sent, removed in Notice.objects.filter(
            report__in=visible
        ).values_list("recipient_country", "hosting_provider", "sent_at", "removed_at")
    ]
    return {
        "country": takedown.summarise(times, by="country"),
        "provider": takedown.summarise(times, by="provider"),
    }


def open_notice_count(*, user: User) -> int:
    visible = online_policy.reports_user_has_permission_for(user, OnlineAction.VIEW)
    return Notice.objects.filter(
        report__in=visible, status__in=(NoticeStatus.SENT, NoticeStatus.REAPPEARED)
    ).count()
