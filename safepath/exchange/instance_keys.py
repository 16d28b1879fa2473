"""This instance's own key pairs for talking to partner instances (``safepath exchange keys``).

Kept like the keyring (``core/keyring.py``): a JSON file, readable by its owner only, replaced
atomically, never in the database. It holds the instance's id and its private keys as JWKs
(RFC 7517), one signing key (ES256) and one encryption key (ECDH-ES+A256KW) active::

    {"instance": "sp-3f9c...", "signing": "s20261207ab12cd", "encryption": "e20261207ef34gh",
     "keys": {"s20261207ab12cd": {<private JWK>}, "e20261207ef34gh": {<private JWK>}, ...}}

Rotation adds a new active pair and keeps the older keys, so a message sealed to the older
encryption key while partners still had it opens; ``retire`` removes an older key. A partner
learns the public half from ``identity()`` (the JWK set, no private member). No Django here.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet

CURVE = "P-256"
SIGNING_ALGORITHM = "ES256"
KEY_WRAP_ALGORITHM = "ECDH-ES+A256KW"
CONTENT_ALGORITHM = "A256GCM"
INIT_DONE = (
    "Wrote this instance's exchange keys to {path} (mode 600), instance id {instance}. "
    "Back the file up offline; give partners `safepath exchange identity`."
)


class InstanceKeysError(RuntimeError):
    """The exchange key file is missing, malformed, or lacks a key a message needs."""


@dataclass(frozen=True)
class InstanceKeys:
    instance: str
    signing: str
    encryption: str
    keys: dict[str, dict[str, Any]] = field(repr=False)

    def __post_init__(self) -> None:
        if not self.instance or len(self.instance) > 64:
            raise InstanceKeysError("the instance id must be 1 to 64 characters")
        for active, use in ((self.signing, "sig"), (self.encryption, "enc")):
            jwk = self.keys.get(active)
            if jwk is None:
                raise InstanceKeysError(f"the active key {active!r} is not in the file")
            if jwk.get("use") != use or "d" not in jwk:
                raise InstanceKeysError(f"key {active!r} is not a private {use} key")

    def private(self, kid: str) -> ECKey:
        try:
            return ECKey.import_key(self.keys[kid])
        except KeyError:
            raise InstanceKeysError(f"there is no exchange key {kid!r}") from None

    def signing_key(self) -> ECKey:
        return self.private(self.signing)

    def decryption_keys(self) -> KeySet:
        """Every encryption key, the older ones too: a partner may not have our newest yet."""
        return KeySet([self.private(kid) for kid, jwk in self.keys.items() if jwk["use"] == "enc"])

    def public_jwks(self) -> dict[str, Any]:
        """The public halves of the active keys, as a JWK set a partner registers."""
        return {
            "keys": [
                self.private(kid).as_dict(private=False) for kid in (self.signing, self.encryption)
            ]
        }

    def identity(self) -> dict[str, Any]:
        return {"instance": self.instance, "jwks": self.public_jwks()}

    def rotated(self) -> InstanceKeys:
        signing, encryption = _new_key("sig"), _new_key("enc")
        return replace(
            self,
            signing=signing["kid"],
            encryption=encryption["kid"],
            keys={**self.keys, signing["kid"]: signing, encryption["kid"]: encryption},
        )

    def without(self, kid: str) -> InstanceKeys:
        if kid in (self.signing, self.encryption):
            raise InstanceKeysError("an active key cannot be retired; rotate first")
        if kid not in self.keys:
            raise InstanceKeysError(f"there is no exchange key {kid!r}")
        return replace(self, keys={k: v for k, v in self.keys.items() if k != kid})

    def to_json(self) -> str:
        return json.dumps(
            {
                "instance": self.instance,
                "signing": self.signing,
                "encryption": self.encryption,
                "keys": self.keys,
            },
            indent=2,
        )


def _new_key(use: str) -> dict[str, Any]:
    kid = f"{use[0]}{datetime.now(tz=UTC):%Y%m%d}{secrets.token_hex(3)}"
    key = ECKey.generate_key(CURVE, parameters={"kid": kid, "use": use}, private=True)
    return dict(key.as_dict(private=True))


def new_instance_id() -> str:
    return f"sp-{secrets.token_hex(6)}"


def generate(instance: str | None = None) -> InstanceKeys:
    signing, encryption = _new_key("sig"), _new_key("enc")
    return InstanceKeys(
        instance=instance or new_instance_id(),
        signing=signing["kid"],
        encryption=encryption["kid"],
        keys={signing["kid"]: signing, encryption["kid"]: encryption},
    )


def parse(text: str, *, source: str) -> InstanceKeys:
    try:
        data = json.loads(text)
        keys = {str(kid): dict(jwk) for kid, jwk in data["keys"].items()}
        for kid, jwk in keys.items():
            ECKey.import_key(jwk)
            if jwk.get("kid") != kid:
                raise ValueError(f"key {kid!r} carries the kid {jwk.get('kid')!r}")
        return InstanceKeys(
            instance=str(data["instance"]),
            signing=str(data["signing"]),
            encryption=str(data["encryption"]),
            keys=keys,
        )
    except (ValueError, KeyError, TypeError, AttributeError, JoseError) as error:
        raise InstanceKeysError(f"{source}: not a SafePath exchange key file ({error})") from error


def load_file(path: Path) -> InstanceKeys:
    try:
        return parse(path.read_text(encoding="utf-8"), source=str(path))
    except FileNotFoundError:
        raise InstanceKeysError(
            f"exchange key file {path} does not exist; create one with `safepath exchange keys "
            "init`"
        ) from None


def write_file(path: Path, keys: InstanceKeys) -> None:
    """Replace the file atomically, readable by its owner only (as ``keyring.write_file``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(keys.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def create_file(path: Path, instance: str | None = None) -> InstanceKeys:
    """New keys at ``path``; refuses to overwrite (that would cut every partner off)."""
    if path.exists():
        raise InstanceKeysError(f"{path} exists; refusing to overwrite the exchange keys")
    keys = generate(instance)
    write_file(path, keys)
    return keys


def local_file(secrets_dir: Path) -> Path:
    """Demo and development only: the keys kept in the data directory, made on first use."""
    path = secrets_dir / "exchange_keys.json"
    if not path.exists():
        write_file(path, generate())
    return path
