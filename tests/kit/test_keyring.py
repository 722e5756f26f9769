"""The server secret as a keyring: the first key encrypts, every key decrypts; version-1
ciphertexts (made before rotation existed) are tried against each key; a key outside the
ring opens nothing; bad ``GATEWAY_SECRET_KEY`` values are refused with a clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from pydantic import ValidationError

from gateway.config import Settings
from gateway.kit import crypto

A = b"a" * 48
B = b"b" * 48
C = b"c" * 48


def v1_ciphertext(secret: bytes, purpose: str, plaintext: bytes) -> bytes:
    """A ciphertext exactly as the gateway made them before key ids (version 1)."""
    nonce = os.urandom(12)
    return b"\x01" + nonce + crypto._cipher(secret, purpose).encrypt(nonce, plaintext, None)


def test_a_new_ciphertext_is_version_2_and_names_its_key() -> None:
    sealed = crypto.encrypt((B, A), "p", b"hello")
    assert sealed[:1] == b"\x02"
    assert crypto.ciphertext_key_id(sealed) == crypto.key_id(B)
    assert crypto.is_current((B, A), sealed)
    assert not crypto.is_current((A, B), sealed)
    # A single key is a ring of one.
    assert crypto.decrypt(B, "p", crypto.encrypt(B, "p", b"x")) == b"x"


def test_version_2_decrypts_under_any_key_of_the_ring() -> None:
    under_a = crypto.encrypt(A, "p", b"made under A")
    assert crypto.decrypt((B, A), "p", under_a) == b"made under A"
    assert crypto.decrypt((A, B), "p", under_a) == b"made under A"
    assert crypto.decrypt((B, A), "p", crypto.encrypt((B, A), "p", b"B")) == b"B"


def test_version_1_is_tried_against_each_key() -> None:
    legacy = v1_ciphertext(A, "p", b"legacy")
    assert crypto.decrypt(A, "p", legacy) == b"legacy"
    assert crypto.decrypt((B, A), "p", legacy) == b"legacy"
    assert crypto.decrypt((B, C, A), "p", legacy) == b"legacy"
    assert not crypto.is_current(A, legacy)  # re-encrypted to version 2 by the command
    with pytest.raises(InvalidTag):
        crypto.decrypt((B, C), "p", legacy)


def test_a_key_outside_the_ring_the_wrong_purpose_or_tampered_bytes_open_nothing() -> None:
    under_a = crypto.encrypt(A, "p", b"secret")
    with pytest.raises(InvalidTag):
        crypto.decrypt(B, "p", under_a)
    with pytest.raises(InvalidTag):
        crypto.decrypt((B, C), "p", under_a)
    with pytest.raises(InvalidTag):
        crypto.decrypt((B, A), "other purpose", under_a)
    tampered = under_a[:-1] + bytes([under_a[-1] ^ 1])
    with pytest.raises(InvalidTag):
        crypto.decrypt(A, "p", tampered)
    # The key id is authenticated by the key itself: naming another key does not help.
    renamed = b"\x02" + crypto.key_id(B) + under_a[5:]
    with pytest.raises(InvalidTag):
        crypto.decrypt((B, A), "p", renamed)
    with pytest.raises(ValueError, match="unknown ciphertext version"):
        crypto.decrypt(A, "p", b"\x07" + under_a[1:])
    with pytest.raises(ValueError, match="empty keyring"):
        crypto.decrypt((), "p", under_a)


def test_reencrypt_moves_to_the_current_key_once() -> None:
    legacy = v1_ciphertext(A, "p", b"v1")
    old = crypto.encrypt(A, "p", b"v2")
    for sealed, plaintext in ((legacy, b"v1"), (old, b"v2")):
        again = crypto.reencrypt((B, A), "p", sealed)
        assert again is not None
        assert crypto.decrypt(B, "p", again) == plaintext
        assert crypto.reencrypt((B, A), "p", again) is None  # nothing left to do


def test_key_ids_differ_per_key_and_reveal_nothing() -> None:
    assert crypto.key_id(A) != crypto.key_id(B)
    assert len(crypto.key_id(A)) == crypto.KEY_ID_BYTES
    assert crypto.key_id_hex(A) == crypto.key_id(A).hex()
    assert crypto.key_id(A) not in A


# Settings.


def test_the_setting_takes_a_comma_separated_keyring_current_first(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, secret_key=" new-key , old-key ", data_dir=tmp_path)
    assert settings.secrets == (b"new-key", b"old-key")
    assert settings.secret == b"new-key"
    single = Settings(_env_file=None, secret_key="only-key", data_dir=tmp_path)
    assert single.secrets == (b"only-key",)
    assert single.secret == b"only-key"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("new,,old", "key 2 of 3 is empty"),
        ("new,", "key 2 of 2 is empty"),
        (",old", "key 1 of 2 is empty"),
        ("same,same", "the same key appears twice"),
    ],
)
def test_bad_keyrings_are_refused_clearly(tmp_path: Path, value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None, secret_key=value, data_dir=tmp_path)


def test_production_checks_every_key_of_the_ring(tmp_path: Path) -> None:
    strong, other = "s" * 48, "t" * 48
    Settings(_env_file=None, env="production", secret_key=f"{strong},{other}", data_dir=tmp_path)
    for weak in ("change-me", "short-but-not-placeholder"):
        with pytest.raises(ValidationError, match=r"GATEWAY_SECRET_KEY \(key 2 of 2\)"):
            Settings(
                _env_file=None, env="production", secret_key=f"{strong},{weak}", data_dir=tmp_path
            )
        with pytest.raises(ValidationError, match=r"GATEWAY_SECRET_KEY \(key 1 of 2\)"):
            Settings(
                _env_file=None, env="production", secret_key=f"{weak},{strong}", data_dir=tmp_path
            )


def test_an_empty_setting_is_as_if_unset(tmp_path: Path) -> None:
    generated = Settings(_env_file=None, secret_key="", data_dir=tmp_path)
    assert generated.secrets == ((tmp_path / "secret_key").read_text().strip().encode(),)
    with pytest.raises(ValidationError, match="GATEWAY_SECRET_KEY must be set"):
        Settings(_env_file=None, env="production", secret_key="  ", data_dir=tmp_path)
