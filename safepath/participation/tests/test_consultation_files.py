"""Consultation files as data: the shipped ones load, and every kind of broken file is refused
with the file, the question and the reason. Pure: no database."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepath.participation import consultations
from safepath.participation.consultations import ConsultationError, check_answers, parse

SHIPPED = consultations.CONSULTATION_DIR / "services-experience" / "2026.1.json"


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


def refused(data: dict[str, Any]) -> ConsultationError:
    with pytest.raises(ConsultationError) as caught:
        parse(data, source="test.json")
    return caught.value


def test_every_shipped_file_loads_in_four_languages() -> None:
    found = consultations.catalogue()
    assert set(found) == {"services-experience@2026.1", "feeling-safe-young@2026.1"}
    for consultation in found.values():
        for question in consultation.questions:
            assert all(question.text.values[lang] for lang in consultations.LANGUAGES)
            for option in question.options:
                assert all(option.label.values[lang] for lang in consultations.LANGUAGES)
        assert consultation.source


def test_a_scale_for_young_children_has_a_face_on_every_answer() -> None:
    young = consultations.latest()["feeling-safe-young"]
    scales = [q for q in young.questions if q.type == consultations.SCALE]
    assert scales
    assert all(option.face in consultations.FACES for q in scales for option in q.options)


def test_a_broken_question_reference_names_the_question_and_the_field() -> None:
    data = shipped()
    data["questions"][2]["show_if"]["question"] = "listend"
    error = refused(data)
    assert error.where == "test.json, question listen_better, field show_if.question"
    assert "'listend' is not an earlier question" in error.reason


def test_a_reference_to_a_later_question_is_refused() -> None:
    data = shipped()
    data["questions"][2]["show_if"] = {"question": "one_change", "answer_in": ["x"]}
    assert "not an earlier question" in refused(data).reason


def test_a_condition_on_an_option_that_does_not_exist() -> None:
    data = shipped()
    data["questions"][2]["show_if"]["answer_in"] = ["no", "never"]
    error = refused(data)
    assert error.where.endswith("field show_if.answer_in")
    assert "no option 'never'" in error.reason


def test_a_condition_on_a_written_question_is_refused() -> None:
    data = shipped()
    data["questions"][6]["show_if"] = {"question": "listen_better", "answer_in": ["x"]}
    assert "free-text" in refused(data).reason


def test_a_missing_language_names_the_question_and_field() -> None:
    data = shipped()
    del data["questions"][1]["text"]["ar"]
    error = refused(data)
    assert error.where == "test.json, question listened, field text"
    assert "'ar' is a required property" in error.reason


def test_a_scale_option_without_its_face_is_refused() -> None:
    data = shipped()
    del data["questions"][0]["options"][2]["face"]
    assert "every option of a scale needs a face" in refused(data).reason


def test_an_unknown_question_type_is_named() -> None:
    data = shipped()
    data["questions"][1]["type"] = "slider"
    error = refused(data)
    assert "question listened" in error.where
    assert "choice, scale or free_text" in error.reason


def test_the_same_question_id_twice() -> None:
    data = shipped()
    data["questions"].append(copy.deepcopy(data["questions"][1]))
    assert refused(data).reason == "the question id is used twice"


@pytest.mark.parametrize(
    ("bands", "reason"),
    [
        (
            [
                {"id": "12-14", "min_age": 12, "max_age": 14},
                {"id": "16-17", "min_age": 16, "max_age": 17},
            ],
            "should start at 15",
        ),
        (
            [
                {"id": "12-15", "min_age": 12, "max_age": 15},
                {"id": "15-17", "min_age": 15, "max_age": 17},
            ],
            "should start at 16",
        ),
        ([{"id": "12-16", "min_age": 12, "max_age": 16}], "must end at population.max_age"),
        ([{"id": "twelve", "min_age": 12, "max_age": 17}], "does not match"),
    ],
)
def test_age_bands_run_without_gap_or_overlap(bands: list[dict[str, Any]], reason: str) -> None:
    data = shipped()
    data["age_bands"] = bands
    assert reason in refused(data).reason


def test_the_consent_age_may_not_cut_a_band_in_two() -> None:
    data = shipped()
    data["consent"]["caregiver_consent_below_age"] = 14
    error = refused(data)
    assert error.where.endswith("consent.caregiver_consent_below_age")
    assert "inside the band 12-15" in error.reason


def test_file_name_must_be_id_and_version(tmp_path: Path) -> None:
    folder = tmp_path / "services-experience"
    folder.mkdir()
    (folder / "2025.json").write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConsultationError, match=r"must be services-experience/2026\.1\.json"):
        consultations.load_file(folder / "2025.json")


def test_not_json_names_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "1.json").write_text('{"id": "x",\n oops}', encoding="utf-8")
    with pytest.raises(ConsultationError, match=r"x/1.json: not valid JSON \(line 2\)"):
        consultations.load_file(folder / "1.json")


def test_caregiver_consent_follows_the_higher_of_the_two_ages() -> None:
    found = consultations.latest()["services-experience"]
    assert found.needs_caregiver_consent("12-15")
    assert not found.needs_caregiver_consent("16-17")
    assert not found.needs_caregiver_consent("16-17", national_age=13)
    assert found.needs_caregiver_consent("16-17", national_age=18)


def test_versions_sort_as_numbers() -> None:
    assert consultations.version_key("2026.10") > consultations.version_key("2026.9")


# --- a whole set of answers, as the facilitator's entry checks it -----------------------------

SERVICES = consultations.latest()["services-experience"]


def test_an_answer_to_a_question_that_does_not_exist_is_named() -> None:
    _clean, errors = check_answers(SERVICES, {"felt_safe": "very", "favourite_colour": "blue"})
    assert errors == {
        "answers.favourite_colour": [
            "This consultation (services-experience@2026.1) has no question 'favourite_colour'."
        ]
    }


def test_an_option_a_question_does_not_offer() -> None:
    _clean, errors = check_answers(SERVICES, {"felt_safe": "ecstatic"})
    assert "not an option of this question" in errors["answers.felt_safe"][0]


def test_an_answer_to_a_question_not_asked() -> None:
    _clean, errors = check_answers(SERVICES, {"listened": "yes", "listen_better": "More time"})
    assert errors == {
        "answers.listen_better": ["This question is not asked after the earlier answer."]
    }


def test_unanswered_questions_count_as_skipped_and_conditions_follow() -> None:
    clean, errors = check_answers(SERVICES, {"listened": "no", "listen_better": " Ask me "})
    assert errors == {}
    assert clean["listen_better"] == "Ask me"
    assert clean["felt_safe"] is None
    assert "listen_better" in clean


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=12), st.one_of(st.none(), st.text(max_size=20)), max_size=6
    )
)
def test_nothing_unknown_ever_passes(answers: dict[str, str | None]) -> None:
    clean, errors = check_answers(SERVICES, answers)
    known = set(SERVICES.question_ids())
    for question_id in answers:
        if question_id not in known:
            assert f"answers.{question_id}" in errors
    for question_id, value in clean.items():
        question = SERVICES.question(question_id)
        if value is not None and question.has_options:
            assert value in question.option_ids()
