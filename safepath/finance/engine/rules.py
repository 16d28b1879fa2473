"""Rules as data: ``<ID>.yaml`` (metadata with citation) beside ``<ID>.sql`` (DuckDB dialect).

A rule's SQL reads the validated tables ``txn`` and ``cust`` and the reference tables, and returns
``customer_id, txn_id`` rows: the evidence. A NULL ``txn_id`` is a customer-level hit (for
example shared identifiers). Parameters appear as ``{{name}}`` and are rendered as SQL literals
from validated values, never from free text, so a parameter cannot inject SQL.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from safepath.finance.engine.types import InputError, Problem, Rule

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
RULE_ID = re.compile(r"^[A-Z]{2,4}-\d{2}$")
SAFE_TEXT = re.compile(r"^[A-Za-z0-9_ .-]*$")
REQUIRED_KEYS = ("id", "title", "typology", "source", "required_fields", "parameters", "weight")


class RuleError(InputError):
    """A rule file is malformed (reported like bad input: file, field, message)."""


Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rules(rules_dir: Path | str | None = None) -> list[Rule]:
    """Every rule in ``rules_dir`` (default: the shipped catalogue), validated, sorted by id.

    Cached on the directory's file names and modification times, so edits are picked up."""
    directory = Path(rules_dir) if rules_dir else RULES_DIR
    if not directory.is_dir():
        raise RuleError([Problem(str(directory), None, None, "rules directory not found")])
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(directory.iterdir()))
    return list(_load_cached(str(directory), stamp))


@lru_cache(maxsize=16)
def _load_cached(directory_name: str, _stamp: tuple[tuple[str, int], ...]) -> tuple[Rule, ...]:
    directory = Path(directory_name)
    problems: list[Problem] = []
    rules: list[Rule] = []
    for meta_path in sorted(directory.glob("*.yaml")):
        if meta_path.stem in ("typologies",):
            continue
        rule = _load_one(meta_path, problems)
        if rule is not None:
            rules.append(rule)
    if problems:
        raise RuleError(problems)
    return tuple(sorted(rules, key=lambda r: (r.family, r.id)))


def _load_one(meta_path: Path, problems: list[Problem]) -> Rule | None:
    label = str(meta_path)
    try:
        meta: Any = yaml.load(meta_path.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        problems.append(Problem(label, None, None, f"not valid YAML: {error}"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(label, None, None, "expected a mapping"))
        return None
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    for key in missing:
        problems.append(Problem(label, None, key, "required key is missing"))
    if missing:
        return None
    rule_id = str(meta["id"])
    if not RULE_ID.match(rule_id) or rule_id != meta_path.stem:
        problems.append(Problem(label, None, "id", "must look like HT-01 and match the file name"))
    sql_path = meta_path.with_suffix(".sql")
    if not sql_path.exists():
        problems.append(Problem(label, None, "sql", f"{sql_path.name} is missing"))
        return None
    sql = sql_path.read_text(encoding="utf-8")
    parameters = meta["parameters"] or {}
    if not isinstance(parameters, dict):
        problems.append(Problem(label, None, "parameters", "expected a mapping"))
        return None
    for name in sorted(set(PLACEHOLDER.findall(sql)) - set(parameters)):
        problems.append(Problem(str(sql_path), None, name, "placeholder has no parameter default"))
    for name, value in parameters.items():
        try:
            literal(value)
        except ValueError as error:
            problems.append(Problem(label, None, f"parameters.{name}", str(error)))
    weight = meta["weight"]
    if not isinstance(weight, int) or not 0 < weight <= 100:
        problems.append(Problem(label, None, "weight", "must be an integer from 1 to 100"))
    typologies = tuple(meta.get("typologies") or (meta["typology"],))
    if meta["typology"] not in typologies:
        typologies = (meta["typology"], *typologies)
    return Rule(
        id=rule_id,
        title=str(meta["title"]),
        typology=str(meta["typology"]),
        source=str(meta["source"]),
        required_fields=tuple(str(f) for f in meta["required_fields"] or ()),
        parameters=dict(parameters),
        weight=int(weight) if isinstance(weight, int) else 0,
        sql=sql,
        family=str(meta.get("family", rule_id.split("-")[0])),
        description=str(meta.get("description", "")),
        typologies=tuple(str(t) for t in typologies),
    )


def literal(value: Any) -> str:
    """A parameter value as a SQL literal; lists become ``('a', 'b')`` for ``IN``."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        if not SAFE_TEXT.match(value):
            raise ValueError(
                f"text parameter may hold letters, digits, space, . _ - only: {value!r}"
            )
        return "'" + value + "'"
    if isinstance(value, list | tuple) and value:
        return "(" + ", ".join(literal(v) for v in value) + ")"
    raise ValueError(f"unsupported parameter value {value!r}")


def effective_parameters(rule: Rule, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults with overrides applied; an override must keep the default's type."""
    values = dict(rule.parameters)
    for name, value in (overrides or {}).items():
        if name not in values:
            raise RuleError([Problem(rule.id, None, name, "unknown parameter")])
        default = values[name]
        numeric = (int, float)
        same = isinstance(value, type(default)) or (
            isinstance(default, numeric)
            and isinstance(value, numeric)
            and not isinstance(value, bool)
        )
        if not same:
            raise RuleError([Problem(rule.id, None, name, f"expected {type(default).__name__}")])
        literal(value)
        values[name] = value
    return values


def render(rule: Rule, parameters: dict[str, Any] | None = None) -> str:
    """The rule's SQL with every ``{{name}}`` replaced by its literal."""
    values = parameters if parameters is not None else rule.parameters
    return PLACEHOLDER.sub(lambda m: literal(values[m.group(1)]), rule.sql)
