"""Which command lines run as an *engine verb*: on files, with no database, secret or keyring.

A management command declares its engine verbs with a class attribute, a literal tuple::

    class Command(BaseCommand):
        engine_verbs = ("list", "describe", "run")   # `safepath screen list` needs no database
        engine_verbs = ("table --file",)             # only when run with --file
        engine_verbs = ("*",)                        # every invocation (a command without verbs)

The ``safepath`` console script reads that declaration *before* Django is configured (it
cannot import the command yet: importing needs settings), so this module finds the command's
file the way Django does (``safepath/<app>/management/commands/<name>.py``) and reads the
attribute from the file's syntax tree. That is why it must be a literal. When the command line
matches, the script configures Django with ``safepath.config.settings_engine``: no database, no
secret key, no keyring, nothing written to the data directory. Every other command line gets
the full settings, which ask for what a deployment needs (``docs/deploy.md``).

``safepath/core/tests/test_engine_verbs.py`` checks that every command's declaration reads the
same statically as it does at run time, and runs each engine verb with an empty environment.

No Django here: the script calls it before Django exists.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
ATTRIBUTE = "engine_verbs"
ALL = "*"
HELP_FLAGS = ("-h", "--help")


class DeclarationError(RuntimeError):
    """A command's ``engine_verbs`` is not a literal tuple of strings (a developer's error)."""


def command_file(name: str) -> Path | None:
    """The file of SafePath's management command ``name``, or None (a Django command)."""
    if not name.replace("_", "").replace("-", "").isalnum():
        return None
    for candidate in sorted(PACKAGE_DIR.glob(f"*/management/commands/{name}.py")):
        return candidate
    return None


@cache
def declared(path: Path) -> tuple[str, ...]:
    """The ``engine_verbs`` tuple of the ``Command`` class in ``path`` (empty if none)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for statement in node.body:
                value = _assigned(statement)
                if value is None:
                    continue
                try:
                    verbs = ast.literal_eval(value)
                except ValueError as error:
                    raise DeclarationError(
                        f"{path}: {ATTRIBUTE} must be a literal tuple of strings"
                    ) from error
                if not isinstance(verbs, tuple) or not all(isinstance(v, str) for v in verbs):
                    raise DeclarationError(f"{path}: {ATTRIBUTE} must be a tuple of strings")
                return verbs
    return ()


def _assigned(statement: ast.stmt) -> ast.expr | None:
    if isinstance(statement, ast.Assign):
        names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
        return statement.value if ATTRIBUTE in names else None
    if (
        isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and statement.target.id == ATTRIBUTE
    ):
        return statement.value
    return None


def matches(verbs: Sequence[str], args: Sequence[str]) -> bool:
    """Whether ``args`` (what follows the command name) is one of the declared verbs.

    The verb is the first argument (``safepath screen list``); an entry ``"verb --option"``
    also needs that option among the arguments (``--option`` or ``--option=value``).
    """
    verb = args[0] if args and not args[0].startswith("-") else None
    for entry in verbs:
        name, *options = entry.split()
        if name == ALL:
            return True
        if name != verb:
            continue
        rest = args[1:]
        if all(any(a == o or a.startswith(o + "=") for a in rest) for o in options):
            return True
    return False


def is_engine_invocation(argv: Sequence[str]) -> bool:
    """Whether ``safepath ARGV...`` runs as an engine verb (``argv`` without the program name).

    Also true for the command list (``safepath``, ``safepath help``) and for any ``--help``:
    printing help touches nothing.
    """
    if not argv or argv[0] in ("help", *HELP_FLAGS, "--version", "version"):
        return True
    if any(a in HELP_FLAGS for a in argv[1:]):
        return True
    path = command_file(argv[0])
    return path is not None and matches(declared(path), argv[1:])
