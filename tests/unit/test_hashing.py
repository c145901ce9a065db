"""argon2id hashing of PINs and passwords, the keyed PIN lookup digest, and the secret key's file."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import pytest

from pos_grocery.auth.hashing import (
    HashParams,
    check_password_strength,
    check_pin_strength,
    generate_pin,
    hash_secret,
    lookup_key,
    needs_rehash,
    pin_digest,
    verify_secret,
)
from pos_grocery.errors import ConfigError, ValidationFailed
from tests.conftest import make_settings

CHEAP = HashParams(time_cost=1, memory_kib=64, parallelism=1)


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first, second = hash_secret(CHEAP, "482913"), hash_secret(CHEAP, "482913")
    assert first.startswith("$argon2id$v=19$m=64,t=1,p=1$") and first != second
    assert "482913" not in first
    assert verify_secret(CHEAP, first, "482913") and verify_secret(CHEAP, second, "482913")
    assert not verify_secret(CHEAP, first, "482914")
    assert not verify_secret(CHEAP, None, "482913")
    assert not verify_secret(CHEAP, "not a hash", "482913")


def test_changed_parameters_ask_for_a_rehash() -> None:
    stored = hash_secret(CHEAP, "pw-1234567890")
    assert not needs_rehash(CHEAP, stored)
    assert needs_rehash(HashParams(), stored)


def test_default_parameters_cost_tens_of_milliseconds() -> None:
    params = HashParams()
    assert (params.time_cost, params.memory_kib, params.parallelism) == (3, 19456, 1)
    stored = hash_secret(params, "482913")
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        assert verify_secret(params, stored, "482913")
        timings.append((time.perf_counter() - began) * 1000)
    # ≈ 28 ms here (docs/SECURITY.md); the band only catches a cost set far too low or far too high.
    assert 5 < statistics.median(timings) < 400


def test_pin_digest_is_keyed_and_deterministic() -> None:
    assert pin_digest(b"k" * 32, "1357") == pin_digest(b"k" * 32, "1357")
    assert pin_digest(b"k" * 32, "1357") != pin_digest(b"j" * 32, "1357")
    assert pin_digest(b"k" * 32, "1357") != pin_digest(b"k" * 32, "1358")
    assert len(pin_digest(b"k" * 32, "1357")) == 64


def test_lookup_key_is_generated_once_into_the_data_directory(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    key = lookup_key(settings)
    path = tmp_path / "auth_secret"
    assert path.is_file() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert len(key) == 64 and lookup_key(settings) == key
    other = make_settings(tmp_path / "other")
    assert lookup_key(other) != key


def test_auth_secret_setting_wins_and_must_be_long(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, AUTH_SECRET="s" * 40)
    assert lookup_key(settings) == b"s" * 40 and not (tmp_path / "auth_secret").exists()
    assert "s" * 40 not in repr(settings)
    with pytest.raises(ConfigError, match="AUTH_SECRET"):
        make_settings(tmp_path, AUTH_SECRET="short")


def test_an_unusable_key_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "auth_secret").write_text("tiny\n")
    os.chmod(tmp_path / "auth_secret", 0o600)
    with pytest.raises(ConfigError, match="no usable key"):
        lookup_key(make_settings(tmp_path))


@pytest.mark.parametrize("pin", ["1111", "1234", "4321", "000000", "123456", "98765"])
def test_guessable_pins_are_refused(pin: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        check_pin_strength(pin)
    assert err.value.code == "PIN_TOO_WEAK"


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", "", "١٢٣٤"])
def test_malformed_pins_are_refused(pin: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        check_pin_strength(pin)
    assert err.value.code == "PIN_FORMAT"


def test_generated_pins_are_six_digits_and_pass_the_strength_check() -> None:
    for _ in range(200):
        pin = generate_pin()
        assert len(pin) == 6 and pin.isdigit()
        check_pin_strength(pin)


def test_password_strength() -> None:
    check_password_strength("correct horse battery")
    for bad in ("short", "aaaaaaaaaaaa", "x" * 257):
        with pytest.raises(ValidationFailed):
            check_password_strength(bad)
