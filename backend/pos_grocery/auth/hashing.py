"""Secrets at rest: argon2id hashes for PINs and passwords, a keyed digest to find a user by PIN.

A PIN identifies its person, so PIN sign-in cannot start from a username. Each user row keeps
`pin_lookup` = HMAC-SHA256(server key, PIN): an indexed, O(1) way to find the one candidate whose argon2id
hash is then verified. Without the key (kept outside the database) the digest is useless to an attacker.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pos_grocery.errors import ConfigError, ValidationFailed
from pos_grocery.settings import Settings

PIN_PATTERN = r"^[0-9]{4,6}$"
SECRET_FILE = "auth_secret"
_PIN_RE = re.compile(PIN_PATTERN)


@dataclass(frozen=True, slots=True)
class HashParams:
    """argon2id cost (defaults ≈ 28 ms per verify on the project's 2-core machines; docs/SECURITY.md)."""

    time_cost: int = 3
    memory_kib: int = 19456
    parallelism: int = 1

    @classmethod
    def from_settings(cls, settings: Settings) -> HashParams:
        """The configured cost; memory is raised to argon2's floor of 8 KiB per lane."""
        memory = max(settings.argon2_memory_kib, 8 * settings.argon2_parallelism)
        return cls(settings.argon2_time_cost, memory, settings.argon2_parallelism)


@functools.lru_cache(maxsize=8)
def _hasher(params: HashParams) -> PasswordHasher:
    return PasswordHasher(
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


def hash_secret(params: HashParams, secret: str) -> str:
    """The argon2id PHC string of a PIN or password (slow: call off the event loop)."""
    return _hasher(params).hash(secret)


def verify_secret(params: HashParams, stored: str | None, secret: str) -> bool:
    """True when the secret matches; a missing hash still costs one verification (no timing oracle)."""
    hasher = _hasher(params)
    try:
        return hasher.verify(stored if stored is not None else _dummy_hash(params), secret) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(params: HashParams, stored: str) -> bool:
    """True when a stored hash was made with other parameters than the configured ones."""
    try:
        return _hasher(params).check_needs_rehash(stored)
    except InvalidHashError:
        return True


@functools.lru_cache(maxsize=8)
def _dummy_hash(params: HashParams) -> str:
    return _hasher(params).hash(secrets.token_hex(16))


async def verify_off_loop(params: HashParams, stored: str | None, secret: str) -> bool:
    """verify_secret on a worker thread, so neither the event loop nor the writer waits for argon2."""
    return await anyio.to_thread.run_sync(verify_secret, params, stored, secret)


async def hash_off_loop(params: HashParams, secret: str) -> str:
    """hash_secret on a worker thread."""
    return await anyio.to_thread.run_sync(hash_secret, params, secret)


def pin_digest(key: bytes, pin: str) -> str:
    """The keyed lookup digest of a PIN (hex)."""
    return hmac.new(key, b"pos-grocery/pin-lookup/v1:" + pin.encode("ascii"), hashlib.sha256).hexdigest()


def lookup_key(settings: Settings) -> bytes:
    """AUTH_SECRET when set, else the data directory's `auth_secret` file, created on first use (mode 0600)."""
    if settings.auth_secret:
        return settings.auth_secret.encode("utf-8")
    path = Path(settings.db_path).expanduser().resolve().parent / SECRET_FILE
    try:
        return _read_or_create(path)
    except OSError as exc:
        raise ConfigError("AUTH_SECRET", f"cannot read or create {path}: {exc.strerror}") from None


def _read_or_create(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: when two processes start together exactly one writes, the other reads its key.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ConfigError("AUTH_SECRET", f"{path} holds no usable key (at least 32 characters expected)")
    return key.encode("ascii")


def is_pin(value: str) -> bool:
    """True for 4–6 ASCII digits."""
    return _PIN_RE.fullmatch(value) is not None


def check_pin_strength(pin: str, field: str = "pin") -> None:
    """Refuse malformed PINs and the ones tried first (one digit repeated, straight runs like 1234 or 4321)."""
    if not is_pin(pin):
        raise ValidationFailed("A PIN is 4 to 6 digits.", "PIN_FORMAT", field=field)
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({0}, {1}, {-1}):
        raise ValidationFailed("This PIN is too easy to guess; choose another.", "PIN_TOO_WEAK", field=field)


def generate_pin(length: int = 6) -> str:
    """A random PIN that passes check_pin_strength."""
    while True:
        pin = f"{secrets.randbelow(10**length):0{length}d}"
        steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
        if steps not in ({0}, {1}, {-1}):
            return pin


def check_password_strength(password: str, field: str = "password") -> None:
    """At least 10 characters, not all one character; the upper bound keeps argon2 work bounded."""
    if not 10 <= len(password) <= 256:
        raise ValidationFailed("A password is 10 to 256 characters.", "PASSWORD_TOO_WEAK", field=field)
    if len(set(password)) < 4:
        raise ValidationFailed("This password is too easy to guess.", "PASSWORD_TOO_WEAK", field=field)
