"""Who may do what in the emergency app. The one place for these rules; tested as a matrix.

* Field registration (the offline app, its sync, the caseworker's recent cases, conflicts):
  whoever registers cases (supervisors, caseworkers, law enforcement) in an active agency.
  A registration is a case's companion: who may see or change it is who may see or change
  its case (``cases.policies.CasePolicy``) *in the owning agency* — its values are the whole
  field form, in no consent category, so an agency the case is shared with reads the case
  through its consent, never the registration. A registration the caller may not see is
  "not found".
* Declaring and ending an emergency: national coordinators.
* The live board and the service-gap table (counts, never a child): coordinators and
  supervisors.
* The risk map (INFORM with case statistics under disclosure control): coordinators,
  analysts, data-protection officers and supervisors.
* Importing ODK/Kobo submissions: supervisors and caseworkers (into their own agency).
"""

from __future__ import annotations

from django.db.models import QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import REGISTERS_CASES, REVIEWS_RELEASES, Role
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.policies import PolicyAction
from safepath.emergency.models import Registration


class EmergencyAction(PolicyAction):
    REGISTER = "register"  # the field app, sync, recent cases
    VIEW = "view"  # one registration (through its case)
    EDIT = "edit"  # change a registration, resolve a conflict (through its case)
    DECLARE = "declare"  # declare or end an emergency
    VIEW_BOARD = "view_board"  # the live board, the service gaps
    VIEW_RISK = "view_risk"  # the risk map
    IMPORT = "import"  # ODK/Kobo submissions


_GENERAL: dict[str, frozenset[str]] = {
    EmergencyAction.REGISTER: REGISTERS_CASES,
    EmergencyAction.VIEW: REGISTERS_CASES,
    EmergencyAction.EDIT: REGISTERS_CASES,
    EmergencyAction.DECLARE: frozenset({Role.COORDINATOR}),
    EmergencyAction.VIEW_BOARD: frozenset({Role.COORDINATOR, Role.SUPERVISOR}),
    EmergencyAction.VIEW_RISK: frozenset({Role.COORDINATOR, Role.ANALYST, Role.SUPERVISOR})
    | REVIEWS_RELEASES,
    EmergencyAction.IMPORT: frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
}
_CASE_ACTION = {EmergencyAction.VIEW: CaseAction.VIEW, EmergencyAction.EDIT: CaseAction.EDIT}


def _in_active_agency(user: User) -> bool:
    return bool(user.agency_id is not None and user.agency and user.agency.is_active)


class EmergencyPolicy:
    def user_has_permission(self, user: User, action: EmergencyAction) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.role not in _GENERAL[action]:
            return False
        return _in_active_agency(user)

    def instances_user_has_permission_for(
        self, user: User, action: EmergencyAction
    ) -> QuerySet[Registration]:
        """The registrations whose case the user may see (VIEW) or change (EDIT)."""
        case_action = _CASE_ACTION.get(action)
        if case_action is None or not self.user_has_permission(user, action):
            return Registration.objects.none()
        cases = case_policy.instances_user_has_permission_for(user, case_action)
        # The whole field form, in no data category: the owning agency's only (default-deny,
        # ``cases.scopes``); an agency the case is shared with reads the case, not this.
        return Registration.objects.filter(case__in=cases, case__owner_agency=user.agency_id)

    def user_has_permission_for_instance(
        self, user: User, action: EmergencyAction, registration: Registration
    ) -> bool:
        if action not in _CASE_ACTION:
            return self.user_has_permission(user, action)
        return (
            self.instances_user_has_permission_for(user, action).filter(pk=registration.pk).exists()
        )

    def users_with_permission_for_instance(
        self, action: EmergencyAction, registration: Registration
    ) -> QuerySet[User]:
        case_action = _CASE_ACTION.get(action, CaseAction.VIEW)
        return case_policy.users_with_permission_for_instance(
            case_action, registration.case
        ).filter(agency=registration.case.owner_agency_id)


emergency_policy = EmergencyPolicy()
