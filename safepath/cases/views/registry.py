"""Every change a case page can make: which form, which service, and which page shows it.

One table instead of one view per form: the views in ``actions.py`` bind the form, call the
service, and on a refusal show the page again with the service's words next to the field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases import forms as case_forms
from safepath.cases import services
from safepath.cases.lifecycle import allowed_targets, move_options
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.exceptions import ConflictError

WEB = Channel.WEB

Maker = Callable[[Case, User, Any, Any, str], forms.Form]
Runner = Callable[[User, Case, Any, Any], object]


@dataclass(frozen=True)
class ActionSpec:
    page: str  # which case page shows the form: detail, procedure, plan, care
    anchor: str  # the section of that page
    needs: CaseAction  # who sees the form (the service checks again)
    make: Maker
    run: Runner
    done: Any  # the message after success
    target: Callable[[Case, uuid.UUID], Model] | None = None  # an item of the case it acts on


def _plain(form_class: type[forms.Form]) -> Maker:
    def make(case: Case, user: User, data: Any, files: Any, prefix: str) -> forms.Form:
        return form_class(data, files, prefix=prefix)

    return make


def _versioned(form_class: type[forms.Form]) -> Maker:
    def make(case: Case, user: User, data: Any, files: Any, prefix: str) -> forms.Form:
        return form_class(data, initial={"version": case.version}, prefix=prefix)

    return make


def _transition_form(case: Case, user: User, data: Any, files: Any, prefix: str) -> forms.Form:
    ready = frozenset(
        target
        for target, missing in move_options(services.case_facts(case=case, user=user))
        if not missing
    )
    return case_forms.TransitionForm(
        data,
        initial={"version": case.version},
        targets=allowed_targets(case.status),
        offered=ready,
        prefix=prefix,
    )


def _task_form(case: Case, user: User, data: Any, files: Any, prefix: str) -> forms.Form:
    owners = case_policy.users_with_permission_for_instance(CaseAction.EDIT, case).order_by(
        "username"
    )
    return case_forms.TaskForm(data, owners=owners, initial={"owner": user.pk}, prefix=prefix)


def _consent_form(case: Case, user: User, data: Any, files: Any, prefix: str) -> forms.Form:
    return case_forms.ConsentForm(data, case_owner_id=case.owner_agency_id, prefix=prefix)


def _withdraw_consent(user: User, case: Case, form: Any, consent: Any) -> object:
    if consent.withdrawn_at is not None:
        raise ConflictError(str(_("This consent is already withdrawn.")))
    return services.consent_withdraw(user=user, consent=consent, channel=WEB)


def _item(related: str) -> Callable[[Case, uuid.UUID], Model]:
    """The item ``target_id`` among the case's ``related`` rows; any other id is 'not found'."""

    def find(case: Case, target_id: uuid.UUID) -> Model:
        try:
            item: Model = getattr(case, related).get(pk=target_id)
        except ObjectDoesNotExist:
            raise Http404 from None
        return item

    return find


def _empty(case: Case, user: User, data: Any, files: Any, prefix: str) -> forms.Form:
    return forms.Form(data, prefix=prefix)


def _transition(user: User, case: Case, form: Any, target: Any) -> object:
    data = form.cleaned_data
    return services.case_transition(
        user=user,
        case=case,
        expected_version=data["version"],
        target=data["target"],
        closure_reason=data["closure_reason"],
        channel=WEB,
    )


def _views(user: User, case: Case, form: Any, target: Any) -> object:
    return services.child_views_record(
        user=user,
        case=case,
        decision=form.cleaned_data["decision"],
        views=form.views_input(),
        channel=WEB,
    )


def _assessment(user: User, case: Case, form: Any, target: Any) -> object:
    return services.assessment_record(user=user, case=case, channel=WEB, **form.cleaned_data)


