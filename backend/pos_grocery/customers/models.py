"""Wire shapes of customers (camelCase JSON). The type sets the price tier; the balance comes with checkout."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType

from pos_grocery.parties import Name, Notes
from pos_grocery.wire import In, Out

CustomerType = Literal["retail", "wholesale", "credit", "other"]
CUSTOMER_TYPES: tuple[CustomerType, ...] = ("retail", "wholesale", "credit", "other")
Phone = Annotated[str, Meta(max_length=40, pattern=r"^$|^\+?[0-9][0-9 ()/-]*$")]
Limit = Annotated[int, Meta(ge=0, le=10**13, description="Minor units of the store currency")]


class CustomerCreate(In):
    """`POST /api/customers`."""

    name: Name
    phone: Phone = ""
    type: CustomerType = "retail"
    notes: Notes = ""
    credit_limit: Limit = 0
    active: bool = True


class CustomerPatch(In):
    """`PATCH /api/customers/{id}`: only the fields present change."""

    name: Name | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    type: CustomerType | UnsetType = UNSET
    notes: Notes | UnsetType = UNSET
    credit_limit: Limit | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class Customer(Out):
    """A customer; `priceTier` is what their type means at the lane."""

    id: int
    name: str
    phone: str
    type: str
    price_tier: str
    notes: str
    credit_limit: int
    currency: str
    active: bool
    created_at: str
    updated_at: str
    balance: int = 0
    """What the customer owes on account (minor units; sales on account add, payments and voids take off)."""


class CustomerPage(Out):
    """A page of customers."""

    items: list[Customer]
    next_cursor: str | None
