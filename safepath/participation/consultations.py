"""Consultations as versioned data files, validated when loaded. No Django here.

``consultations/<id>/<version>.json`` is one version of one consultation (see
``consultation_schema.json``): the questions in English, French, Spanish and Arabic, the age
bands a child chooses from, and the age under which a parent or carer must agree too. A
consultation that children have answered keeps pointing at its version, so a new version is a
new file and the old one stays.

A broken file is refused with the file, the question and the reason, so a broken consultation
never reaches a child: a ``show_if`` that names a question that does not come earlier, an
option that does not exist, age bands that overlap or leave a gap, or a consent age that cuts
an age band in two.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

CONSULTATION_DIR = Path(__file__).with_name("consultations")
SCHEMA_FILE = Path(__file__).with_name("consultation_schema.json")
LANGUAGES = ("en", "fr", "es", "ar")
FACES = ("very_sad", "sad", "neutral", "happy", "very_happy")
CHOICE, SCALE, FREE_TEXT = "choice", "scale", "free_text"
DEFAULT_MAX_LENGTH = 600


class ConsultationError(ValueError):
    """A consultation file is broken: ``where`` names the file and the question or field."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class Text:
    """One text in the four languages; ``get`` falls back to English for any other language."""

    values: Mapping[str, str]

    def get(self, language: str) -> str:
        return self.values.get(language.split("-")[0].lower()) or self.values["en"]


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    face: str = ""


@dataclass(frozen=True)
class ShowIf:
    question: str
    answer_in: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: Text
    help: Text | None = None
    options: tuple[Option, ...] = ()
    show_if: ShowIf | None = None
    max_length: int = DEFAULT_MAX_LENGTH

    @property
    def has_options(self) -> bool:
        return self.type in (CHOICE, SCALE)

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


@dataclass(frozen=True)
class AgeBand:
    id: str
    min_age: int
    max_age: int


@dataclass(frozen=True)
class Consultation:
    id: str
    version: str
    title: Text
    purpose: Text
    source: str
    min_age: int
    max_age: int
    population: str
    age_bands: tuple[AgeBand, ...]
    caregiver_consent_below_age: int
    consent_note: str
    questions: tuple[Question, ...]
    file: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def question_ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questions)

    def band(self, band_id: str) -> AgeBand:
        for band in self.age_bands:
            if band.id == band_id:
                return band
        raise KeyError(band_id)

    def needs_caregiver_consent(self, band_id: str, *, national_age: int = 0) -> bool:
        """True when a child of this band must also have a parent's or carer's agreement: the
        band starts below the consultation's own age or the country's, whichever is higher."""
        return self.band(band_id).min_age < max(self.caregiver_consent_below_age, national_age)

    def shown(self, question: Question, answers: Mapping[str, str | None]) -> bool:
        """Whether ``question`` is asked, given the option ids chosen so far (None: skipped)."""
        if question.show_if is None:
            return True
        return answers.get(question.show_if.question) in question.show_if.answer_in


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _where(source: str, data: Mapping[str, Any], path: Iterable[Any]) -> str:
    """'file.json, question feel_safe, field options.2.label' from a JSON path."""
    parts = list(path)
    label = source
    if len(parts) >= 2 and parts[0] == "questions" and isinstance(parts[1], int):
        questions = data.get("questions") or []
        number = parts[1]
        question = questions[number] if number < len(questions) else {}
        name = question.get("id") if isinstance(question, dict) else None
        label += f", question {name or f'#{number + 1}'}"
        parts = parts[2:]
    if parts:
        label += ", field " + ".".join(str(part) for part in parts)
    return label


def _schema_error(source: str, data: Mapping[str, Any]) -> ConsultationError | None:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    first = errors[0]
    # A question matches none of the three shapes: say why against the shape its type names.
    if first.validator == "oneOf" and first.context:
        wanted = data["questions"][first.absolute_path[1]].get("type")
        narrowed = [e for e in first.context if list(e.schema_path)[:1] == [_branch(wanted)]]
        if narrowed:
            first = min(narrowed, key=lambda e: len(list(e.absolute_path)))
            return ConsultationError(_where(source, data, [*first.absolute_path]), first.message)
        return ConsultationError(
            _where(source, data, first.absolute_path),
            f"a question's type must be choice, scale or free_text (got {wanted!r})",
        )
    return ConsultationError(_where(source, data, first.absolute_path), first.message)


