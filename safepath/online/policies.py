"""Who may do what in the online-safety app. The one place; tested as a matrix.

- A hotline's analysts and supervisors work the hotline's reports: triage, assessment, media
  hashes, notices, removal. Supervisors also manage banks, refer to law enforcement, export
  CyberTipline-style files and hand identified children to child protection.
- A platform's trust-and-safety analysts submit reports to the hotline through the API, see
  only what their agency submitted, and hash and match files against the banks they may use.
- A child-protection agency's supervisors and caseworkers see the hand-offs addressed to their
  agency and link them to a case they may share, under consent.
- Nobody else sees anything of this app: every record is 404 to them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import AgencyType, Role
from safepath.core.policies import PolicyAction
from safepath.online.models import Advert, CaseLink, HashBank, MatchScope, OnlineReport

HOTLINE_ROLES = frozenset({Role.HOTLINE_ANALYST, Role.HOTLINE_SUPERVISOR})
MATCHING_ROLES = HOTLINE_ROLES | {Role.PLATFORM_ANALYST}
CHILD_PROTECTION_ROLES = frozenset({Role.SUPERVISOR, Role.CASEWORKER})
CHILD_PROTECTION_AGENCIES = frozenset({AgencyType.CHILD_PROTECTION, AgencyType.NGO})


class OnlineAction(PolicyAction):
    VIEW = "view"  # the queue and a report
    ASSESS = "assess"
    HASH = "hash"  # hash files and attach the hashes to a report
    NOTICE = "notice"  # send a notice, confirm removal, record re-appearance
    REFER = "refer"  # law-enforcement referral
    EXPORT = "export"  # CyberTipline-style XML
    HAND_OFF = "hand_off"  # ask child protection to link a report to a case
    SUBMIT = "submit"  # report through the API (partners)
    MATCH = "match"  # hash and match files against banks
    MANAGE_BANKS = "manage_banks"
    ADVERTS = "adverts"  # analyse adverts and chats, the advert graph
    DASHBOARD = "dashboard"  # time to removal
    LINK_CASE = "link_case"  # child-protection side of a hand-off


SUPERVISOR_ONLY = frozenset({OnlineAction.MANAGE_BANKS, OnlineAction.REFER, OnlineAction.HAND_OFF})
HOTLINE_WORK = frozenset(
    {
        OnlineAction.VIEW,
        OnlineAction.ASSESS,
        OnlineAction.HASH,
        OnlineAction.NOTICE,
        OnlineAction.EXPORT,
        OnlineAction.DASHBOARD,
    }
)


def _agency_type(user: User) -> str:
    agency = user.agency
    return agency.agency_type if agency is not None and agency.is_active else ""


class OnlinePolicy:
    """One interface: general permission, the visible set, per instance."""

    def user_has_permission(self, user: User, action: OnlineAction) -> bool:
        if not user.is_active:
            return False
        kind = _agency_type(user)
        if action == OnlineAction.LINK_CASE:
            return user.role in CHILD_PROTECTION_ROLES and kind in CHILD_PROTECTION_AGENCIES
        if user.role in HOTLINE_ROLES and kind == AgencyType.HOTLINE:
            if action in SUPERVISOR_ONLY:
                return user.role == Role.HOTLINE_SUPERVISOR
            return True  # a hotline may also submit a report through the API
        if user.role == Role.PLATFORM_ANALYST and kind == AgencyType.ONLINE_PLATFORM:
            return action in (
                OnlineAction.SUBMIT,
                OnlineAction.MATCH,
                OnlineAction.ADVERTS,
                OnlineAction.MANAGE_BANKS,
            )
        return False

    def reports_user_has_permission_for(
        self, user: User, action: OnlineAction
    ) -> QuerySet[OnlineReport]:
        if not self.user_has_permission(user, action):
            return OnlineReport.objects.none()
        if user.role in HOTLINE_ROLES:
            return OnlineReport.objects.filter(hotline=user.agency_id)
        if action == OnlineAction.SUBMIT:  # a partner follows what it submitted
            return OnlineReport.objects.filter(submitted_by_agency=user.agency_id)
        return OnlineReport.objects.none()

    def user_has_permission_for_instance(
        self, user: User, action: OnlineAction, report: OnlineReport
    ) -> bool:
        return self.reports_user_has_permission_for(user, action).filter(pk=report.pk).exists()

    def banks_user_may_match(self, user: User) -> QuerySet[HashBank]:
        """Banks whose hashes the user may match files against (and see listed)."""
        if not self.user_has_permission(user, OnlineAction.MATCH):
            return HashBank.objects.none()
        agency = user.agency_id
        return (
            HashBank.objects.filter(is_active=True)
            .filter(
                Q(owner=agency)
                | Q(match_scope=MatchScope.SECTOR)
                | Q(match_scope=MatchScope.LISTED, allowed_agencies=agency)
            )
            .distinct()
        )

    def banks_user_may_manage(self, user: User) -> QuerySet[HashBank]:
        if not self.user_has_permission(user, OnlineAction.MANAGE_BANKS):
            return HashBank.objects.none()
        return HashBank.objects.filter(owner=user.agency_id)

    def adverts_user_has_permission_for(self, user: User) -> QuerySet[Advert]:
        if not self.user_has_permission(user, OnlineAction.ADVERTS):
            return Advert.objects.none()
        return Advert.objects.filter(agency=user.agency_id)

    def case_links_user_may_see(self, user: User) -> QuerySet[CaseLink]:
        """The hotline sees the hand-offs it made; the child-protection agency those to it."""
        if self.user_has_permission(user, OnlineAction.VIEW):
            return CaseLink.objects.filter(hotline=user.agency_id)
        if self.user_has_permission(user, OnlineAction.LINK_CASE):
            return CaseLink.objects.filter(agency=user.agency_id)
        return CaseLink.objects.none()


online_policy = OnlinePolicy()
