"""Scoring a screening exactly as the instrument's authors defined it, with an explanation.

Pure functions, no Django. "Unknown" is never read as "no": every rule is evaluated twice,
with the unknown answers as "no" (what is known) and as "yes" (what they could still show).
When the two disagree and too many answers are unknown, the outcome is
``insufficient_information``; otherwise the known result stands and the explanation lists the
unknown answers that could still raise it.

Safeguards are rules here, not advice:
- presumption of minority: with the age unknown or disputed, child rules apply;
- non-punishment: a presumed or possible victim screened by police or justice staff gets a
  non-punishment notice in the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from safepath.screening.instruments import Instrument, Item, Recommendation

Answer = Literal["yes", "no", "unknown"]
ANSWERS: tuple[str, ...] = ("yes", "no", "unknown")
ADULT_AGE = 18
SEVERITY = {"no_indicators": 0, "at_risk": 1, "possible_victim": 2, "presumed_victim": 3}
JUSTICE_SETTINGS = frozenset({"law_enforcement", "justice", "immigration_detention"})
SETTINGS = frozenset(
    {
        "community",
        "school",
        "health",
        "social_services",
        "shelter",
        "hotline",
        "border",
        "humanitarian",
        *JUSTICE_SETTINGS,
    }
)
ChildRule = Literal["legal", "ilo_strict"]


class ScreeningInputError(ValueError):
    """Bad input to a screening: ``field`` names what is wrong."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class ScreeningInput:
    answers: Mapping[str, str]
    age: int | None
    age_disputed: bool = False
    act_recorded: bool | None = None
    setting: str = "community"


@dataclass(frozen=True)
class DimensionResult:
    id: str
    title: str
    role: str
    positive: bool
    could_become_positive: bool
    strong: int = 0
    medium: int = 0
    weak: int = 0
    observed: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    code: str
    text: str


