"""The lifecycle rules as a table: which moves are allowed, and every reason one is refused."""

from __future__ import annotations

import pytest

from safepath.cases.lifecycle import TRANSITIONS, CaseFacts, allowed_targets, check_transition
from safepath.cases.vocabulary import CaseStatus as S
from safepath.cases.vocabulary import ClosureReason, DecisionKind, DurableSolution

READY = CaseFacts(
    status=S.REVIEW,
    actor_is_supervisor=True,
    has_assessment=True,
    plan_approved=True,
    views_recorded=frozenset(DecisionKind.values),
    durable_solution=DurableSolution.LOCAL_INTEGRATION,
    age=12,
)


def codes(facts: CaseFacts, target: str, reason: str = "") -> list[str]:
    return [r.code for r in check_transition(facts, target, closure_reason=reason)]


def with_(facts: CaseFacts, **changes: object) -> CaseFacts:
    return CaseFacts(**{**facts.__dict__, **changes})  # type: ignore[arg-type]


def test_every_stage_has_an_entry_in_the_table_and_every_target_is_a_stage() -> None:
    assert set(TRANSITIONS) == set(S.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(S.values)


@pytest.mark.parametrize("status", sorted(set(S.values) - {S.CLOSED}))
def test_urgent_protection_never_waits_for_anything(status: str) -> None:
    bare = CaseFacts(status=status)
    if status == S.URGENT_PROTECTION:
        assert codes(bare, S.URGENT_PROTECTION) == ["transition_not_allowed"]
    else:
        assert codes(bare, S.URGENT_PROTECTION) == []


def test_a_closed_case_only_reopens_for_follow_up() -> None:
    assert allowed_targets(S.CLOSED) == {S.FOLLOW_UP}
    assert codes(CaseFacts(status=S.CLOSED), S.ASSESSMENT) == ["transition_not_allowed"]


@pytest.mark.parametrize(
    ("facts", "target", "expected"),
    [
        (CaseFacts(status=S.ASSESSMENT), S.CASE_PLAN, ["assessment_missing"]),
        (CaseFacts(status=S.ASSESSMENT, has_assessment=True), S.CASE_PLAN, []),
        (
            CaseFacts(status=S.CASE_PLAN),
            S.IMPLEMENTATION,
            ["plan_not_approved", "child_views_missing"],
        ),
        (
            CaseFacts(status=S.CASE_PLAN, plan_approved=True, views_recorded=frozenset({"plan"})),
            S.IMPLEMENTATION,
            [],
        ),
        (with_(READY, durable_solution=""), S.DURABLE_SOLUTION, ["solution_missing"]),
        (with_(READY, views_recorded=frozenset()), S.DURABLE_SOLUTION, ["child_views_missing"]),
        (READY, S.DURABLE_SOLUTION, []),
    ],
)
def test_preconditions_of_each_stage(facts: CaseFacts, target: str, expected: list[str]) -> None:
    assert codes(facts, target) == expected


@pytest.mark.parametrize(
    "solution",
    [
        DurableSolution.RETURN,
        DurableSolution.CROSS_BORDER_REUNIFICATION,
        DurableSolution.TRANSFER,
    ],
)
def test_a_solution_across_a_border_needs_a_determination_that_decided_it(solution: str) -> None:
    facts = with_(READY, durable_solution=solution)
    assert codes(facts, S.DURABLE_SOLUTION) == ["determination_missing"]
    other = with_(facts, determined_solutions=frozenset({DurableSolution.LOCAL_INTEGRATION}))
    assert codes(other, S.DURABLE_SOLUTION) == ["determination_missing"]
    decided = with_(facts, determined_solutions=frozenset({solution}), return_checks_done=True)
    assert codes(decided, S.DURABLE_SOLUTION) == []


def test_a_return_also_needs_the_risk_assessment_and_non_refoulement_check() -> None:
    facts = with_(
        READY,
        durable_solution=DurableSolution.RETURN,
        determined_solutions=frozenset({DurableSolution.RETURN}),
    )
    assert codes(facts, S.DURABLE_SOLUTION) == ["return_checks_missing"]


def test_closure_needs_a_supervisor_a_reason_and_the_child_heard() -> None:
    at_solution = with_(READY, status=S.DURABLE_SOLUTION, views_recorded=frozenset())
    assert codes(with_(at_solution, actor_is_supervisor=False), S.CLOSED, "") == [
        "supervisor_required",
        "closure_reason_missing",
    ]
    assert codes(at_solution, S.CLOSED, ClosureReason.SOLUTION_REACHED) == ["child_views_missing"]
    heard = with_(at_solution, views_recorded=frozenset({DecisionKind.CLOSURE}))
    assert codes(heard, S.CLOSED, ClosureReason.SOLUTION_REACHED) == []


def test_an_early_closure_needs_a_reason_other_than_a_reached_solution() -> None:
    facts = with_(READY, status=S.IMPLEMENTATION)
    assert codes(facts, S.CLOSED, ClosureReason.SOLUTION_REACHED) == ["solution_not_reached"]
    assert codes(facts, S.CLOSED, ClosureReason.TRANSFERRED) == []
    # the child cannot be heard if contact is lost
    unheard = with_(facts, views_recorded=frozenset())
    assert codes(unheard, S.CLOSED, ClosureReason.LOST_CONTACT) == []


def test_from_seventeen_a_transition_plan_comes_before_the_solution() -> None:
    facts = with_(READY, age=17)
    assert codes(facts, S.DURABLE_SOLUTION) == ["transition_plan_missing"]
    assert codes(with_(facts, transition_plan=True), S.DURABLE_SOLUTION) == []
    assert codes(with_(facts, transition_plan_age=18), S.DURABLE_SOLUTION) == []


def test_an_adult_case_goes_on_only_as_aftercare_with_consent() -> None:
    adult = with_(
        READY, status=S.IMPLEMENTATION, age=18, presumed_child=False, transition_plan=True
    )
    assert codes(adult, S.REVIEW) == ["aftercare_consent_missing"]
    assert codes(with_(adult, aftercare_consent=True), S.REVIEW) == []
    # closing with their decision is always open; a disputed age keeps the presumption of minority
    assert codes(adult, S.CLOSED, ClosureReason.AFTERCARE_DECLINED) == []
    assert codes(with_(adult, presumed_child=True), S.REVIEW) == []


def test_refusals_are_sentences_naming_the_stages() -> None:
    (refusal,) = check_transition(CaseFacts(status=S.CLOSED), S.CASE_PLAN)
    assert str(refusal) == "A case cannot move from Closed to Case plan."
