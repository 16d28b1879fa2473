"""The lock files: make them (``make lock``) and check they still match pyproject.toml.

``requirements/base.lock`` pins what ``make demo`` installs (SafePath's dependencies) and
``requirements/dev.lock`` what ``make test`` and CI install (plus the ``dev`` and ``spark``
extras): every package at one version, with the hashes of its files, for every platform and
Python 3.11 and later (``uv pip compile --universal --generate-hashes``). ``pip install
--require-hashes`` then refuses anything else.

Each lock starts with a stamp: the SHA-256 of pyproject.toml's dependency lists (dependencies,
optional dependencies, requires-python; not the tool settings). ``check`` recomputes it, so the
Makefile stops with a clear message when someone changed the dependencies without relocking.

    python3 requirements/lock.py check      # exit 1 and say what to do when stale
    python3 requirements/lock.py write UV   # regenerate them (and tools.lock) with uv

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCKS = {
    "base.lock": [],
    "dev.lock": ["--extra", "dev", "--extra", "spark"],
}
STAMP = "# pyproject-dependencies-sha256: "
PYTHON = "3.11"


def stamp() -> str:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    relevant = {
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "requires-python": project.get("requires-python", ""),
    }
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()


def recorded(path: Path) -> str | None:
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines()[:5]:
        if line.startswith(STAMP):
            return line.removeprefix(STAMP).strip()
    return None


def check() -> int:
    expected = stamp()
    stale = [name for name in LOCKS if recorded(ROOT / "requirements" / name) != expected]
    if stale:
        sys.stderr.write(
            f"requirements/{', requirements/'.join(stale)} do not match the dependencies in "
            "pyproject.toml (changed since the last `make lock`).\n"
            "Run `make lock` to regenerate the lock files, review the diff, and commit them.\n"
        )
        return 1
    return 0


def write(uv: str) -> int:
    expected = stamp()
    here = ROOT / "requirements"

    def compile_(source: Path, out: Path, *extra: str) -> None:
        command = [
            uv, "pip", "compile", str(source), "--universal", "--python-version", PYTHON,
            "--generate-hashes", "--quiet", "--custom-compile-command", "make lock",
            *extra, "-o", str(out),
        ]  # fmt: skip
        subprocess.run(command, check=True)  # noqa: S603 - our own arguments

    compile_(here / "tools.in", here / "tools.lock")
    # dev first; base is then constrained by it, so both pin the same versions.
    for name in ("dev.lock", "base.lock"):
        out = here / name
        constraint = ["--constraints", str(here / "dev.lock")] if name == "base.lock" else []
        compile_(PYPROJECT, out, *LOCKS[name], *constraint)
        out.write_text(f"{STAMP}{expected}\n{out.read_text(encoding='utf-8')}", encoding="utf-8")
        sys.stdout.write(f"wrote requirements/{name}\n")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"]:
        return check()
    if argv[:1] == ["write"] and len(argv) == 2:
        return write(argv[1])
    if argv[:1] == ["stamp"]:
        sys.stdout.write(stamp() + "\n")
        return 0
    sys.stderr.write(__doc__ or "")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
