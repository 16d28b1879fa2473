"""Every change to a child's case: one function each, atomic, permission-checked, audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import REGISTERS_CASES, Role
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_deferred, audit_record, audit_record_many
from safepath.cases import name_keys, notices
from safepath.cases.models import (
    Case,
    CaseAssignment,
    CaseShare,
    Child,
    Consent,
    consent_in_force,
    unused_references,
)
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.services.checks import require
from safepath.cases.services.versioning import case_version_bump, change_record
from safepath.cases.vocabulary import INITIAL_STATUSES, CaseStatus, DataCategory
from safepath.core import crypto
from safepath.core.bulk import insert_rows
from safepath.core.exceptions import (
    ConflictError,
    FieldValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from safepath.core.text import strip_bidi_controls

# a change to any of these remakes the child's name search keys (cases/name_keys.py)
NAME_FIELDS = frozenset({"given_name", "family_name", "other_names"})
CHILD_FIELDS = (
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "date_of_birth_estimated",
    "nationality",
    "stateless",
    "gender_identity",
    "languages",
    "disability",
    "disability_details",
    "care_arrangement",
    "address",
    "contact",
    "document_number",
)
CASE_FIELDS = (
    "identified_on",
    "forms_of_exploitation",
    "country_of_exploitation",
    "country_of_origin",
    "countries_of_transit",
    "means_of_control",
    "recruiter_relation",
    "summary",
)
# The status changes only through lifecycle transitions; the placement and the durable solution
# only through their decisions, which record the child's views (services/decisions.py).


@dataclass
class ChildInput:
    given_name: str
    family_name: str = ""
    other_names: list[str] = field(default_factory=list)
    sex: str = "unknown"
    date_of_birth: datetime.date | None = None
    date_of_birth_estimated: bool = False
    nationality: str = ""
    stateless: bool = False
    gender_identity: str = ""
    languages: list[str] = field(default_factory=list)
    disability: str = "unknown"
    disability_details: str = ""
    care_arrangement: str = "unknown"
    address: str = ""
    contact: str = ""
    document_number: str = ""


@dataclass
class CaseInput:
    identified_on: datetime.date
    forms_of_exploitation: list[str] = field(default_factory=list)
    country_of_exploitation: str = ""
    country_of_origin: str = ""
    countries_of_transit: list[str] = field(default_factory=list)
    means_of_control: list[str] = field(default_factory=list)
    recruiter_relation: str = "unknown"
    summary: str = ""
    status: str = CaseStatus.REGISTERED


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    """The one place where names are trimmed (and lose bidirectional controls, which could make
    them display as something else: ``core/text.py``) and lists of codes sorted, for create and
    update."""
    clean = dict(values)
    for name in ("given_name", "family_name"):
        if isinstance(clean.get(name), str):
            clean[name] = strip_bidi_controls(clean[name]).strip()
    if "other_names" in clean:
        names = [strip_bidi_controls(n).strip() for n in clean["other_names"]]
        clean["other_names"] = [n for n in names if n]
    for name in ("forms_of_exploitation", "means_of_control", "languages"):
        if name in clean:
            clean[name] = sorted(set(clean[name]))
    if "countries_of_transit" in clean:  # the route's order matters: keep it, drop repeats
        clean["countries_of_transit"] = list(dict.fromkeys(clean["countries_of_transit"]))
    return clean


def age_on(date_of_birth: datetime.date | None, day: datetime.date) -> int | None:
    if date_of_birth is None:
        return None
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def _index_child(child: Child) -> None:
    child.given_name_index = crypto.blind_index(child.given_name, purpose="child.given_name")
    child.family_name_index = (
        crypto.blind_index(child.family_name, purpose="child.family_name")
        if child.family_name
        else ""
    )


# Past this age at identification a record is almost surely a mistake: the child-protection
# system serves children and young adults in aftercare, not older adults.
MAXIMUM_AGE_AT_IDENTIFICATION = 25


def check_case_dates(*, date_of_birth: datetime.date | None, identified_on: datetime.date) -> None:
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if identified_on > today:
        errors["identified_on"] = [_("The date identified cannot be in the future.")]
    if date_of_birth is not None:
        if date_of_birth > today:
            errors["date_of_birth"] = [_("The date of birth cannot be in the future.")]
        elif date_of_birth > identified_on:
            errors["date_of_birth"] = [_("The child was born after the date identified.")]
        elif (age_on(date_of_birth, identified_on) or 0) > MAXIMUM_AGE_AT_IDENTIFICATION:
            errors["date_of_birth"] = [
                _("The person would be over %(age)s when identified: check the date of birth.")
                % {"age": MAXIMUM_AGE_AT_IDENTIFICATION}
            ]
    if errors:
        raise FieldValidationError(errors)


def build_child(data: ChildInput, *, now: datetime.datetime, identified_on: datetime.date) -> Child:
    """An unsaved child, normalised, encrypted on save, with its blind indexes computed."""
    fields = _normalised(asdict(data))
    child = Child(
        **fields,
        age_at_identification=age_on(data.date_of_birth, identified_on),
        created_at=now,
        updated_at=now,
    )
    _index_child(child)
    return child


def _case_new(
    *, user: User, child: ChildInput, case: CaseInput, now: datetime.datetime
) -> tuple[Child, Case, CaseAssignment]:
    """An unsaved child, its case (no reference yet) and the registering user's assignment."""
    assert user.agency_id is not None  # noqa: S101 - _require_registers checked it
    check_case_dates(date_of_birth=child.date_of_birth, identified_on=case.identified_on)
    if case.status not in INITIAL_STATUSES:
        raise FieldValidationError(
            {"status": [_("A new case starts as identified or registered.")]}
        )
    new_child = build_child(child, now=now, identified_on=case.identified_on)
    new_case = Case(
        **_normalised(asdict(case)),
        reference="",
        child=new_child,
        owner_agency_id=user.agency_id,
        created_by=user,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    assignment = CaseAssignment(case=new_case, user=user, assigned_by=user, assigned_at=now)
    return new_child, new_case, assignment


def _require_registers(user: User) -> None:
    if not case_policy.user_has_permission(user, CaseAction.CREATE) or user.agency_id is None:
        raise PermissionDeniedError(_("Your role does not register cases."))


@transaction.atomic
def case_register(*, user: User, child: ChildInput, case: CaseInput, channel: str) -> Case:
    """Register a newly identified child: child and case in the user's agency, assigned to them."""
    _require_registers(user)
    new_child, new_case, assignment = _case_new(
        user=user, child=child, case=case, now=timezone.now()
    )
    new_case.reference = unused_references(1)[0]
    new_child.save(force_insert=True)
    name_keys.write([new_child], replace=False)
    new_case.save(force_insert=True)
    assignment.save(force_insert=True)
    actor = Actor.of(user, channel)
    audit_record(actor=actor, action=Action.CREATE, object_type="child", object_id=new_child.id)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="case",
        object_id=new_case.id,
        details={"assigned_to": str(user.id)},
    )
    notices.cases_created([new_case])
    return new_case


