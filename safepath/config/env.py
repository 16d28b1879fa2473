"""Read settings from the environment, one place for the rules.

A value ``NAME`` may also come from a file named by ``NAME_FILE`` (Docker and systemd secrets),
so that secrets never need to sit in the process environment.
"""

import os
from pathlib import Path
from typing import Any


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


# --- modes ------------------------------------------------------------------------------------

ENGINE_MODE = "engine"  # set by settings_engine.py for the engine verbs; not for a deployment
MODE_FILE = "mode"
RECORDABLE_MODES = frozenset({"demo", "development"})
_PRODUCTION_SECRETS = (
    "SAFEPATH_SECRET_KEY",
    "SAFEPATH_SECRET_KEY_FILE",
    "SAFEPATH_KEYRING",
    "SAFEPATH_KEYRING_FILE",
)


def record_mode(data_dir: Path, mode: str) -> None:
    """Note in a new demo or development data directory the mode it was made in.

    Written once (``DATA_DIR/mode``), when the directory is first used in that mode; a data
    directory that has held a production database is never marked, since production keeps its
    secrets elsewhere and never calls this.
    """
    if mode not in RECORDABLE_MODES:
        return
    path = data_dir / MODE_FILE
    if path.exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(mode + "\n", encoding="utf-8")


def recorded_mode(data_dir: Path) -> str | None:
    """The mode a demo or development data directory was made in, when nothing else says.

    Honoured only when SAFEPATH_MODE is not set, no production secret (secret key or keyring,
    in either form) is set, and the directory holds its own generated keyring: so a record can
    let ``safepath audit verify`` find the demo's keys after ``make demo``, but can never turn
    a configured production deployment into a demo.
    """
    if any(os.environ.get(name) for name in _PRODUCTION_SECRETS):
        return None
    path = data_dir / MODE_FILE
    if not (path.is_file() and (data_dir / "secrets" / "keyring.json").is_file()):
        return None
    mode = path.read_text(encoding="utf-8").strip()
    return mode if mode in RECORDABLE_MODES else None


def require_production_secrets() -> None:
    """Production needs a secret key and a keyring; name every one that is missing at once."""
    missing = []
    if not read("SAFEPATH_SECRET_KEY"):
        missing.append("SAFEPATH_SECRET_KEY (or SAFEPATH_SECRET_KEY_FILE)")
    if not (plain("SAFEPATH_KEYRING_FILE") or plain("SAFEPATH_KEYRING")):
        missing.append(
            "SAFEPATH_KEYRING_FILE (a keyring made by `safepath keys init PATH`) "
            "or SAFEPATH_KEYRING"
        )
    if missing:
        raise MissingSettingError(
            "SafePath cannot start in production mode: "
            + " and ".join(missing)
            + (" is" if len(missing) == 1 else " are")
            + " not set. See docs/deploy.md, section 'Secrets'. For a trial on this machine, "
            "set SAFEPATH_MODE=demo (keys and an SQLite database are then made in "
            "SAFEPATH_DATA_DIR)."
        )


def oidc_providers(*, production: bool) -> dict[str, dict[str, Any]]:
    """The single sign-on providers: SAFEPATH_OIDC_PROVIDERS names them, and each name's
    SAFEPATH_OIDC_<NAME>_* variables describe one (docs/deploy.md, "Single sign-on"). A named
    provider without its issuer, client id or secret stops start-up, as does a plain-HTTP
    issuer in production."""
    providers: dict[str, dict[str, Any]] = {}
    for name in csv("SAFEPATH_OIDC_PROVIDERS"):
        key = name.lower()
        if not key.replace("-", "").isalnum() or len(key) > 40:
            raise MissingSettingError(
                f"SAFEPATH_OIDC_PROVIDERS: {name!r} is not a short name (letters, digits, -)."
            )
        prefix = f"SAFEPATH_OIDC_{key.upper().replace('-', '_')}_"
        providers[key] = {
            "issuer": require(prefix + "ISSUER").rstrip("/"),
            "client_id": require(prefix + "CLIENT_ID"),
            "client_secret": require(prefix + "CLIENT_SECRET"),
            "label": read(prefix + "LABEL") or name,
            "scopes": read(prefix + "SCOPES") or "openid profile email",
            "mfa_amr": csv(prefix + "MFA_AMR", "mfa,otp,hwk"),
            "mfa_acr": csv(prefix + "MFA_ACR"),
        }
        if production and not providers[key]["issuer"].startswith("https://"):
            raise MissingSettingError(
                f"SafePath cannot start: {prefix}ISSUER must be an https:// address in production."
            )
    return providers
