"""User rules: create, change, disable, unlock; secrets hashed off the event loop; every change audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import apsw

from pos_grocery.audit.service import Actor, record
from pos_grocery.auth import throttle
from pos_grocery.auth.hashing import (
    HashParams,
    check_password_strength,
    check_pin_strength,
    generate_pin,
    hash_secret,
    lookup_key,
    pin_digest,
)
from pos_grocery.auth.permissions import Role
from pos_grocery.auth.sessions import end_user_sessions
from pos_grocery.clock import iso_utc
from pos_grocery.errors import Conflict, NotFound, ValidationFailed
from pos_grocery.pagination import encode_cursor
from pos_grocery.runtime import Runtime
from pos_grocery.settings import Settings
from pos_grocery.users import queries
from pos_grocery.users.models import User, UserCreate, UserPage, UserPatch, UserSaved
from pos_grocery.users.queries import UserRow

GENERATE_TRIES = 50


@dataclass(frozen=True, slots=True)
class Secrets:
    """Hashed credentials ready to store (plus a generated PIN to show once)."""

    pin_hash: str | None = None
    pin_lookup: str | None = None
    password_hash: str | None = None
    generated_pin: str | None = None


def to_wire(row: UserRow, locked_until: str | None = None) -> User:
    """A row as the API shows it (no hashes)."""
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        active=row.active,
        has_pin=row.pin_hash is not None,
        has_password=row.password_hash is not None,
        locked_until=locked_until,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def saved(row: UserRow, secrets: Secrets) -> UserSaved:
    """A created or changed user with the generated PIN, if any."""
    base = to_wire(row)
    return UserSaved(**{f: getattr(base, f) for f in base.__struct_fields__}, generated_pin=secrets.generated_pin)


@dataclass(frozen=True, slots=True)
class PlainSecrets:
    """Checked but not yet hashed credentials (kept only for the hashing step)."""

    pin: str | None = None
    password: str | None = None
    generated: bool = False


def check_secrets(
    settings: Settings,
    conn: apsw.Connection,
    pin: str | None,
    password: str | None,
    generate: bool,
    user_id: int | None = None,
) -> PlainSecrets:
    """Strength and uniqueness checks (fast: run inline); a generated PIN is chosen here."""
    if pin is not None and generate:
        raise ValidationFailed("Give a PIN or ask for a generated one, not both.", "PIN_CONFLICT", field="pin")
    if generate:
        pin = _unused_pin(conn, lookup_key(settings), user_id)
    elif pin is not None:
        check_pin_strength(pin)
        if queries.pin_taken(conn, pin_digest(lookup_key(settings), pin), user_id):
            raise Conflict("Another active user has this PIN; choose another.", "PIN_TAKEN")
    if password is not None:
        check_password_strength(password)
    return PlainSecrets(pin, password, generate)


def hash_secrets(settings: Settings, plain: PlainSecrets) -> Secrets:
    """argon2id hashes and the PIN lookup digest (slow: run on a worker thread)."""
    params = HashParams.from_settings(settings)
    pin, password = plain.pin, plain.password
    return Secrets(
        pin_hash=hash_secret(params, pin) if pin is not None else None,
        pin_lookup=pin_digest(lookup_key(settings), pin) if pin is not None else None,
        password_hash=hash_secret(params, password) if password is not None else None,
        generated_pin=pin if plain.generated else None,
    )


def prepare_secrets(
    settings: Settings,
    conn: apsw.Connection,
    pin: str | None,
    password: str | None,
    generate: bool,
    user_id: int | None = None,
) -> Secrets:
    """check_secrets then hash_secrets, in the calling thread (the CLI's way)."""
    return hash_secrets(settings, check_secrets(settings, conn, pin, password, generate, user_id))


async def prepare_off_loop(
    rt: Runtime, pin: str | None, password: str | None, generate: bool, user_id: int | None = None
) -> Secrets:
    """check_secrets inline on the reader, hashing on a worker thread (the API's way)."""
    plain = check_secrets(rt.settings, rt.db.reader, pin, password, generate, user_id)
    if plain.pin is None and plain.password is None:
        return Secrets()
    return await anyio.to_thread.run_sync(hash_secrets, rt.settings, plain)


def _unused_pin(conn: apsw.Connection, key: bytes, user_id: int | None) -> str:
    for _ in range(GENERATE_TRIES):
        pin = generate_pin()
        if not queries.pin_taken(conn, pin_digest(key, pin), user_id):
            return pin
    raise Conflict("Could not find a free PIN; try again.", "PIN_TAKEN")


def insert_user(
    conn: apsw.Connection, data: UserCreate, secrets: Secrets, by: Actor | None, request_id: str | None, now: float
) -> UserRow:
    """Insert a user with hashed secrets and audit it (inside a write transaction)."""
    if secrets.pin_hash is None and secrets.password_hash is None:
        raise ValidationFailed("A user needs a PIN, a password or both.", "CREDENTIAL_REQUIRED", field="pin")
    if queries.by_username(conn, data.username) is not None:
        raise Conflict(f"The username {data.username!r} is taken.", "USERNAME_TAKEN")
    if secrets.pin_lookup is not None and queries.pin_taken(conn, secrets.pin_lookup):
        raise Conflict("Another active user has this PIN; choose another.", "PIN_TAKEN")
    stamp = iso_utc(now)
    new_id = queries.insert(
        conn,
        {
            "username": data.username,
            "display_name": data.display_name.strip() or data.username,
            "role": data.role.value,
            "active": 1,
            "pin_hash": secrets.pin_hash,
            "pin_lookup": secrets.pin_lookup,
            "password_hash": secrets.password_hash,
            "created_at": stamp,
            "updated_at": stamp,
        },
    )
    record(
        conn,
        "user.created",
        actor=by,
        entity="user",
        entity_id=new_id,
        request_id=request_id,
        at=now,
        details={
            "username": data.username,
            "role": data.role.value,
            "hasPin": secrets.pin_hash is not None,
            "hasPassword": secrets.password_hash is not None,
        },
    )
    return _existing(conn, new_id)


async def create_user(rt: Runtime, data: UserCreate, by: Actor, request_id: str | None) -> UserSaved:
    """`POST /api/users`."""
    secrets = await prepare_off_loop(rt, data.pin, data.password, data.generate_pin)
    now = rt.clock()
    with rt.db.write() as conn:
        row = insert_user(conn, data, secrets, by, request_id, now)
    return saved(row, secrets)


def get_user(rt: Runtime, user_id: int) -> User:
    """One user or 404."""
    row = _existing(rt.db.reader, user_id)
    return to_wire(row, queries.locks(rt.db.reader, [row.id], iso_utc(rt.clock())).get(row.id))


def list_users(rt: Runtime, role: Role | None, active: bool | None, after_id: int | None, limit: int) -> UserPage:
    """A page of users by id."""
    rows = queries.page(rt.db.reader, role.value if role else None, active, after_id, limit + 1)
    locks = queries.locks(rt.db.reader, [r.id for r in rows[:limit]], iso_utc(rt.clock()))
    items = [to_wire(r, locks.get(r.id)) for r in rows[:limit]]
    return UserPage(items=items, next_cursor=encode_cursor(rows[limit - 1].id) if len(rows) > limit else None)


def _existing(conn: apsw.Connection, user_id: int) -> UserRow:
    row = queries.get(conn, user_id)
    if row is None:
        raise NotFound(f"User {user_id} does not exist.", "USER_NOT_FOUND")
    return row


def unlock_user(rt: Runtime, user_id: int, by: Actor, request_id: str | None) -> User:
    """Clear a user's failure count and lock."""
    now = rt.clock()
    with rt.db.write() as conn:
        row = _existing(conn, user_id)
        if throttle.clear(conn, throttle.user_subject(user_id)):
            record(
                conn,
                "user.unlocked",
                actor=by,
                entity="user",
                entity_id=user_id,
                request_id=request_id,
                details={"username": row.username},
                at=now,
            )
    return to_wire(row)


def _field_changes(row: UserRow, patch: UserPatch) -> dict[str, Any]:
    wanted: dict[str, Any] = {
        "display_name": patch.display_name,
        "role": patch.role.value if patch.role else None,
        "active": None if patch.active is None else int(patch.active),
    }
    current: dict[str, Any] = {"display_name": row.display_name, "role": row.role, "active": int(row.active)}
    return {k: v for k, v in wanted.items() if v is not None and v != current[k]}


async def update_user(
    rt: Runtime, user_id: int, patch: UserPatch, by: Actor, keep_session: int | None, request_id: str | None
) -> UserSaved:
    """`PATCH /api/users/{id}`: role, active flag, name and credentials, each change audited."""
    _existing(rt.db.reader, user_id)
    secrets = await prepare_off_loop(rt, patch.pin, patch.password, patch.generate_pin, user_id)
    now = rt.clock()
    with rt.db.write() as conn:
        row = _existing(conn, user_id)
        changes = _field_changes(row, patch)
        _check_change_allowed(conn, row, changes, secrets)
        values = {**changes, **_secret_columns(secrets)}
        if values:
            queries.update(conn, user_id, values, iso_utc(now))
        _audit_changes(conn, row, changes, secrets, by, request_id, now)
        if changes.get("active") == 0:
            end_user_sessions(conn, user_id, "disabled", now)
        elif secrets.pin_hash or secrets.password_hash:
            end_user_sessions(conn, user_id, "credentials changed", now, keep=keep_session)
        row = _existing(conn, user_id)
    return saved(row, secrets)


def _secret_columns(secrets: Secrets) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if secrets.pin_hash is not None:
        values.update(pin_hash=secrets.pin_hash, pin_lookup=secrets.pin_lookup)
    if secrets.password_hash is not None:
        values["password_hash"] = secrets.password_hash
    return values


def _check_change_allowed(conn: apsw.Connection, row: UserRow, changes: dict[str, Any], secrets: Secrets) -> None:
    """Keep one active admin; keep active PINs unique (re-enabling included)."""
    loses_admin = (
        row.role == Role.ADMIN
        and row.active
        and (changes.get("active") == 0 or changes.get("role", Role.ADMIN) != Role.ADMIN)
    )
    if loses_admin and queries.active_admins(conn) <= 1:
        raise Conflict("This is the last active admin; make another admin first.", "LAST_ADMIN")
    lookup = secrets.pin_lookup or row.pin_lookup
    becomes_active = changes.get("active", int(row.active)) == 1
    if lookup is not None and becomes_active and queries.pin_taken(conn, lookup, row.id):
        raise Conflict("Another active user has this PIN; choose another.", "PIN_TAKEN")


def _audit_changes(
    conn: apsw.Connection,
    row: UserRow,
    changes: dict[str, Any],
    secrets: Secrets,
    by: Actor,
    request_id: str | None,
    now: float,
) -> None:
    def event(action: str, details: dict[str, Any]) -> None:
        record(
            conn,
            action,
            actor=by,
            entity="user",
            entity_id=row.id,
            request_id=request_id,
            at=now,
            details={"username": row.username, **details},
        )

    if "role" in changes:
        event("user.role_changed", {"from": row.role, "to": changes["role"]})
    if "active" in changes:
        event("user.disabled" if changes["active"] == 0 else "user.enabled", {})
    if "display_name" in changes:
        event("user.changed", {"displayName": {"from": row.display_name, "to": changes["display_name"]}})
    credentials = [n for n, h in (("pin", secrets.pin_hash), ("password", secrets.password_hash)) if h]
    if credentials:
        event("user.credentials_changed", {"changed": credentials})
