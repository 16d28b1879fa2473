"""The messages Django's ``makemessages`` would extract from SafePath, found without GNU gettext.

``makemessages`` turns each template into gettext calls with Django's ``templatize`` and hands
the result, and every Python file, to ``xgettext``. This module does the same work in Python:
the same ``templatize`` for templates, the ``ast`` module for Python files, and the keywords
``makemessages`` gives ``xgettext``: ``gettext``, ``gettext_lazy``, ``gettext_noop``, ``_``,
``ngettext``, ``ngettext_lazy``, ``pgettext``, ``pgettext_lazy``, ``npgettext`` and
``npgettext_lazy``, called by name, as an attribute (``translation.gettext``) or under any alias
imported from ``django.utils.translation``. Only string literals are messages: a call whose
message is an expression is skipped, as ``xgettext`` skips it.

The templates are ``**/templates/**/*.html`` and the Python files ``**/*.py`` under each root,
leaving out ``tests/`` and ``migrations/`` directories and the deliberately static English
``core/templates/500.html``.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import TranslatorCommentWarning
from django.utils.translation.template import templatize

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Served when everything else may be broken, so it is plain English on purpose.
STATIC_TEMPLATES: frozenset[Path] = frozenset({PACKAGE_DIR / "core" / "templates" / "500.html"})
SKIPPED_DIRECTORIES = frozenset({"tests", "migrations", "__pycache__", "node_modules"})
TRANSLATION_MODULE = "django.utils.translation"


@dataclass(frozen=True)
class _Keyword:
    """Which positional arguments of a translation function are the context and the messages."""

    msgid: int
    plural: int | None = None
    context: int | None = None

    @property
    def arity(self) -> int:
        return 1 + max(i for i in (self.msgid, self.plural, self.context) if i is not None)


_SINGULAR = _Keyword(msgid=0)
_PLURAL = _Keyword(msgid=0, plural=1)
_CONTEXT = _Keyword(msgid=1, context=0)
_CONTEXT_PLURAL = _Keyword(msgid=1, plural=2, context=0)

# The keywords makemessages passes to xgettext, plus xgettext's own Python defaults.
KEYWORDS: dict[str, _Keyword] = {
    "_": _SINGULAR,
    "gettext": _SINGULAR,
    "gettext_lazy": _SINGULAR,
    "gettext_noop": _SINGULAR,
    "ngettext": _PLURAL,
    "ngettext_lazy": _PLURAL,
    "pgettext": _CONTEXT,
    "pgettext_lazy": _CONTEXT,
    "npgettext": _CONTEXT_PLURAL,
    "npgettext_lazy": _CONTEXT_PLURAL,
}


@dataclass(frozen=True, order=True)
class Location:
    """Where a message is used: a file and a line (1-based)."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{_shown(self.path)}:{self.line}"


@dataclass
class Message:
    """One message to translate, with every place that uses it."""

    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    locations: list[Location] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        """What a catalog is looked up by: the context and the msgid."""
        return (self.msgctxt, self.msgid)

    def describe(self) -> str:
        text = f"msgid {self.msgid!r}"
        if self.msgid_plural:
            text += f" (plural {self.msgid_plural!r})"
        if self.msgctxt is not None:
            text = f"msgctxt {self.msgctxt!r} {text}"
        return text


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Collector:
    def __init__(self) -> None:
        self.messages: dict[tuple[str | None, str], Message] = {}

    def add(self, strings: Sequence[str | None], keyword: _Keyword, where: Location) -> None:
        msgid = strings[keyword.msgid]
        if not msgid:  # xgettext refuses an empty msgid: it is the catalog's header
            return
        context = None if keyword.context is None else strings[keyword.context]
        plural = "" if keyword.plural is None else strings[keyword.plural] or ""
        message = self.messages.setdefault((context, msgid), Message(msgid, msgctxt=context))
        if plural and not message.msgid_plural:
            message.msgid_plural = plural
        if where not in message.locations:
            message.locations.append(where)


# --- Templates -----------------------------------------------------------------------------

