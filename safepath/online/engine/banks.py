"""Hash lists ("banks") in the formats the field exchanges, read all or nothing.

- ``signals``: ThreatExchange / HMA local signal files, one ``<type> <value>`` per line
  (``pdq 3a5f...``, ``md5 ...``, ``video_md5 ...``), as python-threatexchange's
  ``LocalFileSignalExchangeAPI`` reads and writes them.
- ``te_csv``: the ``threatexchange dataset --csv`` export, with a header
  ``signal_type,signal_str,collab,category,tags``.
- ``md5_list``: an NCMEC-style list, one MD5 per line (upper or lower case).
- ``csv``: a plain CSV with a header naming ``hash_type`` (or ``signal_type``/``type``) and
  ``hash`` (or ``signal``/``value``), and optionally ``label`` and ``reference``.

Blank lines and lines starting with ``#`` are skipped. A malformed line is reported with the
file and line number; one problem refuses the whole file, so a bank is never half imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("signals", "te_csv", "md5_list", "csv")
HEX = {
    "pdq": re.compile(r"^[0-9a-f]{64}$"),
    "md5": re.compile(r"^[0-9a-f]{32}$"),
    "sha1": re.compile(r"^[0-9a-f]{40}$"),
}
# Signal type names of other tools, as SafePath's three kinds.
TYPE_ALIASES = {
    "pdq": "pdq",
    "md5": "md5",
    "video_md5": "md5",
    "photo_md5": "md5",
    "sha1": "sha1",
    "sha-1": "sha1",
}
MAX_PROBLEMS = 50
MAX_LINE = 4096


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class BankFileError(ValueError):
    """The file cannot be imported; ``problems`` names each bad line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass(frozen=True)
class Signal:
    kind: str  # pdq, md5 or sha1
    value: str  # lowercase hex
    line: int
    label: str = ""
    reference: str = ""


@dataclass
class BankFile:
    name: str
    format: str
    signals: list[Signal] = field(default_factory=list)
    duplicates: int = 0
    skipped_types: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for signal in self.signals:
            out[signal.kind] = out.get(signal.kind, 0) + 1
        return out


def detect_format(name: str, text: str) -> str:
    """Guess the format from the file name and its first meaningful line."""
    first = next(
        (line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")),
        "",
    )
    header = first.lower().replace(" ", "")
    if "signal_str" in header:
        return "te_csv"
    if name.lower().endswith(".csv") or ("," in first and "hash" in header):
        return "csv"
    token = first.split()[0].lower() if first.split() else ""
    if token in TYPE_ALIASES and len(first.split()) >= 2:
        return "signals"
    return "md5_list"


def _check(
    kind: str, value: str, file: str, line: int, problems: list[Problem]
) -> tuple[str, str] | None:
    normal = TYPE_ALIASES.get(kind.strip().lower())
    if normal is None:
        problems.append(
            Problem(file, line, f"unknown signal type {kind.strip()[:40]!r} (pdq, md5 or sha1)")
        )
        return None
    value = value.strip().lower()
    if not HEX[normal].match(value):
        size = {"pdq": 64, "md5": 32, "sha1": 40}[normal]
        problems.append(
            Problem(file, line, f"not a {normal} hash: expected {size} hexadecimal digits")
        )
        return None
    return normal, value


def _lines(text: str) -> Iterable[tuple[int, str]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line


def _signals_format(text: str, file: str, problems: list[Problem]) -> list[Signal]:
    out = []
    for number, line in _lines(text):
        parts = line.split(None, 1)
        if len(parts) != 2:
            problems.append(Problem(file, number, "expected '<type> <hash>'"))
            continue
        checked = _check(parts[0], parts[1].split()[0], file, number, problems)
        if checked:
            out.append(Signal(checked[0], checked[1], number))
    return out


def _md5_list(text: str, file: str, problems: list[Problem]) -> list[Signal]:
    out = []
    for number, line in _lines(text):
        value = re.split(r"[\s,;]", line, maxsplit=1)[0]
        checked = _check("md5", value, file, number, problems)
        if checked:
            out.append(Signal("md5", checked[1], number))
    return out


def _csv(text: str, file: str, problems: list[Problem], *, te: bool) -> list[Signal]:
    rows = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    type_col = value_col = 0
    out = []
    type_names = ("signal_type",) if te else ("hash_type", "signal_type", "type")
    value_names = ("signal_str",) if te else ("hash", "signal", "value", "signal_str")
    for number, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            found_type = next((header.index(n) for n in type_names if n in header), None)
            found_value = next((header.index(n) for n in value_names if n in header), None)
            if found_type is None or found_value is None:
                wanted = f"{type_names[0]} and {value_names[0]}"
                problems.append(Problem(file, number, f"the header must name {wanted}"))
                return []
            type_col, value_col = found_type, found_value
            continue
        if len(row) != len(header):
            problems.append(
                Problem(file, number, f"expected {len(header)} columns, found {len(row)}")
            )
            continue
        checked = _check(row[type_col], row[value_col], file, number, problems)
        if checked:
            cells = dict(zip(header, row, strict=True))
            label = cells.get("label") or cells.get("category") or cells.get("tags") or ""
            reference = cells.get("reference") or cells.get("id") or ""
            out.append(Signal(checked[0], checked[1], number, label[:200], reference[:200]))
    if header is None:
        problems.append(Problem(file, None, "the file has no header line"))
    return out


def parse_bank(text: str, *, name: str = "bank", fmt: str = "") -> BankFile:
    """Read a bank's text. Raises BankFileError listing every bad line (at most 50)."""
    fmt = fmt or detect_format(name, text)
    if fmt not in FORMATS:
        raise BankFileError([Problem(name, None, f"unknown format {fmt!r}: {', '.join(FORMATS)}")])
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if len(raw) > MAX_LINE:
            problems.append(Problem(name, number, f"line longer than {MAX_LINE} characters"))
    if problems:
        raise BankFileError(problems[:MAX_PROBLEMS])
    if fmt == "signals":
        signals = _signals_format(text, name, problems)
    elif fmt == "md5_list":
        signals = _md5_list(text, name, problems)
    else:
        signals = _csv(text, name, problems, te=fmt == "te_csv")
    if problems:
        raise BankFileError(problems[:MAX_PROBLEMS])
    if not signals:
        raise BankFileError([Problem(name, None, "no hashes found")])
    unique: dict[tuple[str, str], Signal] = {}
    for signal in signals:
        unique.setdefault((signal.kind, signal.value), signal)
    return BankFile(
        name=name, format=fmt, signals=list(unique.values()), duplicates=len(signals) - len(unique)
    )


def read_bank_bytes(data: bytes, *, name: str, fmt: str = "") -> BankFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankFileError(
            [Problem(name, None, f"not UTF-8 text (byte {error.start}): is this a hash list?")]
        ) from None
    return parse_bank(text, name=name, fmt=fmt)


def read_bank_file(path: Path | str, *, fmt: str = "") -> BankFile:
    path = Path(path)
    if not path.is_file():
        raise BankFileError([Problem(str(path), None, "unknown bank: no such file")])
    return read_bank_bytes(path.read_bytes(), name=str(path), fmt=fmt)


def write_signals(signals: Iterable[Signal]) -> str:
    """A ThreatExchange/HMA signal file (``<type> <value>`` per line)."""
    return "".join(f"{s.kind} {s.value}\n" for s in signals)
