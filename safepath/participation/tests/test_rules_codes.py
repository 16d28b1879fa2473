"""The rules files, tracking codes and the reviewer's hints: pure functions."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from safepath.participation import codes, redaction, rules


def test_shipped_rules_load_with_their_sources() -> None:
    consent = rules.load_consent_rules()
    assert consent.below_age("FR") == 15
    assert consent.below_age("ke") == 18
    assert consent.below_age("ZZ") == consent.default_below_age == 16
    deadlines = rules.load_deadlines()
    received = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    acknowledge, respond = deadlines.due("safeguarding", received)
    assert acknowledge - received == datetime.timedelta(hours=24)
    assert respond - received == datetime.timedelta(days=7)
    assert "Regulations" in deadlines.source


def test_a_broken_deadline_file_names_the_field(tmp_path: Path) -> None:
    data = json.loads(rules.DEADLINES_FILE.read_text(encoding="utf-8"))
    data["kinds"]["complaint"]["acknowledge_within_hours"] = 0
    path = tmp_path / "feedback_deadlines.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"kinds\.complaint\.acknowledge_within_hours"):
        rules.load_deadlines(path)


def test_a_response_due_before_the_acknowledgement_is_refused(tmp_path: Path) -> None:
    data = json.loads(rules.DEADLINES_FILE.read_text(encoding="utf-8"))
    data["kinds"]["compliment"] = {"acknowledge_within_hours": 48, "respond_within_hours": 24}
    path = tmp_path / "feedback_deadlines.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"kinds\.compliment"):
        rules.load_deadlines(path)


def test_a_country_must_be_two_capital_letters(tmp_path: Path) -> None:
    data = json.loads(rules.CONSENT_FILE.read_text(encoding="utf-8"))
    data["countries"]["France"] = 15
    path = tmp_path / "consent_rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"consent_rules\.json"):
        rules.load_consent_rules(path)


def test_codes_are_twelve_unambiguous_characters_in_three_groups() -> None:
    code = codes.new_code()
    assert len(code) == 14
    assert code.count("-") == 2
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert not set("01OIL") & set(codes.ALPHABET)
    assert codes.new_code() != code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("k7mq-2hbr-9txw", "K7MQ2HBR9TXW"),
        (" K7MQ 2HBR 9TXW ", "K7MQ2HBR9TXW"),
        ("K7MQ2HBR9TX", None),
        ("K7MQ-2HBR-9TX0", None),
        ("x" * 500, None),
        ("", None),
    ],
)
def test_normalise(typed: str, expected: str | None) -> None:
    assert codes.normalise(typed) == expected


def test_the_reviewer_is_shown_what_may_identify_someone() -> None:
    text = "My worker Joseph at Kibera said call 0712 345 678 or mail me@example.org. Ok."
    found = [(hint.kind, hint.text) for hint in redaction.hints(text)]
    assert ("capitalised", "Joseph") in found
    assert ("capitalised", "Kibera") in found
    assert ("number", "0712 345 678") in found
    assert ("email", "me@example.org") in found
    assert ("capitalised", "My") not in found
    assert ("capitalised", "Ok") not in found  # a sentence's first word