@dataclass(frozen=True)
class ScreeningResult:
    instrument: str
    version: str
    outcome: str
    rule: str
    dimensions: tuple[DimensionResult, ...]
    observed: tuple[str, ...]
    unknown: tuple[str, ...]
    could_change_with: tuple[str, ...]
    score: int | None
    band: str | None
    urgency: str
    pathways: tuple[str, ...]
    action: str
    warnings: tuple[Notice, ...] = ()
    notices: tuple[Notice, ...] = ()
    safeguards: tuple[str, ...] = ()
    explanation: tuple[str, ...] = field(default_factory=tuple)
    # Where the strengths came from (ILO lists): {"status", "source", "table"}; None otherwise.
    grades: Mapping[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- the ILO/EC Delphi rule (2009) ------------------------------------------------------------


def dimension_positive(strong: int, medium: int, weak: int) -> bool:
    """ILO/EC (2009): two strong; or one strong and one medium or weak; or three medium;
    or two medium and one weak."""
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


def trafficking_elements_met(
    positive_roles: Mapping[str, bool], *, adult: bool, act_recorded: bool, child_rule: ChildRule
) -> bool:
    """Combine dimension results. Adults: recruitment AND exploitation AND destination.
    Children: the means are not required; by default exploitation AND an act recorded; the
    ILO-strict variant asks exploitation AND a positive recruitment dimension."""
    recruitment = positive_roles.get("recruitment", False)
    exploitation = positive_roles.get("exploitation", False)
    destination = positive_roles.get("destination", False)
    if adult:
        return recruitment and exploitation and destination
    if child_rule == "ilo_strict":
        return exploitation and recruitment
    return exploitation and act_recorded


def _count(
    items: tuple[Item, ...], answers: Mapping[str, str], unknown_as_yes: bool
) -> tuple[int, int, int]:
    counts = {"strong": 0, "medium": 0, "weak": 0}
    for item in items:
        answer = answers.get(item.id, "unknown")
        if answer == "yes" or (unknown_as_yes and answer == "unknown"):
            counts[item.strength or "weak"] += 1
    return counts["strong"], counts["medium"], counts["weak"]


def _ilo(
    instrument: Instrument, given: ScreeningInput, adult: bool, child_rule: ChildRule
) -> tuple[str, str, tuple[DimensionResult, ...]]:
    dimensions = []
    known_roles: dict[str, bool] = {}
    open_roles: dict[str, bool] = {}
    for dimension in instrument.dimensions:
        items = instrument.items_in(dimension.id)
        s, m, w = _count(items, given.answers, unknown_as_yes=False)
        positive = dimension_positive(s, m, w)
        could = dimension_positive(*_count(items, given.answers, unknown_as_yes=True))
        known_roles[dimension.role] = known_roles.get(dimension.role, False) or positive
        open_roles[dimension.role] = open_roles.get(dimension.role, False) or could
        dimensions.append(
            DimensionResult(
                id=dimension.id,
                title=dimension.title,
                role=dimension.role,
                positive=positive,
                could_become_positive=could and not positive,
                strong=s,
                medium=m,
                weak=w,
                observed=tuple(i.id for i in items if given.answers.get(i.id) == "yes"),
                unknown=tuple(
                    i.id for i in items if given.answers.get(i.id, "unknown") == "unknown"
                ),
            )
        )
    act = bool(given.act_recorded)

    def outcome(roles: Mapping[str, bool], any_observed: bool, act_known: bool) -> str:
        if trafficking_elements_met(
            roles, adult=adult, act_recorded=act_known, child_rule=child_rule
        ):
            return "presumed_victim"
        if any(roles.values()):
            return "possible_victim"
        return "at_risk" if any_observed else "no_indicators"

    observed = any(given.answers.get(item.id) == "yes" for item in instrument.items)
    could_observe = any(given.answers.get(item.id, "unknown") != "no" for item in instrument.items)
    act_open = given.act_recorded is None or act
    known = outcome(known_roles, observed, act)
    upper = outcome(open_roles, could_observe, act_open)
    return known, upper, tuple(dimensions)


# --- count threshold (SSCST-6, QYIT-4) and weighted sum (child-risk) ----------------------------


def _count_threshold(instrument: Instrument, given: ScreeningInput) -> tuple[str, str, int]:
    threshold = int(instrument.scoring["threshold"])
    yes = sum(given.answers.get(item.id) == "yes" for item in instrument.items)
    unknown = sum(given.answers.get(item.id, "unknown") == "unknown" for item in instrument.items)
    known = "possible_victim" if yes >= threshold else "no_indicators"
    upper = "possible_victim" if yes + unknown >= threshold else "no_indicators"
    return known, upper, yes


def _band(instrument: Instrument, score: int) -> Mapping[str, Any]:
    bands = instrument.scoring["bands"]
    chosen = bands[0]
    for band in bands:
        if score >= band["min_score"]:
            chosen = band
    return dict(chosen)


def _weighted(
    instrument: Instrument, given: ScreeningInput
) -> tuple[str, str, int, Mapping[str, Any]]:
    def total(unknown_as_yes: bool) -> int:
        return sum(
            item.weight or 0
            for item in instrument.items
            if given.answers.get(item.id) == "yes"
            or (unknown_as_yes and given.answers.get(item.id, "unknown") == "unknown")
        )

    score = total(unknown_as_yes=False)
    band = _band(instrument, score)
    upper = _band(instrument, total(unknown_as_yes=True))
    return str(band["outcome"]), str(upper["outcome"]), score, {**band, "upper": upper["band"]}


def _plain_dimensions(instrument: Instrument, given: ScreeningInput) -> tuple[DimensionResult, ...]:
    """Per-dimension view for counted and weighted instruments: what was seen where."""
    results = []
    for dimension in instrument.dimensions:
        items = instrument.items_in(dimension.id)
        observed = tuple(i.id for i in items if given.answers.get(i.id) == "yes")
        unknown = tuple(i.id for i in items if given.answers.get(i.id, "unknown") == "unknown")
        results.append(
            DimensionResult(
                id=dimension.id,
                title=dimension.title,
                role=dimension.role,
                positive=bool(observed),
                could_become_positive=not observed and bool(unknown),
                observed=observed,
                unknown=unknown,
            )
        )
    return tuple(results)


# --- the whole screening -----------------------------------------------------------------------


def check_input(instrument: Instrument, given: ScreeningInput) -> None:
    known = {item.id for item in instrument.items}
    for item_id, answer in given.answers.items():
        if item_id not in known:
            raise ScreeningInputError(
                f"answers.{item_id}", f"{instrument.id} has no item {item_id!r}"
            )
        if answer not in ANSWERS:
            raise ScreeningInputError(
                f"answers.{item_id}", f"answer {answer!r} is not yes, no or unknown"
            )
    if given.age is not None and not 0 <= given.age <= 120:
        raise ScreeningInputError("age", f"{given.age} is not an age in years")
    if given.setting not in SETTINGS:
        raise ScreeningInputError(
            "context.setting",
            f"unknown setting {given.setting!r}; use one of " + ", ".join(sorted(SETTINGS)),
        )


def presumed_child(given: ScreeningInput) -> bool:
    """Presumption of minority: a child until an age assessment concludes otherwise."""
    return given.age is None or given.age_disputed or given.age < ADULT_AGE


UNVERIFIED_GRADES = "unverified_grades"


def grades_warning(instrument: Instrument) -> Notice | None:
    """The warning every result of a list with unverified strengths carries."""
    if instrument.grades is None or instrument.grades.verified:
        return None
    return Notice(
        UNVERIFIED_GRADES,
        f"Unverified strengths: the indicator strengths of {instrument.title} are not "
        "transcribed from the published ILO/EC (2009) tables, so this outcome may be wrong in "
        "either direction. Use it to decide what to ask and whom to refer to, never as a "
        f"finding. Source of the strengths used: {instrument.grades.source}",
    )


def _warnings(instrument: Instrument, given: ScreeningInput) -> list[Notice]:
    """Say when the strengths are unverified, and when the person is outside the ages the
    instrument was validated (or meant) for."""
    unverified = grades_warning(instrument)
    return ([unverified] if unverified else []) + _age_warnings(instrument, given)


def _age_warnings(instrument: Instrument, given: ScreeningInput) -> list[Notice]:
    population = instrument.population
    validated = "validated_min_age" in population and "validated_max_age" in population
    low = population.get("validated_min_age", population["min_age"])
    high = population.get("validated_max_age", population["max_age"])
    if given.age is None:
        if not validated:
            return []
        return [
            Notice(
                "age_unknown",
                f"{instrument.title} was validated for ages {low} to "
                f"{high}; the age is not known, so read the result with care.",
            )
        ]
    if low <= given.age <= high:
        return []
    if validated:
        return [
            Notice(
                "outside_validated_ages",
                f"{instrument.title} was validated for ages "
                f"{low} to {high} only; this person is {given.age}. The result is "
                "indicative, not validated.",
            )
        ]
    return [
        Notice(
            "outside_intended_ages",
            f"{instrument.title} is meant for ages {low} to "
            f"{high}; this person is {given.age}. Consider the list for their age.",
        )
    ]


def score(
    instrument: Instrument, given: ScreeningInput, *, child_rule: ChildRule = "legal"
) -> ScreeningResult:
    """Score one screening. Raises ScreeningInputError for input the instrument cannot take."""
    check_input(instrument, given)
    safeguards: list[str] = []
    adult = instrument.for_adults and not presumed_child(given)
    if instrument.for_adults and not adult:
        safeguards.append("presumption_of_minority")
    dimensions: tuple[DimensionResult, ...] = ()
    points: int | None = None
    band: Mapping[str, Any] | None = None
    if instrument.rule == "ilo_delphi":
        known, upper, dimensions = _ilo(instrument, given, adult, child_rule)
    elif instrument.rule == "count_threshold":
        known, upper, points = _count_threshold(instrument, given)
        dimensions = _plain_dimensions(instrument, given)
    else:
        known, upper, points, band = _weighted(instrument, given)
        dimensions = _plain_dimensions(instrument, given)

    unknown = tuple(
        i.id for i in instrument.items if given.answers.get(i.id, "unknown") == "unknown"
    )
    fraction = len(unknown) / len(instrument.items)
    limit = float(instrument.scoring.get("max_unknown_fraction", 1 / 3))
    band_could_rise = band is not None and band["upper"] != band["band"]
    undetermined = SEVERITY[upper] > SEVERITY[known] or band_could_rise
    # Too many unknowns only ever replace "no indicators": what the known answers already show
    # (and the safeguards it brings) is never taken away by the questions not answered.
    too_open = undetermined and fraction > limit and known == "no_indicators"
    outcome = "insufficient_information" if too_open else known
    recommendation: Recommendation = instrument.outcomes[outcome]
    urgency = recommendation.urgency
    action = recommendation.action
    pathways = recommendation.pathways
    if band is not None and outcome == known:
        urgency = str(band.get("urgency", urgency))
        action = str(band.get("action", action))
    urgent_items = [i.id for i in instrument.items if i.urgent and given.answers.get(i.id) == "yes"]
    if urgent_items:
        urgency = "immediate"

    child = presumed_child(given)
    if "presumption_of_minority" in safeguards and "child_protection" not in pathways:
        pathways = ("child_protection", *(p for p in pathways if p != "none"))
    notices = []
    victim_outcomes = {"presumed_victim", "possible_victim"}
    not_ruled_out = outcome in victim_outcomes or (
        outcome == "insufficient_information" and upper in victim_outcomes
    )
    if given.setting in JUSTICE_SETTINGS and not_ruled_out:
        who = "child" if child else "person"
        notices.append(
            Notice(
                "non_punishment",
                f"Non-punishment: this {who} may be a victim of trafficking. Do not arrest, "
                f"charge, detain or penalise the {who} for acts they were made to commit as a "
                "result of "
                "being trafficked; refer "
                + ("to child protection now." if child else "to victim support now."),
            )
        )
    if "presumption_of_minority" in safeguards:
        notices.append(
            Notice(
                "presumption_of_minority",
                "The age is unknown, disputed or under 18: the person is treated as a child (child "
                "rules and a child-protection referral) until an age assessment concludes.",
            )
        )
    return ScreeningResult(
        instrument=instrument.id,
        version=instrument.version,
        outcome=outcome,
        rule=_rule_text(instrument, adult, child_rule),
        dimensions=dimensions,
        observed=tuple(i.id for i in instrument.items if given.answers.get(i.id) == "yes"),
        unknown=unknown,
        could_change_with=unknown if undetermined else (),
        score=points,
        band=str(band["band"]) if band else None,
        urgency=urgency,
        pathways=pathways,
        action=action,
        warnings=tuple(_warnings(instrument, given)),
        notices=tuple(notices),
        safeguards=tuple(safeguards),
        explanation=tuple(
            _explain(instrument, outcome, known, upper, dimensions, points, unknown, urgent_items)
        ),
        grades=instrument.grades.to_dict() if instrument.grades else None,
    )


def _rule_text(instrument: Instrument, adult: bool, child_rule: ChildRule) -> str:
    if instrument.rule == "count_threshold":
        return f"positive at {instrument.scoring['threshold']} or more 'yes' answers"
    if instrument.rule == "weighted_sum":
        return "sum of the weights of the factors present, read against the bands"
    if adult:
        return "adult: recruitment AND exploitation AND coercion or abuse at destination"
    if child_rule == "ilo_strict":
        return "child (ILO strict): exploitation AND a recruitment dimension"
    return "child: exploitation AND an act (recruitment, transport, transfer, harbouring, receipt)"


def _explain(
    instrument: Instrument,
    outcome: str,
    known: str,
    upper: str,
    dimensions: tuple[DimensionResult, ...],
    points: int | None,
    unknown: tuple[str, ...],
    urgent: list[str],
) -> list[str]:
    lines = []
    for dimension in dimensions:
        if instrument.rule == "ilo_delphi":
            state = "positive" if dimension.positive else "not positive"
            counts = (
                f"{dimension.strong} strong, {dimension.medium} medium, "
                f"{dimension.weak} weak observed"
            )
        else:
            state = "present" if dimension.positive else "none seen"
            counts = f"{len(dimension.observed)} of {len(instrument.items_in(dimension.id))}"
        change = "; unknown answers could change this" if dimension.could_become_positive else ""
        lines.append(f"{dimension.title}: {state} ({counts}){change}")
    if points is not None:
        lines.append(f"Score: {points}.")
    if outcome == "insufficient_information":
        lines.append(
            f"{len(unknown)} of {len(instrument.items)} answers are unknown, and they "
            f"could change the outcome from {known} to {upper}: ask them again."
        )
    elif SEVERITY.get(upper, 0) > SEVERITY.get(known, 0):
        lines.append(f"Unknown answers could still raise the outcome to {upper}.")
    if urgent:
        lines.append("Urgent factor present: " + ", ".join(urgent) + ".")
    return lines
