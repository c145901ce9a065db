"""`/api/suppliers`: thin handlers over the supplier service."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import JSONBody, QueryParameter

from pos_grocery.auth.guard import requires
from pos_grocery.auth.permissions import P
from pos_grocery.catalog.models import Deleted
from pos_grocery.clock import iso_utc
from pos_grocery.http import ActiveFilter, AnyRequest, Cursor, Limit, RowId, runtime_of
from pos_grocery.pagination import DEFAULT_LIMIT, decode_cursor
from pos_grocery.suppliers import service
from pos_grocery.suppliers.models import Supplier, SupplierCreate, SupplierPage, SupplierPatch

NamePrefix = Annotated[str | None, QueryParameter(max_length=100, description="Name starts with")]


class SuppliersController(Controller):
    """Suppliers; their products are `GET /api/products?supplierId=`."""

    path = "/api/suppliers"
    tags = ["suppliers"]  # noqa: RUF012

    @get("/", guards=[requires(P.SUPPLIERS_READ)], summary="List suppliers")
    async def list_suppliers(self, request: AnyRequest, q: NamePrefix = None,
                             active: ActiveFilter = None,
                             limit: Limit = DEFAULT_LIMIT,
                             cursor: Cursor = None) -> SupplierPage:
        """Live suppliers by id."""
        return service.list_suppliers(runtime_of(request).db.reader, q, active, decode_cursor(cursor), limit)

    @get("/{supplier_id:int}", guards=[requires(P.SUPPLIERS_READ)], summary="One supplier")
    async def get_supplier(self, request: AnyRequest, supplier_id: RowId) -> Supplier:
        """A supplier by id."""
        return service.get_supplier(runtime_of(request).db.reader, supplier_id)

    @post("/", guards=[requires(P.SUPPLIERS_WRITE)], status_code=201, summary="Create a supplier")
    async def create_supplier(self, request: AnyRequest, data: JSONBody[SupplierCreate]) -> Supplier:
        """Names are unique (ignoring case)."""
        rt = runtime_of(request)
        return service.create_supplier(rt.db.writer, data, iso_utc(rt.clock()))

    @patch("/{supplier_id:int}", guards=[requires(P.SUPPLIERS_WRITE)], summary="Change a supplier")
    async def update_supplier(self, request: AnyRequest, supplier_id: RowId,
                              data: JSONBody[SupplierPatch]) -> Supplier:
        """Fields present change."""
        rt = runtime_of(request)
        return service.update_supplier(rt.db.writer, supplier_id, data, iso_utc(rt.clock()))

    @delete("/{supplier_id:int}", guards=[requires(P.SUPPLIERS_WRITE)], status_code=200,
            summary="Delete a supplier")
    async def delete_supplier(self, request: AnyRequest, supplier_id: RowId) -> Deleted:
        """Deleted when nothing refers to it, else archived."""
        rt = runtime_of(request)
        outcome = service.delete_supplier(rt.db.writer, supplier_id, iso_utc(rt.clock()))
        return Deleted(id=supplier_id, outcome=outcome)
