"""The scoring engine as pure functions: truth tables, safeguards, and monotonicity."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepath.screening.engine import (
    SEVERITY,
    ScreeningInput,
    ScreeningInputError,
    dimension_positive,
    score,
    trafficking_elements_met,
)
from safepath.screening.tests import factories

# The ILO/EC clauses as the minimal (strong, medium, weak) counts that make a dimension positive:
# (a) two strong, (b) one strong and one medium, (b) one strong and one weak, (c) three medium,
# (d) two medium and one weak. A dimension is positive when it covers one of them.
MINIMAL = [(2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 3, 0), (0, 2, 1)]


def _covers(counts: tuple[int, int, int]) -> bool:
    return any(all(have >= need for have, need in zip(counts, m, strict=True)) for m in MINIMAL)


@pytest.mark.parametrize(
    "counts", list(itertools.product(range(5), repeat=3)), ids=lambda c: f"S{c[0]}M{c[1]}W{c[2]}"
)
def test_dimension_rule_truth_table(counts: tuple[int, int, int]) -> None:
    assert dimension_positive(*counts) is _covers(counts)


def test_weak_indicators_alone_never_make_a_dimension_positive() -> None:
    assert not any(dimension_positive(0, 0, weak) for weak in range(50))
    assert not dimension_positive(0, 1, 4)
    assert not dimension_positive(0, 2, 0)


ROLE_SETS = list(itertools.product([False, True], repeat=3))


@pytest.mark.parametrize(("recruitment", "exploitation", "destination"), ROLE_SETS)
@pytest.mark.parametrize("act", [False, True])
def test_combination_truth_table(
    recruitment: bool, exploitation: bool, destination: bool, act: bool
) -> None:
    roles = {"recruitment": recruitment, "exploitation": exploitation, "destination": destination}
    assert trafficking_elements_met(roles, adult=True, act_recorded=act, child_rule="legal") is (
        recruitment and exploitation and destination
    )
    assert trafficking_elements_met(roles, adult=False, act_recorded=act, child_rule="legal") is (
        exploitation and act
    )
    assert trafficking_elements_met(
        roles, adult=False, act_recorded=act, child_rule="ilo_strict"
    ) is (exploitation and recruitment)


def _yes(*item_ids: str) -> dict[str, str]:
    return dict.fromkeys(item_ids, "yes")


def _all_no(instrument, **overrides: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {item.id: "no" for item in instrument.items} | overrides


def test_adult_needs_all_three_elements() -> None:
    adult = factories.ilo(adult=True)
    answers = _all_no(adult, **_yes("D1.s0", "D1.s1", "D4.s0", "D4.s1"))
    result = score(adult, ScreeningInput(answers=answers, age=30))
    assert result.outcome == "possible_victim"
    assert [d.id for d in result.dimensions if d.positive] == ["D1", "D4"]
    answers |= _yes("D5.m0", "D5.m1", "D5.m2")
    assert score(adult, ScreeningInput(answers=answers, age=30)).outcome == "presumed_victim"


def test_child_default_rule_needs_exploitation_and_an_act() -> None:
    child = factories.ilo(adult=False)
    answers = _all_no(child, **_yes("D4.s0", "D4.w0"))
    without_act = score(child, ScreeningInput(answers=answers, age=12, act_recorded=False))
    with_act = score(child, ScreeningInput(answers=answers, age=12, act_recorded=True))
    strict = score(
        child, ScreeningInput(answers=answers, age=12, act_recorded=True), child_rule="ilo_strict"
    )
    assert (without_act.outcome, with_act.outcome, strict.outcome) == (
        "possible_victim",
        "presumed_victim",
        "possible_victim",
    )
    assert len(with_act.dimensions) == 6  # every dimension is reported, never only the verdict


def test_presumption_of_minority_applies_child_rules_to_an_adult_list() -> None:
    adult = factories.ilo(adult=True)
    answers = _all_no(adult, **_yes("D4.s0", "D4.s1"))
    for age, disputed in [(None, False), (25, True), (16, False)]:
        result = score(
            adult,
            ScreeningInput(answers=answers, age=age, age_disputed=disputed, act_recorded=True),
        )
        assert result.outcome == "presumed_victim"
        assert result.safeguards == ("presumption_of_minority",)
        assert "presumption_of_minority" in [n.code for n in result.notices]
    grown = score(adult, ScreeningInput(answers=answers, age=25, act_recorded=True))
    assert grown.outcome == "possible_victim"
    assert grown.safeguards == ()


def test_non_punishment_notice_in_police_and_justice_settings() -> None:
    child = factories.ilo(adult=False)
    answers = _all_no(child, **_yes("D4.s0", "D4.s1"))
    for setting, expected in [("law_enforcement", True), ("justice", True), ("health", False)]:
        result = score(
            child, ScreeningInput(answers=answers, age=15, act_recorded=True, setting=setting)
        )
        assert ("non_punishment" in [n.code for n in result.notices]) is expected
    clean = score(child, ScreeningInput(answers=_all_no(child), age=15, setting="law_enforcement"))
    assert clean.outcome == "no_indicators"
    assert clean.notices == ()


# Written out, not read from the engine: a setting dropped from the engine's list must fail here.
NOTICE_BY_SETTING = {
    "law_enforcement": True,
    "justice": True,
    "immigration_detention": True,
    "community": False,
    "school": False,
    "health": False,
    "social_services": False,
    "shelter": False,
    "hotline": False,
    "border": False,
    "humanitarian": False,
}


@pytest.mark.parametrize(("setting", "expected"), NOTICE_BY_SETTING.items())
@pytest.mark.parametrize("age", [15, 30])
def test_non_punishment_notice_by_setting(setting: str, expected: bool, age: int) -> None:
    """A child or adult held in immigration detention is in the justice system's hands too."""
    instrument = factories.ilo(adult=age >= 18)
    answers = _all_no(instrument, **_yes("D1.s0", "D1.s1", "D4.s0", "D4.s1"))
    result = score(
        instrument, ScreeningInput(answers=answers, age=age, act_recorded=True, setting=setting)
    )
    assert result.outcome in {"presumed_victim", "possible_victim"}
    notices = [n for n in result.notices if n.code == "non_punishment"]
    assert bool(notices) is expected
    if expected:
        assert ("child protection" in notices[0].text) is (age < 18)


