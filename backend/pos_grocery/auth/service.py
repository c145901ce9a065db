"""Sign-in, unlock and sign-out; argon2 runs on a worker thread, outside every write transaction."""

from __future__ import annotations

from typing import NoReturn

from loguru import logger

from pos_grocery.audit.service import Actor, record
from pos_grocery.auth import throttle
from pos_grocery.auth.errors import Locked, invalid_credentials
from pos_grocery.auth.hashing import HashParams, hash_off_loop, lookup_key, needs_rehash, pin_digest, verify_off_loop
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.models import LoginResult, Me, PasswordLogin, PinLogin, TerminalSummary, Unlock, UserSummary
from pos_grocery.auth.permissions import Role, permissions_of
from pos_grocery.auth.sessions import SessionTimes, create_session, end_session, touch
from pos_grocery.clock import iso_utc
from pos_grocery.errors import Unauthorized, ValidationFailed
from pos_grocery.runtime import Runtime
from pos_grocery.terminals import service as terminals
from pos_grocery.terminals.queries import TerminalRow
from pos_grocery.users import queries as users
from pos_grocery.users.queries import UserRow


async def login_pin(rt: Runtime, body: PinLogin, request_id: str | None) -> LoginResult:
    """Lane sign-in: the PIN names the person (lookup digest), argon2id confirms it."""
    lane = terminals.lane(rt.db.reader, body.terminal)
    subject = throttle.terminal_subject(lane.id)
    anonymous = Actor(None, None, lane.id, lane.name)
    _refuse_if_locked(rt, subject, anonymous, "pin", request_id, "PIN_ENTRY_LOCKED")
    user = users.by_pin_lookup(rt.db.reader, pin_digest(lookup_key(rt.settings), body.pin))
    # Always one argon2 verification (a dummy hash when no one has this PIN): every attempt costs the same.
    verified = await verify_off_loop(HashParams.from_settings(rt.settings), user.pin_hash if user else None, body.pin)
    if user is None or not verified:
        # A wrong PIN names nobody: it counts against the lane's PIN pad, never resets on a success.
        _fail(rt, subject, anonymous, "pin", "PIN not recognised", request_id)
    return await _finish(rt, user, lane, "pin", body.pin, request_id)


async def login_password(rt: Runtime, body: PasswordLogin, request_id: str | None) -> LoginResult:
    """Back-office sign-in; an unknown username fails (and locks) exactly like a wrong password."""
    lane = terminals.lane(rt.db.reader, body.terminal) if body.terminal else None
    user = users.by_username(rt.db.reader, body.username)
    subject = throttle.user_subject(user.id) if user else throttle.username_subject(body.username)
    actor = Actor(
        user.id if user else None,
        user.username if user else body.username.strip()[:64],
        lane.id if lane else None,
        lane.name if lane else None,
    )
    _refuse_if_locked(rt, subject, actor, "password", request_id, "ACCOUNT_LOCKED")
    params = HashParams.from_settings(rt.settings)
    ok = await verify_off_loop(params, user.password_hash if user else None, body.password)
    if user is None or not ok:
        _fail(rt, subject, actor, "password", "wrong username or password", request_id)
    return await _finish(rt, user, lane, "password", body.password, request_id)


def _refuse_if_locked(rt: Runtime, subject: str, actor: Actor, method: str, request_id: str | None, code: str) -> None:
    now = rt.clock()
    until = throttle.locked_until(rt.db.reader, subject, now)
    if until is None:
        return
    with rt.db.write() as conn:
        record(
            conn,
            "auth.login_failed",
            actor=actor,
            request_id=request_id,
            at=now,
            details={"method": method, "reason": "locked", "lockedUntil": iso_utc(until)},
        )
    logger.bind(method=method, user=actor.username, terminal=actor.terminal_name).warning("sign-in refused: locked")
    raise Locked(f"Too many failed attempts; try again after {iso_utc(until)}.", code)


def _fail(
    rt: Runtime,
    subject: str,
    actor: Actor,
    method: str,
    reason: str,
    request_id: str | None,
    action: str = "auth.login_failed",
) -> NoReturn:
    """Count the failure, audit it (and the lock it causes), answer 401 INVALID_CREDENTIALS."""
    now = rt.clock()
    with rt.db.write() as conn:
        until = throttle.register_failure(conn, subject, now, throttle.Policy.from_settings(rt.settings))
        record(conn, action, actor=actor, request_id=request_id, at=now, details={"method": method, "reason": reason})
        if until is not None:
            record(
                conn,
                "auth.lockout",
                actor=actor,
                request_id=request_id,
                at=now,
                details={"subject": subject.rsplit(":", 1)[0], "lockedUntil": iso_utc(until)},
            )
    log = logger.bind(method=method, user=actor.username, terminal=actor.terminal_name)
    log.warning("sign-in failed" if until is None else "sign-in failed; locked until " + iso_utc(until))
    raise invalid_credentials()


