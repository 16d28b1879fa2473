"""Mutation testing of one critical module at a time, with that module's own tests.

    .venv/bin/python benchmarks/mutation.py --list
    .venv/bin/python benchmarks/mutation.py audit-chain [--max-children 2]

The modules and their tests are in pyproject.toml, ``[tool.safepath.mutation.<name>]``; the
options every run shares are ``[tool.mutmut]``. mutmut reads its options from the
pyproject.toml of the directory it runs in, so each module gets a work directory,
``var/mutation/<name>/``, whose pyproject.toml is ours with ``[tool.mutmut]`` narrowed to the
module (``only_mutate``) and its tests (``pytest_add_cli_args_test_selection``). The work
directory keeps mutmut's results between runs (``mutmut results`` and ``mutmut show <mutant>``
work inside it). Nothing here runs in ``make test``: mutmut is slow by nature.

A module written in SQL (the finance rules) cannot be mutated by mutmut; a profile with
``sql = "<file>"`` is mutated here instead: each comparison operator and each numeric
parameter reference is changed in turn in a copy of the package, and the tests run on it.

The report is killed / total per module, and every surviving mutant by name: read it with
``mutmut show <name>`` in the work directory, then kill it with a test or explain in
docs/mutation.md why it is equivalent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"


def _config() -> tuple[str, dict[str, Any], dict[str, dict[str, Any]]]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return text, data["tool"]["mutmut"], data["tool"]["safepath"]["mutation"]


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def _narrowed(text: str, base: dict[str, Any], profile: dict[str, Any]) -> str:
    """Our pyproject.toml with ``[tool.mutmut]`` set to one module and its tests."""
    options = {**base, "only_mutate": profile["mutate"]}
    options["pytest_add_cli_args_test_selection"] = profile["tests"]
    lines = ["[tool.mutmut]"]
    for key, value in options.items():
        if isinstance(value, list):
            lines.append(f"{key} = {_toml_list(value)}")
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    section = re.compile(r"^\[tool\.mutmut\]\n(?:(?!^\[).*\n?)*", re.MULTILINE)
    return section.sub("\n".join(lines) + "\n\n", text, count=1)


def _prepare(name: str, copy_package: bool) -> Path:
    work = WORK / name
    work.mkdir(parents=True, exist_ok=True)
    package = work / "safepath"
    if copy_package:
        if package.is_symlink() or package.is_file():
            package.unlink()
        if package.exists():
            shutil.rmtree(package)
        shutil.copytree(
            ROOT / "safepath", package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    elif not package.exists():
        package.symlink_to(ROOT / "safepath", target_is_directory=True)
    shutil.copy2(ROOT / "conftest.py", work / "conftest.py")
    return work


def _pytest(work: Path, tests: list[str]) -> int:
    env = {**os.environ, "PYTHONPATH": str(work)}
    env.pop("SAFEPATH_TEST_DATABASE_URL", None)  # SQLite: each run makes its own database
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", *tests]
    return subprocess.run(  # noqa: S603 - our own interpreter and test paths
        command,
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    ).returncode


# (pattern, replacement, label): every match of a pattern is one mutant.
SQL_MUTATIONS = [
    (r"(?<![<>!=])<(?![=>])", "<=", "< to <="),
    (r"<=", "<", "<= to <"),
    (r"(?<![<>!=-])>(?![=])", ">=", "> to >="),
    (r">=", ">", ">= to >"),
    (r"\bAND amount_base < \{\{\w+\}\}", "", "drop an upper bound"),
    (r"\{\{(\w+)\}\}", "({{\\1}} + 1)", "parameter + 1"),
    (r"<>", "=", "<> to ="),
    (r"'in'", "'out'", "direction in to out"),
    (r"'out'", "'in'", "direction out to in"),
    (r"PARTITION BY customer_id, kind", "PARTITION BY customer_id", "drop the kind partition"),
]


def _sql_mutants(sql: str) -> list[tuple[str, str]]:
    mutants = []
    for pattern, replacement, label in SQL_MUTATIONS:
        for match in re.finditer(pattern, sql):
            mutated = sql[: match.start()] + match.expand(replacement) + sql[match.end() :]
            line = sql.count("\n", 0, match.start()) + 1
            mutants.append((f"line {line}: {label}", mutated))
    return mutants


def run_sql(name: str, profile: dict[str, Any]) -> dict[str, Any]:
    work = _prepare(name, copy_package=True)
    target = work / profile["sql"]
    original = target.read_text(encoding="utf-8")
    if _pytest(work, profile["tests"]) != 0:
        raise SystemExit(f"{name}: the tests fail on the unmutated copy")
    survivors, mutants = [], _sql_mutants(original)
    for label, mutated in mutants:
        target.write_text(mutated, encoding="utf-8")
        if _pytest(work, profile["tests"]) == 0:
            survivors.append(label)
        print(f"  {'survived' if label in survivors else 'killed  '} {label}", flush=True)
    target.write_text(original, encoding="utf-8")
    return {"total": len(mutants), "killed": len(mutants) - len(survivors), "survived": survivors}


def run_mutmut(name: str, profile: dict[str, Any], max_children: int) -> dict[str, Any]:
    text, base, _ = _config()
    work = _prepare(name, copy_package=False)
    (work / "pyproject.toml").write_text(_narrowed(text, base, profile), encoding="utf-8")
    mutmut = str(Path(sys.executable).parent / "mutmut")
    env = {**os.environ}
    env.pop("SAFEPATH_TEST_DATABASE_URL", None)
    subprocess.run(  # noqa: S603 - mutmut from our own environment
        [mutmut, "run", "--max-children", str(max_children), *profile.get("functions", [])],
        cwd=work,
        env=env,
        check=False,
    )
    listing = subprocess.run(  # noqa: S603 - mutmut from our own environment
        [mutmut, "results", "--all", "true"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    status: dict[str, str] = {}
    for line in listing.splitlines():
        mutant, _, outcome = line.strip().partition(": ")
        if mutant and outcome:
            status[mutant] = outcome.strip()
    wanted = [re.compile(_glob(p)) for p in profile.get("functions", [])]
    if wanted:
        status = {m: s for m, s in status.items() if any(w.fullmatch(m) for w in wanted)}
    survivors = sorted(m for m, s in status.items() if s != "killed")
    return {
        "total": len(status),
        "killed": sum(1 for s in status.values() if s == "killed"),
        "survived": [f"{m} ({status[m]})" for m in survivors],
    }


def _glob(pattern: str) -> str:
    return re.escape(pattern).replace(r"\*", ".*")


def main() -> None:
    _, _, profiles = _config()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="?", choices=sorted(profiles))
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    if args.list or not args.module:
        for name, profile in profiles.items():
            print(f"{name}: {profile.get('sql') or profile['mutate']} <- {profile['tests']}")
        return
    profile = profiles[args.module]
    if "sql" in profile:
        result = run_sql(args.module, profile)
    else:
        result = run_mutmut(args.module, profile, args.max_children)
    print(json.dumps({"module": args.module, **result}, indent=2))


if __name__ == "__main__":
    main()
