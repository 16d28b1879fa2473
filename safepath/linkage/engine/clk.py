"""Cryptographic long-term keys (CLKs): record-level Bloom filters for cross-border matching.

Two agencies that may not exchange names can each turn their records into CLKs with a
shared secret and the same linkage schema, and a linkage unit compares only the CLKs.

* Interchange format: the clkhash **v3 linkage schema** (``version``, ``clkConfig`` with
  ``l``, ``kdf`` HKDF and optional ``xorFolds``, ``features`` with ``format`` and ``hashing``).
  The algorithm follows clkhash (HKDF key per feature, n-gram tokens padded with spaces,
  ``blakeHash`` or ``doubleHash`` HMAC indices, OR of features, XOR folds, bits in big-endian
  byte order, base64). With hardening off, the output is byte-identical to clkhash 0.18
  (``tests/engine/test_clk.py`` holds CLKs produced by clkhash itself).
* Hardening, on by default, is a SafePath extension under the schema key ``x-safepath``
  (clkhash ignores unknown top-level keys): ``balance`` (the filter and its complement,
  permuted with a key derived from the secret: every CLK has exactly half its bits set,
  which defeats popcount and frequency analysis) or ``xor-fold`` (one extra fold).
* Speed: keys are derived per distinct token and bit positions set with numpy fancy
  indexing, so cost grows with distinct values rather than records.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from safepath.linkage.engine.errors import SchemaError

HARDENING_MODES = ("balance", "xor-fold", "none")
DEFAULT_HARDENING = "balance"
MIN_SECRET_BYTES = 16
_CHUNK_ROWS = 50_000
BitMatrix = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FeatureSpec:
    """One hashed feature of the schema (ignored features are dropped when parsing)."""

    position: int
    identifier: str
    kind: str
    date_format: str | None
    encoding: str
    comparison: str
    ngram: int
    positional: bool
    bits_per_token: int | None
    bits_per_feature: int | None
    hash_type: str
    prevent_singularity: bool
    missing_sentinel: str | None
    missing_replacement: str | None


@dataclass(frozen=True)
class ParsedSchema:
    length: int
    xor_folds: int
    kdf_hash: str
    salt: bytes | None
    info: bytes | None
    key_size: int
    feature_count: int
    features: tuple[FeatureSpec, ...]
    hardening: str

    @property
    def hash_length(self) -> int:
        return self.length << self.xor_folds

    @property
    def output_bits(self) -> int:
        if self.hardening == "balance":
            return 2 * self.length
        if self.hardening == "xor-fold":
            return self.length // 2
        return self.length


def parse_schema(schema: dict[str, Any]) -> ParsedSchema:
    """Check the clkhash v3 subset we implement; every defect is listed in SchemaError."""
    problems: list[str] = []
    if schema.get("version") != 3:
        problems.append("schema: version must be 3 (clkhash v3 linkage schema)")
    config = schema.get("clkConfig") or {}
    kdf = config.get("kdf") or {}
    length = config.get("l")
    if not isinstance(length, int) or length < 8 or length % 8:
        problems.append("schema: clkConfig.l must be a positive multiple of 8")
    if kdf.get("type") != "HKDF" or kdf.get("hash", "SHA256") not in ("SHA256", "SHA512"):
        problems.append("schema: clkConfig.kdf must be HKDF with SHA256 or SHA512")
    hardening = (schema.get("x-safepath") or {}).get("hardening", DEFAULT_HARDENING)
    if hardening not in HARDENING_MODES:
        problems.append(f"schema: x-safepath.hardening must be one of {HARDENING_MODES}")
    raw_features = schema.get("features")
    if not isinstance(raw_features, list) or not raw_features:
        problems.append("schema: features must be a non-empty list")
        raw_features = []
    features = []
    for position, feature in enumerate(raw_features):
        if feature.get("ignored"):
            continue
        try:
            features.append(_parse_feature(position, feature))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(f"schema: feature {feature.get('identifier', position)!r}: {exc}")
    if problems:
        raise SchemaError(problems)
    folds = int(config.get("xorFolds", 0))
    length_bits = length if isinstance(length, int) else 0
    hash_length = length_bits << folds
    if any(f.hash_type == "blakeHash" for f in features) and hash_length & (hash_length - 1):
        raise SchemaError(["schema: blakeHash needs l * 2**xorFolds to be a power of two"])
    return ParsedSchema(
        length=length_bits,
        xor_folds=folds,
        kdf_hash=str(kdf.get("hash", "SHA256")),
        salt=base64.b64decode(kdf["salt"]) if kdf.get("salt") else None,
        info=base64.b64decode(kdf["info"]) if kdf.get("info") else None,
        key_size=int(kdf.get("keySize", 64)),
        feature_count=len(raw_features),
        features=tuple(features),
        hardening=hardening,
    )


def _parse_feature(position: int, feature: dict[str, Any]) -> FeatureSpec:
    fmt = feature["format"]
    hashing = feature["hashing"]
    comparison = hashing["comparison"]
    strategy = hashing["strategy"]
    hash_spec = hashing.get("hash") or {"type": "blakeHash"}
    if comparison["type"] not in ("ngram", "exact"):
        raise ValueError(f"comparison {comparison['type']!r} is not supported")
    if fmt["type"] not in ("string", "date", "integer", "enum"):
        raise ValueError(f"format {fmt['type']!r} is not supported")
    if hash_spec["type"] not in ("blakeHash", "doubleHash"):
        raise ValueError(f"hash {hash_spec['type']!r} is not supported")
    missing = hashing.get("missingValue") or {}
    return FeatureSpec(
        position=position,
        identifier=str(feature["identifier"]),
        kind=str(fmt["type"]),
        date_format=fmt.get("format") if fmt["type"] == "date" else None,
        encoding=str(fmt.get("encoding", "utf-8")),
        comparison=str(comparison["type"]),
        ngram=int(comparison.get("n", 2)),
        positional=bool(comparison.get("positional", False)),
        bits_per_token=strategy.get("bitsPerToken"),
        bits_per_feature=strategy.get("bitsPerFeature"),
        hash_type=str(hash_spec["type"]),
        prevent_singularity=bool(hash_spec.get("prevent_singularity", False)),
        missing_sentinel=missing.get("sentinel"),
        missing_replacement=missing.get("replaceWith"),
    )


# ------------------------------------------------------------------------ key derivation


def hkdf(secret: bytes, length: int, *, salt: bytes | None, info: bytes | None, algo: str) -> bytes:
    """RFC 5869 HKDF (extract then expand), as clkhash derives its per-feature keys."""
    digest = hashlib.sha256 if algo == "SHA256" else hashlib.sha512
    size = digest().digest_size
    prk = hmac.new(salt or b"\0" * size, secret, digest).digest()
    blocks, previous = [], b""
    for counter in range(1, -(-length // size) + 1):
        previous = hmac.new(prk, previous + (info or b"") + bytes([counter]), digest).digest()
        blocks.append(previous)
    return b"".join(blocks)[:length]


def feature_keys(secret: bytes, schema: ParsedSchema) -> list[tuple[bytes, bytes]]:
    """Two keys per schema feature (ignored ones included, so positions line up)."""
    size = schema.key_size
    material = hkdf(
        secret,
        2 * size * schema.feature_count,
        salt=schema.salt,
        info=schema.info,
        algo=schema.kdf_hash,
    )
    return [
        (
            material[2 * i * size : (2 * i + 1) * size],
            material[(2 * i + 1) * size : (2 * i + 2) * size],
        )
        for i in range(schema.feature_count)
    ]


# ------------------------------------------------------------------------------ tokens


def tokenize(spec: FeatureSpec, value: str) -> list[str]:
    if not value:
        return []
    if spec.comparison == "exact":
        return [value]
    n = spec.ngram
    word = f"{' ' * (n - 1)}{value}{' ' * (n - 1)}" if n > 1 else value
    grams = [word[i : i + n] for i in range(len(word) - n + 1)]
    if spec.positional:
        return [f"{i + 1} {gram}" for i, gram in enumerate(grams)]
    return grams


def tokens_per_insert(spec: FeatureSpec, count: int) -> list[int]:
    if count == 0:
        return []
    if spec.bits_per_token is not None:
        return [int(spec.bits_per_token)] * count
    per_feature = int(spec.bits_per_feature or 0)
    k, residue = divmod(per_feature, count)
    return [k + 1] * residue + [k] * (count - residue)


def _token_indices(
    spec: FeatureSpec, keys: tuple[bytes, bytes], token: str, k: int, length: int
) -> list[int]:
    data = token.encode(spec.encoding)
    if spec.hash_type == "blakeHash":
        shorts: list[int] = []
        for i in range((k + 31) // 32):
            digest = hashlib.blake2b(data, key=keys[0], salt=str(i).encode()).digest()
            shorts.extend(struct.unpack("32H", digest))
        return [shorts[i] % length for i in range(k)]
    first = int.from_bytes(hmac.new(keys[0], data, hashlib.sha1).digest(), "big") % length
    second = int.from_bytes(hmac.new(keys[1], data, hashlib.md5).digest(), "big") % length
    attempt = 0
    while spec.prevent_singularity and second == 0:
        digest = hmac.new(keys[1], data + chr(attempt).encode(), hashlib.md5).digest()
        second = int.from_bytes(digest, "big") % length
        attempt += 1
    return [(first + i * second) % length for i in range(k)]


def _format_value(spec: FeatureSpec, value: str) -> str:
    if spec.missing_sentinel is not None and value == spec.missing_sentinel:
        return spec.missing_replacement if spec.missing_replacement is not None else value
    if spec.kind == "date" and value and spec.date_format:
        return datetime.strptime(value, spec.date_format).strftime("%Y%m%d")  # noqa: DTZ007 (a date, no time)
    if spec.kind == "integer" and value:
        return str(int(value))
    return value


def _feature_bits(
    spec: FeatureSpec, keys: tuple[bytes, bytes], distinct: npt.NDArray[Any], length: int
) -> BitMatrix:
    """Bits of one feature for each distinct value (values x l), vectorised per token.

    The k indices of a token for any k are a prefix of its indices for a larger k (in both
    hash schemes), so each distinct token is hashed once at the largest k it needs and the
    insertions become one fancy-indexing assignment.
    """
    occ_value: list[int] = []
    occ_token: list[int] = []
    occ_k: list[int] = []
    token_ids: dict[str, int] = {}
    for value_index, value in enumerate(distinct):
        tokens = tokenize(spec, _format_value(spec, str(value)))
        for token, k in zip(tokens, tokens_per_insert(spec, len(tokens)), strict=True):
            occ_value.append(value_index)
            occ_token.append(token_ids.setdefault(token, len(token_ids)))
            occ_k.append(k)
    out = np.zeros((len(distinct), length), dtype=np.bool_)
    if not occ_value:
        return out
    ks = np.asarray(occ_k, dtype=np.int64)
    tokens_arr = np.asarray(occ_token, dtype=np.int64)
    k_needed = np.zeros(len(token_ids), dtype=np.int64)
    np.maximum.at(k_needed, tokens_arr, ks)
    k_max = int(k_needed.max())
    table = np.zeros((len(token_ids), k_max), dtype=np.int64)
    for token, token_id in token_ids.items():
        indices = _token_indices(spec, keys, token, int(k_needed[token_id]), length)
        table[token_id, : len(indices)] = indices
    valid = np.arange(k_max)[None, :] < ks[:, None]
    rows = np.broadcast_to(np.asarray(occ_value, dtype=np.int64)[:, None], valid.shape)
    out[rows[valid], table[tokens_arr][valid]] = True
    return out


# ----------------------------------------------------------------------------- encoding


def encode_bits(
    records: pd.DataFrame, schema: dict[str, Any] | ParsedSchema, secret: bytes
) -> BitMatrix:
    """Boolean matrix (records x output bits) after folding and hardening."""
    parsed = schema if isinstance(schema, ParsedSchema) else parse_schema(schema)
    if len(secret) < MIN_SECRET_BYTES:
        raise SchemaError([f"secret: at least {MIN_SECRET_BYTES} bytes are required"])
    missing = [f.identifier for f in parsed.features if f.identifier not in records.columns]
    if missing:
        raise SchemaError([f"records: missing column(s) named in the schema: {', '.join(missing)}"])
    keys = feature_keys(secret, parsed)
    length = parsed.hash_length
    blocks = []
    for start in range(0, len(records), _CHUNK_ROWS):
        chunk = records.iloc[start : start + _CHUNK_ROWS]
        bits = np.zeros((len(chunk), length), dtype=np.bool_)
        for spec in parsed.features:
            values = chunk[spec.identifier].fillna("").astype(str).to_numpy()
            distinct, inverse = np.unique(values, return_inverse=True)
            bits |= _feature_bits(spec, keys[spec.position], distinct, length)[inverse]
        for _ in range(parsed.xor_folds):
            half = bits.shape[1] // 2
            bits = bits[:, :half] ^ bits[:, half:]
        blocks.append(harden(bits, parsed.hardening, secret))
    if not blocks:
        return np.zeros((0, parsed.output_bits), dtype=np.bool_)
    return np.concatenate(blocks)


def harden(bits: BitMatrix, mode: str, secret: bytes) -> BitMatrix:
    """Apply the hardening ``mode``; the permutation is keyed so it is the same for both parties."""
    if mode == "none":
        return bits
    if mode == "xor-fold":
        half = bits.shape[1] // 2
        return bits[:, :half] ^ bits[:, half:]
    seed = hmac.new(secret, b"safepath-clk-balance-permutation", hashlib.sha256).digest()
    order = np.random.Generator(np.random.PCG64(int.from_bytes(seed, "big"))).permutation(
        2 * bits.shape[1]
    )
    balanced: BitMatrix = np.concatenate([bits, ~bits], axis=1)[:, order]
    return balanced


def to_base64(bits: BitMatrix) -> list[str]:
    packed = np.packbits(bits, axis=1, bitorder="big")
    return [base64.b64encode(row.tobytes()).decode("ascii") for row in packed]


def from_base64(clks: list[str], bits: int) -> npt.NDArray[np.uint8]:
    """Packed bytes matrix (records x bits/8); raises ValueError on a wrong length."""
    width = bits // 8
    raw = b"".join(base64.b64decode(c) for c in clks)
    if len(raw) != width * len(clks):
        raise ValueError(f"CLKs are not all {bits} bits long")
    return np.frombuffer(raw, dtype=np.uint8).reshape(len(clks), width)


def encode(records: pd.DataFrame, schema: dict[str, Any], secret: bytes) -> list[str]:
    """Base64 CLKs, one per record, in record order (the contract the web app uses)."""
    return to_base64(encode_bits(records, schema, secret))


def schema_fingerprint(schema: dict[str, Any]) -> str:
    """Public digest of the schema: two files made with different schemas never match."""
    canonical = json.dumps(schema, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


def key_fingerprint(schema: dict[str, Any], secret: bytes) -> str:
    """Keyed check value: equal only if both parties hold the same secret (and schema).

    A MAC of a fixed label reveals nothing usable about the secret, yet lets the linkage
    unit refuse encodings made with different keys before comparing them.
    """
    label = b"safepath-clk-key-check:" + schema_fingerprint(schema).encode()
    return hmac.new(secret, label, hashlib.sha256).hexdigest()[:32]
