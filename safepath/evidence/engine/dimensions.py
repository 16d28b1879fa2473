"""What a table may be broken down by: the dimensions of each source.

The ``cases`` source's dimensions are declared in ``data/cases_dimensions.json`` (values,
labels, HXL tags, CTDC and GLOTIP mappings). An imported CTDC source's dimensions are its CTDC
field names, with the allowed values of the field catalogue (see ``ctdc.py``).

A dimension's ``values`` is its *public* domain: the categories anyone may know exist. It
matters for differential privacy, where the set of categories must not come from the data
(otherwise a rare category's mere presence would leak). ``None`` means the domain is not
public; such a dimension is tabulated from observed categories and cannot carry a DP release.

``multi`` marks a multi-valued dimension (a case may have several forms of exploitation). It is
stored as a list column; a table by it counts each case once per value, so it has no additive
total across its values, and the engine never publishes one (see ``tables.py``).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

DATA_DIR = Path(__file__).parent / "data"
CASES_SOURCE = "cases"
FIRST_YEAR = 2000  # earliest year of identification the `cases` extract declares


class InputError(ValueError):
    """Bad input to the engine; ``field_name`` says which parameter (for CLI and API errors)."""

    def __init__(self, message: str, *, field_name: str) -> None:
        super().__init__(message)
        self.field_name = field_name


class DimensionError(InputError):
    """A dimension name or value a source does not have; the message names the allowed ones."""

    def __init__(self, message: str, *, field_name: str = "by") -> None:
        super().__init__(message, field_name=field_name)


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    values: tuple[str, ...] | None = None
    multi: bool = False
    hxl: str = ""
    ctdc: str = ""
    ctdc_map: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["values"] = list(self.values) if self.values is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dimension:
        values = data.get("values")
        return cls(
            name=str(data["name"]),
            label=str(data.get("label") or data["name"]),
            values=tuple(str(v) for v in values) if values is not None else None,
            multi=bool(data.get("multi", False)),
            hxl=str(data.get("hxl", "")),
            ctdc=str(data.get("ctdc", "")),
            ctdc_map={str(k): str(v) for k, v in (data.get("ctdc_map") or {}).items()},
        )


def _domain(spec: Any) -> tuple[str, ...]:
    if spec == "iso3166_alpha2":
        return tuple(sorted(country.alpha_2 for country in pycountry.countries))
    if spec == "years":
        this_year = datetime.datetime.now(tz=datetime.UTC).year
        return tuple(str(year) for year in range(FIRST_YEAR, this_year + 1))
    if isinstance(spec, list) and all(isinstance(v, str) for v in spec):
        return tuple(spec)
    raise ValueError(f"cases_dimensions.json: unknown value domain {spec!r}")


@cache
def cases_dimensions() -> tuple[Dimension, ...]:
    """The `cases` source's dimensions, validated when loaded."""
    raw = json.loads((DATA_DIR / "cases_dimensions.json").read_text(encoding="utf-8"))
    dims = []
    for item in raw["dimensions"]:
        dims.append(Dimension.from_json({**item, "values": list(_domain(item["values"]))}))
    names = [d.name for d in dims]
    if len(set(names)) != len(names):
        raise ValueError("cases_dimensions.json: duplicate dimension names")
    return tuple(dims)


@cache
def ctdc_exploitation_flags() -> dict[str, tuple[str, ...]]:
    """CTDC exploitation flag -> the SafePath forms of exploitation that set it."""
    raw = json.loads((DATA_DIR / "cases_dimensions.json").read_text(encoding="utf-8"))
    return {flag: tuple(forms) for flag, forms in raw["ctdc_exploitation_flags"].items()}


# Column names of the `cases` source, in order (the contract with extract.py).
CASES_COLUMNS = (
    "age_group_glotip",
    "age_broad",
    "sex",
    "exploitation",
    "citizenship",
    "country_of_exploitation",
    "year_identified",
    "agency_type",
    "referral_outcome",
    "disability",
)


def glotip_age_group(age_broad: str | None) -> str | None:
    """CTDC ``ageBroad`` band -> GLOTIP age group; the two child bands roll up to 0-17."""
    if age_broad is None:
        return None
    return "0-17" if age_broad in {"0--8", "9--17"} else "18+"


def resolve(dimensions: dict[str, Dimension], names: list[str]) -> list[Dimension]:
    """The named dimensions, or a DimensionError naming the unknown one and the allowed ones."""
    if not names:
        raise DimensionError("Give at least one dimension to break the table down by.")
    if len(set(names)) != len(names):
        raise DimensionError(f"A dimension is repeated: {', '.join(names)}.")
    resolved = []
    for name in names:
        if name not in dimensions:
            allowed = ", ".join(dimensions)
            raise DimensionError(f"Unknown dimension '{name}'; allowed dimensions: {allowed}.")
        resolved.append(dimensions[name])
    return resolved
