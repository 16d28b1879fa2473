"""Who may run, read and confirm screenings, and see how instruments perform."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import REGISTERS_CASES, Role
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.scopes import cases_in_scope
from safepath.core.policies import PolicyAction
from safepath.screening.models import ScreeningRecord

MONITORS = frozenset({Role.COORDINATOR, Role.ANALYST, Role.SUPERVISOR})
# A screening linked to a case, as a key of the cases' category map (``cases.scopes``).
SCREENINGS_KEY = "screenings"


class ScreeningAction(PolicyAction):
    RUN = "run"
    VIEW = "view"
    CONFIRM = "confirm"
    MONITOR = "monitor"
    LOAD_GRADES = "load_grades"  # replace an ILO list's strengths with a transcribed table


def _in_service(user: User) -> bool:
    return user.is_active and user.agency is not None and user.agency.is_active


class ScreeningPolicy:
    """A screening is seen by the person who ran it, their agency's supervisors, and whoever may
    see the case it is linked to (in an agency the case is shared with, under a consent that
    covers the case facts). Monitoring figures are aggregate and open to monitors. Only a
    system administrator loads a transcribed grade table (it changes how lists score)."""

    def user_has_permission(self, user: User, action: ScreeningAction) -> bool:
        if action == ScreeningAction.LOAD_GRADES:
            return user.is_active and user.role == Role.SYSTEM_ADMIN
        if not _in_service(user):
            return False
        if action == ScreeningAction.MONITOR:
            return user.role in MONITORS
        return user.role in REGISTERS_CASES

    def instances_user_has_permission_for(
        self, user: User, action: ScreeningAction
    ) -> QuerySet[ScreeningRecord]:
        if action in (
            ScreeningAction.RUN,
            ScreeningAction.MONITOR,
            ScreeningAction.LOAD_GRADES,
        ) or not (self.user_has_permission(user, action)):
            return ScreeningRecord.objects.none()
        case_action = CaseAction.VIEW if action == ScreeningAction.VIEW else CaseAction.EDIT
        cases = case_policy.instances_user_has_permission_for(user, case_action)
        # through a shared case, only under a consent covering the case facts (``cases.scopes``)
        via_case = Q(case__in=cases_in_scope(user, cases, SCREENINGS_KEY))
        condition = via_case
        if user.role == Role.SUPERVISOR:
            condition |= Q(agency=user.agency_id)
        if action == ScreeningAction.VIEW:
            condition |= Q(screened_by=user)
        return ScreeningRecord.objects.filter(condition)

    def user_has_permission_for_instance(
        self, user: User, action: ScreeningAction, record: ScreeningRecord
    ) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=record.pk).exists()


screening_policy = ScreeningPolicy()