def cases_register_many(
    *,
    user: User,
    entries: Sequence[tuple[ChildInput, CaseInput]],
    channel: str,
    progress: Callable[[int], None] | None = None,
    then: Callable[[list[Case]], None] | None = None,
) -> list[Case]:
    """Register many newly identified children at once (an import), all or none.

    Every entry is checked and built first, outside any transaction (``progress`` is told the
    count after each); a problem raises a field error and nothing is stored. Then one short
    transaction inserts them all in bulk and chains their audit events at its end, so the
    database's write lock and the audit chain's lock are held for the inserts only, not for
    the per-row work, and other users' reads and sign-ins go on meanwhile. ``then``
    runs inside that transaction after the inserts (an importer's own records beside each
    case); what it raises rolls everything back. Call this outside a transaction (inside one,
    the caller's transaction would hold the locks during the per-row work anyway).
    """
    _require_registers(user)
    now = timezone.now()
    built: list[tuple[Child, Case, CaseAssignment]] = []
    for child, case in entries:
        built.append(_case_new(user=user, child=child, case=case, now=now))
        if progress is not None:
            progress(len(built))
    if not built:
        return []
    with transaction.atomic(), audit_deferred():
        for (_child, new_case, _assignment), reference in zip(
            built, unused_references(len(built)), strict=True
        ):
            new_case.reference = reference
        insert_rows(Child, [child for child, _case, _assignment in built])
        name_keys.write([child for child, _case, _assignment in built], replace=False)
        insert_rows(Case, [case for _child, case, _assignment in built])
        insert_rows(CaseAssignment, [assignment for _child, _case, assignment in built])
        actor = Actor.of(user, channel)
        audit_record_many(
            actor=actor,
            action=Action.CREATE,
            object_type="child",
            object_ids=[child.id for child, _case, _assignment in built],
        )
        audit_record_many(
            actor=actor,
            action=Action.CREATE,
            object_type="case",
            object_ids=[case.id for _child, case, _assignment in built],
            details={"assigned_to": str(user.id)},
        )
        cases = [case for _child, case, _assignment in built]
        notices.cases_created(cases)
        if then is not None:
            then(cases)
    return cases


