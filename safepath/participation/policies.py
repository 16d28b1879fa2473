"""Who may do what in the participation app. One class per protected model, one interface
(general permission, the visible set, per instance, who may), tested as a matrix.

Consultations: a facilitator runs and reads its own agency's; the national coordinator creates
its own and reads every one's results (aggregates only) and prepares summaries for publication;
the data-protection officer reads results and reviews written answers anywhere; a facilitator
reviews its own agency's written answers. Nobody sees who gave an answer: there is no such data.

Feedback: the supervisors of the agency that runs the service handle ordinary feedback; a
safeguarding complaint is seen by its handler (the agency's safeguarding lead, or the deputy)
and by whoever it was escalated to; **the worker it is about never sees it**, whatever their role.
Caseworkers and supervisors record feedback for a child. Figures about feedback (suppressed
below 11) are for everyone who may read the service directory.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.scopes import cases_in_scope, key_visible, visible_categories
from safepath.core.policies import PolicyAction
from safepath.participation.models import (
    Consultation,
    Feedback,
    FeedbackKind,
    InformationGiven,
    SafeguardingLead,
)

RUNS_CONSULTATIONS = frozenset({Role.FACILITATOR, Role.COORDINATOR})
READS_ALL_RESULTS = frozenset({Role.COORDINATOR, Role.DATA_PROTECTION_OFFICER})
RECORDS_FEEDBACK_FOR_A_CHILD = frozenset({Role.CASEWORKER, Role.SUPERVISOR})


def _active(user: User) -> bool:
    return bool(user.is_active and user.agency_id and user.agency and user.agency.is_active)


def _agency_id(user: User) -> uuid.UUID:
    """The agency of a user that ``_active`` let through (every such user has one)."""
    assert user.agency_id is not None  # noqa: S101 - _active checked it
    return user.agency_id


class ConsultationAction(PolicyAction):
    CREATE = "create"
    VIEW = "view"
    RUN = "run"  # start a session, make a link, enter paper answers, close
    RESULTS = "results"
    REVIEW_TEXT = "review_text"
    RECORD_ACTION = "record_action"  # "you said, we did"
    SUMMARISE = "summarise"


_CONSULTATION_ROLES: dict[str, frozenset[str]] = {
    ConsultationAction.CREATE: RUNS_CONSULTATIONS,
    ConsultationAction.VIEW: RUNS_CONSULTATIONS | {Role.DATA_PROTECTION_OFFICER},
    ConsultationAction.RUN: RUNS_CONSULTATIONS,
    ConsultationAction.RESULTS: RUNS_CONSULTATIONS | {Role.DATA_PROTECTION_OFFICER},
    ConsultationAction.REVIEW_TEXT: frozenset({Role.FACILITATOR, Role.DATA_PROTECTION_OFFICER}),
    ConsultationAction.RECORD_ACTION: RUNS_CONSULTATIONS,
    ConsultationAction.SUMMARISE: frozenset({Role.COORDINATOR}),
}
# Actions on every agency's consultations (the rest: the user's own agency's only).
_EVERY_AGENCY: dict[str, frozenset[str]] = {
    ConsultationAction.VIEW: READS_ALL_RESULTS,
    ConsultationAction.RESULTS: READS_ALL_RESULTS,
    ConsultationAction.REVIEW_TEXT: frozenset({Role.DATA_PROTECTION_OFFICER}),
    ConsultationAction.RECORD_ACTION: frozenset({Role.COORDINATOR}),
    ConsultationAction.SUMMARISE: frozenset({Role.COORDINATOR}),
}


class ConsultationPolicy:
    def user_has_permission(self, user: User, action: ConsultationAction) -> bool:
        return _active(user) and user.role in _CONSULTATION_ROLES[action]

    def instances_user_has_permission_for(
        self, user: User, action: ConsultationAction
    ) -> QuerySet[Consultation]:
        if not self.user_has_permission(user, action):
            return Consultation.objects.none()
        if user.role in _EVERY_AGENCY.get(action, frozenset()):
            return Consultation.objects.all()
        return Consultation.objects.filter(agency_id=_agency_id(user))

    def user_has_permission_for_instance(
        self, user: User, action: ConsultationAction, consultation: Consultation
    ) -> bool:
        if not self.user_has_permission(user, action):
            return False
        if user.role in _EVERY_AGENCY.get(action, frozenset()):
            return True
        return consultation.agency_id == user.agency_id

    def users_with_permission_for_instance(
        self, action: ConsultationAction, consultation: Consultation
    ) -> QuerySet[User]:
        roles = _CONSULTATION_ROLES[action]
        everywhere = _EVERY_AGENCY.get(action, frozenset())
        return User.objects.filter(
            Q(role__in=everywhere) | Q(role__in=roles - everywhere, agency=consultation.agency),
            is_active=True,
            agency__is_active=True,
        )


class FeedbackAction(PolicyAction):
    RECORD_FOR_CHILD = "record_for_child"
    VIEW = "view"
    HANDLE = "handle"  # acknowledge, answer, close, hand over
    FIGURES = "figures"


_HANDLES_FEEDBACK = frozenset(
    {Role.SUPERVISOR, Role.CASEWORKER, Role.FACILITATOR, Role.LAW_ENFORCEMENT}
)


class FeedbackPolicy:
    def user_has_permission(self, user: User, action: FeedbackAction) -> bool:
        if action == FeedbackAction.FIGURES:
            return bool(user.is_active)
        if not _active(user):
            return False
        if action == FeedbackAction.RECORD_FOR_CHILD:
            return user.role in RECORDS_FEEDBACK_FOR_A_CHILD
        # Ordinary feedback goes to supervisors; a safeguarding lead may hold another staff role.
        return user.role in _HANDLES_FEEDBACK

    def instances_user_has_permission_for(
        self, user: User, action: FeedbackAction
    ) -> QuerySet[Feedback]:
        if action not in (FeedbackAction.VIEW, FeedbackAction.HANDLE) or not (
            self.user_has_permission(user, action)
        ):
            return Feedback.objects.none()
        scope = Q(handler=user) | Q(escalations__recipient=user)
        if user.role == Role.SUPERVISOR:
            scope |= Q(agency_id=_agency_id(user)) & ~Q(kind=FeedbackKind.SAFEGUARDING)
        return (
            Feedback.objects.filter(scope)
            .exclude(subject_user=user)
            .exclude(recused_by=user)
            .distinct()
        )

    def user_has_permission_for_instance(
        self, user: User, action: FeedbackAction, feedback: Feedback
    ) -> bool:
        if action == FeedbackAction.FIGURES:
            return self.user_has_permission(user, action)
        if action == FeedbackAction.RECORD_FOR_CHILD:
            return False
        if not self.user_has_permission(user, action) or user.id in (
            feedback.subject_user_id,
            feedback.recused_by_id,
        ):
            return False
        return self.instances_user_has_permission_for(user, action).filter(pk=feedback.pk).exists()

    def users_with_permission_for_instance(
        self, action: FeedbackAction, feedback: Feedback
    ) -> QuerySet[User]:
        people = Q(pk=feedback.handler_id) | Q(pk__in=feedback.escalations.values("recipient"))
        if not feedback.is_safeguarding:
            people |= Q(role=Role.SUPERVISOR, agency_id=feedback.agency_id)
        return (
            User.objects.filter(people, is_active=True, agency__is_active=True)
            .exclude(pk__in=[feedback.subject_user_id, feedback.recused_by_id])
            .distinct()
        )


class SafeguardingAction(PolicyAction):
    VIEW = "view"
    SET = "set"


class SafeguardingPolicy:
    """The system administrator names any agency's safeguarding lead; a supervisor names their
    own agency's."""

    def user_has_permission(self, user: User, action: SafeguardingAction) -> bool:
        if not user.is_active:
            return False
        if user.role == Role.SYSTEM_ADMIN:
            return True
        return _active(user) and user.role == Role.SUPERVISOR

    def instances_user_has_permission_for(
        self, user: User, action: SafeguardingAction
    ) -> QuerySet[SafeguardingLead]:
        if not self.user_has_permission(user, action):
            return SafeguardingLead.objects.none()
        if user.role == Role.SYSTEM_ADMIN:
            return SafeguardingLead.objects.all()
        return SafeguardingLead.objects.filter(agency_id=_agency_id(user))

    def user_may_set_for_agency(self, user: User, agency_id: object) -> bool:
        if not self.user_has_permission(user, SafeguardingAction.SET):
            return False
        return user.role == Role.SYSTEM_ADMIN or str(user.agency_id) == str(agency_id)

    def user_has_permission_for_instance(
        self, user: User, action: SafeguardingAction, lead: SafeguardingLead
    ) -> bool:
        return (
            self.user_may_set_for_agency(user, lead.agency_id)
            if self.user_has_permission(user, action)
            else False
        )

    def users_with_permission_for_instance(
        self, action: SafeguardingAction, lead: SafeguardingLead
    ) -> QuerySet[User]:
        return User.objects.filter(
            Q(role=Role.SYSTEM_ADMIN) | Q(role=Role.SUPERVISOR, agency_id=lead.agency_id),
            is_active=True,
        )


