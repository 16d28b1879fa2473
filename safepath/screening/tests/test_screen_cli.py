"""`safepath screen list | describe | run`: JSON only on stdout, errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safepath.testing.fixtures import call_cli

SSCST_ITEMS = (
    "substance_use",
    "ran_away",
    "police_contact",
    "sti",
    "many_partners",
    "serious_injury",
)


def _call(*args: str) -> tuple[int, str, str]:
    return call_cli("screen", *args)


def test_list_and_describe() -> None:
    code, out, _ = _call("list", "--format", "json")
    assert code == 0
    assert "sscst-6" in [row["id"] for row in json.loads(out)]
    code, out, _ = _call("describe", "sscst-6", "--format", "json")
    described = json.loads(out)
    assert described["items"][0] == {
        "id": "substance_use",
        "dimension": "indicators",
        "text": described["items"][0]["text"],
        "help": described["items"][0]["help"],
    }
    assert _call("describe", "nope")[0] == 2


def _answers(tmp_path: Path, document: object) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return str(path)


def test_run_one_object_and_an_array(tmp_path: Path) -> None:
    one = {
        "age": 15,
        "answers": {"substance_use": "yes", "ran_away": "yes"},
        "context": {"setting": "law_enforcement"},
    }
    code, out, _ = _call("run", "sscst-6", "--answers", _answers(tmp_path, one), "--format", "json")
    result = json.loads(out)
    assert code == 0
    assert result["outcome"] == "possible_victim"
    assert [n["code"] for n in result["notices"]] == ["non_punishment"]
    many = [
        one,
        {
            "age": 12,
            "answers": dict.fromkeys(
                (
                    "substance_use",
                    "ran_away",
                    "police_contact",
                    "sti",
                    "many_partners",
                    "serious_injury",
                ),
                "no",
            ),
        },
    ]
    code, out, _ = _call(
        "run", "sscst-6", "--answers", _answers(tmp_path, many), "--format", "json"
    )
    assert [r["outcome"] for r in json.loads(out)] == ["possible_victim", "no_indicators"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            [{"age": 15, "answers": {}}, {"age": 15, "answers": {"bogus": "yes"}}],
            "object 1, field answers.bogus",
        ),
        ([{"age": 15, "answers": {"sti": "perhaps"}}], "object 0, field answers.sti"),
        ({"answers": {"sti": "yes"}}, "the object, field age"),
        ("{not json", "malformed JSON at line 1"),
        ([{"age": "fifteen", "answers": {}}], "object 0, field age"),
        (
            [{"age": 15, "answers": {}, "context": {"setting": "moon"}}],
            "object 0, field context.setting",
        ),
    ],
)
def test_bad_answers_exit_2_with_the_place_and_no_output(
    tmp_path: Path, document: object, message: str
) -> None:
    code, out, err = _call(
        "run", "sscst-6", "--answers", _answers(tmp_path, document), "--format", "json"
    )
    assert code == 2
    assert out == ""
    assert message in err
