"""Care facts: age assessments, family, guardianship, contact with the justice system, and the
transition to adulthood. Each is an append with its own audit entry and history line."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.cases.models import (
    AgeAssessment,
    Case,
    FamilyMember,
    GuardianAppointment,
    JusticeContact,
    TransitionPlan,
)
from safepath.cases.policies import CaseAction
from safepath.cases.services.checks import refuse_future_date, require
from safepath.cases.services.versioning import item_logged
from safepath.cases.vocabulary import AgeMethod, JusticeContactKind
from safepath.core.exceptions import FieldValidationError

# Above this, an "age assessment" is describing an adult's record that does not belong here.
_OLDEST_ASSESSABLE = 25


@transaction.atomic
def age_assessment_record(
    *,
    user: User,
    case: Case,
    method: str,
    assessed_on: datetime.date,
    minimum_age: int,
    maximum_age: int,
    disputed: bool,
    channel: str,
) -> AgeAssessment:
    """Record an age assessment. While one is disputed the child is presumed a child."""
    require(user, CaseAction.EDIT, case, _("You may not change this case."))
    errors: dict[str, list[str]] = {}
    if method not in AgeMethod.values:
        errors["method"] = [_("Choose how the age was assessed.")]
    if not 0 <= minimum_age <= maximum_age:
        errors["maximum_age"] = [_("The maximum age cannot be below the minimum age.")]
    if maximum_age > _OLDEST_ASSESSABLE:
        errors["maximum_age"] = [
            _("An age over %(age)s is outside what this system records.")
            % {"age": _OLDEST_ASSESSABLE}
        ]
    if errors:
        raise FieldValidationError(errors)
    refuse_future_date(assessed_on, "assessed_on")
    record = AgeAssessment.objects.create(
        case=case,
        method=method,
        assessed_on=assessed_on,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        disputed=disputed,
        recorded_by=user,
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=record,
        object_type="age_assessment",
        after={"method": method},
    )
    return record


@transaction.atomic
def family_member_add(
    *,
    user: User,
    case: Case,
    relation: str,
    name: str,
    contact: str = "",
    is_caregiver: bool = False,
    whereabouts_known: bool = False,
    tracing_requested: bool = False,
    channel: str,
) -> FamilyMember:
    require(user, CaseAction.EDIT, case, _("You may not change this case."))
    if not relation.strip() or not name.strip():
        raise FieldValidationError(
            {"relation" if not relation.strip() else "name": [_("This field is required.")]}
        )
    record = FamilyMember.objects.create(
        case=case,
        relation=relation.strip()[:40],
        name=name.strip(),
        contact=contact.strip(),
        is_caregiver=is_caregiver,
        whereabouts_known=whereabouts_known,
        tracing_requested=tracing_requested,
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=record,
        object_type="family_member",
        after={"relation": relation},
    )
    return record


@transaction.atomic
def guardian_appoint(
    *,
    user: User,
    case: Case,
    guardian_name: str,
    organisation: str,
    appointed_on: datetime.date,
    channel: str,
) -> GuardianAppointment:
    """Appoint a guardian; the previous appointment, if any, ends the same day."""
    require(user, CaseAction.EDIT, case, _("You may not change this case."))
    if not guardian_name.strip():
        raise FieldValidationError({"guardian_name": [_("Give the guardian's name.")]})
    refuse_future_date(appointed_on, "appointed_on")
    case.guardians.filter(ended_on__isnull=True).update(ended_on=appointed_on)
    record = GuardianAppointment.objects.create(
        case=case,
        guardian_name=guardian_name.strip(),
        organisation=organisation.strip(),
        appointed_on=appointed_on,
        recorded_by=user,
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=record,
        object_type="guardian_appointment",
        kind="guardian",
        after={"appointed_on": appointed_on},
    )
    return record


@transaction.atomic
def justice_contact_record(
    *,
    user: User,
    case: Case,
    kind: str,
    occurred_on: datetime.date,
    authority: str = "",
    linked_to_exploitation: bool = True,
    details: str = "",
    channel: str,
) -> JusticeContact:
    """The child is in contact with the justice system: every holder sees a non-punishment
    notice until the contact is resolved. Recorded by the owning agency, like every write."""
    require(user, CaseAction.EDIT, case, _("You may not record this on the case."))
    if kind not in JusticeContactKind.values:
        raise FieldValidationError({"kind": [_("Choose the kind of contact.")]})
    refuse_future_date(occurred_on, "occurred_on")
    record = JusticeContact.objects.create(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        authority=authority.strip()[:200],
        linked_to_exploitation=linked_to_exploitation,
        details=details.strip(),
        recorded_by=user,
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=record,
        object_type="justice_contact",
        after={"kind": kind},
    )
    return record


@transaction.atomic
def justice_contact_resolve(
    *, user: User, contact: JusticeContact, resolved_on: datetime.date, channel: str
) -> JusticeContact:
    case = contact.case
    require(user, CaseAction.EDIT, case, _("You may not change this case."))
    refuse_future_date(resolved_on, "resolved_on")
    if resolved_on < contact.occurred_on:
        raise FieldValidationError(
            {"resolved_on": [_("It cannot be resolved before it happened.")]}
        )
    contact.resolved_on = resolved_on
    contact.save(update_fields=["resolved_on"])
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=contact,
        object_type="justice_contact",
        action=Action.UPDATE,
        kind="justice_contact_resolved",
        after={"resolved": True},
    )
    return contact


@transaction.atomic
def transition_plan_record(
    *,
    user: User,
    case: Case,
    agreed_on: datetime.date,
    content: str,
    aftercare_wanted: bool,
    channel: str,
) -> TransitionPlan:
    require(user, CaseAction.EDIT, case, _("You may not change this case."))
    if not content.strip():
        raise FieldValidationError({"content": [_("Write the transition plan.")]})
    refuse_future_date(agreed_on, "agreed_on")
    record = TransitionPlan.objects.create(
        case=case,
        agreed_on=agreed_on,
        content=content.strip(),
        aftercare_wanted=aftercare_wanted,
        recorded_by=user,
    )
    item_logged(
        user=user,
        channel=channel,
        case=case,
        item=record,
        object_type="transition_plan",
        after={"agreed_on": agreed_on},
    )
    return record
