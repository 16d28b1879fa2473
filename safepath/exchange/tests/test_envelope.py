"""The envelope as a pure function: sealed by one instance, opened by the other, and every way a
message can fail to prove itself refused with its code."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from joserfc import jwe, jws

from safepath.exchange import envelope, instance_keys
from safepath.exchange.envelope import Claims, MessageRefusedError, open_message, seal

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
LIMIT = 1_000_000
A = instance_keys.generate("sp-country-a")
B = instance_keys.generate("sp-country-b")


def _claims(**changes: Any) -> Claims:
    base = Claims(
        id=str(uuid.uuid4()),
        kind="tracing_request",
        purpose="tracing",
        sender=A.instance,
        recipient=B.instance,
        sent_at=NOW,
        expires_at=NOW + timedelta(days=7),
        sequence=1,
        body={"question": "synthetic"},
    )
    return replace(base, **changes)


def _partners(registered: dict[str, Any]) -> Any:
    return lambda instance: registered.get(instance)


def _open(token: str, *, partners: dict[str, Any] | None = None, now: datetime = NOW) -> Any:
    return open_message(
        token,
        keys=B,
        partner_jwks=_partners({A.instance: A.public_jwks()} if partners is None else partners),
        now=now,
        max_bytes=LIMIT,
    )


def _refusal(token: str, **kwargs: Any) -> str:
    with pytest.raises(MessageRefusedError) as caught:
        _open(token, **kwargs)
    return caught.value.code


def test_a_sealed_message_opens_at_its_recipient_with_its_claims_and_digest() -> None:
    claims = _claims()
    token = seal(claims, keys=A, recipient_jwks=B.public_jwks())
    opened = _open(token)
    assert opened.claims == claims
    assert opened.digest == envelope.digest(token)
    assert opened.signing_kid == A.signing


def test_the_public_key_set_carries_no_private_member() -> None:
    for jwk in A.public_jwks()["keys"]:
        assert "d" not in jwk
    assert {jwk["use"] for jwk in A.public_jwks()["keys"]} == {"sig", "enc"}


def test_a_tampered_package_is_refused() -> None:
    token = seal(_claims(), keys=A, recipient_jwks=B.public_jwks())
    head, key, iv, ciphertext, tag = token.split(".")
    flipped = ciphertext[:10] + ("A" if ciphertext[10] != "A" else "B") + ciphertext[11:]
    assert _refusal(".".join([head, key, iv, flipped, tag])) == "undecryptable"


def test_a_message_encrypted_to_another_instance_does_not_open() -> None:
    other = instance_keys.generate("sp-country-c")
    token = seal(_claims(), keys=A, recipient_jwks=other.public_jwks())
    assert _refusal(token) == "undecryptable"


def test_a_message_addressed_to_another_instance_is_refused_even_if_it_opens() -> None:
    token = seal(_claims(recipient="sp-country-c"), keys=A, recipient_jwks=B.public_jwks())
    assert _refusal(token) == "wrong_recipient"


def test_a_message_signed_by_an_unregistered_key_is_refused() -> None:
    impostor = replace(instance_keys.generate(A.instance))  # same claimed id, its own keys
    token = seal(_claims(), keys=impostor, recipient_jwks=B.public_jwks())
    assert _refusal(token) == "bad_signature"


def test_a_message_from_an_instance_that_is_not_a_partner_is_refused() -> None:
    token = seal(_claims(), keys=A, recipient_jwks=B.public_jwks())
    assert _refusal(token, partners={}) == "unknown_sender"


def test_an_unsigned_message_is_refused() -> None:
    payload = json.dumps(_claims().as_json()).encode()
    unsigned = (
        base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
        + "."
        + base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
        + "."
    )
    token = jwe.encrypt_compact(
        {"alg": "ECDH-ES+A256KW", "enc": "A256GCM"},
        unsigned,
        envelope.encryption_key(B.public_jwks()),
    )
    assert _refusal(token) == "unsigned"


def test_a_message_signed_with_a_symmetric_algorithm_is_refused() -> None:
    from joserfc.jwk import OctKey

    signed = jws.serialize_compact(
        {"alg": "HS256"}, json.dumps(_claims().as_json()).encode(), OctKey.generate_key(256)
    )
    token = jwe.encrypt_compact(
        {"alg": "ECDH-ES+A256KW", "enc": "A256GCM"},
        signed,
        envelope.encryption_key(B.public_jwks()),
    )
    assert _refusal(token) == "unsigned"


def test_an_expired_message_is_refused() -> None:
    token = seal(_claims(), keys=A, recipient_jwks=B.public_jwks())
    assert _refusal(token, now=NOW + timedelta(days=8)) == "expired"


def test_a_message_from_the_future_is_refused() -> None:
    token = seal(_claims(), keys=A, recipient_jwks=B.public_jwks())
    assert _refusal(token, now=NOW - timedelta(hours=1)) == "expired"


def test_a_message_larger_than_the_limit_is_refused_before_it_is_opened() -> None:
    token = seal(_claims(body={"pad": "x" * LIMIT}), keys=A, recipient_jwks=B.public_jwks())
    assert _refusal(token) == "oversize"


def test_a_large_package_within_the_limit_opens() -> None:
    """joserfc's own defaults stop at 64 KB of ciphertext; a package with a document is larger."""
    claims = _claims(body={"document": "x" * 400_000})
    token = seal(claims, keys=A, recipient_jwks=B.public_jwks())
    assert 400_000 < len(token) < LIMIT
    assert _open(token).claims == claims


def test_malformed_claims_are_refused() -> None:
    token = seal(_claims(sequence=0), keys=A, recipient_jwks=B.public_jwks())
    assert _refusal(token) == "malformed"


def test_after_rotation_a_message_sealed_to_the_older_key_still_opens() -> None:
    token = seal(_claims(), keys=A, recipient_jwks=B.public_jwks())
    rotated = B.rotated()
    opened = open_message(
        token,
        keys=rotated,
        partner_jwks=_partners({A.instance: A.public_jwks()}),
        now=NOW,
        max_bytes=LIMIT,
    )
    assert opened.claims.recipient == B.instance
    assert rotated.encryption != B.encryption


def test_the_key_file_round_trips_and_refuses_to_be_overwritten(tmp_path: Any) -> None:
    path = tmp_path / "exchange_keys.json"
    made = instance_keys.create_file(path, "sp-test")
    assert instance_keys.load_file(path) == made
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(instance_keys.InstanceKeysError):
        instance_keys.create_file(path)
    rotated = made.rotated()
    with pytest.raises(instance_keys.InstanceKeysError):
        rotated.without(rotated.signing)
    assert made.signing not in rotated.without(made.signing).keys
