"""Every change to a referral: one function each, atomic, audited, permission-checked.

A refusal says why in words and carries a stable ``code``. Stale writes (a ``version`` that is
no longer current) are refused with 409 and the fields that changed, never overwritten.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case, CaseShare, Consent, consent_in_force
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.services import (
    ChildViewsInput,
    case_share,
    case_take_on,
    child_views_record,
)
from safepath.cases.vocabulary import CaseStatus, ConsentPurpose, DecisionKind
from safepath.core.exceptions import (
    ApplicationError,
    ConflictError,
    FieldValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from safepath.referrals import catalogue, notices
from safepath.referrals.models import (
    DeclineCode,
    Escalation,
    OperatingStatus,
    Outcome,
    Referral,
    ReferralStatus,
    Service,
    Urgency,
)
from safepath.referrals.policies import ReferralAction, referral_policy

# What a stale write answers with: the referral's state now, for the caller to compare.
_WATCHED = ("status", "consent_id", "consent_pending", "outcome", "decline_code", "overdue_at")


def _refuse(fields: dict[str, list[str]], code: str) -> FieldValidationError:
    error = FieldValidationError(fields)
    error.code = code
    return error


def _audit(
    user: User | None, channel: str, action: str, referral: Referral, **details: Any
) -> None:
    actor = Actor.of(user, channel) if user is not None else Actor.system(channel)
    audit_record(
        actor=actor,
        action=action,
        object_type="referral",
        object_id=referral.id,
        details={"case": str(referral.case_id), **details},
    )


def _consent_problem(consent: Consent, case: Case, agency: Agency) -> str:
    if consent.case_id != case.id:
        return _("This consent belongs to another case.")
    if consent.purpose != ConsentPurpose.REFERRAL:
        return _("The consent must be for a referral.")
    if consent.recipient_agency_id != agency.id:
        return _("The consent must name the agency receiving the referral.")
    if not Consent.objects.filter(consent_in_force(), pk=consent.pk).exists():
        return _("The consent has expired or was withdrawn.")
    return ""


def _authorise(user: User, action: ReferralAction, referral: Referral) -> None:
    """404 when the caller may not see the referral, 403 when they see it but may not act."""
    if not referral_policy.user_has_permission_for_instance(user, ReferralAction.VIEW, referral):
        raise NotFoundError(_("No such referral."))
    if not referral_policy.user_has_permission_for_instance(user, action, referral):
        raise PermissionDeniedError(_("Your role or agency may not do this to the referral."))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _locked(referral: Referral, expected_version: int) -> Referral:
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.version != expected_version:
        now_is = {name: _text(getattr(current, name)) for name in _WATCHED}
        raise ConflictError(
            _("Someone changed this referral since you opened it. Reload it and try again."),
            code="stale_version",
            extra={
                "current_version": current.version,
                "current": now_is,
                "updated_at": current.updated_at.isoformat(),
            },
        )
    return current


def _require_status(referral: Referral, *allowed: str) -> None:
    if referral.status not in allowed:
        raise ApplicationError(
            _("This referral is %(status)s; the action needs it to be %(allowed)s.")
            % {
                "status": referral.get_status_display(),
                "allowed": " / ".join(str(ReferralStatus(s).label) for s in allowed),
            },
            code="wrong_status",
        )


def _save(referral: Referral, now: datetime.datetime, *fields: str) -> None:
    referral.version += 1
    referral.updated_at = now
    referral.save(update_fields=[*fields, "version", "updated_at"])


def _resolve_escalations(referral: Referral, now: datetime.datetime) -> None:
    Escalation.objects.filter(referral=referral, resolved_at__isnull=True).update(resolved_at=now)


@dataclass(frozen=True)
class ReferralInput:
    receiving_agency: Agency
    service_type: str
    urgency: str
    reason: str
    child_views: ChildViewsInput
    service: Service | None = None
    consent: Consent | None = None
    urgent_exception_reason: str = ""


def _check_input(user: User, case: Case, data: ReferralInput) -> str:
    """The service type to store; raises with every field that is wrong."""
    errors: dict[str, list[str]] = {}
    agency = data.receiving_agency
    if agency.id == case.owner_agency_id:
        errors["receiving_agency"] = [_("Refer to another agency, not your own.")]
    elif not agency.is_active:
        errors["receiving_agency"] = [_("This agency is closed.")]
    # a chosen service's own type wins: the referral asks for what that service offers
    service_type = data.service.service_type if data.service else data.service_type
    if service_type not in catalogue.taxonomy().codes():
        errors["service_type"] = [_("Choose a service type from the taxonomy.")]
    service = data.service
    if service is not None and (service.provider.agency_id != agency.id or not service.is_active):
        errors["service"] = [_("This service is not offered by the receiving agency.")]
    elif service is not None and service.operating_status == OperatingStatus.CLOSED:
        raise _refuse(
            {
                "service": [
                    _("%(name)s reported itself closed; choose a service that runs.")
                    % {"name": service.name}
                ]
            },
            "service_closed",
        )
    if data.urgency not in Urgency.values:
        errors["urgency"] = [_("Choose high, medium or low urgency.")]
    if not data.reason.strip():
        errors["reason"] = [_("Say why the child needs this service.")]
    if errors:
        raise FieldValidationError(errors)
    return service_type


def _check_consent_or_exception(user: User, case: Case, data: ReferralInput) -> None:
    if data.consent is not None:
        problem = _consent_problem(data.consent, case, data.receiving_agency)
        if problem:
            raise _refuse({"consent": [problem]}, "consent_invalid")
        return
    if not data.urgent_exception_reason.strip():
        raise _refuse(
            {
                "consent": [
                    _(
                        "A referral needs the child's or guardian's consent to refer to this "
                        "agency, or a recorded urgent-protection reason."
                    )
                ]
            },
            "consent_required",
        )
    if user.role != Role.SUPERVISOR and case.status != CaseStatus.URGENT_PROTECTION:
        raise _refuse(
            {
                "urgent_exception_reason": [
                    _(
                        "Only a supervisor, or a worker on a case in urgent protection, may "
                        "refer without consent."
                    )
                ]
            },
            "urgent_exception_not_allowed",
        )


@transaction.atomic
def referral_create(
    *,
    user: User,
    case: Case,
    data: ReferralInput,
    channel: str,
    now: datetime.datetime | None = None,
) -> Referral:
    """Refer a case: needs a REFERRAL consent in force naming the receiving agency, or the
    urgent-protection exception (then flagged so that consent is obtained afterwards). The
    child's views on the referral are recorded with it (cases.ChildViews)."""
    now = now or timezone.now()
    if not case_policy.user_has_permission_for_instance(user, CaseAction.VIEW, case):
        raise NotFoundError(_("No such case."))
    if not referral_policy.user_may_refer(user, case):
        raise PermissionDeniedError(_("Only the case's assigned workers and supervisors refer it."))
    service_type = _check_input(user, case, data)
    _check_consent_or_exception(user, case, data)
    exception = data.consent is None
    referral = Referral.objects.create(
        case=case,
        referring_agency_id=case.owner_agency_id,
        receiving_agency=data.receiving_agency,
        service=data.service,
        service_type=service_type,
        urgency=data.urgency,
        reason=data.reason.strip(),
        consent=data.consent,
        urgent_exception_reason=data.urgent_exception_reason.strip() if exception else "",
        consent_pending=exception,
        due_at=now + catalogue.deadlines()[data.urgency].respond_within,
        referred_by=user,
        created_at=now,
        updated_at=now,
    )
    try:
        child_views_record(
            user=user,
            case=case,
            decision=DecisionKind.REFERRAL,
            views=data.child_views,
            channel=channel,
            decision_ref=str(referral.id),
        )
    except FieldValidationError as error:
        raise FieldValidationError(
            {f"child_views.{k}": v for k, v in error.fields.items()}
        ) from None
    _audit(
        user,
        channel,
        Action.CREATE,
        referral,
        receiving_agency=str(data.receiving_agency.id),
        urgency=data.urgency,
        urgent_exception=exception,
    )
    notices.referral_received(referral, now)
    return referral


