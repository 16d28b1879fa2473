"""Who may do what to a case. The one place for these rules; tested as a matrix.

A case is *held* by its owning agency and by each agency it is shared with under an active
consent. Inside a holding agency, supervisors see every held case; caseworkers and law
enforcement see the cases assigned to them. Only the owning agency edits. Administrators,
coordinators and analysts never see a case: they get figures, not records.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import READS_IDENTIFYING_DATA, REGISTERS_CASES, Role
from safepath.cases.models import Case, CaseAssignment, CaseShare
from safepath.core.policies import PolicyAction


class CaseAction(PolicyAction):
    CREATE = "create"
    VIEW = "view"
    EDIT = "edit"
    ASSIGN = "assign"
    SHARE = "share"
    APPROVE = "approve"  # plans, determinations, closures: a supervisor of the owning agency


class CasePolicy:
    """One interface: general permission, per instance, the visible set, who sees one case."""

    def user_has_permission(self, user: User, action: CaseAction) -> bool:
        if not user.is_active or user.role not in READS_IDENTIFYING_DATA:
            return False
        if user.agency is None or not user.agency.is_active:
            return False  # a closed agency's staff keep no access to children's records
        if action == CaseAction.CREATE:
            return user.role in REGISTERS_CASES
        return True

    def instances_user_has_permission_for(self, user: User, action: CaseAction) -> QuerySet[Case]:
        if action == CaseAction.CREATE or not self.user_has_permission(user, action):
            return Case.objects.none()
        assigned = Exists(
            CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, ended_at__isnull=True)
        )
        # The few cases shared with the agency, read first: "owned OR in this short list" lets
        # the database walk the (owner_agency, created_at) index instead of testing every case.
        shared_ids = list(
            CaseShare.objects.active()
            .filter(agency=user.agency_id)
            .values_list("case_id", flat=True)
        )
        shared_with_agency = Q(pk__in=shared_ids) if shared_ids else Q(pk__in=[])
        owned = Q(owner_agency=user.agency_id)
        is_supervisor = user.role == Role.SUPERVISOR
        if action == CaseAction.VIEW:
            held = owned | shared_with_agency
            condition = held if is_supervisor else (held & Q(assigned))
        elif action == CaseAction.EDIT:
            condition = owned if is_supervisor else (owned & Q(assigned))
        elif action == CaseAction.APPROVE:
            if not is_supervisor:
                return Case.objects.none()
            condition = owned
        elif action == CaseAction.ASSIGN:
            if not is_supervisor:
                return Case.objects.none()
            condition = owned | shared_with_agency
        else:  # SHARE
            condition = owned if is_supervisor else (owned & Q(assigned))
        return Case.objects.filter(condition)

    def user_has_permission_for_instance(self, user: User, action: CaseAction, case: Case) -> bool:
        if action == CaseAction.CREATE:
            return self.user_has_permission(user, action)
        return self.instances_user_has_permission_for(user, action).filter(pk=case.pk).exists()

    def users_with_permission_for_instance(self, action: CaseAction, case: Case) -> QuerySet[User]:
        """Everyone who may do ``action`` to this case: for 'who can see this child'."""
        candidates = User.objects.filter(
            is_active=True, role__in=list(READS_IDENTIFYING_DATA)
        ).filter(
            Q(agency=case.owner_agency_id)
            | Q(agency__in=CaseShare.objects.active().filter(case=case).values("agency"))
        )
        return User.objects.filter(
            pk__in=[
                user.pk
                for user in candidates
                if self.user_has_permission_for_instance(user, action, case)
            ]
        )


case_policy = CasePolicy()
