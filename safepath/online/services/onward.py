"""Reports onward: a law-enforcement referral, the CyberTipline-modelled export, and the
consented link to a child-protection case.

The link follows the referral path's consent rule: the child-protection agency links a report
to a case it may share, under a consent in force on that case, for a referral or sharing, that
names the hotline. The hotline learns that a case exists and the consent is in force, never
the child's record; withdrawing the consent ends the link.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType
from safepath.audit.models import Action
from safepath.cases.models import Case, Consent, consent_in_force
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.vocabulary import ConsentPurpose
from safepath.core.exceptions import (
    ApplicationError,
    ConflictError,
    FieldValidationError,
    NotFoundError,
)
from safepath.online.models import (
    CaseLink,
    CaseLinkStatus,
    CyberTipExport,
    LawEnforcementReferral,
    OnlineReport,
    Step,
)
from safepath.online.policies import CHILD_PROTECTION_AGENCIES, OnlineAction, online_policy
from safepath.online.reports import (
    CyberTipFile,
    CyberTipInput,
    CyberTipLawEnforcement,
    render_cybertip,
    validate_cybertip,
)
from safepath.online.services.common import audit, authorise, now_or, record_event, require

LINK_PURPOSES = frozenset({ConsentPurpose.REFERRAL, ConsentPurpose.SHARING})


def law_enforcement_refer(
    *,
    user: User,
    report: OnlineReport,
    reason: str,
    police_agency: Agency | None = None,
    agency_name: str = "",
    case_number: str = "",
    channel: str,
    now: datetime.datetime | None = None,
) -> LawEnforcementReferral:
    authorise(user, OnlineAction.REFER, report)
    now = now_or(now)
    problems: dict[str, list[str]] = {}
    if police_agency is not None and police_agency.agency_type != AgencyType.POLICE:
        problems["police_agency"] = [_("Choose a law-enforcement agency.")]
    name = police_agency.name if police_agency is not None else agency_name.strip()
    if not name:
        problems["agency_name"] = [_("Name the law-enforcement agency.")]
    if not reason.strip():
        problems["reason"] = [_("Say why the report goes to law enforcement.")]
    if problems:
        raise FieldValidationError(problems)
    with transaction.atomic():
        referral = LawEnforcementReferral.objects.create(
            report=report,
            police_agency=police_agency,
            agency_name=name[:200],
            case_number=case_number.strip()[:100],
            reason=reason.strip()[:4000],
            referred_by=user,
            referred_at=now,
        )
        record_event(report, Step.REFERRED, now, by=user, referral=str(referral.id))
        audit(user, channel, Action.CREATE, "online_le_referral", referral.id)
    return referral


def _cybertip_input(report: OnlineReport) -> CyberTipInput:
    assessment = report.assessments.order_by("-assessed_at").first()
    referral = report.referrals.order_by("-referred_at").first()
    files = tuple(
        CyberTipFile(
            file_id=str(media.id),
            md5=media.md5,
            sha1=media.sha1,
            pdq=media.pdq,
            matches=tuple((m.bank.name, m.kind, m.distance) for m in media.matches.all()),
        )
        for media in report.media.prefetch_related("matches__bank")
    )
    annotations = ("sextortion",) if report.sextortion else ()
    steps = {
        "received",
        "assessed",
        "notice_sent",
        "escalated",
        "removal_confirmed",
        "reappeared",
        "referred_to_law_enforcement",
    }
    return CyberTipInput(
        reference=str(report.id),
        organisation=report.hotline.name,
        country=report.hotline.country,
        kind=report.kind,
        incident_at=report.received_at,
        url=report.url,
        platform=report.platform,
        high_priority=report.live_abuse or report.child_in_danger,
        annotations=annotations,
        classification=assessment.classification if assessment else "",
        content_type=assessment.content_type if assessment else "",
        apparent_age_group=assessment.age_group if assessment else "",
        hosting_country=assessment.hosting_country if assessment else "",
        assessed_at=assessment.assessed_at if assessment else None,
        files=files,
        law_enforcement=(
            CyberTipLawEnforcement(referral.agency_name, referral.case_number) if referral else None
        ),
        timeline=tuple((e.step, e.at) for e in report.events.all() if e.step in steps),
    )


def cybertip_export(
    *, user: User, report: OnlineReport, channel: str, now: datetime.datetime | None = None
) -> CyberTipExport:
    """The report as CyberTipline-modelled XML, validated against our schema, kept."""
    authorise(user, OnlineAction.EXPORT, report)
    now = now_or(now)
    if not report.assessments.exists():
        raise ApplicationError(_("Assess the report before exporting it."), code="not_assessed")
    xml = render_cybertip(_cybertip_input(report))
    errors = validate_cybertip(xml)
    with transaction.atomic():
        export = CyberTipExport.objects.create(
            report=report,
            content=xml.decode("utf-8"),
            sha256=hashlib.sha256(xml).hexdigest(),
            valid=not errors,
            validation_errors=errors,
            generated_by=user,
            generated_at=now,
        )
        record_event(report, Step.EXPORTED, now, by=user, export=str(export.id))
        audit(user, channel, Action.EXPORT, "online_cybertip", export.id, valid=export.valid)
    return export


# --- the consented link to a child-protection case -----------------------------------------


def case_link_request(
    *, user: User, report: OnlineReport, agency: Agency, note: str, channel: str
) -> CaseLink:
    """Hand a report about an identified child to a child-protection agency."""
    authorise(user, OnlineAction.HAND_OFF, report)
    problems: dict[str, list[str]] = {}
    if agency.agency_type not in CHILD_PROTECTION_AGENCIES or not agency.is_active:
        problems["agency"] = [_("Choose a child-protection agency or NGO.")]
    if not note.strip():
        problems["note"] = [_("Say what the agency needs to know (no content, no images).")]
    if problems:
        raise FieldValidationError(problems)
    if report.case_links.filter(agency=agency, status=CaseLinkStatus.PENDING).exists():
        raise ConflictError(_("This agency already has this report waiting."), code="duplicate")
    with transaction.atomic():
        link = CaseLink.objects.create(
            report=report,
            hotline=report.hotline,
            agency=agency,
            note=note.strip()[:4000],
            requested_by=user,
        )
        audit(user, channel, Action.SHARE, "online_case_link", link.id, agency=str(agency.id))
    return link


def _link_for(user: User, link_id: uuid.UUID | str) -> CaseLink:
    require(user, OnlineAction.LINK_CASE)
    try:
        return online_policy.case_links_user_may_see(user).get(pk=link_id)
    except (CaseLink.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such hand-off.")) from None


def case_link_accept(
    *, user: User, link_id: uuid.UUID | str, case: Case, consent: Consent, channel: str
) -> CaseLink:
    """Link the report to a case the user may share, under a consent naming the hotline."""
    link = _link_for(user, link_id)
    if not case_policy.user_has_permission_for_instance(user, CaseAction.SHARE, case):
        raise NotFoundError(_("No such case."))
    problem = ""
    if consent.case_id != case.id:
        problem = _("This consent belongs to another case.")
    elif consent.purpose not in LINK_PURPOSES:
        problem = _("The consent must be for a referral or for sharing.")
    elif consent.recipient_agency_id != link.hotline_id:
        problem = _("The consent must name the hotline.")
    elif not Consent.objects.filter(consent_in_force(), pk=consent.pk).exists():
        problem = _("The consent has expired or was withdrawn.")
    if problem:
        error = FieldValidationError({"consent": [problem]})
        error.code = "consent_invalid"
        raise error
    with transaction.atomic():
        current = CaseLink.objects.select_for_update().get(pk=link.pk)
        if current.status != CaseLinkStatus.PENDING:
            raise ConflictError(_("This hand-off was answered already."), code="wrong_status")
        current.status = CaseLinkStatus.LINKED
        current.case = case
        current.consent = consent
        current.answered_by = user
        current.answered_at = now_or(None)
        current.save()
        audit(
            user,
            channel,
            Action.UPDATE,
            "online_case_link",
            current.id,
            case=str(case.id),
            consent=str(consent.id),
        )
    return current


def case_link_decline(
    *, user: User, link_id: uuid.UUID | str, reason: str, channel: str
) -> CaseLink:
    link = _link_for(user, link_id)
    if not reason.strip():
        raise FieldValidationError({"reason": [_("Say why (for the hotline).")]})
    with transaction.atomic():
        current = CaseLink.objects.select_for_update().get(pk=link.pk)
        if current.status != CaseLinkStatus.PENDING:
            raise ConflictError(_("This hand-off was answered already."), code="wrong_status")
        current.status = CaseLinkStatus.DECLINED
        current.decline_reason = reason.strip()[:4000]
        current.answered_by = user
        current.answered_at = now_or(None)
        current.save()
        audit(user, channel, Action.UPDATE, "online_case_link", current.id, status="declined")
    return current


def case_link_in_force(link: CaseLink) -> bool:
    """A link holds while its consent is in force."""
    return bool(
        link.status == CaseLinkStatus.LINKED
        and link.consent_id
        and Consent.objects.filter(consent_in_force(), pk=link.consent_id).exists()
    )
