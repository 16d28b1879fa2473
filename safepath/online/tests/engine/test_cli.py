"""``safepath online ...``: the engine verbs on files (no database), exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safepath.online.engine import hashing, synth
from safepath.testing.fixtures import call_cli as _call


def call_cli(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); a CommandError gives its return code and message."""
    from django.core.management.base import CommandError

    try:
        return _call(*args)
    except CommandError as error:
        return error.returncode, "", str(error)


FIXTURE = Path(__file__).resolve().parent.parent / "data" / "pdq_reference"


@pytest.fixture
def pictures(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for seed in (11, 12):
        path = tmp_path / f"p{seed}.png"
        path.write_bytes(synth.image_bytes(seed, max_side=400))
        out[f"p{seed}"] = path
    copy = synth.half_size(synth.draw(synth.picture(11, max_side=400)))
    out["copy"] = tmp_path / "copy.jpg"
    out["copy"].write_bytes(synth.encode(copy, fmt="JPEG", quality=70))
    return out


def test_hash_prints_the_issue_shape(pictures: dict[str, Path]) -> None:
    code, stdout, _ = call_cli("online", "hash", str(pictures["p11"]), "--format", "json")
    assert code == 0
    (row,) = json.loads(stdout)
    assert set(row) == {"file", "pdq", "quality", "md5", "sha1"}
    assert row["pdq"] == hashing.hash_file(pictures["p11"]).pdq
    assert len(row["pdq"]) == 64


def test_hash_agrees_with_the_reference_fixture() -> None:
    expected = json.loads((FIXTURE / "reference_hashes.json").read_text())["hashes"]
    names = sorted(expected)[:5]
    code, stdout, _ = call_cli(
        "online", "hash", *(str(FIXTURE / n) for n in names), "--format", "json"
    )
    assert code == 0
    for row in json.loads(stdout):
        assert row["pdq"] == expected[Path(row["file"]).name]["pdq"]


def test_match_against_a_bank_file(pictures: dict[str, Path], tmp_path: Path) -> None:
    original = hashing.hash_file(pictures["p11"])
    bank = tmp_path / "bank.txt"
    bank.write_text(f"pdq {original.pdq}\nmd5 {original.md5}\n")
    code, stdout, _ = call_cli(
        "online",
        "match",
        str(pictures["copy"]),
        str(pictures["p12"]),
        "--bank",
        str(bank),
        "--format",
        "json",
    )
    assert code == 0
    copy, other = json.loads(stdout)
    assert [(m["bank"], m["kind"]) for m in copy["matches"]] == [(str(bank), "pdq")]
    assert copy["matches"][0]["distance"] <= 31
    assert other["matches"] == []
    assert "not a finding" in copy["notice"]
    assert "content" not in stdout


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: (d / "notes.txt", b"not a picture"), "not an image"),
        (lambda d: (d / "cut.png", synth.image_bytes(3)[:500]), "damaged"),
    ],
)
def test_bad_files_exit_2_naming_the_file(tmp_path: Path, make: object, words: str) -> None:
    path, data = make(tmp_path)  # type: ignore[operator]
    path.write_bytes(data)
    code, stdout, stderr = call_cli("online", "hash", str(path), "--format", "json")
    assert code == 2
    assert str(path) in stderr
    assert words in stderr
    assert stdout == ""


def test_oversize_exits_2(pictures: dict[str, Path]) -> None:
    code, _, stderr = call_cli("online", "hash", str(pictures["p11"]), "--max-bytes", "100")
    assert code == 2
    assert "larger than 100 bytes" in stderr


def test_malformed_bank_exits_2_naming_every_line(
    pictures: dict[str, Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text(f"pdq {'a' * 64}\npdq xyz\nmd5 {'b' * 31}\n")
    code, _, stderr = call_cli("online", "match", str(pictures["p11"]), "--bank", str(broken))
    assert code == 2
    assert f"{broken}, line 2" in stderr
    assert f"{broken}, line 3" in stderr


def test_flags_and_graph(tmp_path: Path) -> None:
    advert = tmp_path / "advert.txt"
    advert.write_text("New in town, young and fresh. Call +1 555 0142")
    code, stdout, _ = call_cli("online", "flags", str(advert), "--format", "json")
    assert code == 0
    result = json.loads(stdout)
    assert {"TXT-NEW-01", "TXT-AGE-01"} <= {i["id"] for i in result["indicators"]}
    assert result["phones"] == ["+15550142"]
    assert "not a finding" in result["notice"]
    listing = tmp_path / "adverts.csv"
    listing.write_text(
        "id,city,text\n1,Nairobi,call 555-0142\n2,Mombasa,text +1 555 0142\n3,Kisumu,none\n"
    )
    code, stdout, _ = call_cli("online", "graph", str(listing), "--format", "json")
    assert code == 0
    graph = json.loads(stdout)
    assert graph["phones"][0]["city_count"] == 2
    assert graph["groups"] == [["1", "2"]]
    code, _, stderr = call_cli("online", "graph", str(tmp_path / "missing.csv"))
    assert code == 2
    assert "missing.csv" in stderr


def test_indicator_files_check() -> None:
    code, stdout, _ = call_cli("online", "indicators", "--check", "--format", "json")
    assert code == 0
    assert json.loads(stdout) == {"valid": True}
