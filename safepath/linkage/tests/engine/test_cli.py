"""``safepath link`` and ``safepath pprl``: outputs, and exit code 2 with a clear message."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safepath.testing.fixtures import call_cli

FIXTURES = Path(__file__).parent / "fixtures"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


@pytest.mark.slow
def test_link_dedupe_writes_one_row_per_match(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    rows = _rows(FIXTURES / "children_3scripts.csv")
    child = rows[0].index("child")
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([r[:child] + r[child + 1 :] for r in rows])
    out = tmp_path / "pairs.csv"
    code, stdout, _ = call_cli(
        "link",
        "dedupe",
        "--input",
        str(source),
        "--output",
        str(out),
        "--threshold",
        "0.9",
        "--format",
        "json",
    )
    assert code == 0
    written = _rows(out)
    assert written[0] == ["id_1", "id_2", "match_probability"]
    assert len(written) > 30
    assert all(float(r[2]) >= 0.9 for r in written[1:])
    assert json.loads(stdout)["pairs"] == len(written) - 1


@pytest.mark.slow
def test_link_between_with_mapping(tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    code, stdout, _ = call_cli(
        "link",
        "between",
        "--left",
        str(FIXTURES / "partner_export.csv"),
        "--right",
        str(FIXTURES / "partner_export.csv"),
        "--output",
        str(out),
        "--mapping",
        str(FIXTURES / "partner_mapping.yaml"),
        "--no-progress",
    )
    assert code == 0
    assert "predicted matches" in stdout
    written = _rows(out)
    assert written[0] == ["left_id", "right_id", "match_probability"]
    assert {(r[0], r[1]) for r in written[1:]} >= {
        (r[0], r[0]) for r in _rows(FIXTURES / "partner_export.csv")[1:5]
    }


def test_link_bad_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id,given_name,family_name,date_of_birth\nr1,Omar,Haddad,2012-13-45\n")
    out = tmp_path / "pairs.csv"
    message = _fails("link", "dedupe", "--input", str(bad), "--output", str(out))
    assert message == f"{bad}: row 2, field date_of_birth: unparseable date '2012-13-45'"
    assert not out.exists()
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "empty" in _fails("link", "dedupe", "--input", str(empty), "--output", str(out))
    missing = tmp_path / "missing.csv"
    missing.write_text("record_id,given_name\nr1,Omar\n")
    assert "missing required column(s): family_name" in _fails(
        "link", "between", "--left", str(missing), "--right", str(missing), "--output", str(out)
    )


def test_pprl_encode_and_match(tmp_path: Path) -> None:
    secret = tmp_path / "secret.key"
    secret.write_bytes(b"a secret both agencies hold\n")
    left, right, pairs = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "pairs.csv"
    for target in (left, right):
        code, _, _ = call_cli(
            "pprl",
            "encode",
            "--schema",
            "default",
            "--secret-file",
            str(secret),
            "--input",
            str(FIXTURES / "agency_latin.csv"),
            "--output",
            str(target),
        )
        assert code == 0
    document = json.loads(left.read_text())
    assert document["hardening"] == "balance"
    assert document["bits"] == 2048
    code, stdout, _ = call_cli(
        "pprl",
        "match",
        "--left",
        str(left),
        "--right",
        str(right),
        "--output",
        str(pairs),
        "--format",
        "json",
    )
    written = _rows(pairs)
    assert written[0] == ["left_id", "right_id", "score"]
    assert all(r[0] == r[1] and float(r[2]) == 1.0 for r in written[1:])
    assert json.loads(stdout)["pairs"] == len(written) - 1 == 60


def test_pprl_refuses_different_secrets(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        secret = tmp_path / f"{name}.key"
        secret.write_text(f"secret number {name} is long enough")
        target = tmp_path / f"{name}.json"
        call_command(
            "pprl",
            "encode",
            "--schema",
            "default",
            "--secret-file",
            str(secret),
            "--input",
            str(FIXTURES / "agency_latin.csv"),
            "--output",
            str(target),
        )
        outputs.append(target)
    pairs = tmp_path / "pairs.csv"
    message = _fails(
        "pprl",
        "match",
        "--left",
        str(outputs[0]),
        "--right",
        str(outputs[1]),
        "--output",
        str(pairs),
    )
    assert message == "Refusing to match: the two files were encoded with different secrets"
    assert not pairs.exists()


def test_pprl_bad_inputs_exit_2(tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_text("tiny")
    out = tmp_path / "out.json"
    assert "at least 16 bytes" in _fails(
        "pprl",
        "encode",
        "--schema",
        "default",
        "--secret-file",
        str(short),
        "--input",
        str(FIXTURES / "agency_latin.csv"),
        "--output",
        str(out),
    )
    schema = tmp_path / "schema.json"
    schema.write_text('{"version": 2}')
    short.write_text("long enough secret for the test")
    assert "version must be 3" in _fails(
        "pprl",
        "encode",
        "--schema",
        str(schema),
        "--secret-file",
        str(short),
        "--input",
        str(FIXTURES / "agency_latin.csv"),
        "--output",
        str(out),
    )
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json")
    assert "cannot read encodings" in _fails(
        "pprl", "match", "--left", str(garbage), "--right", str(garbage), "--output", str(out)
    )
