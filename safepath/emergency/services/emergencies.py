"""Declaring and ending an emergency, and finding the emergency that covers a registration."""

from __future__ import annotations

import datetime

import pycountry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import ConflictError, FieldValidationError, NotFoundError
from safepath.emergency import notices
from safepath.emergency.models import Emergency, Hazard, Registration
from safepath.emergency.policies import EmergencyAction, emergency_policy


def area_key(name: str) -> str:
    """Region names are compared without case or surrounding spaces."""
    return " ".join(name.split()).casefold()


def emergency_covering(*, country: str, admin1: str, day: datetime.date) -> Emergency | None:
    """The emergency declared over this place on this day (the most recent, if several)."""
    candidates = Emergency.objects.filter(country=country.upper(), starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    key = area_key(admin1)
    for emergency in candidates.order_by("-starts_on", "-declared_at"):
        areas = [area_key(a) for a in emergency.admin_areas]
        if not areas or key in areas:
            return emergency
    return None


def _check(
    *,
    name: str,
    hazard: str,
    country: str,
    admin_areas: list[str],
    starts_on: datetime.date,
    ends_on: datetime.date | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the emergency a name (the place and the hazard).")]
    if hazard not in Hazard.values:
        errors["hazard"] = [_("Choose a hazard from the list.")]
    if pycountry.countries.get(alpha_2=country.upper()) is None:
        errors["country"] = [_("Give a two-letter ISO country code.")]
    if any(not area.strip() for area in admin_areas):
        errors["admin_areas"] = [_("A region name cannot be empty.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The emergency cannot end before it starts.")]
    if starts_on > timezone.localdate() + datetime.timedelta(days=30):
        errors["starts_on"] = [_("Declare an emergency at most 30 days ahead.")]
    if errors:
        raise FieldValidationError(errors)


@transaction.atomic
def emergency_declare(
    *,
    user: User,
    name: str,
    hazard: str,
    country: str,
    admin_areas: list[str],
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    channel: str,
) -> Emergency:
    """A coordinator declares an emergency; registrations already made in its area and dates
    are tagged with it, and from now on its tighter deadlines apply to them."""
    if not emergency_policy.user_has_permission(user, EmergencyAction.DECLARE):
        raise NotFoundError(_("No such page."))
    areas = sorted({" ".join(a.split()) for a in admin_areas if a.strip()}, key=area_key)
    _check(
        name=name,
        hazard=hazard,
        country=country,
        admin_areas=list(admin_areas),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    emergency = Emergency.objects.create(
        name=name.strip(),
        hazard=hazard,
        country=country.upper(),
        admin_areas=areas,
        starts_on=starts_on,
        ends_on=ends_on,
        declared_by=user,
    )
    tagged = _tag_existing(emergency)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="emergency",
        object_id=emergency.id,
        details={"hazard": hazard, "country": emergency.country, "tagged": tagged},
    )
    notices.emergency_declared(emergency)
    return emergency


def _tag_existing(emergency: Emergency) -> int:
    untagged = Registration.objects.filter(
        emergency__isnull=True,
        area_country=emergency.country,
        case__identified_on__gte=emergency.starts_on,
    )
    if emergency.ends_on is not None:
        untagged = untagged.filter(case__identified_on__lte=emergency.ends_on)
    keys = {area_key(a) for a in emergency.admin_areas}
    ids = [
        pk
        for pk, area in untagged.values_list("pk", "area_admin1")
        if not keys or area_key(area) in keys
    ]
    return Registration.objects.filter(pk__in=ids).update(emergency=emergency)


@transaction.atomic
def emergency_end(
    *, user: User, emergency: Emergency, ends_on: datetime.date, expected_version: int, channel: str
) -> Emergency:
    """End an emergency on a date: nothing is deleted, the registrations keep their tag."""
    if not emergency_policy.user_has_permission(user, EmergencyAction.DECLARE):
        raise NotFoundError(_("No such emergency."))
    locked = Emergency.objects.select_for_update().get(pk=emergency.pk)
    if locked.version != expected_version:
        raise ConflictError(
            _("Someone changed this emergency since you opened it; reload."),
            extra={"current_version": locked.version},
        )
    if ends_on < locked.starts_on:
        raise FieldValidationError({"ends_on": [_("The emergency cannot end before it starts.")]})
    locked.ends_on, locked.version = ends_on, locked.version + 1
    locked.save(update_fields=["ends_on", "version"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="emergency",
        object_id=locked.id,
        details={"ends_on": ends_on.isoformat()},
    )
    return locked