def _branch(question_type: Any) -> int:
    return {CHOICE: 0, SCALE: 1, FREE_TEXT: 2}.get(question_type, -1)


def _check_bands(source: str, data: Mapping[str, Any]) -> None:
    population = data["population"]
    where = f"{source}, field age_bands"
    if population["min_age"] > population["max_age"]:
        raise ConsultationError(f"{source}, field population", "min_age is above max_age")
    expected = population["min_age"]
    for band in data["age_bands"]:
        if band["id"] != f"{band['min_age']}-{band['max_age']}":
            raise ConsultationError(
                where,
                f"the band {band['id']!r} must be named after its ages, "
                f"{band['min_age']}-{band['max_age']}",
            )
        if band["min_age"] > band["max_age"]:
            raise ConsultationError(where, f"the band {band['id']} starts above its end")
        if band["min_age"] != expected:
            raise ConsultationError(
                where,
                f"the band {band['id']} should start at {expected}: bands run in order from "
                "population.min_age with no gap or overlap",
            )
        expected = band["max_age"] + 1
    if expected - 1 != population["max_age"]:
        raise ConsultationError(
            where, f"the last band must end at population.max_age ({population['max_age']})"
        )
    age = data["consent"]["caregiver_consent_below_age"]
    for band in data["age_bands"]:
        if band["min_age"] < age <= band["max_age"]:
            raise ConsultationError(
                f"{source}, field consent.caregiver_consent_below_age",
                f"{age} falls inside the band {band['id']}: it must be where a band starts, so "
                "the answer to 'how old are you' says whether a parent or carer must agree",
            )


def _check_questions(source: str, data: Mapping[str, Any]) -> None:
    earlier: dict[str, Mapping[str, Any]] = {}
    for question in data["questions"]:
        where = f"{source}, question {question['id']}"
        if question["id"] in earlier:
            raise ConsultationError(where, "the question id is used twice")
        options = [option["id"] for option in question.get("options", [])]
        if len(set(options)) != len(options):
            raise ConsultationError(f"{where}, field options", "two options share an id")
        if question["type"] == SCALE:
            faces = [option.get("face") for option in question["options"]]
            if None in faces:
                raise ConsultationError(
                    f"{where}, field options", "every option of a scale needs a face"
                )
        elif question["type"] == CHOICE and any("face" in o for o in question["options"]):
            raise ConsultationError(f"{where}, field options", "only a scale's options have faces")
        condition = question.get("show_if")
        if condition:
            target = earlier.get(condition["question"])
            if target is None:
                raise ConsultationError(
                    f"{where}, field show_if.question",
                    f"{condition['question']!r} is not an earlier question of this consultation",
                )
            if target["type"] == FREE_TEXT:
                raise ConsultationError(
                    f"{where}, field show_if.question",
                    f"{condition['question']!r} is a free-text question; a condition needs options",
                )
            known = {option["id"] for option in target["options"]}
            for answer in condition["answer_in"]:
                if answer not in known:
                    raise ConsultationError(
                        f"{where}, field show_if.answer_in",
                        f"{condition['question']!r} has no option {answer!r}",
                    )
        earlier[question["id"]] = question


def _text(values: Mapping[str, str]) -> Text:
    return Text({language: values[language].strip() for language in LANGUAGES})


def _question(data: Mapping[str, Any]) -> Question:
    condition = data.get("show_if")
    return Question(
        id=data["id"],
        type=data["type"],
        text=_text(data["text"]),
        help=_text(data["help"]) if "help" in data else None,
        options=tuple(
            Option(id=o["id"], label=_text(o["label"]), face=o.get("face", ""))
            for o in data.get("options", [])
        ),
        show_if=ShowIf(condition["question"], tuple(condition["answer_in"])) if condition else None,
        max_length=int(data.get("max_length", DEFAULT_MAX_LENGTH)),
    )


