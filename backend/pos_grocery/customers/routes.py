"""`/api/customers`: thin handlers over the customer service."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import JSONBody, QueryParameter

from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.catalog.models import Deleted
from pos_grocery.clock import iso_utc
from pos_grocery.customers import service
from pos_grocery.customers.models import Customer, CustomerCreate, CustomerPage, CustomerPatch, CustomerType
from pos_grocery.http import ActiveFilter, AnyRequest, Cursor, Limit, RowId, request_id_of, runtime_of
from pos_grocery.pagination import DEFAULT_LIMIT, decode_cursor

Prefix = Annotated[str | None, QueryParameter(max_length=100, description="Name or phone starts with")]


class CustomersController(Controller):
    """Customers; the lane finds them by phone or name."""

    path = "/api/customers"
    tags = ["customers"]  # noqa: RUF012

    @get("/", guards=[requires(P.CUSTOMERS_READ)], summary="List or find customers")
    async def list_customers(self, request: AnyRequest, q: Prefix = None,
                             type: Annotated[CustomerType | None, QueryParameter()] = None,
                             active: ActiveFilter = None, limit: Limit = DEFAULT_LIMIT,
                             cursor: Cursor = None) -> CustomerPage:
        """Live customers by id."""
        rt = runtime_of(request)
        filters = {"q": q, "type": type, "active": active}
        return service.list_customers(rt.db.reader, filters, decode_cursor(cursor), limit, rt.settings.currency)

    @get("/{customer_id:int}", guards=[requires(P.CUSTOMERS_READ)], summary="One customer")
    async def get_customer(self, request: AnyRequest, customer_id: RowId) -> Customer:
        """A customer by id."""
        rt = runtime_of(request)
        return service.get_customer(rt.db.reader, customer_id, rt.settings.currency)

    @post("/", guards=[requires(P.CUSTOMERS_WRITE)], status_code=201, summary="Create a customer")
    async def create_customer(self, request: AnyRequest, data: JSONBody[CustomerCreate]) -> Customer:
        """A tier other than retail or a credit limit needs customers.credit."""
        rt, caller = runtime_of(request), identity_of(request)
        return service.create_customer(rt.db.writer, data, caller.can(P.CUSTOMERS_CREDIT), caller.actor,
                                       request_id_of(request), rt.clock(), iso_utc(rt.clock()), rt.settings.currency)

    @patch("/{customer_id:int}", guards=[requires(P.CUSTOMERS_WRITE)], summary="Change a customer")
    async def update_customer(self, request: AnyRequest, customer_id: RowId,
                              data: JSONBody[CustomerPatch]) -> Customer:
        """Tier and credit-limit changes need customers.credit and are journalled."""
        rt, caller = runtime_of(request), identity_of(request)
        return service.update_customer(rt.db.writer, customer_id, data, caller.can(P.CUSTOMERS_CREDIT),
                                       caller.actor, request_id_of(request), rt.clock(), iso_utc(rt.clock()),
                                       rt.settings.currency)

    @delete("/{customer_id:int}", guards=[requires(P.CUSTOMERS_CREDIT)], status_code=200,
            summary="Delete a customer")
    async def delete_customer(self, request: AnyRequest, customer_id: RowId) -> Deleted:
        """Deleted when no record refers to the customer, else archived."""
        rt = runtime_of(request)
        outcome = service.delete_customer(rt.db.writer, customer_id, iso_utc(rt.clock()), rt.settings.currency)
        return Deleted(id=customer_id, outcome=outcome)
