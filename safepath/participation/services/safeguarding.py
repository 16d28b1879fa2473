"""Naming an agency's safeguarding lead (and a deputy): who receives complaints about workers."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, Channel
from safepath.audit.services import audit_record
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError
from safepath.participation.models import SafeguardingLead
from safepath.participation.policies import SafeguardingAction, safeguarding_policy
from safepath.participation.services.common import actor_of


def _staff(agency: Agency, user_id: Any, name: str) -> User:
    try:
        person = User.objects.filter(pk=user_id, agency=agency, is_active=True).first()
    except (ValueError, TypeError):
        person = None
    if person is None or person.role == Role.SYSTEM_ADMIN:
        raise FieldValidationError(
            {name: [_("Choose an active member of this agency's staff.")]},
            _("Choose an active member of this agency's staff."),
        )
    return person


@transaction.atomic
def safeguarding_lead_set(
    *,
    actor: User | None,
    agency_id: Any,
    lead_id: Any,
    deputy_id: Any = None,
    channel: str = Channel.API,
) -> SafeguardingLead:
    """Name the lead (and optionally a deputy). ``actor`` None: the command line (the operator)."""
    if actor is not None:
        if not safeguarding_policy.user_has_permission(actor, SafeguardingAction.SET):
            raise PermissionDeniedError(_("Your role does not name safeguarding leads."))
        if not safeguarding_policy.user_may_set_for_agency(actor, agency_id):
            raise NotFoundError(_("No such agency."))
    try:
        agency = Agency.objects.filter(pk=agency_id, is_active=True).first()
    except (ValueError, TypeError):
        agency = None
    if agency is None:
        raise NotFoundError(_("No such agency."))
    lead = _staff(agency, lead_id, "lead")
    deputy = _staff(agency, deputy_id, "deputy") if deputy_id not in (None, "") else None
    if deputy is not None and deputy.pk == lead.pk:
        raise FieldValidationError(
            {"deputy": [_("The deputy must be someone else than the lead.")]}
        )
    record, created = SafeguardingLead.objects.update_or_create(
        agency=agency,
        defaults={
            "lead": lead,
            "deputy": deputy,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.CREATE if created else Action.UPDATE,
        object_type="participation.safeguarding_lead",
        object_id=agency.id,
        details={"lead": str(lead.id), "deputy": str(deputy.id) if deputy else None},
    )
    return record
