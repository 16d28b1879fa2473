"""Check and compile the hand-kept message catalogs, without GNU gettext.

Each language's messages live in ``safepath/locale/<lang>/LC_MESSAGES/django.po``, written by
hand, and, for an app that keeps its own, in
``safepath/<app>/locale/<lang>/LC_MESSAGES/django.po`` (Django reads both; an app's catalog keeps
its messages beside its code, so apps built side by side never edit the same file). This module
checks every catalog (each message translated, placeholders kept as they are) and compiles it
with polib to the ``django.mo`` beside it, which is committed: neither development nor
deployment needs gettext's tools.

    python -m safepath.core.i18n_compile            check, then write every django.mo
    python -m safepath.core.i18n_compile --check    check, and fail if a django.mo is out of date
                                                    or a message of the code is missing
    python -m safepath.core.i18n_compile --missing  fail if a message of the code is missing

A message is missing when a template or Python file marks it for translation (as Django's
makemessages would find it: see ``i18n_extract``) and no catalog of a language has an entry for
it; it is reported against the catalog of the app that uses it, if the app keeps one. An entry
that nothing uses any more is reported as obsolete, as a warning.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from safepath.core.i18n_extract import PACKAGE_DIR, Message, extract_messages

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# One printf-style directive as Python's % operator reads it.
_DIRECTIVE = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?"
    r"(?P<conversion>[diouxXeEfFgGcrsa%])"
)
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_CHARSET = re.compile(r"charset\s*=\s*([\w-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one message (or, with an empty msgid, with the whole catalog)."""

    path: Path
    msgid: str
    reason: str

    def __str__(self) -> str:
        where = f"msgid {self.msgid!r}" if self.msgid else "catalog"
        return f"{_shown(self.path)}: {where}: {self.reason}"


@dataclass(frozen=True)
class _Format:
    """The placeholders of a python-format string: named ones, or positional ones in order."""

    named: frozenset[tuple[str, str]]
    positional: tuple[str, ...]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _parse_format(text: str) -> _Format:
    """The placeholders of ``text``; ValueError names a stray or broken ``%``."""
    named: set[tuple[str, str]] = set()
    positional: list[str] = []
    position = 0
    while (start := text.find("%", position)) != -1:
        match = _DIRECTIVE.match(text, start)
        if match is None:
            raise ValueError(f"stray or unknown placeholder at {text[start : start + 8]!r}")
        position = match.end()
        conversion = match["conversion"]
        if conversion == "%":
            continue  # "%%" is a literal percent sign
        star_arguments = [part for part in (match["width"], match["precision"]) if part == "*"]
        if match["key"] is None:
            positional.extend(["*"] * len(star_arguments))
            positional.append(conversion)
        else:
            if star_arguments:
                raise ValueError("a named placeholder cannot take '*' as width or precision")
            named.add((match["key"], conversion))
    if named and positional:
        raise ValueError("named and positional placeholders are mixed")
    return _Format(frozenset(named), tuple(positional))


def _describe(fmt: _Format) -> str:
    if fmt.positional:
        return " ".join(f"%{conversion}" for conversion in fmt.positional)
    return " ".join(f"%({key}){conversion}" for key, conversion in sorted(fmt.named)) or "none"


def _is_python_format(entry: Any) -> bool:
    flags: list[str] = entry.flags
    if "python-format" in flags:
        return True
    if "no-python-format" in flags:
        return False
    try:
        fmt = _parse_format(entry.msgid)
    except ValueError:
        return False  # a lone "%" in plain text: not a format string
    # blocktranslate writes a literal "%" as "%%" and formats even a text without variables.
    return bool(fmt.named or fmt.positional) or "%%" in entry.msgid


def _format_problems(entry: Any, translations: Sequence[str], *, plural: bool) -> list[str]:
    source_text: str = entry.msgid_plural if plural else entry.msgid
    try:
        source = _parse_format(source_text)
    except ValueError as error:
        return [f"the msgid is flagged python-format but is not a valid one: {error}"]
    reasons = []
    for translation in translations:
        hint = " (write %(name)s, not {{ name }})" if "{{" in translation else ""
        try:
            target = _parse_format(translation)
        except ValueError as error:
            reasons.append(f"python-format mismatch in {translation!r}: {error}{hint}")
            continue
        # A plural form may leave out a named placeholder ("one case" for n == 1).
        if plural and source.named:
            same = target.named <= source.named and not target.positional
        else:
            same = target == source
        if not same:
            reasons.append(
                f"python-format mismatch: the msgid has {_describe(source)}, "
                f"the translation {translation!r} has {_describe(target)}{hint}"
            )
    return reasons


def _header_problems(path: Path, catalog: Any) -> list[Problem]:
    metadata: dict[str, str] = catalog.metadata
    reasons = []
    language = path.parent.parent.name
    if metadata.get("Language") != language:
        reasons.append(f"the header's Language must be {language!r}")
    charset = _CHARSET.search(metadata.get("Content-Type", ""))
    if charset is None or charset.group(1).lower() != "utf-8":
        reasons.append("the header's Content-Type must be 'text/plain; charset=UTF-8'")
    if _NPLURALS.search(metadata.get("Plural-Forms", "")) is None:
        reasons.append("the header has no Plural-Forms with nplurals")
    return [Problem(path, "", reason) for reason in reasons]


