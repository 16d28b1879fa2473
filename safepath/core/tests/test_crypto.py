"""Field encryption and blind indexes, as pure functions over a keyring."""

from pathlib import Path

import pytest

from safepath.core import crypto, keyring
from safepath.core.crypto import DecryptionError


@pytest.fixture
def ring() -> keyring.Keyring:
    return keyring.generate()


def test_round_trip_in_every_script(ring: keyring.Keyring) -> None:
    for name in ["Amina", "Ахмед", "أمينة", "सुशीला", "ณัฐ", "玉华", "ሰላም"]:
        token = crypto.encrypt(name, context="cases.child.given_name", ring=ring)
        assert name not in token
        assert token.startswith(f"v1:{ring.active}:")
        assert crypto.decrypt(token, context="cases.child.given_name", ring=ring) == name


def test_same_value_encrypts_differently_each_time(ring: keyring.Keyring) -> None:
    first = crypto.encrypt("Amina", context="x", ring=ring)
    second = crypto.encrypt("Amina", context="x", ring=ring)
    assert first != second


def test_value_moved_to_another_column_does_not_decrypt(ring: keyring.Keyring) -> None:
    token = crypto.encrypt("Amina", context="cases.child.given_name", ring=ring)
    with pytest.raises(DecryptionError, match="authentication failed"):
        crypto.decrypt(token, context="cases.child.family_name", ring=ring)


def test_tampered_ciphertext_is_refused(ring: keyring.Keyring) -> None:
    token = crypto.encrypt("Amina", context="c", ring=ring)
    prefix, payload = token.rsplit(":", 1)
    flipped = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(DecryptionError):
        crypto.decrypt(f"{prefix}:{flipped}", context="c", ring=ring)


def test_old_key_still_decrypts_after_a_new_key_becomes_active(ring: keyring.Keyring) -> None:
    token = crypto.encrypt("Amina", context="c", ring=ring)
    rotated = ring.with_new_active_key()
    assert rotated.active != ring.active
    assert crypto.decrypt(token, context="c", ring=rotated) == "Amina"
    assert crypto.key_id_of(crypto.encrypt("x", context="c", ring=rotated)) == rotated.active


def test_unknown_key_is_a_clear_error(ring: keyring.Keyring) -> None:
    token = crypto.encrypt("Amina", context="c", ring=ring)
    with pytest.raises(DecryptionError, match="not in the keyring"):
        crypto.decrypt(token, context="c", ring=keyring.generate())


def test_blind_index_matches_spellings_that_normalise_alike(ring: keyring.Keyring) -> None:
    index = crypto.blind_index("  Amina   WANJIRU ", purpose="p", ring=ring)
    assert index == crypto.blind_index("amina wanjiru", purpose="p", ring=ring)
    assert index != crypto.blind_index("amina wanjiru", purpose="other", ring=ring)
    assert index != crypto.blind_index("amina wanjiru", purpose="p", ring=keyring.generate())
    # NFKC: a full-width form equals the ordinary one
    assert crypto.blind_index(
        "\uff21\uff2d\uff29\uff2e\uff21", purpose="p", ring=ring
    ) == crypto.blind_index("amina", purpose="p", ring=ring)


def test_keyring_json_round_trip_and_validation(ring: keyring.Keyring) -> None:
    again = keyring.parse(ring.to_json(), source="test")
    assert again == ring
    with pytest.raises(keyring.KeyringError, match="test: not a SafePath keyring"):
        keyring.parse('{"active": "k1"}', source="test")
    with pytest.raises(keyring.KeyringError, match="active key"):
        keyring.Keyring(
            active="nope",
            keys=dict(ring.keys),
            index_active=ring.index_active,
            index_keys=dict(ring.index_keys),
        )
    with pytest.raises(keyring.KeyringError, match="active index key"):
        keyring.Keyring(
            active=ring.active, keys=dict(ring.keys), index_active="nope", index_keys={}
        )
    with pytest.raises(keyring.KeyringError, match="cannot be retired"):
        ring.without_key(ring.active)
    with pytest.raises(keyring.KeyringError, match="cannot be retired"):
        ring.without_key(ring.index_active)


def test_a_keyring_from_before_index_key_ids_still_reads(ring: keyring.Keyring) -> None:
    import base64
    import json

    legacy = {
        "active": ring.active,
        "keys": {k: base64.b64encode(v).decode() for k, v in ring.keys.items()},
        "index_key": base64.b64encode(ring.index_key).decode(),
    }
    old = keyring.parse(json.dumps(legacy), source="test")
    assert old.index_active == keyring.LEGACY_INDEX_ID
    assert old.index_key == ring.index_key
    # indexes made before keep matching, and a code's index under the legacy key has no tag
    assert crypto.blind_index("amina", purpose="p", ring=old) == crypto.blind_index(
        "amina", purpose="p", ring=ring
    )
    assert ":" not in crypto.tagged_index("HR-1", purpose="p", ring=old)
    assert keyring.parse(old.to_json(), source="test") == old


