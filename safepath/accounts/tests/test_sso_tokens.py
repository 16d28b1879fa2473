"""ID tokens that must be refused, made by hand with joserfc (a real provider will not misbehave
on request): wrong audience, expired, unsigned, signed with the client secret, signed by the
wrong key, wrong issuer or nonce. The last tests use the keys a real provider publishes."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from safepath.accounts.sso.tokens import IdTokenError, id_token_claims
from safepath.testing.oidc import OpenIdProvider, running_provider

ISSUER = "https://id.example.org"
CLIENT = "safepath"
NONCE = "n-0S6_WzA2Mj"


@pytest.fixture(scope="module")
def key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})


@pytest.fixture(scope="module")
def jwks(key: RSAKey) -> dict[str, Any]:
    return KeySet([key]).as_dict(private=False)


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "sub": "248289761001",
        "aud": CLIENT,
        "exp": now + 300,
        "iat": now,
        "nonce": NONCE,
        "amr": ["pwd", "otp"],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def signed(key: Any, payload: dict[str, Any], alg: str = "RS256", kid: str = "k1") -> str:
    return jwt.encode({"alg": alg, "kid": kid}, payload, key)


def check(raw: str, jwks: dict[str, Any], **expect: Any) -> dict[str, Any]:
    options = {"issuer": ISSUER, "client_id": CLIENT, "nonce": NONCE, **expect}
    return id_token_claims(raw, jwks=jwks, **options)


def refused(raw: str, jwks: dict[str, Any], **expect: Any) -> str:
    with pytest.raises(IdTokenError) as error:
        check(raw, jwks, **expect)
    return error.value.reason


def test_a_good_token_gives_its_claims(key: RSAKey, jwks: dict[str, Any]) -> None:
    assert check(signed(key, claims()), jwks)["amr"] == ["pwd", "otp"]


def test_audience_as_a_list_with_this_client_and_azp(key: RSAKey, jwks: dict[str, Any]) -> None:
    token = signed(key, claims(aud=[CLIENT, "other"], azp=CLIENT))
    assert check(token, jwks)["sub"] == "248289761001"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"aud": "another-client"}, "claim_aud"),
        ({"aud": ["another-client"]}, "claim_aud"),
        ({"aud": [CLIENT, "other"]}, "claim_azp"),  # several audiences and no azp
        ({"aud": [CLIENT, "other"], "azp": "other"}, "claim_azp"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"exp": None}, "claim_exp"),
        ({"iat": None}, "claim_iat"),
        ({"iss": "https://evil.example.org"}, "claim_iss"),
        ({"nonce": "replayed"}, "claim_nonce"),
        ({"nonce": None}, "claim_nonce"),
        ({"sub": None}, "claim_sub"),
        ({"sub": ""}, "claim_sub"),
    ],
)
def test_a_token_with_wrong_claims_is_refused(
    key: RSAKey, jwks: dict[str, Any], changes: dict[str, Any], reason: str
) -> None:
    assert refused(signed(key, claims(**changes)), jwks) == reason


def test_an_unsigned_token_is_refused(jwks: dict[str, Any]) -> None:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    unsigned = f"{part({'alg': 'none', 'kid': 'k1'})}.{part(claims())}."
    assert refused(unsigned, jwks) == "algorithm_refused"


def test_a_token_signed_with_the_client_secret_is_refused(jwks: dict[str, Any]) -> None:
    secret = OctKey.import_key("the-client-secret-shared-with-the-provider-0123")
    token = jwt.encode({"alg": "HS256", "kid": "k1"}, claims(), secret)
    assert refused(token, jwks) == "algorithm_refused"


def test_a_token_signed_by_another_key_with_the_same_id_is_refused(jwks: dict[str, Any]) -> None:
    impostor = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
    assert refused(signed(impostor, claims()), jwks) == "bad_signature"


def test_a_tampered_payload_is_refused(key: RSAKey, jwks: dict[str, Any]) -> None:
    header, _payload, signature = signed(key, claims()).split(".")
    forged = base64.urlsafe_b64encode(json.dumps(claims(sub="admin")).encode()).rstrip(b"=")
    assert refused(f"{header}.{forged.decode()}.{signature}", jwks) == "bad_signature"


def test_at_hash_must_match_the_access_token(key: RSAKey, jwks: dict[str, Any]) -> None:
    token = signed(key, claims(at_hash="AAAAAAAAAAAAAAAAAAAAAA"))
    assert refused(token, jwks, access_token="the-access-token") == "claim_at_hash"


def test_garbage_is_refused(jwks: dict[str, Any]) -> None:
    assert refused("not.a.token", jwks) == "malformed"


@pytest.fixture(scope="module")
def provider() -> Iterator[OpenIdProvider]:
    with running_provider(["http://testserver/accounts/sso/test/callback/"]) as running:
        yield running


def test_the_real_providers_keys_refuse_a_token_it_did_not_sign(
    provider: OpenIdProvider,
) -> None:
    published = requests.get(f"{provider.issuer}/jwks", timeout=10).json()
    kid = published["keys"][0]["kid"]
    forger = RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256"})
    forged = signed(forger, claims(iss=provider.issuer), kid=kid)
    assert refused(forged, published, issuer=provider.issuer) == "bad_signature"
    unknown = signed(forger, claims(iss=provider.issuer), kid="not-published")
    assert refused(unknown, published, issuer=provider.issuer) == "unknown_key"
