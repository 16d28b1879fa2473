"""Registering a separated child from the rapid form, and changing a registration.

The form's values live in three places: the child and the case (``cases``: names, sex, date
of birth, nationality, languages, care arrangement, date identified), the parents as family
members (so that tracing and deduplication see them), and this app's ``Registration`` (the
handbook's separation data, needs, risk, area). ``registration_values`` reads them back as
the form's values, so a device and the server compare like with like.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case, FamilyMember
from safepath.cases.services import (
    CaseInput,
    ChildInput,
    case_register,
    case_update,
    document_upload,
    family_member_add,
)
from safepath.cases.services.versioning import case_version_bump, change_record
from safepath.cases.vocabulary import CaseStatus
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.emergency import fieldform
from safepath.emergency.models import Registration, RegistrationSource
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.services.emergencies import emergency_covering

CHILD_FORM_FIELDS = ("given_name", "family_name", "other_names", "sex", "nationality", "languages")
AGE_FIELDS = ("date_of_birth", "age_estimate", "registered_on")
PARENT_FIELDS = {"mother_name": "mother", "father_name": "father"}
REGISTRATION_FIELDS = (
    "with_whom",
    "separation_place",
    "separation_date",
    "separation_cause",
    "family_last_location",
    "urgent_needs",
    "needs_details",
    "risk_level",
    "area_country",
    "area_admin1",
    "site",
    "photo_consent",
)
OBJECT_TYPE = "emergency.registration"


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_of(values: dict[str, Any]) -> tuple[datetime.date | None, bool]:
    """The child's date of birth: the one given, or one estimated from the age (flagged so)."""
    if values.get("date_of_birth"):
        return datetime.date.fromisoformat(values["date_of_birth"]), False
    age = values.get("age_estimate")
    if age is None or not values.get("registered_on"):
        return None, False
    return _years_before(datetime.date.fromisoformat(values["registered_on"]), int(age)), True


def _child_input(values: dict[str, Any]) -> ChildInput:
    born, estimated = birth_of(values)
    return ChildInput(
        given_name=values["given_name"],
        family_name=values.get("family_name") or "",
        other_names=list(values.get("other_names") or []),
        sex=values.get("sex") or "unknown",
        date_of_birth=born,
        date_of_birth_estimated=estimated,
        nationality=values.get("nationality") or "",
        languages=list(values.get("languages") or []),
        care_arrangement=values.get("care_status") or "unknown",
    )


def registration_values(registration: Registration) -> dict[str, Any]:
    """The form's values as the server holds them now (the photo apart)."""
    case = registration.case
    child = case.child
    parents = {
        member.relation: member.name
        for member in FamilyMember.objects.filter(case=case, relation__in=PARENT_FIELDS.values())
    }
    values: dict[str, Any] = {name: getattr(child, name) for name in CHILD_FORM_FIELDS}
    values["other_names"] = list(child.other_names or [])
    values["languages"] = list(child.languages or [])
    values["care_status"] = child.care_arrangement
    values["date_of_birth"] = (
        child.date_of_birth.isoformat()
        if child.date_of_birth and not child.date_of_birth_estimated
        else ""
    )
    values["age_estimate"] = registration.age_estimate
    values["registered_on"] = case.identified_on.isoformat()
    for field, relation in PARENT_FIELDS.items():
        values[field] = parents.get(relation, "")
    for field in REGISTRATION_FIELDS:
        values[field] = getattr(registration, field)
    values["urgent_needs"] = list(registration.urgent_needs or [])
    return {name: values.get(name, "") for name in fieldform.definition().data_names}


def _require(user: User, action: EmergencyAction, registration: Registration) -> None:
    if not emergency_policy.user_has_permission_for_instance(
        user, EmergencyAction.VIEW, registration
    ):
        raise NotFoundError(_("No such registration."))
    if not emergency_policy.user_has_permission_for_instance(user, action, registration):
        raise PermissionDeniedError(_("You may read this registration but not change it."))


@transaction.atomic
def registration_create(
    *,
    user: User,
    record_id: uuid.UUID,
    values: dict[str, Any],
    channel: str,
    source: str = RegistrationSource.DEVICE,
    form_version: str = "",
    device_id: str = "",
    photo: bytes | None = None,
) -> Registration:
    """Register the child and case (assigned to the user) and the rapid registration with it.

    ``values`` are the form's values, already through ``fieldform.clean_values``. The area and
    date tag the registration with the emergency declared there, if any.
    """
    if not emergency_policy.user_has_permission(user, EmergencyAction.REGISTER):
        raise PermissionDeniedError(_("Your role does not register children."))
    case = case_register(
        user=user,
        child=_child_input(values),
        case=CaseInput(
            identified_on=datetime.date.fromisoformat(values["registered_on"]),
            status=CaseStatus.REGISTERED,
        ),
        channel=channel,
    )
    return registration_attach(
        user=user,
        case=case,
        record_id=record_id,
        values=values,
        channel=channel,
        source=source,
        form_version=form_version,
        device_id=device_id,
        photo=photo,
    )


