"""CLK encoder: byte-compatible with clkhash, deterministic, keyed, hardened by default."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from safepath.linkage.engine import clk, pprl
from safepath.linkage.engine.errors import SchemaError

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = b"correct horse battery staple"


def _reference() -> tuple[dict[str, Any], pd.DataFrame, list[str]]:
    schema = json.loads((FIXTURES / "clkhash_schema.json").read_text())
    records = pd.read_csv(FIXTURES / "clkhash_input.csv", dtype=str, keep_default_na=False)
    expected = json.loads((FIXTURES / "clkhash_reference_clks.json").read_text())
    return schema, records, expected


def test_unhardened_output_is_byte_identical_to_clkhash() -> None:
    """The fixture CLKs were produced by clkhash 0.18.3 itself (blake, double hash,
    non-singular double hash, positional unigrams, exact tokens, a missing value, Arabic
    and Cyrillic text)."""
    schema, records, expected = _reference()
    schema["x-safepath"] = {"hardening": "none"}
    assert clk.encode(records, schema, SECRET) == expected


def test_encoding_is_deterministic_and_keyed() -> None:
    schema, records, _ = _reference()
    first = clk.encode(records, schema, SECRET)
    assert clk.encode(records, schema, SECRET) == first
    assert clk.encode(records, schema, b"another secret of enough length") != first


def test_balance_hardening_is_default_and_sets_exactly_half_the_bits() -> None:
    schema, records, _ = _reference()
    parsed = clk.parse_schema(schema)
    assert parsed.hardening == "balance"
    bits = clk.encode_bits(records, schema, SECRET)
    assert bits.shape == (3, 2 * parsed.length)
    assert (bits.sum(axis=1) == parsed.length).all()


def _balance_order(secret: bytes, width: int = 64) -> list[int]:
    """Where ``harden`` put each column of [filter, complement]: read off an identity matrix,
    whose 2 x width columns are all different."""
    eye = np.eye(width, dtype=np.bool_)
    source = np.concatenate([eye, ~eye], axis=1)
    hardened = clk.harden(eye, "balance", secret)
    assert hardened.shape == (width, 2 * width)
    return [
        next(j for j in range(2 * width) if (source[:, j] == hardened[:, k]).all())
        for k in range(2 * width)
    ]


def test_balance_permutation_is_keyed_by_the_secret() -> None:
    """Without the secret, the positions of the complement bits (and so of the filter's own
    bits) must not be known: the permutation depends on the secret, not on a constant."""
    order = _balance_order(SECRET)
    assert sorted(order) == list(range(128))  # a permutation of the filter and its complement
    assert order != list(range(128))
    assert _balance_order(SECRET) == order  # both parties get the same one
    assert _balance_order(b"another secret of enough length") != order
    assert _balance_order(SECRET + b"!") != order


def test_balance_permutation_is_the_documented_one() -> None:
    """Part of the interchange format: two parties on different SafePath versions must permute
    alike, so the derivation is pinned here as written in the schema notes: PCG64 seeded with
    HMAC-SHA256(secret, "safepath-clk-balance-permutation") read as a big-endian integer,
    permuting the filter's bits followed by their complement."""
    seed = hmac.new(SECRET, b"safepath-clk-balance-permutation", hashlib.sha256).digest()
    generator = np.random.Generator(np.random.PCG64(int.from_bytes(seed, "big")))
    assert _balance_order(SECRET) == generator.permutation(128).tolist()


def test_xor_fold_halves_the_length() -> None:
    schema, records, _ = _reference()
    plain = copy.deepcopy(schema)
    plain["x-safepath"] = {"hardening": "none"}
    schema["x-safepath"] = {"hardening": "xor-fold"}
    folded = clk.encode_bits(records, schema, SECRET)
    unfolded = clk.encode_bits(records, plain, SECRET)
    half = unfolded.shape[1] // 2
    assert np.array_equal(folded, unfolded[:, :half] ^ unfolded[:, half:])


def test_schema_errors_are_listed() -> None:
    with pytest.raises(SchemaError) as caught:
        clk.parse_schema({"version": 2, "clkConfig": {"l": 1001}, "features": []})
    problems = " | ".join(caught.value.problems)
    assert "version must be 3" in problems
    assert "multiple of 8" in problems
    assert "kdf" in problems
    assert "features" in problems


def test_short_secret_and_missing_columns_are_refused() -> None:
    schema, records, _ = _reference()
    with pytest.raises(SchemaError, match="at least 16 bytes"):
        clk.encode(records, schema, b"short")
    with pytest.raises(SchemaError, match="given_name"):
        clk.encode(records.drop(columns=["given_name"]), schema, SECRET)


def test_default_schema_parses_and_names_encoding_view_columns() -> None:
    schema = pprl.default_schema()
    parsed = clk.parse_schema(schema)
    view = pprl.encoding_view(
        pd.DataFrame(
            {
                "record_id": ["x"],
                "given_name": ["محمد"],
                "family_name": ["Haddad"],
                "date_of_birth": ["2012-03-04"],
                "birth_year_estimate": [pd.NA],
                "sex": ["m"],
                "location": ["Lesbos"],
            }
        )
    )
    assert {f.identifier for f in parsed.features} <= set(view.columns)
    assert view.loc[0, "given_name"] == "mhmd"
    assert view.loc[0, "birth_year"] == "2012"


def test_hkdf_matches_rfc5869_test_case_1() -> None:
    okm = clk.hkdf(
        bytes.fromhex("0b" * 22),
        42,
        salt=bytes.fromhex("000102030405060708090a0b0c"),
        info=bytes.fromhex("f0f1f2f3f4f5f6f7f8f9"),
        algo="SHA256",
    )
    assert okm.hex() == (
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    )
