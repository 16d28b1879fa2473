"""The lifecycle of a case as an explicit state machine: which stage may follow which, and on
what conditions. Pure: the service gathers the facts, this module judges them.

The diagram is in ``docs/cases/lifecycle.md``. Every refusal comes back as words a caseworker
understands and a stable code an API client can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safepath.cases.vocabulary import (
    NEEDS_DETERMINATION,
    CaseStatus,
    ClosureReason,
    DecisionKind,
    DurableSolution,
)

S = CaseStatus

# Which stages may follow which. Urgent protection is reachable from every open stage: it never
# waits for an assessment or a determination.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.IDENTIFIED: frozenset({S.REGISTERED, S.URGENT_PROTECTION, S.CLOSED}),
    S.REGISTERED: frozenset({S.URGENT_PROTECTION, S.ASSESSMENT, S.CLOSED}),
    S.URGENT_PROTECTION: frozenset({S.ASSESSMENT, S.CLOSED}),
    S.ASSESSMENT: frozenset({S.URGENT_PROTECTION, S.CASE_PLAN, S.CLOSED}),
    S.CASE_PLAN: frozenset({S.URGENT_PROTECTION, S.IMPLEMENTATION, S.CLOSED}),
    S.IMPLEMENTATION: frozenset({S.URGENT_PROTECTION, S.REVIEW, S.CLOSED}),
    S.REVIEW: frozenset(
        {S.URGENT_PROTECTION, S.IMPLEMENTATION, S.CASE_PLAN, S.DURABLE_SOLUTION, S.CLOSED}
    ),
    S.DURABLE_SOLUTION: frozenset({S.URGENT_PROTECTION, S.REVIEW, S.CLOSED}),
    S.CLOSED: frozenset({S.FOLLOW_UP}),
    S.FOLLOW_UP: frozenset({S.URGENT_PROTECTION, S.CLOSED}),
}

# Closing a case that has not reached a durable solution needs one of these reasons.
EARLY_CLOSURE_REASONS = frozenset(
    {
        ClosureReason.TRANSFERRED,
        ClosureReason.AFTERCARE_DECLINED,
        ClosureReason.LOST_CONTACT,
        ClosureReason.DECEASED,
    }
)
# The child cannot be heard on these closures.
CLOSURES_WITHOUT_VIEWS = frozenset({ClosureReason.LOST_CONTACT, ClosureReason.DECEASED})
# From this age a transition plan is required (configurable: settings.TRANSITION_PLAN_AGE).
DEFAULT_TRANSITION_PLAN_AGE = 17
ADULT_AGE = 18


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about a case, gathered by the service."""

    status: str
    actor_is_supervisor: bool = False
    has_assessment: bool = False
    plan_approved: bool = False
    views_recorded: frozenset[str] = frozenset()  # DecisionKind codes heard since the last stage
    durable_solution: str = ""
    determined_solutions: frozenset[str] = frozenset()  # approved determinations' decisions
    return_checks_done: bool = False  # risk assessment and non-refoulement, on a determination
    age: int | None = None
    presumed_child: bool = True  # an age dispute keeps the presumption of minority
    transition_plan: bool = False
    aftercare_consent: bool = False
    transition_plan_age: int = DEFAULT_TRANSITION_PLAN_AGE
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str | Promise

    def __str__(self) -> str:
        return str(self.message)


def allowed_targets(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())


def check_transition(facts: CaseFacts, target: str, *, closure_reason: str = "") -> list[Refusal]:
    """Every reason the move to ``target`` is refused; an empty list means it may go ahead."""
    if target not in allowed_targets(facts.status):
        return [
            Refusal(
                "transition_not_allowed",
                _("A case cannot move from %(source)s to %(target)s.")
                % {"source": S(facts.status).label, "target": _label(target)},
            )
        ]
    if target == S.URGENT_PROTECTION:
        return []  # never waits for anything
    refusals = _adulthood_refusals(facts, target, closure_reason)
    checks: dict[str, Callable[[CaseFacts, str], list[Refusal]]] = {
        S.CASE_PLAN: _plan_refusals,
        S.IMPLEMENTATION: _implementation_refusals,
        S.DURABLE_SOLUTION: _solution_refusals,
        S.CLOSED: _closure_refusals,
    }
    if target in checks:
        refusals += checks[target](facts, closure_reason)
    return refusals


def move_options(facts: CaseFacts) -> list[tuple[str, list[Refusal]]]:
    """Each stage the case may follow now, with what is still missing for it (empty: ready).

    Closing is ready when some closure reason would be accepted; its reason-specific refusals
    are then left to the reason chosen."""
    options = []
    for target in sorted(allowed_targets(facts.status), key=list(S.values).index):
        if target == S.CLOSED:
            per_reason = [check_transition(facts, target, closure_reason=r) for r in ClosureReason]
            missing = (
                [] if any(not refusals for refusals in per_reason) else min(per_reason, key=len)
            )
        else:
            missing = check_transition(facts, target)
        options.append((target, missing))
    return options