@transaction.atomic
def registration_attach(
    *,
    user: User,
    case: Case,
    record_id: uuid.UUID,
    values: dict[str, Any],
    channel: str,
    source: str,
    form_version: str = "",
    device_id: str = "",
    photo: bytes | None = None,
) -> Registration:
    """The rapid registration beside a case just registered (by the sync, or by the cases
    import for ODK/Kobo submissions): parents as family members, the emergency tag."""
    for field, relation in PARENT_FIELDS.items():
        if values.get(field):
            family_member_add(
                user=user,
                case=case,
                relation=relation,
                name=values[field],
                tracing_requested=True,
                channel=channel,
            )
    registration = Registration.objects.create(
        record_id=record_id,
        case=case,
        emergency=emergency_covering(
            country=values["area_country"], admin1=values["area_admin1"], day=case.identified_on
        ),
        source=source,
        form_version=form_version or fieldform.definition().version,
        age_estimate=values.get("age_estimate"),
        registered_by=user,
        device_id=device_id[:64],
        **{
            field: values.get(field) or fieldform.empty_value(_field(field))
            for field in REGISTRATION_FIELDS
        },
    )
    if photo is not None and fieldform.photo_allowed(values):
        document_upload(
            user=user,
            case=case,
            title=_("Photograph taken at registration, with consent"),
            filename="registration-photo",
            content=photo,
            channel=channel,
        )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type=OBJECT_TYPE,
        object_id=registration.id,
        details={
            "case": str(case.id),
            "source": source,
            "emergency": str(registration.emergency_id or ""),
        },
    )
    return registration


def _field(name: str) -> fieldform.Field:
    return fieldform.definition().field(name)


def _child_case_changes(changes: dict[str, Any], merged: dict[str, Any]) -> dict[str, Any]:
    """The changes for ``cases.case_update``: child and case fields, under their own names."""
    out = {name: changes[name] for name in CHILD_FORM_FIELDS if name in changes}
    if "care_status" in changes:
        out["care_arrangement"] = changes["care_status"]
    if any(name in changes for name in AGE_FIELDS):
        born, estimated = birth_of(merged)
        out["date_of_birth"], out["date_of_birth_estimated"] = born, estimated
    if "registered_on" in changes:
        out["identified_on"] = datetime.date.fromisoformat(changes["registered_on"])
    return out


@transaction.atomic
def registration_update(
    *,
    user: User,
    registration: Registration,
    expected_version: int,
    changes: dict[str, Any],
    channel: str,
    kind: str = "emergency_registration",
) -> Case:
    """Change form fields of a registration (checked values), at the version the author read.

    One new case version: the child and case fields through ``cases.case_update`` (its history
    entry and audit event), the rest here, with a history entry of its own at that version.
    """
    _require(user, EmergencyAction.EDIT, registration)
    before_all = registration_values(registration)
    merged = {**before_all, **changes}
    child_case = _child_case_changes(changes, merged)
    case = registration.case
    if child_case:
        case = case_update(
            user=user,
            case=case,
            expected_version=expected_version,
            changes=child_case,
            channel=channel,
        )
    else:
        case = case_version_bump(case=case, expected_version=expected_version)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for field in REGISTRATION_FIELDS:
        if field in changes and fieldform.comparable(changes[field]) != fieldform.comparable(
            before_all[field]
        ):
            before[field], after[field] = before_all[field], changes[field]
            setattr(registration, field, changes[field])
    if "age_estimate" in changes and changes["age_estimate"] != registration.age_estimate:
        before["age_estimate"], after["age_estimate"] = (
            registration.age_estimate,
            changes["age_estimate"],
        )
        registration.age_estimate = changes["age_estimate"]
    registration.save()
    for field, relation in PARENT_FIELDS.items():
        if field in changes and changes[field] != before_all[field]:
            before[field], after[field] = before_all[field], changes[field]
            _parent_set(user, case, relation, changes[field], channel)
    if before or after:
        change_record(case=case, user=user, kind=kind, before=before, after=after)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type=OBJECT_TYPE,
        object_id=registration.id,
        details={"case": str(case.id), "fields": sorted(changes), "version": case.version},
    )
    return case


def _parent_set(user: User, case: Case, relation: str, name: str, channel: str) -> None:
    member = (
        FamilyMember.objects.filter(case=case, relation=relation).order_by("recorded_at").first()
    )
    if member is None:
        if name:
            family_member_add(
                user=user,
                case=case,
                relation=relation,
                name=name,
                tracing_requested=True,
                channel=channel,
            )
        return
    if name:
        member.name = name
        member.save(update_fields=["name"])
    else:
        member.delete()


def registration_now(registration: Registration) -> Registration:
    """The registration with its case read again (after a change)."""
    return Registration.objects.select_related("case", "case__child").get(pk=registration.pk)


def today() -> datetime.date:
    return timezone.localdate()
