"""Who read or changed one child's record, when and why: the audit trail of a case, and the
child's own access report (a subject access report).

Two readers, each with a need to know:

- a supervisor sees the trail of the cases their agency owns, with the names of their own
  agency's staff, and only the role and agency of anyone else;
- the data-protection officer sees the trail of any case (it holds ids and field names, never
  the child's data: the page shows the case reference only) and makes the child's access
  report, which names agencies and roles, never staff.

Reading a trail and making a report are themselves audited, on the case, so they appear in the
trail. The trail is read from ``safepath.audit`` (``AuditEvent``): events on the case, its child
and its screenings, and events on other records that name the case in their details.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Action, AuditEvent
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case
from safepath.core.exceptions import NotFoundError
from safepath.core.policies import PolicyAction

MAX_EVENTS = 2000  # newest first; a longer trail says so and is read in full with `safepath audit`

OBJECT_LABELS = {
    "case": gettext_lazy("Case record"),
    "case_history": gettext_lazy("Change history"),
    "child": gettext_lazy("Child's identity"),
    "consent": gettext_lazy("Consent"),
    "case_share": gettext_lazy("Sharing with an agency"),
    "case_document": gettext_lazy("Document"),
    "case_plan": gettext_lazy("Care plan"),
    "case_task": gettext_lazy("Task"),
    "child_views": gettext_lazy("Child's views"),
    "justice_contact": gettext_lazy("Justice contact"),
    "best_interests_determination": gettext_lazy("Best-interests determination"),
    "screening": gettext_lazy("Screening"),
    "referral": gettext_lazy("Referral"),
    "case_audit_trail": gettext_lazy("Access trail"),
    "case_access_report": gettext_lazy("Access report"),
}


class TrailAction(PolicyAction):
    VIEW = "view", gettext_lazy("see the access trail")
    REPORT = "report", gettext_lazy("make the child's access report")


class CaseTrailPolicy:
    """Who may read a case's audit trail, and make the child's access report."""

    def user_has_permission(self, user: User, action: TrailAction) -> bool:
        if not user.is_active:
            return False
        if user.role == Role.DATA_PROTECTION_OFFICER:
            return True
        return (
            action == TrailAction.VIEW
            and user.role == Role.SUPERVISOR
            and user.agency is not None
            and user.agency.is_active
        )

    def instances_user_has_permission_for(self, user: User, action: TrailAction) -> QuerySet[Case]:
        if not self.user_has_permission(user, action):
            return Case.objects.none()
        if user.role == Role.DATA_PROTECTION_OFFICER:
            return Case.objects.all()
        return Case.objects.filter(owner_agency=user.agency_id)

    def user_has_permission_for_instance(self, user: User, action: TrailAction, case: Case) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=case.pk).exists()


case_trail_policy = CaseTrailPolicy()


@dataclass(frozen=True)
class TrailEntry:
    occurred_at: datetime
    action: str  # Action value
    action_label: str
    record: str  # what was touched, translated where known
    fields: tuple[str, ...]  # names of the fields changed, never their values
    channel: str
    purpose: str  # the reason given, if any
    agency: str
    role: str
    person: str  # a name only where the reader may see it; "" otherwise


def _visible(user: User, action: TrailAction, case_id: uuid.UUID | str) -> Case:
    try:
        return (
            case_trail_policy.instances_user_has_permission_for(user, action)
            .select_related("owner_agency")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError):
        raise NotFoundError(_("No such case.")) from None


def case_for_trail(*, user: User, reference: str) -> Case:
    """The case with this reference, if the user may read its trail (else 'not found')."""
    cases = case_trail_policy.instances_user_has_permission_for(user, TrailAction.VIEW)
    case = cases.filter(reference=reference.strip().upper()).first()
    if case is None:
        raise NotFoundError(_("No case with this reference that you may see."))
    return case


def _events(case: Case) -> list[AuditEvent]:
    ids = {str(case.id), str(case.child_id)}
    ids |= {str(pk) for pk in case.screenings.values_list("id", flat=True)}
    touching = Q(object_id__in=sorted(ids)) | Q(details__case=str(case.id))
    return list(AuditEvent.objects.filter(touching).order_by("-seq")[:MAX_EVENTS])


def _entries(events: Iterable[AuditEvent], *, names_for: str | None) -> list[TrailEntry]:
    """``names_for``: the agency id whose staff the reader may see by name; "*" for everyone;
    None for no one (the child's report)."""
    events = list(events)
    users = {
        u.id: u for u in User.objects.filter(id__in={e.actor_id for e in events if e.actor_id})
    }
    agencies = dict(
        Agency.objects.filter(id__in={e.agency_id for e in events if e.agency_id}).values_list(
            "id", "name"
        )
    )
    actions = dict(Action.choices)
    entries = []
    for event in events:
        actor = users.get(event.actor_id) if event.actor_id else None
        named = actor is not None and (
            names_for == "*" or (names_for is not None and str(event.agency_id) == names_for)
        )
        entries.append(
            TrailEntry(
                occurred_at=event.occurred_at,
                action=event.action,
                action_label=str(actions.get(event.action, event.action)),
                record=str(OBJECT_LABELS.get(event.object_type, event.object_type)),
                fields=tuple(str(f) for f in event.details.get("fields", ()) or ()),
                channel=event.channel,
                purpose=event.purpose or str(event.details.get("reason", "") or ""),
                agency=agencies.get(event.agency_id, "") if event.agency_id else "",
                role=actor.get_role_display() if actor else _("SafePath (system)"),
                person=(actor.get_full_name() or actor.username) if named and actor else "",
            )
        )
    return entries


def case_trail(
    *, user: User, case_id: uuid.UUID | str, channel: str
) -> tuple[Case, list[TrailEntry], bool]:
    """The case, its trail newest first, and whether it was cut at ``MAX_EVENTS``. Audited."""
    case = _visible(user, TrailAction.VIEW, case_id)
    events = _events(case)
    names_for = "*" if user.role == Role.DATA_PROTECTION_OFFICER else str(user.agency_id)
    entries = _entries(events, names_for=names_for)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="case_audit_trail",
        object_id=case.id,
        details={"case": str(case.id), "events": len(entries)},
    )
    return case, entries, len(events) >= MAX_EVENTS


def case_access_report(
    *, user: User, case_id: uuid.UUID | str, channel: str, export: bool = False
) -> tuple[Case, list[TrailEntry]]:
    """The child's access report: every access, oldest first, by agency and role only.

    Made by the data-protection officer on the child's (or their representative's) request;
    audited as a read, or as an export when downloaded.
    """
    case = _visible(user, TrailAction.REPORT, case_id)
    entries = list(reversed(_entries(_events(case), names_for=None)))
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.EXPORT if export else Action.READ,
        object_type="case_access_report",
        object_id=case.id,
        details={"case": str(case.id), "rows": len(entries)},
    )
    return case, entries


def access_report_csv(entries: Iterable[TrailEntry]) -> str:
    """The report as CSV: when (UTC), agency, role, what was done, to what, why."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("When (UTC)"), _("Agency"), _("Role"), _("Access"), _("Record"), _("Why")])
    for entry in entries:
        writer.writerow(
            [
                entry.occurred_at.strftime("%Y-%m-%d %H:%M"),
                _csv_safe(entry.agency),
                _csv_safe(entry.role),
                _csv_safe(entry.action_label),
                _csv_safe(entry.record),
                _csv_safe(entry.purpose),
            ]
        )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """No spreadsheet formula: a cell starting with = + - @ is read as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
