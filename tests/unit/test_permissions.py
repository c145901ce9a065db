"""The permission matrix matches PRODUCT.md's roles, and docs/SECURITY.md shows all of it."""

from __future__ import annotations

from pathlib import Path

from pos_grocery.auth.permissions import APPROVER_ROLES, ROLE_PERMISSIONS, P, Role, can_approve, has_permission

ROOT = Path(__file__).resolve().parents[2]


def test_cashiers_sell_hold_return_open_shifts_and_read_x() -> None:
    for p in (P.SALES_CREATE, P.SALES_HOLD, P.RETURNS_CREATE, P.SHIFTS_OPEN, P.REPORTS_X, P.OVERRIDE_REQUEST):
        assert has_permission(Role.CASHIER, p), p
    for p in (
        P.SALES_VOID,
        P.RETURNS_APPROVE,
        P.SHIFTS_Z_CLOSE,
        P.GOODS_RECEIVE,
        P.STOCKTAKE_MANAGE,
        P.USERS_MANAGE,
        P.SETTINGS_MANAGE,
        P.BACKUPS_MANAGE,
        P.AUDIT_READ,
        P.CATALOG_WRITE,
    ):
        assert not has_permission(Role.CASHIER, p), p


def test_managers_override_void_approve_close_receive_and_count() -> None:
    for p in (
        P.SALES_VOID,
        P.RETURNS_APPROVE,
        P.SHIFTS_Z_CLOSE,
        P.GOODS_RECEIVE,
        P.STOCKTAKE_MANAGE,
        P.PRICE_OVERRIDE,
        P.DISCOUNT_OVERRIDE,
        P.SALES_CREATE,
    ):
        assert has_permission(Role.MANAGER, p), p
    for p in (P.USERS_MANAGE, P.SETTINGS_MANAGE, P.BACKUPS_MANAGE, P.AUDIT_EXPORT, P.TERMINALS_MANAGE):
        assert not has_permission(Role.MANAGER, p), p


def test_admins_hold_every_permission() -> None:
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(P)


def test_auditors_read_and_export_and_change_nothing() -> None:
    readonly = {p for p in ROLE_PERMISSIONS[Role.AUDITOR] if p != P.SESSION}
    assert all(p.value.endswith((".read", ".export", ".x")) for p in readonly), readonly
    assert {P.AUDIT_READ, P.AUDIT_EXPORT, P.REPORTS_READ, P.REPORTS_EXPORT} <= readonly


def test_every_permission_is_held_by_someone_and_values_are_unique() -> None:
    held = frozenset().union(*ROLE_PERMISSIONS.values())
    assert held == frozenset(P)
    assert len({p.value for p in P}) == len(P)


def test_only_managers_and_admins_approve_and_only_what_they_hold() -> None:
    assert {Role.MANAGER, Role.ADMIN} == APPROVER_ROLES
    assert can_approve(Role.MANAGER, P.SALES_VOID) and can_approve(Role.ADMIN, P.SALES_VOID)
    assert not can_approve(Role.MANAGER, P.USERS_MANAGE)
    assert not can_approve(Role.CASHIER, P.SALES_CREATE) and not can_approve(Role.AUDITOR, P.AUDIT_READ)
    assert not has_permission("owner", P.SALES_CREATE)


def test_security_doc_lists_every_permission_and_role() -> None:
    doc = (ROOT / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    missing = [p.value for p in P if f"`{p.value}`" not in doc]
    assert missing == []