async def _finish(
    rt: Runtime, user: UserRow, lane: TerminalRow | None, method: str, secret: str, request_id: str | None
) -> LoginResult:
    """The secret matched: refuse a disabled or locked account, else open a session."""
    actor = Actor(user.id, user.username, lane.id if lane else None, lane.name if lane else None)
    if not user.active:
        now = rt.clock()
        with rt.db.write() as conn:
            record(
                conn,
                "auth.login_failed",
                actor=actor,
                request_id=request_id,
                at=now,
                details={"method": method, "reason": "disabled"},
            )
        raise Unauthorized("This account is disabled.", "ACCOUNT_DISABLED")
    _refuse_if_locked(rt, throttle.user_subject(user.id), actor, method, request_id, "ACCOUNT_LOCKED")
    rehashed = await _rehash(rt, user, method, secret)
    now = rt.clock()
    times = SessionTimes.from_settings(rt.settings)
    with rt.db.write() as conn:
        if rehashed:
            users.update(conn, user.id, rehashed, iso_utc(now))
        token, expires = create_session(conn, user.id, lane.id if lane else None, method, now, times)
        if lane is not None:
            conn.execute("UPDATE terminals SET last_seen_at = ? WHERE id = ?", (iso_utc(now), lane.id))
        if method == "password":
            throttle.clear(conn, throttle.user_subject(user.id))
        throttle.prune(conn, now, throttle.Policy.from_settings(rt.settings))
        record(
            conn,
            "auth.login",
            actor=actor,
            entity="user",
            entity_id=user.id,
            request_id=request_id,
            at=now,
            details={"method": method},
        )
    logger.bind(method=method, user=user.username, terminal=actor.terminal_name).info("signed in")
    return LoginResult(
        token=token,
        expires_at=expires,
        user=_summary(user),
        terminal=_terminal(lane),
        permissions=sorted(permissions_of(user.role)),
        inactivity_lock_seconds=int(times.inactivity),
    )


async def _rehash(rt: Runtime, user: UserRow, method: str, secret: str) -> dict[str, str]:
    """A new hash when the stored one was made with other argon2 parameters (cost raised since)."""
    params = HashParams.from_settings(rt.settings)
    column = "pin_hash" if method == "pin" else "password_hash"
    stored = user.pin_hash if method == "pin" else user.password_hash
    if stored is None or not needs_rehash(params, stored):
        return {}
    return {column: await hash_off_loop(params, secret)}


async def unlock(rt: Runtime, identity: Identity, body: Unlock, request_id: str | None) -> Me:
    """After the inactivity lock: the same person's PIN (or password) reopens the session."""
    if (body.pin is None) == (body.password is None):
        raise ValidationFailed("Send either pin or password.", "CREDENTIAL_REQUIRED", field="pin")
    user = users.get(rt.db.reader, identity.user_id)
    if user is None:
        raise Unauthorized("The session token is not valid; sign in again.", "UNAUTHORIZED")
    subject = throttle.user_subject(user.id)
    method = "pin" if body.pin is not None else "password"
    _refuse_if_locked(rt, subject, identity.actor, "unlock", request_id, "ACCOUNT_LOCKED")
    stored, secret = (user.pin_hash, body.pin) if body.pin is not None else (user.password_hash, body.password)
    if secret is None or not await verify_off_loop(HashParams.from_settings(rt.settings), stored, secret):
        _fail(rt, subject, identity.actor, method, "unlock refused", request_id, action="auth.unlock_failed")
    now = rt.clock()
    with rt.db.write() as conn:
        touch(conn, identity, now)
        throttle.clear(conn, subject)
        record(
            conn,
            "auth.unlock",
            actor=identity.actor,
            entity="user",
            entity_id=user.id,
            request_id=request_id,
            at=now,
            details={"method": method},
        )
    return me(identity)


def logout(rt: Runtime, identity: Identity, request_id: str | None) -> None:
    """End the caller's session."""
    now = rt.clock()
    with rt.db.write() as conn:
        end_session(conn, identity.session_id, "logout", now)
        record(
            conn,
            "auth.logout",
            actor=identity.actor,
            entity="user",
            entity_id=identity.user_id,
            request_id=request_id,
            at=now,
            details={"method": identity.method},
        )


def me(identity: Identity) -> Me:
    """The caller's user, terminal and permissions."""
    user = UserSummary(
        id=identity.user_id, username=identity.username, display_name=identity.display_name, role=identity.role
    )
    terminal = None
    if identity.terminal_id is not None:
        terminal = TerminalSummary(
            id=identity.terminal_id, name=identity.terminal_name or "", store_code=identity.store_code or ""
        )
    return Me(
        user=user,
        terminal=terminal,
        method=identity.method,
        expires_at=identity.expires_at,
        permissions=sorted(identity.permissions),
    )


def _summary(user: UserRow) -> UserSummary:
    return UserSummary(id=user.id, username=user.username, display_name=user.display_name, role=Role(user.role))


def _terminal(lane: TerminalRow | None) -> TerminalSummary | None:
    return None if lane is None else TerminalSummary(id=lane.id, name=lane.name, store_code=lane.store_code)