def test_tagged_indexes_name_their_key_and_every_key_is_tried(ring: keyring.Keyring) -> None:
    newer = ring.with_new_index_key()
    made_before = crypto.tagged_index("HR-ABCD", purpose="p", ring=ring)
    assert crypto.tagged_index_key(made_before) == ring.index_active
    assert len(made_before) == 32
    candidates = crypto.tagged_indexes("HR-ABCD", purpose="p", ring=newer)
    assert candidates[0].startswith(f"{newer.index_active}:")
    assert made_before in candidates
    assert crypto.blind_indexes("x", purpose="p", ring=newer)[1] == crypto.blind_index(
        "x", purpose="p", ring=ring
    )


def test_keyring_file_is_private(tmp_path, ring: keyring.Keyring) -> None:
    path = tmp_path / "ring.json"
    keyring.write_file(path, ring)
    assert path.stat().st_mode & 0o777 == 0o600
    assert keyring.load_file(path) == ring
    with pytest.raises(keyring.KeyringError, match="does not exist"):
        keyring.load_file(tmp_path / "missing.json")


# --- sealed streams (large files) --------------------------------------------------------------


def _seal(ring: keyring.Keyring, tmp_path: Path, body: bytes, context: str = "f") -> Path:
    sealed = tmp_path / "file.sealed"
    chunks = [body[i : i + 7000] for i in range(0, len(body), 7000)]
    crypto.seal_stream(chunks, sealed, context=context, ring=ring)
    return sealed


def test_a_stream_round_trips_across_chunks(ring: keyring.Keyring, tmp_path: Path) -> None:
    body = bytes(range(256)) * 1000 + b"txn_id,amount\n"
    sealed = _seal(ring, tmp_path, body)
    assert b"txn_id" not in sealed.read_bytes()
    assert crypto.stream_key_id(sealed) == ring.active
    size = crypto.open_stream(sealed, tmp_path / "clear", context="f", ring=ring)
    assert size == len(body)
    assert (tmp_path / "clear").read_bytes() == body
    assert not list(tmp_path.glob("*.tmp"))


def test_an_empty_stream_round_trips(ring: keyring.Keyring, tmp_path: Path) -> None:
    sealed = _seal(ring, tmp_path, b"")
    assert crypto.open_stream(sealed, tmp_path / "clear", context="f", ring=ring) == 0
    assert (tmp_path / "clear").read_bytes() == b""


@pytest.mark.parametrize("where", ["first", "middle", "tag"])
def test_a_changed_byte_fails_and_leaves_nothing_clear(
    ring: keyring.Keyring, tmp_path: Path, where: str
) -> None:
    sealed = _seal(ring, tmp_path, b"a,b,c\n" * 5000)
    body = bytearray(sealed.read_bytes())
    header = body.index(b"\n") + 1
    body[{"first": header, "middle": len(body) // 2, "tag": len(body) - 1}[where]] ^= 0x80
    sealed.write_bytes(bytes(body))
    with pytest.raises(DecryptionError, match="authentication failed"):
        crypto.open_stream(sealed, tmp_path / "clear", context="f", ring=ring)
    assert not (tmp_path / "clear").exists()


def test_a_stream_does_not_open_under_another_name_or_cut_short(
    ring: keyring.Keyring, tmp_path: Path
) -> None:
    sealed = _seal(ring, tmp_path, b"x" * 100, context="run-1:transactions.csv")
    with pytest.raises(DecryptionError, match="authentication failed"):
        crypto.open_stream(sealed, tmp_path / "a", context="run-2:transactions.csv", ring=ring)
    sealed.write_bytes(sealed.read_bytes()[:-20])
    with pytest.raises(DecryptionError):
        crypto.open_stream(sealed, tmp_path / "b", context="run-1:transactions.csv", ring=ring)
    raw = sealed.read_bytes()
    sealed.write_bytes(raw[: raw.index(b"\n") + 6])  # shorter than the tag itself
    with pytest.raises(DecryptionError, match="cut short"):
        crypto.open_stream(sealed, tmp_path / "c", context="run-1:transactions.csv", ring=ring)
    assert not (tmp_path / "a").exists()
    assert not (tmp_path / "b").exists()
    assert not (tmp_path / "c").exists()


def test_a_stream_under_a_retired_key_is_refused_clearly(tmp_path: Path) -> None:
    old = keyring.generate()
    sealed = _seal(old, tmp_path, b"data")
    with pytest.raises(DecryptionError, match="f: "):
        crypto.open_stream(sealed, tmp_path / "clear", context="f", ring=keyring.generate())
    not_sealed = tmp_path / "plain.csv"
    not_sealed.write_bytes(b"txn_id,amount\n")
    assert crypto.stream_key_id(not_sealed) is None
    with pytest.raises(DecryptionError, match="not a SafePath sealed file"):
        crypto.open_stream(not_sealed, tmp_path / "clear", context="f", ring=old)
