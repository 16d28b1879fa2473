"""Who may do what to a referral, and who may read the service directory. Tested as a matrix.

A referral is seen by two groups only: on the referring side, the supervisors of the referring
agency and the workers assigned to the case; on the receiving side, the receiving agency's
supervisors and caseworkers. Everyone else gets a 404. The referring side creates and withdraws;
the receiving side accepts, declines and reports the outcome.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import READS_IDENTIFYING_DATA, Role
from safepath.cases.models import Case, CaseAssignment
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.policies import PolicyAction
from safepath.referrals.models import Referral

# The receiving agency's staff who answer referrals (police officers do not accept care referrals).
ANSWERS_REFERRALS = frozenset({Role.SUPERVISOR, Role.CASEWORKER})


class ReferralAction(PolicyAction):
    VIEW = "view"
    CREATE = "create"
    WITHDRAW = "withdraw"
    ACCEPT = "accept"
    DECLINE = "decline"
    REPORT_OUTCOME = "report_outcome"
    ATTACH_CONSENT = "attach_consent"
    VIEW_OVERDUE = "view_overdue"


REFERRING_SIDE = frozenset({ReferralAction.WITHDRAW, ReferralAction.ATTACH_CONSENT})
RECEIVING_SIDE = frozenset(
    {ReferralAction.ACCEPT, ReferralAction.DECLINE, ReferralAction.REPORT_OUTCOME}
)


class ReferralPolicy:
    def user_has_permission(self, user: User, action: ReferralAction) -> bool:
        if not user.is_active or user.role not in READS_IDENTIFYING_DATA:
            return False
        if user.agency is None or not user.agency.is_active:
            return False
        if action == ReferralAction.VIEW_OVERDUE:
            return user.role == Role.SUPERVISOR
        if action in RECEIVING_SIDE:
            return user.role in ANSWERS_REFERRALS
        return True

    def _referring_side(self, user: User) -> Q:
        if user.role == Role.SUPERVISOR:
            return Q(referring_agency=user.agency_id)
        assigned = Exists(
            CaseAssignment.objects.filter(
                case=OuterRef("case_id"), user=user, ended_at__isnull=True
            )
        )
        return Q(referring_agency=user.agency_id) & Q(assigned)

    def _receiving_side(self, user: User) -> Q:
        if user.role not in ANSWERS_REFERRALS:
            return Q(pk__in=[])
        return Q(receiving_agency=user.agency_id)

    def instances_user_has_permission_for(
        self, user: User, action: ReferralAction
    ) -> QuerySet[Referral]:
        if action == ReferralAction.CREATE or not self.user_has_permission(user, action):
            return Referral.objects.none()
        if action in REFERRING_SIDE:
            condition = self._referring_side(user)
        elif action in RECEIVING_SIDE:
            condition = self._receiving_side(user)
        else:  # VIEW, VIEW_OVERDUE
            condition = self._referring_side(user) | self._receiving_side(user)
        return Referral.objects.filter(condition)

    def user_has_permission_for_instance(
        self, user: User, action: ReferralAction, referral: Referral
    ) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=referral.pk).exists()

    def user_may_refer(self, user: User, case: Case) -> bool:
        """Refer a case: whoever may share it (its agency's supervisor, or an assigned worker)."""
        return self.user_has_permission(
            user, ReferralAction.CREATE
        ) and case_policy.user_has_permission_for_instance(user, CaseAction.SHARE, case)


class ServiceDirectoryPolicy:
    """The directory lists services, not children: any active user who works with cases or
    coordinates them may read it. Changes come through the import command (administrators)."""

    def user_may_list(self, user: User) -> bool:
        if not user.is_active or user.agency is None or not user.agency.is_active:
            return False
        return user.role in READS_IDENTIFYING_DATA | {Role.COORDINATOR}


referral_policy = ReferralPolicy()
service_directory_policy = ServiceDirectoryPolicy()
