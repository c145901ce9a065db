"""Manager override: a manager's PIN (`managerPin` in the body) approves one action above the caller's rights.

Use from a handler whose guard is `requires(P.X, approvable=True)`:

    approver = await approve_if_needed(rt, identity, P.SALES_VOID, data.manager_pin,
                                       action="sales.void", entity="sale", entity_id=sale_id, request_id=rid)
    with rt.db.write() as conn:
        ...  # the change itself
        record(conn, "sales.voided", actor=identity.actor, approver=approver.actor if approver else None, ...)

A wrong PIN names nobody, so it counts against the PIN pad it was typed on (the lane, or the caller's
back-office session); a correct PIN of a locked manager is refused with MANAGER_LOCKED.
"""

from __future__ import annotations

from dataclasses import dataclass

from loguru import logger

from pos_grocery.audit.service import Actor, record
from pos_grocery.auth import throttle
from pos_grocery.auth.errors import Locked
from pos_grocery.auth.hashing import HashParams, is_pin, lookup_key, pin_digest, verify_off_loop
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.permissions import P, Role, can_approve
from pos_grocery.clock import iso_utc
from pos_grocery.errors import Forbidden
from pos_grocery.runtime import Runtime
from pos_grocery.users import queries as users
from pos_grocery.users.queries import UserRow


@dataclass(frozen=True, slots=True)
class Approver:
    """The manager (or admin) whose PIN approved an action."""

    user_id: int
    username: str
    display_name: str
    role: Role
    terminal_id: int | None
    terminal_name: str | None

    @property
    def actor(self) -> Actor:
        """The approver as the second person of an audit event."""
        return Actor(self.user_id, self.username, self.terminal_id, self.terminal_name)


@dataclass(frozen=True, slots=True)
class OverrideRequest:
    """What is being approved (copied into the journal)."""

    permission: P
    action: str
    entity: str | None = None
    entity_id: str | int | None = None
    request_id: str | None = None


async def approve_if_needed(
    rt: Runtime,
    caller: Identity,
    permission: P,
    manager_pin: str | None,
    *,
    action: str,
    entity: str | None = None,
    entity_id: str | int | None = None,
    request_id: str | None = None,
) -> Approver | None:
    """None when the caller holds the permission; else the verified approver (or 403)."""
    if caller.can(permission):
        return None
    return await verify_manager_override(
        rt,
        manager_pin,
        caller,
        permission=permission,
        action=action,
        entity=entity,
        entity_id=entity_id,
        request_id=request_id,
    )


async def verify_manager_override(
    rt: Runtime,
    manager_pin: str | None,
    caller: Identity,
    *,
    permission: P,
    action: str,
    entity: str | None = None,
    entity_id: str | int | None = None,
    request_id: str | None = None,
) -> Approver:
    """Verify a manager PIN for one action; audit both people; count a wrong PIN toward the pad's lock-out."""
    request = OverrideRequest(permission, action, entity, entity_id, request_id)
    subject = (
        throttle.terminal_subject(caller.terminal_id)
        if caller.terminal_id is not None
        else throttle.pinpad_subject(caller.user_id)
    )
    if not manager_pin:
        _deny(rt, caller, request, "no manager PIN", None)
        raise Forbidden(
            f"This needs a manager's approval ('{request.permission}'): send managerPin.", "MANAGER_APPROVAL_REQUIRED"
        )
    until = throttle.locked_until(rt.db.reader, subject, rt.clock())
    if until is not None:
        _deny(rt, caller, request, "PIN pad locked", None)
        raise Locked(f"Too many wrong PINs here; try again after {iso_utc(until)}.", "PIN_ENTRY_LOCKED")
    candidate = await _pin_owner(rt, manager_pin)
    if candidate is None or not candidate.active or not can_approve(candidate.role, request.permission):
        _deny(rt, caller, request, "wrong PIN or not an approver", subject)
        raise Forbidden("The manager PIN was not accepted.", "MANAGER_PIN_INVALID")
    if throttle.locked_until(rt.db.reader, throttle.user_subject(candidate.id), rt.clock()) is not None:
        _deny(rt, caller, request, "approver locked", None, approver=candidate)
        raise Forbidden("That manager's account is locked.", "MANAGER_LOCKED")
    approver = Approver(
        candidate.id,
        candidate.username,
        candidate.display_name,
        Role(candidate.role),
        caller.terminal_id,
        caller.terminal_name,
    )
    _grant(rt, caller, request, approver)
    return approver


def _grant(rt: Runtime, caller: Identity, request: OverrideRequest, approver: Approver) -> None:
    """Record the approval with both people."""
    with rt.db.write() as conn:
        record(
            conn,
            "auth.override_granted",
            actor=caller.actor,
            approver=approver.actor,
            entity=request.entity,
            entity_id=request.entity_id,
            request_id=request.request_id,
            at=rt.clock(),
            details={"permission": request.permission.value, "action": request.action},
        )


async def _pin_owner(rt: Runtime, pin: str) -> UserRow | None:
    """The user whose PIN this is (lookup digest, then argon2id off the loop), or None."""
    candidate = users.by_pin_lookup(rt.db.reader, pin_digest(lookup_key(rt.settings), pin)) if is_pin(pin) else None
    stored = candidate.pin_hash if candidate else None
    verified = await verify_off_loop(HashParams.from_settings(rt.settings), stored, pin)
    return candidate if verified else None


def _deny(
    rt: Runtime,
    caller: Identity,
    request: OverrideRequest,
    reason: str,
    count_against: str | None,
    approver: UserRow | None = None,
) -> None:
    """Audit a refused override; count it toward the PIN pad's lock-out when the PIN was wrong."""
    now = rt.clock()
    second = Actor(approver.id, approver.username, caller.terminal_id, caller.terminal_name) if approver else None
    with rt.db.write() as conn:
        until = None
        if count_against is not None:
            until = throttle.register_failure(conn, count_against, now, throttle.Policy.from_settings(rt.settings))
        record(
            conn,
            "auth.override_denied",
            actor=caller.actor,
            approver=second,
            entity=request.entity,
            entity_id=request.entity_id,
            request_id=request.request_id,
            at=now,
            details={"permission": request.permission.value, "action": request.action, "reason": reason},
        )
        if until is not None:
            record(
                conn,
                "auth.lockout",
                actor=caller.actor,
                request_id=request.request_id,
                at=now,
                details={"subject": (count_against or "").rsplit(":", 1)[0], "lockedUntil": iso_utc(until)},
            )
    logger.bind(user=caller.username, terminal=caller.terminal_name, reason=reason).warning("override refused")
