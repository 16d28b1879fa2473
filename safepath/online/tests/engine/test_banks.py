"""Bank files in the field's formats; malformed lines named by file and line; all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from safepath.online.engine import banks

PDQ = "f" * 64
MD5 = "a" * 32
SHA1 = "b" * 40


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (f"# hma signal file\npdq {PDQ}\nmd5 {MD5}\nvideo_md5 {MD5.upper()}\n", "signals"),
        (f"signal_type,signal_str,collab,category,tags\npdq,{PDQ},c,,\nmd5,{MD5},c,,\n", "te_csv"),
        (f"{MD5.upper()}\n# comment\n\n{'c' * 32}\n", "md5_list"),
        (f"hash_type,hash,label\npdq,{PDQ},x\nsha1,{SHA1},y\n", "csv"),
    ],
)
def test_formats_are_detected_and_read(text: str, fmt: str) -> None:
    parsed = banks.parse_bank(text, name="bank.txt" if fmt != "csv" else "bank.csv")
    assert parsed.format == fmt
    assert all(s.value == s.value.lower() for s in parsed.signals)
    assert {s.kind for s in parsed.signals} <= {"pdq", "md5", "sha1"}


def test_duplicates_are_counted_once() -> None:
    parsed = banks.parse_bank(f"md5 {MD5}\nmd5 {MD5.upper()}\n", name="b")
    assert len(parsed.signals) == 1
    assert parsed.duplicates == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (f"pdq {PDQ}\npdq 1234\n", 2, "not a pdq hash"),
        (f"pdq {PDQ}\nphotodna abc\n", 2, "unknown signal type"),
        (f"pdq {PDQ}\nonlyonetoken\n", 2, "expected '<type> <hash>'"),
        (f"{MD5}\nnot-a-hash\n", 2, "not a md5 hash"),
        ("hash_type,hash\npdq,zz\n", 2, "not a pdq hash"),
        ("type_of,value_of\npdq,x\n", 1, "header must name"),
        (f"hash_type,hash\npdq,{PDQ},extra\n", 2, "expected 2 columns"),
    ],
)
def test_malformed_lines_are_named(text: str, line: int, words: str) -> None:
    fmt = "csv" if text.startswith(("hash_type", "type_of")) else ""
    with pytest.raises(banks.BankFileError) as caught:
        banks.parse_bank(text, name="list.txt", fmt=fmt)
    problem = caught.value.problems[0]
    assert problem.file == "list.txt"
    assert problem.line == line
    assert words in problem.message
    assert f"list.txt, line {line}" in str(problem)


def test_every_bad_line_is_listed() -> None:
    text = "\n".join(["pdq nothex"] * 3 + [f"pdq {PDQ}"])
    with pytest.raises(banks.BankFileError) as caught:
        banks.parse_bank(text, name="b", fmt="signals")
    assert [p.line for p in caught.value.problems] == [1, 2, 3]


def test_unknown_file_and_binary_and_empty(tmp_path: Path) -> None:
    with pytest.raises(banks.BankFileError, match="unknown bank"):
        banks.read_bank_file(tmp_path / "missing.txt")
    with pytest.raises(banks.BankFileError, match="not UTF-8"):
        banks.read_bank_bytes(b"\xff\xfe\x00garbage", name="b.bin")
    with pytest.raises(banks.BankFileError, match="no hashes"):
        banks.parse_bank("# only a comment\n", name="b")


def test_written_signal_files_read_back() -> None:
    signals = banks.parse_bank(f"pdq {PDQ}\nmd5 {MD5}\n", name="b").signals
    again = banks.parse_bank(banks.write_signals(signals), name="b").signals
    assert [(s.kind, s.value) for s in again] == [(s.kind, s.value) for s in signals]