def _load(path: Path) -> Any:
    return polib.pofile(str(path), encoding="utf-8", wrapwidth=0)


def locale_dirs() -> list[Path]:
    """Where catalogs live: ``safepath/locale`` first, then each app's own ``locale/``."""
    apps = sorted(path for path in PACKAGE_DIR.glob("*/locale") if path != LOCALE_DIR)
    return [LOCALE_DIR, *apps]


def catalog_paths(locale_dir: Path | None = None) -> list[Path]:
    """Every ``<lang>/LC_MESSAGES/django.po`` under ``locale_dir`` (by default, under every
    directory of ``locale_dirs``), in a stable order."""
    directories = [locale_dir] if locale_dir is not None else locale_dirs()
    return [
        path
        for directory in directories
        for path in sorted(directory.glob("*/LC_MESSAGES/django.po"))
    ]


def catalog_problems(path: Path) -> list[Problem]:
    """What stops ``path`` from compiling: untranslated or fuzzy messages, broken placeholders."""
    try:
        catalog = _load(path)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        return [Problem(path, "", f"cannot be read: {error}")]
    problems = _header_problems(path, catalog)
    match = _NPLURALS.search(catalog.metadata.get("Plural-Forms", ""))
    nplurals = int(match.group(1)) if match else 0
    seen: set[tuple[str | None, str]] = set()
    for entry in catalog:
        if entry.obsolete:
            continue
        msgid: str = entry.msgid
        reasons = []
        key = (entry.msgctxt, msgid)
        if key in seen:
            reasons.append("appears twice")
        seen.add(key)
        if entry.fuzzy:
            reasons.append("is marked fuzzy, so Django would ignore it: review it, drop the flag")
        plural = bool(entry.msgid_plural)
        translations: list[str]
        if plural:
            translations = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
            if len(translations) != nplurals or not all(translations):
                reasons.append(f"is not translated: it needs {nplurals} non-empty plural forms")
        else:
            translations = [entry.msgstr] if entry.msgstr else []
            if not translations:
                reasons.append("is not translated")
        if _is_python_format(entry):
            reasons.extend(_format_problems(entry, [t for t in translations if t], plural=plural))
        problems.extend(Problem(path, msgid, reason) for reason in reasons)
    return problems


def compiled(path: Path) -> bytes:
    """The .mo bytes for the catalog at ``path`` (the same bytes for the same .po)."""
    data: bytes = _load(path).to_binary()
    return data


def mo_path(po_path: Path) -> Path:
    return po_path.with_suffix(".mo")


def check(locale_dir: Path | None = None) -> list[str]:
    """Every problem with the catalogs, and every .mo that does not match its .po; [] if none."""
    paths = catalog_paths(locale_dir)
    if not paths:
        return [f"{_shown(locale_dir or LOCALE_DIR)}: no <lang>/LC_MESSAGES/django.po found"]
    found: list[str] = []
    for path in paths:
        problems = catalog_problems(path)
        found.extend(str(problem) for problem in problems)
        if problems:
            continue
        target = mo_path(path)
        if not target.exists():
            found.append(f"{_shown(target)}: missing; run `make messages`")
        elif target.read_bytes() != compiled(path):
            found.append(f"{_shown(target)}: out of date with its .po; run `make messages`")
    return found