def test_unknown_is_not_no() -> None:
    counted = factories.counted(threshold=2)
    answered = score(
        counted,
        ScreeningInput(
            answers={"q0": "yes", "q1": "no", "q2": "no", "q3": "no", "q4": "no", "q5": "no"},
            age=14,
        ),
    )
    assert answered.outcome == "no_indicators"
    open_ = score(counted, ScreeningInput(answers={"q0": "yes", "q1": "no", "q2": "no"}, age=14))
    assert open_.outcome == "insufficient_information"
    assert open_.could_change_with == ("q3", "q4", "q5")
    few = score(
        counted,
        ScreeningInput(
            answers={"q0": "yes", "q1": "no", "q2": "no", "q3": "no", "q4": "no"}, age=14
        ),
    )
    assert few.outcome == "no_indicators"  # one unknown is within the instrument's limit
    assert few.could_change_with == ("q5",)
    positive = score(counted, ScreeningInput(answers={"q0": "yes", "q1": "yes"}, age=14))
    assert positive.outcome == "possible_victim"  # already positive: unknowns cannot lower it
    assert positive.could_change_with == ()


def test_age_warnings_say_validated_only_where_a_study_validated_the_ages() -> None:
    counted = factories.counted()  # meant for 10-18, never validated
    assert score(counted, ScreeningInput(answers={}, age=25)).warnings[0].code == (
        "outside_intended_ages"
    )
    assert score(counted, ScreeningInput(answers={}, age=None)).warnings == ()
    assert score(counted, ScreeningInput(answers={}, age=14)).warnings == ()
    validated = factories.counted(validated=(12, 17))
    assert score(validated, ScreeningInput(answers={}, age=18)).warnings[0].code == (
        "outside_validated_ages"
    )
    assert score(validated, ScreeningInput(answers={}, age=None)).warnings[0].code == (
        "age_unknown"
    )