def _sharer(referral: Referral) -> User:
    """Who shares the case on acceptance: the referring worker, who authorised it when referring;
    if they no longer may, a supervisor of the owning agency."""
    case = referral.case
    if case_policy.user_has_permission_for_instance(referral.referred_by, CaseAction.SHARE, case):
        return referral.referred_by
    for supervisor in User.objects.filter(
        agency=case.owner_agency_id, role=Role.SUPERVISOR, is_active=True
    ).order_by("date_joined"):
        if case_policy.user_has_permission_for_instance(supervisor, CaseAction.SHARE, case):
            return supervisor
    raise ApplicationError(
        _("Nobody in the referring agency may share this case now; ask its supervisor."),
        code="no_sharer",
    )


def _assign_acceptor(referral: Referral, channel: str) -> None:
    """The worker who accepted works the case: assigned to it through the cases app, so the
    case policy lets a caseworker of the receiving agency open it."""
    worker = referral.answered_by
    if worker is not None:
        case_take_on(
            user=worker, case=referral.case, reason=f"referral {referral.id}", channel=channel
        )


def _open_case_to_receiver(referral: Referral, channel: str) -> CaseShare:
    """Give the receiving agency access to what the consent covers (``case_share`` scopes it),
    and assign the worker who accepted."""
    if referral.consent is None:
        raise ApplicationError(_("No consent to share the case under."), code="consent_required")
    share = (
        CaseShare.objects.active()
        .filter(case=referral.case_id, agency=referral.receiving_agency_id)
        .first()
    )
    if share is None:
        share = case_share(
            user=_sharer(referral),
            case=referral.case,
            agency=referral.receiving_agency,
            consent=referral.consent,
            channel=channel,
        )
    _assign_acceptor(referral, channel)
    return share


