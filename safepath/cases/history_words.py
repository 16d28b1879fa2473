"""The case history in words: a title for each kind of change, a label for each field, and each
stored value as the reader would say it (choice labels, country and language names, the title of
the document or task an id points to), in the reader's language.

Only how a history line reads is decided here; which lines and values a reader may see is the
selector's business (``selectors.case_history``), and this module is given only what passed it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safepath.cases.models import Case, Child
from safepath.cases.vocabulary import (
    AgeMethod,
    AssessmentKind,
    CareArrangement,
    CaseStatus,
    ClosureReason,
    DecisionKind,
    Disability,
    DurableSolution,
    Exploitation,
    JusticeContactKind,
    MeansOfControl,
    Placement,
    RecruiterRelation,
    Sex,
)
from safepath.core.countries import country_name
from safepath.core.dates import day
from safepath.core.languages import language_name

KIND_TITLES: dict[str, Any] = {
    "update": _("The record was changed"),
    "transition": _("The case moved to another stage"),
    "child_views": _("The child's views were recorded"),
    "assessment": _("A best-interests assessment was recorded"),
    "determination": _("A best-interests determination was recorded"),
    "determination_approved": _("A best-interests determination was approved"),
    DecisionKind.DURABLE_SOLUTION: _("The durable solution was chosen"),
    DecisionKind.PLACEMENT: _("The placement was changed"),
    "plan": _("A case plan was drafted"),
    "plan_submitted": _("A case plan was submitted for approval"),
    "plan_approved": _("A case plan was approved"),
    "task": _("A task was added"),
    "task_done": _("A task was done"),
    "review": _("A review was recorded"),
    "note": _("A note was added"),
    "document": _("A document was added"),
    "guardian": _("A guardian was appointed"),
    "justice_contact": _("A contact with the justice system was recorded"),
    "justice_contact_resolved": _("A contact with the justice system was resolved"),
    "transition_plan": _("A transition plan was recorded"),
    "age_assessment": _("An age assessment was recorded"),
    "family_member": _("A family member was added"),
    "emergency_conflict_resolved": _("Edits made offline were reconciled"),
}

FIELD_LABELS: dict[str, Any] = {
    "status": _("Stage"),
    "decision": _("Decision"),
    "method": _("Method"),
    "relation": _("Relation to the child"),
    "appointed_on": _("Date appointed"),
    "resolved": _("Resolved"),
    "approved": _("Approved"),
    "plan": _("Plan"),
    "task": _("Task"),
    "note": _("Note"),
    "document": _("Document"),
    "goals": _("Goals"),
    "due_on": _("Due"),
    "reviewed_on": _("Date of the review"),
    "agreed_on": _("Date agreed"),
    "kind": _("Kind"),
}

# Fields whose stored codes are choices, by field name (and, where a name means two things,
# by the kind of change).
_CHOICES: dict[str, type[models.TextChoices]] = {
    "status": CaseStatus,
    "closure_reason": ClosureReason,
    "sex": Sex,
    "disability": Disability,
    "care_arrangement": CareArrangement,
    "recruiter_relation": RecruiterRelation,
    "placement": Placement,
    "durable_solution": DurableSolution,
    "decision": DecisionKind,
    "method": AgeMethod,
    "forms_of_exploitation": Exploitation,
    "means_of_control": MeansOfControl,
}
_KIND_CHOICES: dict[tuple[str, str], type[models.TextChoices]] = {
    ("assessment", "kind"): AssessmentKind,
    ("justice_contact", "kind"): JusticeContactKind,
}
_COUNTRIES = {"nationality", "country_of_origin", "country_of_exploitation", "countries_of_transit"}


def change_title(kind: str) -> str:
    title = KIND_TITLES.get(kind)
    return str(title) if title is not None else kind.replace("_", " ").capitalize()


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    for model in (Child, Case):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return str(getattr(field, "verbose_name", name)).capitalize()
    return name.replace("_", " ").capitalize()


def _item_title(case: Case, name: str, value: str) -> str | None:
    """What an id in the history points to, named as the case's pages name it."""
    try:
        item_id = uuid.UUID(value)
    except ValueError:
        return None
    if name == "document":
        document = case.documents.filter(pk=item_id).first()
        return document.title if document else None
    if name == "task":
        task = case.tasks.filter(pk=item_id).first()
        return task.title if task else None
    if name == "plan":
        plan = case.plans.filter(pk=item_id).first()
        if plan is None:
            return None
        return gettext("the plan of %(day)s") % {"day": day(plan.created_at)}
    if name == "note":
        note = case.notes.filter(pk=item_id).first()
        if note is None:
            return None
        return gettext("the note of %(day)s") % {"day": day(note.created_at)}
    return None


def _one(kind: str, name: str, value: Any) -> str:
    choices = _KIND_CHOICES.get((kind, name)) or _CHOICES.get(name)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    if name in _COUNTRIES and isinstance(value, str) and value:
        return country_name(value)
    if name == "languages" and isinstance(value, str):
        return language_name(value)
    return str(value)


def value_words(case: Case, kind: str, name: str, value: Any) -> str:
    """A stored before/after value as words; "" for nothing."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if name == "goals" and isinstance(value, int):
        return gettext("%(count)s goals") % {"count": value}
    if isinstance(value, list):
        return ", ".join(_one(kind, name, item) for item in value)
    if name in ("document", "task", "plan", "note") and isinstance(value, str):
        return _item_title(case, name, value) or gettext("(no longer on the case)")
    return _one(kind, name, value)
