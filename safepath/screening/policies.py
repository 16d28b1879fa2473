"""Who may run, read and confirm screenings, and see how instruments perform."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import REGISTERS_CASES, Role
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.policies import PolicyAction
from safepath.screening.models import ScreeningRecord

MONITORS = frozenset({Role.COORDINATOR, Role.ANALYST, Role.SUPERVISOR})


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
    see the case it is linked to. Monitoring figures are aggregate and open to monitors. Only a
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
        via_case = Q(case__in=case_policy.instances_user_has_permission_for(user, case_action))
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