@transaction.atomic
def referral_accept(
    *,
    user: User,
    referral: Referral,
    expected_version: int,
    channel: str,
    now: datetime.datetime | None = None,
) -> Referral:
    now = now or timezone.now()
    _authorise(user, ReferralAction.ACCEPT, referral)
    referral = _locked(referral, expected_version)
    _require_status(referral, ReferralStatus.PENDING)
    if referral.consent is not None:
        problem = _consent_problem(referral.consent, referral.case, referral.receiving_agency)
        if problem:
            raise _refuse({"consent": [problem]}, "consent_invalid")
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_by, referral.answered_at = user, now
    if referral.consent is not None:
        referral.share = _open_case_to_receiver(referral, channel)
    _save(referral, now, "status", "answered_by", "answered_at", "share")
    _resolve_escalations(referral, now)
    _audit(user, channel, Action.UPDATE, referral, transition="accept", shared=bool(referral.share))
    notices.referral_answered(referral, now)
    return referral


@transaction.atomic
def referral_decline(
    *,
    user: User,
    referral: Referral,
    expected_version: int,
    code: str,
    reason: str,
    channel: str,
    now: datetime.datetime | None = None,
) -> Referral:
    now = now or timezone.now()
    _authorise(user, ReferralAction.DECLINE, referral)
    errors: dict[str, list[str]] = {}
    if code not in DeclineCode.values:
        errors["code"] = [_("Choose why the referral is declined.")]
    if not reason.strip():
        errors["reason"] = [_("Explain in words why you decline, so the referrer can act.")]
    if errors:
        raise _refuse(errors, "decline_reason_required")
    referral = _locked(referral, expected_version)
    _require_status(referral, ReferralStatus.PENDING)
    referral.status = ReferralStatus.DECLINED
    referral.decline_code, referral.decline_reason = code, reason.strip()
    referral.answered_by, referral.answered_at = user, now
    _save(referral, now, "status", "decline_code", "decline_reason", "answered_by", "answered_at")
    _resolve_escalations(referral, now)
    _audit(user, channel, Action.UPDATE, referral, transition="decline", code=code)
    notices.referral_answered(referral, now)
    return referral


@transaction.atomic
def referral_outcome_report(
    *,
    user: User,
    referral: Referral,
    expected_version: int,
    outcome: str,
    outcome_on: datetime.date,
    note: str,
    channel: str,
    now: datetime.datetime | None = None,
) -> Referral:
    now = now or timezone.now()
    _authorise(user, ReferralAction.REPORT_OUTCOME, referral)
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose delivered, not delivered, or declined by the child.")]
    if outcome_on > timezone.localdate(now):
        errors["outcome_on"] = [_("This date cannot be in the future.")]
    elif outcome_on < timezone.localdate(referral.created_at):
        errors["outcome_on"] = [_("This date is before the referral was made.")]
    if outcome != Outcome.DELIVERED and not note.strip():
        errors["note"] = [_("Say what happened when the service was not delivered.")]
    if errors:
        raise FieldValidationError(errors)
    referral = _locked(referral, expected_version)
    _require_status(referral, ReferralStatus.ACCEPTED)
    referral.status = ReferralStatus.COMPLETED
    referral.outcome, referral.outcome_on, referral.outcome_note = outcome, outcome_on, note.strip()
    referral.outcome_by = user
    _save(referral, now, "status", "outcome", "outcome_on", "outcome_note", "outcome_by")
    _audit(user, channel, Action.UPDATE, referral, transition="outcome", outcome=outcome)
    return referral