@transaction.atomic
def case_update(
    *, user: User, case: Case, expected_version: int, changes: dict[str, Any], channel: str
) -> Case:
    """Change fields of a case and its child, refusing if someone else saved in between."""
    require(user, CaseAction.EDIT, case, _("You may read this case but not change it."))
    unknown = set(changes) - set(CHILD_FIELDS) - set(CASE_FIELDS)
    if unknown:
        raise FieldValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    fresh = case_version_bump(case=case, expected_version=expected_version)
    child = fresh.child
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in _normalised(changes).items():
        target = child if name in CHILD_FIELDS else fresh
        if getattr(target, name) != value:
            before[name], after[name] = getattr(target, name), value
        setattr(target, name, value)
    check_case_dates(date_of_birth=child.date_of_birth, identified_on=fresh.identified_on)
    child.age_at_identification = age_on(child.date_of_birth, fresh.identified_on)
    _index_child(child)
    child.updated_at = fresh.updated_at
    child.save()
    if NAME_FIELDS & set(before):
        name_keys.write([child])
    fresh.save()
    change_record(case=fresh, user=user, kind="update", before=before, after=after)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="case",
        object_id=fresh.id,
        details={"fields": sorted(changes)},
    )
    return fresh


def _lock(case: Case) -> None:
    """Serialise changes to one case's assignments and shares: the check-then-create below
    cannot race (SQLite transactions already take the write lock when they begin)."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()


@transaction.atomic
def case_assign(*, user: User, case: Case, assignee: User, channel: str) -> CaseAssignment:
    require(
        user,
        CaseAction.ASSIGN,
        case,
        _("Only a supervisor of an agency holding the case assigns it."),
    )
    if assignee.agency_id != user.agency_id or not assignee.reads_identifying_data:
        raise FieldValidationError(
            {"user": [_("Assign a caseworker, supervisor or officer of your own agency.")]}
        )
    _lock(case)
    if case.assignments.filter(user=assignee, ended_at__isnull=True).exists():
        raise FieldValidationError({"user": [_("This person is already assigned to the case.")]})
    assignment = CaseAssignment.objects.create(case=case, user=assignee, assigned_by=user)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="case",
        object_id=case.id,
        details={"assigned_to": str(assignee.id)},
    )
    return assignment


@transaction.atomic
def case_assignment_end(*, user: User, assignment: CaseAssignment, channel: str) -> CaseAssignment:
    """End an assignment: from now on the person no longer reaches the case through it (the
    policy reads only open assignments). A supervisor of an agency holding the case ends the
    assignments of their own agency's staff; the assignment is kept, with its end, for the
    record."""
    case = assignment.case
    require(
        user,
        CaseAction.ASSIGN,
        case,
        _("Only a supervisor of an agency holding the case ends an assignment to it."),
    )
    _lock(case)
    fresh = CaseAssignment.objects.select_related("user").get(pk=assignment.pk)
    if fresh.user.agency_id != user.agency_id:
        raise PermissionDeniedError(
            _("You may end the assignments of your own agency's staff only.")
        )
    if fresh.ended_at is not None:
        raise ConflictError(_("This assignment has already ended."))
    fresh.ended_at = timezone.now()
    fresh.save(update_fields=["ended_at"])
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="case",
        object_id=case.id,
        details={"assignment_ended": str(fresh.user_id)},
    )
    return fresh


@transaction.atomic
def consent_record(
    *,
    user: User,
    case: Case,
    given_by: str,
    purpose: str,
    data_scope: str,
    recipient_agency: Agency,
    given_on: datetime.date,
    expires_on: datetime.date | None,
    channel: str,
    data_categories: Sequence[str] = (),
    child_assent: bool | None = None,
) -> Consent:
    """Record consent (and the child's assent) for one purpose, recipient and set of data.

    No categories named means every category, written out, so the record says what it covers.
    """
    require(user, CaseAction.SHARE, case, _("You may not record consent to share this case."))
    if expires_on is not None and expires_on < given_on:
        raise FieldValidationError(
            {"expires_on": [_("The consent cannot expire before it was given.")]}
        )
    if given_on > timezone.localdate():
        raise FieldValidationError({"given_on": [_("Consent cannot be given in the future.")]})
    unknown = sorted(set(data_categories) - set(DataCategory.values))
    if unknown:
        raise FieldValidationError(
            {
                "data_categories": [
                    _("Unknown data category %(code)s; allowed: %(allowed)s.")
                    % {"code": unknown[0], "allowed": ", ".join(DataCategory.values)}
                ]
            }
        )
    consent = Consent.objects.create(
        data_categories=sorted(set(data_categories) or set(DataCategory.values)),
        child_assent=child_assent,
        case=case,
        given_by=given_by,
        purpose=purpose,
        data_scope=data_scope,
        recipient_agency=recipient_agency,
        given_on=given_on,
        expires_on=expires_on,
        recorded_by=user,
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="consent",
        object_id=consent.id,
        details={"case": str(case.id), "purpose": purpose},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, consent: Consent, channel: str) -> Consent:
    """Withdrawing consent ends every share that rested on it, at once."""
    require(user, CaseAction.SHARE, consent.case, _("You may not change consent on this case."))
    now = timezone.now()
    consent.withdrawn_at = now
    consent.save(update_fields=["withdrawn_at"])
    ended = list(consent.shares.filter(revoked_at__isnull=True).values_list("id", flat=True))
    CaseShare.objects.filter(id__in=ended).update(revoked_at=now)
    actor = Actor.of(user, channel)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="consent",
        object_id=consent.id,
        details={"withdrawn": True},
    )
    audit_record_many(
        actor=actor,
        action=Action.UPDATE,
        object_type="case_share",
        object_ids=ended,
        details={"revoked": True},
    )
    notices.consent_withdrawn(consent, len(ended))
    return consent


@transaction.atomic
def case_share(
    *, user: User, case: Case, agency: Agency, consent: Consent, channel: str
) -> CaseShare:
    """Share a case with another agency: only under an active consent naming that agency."""
    require(user, CaseAction.SHARE, case, _("You may not share this case."))
    if consent.case_id != case.id:
        raise NotFoundError(_("No such consent on this case."))
    in_force = Consent.objects.filter(consent_in_force(), pk=consent.pk).exists()
    if consent.recipient_agency_id != agency.id or not in_force:
        raise FieldValidationError(
            {"consent": [_("The consent must be active and name the agency receiving the case.")]}
        )
    if agency.id == case.owner_agency_id:
        raise FieldValidationError({"agency": [_("The case already belongs to this agency.")]})
    _lock(case)
    if CaseShare.objects.active().filter(case=case, agency=agency).exists():
        raise FieldValidationError({"agency": [_("The case is already shared with this agency.")]})
    # a share whose consent expired is still open in the table: close it before the new one
    CaseShare.objects.filter(case=case, agency=agency, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    share = CaseShare.objects.create(case=case, agency=agency, consent=consent, shared_by=user)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.SHARE,
        object_type="case",
        object_id=case.id,
        details={"agency": str(agency.id), "consent": str(consent.id)},
    )
    notices.case_shared(case, agency, share.id)
    return share


@transaction.atomic
def case_take_on(*, user: User, case: Case, reason: str, channel: str) -> CaseAssignment | None:
    """A worker of an agency the case is shared with takes it on (after accepting a referral):
    assigned to it, so the case policy lets them open it. Supervisors see held cases already.

    Refused unless the case is shared with the worker's agency under a consent in force."""
    if user.role not in REGISTERS_CASES or user.agency_id is None:
        raise PermissionDeniedError(_("Your role does not work cases."))
    if not CaseShare.objects.active().filter(case=case, agency=user.agency_id).exists():
        raise PermissionDeniedError(_("The case is not shared with your agency."))
    if user.role == Role.SUPERVISOR:
        return None
    _lock(case)
    if case.assignments.filter(user=user, ended_at__isnull=True).exists():
        return None
    assignment = CaseAssignment.objects.create(case=case, user=user, assigned_by=user)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="case",
        object_id=case.id,
        details={"assigned_to": str(user.id), "reason": reason[:64]},
    )
    return assignment
