"""Read settings from the environment, one place for the rules.

A value ``NAME`` may also come from a file named by ``NAME_FILE`` (Docker and systemd secrets),
so that secrets never need to sit in the process environment.
"""

import os
from pathlib import Path


class MissingSettingError(RuntimeError):
    """A setting that production cannot run without is absent."""


def read(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def plain(name: str) -> str | None:
    """The variable itself, without the NAME_FILE form (for values that name a file)."""
    return os.environ.get(name) or None


def require(name: str) -> str:
    value = read(name)
    if not value:
        raise MissingSettingError(
            f"SafePath cannot start: {name} (or {name}_FILE) is not set. "
            "See docs/deploy.md, section 'Secrets'."
        )
    return value


def flag(name: str, *, default: bool = False) -> bool:
    value = read(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def integer(name: str, default: int) -> int:
    value = read(name)
    return default if value in (None, "") else int(value)


def csv(name: str, default: str = "") -> list[str]:
    value = read(name, default) or ""
    return [part.strip() for part in value.split(",") if part.strip()]