@transaction.atomic
def referral_withdraw(
    *,
    user: User,
    referral: Referral,
    expected_version: int,
    reason: str,
    channel: str,
    now: datetime.datetime | None = None,
) -> Referral:
    """Withdraw a referral still waiting for an answer (after acceptance, the case share is
    revoked through the cases app instead)."""
    now = now or timezone.now()
    _authorise(user, ReferralAction.WITHDRAW, referral)
    if not reason.strip():
        raise FieldValidationError({"reason": [_("Say why the referral is withdrawn.")]})
    referral = _locked(referral, expected_version)
    _require_status(referral, ReferralStatus.PENDING)
    referral.status, referral.withdraw_reason = ReferralStatus.WITHDRAWN, reason.strip()
    _save(referral, now, "status", "withdraw_reason")
    _resolve_escalations(referral, now)
    _audit(user, channel, Action.UPDATE, referral, transition="withdraw")
    return referral


@transaction.atomic
def referral_consent_attach(
    *,
    user: User,
    referral: Referral,
    expected_version: int,
    consent: Consent,
    channel: str,
    now: datetime.datetime | None = None,
) -> Referral:
    """Close the urgent-protection exception with the consent obtained afterwards; an accepted
    referral then opens the case to the receiving agency."""
    now = now or timezone.now()
    _authorise(user, ReferralAction.ATTACH_CONSENT, referral)
    referral = _locked(referral, expected_version)
    if not referral.consent_pending:
        raise ApplicationError(_("This referral already rests on a consent."), code="has_consent")
    problem = _consent_problem(consent, referral.case, referral.receiving_agency)
    if problem:
        raise _refuse({"consent": [problem]}, "consent_invalid")
    referral.consent, referral.consent_pending = consent, False
    if referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED):
        referral.share = _open_case_to_receiver(referral, channel)
    _save(referral, now, "consent", "consent_pending", "share")
    _audit(user, channel, Action.UPDATE, referral, transition="consent_attached")
    return referral


@dataclass
class EscalationRun:
    marked_overdue: list[str] = field(default_factory=list)
    to_worker: int = 0
    to_supervisor: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "marked_overdue": self.marked_overdue,
            "to_worker": self.to_worker,
            "to_supervisor": self.to_supervisor,
        }


def _escalate(
    referral: Referral, level: int, recipients: list[User], now: datetime.datetime
) -> int:
    existing = set(
        Escalation.objects.filter(referral=referral, level=level).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [u for u in recipients if u.id not in existing]
    for recipient in fresh:
        escalation = Escalation.objects.create(
            referral=referral, level=level, recipient=recipient, created_at=now
        )
        audit_record(
            actor=Actor.system(Channel.SYSTEM),
            action=Action.CREATE,
            object_type="referral_escalation",
            object_id=escalation.id,
            details={"referral": str(referral.id), "level": level, "recipient": str(recipient.id)},
        )
    notices.referral_escalated(referral, level, fresh, now)
    return len(fresh)


@transaction.atomic
def referrals_escalate_overdue(*, now: datetime.datetime | None = None) -> EscalationRun:
    """Mark unanswered referrals past their deadline as overdue; tell the referring worker at
    once, and the supervisors of both agencies once the supervisor step (deadlines.json) has also
    passed. Idempotent: each step reaches each person once."""
    now = now or timezone.now()
    run = EscalationRun()
    rules = catalogue.deadlines()
    overdue = (
        Referral.objects.select_for_update()
        .filter(status=ReferralStatus.PENDING, due_at__lte=now)
        .select_related("referred_by")
        .order_by("due_at")
    )
    supervisors: dict[Any, list[User]] = {}
    for user in User.objects.filter(role=Role.SUPERVISOR, is_active=True):
        supervisors.setdefault(user.agency_id, []).append(user)
    for referral in overdue:
        if referral.overdue_at is None:
            referral.overdue_at = now
            _save(referral, now, "overdue_at")
            _audit(None, Channel.SYSTEM, Action.UPDATE, referral, transition="overdue")
            run.marked_overdue.append(str(referral.id))
        worker = [referral.referred_by] if referral.referred_by.is_active else []
        run.to_worker += _escalate(referral, Escalation.WORKER, worker, now)
        if now >= referral.due_at + rules[referral.urgency].supervisor_after:
            bosses = supervisors.get(referral.referring_agency_id, []) + supervisors.get(
                referral.receiving_agency_id, []
            )
            run.to_supervisor += _escalate(referral, Escalation.SUPERVISOR, bosses, now)
    return run
