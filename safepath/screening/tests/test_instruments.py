"""Every shipped instrument file loads and validates; a broken file is refused with the file,
the item and the reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from safepath.screening import instruments, translations
from safepath.screening.instruments import InstrumentError, load_file

SHIPPED = sorted(path.stem for path in instruments.INSTRUMENT_DIR.glob("*.json"))
REQUIRED = {
    "sscst-6",
    "qyit-4",
    "child-risk",
    "ilo-child-labour",
    "ilo-child-sexual",
    "ilo-adult-labour",
    "ilo-adult-sexual",
}


def test_the_issue_s_instruments_are_all_shipped() -> None:
    assert set(instruments.catalogue()) >= REQUIRED


@pytest.mark.parametrize("instrument_id", SHIPPED)
def test_each_shipped_file_loads(instrument_id: str) -> None:
    instrument = load_file(instruments.INSTRUMENT_DIR / f"{instrument_id}.json")
    assert instrument.id == instrument_id
    assert instrument.items
    assert all(item.text.rstrip().endswith("?") for item in instrument.items), (
        "every item is asked as a question"
    )


def test_ilo_lists_have_six_dimensions_and_graded_indicators() -> None:
    for instrument_id in (
        "ilo-child-labour",
        "ilo-child-sexual",
        "ilo-adult-labour",
        "ilo-adult-sexual",
    ):
        instrument = instruments.get(instrument_id)
        assert [d.id for d in instrument.dimensions] == ["D1", "D2", "D3", "D4", "D5", "D6"]
        assert {item.strength for item in instrument.items} <= {"strong", "medium", "weak"}
        assert instrument.rule == "ilo_delphi"
    assert instruments.get("ilo-adult-labour").child_variant == "ilo-child-labour"


def test_translation_files_load() -> None:
    for found in translations.check_all():
        language, instrument_id = found.split("/")
        assert instrument_id in instruments.catalogue()
        assert language in {"fr", "es", "ar"}


def _sscst() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (instruments.INSTRUMENT_DIR / "sscst-6.json").read_text(encoding="utf-8")
    )
    return data


def _write(tmp_path: Path, data: dict[str, Any] | str, name: str = "sscst-6.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _broken(**change: Any) -> dict[str, Any]:
    data = _sscst()
    data.update(change)
    return data


@pytest.mark.parametrize(
    ("mutate", "where", "reason"),
    [
        (
            lambda d: d["items"][1].update(dimension="nowhere"),
            "sscst-6.json, item ran_away",
            "unknown dimension",
        ),
        (
            lambda d: d["items"][2].pop("text"),
            "sscst-6.json, item police_contact",
            "'text' is a required property",
        ),
        (
            lambda d: d["items"][3].update(strength="huge"),
            "sscst-6.json, item sti, field strength",
            "is not one of",
        ),
        (
            lambda d: d["items"].append(dict(d["items"][0])),
            "sscst-6.json, item substance_use",
            "used twice",
        ),
        (
            lambda d: d["validation"][0].update(tp=24),
            "sscst-6.json, field validation.0",
            "sums to 109",
        ),
        (
            lambda d: d["outcomes"].pop("no_indicators"),
            "sscst-6.json, field outcomes",
            "no_indicators",
        ),
        (
            lambda d: d["population"].update(min_age=30),
            "sscst-6.json, field population",
            "min_age is above max_age",
        ),
        (lambda d: d.update(colour="blue"), "sscst-6.json", "Additional properties"),
    ],
)
def test_a_broken_file_is_refused_with_file_item_and_reason(
    tmp_path: Path, mutate: Any, where: str, reason: str
) -> None:
    data = _sscst()
    mutate(data)
    with pytest.raises(InstrumentError) as error:
        load_file(_write(tmp_path, data))
    assert error.value.where == where
    assert reason in error.value.reason


def test_malformed_json_and_wrong_file_name(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="not valid JSON"):
        load_file(_write(tmp_path, "{ nope"))
    with pytest.raises(InstrumentError, match="file name must be the id"):
        load_file(_write(tmp_path, _sscst(), name="other.json"))


def test_an_ilo_item_without_strength_is_refused(tmp_path: Path) -> None:
    data = json.loads((instruments.INSTRUMENT_DIR / "ilo-child-labour.json").read_text())
    del data["items"][0]["strength"]
    with pytest.raises(InstrumentError, match="needs a strength"):
        load_file(_write(tmp_path, data, name="ilo-child-labour.json"))
