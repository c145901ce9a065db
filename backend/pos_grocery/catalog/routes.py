"""`/api/products`, `/api/categories`, `/api/tax-classes`: thin handlers over the catalog services."""

from __future__ import annotations

from typing import Annotated, Any

import apsw
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.catalog import price_changes, service, taxonomy
from pos_grocery.catalog.models import (
    Category,
    CategoryIn,
    CategoryPage,
    Deleted,
    PriceChangesIn,
    PriceChangesOut,
    Product,
    ProductCreate,
    ProductPage,
    ProductPatch,
    ScanMatch,
    TaxClass,
    TaxClassIn,
    TaxClassPage,
    TaxClassPatch,
)
from pos_grocery.catalog.rules import Rules
from pos_grocery.catalog.search import search
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor

AnyRequest = Request[Any, Any, Any]
RowId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
RefFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
FlagFilter = Annotated[bool | None, QueryParameter()]
ActiveFlag = Annotated[bool, QueryParameter(description="true: active products, false: inactive ones")]
# A `str` path parameter: a `path` one would take a slash, but measured 20 µs slower here and 80 µs slower
# for every other route of the controller. So codes cannot contain "/" (rules.classify_code refuses them).
ScanCode = Annotated[str, PathParameter(min_length=1, max_length=64, description="As scanned or typed")]
SearchText = Annotated[str, QueryParameter(min_length=1, max_length=100, description="Words, SKU or barcode")]


def rules_of(request: AnyRequest) -> Rules:
    """The catalog rules of this app (built once from the settings, then kept on the app state)."""
    state = request.app.state
    rules: Rules | None = state.get("catalog_rules")
    if rules is None:
        rt = runtime_of(request)
        rules = Rules.of(rt.settings, rt.clock)
        state["catalog_rules"] = rules
    return rules


