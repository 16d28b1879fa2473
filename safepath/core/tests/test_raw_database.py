"""Grep the raw database for the demo children's names: none may be there in clear text.

The SQLite case runs `safepath demo` on a real database file, as `make demo` does; the
PostgreSQL case loads demo cases into the test database and greps a `pg_dump` of it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from safepath.cases.models import Child

PRINT_NAMES = (
    "import json; from safepath.cases.models import Child; print(json.dumps("
    "[[c.given_name, c.family_name] + c.other_names for c in Child.objects.all()]))"
)


def _identifying_strings(rows: list[list[str]]) -> set[str]:
    return {value for row in rows for value in row if value and len(value) >= 3}


# A ciphertext is a long run of base64 letters; a short name can occur inside one by chance
# (a 4-letter name in megabytes of base64 does, now and then). Clear text is not inside one.
_BASE64_RUN = re.compile(rb"[A-Za-z0-9+/=_-]+")
_CIPHERTEXT_LENGTH = 40


def _in_clear(name: str, raw: bytes) -> bool:
    """Whether ``name`` occurs in ``raw`` other than inside a long base64 run (a ciphertext)."""
    needle = name.encode("utf-8")
    start = raw.find(needle)
    while start != -1:
        run_start, run_end = start, start + len(needle)
        while run_start > 0 and _BASE64_RUN.fullmatch(raw[run_start - 1 : run_start]):
            run_start -= 1
        while run_end < len(raw) and _BASE64_RUN.fullmatch(raw[run_end : run_end + 1]):
            run_end += 1
        if run_end - run_start < _CIPHERTEXT_LENGTH:
            return True
        start = raw.find(needle, start + 1)
    return False


def test_a_name_inside_a_ciphertext_is_chance_and_a_name_in_clear_is_found() -> None:
    cipher = b"v1:k1:" + b"Qm9yZWQgb2YgcmFuZG9tIGJ5dGVzIEJhZHUgaGVyZQBadu8xY2lwaGVydGV4dA=="
    assert not _in_clear("Badu", b"\t" + cipher + b"\t")
    assert _in_clear("Badu", b'{"given_name": "Badu"}')
    assert _in_clear("Badu", b"\tBaduKamau\t")
    assert _in_clear("بدو", "\tبدو\t".encode())


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "safepath", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite file case")
def test_sqlite_file_holds_no_demo_child_name(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SAFEPATH_"))}
    env.update(
        SAFEPATH_MODE="development",
        SAFEPATH_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="safepath.config.settings",
    )
    _run(["migrate", "-v", "0"], env)
    _run(["demo"], env)
    names = _identifying_strings(json.loads(_run(["shell", "-v", "0", "-c", PRINT_NAMES], env)))
    assert len(names) > 50
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("safepath.sqlite3*"))
    assert b"Children's Rights NGO (demo)" in raw  # the grep does see clear text
    found = sorted(name for name in names if _in_clear(name, raw))
    assert found == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL dump case")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
@pytest.mark.django_db(transaction=True)
def test_postgresql_dump_holds_no_demo_child_name() -> None:
    from django.core.management import call_command

    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rows = [[c.given_name, c.family_name, *c.other_names] for c in Child.objects.all()]
    names = _identifying_strings(rows)
    assert len(names) > 50
    db = settings.DATABASES["default"]
    dump = subprocess.run(  # noqa: S603 - fixed arguments
        [  # noqa: S607 - pg_dump from the PATH, as an operator would run it
            "pg_dump",
            "--data-only",
            "-h",
            str(db["HOST"] or "127.0.0.1"),
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            str(db["USER"]),
            connection.settings_dict["NAME"],
        ],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    assert b"cases_child" in dump
    assert b"Children's Rights NGO (demo)" in dump  # the grep does see clear text
    found = sorted(name for name in names if _in_clear(name, dump))
    assert found == []
