"""The service taxonomy, the response deadlines and the referral pathways: data files, validated
when loaded. Pure Python (no Django), so the rules are tested as tables."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
TAXONOMY_FILE = HERE / "taxonomy" / "service_types.json"
DEADLINES_FILE = HERE / "deadlines.json"
PATHWAYS_DIR = HERE / "pathways"

URGENCIES = ("high", "medium", "low")  # most urgent first
ANY_REGION = "*"


class CatalogueError(ValueError):
    """A data file breaks its rules; the message names the file and the place in it."""


@dataclass(frozen=True)
class ServiceType:
    code: str
    label: str
    parent: str = ""


@dataclass(frozen=True)
class Taxonomy:
    version: str
    source: str
    types: tuple[ServiceType, ...]

    def codes(self) -> frozenset[str]:
        return frozenset(t.code for t in self.types)

    def label(self, code: str) -> str:
        return next((t.label for t in self.types if t.code == code), code)

    def family(self, code: str) -> frozenset[str]:
        """A type and its sub-types: searching 'health' finds 'health.mental' too."""
        return frozenset(t.code for t in self.types if t.code == code or t.parent == code)


def _fail(path: Path, where: str, message: str) -> CatalogueError:
    return CatalogueError(f"{path.name}: {where}: {message}")


def parse_taxonomy(data: Any, path: Path = TAXONOMY_FILE) -> Taxonomy:
    if not isinstance(data, dict) or not data.get("source") or not data.get("version"):
        raise _fail(path, "top level", "needs 'version', 'source' and 'types'")
    types: list[ServiceType] = []
    seen: set[str] = set()
    for index, row in enumerate(data.get("types") or []):
        where = f"types[{index}]"
        if not isinstance(row, dict) or not row.get("code") or not row.get("label"):
            raise _fail(path, where, "each type needs a 'code' and a 'label'")
        code, parent = str(row["code"]), str(row.get("parent", ""))
        if code in seen:
            raise _fail(path, where, f"duplicate code {code!r}")
        if parent and parent not in seen:
            raise _fail(path, where, f"parent {parent!r} must be listed before {code!r}")
        if parent and not code.startswith(f"{parent}."):
            raise _fail(path, where, f"a sub-type's code starts with its parent's: {code!r}")
        seen.add(code)
        types.append(ServiceType(code=code, label=str(row["label"]), parent=parent))
    if not types:
        raise _fail(path, "types", "lists no service type")
    return Taxonomy(version=str(data["version"]), source=str(data["source"]), types=tuple(types))


@cache
def taxonomy() -> Taxonomy:
    return parse_taxonomy(json.loads(TAXONOMY_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Deadline:
    respond_within: datetime.timedelta
    supervisor_after: datetime.timedelta


def parse_deadlines(data: Any, path: Path = DEADLINES_FILE) -> dict[str, Deadline]:
    if not isinstance(data, dict) or not data.get("source"):
        raise _fail(path, "top level", "needs 'source' and 'urgency'")
    table = data.get("urgency")
    if not isinstance(table, dict) or set(table) != set(URGENCIES):
        raise _fail(path, "urgency", f"must give exactly {', '.join(URGENCIES)}")
    deadlines: dict[str, Deadline] = {}
    for urgency in URGENCIES:
        row = table[urgency]
        hours = [row.get("respond_within_hours"), row.get("supervisor_after_hours")]
        if not all(isinstance(h, int) and not isinstance(h, bool) and h > 0 for h in hours):
            raise _fail(path, f"urgency.{urgency}", "hours must be positive whole numbers")
        deadlines[urgency] = Deadline(
            respond_within=datetime.timedelta(hours=hours[0]),
            supervisor_after=datetime.timedelta(hours=hours[1]),
        )
    order = [deadlines[u].respond_within for u in URGENCIES]
    if order != sorted(order):
        raise _fail(path, "urgency", "a more urgent referral cannot have a longer deadline")
    return deadlines


@cache
def deadlines() -> dict[str, Deadline]:
    return parse_deadlines(json.loads(DEADLINES_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Step:
    service_type: str
    urgency: str


@dataclass(frozen=True)
class Pathway:
    region: str  # "*" or an ISO 3166-1 alpha-2 country code
    exploitation: str
    steps: tuple[Step, ...]
    source: str


@dataclass(frozen=True)
class Recommendation:
    """One suggested service type for a case: the first pathway step that asked for it."""

    service_type: str
    urgency: str
    exploitation: str
    region: str


def parse_pathways(
    data: Any,
    path: Path,
    *,
    service_types: frozenset[str],
    exploitations: frozenset[str],
    countries: frozenset[str],
) -> list[Pathway]:
    if not isinstance(data, dict) or not data.get("source") or not data.get("version"):
        raise _fail(path, "top level", "needs 'version', 'source', 'region' and 'pathways'")
    region = str(data.get("region", ""))
    if region != ANY_REGION and region not in countries:
        raise _fail(path, "region", f"{region!r} is neither '*' nor an ISO country code")
    pathways: list[Pathway] = []
    seen: set[str] = set()
    for index, row in enumerate(data.get("pathways") or []):
        where = f"pathways[{index}]"
        exploitation = str(row.get("exploitation", "")) if isinstance(row, dict) else ""
        if exploitation not in exploitations:
            raise _fail(path, f"{where}.exploitation", f"unknown form {exploitation!r}")
        if exploitation in seen:
            raise _fail(path, f"{where}.exploitation", f"{exploitation!r} is listed twice")
        seen.add(exploitation)
        steps: list[Step] = []
        for number, step in enumerate(row.get("steps") or []):
            place = f"{where}.steps[{number}]"
            if not isinstance(step, dict):
                raise _fail(path, place, "a step gives service_type and urgency")
            if step.get("service_type") not in service_types:
                raise _fail(path, f"{place}.service_type", f"unknown {step.get('service_type')!r}")
            if step.get("urgency") not in URGENCIES:
                raise _fail(path, f"{place}.urgency", f"must be one of {', '.join(URGENCIES)}")
            steps.append(Step(service_type=step["service_type"], urgency=step["urgency"]))
        if not steps:
            raise _fail(path, where, "a pathway needs at least one step")
        pathways.append(Pathway(region, exploitation, tuple(steps), str(data["source"])))
    return pathways


def load_pathways(
    directory: Path, *, exploitations: frozenset[str], countries: frozenset[str]
) -> list[Pathway]:
    codes = taxonomy().codes()
    loaded: list[Pathway] = []
    regions: set[str] = set()
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        pathways = parse_pathways(
            data, path, service_types=codes, exploitations=exploitations, countries=countries
        )
        region = pathways[0].region if pathways else str(data.get("region"))
        if region in regions:
            raise _fail(path, "region", f"another file already covers {region!r}")
        regions.add(region)
        loaded.extend(pathways)
    if ANY_REGION not in regions:
        raise CatalogueError(f"{directory}: no default pathway file (region '*')")
    return loaded


def recommend(
    pathways: list[Pathway], *, exploitations: list[str], region: str
) -> list[Recommendation]:
    """Service types for a case, in pathway order: the region's pathway for each form of
    exploitation, else the default one. A type asked for twice keeps its first place and the
    higher urgency."""
    by_key = {(p.region, p.exploitation): p for p in pathways}
    chosen: dict[str, Recommendation] = {}
    for exploitation in exploitations:
        pathway = by_key.get((region, exploitation)) or by_key.get((ANY_REGION, exploitation))
        if pathway is None:
            continue
        for step in pathway.steps:
            earlier = chosen.get(step.service_type)
            if earlier is None:
                chosen[step.service_type] = Recommendation(
                    step.service_type, step.urgency, exploitation, pathway.region
                )
            elif URGENCIES.index(step.urgency) < URGENCIES.index(earlier.urgency):
                chosen[step.service_type] = Recommendation(
                    step.service_type, step.urgency, earlier.exploitation, earlier.region
                )
    return list(chosen.values())