# The text templatize writes is blanked-out template text (runs of X, B, S, ...), comments,
# and calls such as ` ngettext(u'One %(n)s item', u'%(n)s items', count) `.
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
    |(?P<string>[rRuUbB]{0,2}(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"))
    |(?P<name>[^\W\d]\w*)
    |(?P<punct>[(),])
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    line: int


def _tokens(source: str) -> list[_Token]:
    found = []
    line = 1
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup or "other"
        text = match.group()
        if kind not in ("space", "comment"):
            found.append(_Token(kind, text, line))
        line += text.count("\n")
    return found


def _literal(argument: Sequence[_Token]) -> str | None:
    """The value of an argument made only of (adjacent) string literals, else None."""
    if not argument or any(token.kind != "string" for token in argument):
        return None
    parts = []
    for token in argument:
        try:
            value = ast.literal_eval(token.text)
        except (SyntaxError, ValueError):
            return None
        if not isinstance(value, str):
            return None
        parts.append(value)
    return "".join(parts)


def _arguments(tokens: Sequence[_Token], start: int) -> list[list[_Token]] | None:
    """The arguments of the call whose "(" is ``tokens[start]``; None if it never closes."""
    arguments: list[list[_Token]] = [[]]
    depth = 0
    for token in tokens[start + 1 :]:
        if token.kind == "punct":
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                if depth == 0:
                    return arguments if arguments != [[]] else []
                depth -= 1
            elif token.text == "," and depth == 0:
                arguments.append([])
                continue
        arguments[-1].append(token)
    return None


def _template_calls(source: str) -> Iterator[tuple[_Keyword, list[str | None], int]]:
    tokens = _tokens(source)
    for index, token in enumerate(tokens[:-1]):
        keyword = KEYWORDS.get(token.text) if token.kind == "name" else None
        after = tokens[index + 1]
        if keyword is None or after.kind != "punct" or after.text != "(":
            continue
        arguments = _arguments(tokens, index + 1)
        if arguments is None or len(arguments) < keyword.arity:
            continue
        strings = [_literal(argument) for argument in arguments]
        if _all_literal(strings, keyword):
            yield keyword, strings, token.line


def _all_literal(strings: Sequence[str | None], keyword: _Keyword) -> bool:
    needed = (keyword.msgid, keyword.plural, keyword.context)
    return all(strings[index] is not None for index in needed if index is not None)


def _extract_template(path: Path, collector: _Collector) -> None:
    with warnings.catch_warnings():
        # A misplaced "Translators:" comment only loses the comment, not the message.
        warnings.simplefilter("ignore", TranslatorCommentWarning)
        source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for keyword, strings, line in _template_calls(source):
        collector.add(strings, keyword, Location(path, line))


# --- Python --------------------------------------------------------------------------------


def _aliases(tree: ast.AST) -> dict[str, _Keyword]:
    """Names bound to translation functions by ``from django.utils.translation import ...``."""
    aliases: dict[str, _Keyword] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == TRANSLATION_MODULE:
            for alias in node.names:
                if alias.name in KEYWORDS:
                    aliases[alias.asname or alias.name] = KEYWORDS[alias.name]
    return aliases


def _string(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _extract_python(path: Path, collector: _Collector) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    keywords = {**KEYWORDS, **_aliases(tree)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name):
            keyword = keywords.get(node.func.id)
        elif isinstance(node.func, ast.Attribute):
            keyword = KEYWORDS.get(node.func.attr)
        else:
            keyword = None
        if keyword is None or len(node.args) < keyword.arity:
            continue
        if any(isinstance(argument, ast.Starred) for argument in node.args[: keyword.arity]):
            continue
        strings = [_string(argument) for argument in node.args]
        if _all_literal(strings, keyword):
            collector.add(strings, keyword, Location(path, node.lineno))


# --- Files ---------------------------------------------------------------------------------


def _walk(root: Path, pattern: str) -> Iterator[Path]:
    for path in sorted(root.rglob(pattern)):
        parts = path.relative_to(root).parts[:-1]
        if path.is_file() and not SKIPPED_DIRECTORIES.intersection(parts):
            yield path


def template_files(root: Path, exclude: Collection[Path] = STATIC_TEMPLATES) -> list[Path]:
    """Every ``templates/**/*.html`` under ``root``, except those in ``exclude``."""
    excluded = {path.resolve() for path in exclude}
    return [
        path
        for path in _walk(root, "*.html")
        if "templates" in path.relative_to(root).parts[:-1] and path.resolve() not in excluded
    ]


def python_files(root: Path) -> list[Path]:
    """Every ``*.py`` under ``root``, outside ``tests/`` and ``migrations/``."""
    return list(_walk(root, "*.py"))


def extract_messages(
    roots: Iterable[Path] = (PACKAGE_DIR,), *, exclude: Collection[Path] = STATIC_TEMPLATES
) -> list[Message]:
    """Every message to translate under ``roots``: templates first, then Python files.

    Messages with the same context and msgid are one message used in several places.
    """
    roots = [Path(root) for root in roots]
    collector = _Collector()
    for root in roots:
        for path in template_files(root, exclude):
            _extract_template(path, collector)
    for root in roots:
        for path in python_files(root):
            _extract_python(path, collector)
    return list(collector.messages.values())
