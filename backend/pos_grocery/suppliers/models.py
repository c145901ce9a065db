"""Wire shapes of suppliers (camelCase JSON)."""

from __future__ import annotations

from typing import Annotated

from msgspec import UNSET, Meta, UnsetType

from pos_grocery.parties import Name, Notes
from pos_grocery.wire import In, Out

Phone = Annotated[str, Meta(max_length=40)]
Email = Annotated[str, Meta(max_length=200, pattern=r"^$|^[^@\s]+@[^@\s]+$")]
Address = Annotated[str, Meta(max_length=500)]
TaxId = Annotated[str, Meta(max_length=60)]


class SupplierCreate(In):
    """`POST /api/suppliers`."""

    name: Name
    phone: Phone = ""
    email: Email = ""
    address: Address = ""
    tax_id: TaxId = ""
    notes: Notes = ""
    active: bool = True


class SupplierPatch(In):
    """`PATCH /api/suppliers/{id}`: only the fields present change."""

    name: Name | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    tax_id: TaxId | UnsetType = UNSET
    notes: Notes | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class Supplier(Out):
    """A supplier and how many live products name it as preferred supplier."""

    id: int
    name: str
    phone: str
    email: str
    address: str
    tax_id: str
    notes: str
    active: bool
    product_count: int
    created_at: str
    updated_at: str


class SupplierPage(Out):
    """A page of suppliers."""

    items: list[Supplier]
    next_cursor: str | None
