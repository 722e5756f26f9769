from __future__ import annotations

from gateway.auth.keys import KeyMode, generate_key, hash_key, parse_key


def test_generated_keys_parse_and_carry_their_mode() -> None:
    for mode in KeyMode:
        key = generate_key(mode)
        assert key.startswith(f"gw_{mode.value}_")
        assert len(key) == len(f"gw_{mode.value}_") + 36
        assert parse_key(key) is mode


def test_checksum_catches_every_single_character_typo() -> None:
    key = generate_key(KeyMode.live)
    prefix = len("gw_live_")
    for i in range(prefix, len(key)):
        replacement = "a" if key[i] != "a" else "b"
        assert parse_key(key[:i] + replacement + key[i + 1 :]) is None


def test_hash_depends_on_the_server_secret() -> None:
    key = generate_key(KeyMode.test)
    assert hash_key(key, b"one") != hash_key(key, b"two")
    assert hash_key(key, b"one") == hash_key(key, b"one")
