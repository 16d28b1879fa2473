"""Messages between instances: JSON claims signed (JWS, ES256) by the sender, then encrypted
(JWE, ECDH-ES+A256KW with A256GCM) to the recipient, in compact form. Pure: no Django, no
database, no clock (the caller passes ``now``).

``open_message`` checks everything a message can prove by itself, in an order that spends
nothing on a stranger: its size first, then that it opens with one of our keys, that what is
inside is signed, that the signer is a registered partner and the signature is by one of the
keys registered for it, that it is addressed to us and still in date. Whether it was seen
before (a replay) and whether the partner may send it (its purposes) are the database's
questions, asked by ``services/receiving.py``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwe import JWERegistry
from joserfc.jwk import ECKey, KeySet
from joserfc.jws import JWSRegistry

from safepath.exchange.instance_keys import (
    CONTENT_ALGORITHM,
    KEY_WRAP_ALGORITHM,
    SIGNING_ALGORITHM,
    InstanceKeys,
)

TYPE = "safepath-exchange+jws"
# How far ahead of our clock a sender's may be before its message is refused.
CLOCK_SKEW = timedelta(minutes=5)
CLAIMS = ("id", "kind", "purpose", "sender", "recipient", "sent_at", "expires_at", "sequence")


class MessageRefusedError(Exception):
    """A message that is not accepted; ``code`` says why (a stable word, see REFUSALS)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# Every refusal, in the order the checks run (``services/receiving.py`` adds the last four).
REFUSALS = (
    "oversize",  # larger than the limit, not even opened
    "undecryptable",  # not encrypted to one of our keys, or altered in transit
    "unsigned",  # what is inside is not a signed message
    "malformed",  # the claims are missing or of the wrong type
    "unknown_sender",  # the sender is not a registered partner (or no longer active)
    "bad_signature",  # not signed by a key registered for the sender, or altered
    "wrong_recipient",  # addressed to another instance
    "expired",  # past its expiry, or sent from too far in the future
    "replayed",  # its id, or its sequence, was seen before from this sender
    "purpose_not_allowed",  # the partner is not registered for this purpose
    "kind_not_allowed",  # the kind does not go with the purpose
    "unknown_reference",  # it answers a message or a transfer we do not know
)


@dataclass(frozen=True)
class Claims:
    id: str
    kind: str
    purpose: str
    sender: str
    recipient: str
    sent_at: datetime
    expires_at: datetime
    sequence: int
    body: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "purpose": self.purpose,
            "sender": self.sender,
            "recipient": self.recipient,
            "sent_at": self.sent_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "sequence": self.sequence,
            "body": self.body,
        }


@dataclass(frozen=True)
class Opened:
    claims: Claims
    digest: str  # SHA-256 of the compact token as it travelled: both sides audit this
    signing_kid: str


# Sealing has no limit of its own (the caller checks the sealed size against its setting).
SEALING_LIMIT = 2**31


def _registries(max_bytes: int) -> tuple[JWSRegistry, JWERegistry]:
    """joserfc's registries with our limit instead of its defaults (64 KB of ciphertext, 128 KB
    of payload), which a case package with documents would exceed; still only our algorithms."""
    signing = JWSRegistry(algorithms=[SIGNING_ALGORITHM])
    signing.max_payload_length = max_bytes
    encryption = JWERegistry(algorithms=[KEY_WRAP_ALGORITHM, CONTENT_ALGORITHM])
    encryption.max_ciphertext_length = max_bytes
    return signing, encryption


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def seal(claims: Claims, *, keys: InstanceKeys, recipient_jwks: Mapping[str, Any]) -> str:
    """The compact JWE of the signed ``claims``, encrypted to the recipient's encryption key."""
    signing, encryption = _registries(SEALING_LIMIT)
    signed = jws.serialize_compact(
        {"alg": SIGNING_ALGORITHM, "kid": keys.signing, "typ": TYPE},
        json.dumps(claims.as_json(), separators=(",", ":"), sort_keys=True).encode(),
        keys.signing_key(),
        registry=signing,
    )
    recipient_key = encryption_key(recipient_jwks)
    return jwe.encrypt_compact(
        {
            "alg": KEY_WRAP_ALGORITHM,
            "enc": CONTENT_ALGORITHM,
            "kid": recipient_key.kid,
            "cty": "JOSE",
        },
        signed,
        recipient_key,
        registry=encryption,
    )


def encryption_key(jwks: Mapping[str, Any]) -> ECKey:
    """The partner's encryption key (the last one listed: registration puts the newest last)."""
    found = [key for key in jwks.get("keys", []) if key.get("use") == "enc"]
    if not found:
        raise ValueError("the partner's key set has no encryption key")
    return ECKey.import_key(found[-1])


def signing_keys(jwks: Mapping[str, Any]) -> KeySet:
    return KeySet(
        [ECKey.import_key(key) for key in jwks.get("keys", []) if key.get("use") == "sig"]
    )