def parse(data: Any, *, source: str) -> Consultation:
    if not isinstance(data, dict):
        raise ConsultationError(source, "the file must hold one JSON object")
    error = _schema_error(source, data)
    if error is not None:
        raise error
    _check_bands(source, data)
    _check_questions(source, data)
    population = data["population"]
    return Consultation(
        id=data["id"],
        version=data["version"],
        title=_text(data["title"]),
        purpose=_text(data["purpose"]),
        source=data["source"],
        min_age=population["min_age"],
        max_age=population["max_age"],
        population=population["description"],
        age_bands=tuple(AgeBand(b["id"], b["min_age"], b["max_age"]) for b in data["age_bands"]),
        caregiver_consent_below_age=data["consent"]["caregiver_consent_below_age"],
        consent_note=data["consent"].get("note", ""),
        questions=tuple(_question(q) for q in data["questions"]),
        file=source,
        raw=data,
    )


def load_file(path: Path) -> Consultation:
    source = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ConsultationError(
            source, f"not valid JSON (line {error.lineno}): {error.msg}"
        ) from None
    except UnicodeDecodeError:
        raise ConsultationError(source, "the file is not UTF-8 text") from None
    consultation = parse(data, source=source)
    if path.parent.name != consultation.id or path.stem != consultation.version:
        raise ConsultationError(
            source,
            f"the file must be {consultation.id}/{consultation.version}.json (its id and version)",
        )
    return consultation


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """'2026.10' sorts after '2026.9': numbers as numbers, anything else as text."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"[.\-]", version)
    )


@cache
def catalogue(directory: Path = CONSULTATION_DIR) -> dict[str, Consultation]:
    """Every shipped consultation version by ``id@version``; any broken file stops loading."""
    found: dict[str, Consultation] = {}
    for path in sorted(directory.glob("*/*.json")):
        consultation = load_file(path)
        found[consultation.key] = consultation
    return found


def latest() -> dict[str, Consultation]:
    """The newest version of each consultation, by id (what a new consultation starts from)."""
    newest: dict[str, Consultation] = {}
    for consultation in catalogue().values():
        current = newest.get(consultation.id)
        if current is None or version_key(consultation.version) > version_key(current.version):
            newest[consultation.id] = consultation
    return dict(sorted(newest.items()))


def get(consultation_id: str, version: str) -> Consultation:
    try:
        return catalogue()[f"{consultation_id}@{version}"]
    except KeyError:
        raise ConsultationError(
            f"{consultation_id}@{version}", "no such consultation version"
        ) from None


def check_answers(
    consultation: Consultation, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check a whole set of answers (question id -> option id, text, or None for skipped).

    Returns (clean answers, errors by ``answers.<question id>``): an answer to a question that
    does not exist, an option a question does not offer, text that is too long, or an answer to
    a question the child was not asked (its ``show_if`` is not met) is an error; a question not
    answered at all counts as skipped.
    """
    errors: dict[str, list[str]] = {}
    known = set(consultation.question_ids())
    for question_id in answers:
        if question_id not in known:
            errors[f"answers.{question_id}"] = [
                f"This consultation ({consultation.key}) has no question {question_id!r}."
            ]
    chosen: dict[str, str | None] = {}
    clean: dict[str, Any] = {}
    for question in consultation.questions:
        value = answers.get(question.id)
        name = f"answers.{question.id}"
        if isinstance(value, str):
            value = value.strip() or None
        if not consultation.shown(question, chosen):
            if value is not None:
                errors[name] = ["This question is not asked after the earlier answer."]
            continue
        if value is None:
            clean[question.id] = None
            chosen[question.id] = None
            continue
        if not isinstance(value, str):
            errors[name] = ["An answer is an option id or text."]
            continue
        if question.has_options and value not in question.option_ids():
            errors[name] = [
                f"{value!r} is not an option of this question; options: "
                + ", ".join(question.option_ids())
                + "."
            ]
            continue
        if question.type == FREE_TEXT and len(value) > question.max_length:
            errors[name] = [f"At most {question.max_length} characters (got {len(value)})."]
            continue
        clean[question.id] = value
        chosen[question.id] = value if question.has_options else None
    return clean, errors