def _label(status: str) -> str:
    try:
        return str(S(status).label)
    except ValueError:
        return status


def _views_missing(facts: CaseFacts, decision: DecisionKind) -> list[Refusal]:
    if decision in facts.views_recorded:
        return []
    return [
        Refusal(
            "child_views_missing",
            _(
                "Record the child's views on the %(decision)s first: what they said, the "
                "language they were informed in, and how their views were weighed."
            )
            % {"decision": str(decision.label).lower()},
        )
    ]


def _plan_refusals(facts: CaseFacts, _reason: str) -> list[Refusal]:
    if facts.has_assessment:
        return []
    return [
        Refusal(
            "assessment_missing",
            _("Record a best-interests assessment (short or comprehensive) before the plan."),
        )
    ]


def _implementation_refusals(facts: CaseFacts, _reason: str) -> list[Refusal]:
    refusals = []
    if not facts.plan_approved:
        refusals.append(
            Refusal("plan_not_approved", _("A supervisor must approve the case plan first."))
        )
    return refusals + _views_missing(facts, DecisionKind.PLAN)


def _solution_refusals(facts: CaseFacts, _reason: str) -> list[Refusal]:
    if not facts.durable_solution:
        return [Refusal("solution_missing", _("Choose the durable solution first."))]
    refusals = _views_missing(facts, DecisionKind.DURABLE_SOLUTION)
    return refusals + determination_refusals(facts, facts.durable_solution)


def determination_refusals(facts: CaseFacts, solution: str) -> list[Refusal]:
    """What stands between ``solution`` and a determination that allows it: the one rule for a
    solution that takes the child across a border (the durable-solution stage, and a case
    transfer to another country's instance in ``exchange``, both ask it)."""
    if solution not in NEEDS_DETERMINATION:
        return []
    if solution not in facts.determined_solutions:
        return [
            Refusal(
                "determination_missing",
                _(
                    "%(solution)s needs a best-interests determination by a panel of at "
                    "least three, approved by a supervisor, that decided it."
                )
                % {"solution": DurableSolution(solution).label},
            )
        ]
    if solution == DurableSolution.RETURN and not facts.return_checks_done:
        return [
            Refusal(
                "return_checks_missing",
                _(
                    "A return needs a recorded risk assessment in the country of return "
                    "and a non-refoulement check on the determination."
                ),
            )
        ]
    return []


def _closure_refusals(facts: CaseFacts, reason: str) -> list[Refusal]:
    refusals = []
    if not facts.actor_is_supervisor:
        refusals.append(Refusal("supervisor_required", _("Only a supervisor closes a case.")))
    if reason not in ClosureReason.values:
        return [*refusals, Refusal("closure_reason_missing", _("Give the reason for closure."))]
    reopened = facts.status == S.FOLLOW_UP
    if facts.status != S.DURABLE_SOLUTION and not reopened and reason not in EARLY_CLOSURE_REASONS:
        refusals.append(
            Refusal(
                "solution_not_reached",
                _(
                    "A case closes with a reached solution only from the durable-solution "
                    "stage; otherwise give a reason such as transfer or lost contact."
                ),
            )
        )
    if reason not in CLOSURES_WITHOUT_VIEWS and not reopened:
        refusals += _views_missing(facts, DecisionKind.CLOSURE)
    return refusals


def _adulthood_refusals(facts: CaseFacts, target: str, reason: str) -> list[Refusal]:
    """From 17 a transition plan; after 18 the case goes on only as aftercare, with consent."""
    if facts.age is None or (target == S.CLOSED and reason in CLOSURES_WITHOUT_VIEWS):
        return []
    refusals = []
    needs_plan = facts.age >= facts.transition_plan_age
    if needs_plan and not facts.transition_plan and target in (S.DURABLE_SOLUTION, S.CLOSED):
        refusals.append(
            Refusal(
                "transition_plan_missing",
                _("The young person is %(age)s: record a transition plan to adulthood first.")
                % {"age": facts.age},
            )
        )
    adult = facts.age >= ADULT_AGE and not facts.presumed_child
    if adult and not facts.aftercare_consent and target != S.CLOSED:
        refusals.append(
            Refusal(
                "aftercare_consent_missing",
                _(
                    "The person is now an adult: the case continues as aftercare only with "
                    "their own consent to aftercare. Record it, or close the case."
                ),
            )
        )
    return refusals
