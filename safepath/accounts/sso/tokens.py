"""Validate an OpenID Connect ID token (OpenID Connect Core 1.0, section 3.1.3.7).

The signature with the provider's published keys and an asymmetric algorithm (never ``none``,
never a shared-secret HMAC), then the claims: ``iss`` is the provider's issuer, ``aud`` names
this client (and ``azp`` too when there are several audiences), ``exp`` is in the future, ``iat``
is present, ``nonce`` is the one this sign-in sent, ``sub`` is a non-empty string, and
``at_hash`` (when present) matches the access token. Each refusal has a short reason code that
the logs and the audit trail keep; the token and its claims are never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any, cast

from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import KeySet

# Asymmetric algorithms only: a token signed with the client secret (HS256) or with no signature
# at all ("none") is refused.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 60


class IdTokenError(Exception):
    """The ID token is refused; ``reason`` says why, in a word the logs may carry."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _at_hash(access_token: str, alg: str) -> str:
    digest = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}[alg[-3:]]
    half = digest(access_token.encode("ascii")).digest()
    half = half[: len(half) // 2]
    return base64.urlsafe_b64encode(half).rstrip(b"=").decode("ascii")


def id_token_claims(
    raw: str,
    *,
    jwks: dict[str, Any],
    issuer: str,
    client_id: str,
    nonce: str,
    access_token: str | None = None,
    now: int | None = None,
) -> dict[str, Any]:
    """The token's claims once every check has passed; IdTokenError otherwise."""
    try:
        token = jwt.decode(raw, KeySet.import_key_set(cast(Any, jwks)), algorithms=ALGORITHMS)
    except InvalidKeyIdError:
        raise IdTokenError("unknown_key") from None
    except UnsupportedAlgorithmError:
        raise IdTokenError("algorithm_refused") from None
    except BadSignatureError:
        raise IdTokenError("bad_signature") from None
    except (JoseError, ValueError, TypeError):
        raise IdTokenError("malformed") from None
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        now=int(time.time()) if now is None else now,
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise IdTokenError("expired") from None
    except (InvalidClaimError, MissingClaimError) as error:
        raise IdTokenError(f"claim_{error.claim}") from None
    except JoseError:
        raise IdTokenError("malformed") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != client_id:
        raise IdTokenError("claim_azp")
    at_hash = claims.get("at_hash")
    if at_hash is not None and access_token is not None:
        expected = _at_hash(access_token, token.header["alg"])
        if not isinstance(at_hash, str) or not hmac.compare_digest(at_hash, expected):
            raise IdTokenError("claim_at_hash")
    return claims