@pytest.mark.parametrize(
    ("given_input", "field"),
    [
        (ScreeningInput(answers={"nope": "yes"}, age=10), "answers.nope"),
        (ScreeningInput(answers={"q0": "maybe"}, age=10), "answers.q0"),
        (ScreeningInput(answers={}, age=-1), "age"),
        (ScreeningInput(answers={}, age=10, setting="moon"), "context.setting"),
    ],
)
def test_bad_input_names_the_field(given_input: ScreeningInput, field: str) -> None:
    with pytest.raises(ScreeningInputError) as error:
        score(factories.counted(), given_input)
    assert error.value.field == field


ILO = factories.ilo(adult=True, per_strength=2)
ITEM_IDS = [item.id for item in ILO.items]


@settings(max_examples=300, deadline=None)
@given(
    answers=st.fixed_dictionaries({item: st.sampled_from(["yes", "no"]) for item in ITEM_IDS}),
    flip=st.sampled_from(ITEM_IDS),
    age=st.one_of(st.none(), st.integers(min_value=0, max_value=90)),
    act=st.booleans(),
    strict=st.booleans(),
)
def test_observing_one_more_indicator_never_lowers_the_outcome(
    answers: dict[str, str], flip: str, age: int | None, act: bool, strict: bool
) -> None:
    rule = "ilo_strict" if strict else "legal"
    before = score(ILO, ScreeningInput(answers=answers, age=age, act_recorded=act), child_rule=rule)
    after = score(
        ILO,
        ScreeningInput(answers={**answers, flip: "yes"}, age=age, act_recorded=act),
        child_rule=rule,
    )
    assert SEVERITY[after.outcome] >= SEVERITY[before.outcome]
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert new.positive >= old.positive


COUNTED = factories.counted(threshold=2)


@settings(max_examples=200, deadline=None)
@given(
    answers=st.fixed_dictionaries({f"q{n}": st.sampled_from(["yes", "no"]) for n in range(6)}),
    flip=st.sampled_from([f"q{n}" for n in range(6)]),
)
def test_count_rule_is_monotone(answers: dict[str, str], flip: str) -> None:
    before = score(COUNTED, ScreeningInput(answers=answers, age=14))
    after = score(COUNTED, ScreeningInput(answers={**answers, flip: "yes"}, age=14))
    assert SEVERITY[after.outcome] >= SEVERITY[before.outcome]


def test_unknown_answers_never_take_away_what_the_known_answers_show() -> None:
    child = factories.ilo(adult=False)
    exploitation = {item.id: "yes" for item in child.items_in("D4")}
    only_known = score(
        child, ScreeningInput(answers=exploitation, age=15, setting="law_enforcement")
    )
    all_answered = score(
        child,
        ScreeningInput(answers=_all_no(child, **exploitation), age=15, setting="law_enforcement"),
    )
    assert only_known.outcome == all_answered.outcome == "possible_victim"
    assert [n.code for n in only_known.notices] == ["non_punishment"]
    assert only_known.urgency == all_answered.urgency
    assert only_known.could_change_with  # the unknowns could still make it 'presumed'


def test_a_police_screen_that_cannot_rule_trafficking_out_keeps_the_notice() -> None:
    counted = factories.counted(threshold=2)
    result = score(
        counted, ScreeningInput(answers={"q0": "yes"}, age=14, setting="law_enforcement")
    )
    assert result.outcome == "insufficient_information"
    assert [n.code for n in result.notices] == ["non_punishment"]
