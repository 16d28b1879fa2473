"""Per-FIU report profiles (YAML): which schema, which codes, how our channels map to theirs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"


class ReportError(ValueError):
    """A profile or report cannot be used; ``errors`` says why, one line each."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Profile:
    id: str
    format: str
    path: Path
    data: dict[str, Any]

    @property
    def xsd(self) -> Path | None:
        value = self.data.get("xsd")
        if not value:
            return None
        candidate = Path(str(value))
        return candidate if candidate.is_absolute() else (self.path.parent / candidate).resolve()


def load_profile(profile: str | Path) -> Profile:
    """A shipped profile by id (``test``, ``fincen_sar``) or a YAML file path."""
    path = Path(profile)
    if not path.suffix:
        path = PROFILES_DIR / f"{profile}.yaml"
    if not path.exists():
        raise ReportError([f"{profile}: profile not found"])
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "id" not in data or "format" not in data:
        raise ReportError([f"{path}: a profile needs id and format"])
    return Profile(str(data["id"]), str(data["format"]), path, data)


def shipped_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))