class ProductsController(Controller):
    """Products, their barcodes and PLUs; the scan lookup and the search the lanes use."""

    path = "/api/products"
    tags = ["catalog"]  # noqa: RUF012

    @get("/barcode/{code:str}", guards=[requires(P.CATALOG_READ)], summary="Look up a scanned code")
    async def by_barcode(self, request: AnyRequest, code: ScanCode) -> ScanMatch:
        """EAN-13/8, UPC-A/E, GTIN-14, PLU, internal or variable-measure code; 404 BARCODE_NOT_FOUND."""
        # Inline on the event loop: one primary-key probe costs less than a hop to a thread.
        return service.lookup_barcode(runtime_of(request).db.reader, rules_of(request), code)

    @get("/search", guards=[requires(P.CATALOG_READ)], summary="Search products as you type")
    async def search(self, request: AnyRequest, q: SearchText, active: ActiveFlag = True, limit: Limit = DEFAULT_LIMIT,
                     cursor: Cursor = None) -> ProductPage:
        """Ranked: exact code or SKU, SKU/barcode prefix, then names in English, Sinhala and Tamil."""
        # Bounded work (docs/CATALOG.md: at most POOL candidates), ~1 ms at a million products: inline.
        return search(runtime_of(request).db.reader, rules_of(request), q, active, limit, cursor)

    @get("/", guards=[requires(P.CATALOG_READ)], summary="List products")
    async def list_products(self, request: AnyRequest, category_id: RefFilter = None, tax_class_id: RefFilter = None,
                            supplier_id: RefFilter = None, active: FlagFilter = None, weighed: FlagFilter = None,
                            limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> ProductPage:
        """Live products by id, filtered by category, tax class, supplier, active and weighed."""
        filters = {"category_id": category_id, "tax_class_id": tax_class_id, "supplier_id": supplier_id,
                   "active": active, "weighed": weighed}
        return service.list_products(runtime_of(request).db.reader, rules_of(request), filters,
                                     decode_cursor(cursor), limit)

    @get("/{product_id:int}", guards=[requires(P.CATALOG_READ)], summary="One product")
    async def get_product(self, request: AnyRequest, product_id: RowId) -> Product:
        """A product by id (an archived one carries archivedAt)."""
        return service.get_product(runtime_of(request).db.reader, rules_of(request), product_id)

    @post("/", guards=[requires(P.CATALOG_WRITE)], status_code=201, summary="Create a product")
    async def create_product(self, request: AnyRequest, data: JSONBody[ProductCreate]) -> Product:
        """SKU and codes unique; opening prices are journalled."""
        caller = identity_of(request)
        try:
            return service.create_product(runtime_of(request).db.writer, rules_of(request), data, caller.actor,
                                          request_id_of(request))
        except apsw.ConstraintError as exc:
            raise service.constraint_conflict(exc) from None

    @post("/price-changes", guards=[requires(P.CATALOG_WRITE)], status_code=200,
          summary="Change many products' prices at once")
    async def change_prices(self, request: AnyRequest, data: JSONBody[PriceChangesIn]) -> PriceChangesOut:
        """1-500 `{productId, prices}` in one transaction, each as a PATCH's `prices` (needs prices.write when a
        price changes); all or nothing: a refused change names itself (`changes[i]`) and nothing is written."""
        caller = identity_of(request)
        editor = service.Editor(caller.actor, request_id_of(request), caller.can(P.PRICES_WRITE), "price-changes")
        try:
            return price_changes.change_prices(runtime_of(request).db.writer, rules_of(request), data.changes, editor)
        except apsw.ConstraintError as exc:
            raise service.constraint_conflict(exc) from None

    @patch("/{product_id:int}", guards=[requires(P.CATALOG_WRITE)], summary="Change a product")
    async def update_product(self, request: AnyRequest, product_id: RowId, data: JSONBody[ProductPatch]) -> Product:
        """Fields present change; a price or cost change needs prices.write and is journalled."""
        caller = identity_of(request)
        try:
            return service.update_product(runtime_of(request).db.writer, rules_of(request), product_id, data,
                                          caller.actor, request_id_of(request), caller.can(P.PRICES_WRITE))
        except apsw.ConstraintError as exc:
            raise service.constraint_conflict(exc) from None

    @delete("/{product_id:int}", guards=[requires(P.CATALOG_WRITE)], status_code=200, summary="Delete a product")
    async def delete_product(self, request: AnyRequest, product_id: RowId) -> Deleted:
        """Deleted when nothing refers to it, else archived (kept for sales and stock records)."""
        caller = identity_of(request)
        return service.delete_product(runtime_of(request).db.writer, rules_of(request), product_id, caller.actor,
                                      request_id_of(request))


class CategoriesController(Controller):
    """Product categories."""

    path = "/api/categories"
    tags = ["catalog"]  # noqa: RUF012

    @get("/", guards=[requires(P.CATALOG_READ)], summary="List categories")
    async def list_categories(self, request: AnyRequest, limit: Limit = DEFAULT_LIMIT,
                              cursor: Cursor = None) -> CategoryPage:
        """Live categories by id."""
        return taxonomy.list_categories(runtime_of(request).db.reader, decode_cursor(cursor), limit)

    @get("/{category_id:int}", guards=[requires(P.CATALOG_READ)], summary="One category")
    async def get_category(self, request: AnyRequest, category_id: RowId) -> Category:
        """A category by id."""
        return taxonomy.get_category(runtime_of(request).db.reader, category_id)

    @post("/", guards=[requires(P.CATALOG_WRITE)], status_code=201, summary="Create a category")
    async def create_category(self, request: AnyRequest, data: JSONBody[CategoryIn]) -> Category:
        """Names are unique (ignoring case)."""
        return taxonomy.create_category(runtime_of(request).db.writer, rules_of(request), data)

    @patch("/{category_id:int}", guards=[requires(P.CATALOG_WRITE)], summary="Rename a category")
    async def rename_category(self, request: AnyRequest, category_id: RowId, data: JSONBody[CategoryIn]) -> Category:
        """Rename."""
        return taxonomy.rename_category(runtime_of(request).db.writer, rules_of(request), category_id, data)

    @delete("/{category_id:int}", guards=[requires(P.CATALOG_WRITE)], status_code=200, summary="Delete a category")
    async def delete_category(self, request: AnyRequest, category_id: RowId) -> Deleted:
        """409 CATEGORY_IN_USE while live products use it."""
        return taxonomy.delete_category(runtime_of(request).db.writer, rules_of(request), category_id)


class TaxClassesController(Controller):
    """Tax classes and their rates (basis points)."""

    path = "/api/tax-classes"
    tags = ["catalog"]  # noqa: RUF012

    @get("/", guards=[requires(P.CATALOG_READ)], summary="List tax classes")
    async def list_tax_classes(self, request: AnyRequest, limit: Limit = DEFAULT_LIMIT,
                               cursor: Cursor = None) -> TaxClassPage:
        """Live tax classes by id."""
        return taxonomy.list_tax_classes(runtime_of(request).db.reader, decode_cursor(cursor), limit)

    @get("/{tax_class_id:int}", guards=[requires(P.CATALOG_READ)], summary="One tax class")
    async def get_tax_class(self, request: AnyRequest, tax_class_id: RowId) -> TaxClass:
        """A tax class by id."""
        return taxonomy.get_tax_class(runtime_of(request).db.reader, tax_class_id)

    @post("/", guards=[requires(P.CATALOG_WRITE)], status_code=201, summary="Create a tax class")
    async def create_tax_class(self, request: AnyRequest, data: JSONBody[TaxClassIn]) -> TaxClass:
        """Names are unique (ignoring case); the rate is journalled."""
        caller = identity_of(request)
        return taxonomy.create_tax_class(runtime_of(request).db.writer, rules_of(request), data, caller.actor,
                                         request_id_of(request))

    @patch("/{tax_class_id:int}", guards=[requires(P.CATALOG_WRITE)], summary="Change a tax class")
    async def update_tax_class(self, request: AnyRequest, tax_class_id: RowId,
                               data: JSONBody[TaxClassPatch]) -> TaxClass:
        """Rename or change the rate (journalled with old and new rate)."""
        caller = identity_of(request)
        return taxonomy.update_tax_class(runtime_of(request).db.writer, rules_of(request), tax_class_id, data,
                                         caller.actor, request_id_of(request))

    @delete("/{tax_class_id:int}", guards=[requires(P.CATALOG_WRITE)], status_code=200,
            summary="Delete a tax class")
    async def delete_tax_class(self, request: AnyRequest, tax_class_id: RowId) -> Deleted:
        """409 TAX_CLASS_IN_USE while live products use it."""
        return taxonomy.delete_tax_class(runtime_of(request).db.writer, rules_of(request), tax_class_id)


def catalog_routers() -> list[Any]:
    """Every router of the catalog issue (products, categories, tax classes, suppliers, customers, CSV)."""
    from pos_grocery.catalog.import_routes import import_routers
    from pos_grocery.customers.routes import CustomersController
    from pos_grocery.suppliers.routes import SuppliersController

    return [ProductsController, CategoriesController, TaxClassesController, SuppliersController, CustomersController,
            *import_routers()]