class InformationAction(PolicyAction):
    VIEW = "view"
    RECORD = "record"


# What the child was told, as a key of the cases' category map (``cases.scopes``).
INFORMATION_KEY = "information_given"


class InformationPolicy:
    """What a child was told follows the case: who sees the case, and may read the case's
    ``information_given`` under their consent (``cases.scopes``), sees it; who edits it records.
    """

    _CASE_ACTION = {
        InformationAction.VIEW: CaseAction.VIEW,
        InformationAction.RECORD: CaseAction.EDIT,
    }

    def user_has_permission(self, user: User, action: InformationAction) -> bool:
        return case_policy.user_has_permission(user, self._CASE_ACTION[action])

    def instances_user_has_permission_for(
        self, user: User, action: InformationAction
    ) -> QuerySet[InformationGiven]:
        cases = case_policy.instances_user_has_permission_for(user, self._CASE_ACTION[action])
        cases = cases_in_scope(user, cases, INFORMATION_KEY)
        return InformationGiven.objects.filter(case__in=cases.values("pk"))

    def user_has_permission_for_instance(
        self, user: User, action: InformationAction, item: InformationGiven
    ) -> bool:
        return self.user_may_for_case(user, action, item.case)

    def user_may_for_case(self, user: User, action: InformationAction, case: Case) -> bool:
        return case_policy.user_has_permission_for_instance(
            user, self._CASE_ACTION[action], case
        ) and key_visible(INFORMATION_KEY, visible_categories(user, case))

    def users_with_permission_for_instance(
        self, action: InformationAction, item: InformationGiven
    ) -> QuerySet[User]:
        users = case_policy.users_with_permission_for_instance(self._CASE_ACTION[action], item.case)
        return users.filter(
            pk__in=[u.pk for u in users if self.user_may_for_case(u, action, item.case)]
        )


consultation_policy = ConsultationPolicy()
feedback_policy = FeedbackPolicy()
safeguarding_policy = SafeguardingPolicy()
information_policy = InformationPolicy()