def compile_all(locale_dir: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """Write each catalog's .mo; nothing is written while any catalog has a problem."""
    paths = catalog_paths(locale_dir)
    problems = [problem for path in paths for problem in catalog_problems(path)]
    if problems:
        return [], problems
    written = []
    for path in paths:
        data = compiled(path)
        target = mo_path(path)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
            written.append(target)
    return written, []


@dataclass(frozen=True)
class Missing:
    """A message the code marks for translation that one catalog does not translate."""

    path: Path
    message: Message
    reason: str = "is missing from the catalog"

    def __str__(self) -> str:
        used = ", ".join(str(location) for location in self.message.locations)
        return f"{_shown(self.path)}: {self.message.describe()}: {self.reason}; used at {used}"


def _entries(path: Path) -> dict[tuple[str | None, str], Any] | None:
    """The catalog's live entries by (context, msgid); None if it cannot be read."""
    try:
        catalog = _load(path)
    except (OSError, ValueError, UnicodeDecodeError):
        return None  # catalog_problems says why
    return {(entry.msgctxt, entry.msgid): entry for entry in catalog if not entry.obsolete}


def _mismatch(message: Message, entry: Any) -> str | None:
    plural: str = entry.msgid_plural or ""
    if message.msgid_plural and not plural:
        return "is in the catalog only as a singular; the code needs its plural forms"
    if plural and not message.msgid_plural:
        return "is in the catalog only as a plural; the code needs a singular entry"
    if plural != message.msgid_plural:
        return f"is in the catalog with another msgid_plural, {plural!r}"
    return None


def _owning_catalog(message: Message, language: str, paths: Sequence[Path]) -> Path:
    """The catalog of ``language`` a missing message belongs in: the one of the app that uses
    it, if that app keeps its own catalogs, else the first one."""
    candidates = [path for path in paths if path.parent.parent.name == language]
    for location in message.locations:
        for path in candidates:
            app_dir = path.parents[3]
            if app_dir != PACKAGE_DIR and location.path.is_relative_to(app_dir):
                return path
    return candidates[0]


def missing_messages(
    locale_dir: Path | None = None, messages: Sequence[Message] | None = None
) -> list[Missing]:
    """Every message of the code (``messages``, by default all of SafePath's) that no catalog
    of a language (under ``locale_dir``, by default under every directory of ``locale_dirs``)
    translates, language by language."""
    if messages is None:
        messages = extract_messages()
    paths = catalog_paths(locale_dir)
    by_language: dict[str, dict[tuple[str | None, str], Any]] = {}
    for path in paths:
        entries = _entries(path)
        if entries is None:
            continue
        merged = by_language.setdefault(path.parent.parent.name, {})
        for key, entry in entries.items():
            merged.setdefault(key, entry)
    found: list[Missing] = []
    for language in sorted(by_language):
        entries = by_language[language]
        for message in messages:
            entry = entries.get(message.key)
            if entry is None:
                found.append(Missing(_owning_catalog(message, language, paths), message))
            elif (reason := _mismatch(message, entry)) is not None:
                found.append(Missing(_owning_catalog(message, language, paths), message, reason))
    return found


def obsolete_entries(
    locale_dir: Path | None = None, messages: Sequence[Message] | None = None
) -> list[Problem]:
    """Every catalog entry that no message of the code (``messages``) uses any more."""
    if messages is None:
        messages = extract_messages()
    used = {message.key for message in messages}
    found: list[Problem] = []
    for path in catalog_paths(locale_dir):
        for (context, msgid), _entry in (_entries(path) or {}).items():
            if (context, msgid) not in used:
                where = "" if context is None else f" (msgctxt {context!r})"
                found.append(Problem(path, msgid, f"is used nowhere{where}: obsolete, delete it"))
    return found


def _report_missing(locale_dir: Path | None, source_dirs: Iterable[Path]) -> int:
    """Write the missing messages (errors) and obsolete entries (warnings); their count."""
    messages = extract_messages(source_dirs)
    for problem in obsolete_entries(locale_dir, messages):
        sys.stderr.write(f"warning: {problem}\n")
    missing = missing_messages(locale_dir, messages)
    for item in missing:
        sys.stderr.write(f"{item}\n")
    per_language: dict[str, int] = {}
    for item in missing:
        language = item.path.parent.parent.name
        per_language[language] = per_language.get(language, 0) + 1
    if per_language:
        counts = ", ".join(f"{count} in {language}" for language, count in per_language.items())
        sys.stderr.write(f"Messages missing from the catalogs: {counts}.\n")
    return len(missing)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m safepath.core.i18n_compile",
        description="Check the hand-kept .po catalogs and compile them to .mo with polib.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a catalog has a problem, a .mo is not up to date or "
        "a message of the code is missing from a catalog (--missing)",
    )
    parser.add_argument(
        "--missing",
        action="store_true",
        help="write nothing; exit 1 if a message marked for translation in a template or "
        "Python file is missing from a catalog, and warn about entries nothing uses",
    )
    parser.add_argument(
        "--locale-dir",
        type=Path,
        default=None,
        help="default: safepath/locale and every safepath/<app>/locale",
    )
    parser.add_argument(
        "--source-dir",
        type=Path,
        action="append",
        help="where to look for messages (repeatable); default: safepath",
    )
    arguments = parser.parse_args(argv)
    locale_dir: Path | None = arguments.locale_dir
    source_dirs: list[Path] = arguments.source_dir or [PACKAGE_DIR]
    if arguments.check or arguments.missing:
        found = check(locale_dir) if arguments.check else []
        for line in found:
            sys.stderr.write(f"{line}\n")
        missing = _report_missing(locale_dir, source_dirs) if catalog_paths(locale_dir) else 0
        if found or missing:
            return 1
        if not catalog_paths(locale_dir):
            sys.stderr.write(
                f"{_shown(locale_dir or LOCALE_DIR)}: no <lang>/LC_MESSAGES/django.po found\n"
            )
            return 1
        done = "are up to date" if arguments.check else "translate every message"
        sys.stdout.write(f"{len(catalog_paths(locale_dir))} catalogs {done}.\n")
        return 0
    if not catalog_paths(locale_dir):
        sys.stderr.write(
            f"{_shown(locale_dir or LOCALE_DIR)}: no <lang>/LC_MESSAGES/django.po found\n"
        )
        return 1
    written, problems = compile_all(locale_dir)
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if problems:
        sys.stderr.write(f"{len(problems)} problems; no .mo file was written.\n")
        return 1
    for target in written:
        sys.stdout.write(f"wrote {_shown(target)}\n")
    if not written:
        sys.stdout.write("Every .mo file was already up to date.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