def _determination(user: User, case: Case, form: Any, target: Any) -> object:
    data = form.cleaned_data
    return services.determination_record(
        user=user,
        case=case,
        decided_on=data["decided_on"],
        panel=form.panel(),
        decision=data["decision"],
        reasons=data["reasons"],
        dissent=data["dissent"],
        risk_assessment_done=data["risk_assessment_done"],
        non_refoulement_checked=data["non_refoulement_checked"],
        channel=WEB,
    )


def _solution(user: User, case: Case, form: Any, target: Any) -> object:
    return services.solution_choose(
        user=user,
        case=case,
        expected_version=form.cleaned_data["version"],
        solution=form.cleaned_data["solution"],
        views=form.views_input(),
        channel=WEB,
    )


def _placement(user: User, case: Case, form: Any, target: Any) -> object:
    return services.placement_change(
        user=user,
        case=case,
        expected_version=form.cleaned_data["version"],
        placement=form.cleaned_data["placement"],
        location=form.cleaned_data["location"],
        views=form.views_input(),
        channel=WEB,
    )


def _edit_form(case: Case, user: User, data: Any, files: Any, prefix: str) -> forms.Form:
    return case_forms.CaseEditForm(
        data, initial=case_forms.CaseEditForm.initial_for(case), prefix=prefix
    )


def _edit(user: User, case: Case, form: Any, target: Any) -> object:
    return services.case_update(
        user=user,
        case=case,
        expected_version=form.cleaned_data["version"],
        changes=form.changes(),
        channel=WEB,
    )


def _task(user: User, case: Case, form: Any, target: Any) -> object:
    data = form.cleaned_data
    return services.task_create(
        user=user,
        case=case,
        title=data["title"],
        due_on=data["due_on"],
        owner=data["owner"],
        plan=case.plans.filter(status="approved").first(),
        channel=WEB,
    )


def _document(user: User, case: Case, form: Any, target: Any) -> object:
    upload = form.cleaned_data["file"]
    return services.document_upload(
        user=user,
        case=case,
        title=form.cleaned_data["title"],
        filename=upload.name,
        content=upload.read(),
        channel=WEB,
    )


def _with_data(service: Callable[..., object]) -> Runner:
    """A service whose keyword arguments are exactly the form's fields."""

    def run(user: User, case: Case, form: Any, target: Any) -> object:
        return service(user=user, case=case, channel=WEB, **form.cleaned_data)

    return run


F = case_forms
EDIT, APPROVE, SHARE = CaseAction.EDIT, CaseAction.APPROVE, CaseAction.SHARE

