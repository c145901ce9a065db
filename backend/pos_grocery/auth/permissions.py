"""The one permission matrix (PRODUCT.md "Users"): every route names one of these permissions.

Cashiers sell, hold, return under the threshold, start shifts and read X; managers also override, void
completed sales, approve returns, Z-close, receive goods and run stocktakes; admins hold every permission
(users, settings, devices, backups, restores); auditors read and export, and change nothing.
Later features use the constants that already exist here; add a new one only with its row in the matrix
and in docs/SECURITY.md.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role."""

    CASHIER = "cashier"
    MANAGER = "manager"
    ADMIN = "admin"
    AUDITOR = "auditor"


class P(StrEnum):
    """Permission names (stable strings: they appear in 403 answers, the OpenAPI document and the journal)."""

    SESSION = "session.use"
    CATALOG_READ = "catalog.read"
    CATALOG_WRITE = "catalog.write"
    PRICES_WRITE = "prices.write"
    PROMOTIONS_MANAGE = "promotions.manage"
    SALES_CREATE = "sales.create"
    SALES_HOLD = "sales.hold"
    SALES_READ = "sales.read"
    SALES_LINE_VOID = "sales.void_line"
    SALES_VOID = "sales.void"
    PRICE_OVERRIDE = "sales.price_override"
    DISCOUNT_OVERRIDE = "sales.discount_override"
    OVERRIDE_REQUEST = "overrides.request"
    RECEIPTS_REPRINT = "receipts.reprint"
    RETURNS_CREATE = "returns.create"
    RETURNS_APPROVE = "returns.approve"
    CUSTOMERS_READ = "customers.read"
    CUSTOMERS_WRITE = "customers.write"
    CUSTOMERS_CREDIT = "customers.credit"
    SHIFTS_OPEN = "shifts.open"
    SHIFTS_CASH = "shifts.cash"
    REPORTS_X = "reports.x"
    SHIFTS_Z_CLOSE = "shifts.z_close"
    SHIFTS_MANAGE = "shifts.manage"  # pickups, cash movements above the cashier limit
    DRAWER_OPEN = "drawer.open"
    GOODS_RECEIVE = "goods.receive"
    STOCKTAKE_COUNT = "stocktake.count"
    STOCKTAKE_MANAGE = "stocktake.manage"
    INVENTORY_READ = "inventory.read"
    INVENTORY_ADJUST = "inventory.adjust"
    SUPPLIERS_READ = "suppliers.read"
    SUPPLIERS_WRITE = "suppliers.write"
    REPORTS_READ = "reports.read"
    REPORTS_EXPORT = "reports.export"
    LABELS_PRINT = "labels.print"
    DATA_IMPORT = "data.import"
    DATA_EXPORT = "data.export"
    DEVICES_USE = "devices.use"
    DEVICES_MANAGE = "devices.manage"
    TERMINALS_READ = "terminals.read"
    TERMINALS_MANAGE = "terminals.manage"
    LOCKS_CLEAR = "locks.clear"
    USERS_READ = "users.read"
    USERS_MANAGE = "users.manage"
    SETTINGS_READ = "settings.read"
    SETTINGS_MANAGE = "settings.manage"
    BACKUPS_MANAGE = "backups.manage"
    AUDIT_READ = "audit.read"
    AUDIT_EXPORT = "audit.export"


_CASHIER = frozenset(
    {
        P.SESSION,
        P.CATALOG_READ,
        P.SALES_CREATE,
        P.SALES_HOLD,
        P.SALES_READ,
        P.SALES_LINE_VOID,
        P.OVERRIDE_REQUEST,
        P.RECEIPTS_REPRINT,
        P.RETURNS_CREATE,
        P.CUSTOMERS_READ,
        P.CUSTOMERS_WRITE,
        P.SHIFTS_OPEN,
        P.SHIFTS_CASH,
        P.REPORTS_X,
        P.STOCKTAKE_COUNT,
        P.INVENTORY_READ,
        P.DEVICES_USE,
        P.SETTINGS_READ,
    }
)
_MANAGER = _CASHIER | {
    P.SALES_VOID,
    P.PRICE_OVERRIDE,
    P.DISCOUNT_OVERRIDE,
    P.RETURNS_APPROVE,
    P.SHIFTS_Z_CLOSE,
    P.SHIFTS_MANAGE,
    P.DRAWER_OPEN,
    P.GOODS_RECEIVE,
    P.STOCKTAKE_MANAGE,
    P.INVENTORY_ADJUST,
    P.CATALOG_WRITE,
    P.PRICES_WRITE,
    P.PROMOTIONS_MANAGE,
    P.SUPPLIERS_READ,
    P.SUPPLIERS_WRITE,
    P.CUSTOMERS_CREDIT,
    P.REPORTS_READ,
    P.REPORTS_EXPORT,
    P.LABELS_PRINT,
    P.DATA_IMPORT,
    P.DATA_EXPORT,
    P.TERMINALS_READ,
    P.LOCKS_CLEAR,
    P.USERS_READ,
    P.AUDIT_READ,
}
_AUDITOR = frozenset(
    {
        P.SESSION,
        P.CATALOG_READ,
        P.SALES_READ,
        P.CUSTOMERS_READ,
        P.INVENTORY_READ,
        P.SUPPLIERS_READ,
        P.REPORTS_X,
        P.REPORTS_READ,
        P.REPORTS_EXPORT,
        P.DATA_EXPORT,
        P.TERMINALS_READ,
        P.USERS_READ,
        P.SETTINGS_READ,
        P.AUDIT_READ,
        P.AUDIT_EXPORT,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[P]] = {
    Role.CASHIER: _CASHIER,
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(P),
    Role.AUDITOR: _AUDITOR,
}

# Who may approve a cashier's action with their PIN (and then only for permissions they hold themselves).
APPROVER_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def permissions_of(role: Role | str) -> frozenset[P]:
    """Every permission a role holds (an unknown role holds none)."""
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()


def has_permission(role: Role | str, permission: P) -> bool:
    """True when the role holds the permission."""
    return permission in permissions_of(role)


def can_approve(role: Role | str, permission: P) -> bool:
    """True when a user of this role may approve another person's action needing the permission."""
    return role in APPROVER_ROLES and has_permission(role, permission)