def open_message(
    token: str,
    *,
    keys: InstanceKeys,
    partner_jwks: Callable[[str], Mapping[str, Any] | None],
    now: datetime,
    max_bytes: int,
) -> Opened:
    """The verified claims of ``token``, or ``MessageRefusedError`` naming the first check that
    failed. ``partner_jwks(instance)`` is the public key set registered for an active partner."""
    if len(token) > max_bytes:
        raise MessageRefusedError("oversize", f"{len(token)} bytes; the limit is {max_bytes}")
    signing, encryption = _registries(max_bytes)
    try:
        inner = jwe.decrypt_compact(token, keys.decryption_keys(), registry=encryption).plaintext
    except (JoseError, ValueError, TypeError) as error:
        raise MessageRefusedError("undecryptable", type(error).__name__) from None
    if inner is None:
        raise MessageRefusedError("undecryptable")
    header, payload = _unverified(inner)
    claims = _claims(payload)
    jwks = partner_jwks(claims.sender)
    if jwks is None:
        raise MessageRefusedError("unknown_sender", claims.sender)
    kid = str(header.get("kid", ""))
    try:
        jws.deserialize_compact(inner, signing_keys(jwks), registry=signing)
    except (JoseError, ValueError, TypeError) as error:
        raise MessageRefusedError("bad_signature", type(error).__name__) from None
    if claims.recipient != keys.instance:
        raise MessageRefusedError("wrong_recipient", claims.recipient)
    if claims.expires_at <= now or claims.sent_at > now + CLOCK_SKEW:
        raise MessageRefusedError("expired", claims.expires_at.isoformat())
    return Opened(claims=claims, digest=digest(token), signing_kid=kid)


def _unverified(inner: bytes) -> tuple[dict[str, Any], bytes]:
    """The JWS header and payload before verification: to learn who claims to have signed."""
    parts = inner.split(b".")
    if len(parts) != 3 or not parts[2]:
        raise MessageRefusedError("unsigned")
    try:
        header = json.loads(_b64(parts[0]))
        payload = _b64(parts[1])
    except (ValueError, binascii.Error):
        raise MessageRefusedError("unsigned") from None
    if not isinstance(header, dict) or header.get("alg") != SIGNING_ALGORITHM:
        raise MessageRefusedError("unsigned", str(header.get("alg", "")))
    return header, payload


def _b64(part: bytes) -> bytes:
    return base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4))


def _claims(payload: bytes) -> Claims:
    try:
        data = json.loads(payload)
        sequence: object = data["sequence"]
        if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
            raise MessageRefusedError("malformed", "sequence")
        claims = Claims(
            id=str(uuid.UUID(data["id"])),
            kind=_text(data["kind"]),
            purpose=_text(data["purpose"]),
            sender=_text(data["sender"]),
            recipient=_text(data["recipient"]),
            sent_at=_moment(data["sent_at"]),
            expires_at=_moment(data["expires_at"]),
            sequence=sequence,
            body=data["body"],
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise MessageRefusedError("malformed", str(error)) from None
    if not isinstance(claims.body, dict):
        raise MessageRefusedError("malformed", "body")
    return claims


def _text(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ValueError("a claim is not a short text")
    return value


def _moment(value: object) -> datetime:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment


# --- pull: an instance behind a firewall asks for what waits for it -------------------------

PULL_TYPE = "safepath-exchange-pull+jws"
PULL_SCHEME = "SafePath-Exchange"


def sign_pull_request(*, keys: InstanceKeys, partner: str, now: datetime) -> str:
    """The ``Authorization`` value of a pull: a short JWS saying who asks whom, and when."""
    claims = {"instance": keys.instance, "recipient": partner, "at": now.isoformat()}
    token = jws.serialize_compact(
        {"alg": SIGNING_ALGORITHM, "kid": keys.signing, "typ": PULL_TYPE},
        json.dumps(claims, separators=(",", ":")).encode(),
        keys.signing_key(),
        algorithms=[SIGNING_ALGORITHM],
    )
    return f"{PULL_SCHEME} {token}"


def open_pull_request(
    header: str,
    *,
    me: str,
    partner_jwks: Callable[[str], Mapping[str, Any] | None],
    now: datetime,
) -> str:
    """The instance id of a partner that signed this pull within the last few minutes."""
    scheme, _, token = header.partition(" ")
    if scheme != PULL_SCHEME or token.count(".") != 2:
        raise MessageRefusedError("unsigned")
    header_part, payload = _unverified(token.encode("ascii", "replace"))
    try:
        claims = json.loads(payload)
        instance, recipient = _text(claims["instance"]), _text(claims["recipient"])
        at = _moment(claims["at"])
    except (ValueError, KeyError, TypeError):
        raise MessageRefusedError("malformed") from None
    jwks = partner_jwks(instance)
    if jwks is None:
        raise MessageRefusedError("unknown_sender", instance)
    try:
        jws.deserialize_compact(token, signing_keys(jwks), algorithms=[SIGNING_ALGORITHM])
    except (JoseError, ValueError, TypeError) as error:
        raise MessageRefusedError("bad_signature", type(error).__name__) from None
    if header_part.get("typ") != PULL_TYPE:
        raise MessageRefusedError("unsigned", "not a pull request")
    if recipient != me:
        raise MessageRefusedError("wrong_recipient", recipient)
    if abs(now - at) > CLOCK_SKEW:
        raise MessageRefusedError("expired", at.isoformat())
    return instance


def fingerprint(jwks: Mapping[str, Any]) -> str:
    """A short SHA-256 of the public keys, for two administrators to compare by telephone."""
    canonical = json.dumps(
        sorted(
            (
                {k: v for k, v in key.items() if k in {"kty", "crv", "x", "y", "kid", "use"}}
                for key in jwks.get("keys", [])
            ),
            key=lambda key: str(key.get("kid")),
        ),
        sort_keys=True,
        separators=(",", ":"),
    )
    digest_hex = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return " ".join(digest_hex[i : i + 4] for i in range(0, 32, 4))
