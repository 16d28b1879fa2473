"""Who may do what in linkage. The one place for these rules; tested as a matrix.

Candidate pairs rest on the cases policy: a supervisor *reviews* a pair (sees both children and
the explanation, confirms or rejects) only when they may see both cases *and their identity*
(a case shared under a consent that does not cover identity counts as held elsewhere, as its
names are withheld on the case list too); when they see one of the two, they get a *notice*
("a possible duplicate is held by agency X") and may ask that agency to share through the
child's consent; otherwise the pair does not exist for them (404).

Tracing requests belong to the agency that records them: its supervisors and caseworkers trace.
Encodings for cross-border matching are exported for an agency by its supervisors (or the CLI).
Every other role sees none of this app.
"""

from __future__ import annotations

import enum

from django.db.models import Exists, OuterRef, Q, QuerySet

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.scopes import cases_in_scope
from safepath.core.policies import PolicyAction
from safepath.linkage.models import CandidatePair, MatchRequest, TracingRequest

REVIEWS_MATCHES = frozenset({Role.SUPERVISOR})
# Linkage compares and shows children's names: a case counts as seen only with this key readable.
IDENTITY_KEY = "child.given_name"
TRACES_FAMILIES = frozenset({Role.SUPERVISOR, Role.CASEWORKER})


class LinkageAction(PolicyAction):
    REVIEW = "review"  # the queue, pairs, persons, runs of one's own scope
    TRACE = "trace"  # tracing requests and their candidates
    EXPORT = "export"  # encodings for privacy-preserving matching


class PairAccess(enum.Enum):
    NONE = "none"
    NOTICE = "notice"  # sees one of the two cases: told only that another agency holds one
    FULL = "full"  # sees both cases: the names, the explanation, the decision


def _active_in_agency(user: User) -> bool:
    return bool(
        user.is_active and user.agency_id is not None and user.agency and user.agency.is_active
    )


class LinkagePolicy:
    def user_has_permission(self, user: User, action: LinkageAction) -> bool:
        if not getattr(user, "is_authenticated", False) or not _active_in_agency(user):
            return False
        if action == LinkageAction.TRACE:
            return user.role in TRACES_FAMILIES
        return user.role in REVIEWS_MATCHES

    # --- candidate pairs -------------------------------------------------------------------
    def visible_cases(self, user: User) -> QuerySet[Case]:
        """The cases linkage shows ``user``: those they may view *and* whose identity they may
        read (``cases.scopes``): their agency's, or shared under a consent covering identity. A
        case shared under any other consent counts here as held elsewhere (a notice, no name)."""
        viewable = case_policy.instances_user_has_permission_for(user, CaseAction.VIEW)
        return cases_in_scope(user, viewable, IDENTITY_KEY)

    def pairs_user_may_see(self, user: User) -> QuerySet[CandidatePair]:
        """Pairs with at least one visible case, annotated ``sees_1``/``sees_2``."""
        if not self.user_has_permission(user, LinkageAction.REVIEW):
            return CandidatePair.objects.none()
        cases = self.visible_cases(user)
        sees_1 = Exists(cases.filter(pk=OuterRef("case_1_id")))
        sees_2 = Exists(cases.filter(pk=OuterRef("case_2_id")))
        return CandidatePair.objects.annotate(sees_1=sees_1, sees_2=sees_2).filter(sees_1 | sees_2)

    def pair_access(self, user: User, pair: CandidatePair) -> PairAccess:
        if not self.user_has_permission(user, LinkageAction.REVIEW):
            return PairAccess.NONE
        both = (pair.case_1_id, pair.case_2_id)
        seen = self.visible_cases(user).filter(pk__in=both).count()
        return (PairAccess.NONE, PairAccess.NOTICE, PairAccess.FULL)[seen]

    # --- requests to share -----------------------------------------------------------------
    def requests_user_may_see(self, user: User) -> QuerySet[MatchRequest]:
        if not self.user_has_permission(user, LinkageAction.REVIEW):
            return MatchRequest.objects.none()
        return MatchRequest.objects.filter(
            Q(requesting_agency=user.agency_id) | Q(holding_agency=user.agency_id)
        )

    def user_may_answer_request(self, user: User, request: MatchRequest) -> bool:
        return (
            self.user_has_permission(user, LinkageAction.REVIEW)
            and request.holding_agency_id is not None
            and request.holding_agency_id == user.agency_id
        )

    # --- tracing ---------------------------------------------------------------------------
    def tracing_requests_user_may_see(self, user: User) -> QuerySet[TracingRequest]:
        if not self.user_has_permission(user, LinkageAction.TRACE):
            return TracingRequest.objects.none()
        mine = TracingRequest.objects.filter(agency=user.agency_id)
        return mine if user.role == Role.SUPERVISOR else mine.filter(created_by=user)

    # --- encodings -------------------------------------------------------------------------
    def user_may_export(self, user: User, agency_id: object) -> bool:
        return self.user_has_permission(user, LinkageAction.EXPORT) and user.agency_id == agency_id


linkage_policy = LinkagePolicy()
