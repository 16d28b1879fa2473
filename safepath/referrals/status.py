"""A service reports whether it runs: open, reduced, closed or moved, with a time.

Who may report: a national coordinator (for any service), and the supervisors and caseworkers
of the agency that provides the service. Referrals skip a closed service and say so
(``selectors.services_for_suggestions``, ``services.referral_create``).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import FieldValidationError, NotFoundError
from safepath.referrals.models import OperatingStatus, Service, ServiceStatusReport

REPORTS_FOR_OWN_SERVICES = frozenset({Role.SUPERVISOR, Role.CASEWORKER})


def user_may_report_status(user: User, service: Service) -> bool:
    if not user.is_active or user.agency is None or not user.agency.is_active:
        return False
    if user.role == Role.COORDINATOR:
        return True
    return (
        user.role in REPORTS_FOR_OWN_SERVICES
        and service.provider.agency_id is not None
        and service.provider.agency_id == user.agency_id
    )


@transaction.atomic
def service_status_report(
    *,
    user: User,
    service: Service,
    status: str,
    note: str = "",
    moved_to: str = "",
    channel: str,
    at: datetime.datetime | None = None,
) -> ServiceStatusReport:
    if not user_may_report_status(user, service):
        raise NotFoundError(_("No such service."))
    errors: dict[str, list[str]] = {}
    if status not in OperatingStatus.values:
        errors["status"] = [_("Choose open, reduced, closed or moved.")]
    if status == OperatingStatus.MOVED and not moved_to.strip():
        errors["moved_to"] = [_("Say where the service moved to.")]
    if len(note) > 300:
        errors["note"] = [_("Write at most 300 characters.")]
    if errors:
        raise FieldValidationError(errors)
    now = at or timezone.now()
    report = ServiceStatusReport.objects.create(
        service=service,
        status=status,
        note=note.strip(),
        moved_to=moved_to.strip() if status == OperatingStatus.MOVED else "",
        reported_by=user,
        reported_at=now,
    )
    Service.objects.filter(pk=service.pk).update(
        operating_status=status,
        status_reported_at=now,
        status_note=report.note,
        moved_to=report.moved_to,
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="service",
        object_id=service.pk,
        details={"operating_status": status},
    )
    return report