ACTIONS: dict[str, ActionSpec] = {
    "edit": ActionSpec("detail", "record", EDIT, _edit_form, _edit, _("The record is saved.")),
    "move": ActionSpec(
        "detail", "stage", EDIT, _transition_form, _transition, _("The case has moved on.")
    ),
    "views": ActionSpec(
        "detail",
        "views",
        EDIT,
        _plain(F.ChildViewsForm),
        _views,
        _("The child's views are recorded."),
    ),
    "consent": ActionSpec(
        "detail",
        "consent",
        SHARE,
        _consent_form,
        _with_data(services.consent_record),
        _("The consent is recorded. It can now be chosen when referring or sharing the case."),
    ),
    "withdraw-consent": ActionSpec(
        "detail",
        "consent",
        SHARE,
        _empty,
        _withdraw_consent,
        _("The consent is withdrawn; every share that rested on it has ended."),
        target=_item("consents"),
    ),
    "end-assignment": ActionSpec(
        "detail",
        "assignments",
        CaseAction.ASSIGN,
        _empty,
        lambda user, case, form, item: services.case_assignment_end(
            user=user, assignment=item, channel=WEB
        ),
        _("The assignment has ended: that person no longer reaches this case through it."),
        target=_item("assignments"),
    ),
    "assessment": ActionSpec(
        "procedure",
        "assessments",
        EDIT,
        _plain(F.AssessmentForm),
        _assessment,
        _("The assessment is recorded."),
    ),
    "determination": ActionSpec(
        "procedure",
        "determinations",
        EDIT,
        _plain(F.DeterminationForm),
        _determination,
        _("The determination is recorded; it counts once a supervisor approves it."),
    ),
    "approve-determination": ActionSpec(
        "procedure",
        "determinations",
        APPROVE,
        _empty,
        lambda user, case, form, item: services.determination_approve(
            user=user, determination=item, channel=WEB
        ),
        _("The determination is approved."),
        target=_item("determinations"),
    ),
    "solution": ActionSpec(
        "procedure",
        "solution",
        EDIT,
        _versioned(F.SolutionForm),
        _solution,
        _("The durable solution is chosen."),
    ),
    "placement": ActionSpec(
        "procedure",
        "placement",
        EDIT,
        _versioned(F.PlacementForm),
        _placement,
        _("The placement is changed."),
    ),
    "plan": ActionSpec(
        "plan",
        "plans",
        EDIT,
        _plain(F.PlanForm),
        lambda user, case, form, item: services.plan_create(
            user=user, case=case, goals=form.goal_list(), channel=WEB
        ),
        _("The draft plan is saved."),
    ),
    "submit-plan": ActionSpec(
        "plan",
        "plans",
        EDIT,
        _empty,
        lambda user, case, form, item: services.plan_submit(user=user, plan=item, channel=WEB),
        _("The plan is waiting for a supervisor's approval."),
        target=_item("plans"),
    ),
    "approve-plan": ActionSpec(
        "plan",
        "plans",
        APPROVE,
        _empty,
        lambda user, case, form, item: services.plan_approve(user=user, plan=item, channel=WEB),
        _("The plan is approved."),
        target=_item("plans"),
    ),
    "task": ActionSpec("plan", "tasks", EDIT, _task_form, _task, _("The task is added.")),
    "complete-task": ActionSpec(
        "plan",
        "tasks",
        EDIT,
        _empty,
        lambda user, case, form, item: services.task_complete(user=user, task=item, channel=WEB),
        _("The task is done."),
        target=_item("tasks"),
    ),
    "review": ActionSpec(
        "plan",
        "reviews",
        EDIT,
        _plain(F.ReviewForm),
        _with_data(services.review_record),
        _("The review is recorded."),
    ),
    "note": ActionSpec(
        "plan",
        "notes",
        EDIT,
        _plain(F.NoteForm),
        _with_data(services.note_add),
        _("The note is saved."),
    ),
    "document": ActionSpec(
        "plan",
        "documents",
        EDIT,
        _plain(F.DocumentForm),
        _document,
        _("The document is stored, encrypted."),
    ),
    "guardian": ActionSpec(
        "care",
        "guardians",
        EDIT,
        _plain(F.GuardianForm),
        _with_data(services.guardian_appoint),
        _("The guardian is appointed."),
    ),
    "justice": ActionSpec(
        "care",
        "justice",
        EDIT,
        _plain(F.JusticeContactForm),
        _with_data(services.justice_contact_record),
        _("The contact with the justice system is recorded."),
    ),
    "resolve-justice": ActionSpec(
        "care",
        "justice",
        EDIT,
        _plain(F.JusticeResolveForm),
        lambda user, case, form, item: services.justice_contact_resolve(
            user=user, contact=item, resolved_on=form.cleaned_data["resolved_on"], channel=WEB
        ),
        _("The contact with the justice system is resolved."),
        target=_item("justice_contacts"),
    ),
    "transition-plan": ActionSpec(
        "care",
        "transition",
        EDIT,
        _plain(F.TransitionPlanForm),
        _with_data(services.transition_plan_record),
        _("The transition plan is recorded."),
    ),
    "age": ActionSpec(
        "care",
        "age",
        EDIT,
        _plain(F.AgeAssessmentForm),
        _with_data(services.age_assessment_record),
        _("The age assessment is recorded."),
    ),
    "family": ActionSpec(
        "care",
        "family",
        EDIT,
        _plain(F.FamilyMemberForm),
        _with_data(services.family_member_add),
        _("The family member is added."),
    ),
}
