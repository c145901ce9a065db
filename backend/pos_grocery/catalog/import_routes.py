"""`/api/imports` (upload → preview → commit, with progress) and `/api/exports/{kind}` (CSV download)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.response import Stream

from pos_grocery.auth.errors import permission_denied
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.identity import Identity
from pos_grocery.auth.permissions import P
from pos_grocery.catalog import importer
from pos_grocery.catalog.config import minor_digits
from pos_grocery.catalog.csv_read import CsvTable
from pos_grocery.catalog.exports import export_chunks
from pos_grocery.catalog.import_jobs import ImportJob, ImportJobs, Job
from pos_grocery.catalog.imports import KINDS, Context, Plan
from pos_grocery.catalog.routes import rules_of
from pos_grocery.catalog.search import decode_offset, encode_offset
from pos_grocery.db.connection import connect
from pos_grocery.errors import Conflict, DomainError
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_LIMIT

AnyRequest = Request[Any, Any, Any]
KindParam = Literal["products", "prices", "suppliers", "customers", "stock"]
JobId = Annotated[str, PathParameter(min_length=16, max_length=16, pattern=r"^[0-9a-f]{16}$")]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
IMPORT_NEEDS: dict[str, tuple[P, ...]] = {
    "products": (P.CATALOG_WRITE, P.PRICES_WRITE), "prices": (P.PRICES_WRITE,),
    "suppliers": (P.SUPPLIERS_WRITE,), "customers": (P.CUSTOMERS_WRITE, P.CUSTOMERS_CREDIT),
    "stock": (P.INVENTORY_ADJUST,)}
EXPORT_NEEDS: dict[str, P] = {"products": P.CATALOG_READ, "prices": P.CATALOG_READ,
                              "suppliers": P.SUPPLIERS_READ, "customers": P.CUSTOMERS_READ, "stock": P.INVENTORY_READ}


class CommitRequest(msgspec.Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """`POST /api/imports/{id}/commit`: rejected rows are skipped only when the caller says so."""

    accept_rejections: bool = False


@dataclass
class CsvUpload(Operation):
    """The upload's body is the CSV file itself (not JSON)."""

    def __post_init__(self) -> None:
        """Declare a text/csv request body."""
        self.request_body = RequestBody(
            content={"text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))}, required=True,
            description="The CSV file (UTF-8, BOM tolerated), at most MAX_BODY_BYTES")


def _jobs(request: AnyRequest) -> ImportJobs:
    state = request.app.state
    jobs: ImportJobs | None = state.get("catalog_imports")
    if jobs is None:
        jobs = ImportJobs()
        state["catalog_imports"] = jobs
    return jobs


def _require(caller: Identity, needs: tuple[P, ...]) -> None:
    for permission in needs:
        if not caller.can(permission):
            raise permission_denied(permission.value)


def _context(request: AnyRequest, caller: Identity) -> Context:
    rules = rules_of(request)
    return Context(rules, minor_digits(rules.currency), caller.actor, request_id_of(request))


async def _validate(request: AnyRequest, job: Job, table: CsvTable, ctx: Context) -> None:
    """Background step: plan every row on a worker thread, reporting progress into the job."""
    rt = runtime_of(request)
    try:
        job.plan = await rt.db.run_in_thread(lambda conn: importer.plan(conn, job.kind, table, ctx, job.progress))
        job.status = "ready"
    except DomainError as exc:
        job.status, job.error = "failed", (exc.code, exc.detail)
    except Exception as exc:  # a bug must not leave the job "validating" forever
        job.status, job.error = "failed", ("INTERNAL_ERROR", "The server could not validate the file.")
        from loguru import logger

        logger.opt(exception=exc).error("import validation failed")


def rt_max_rows(request: AnyRequest) -> int:
    """Largest row offset a rows cursor may carry."""
    return runtime_of(request).settings.import_max_rows


class ImportsController(Controller):
    """CSV imports in two steps; a 100,000-row file shows its progress here."""

    path = "/api/imports"
    tags = ["imports"]  # noqa: RUF012

    @post("/", guards=[requires(P.DATA_IMPORT)], status_code=202, operation_class=CsvUpload,
          summary="Upload a CSV file for a preview")
    async def upload(self, request: AnyRequest, kind: Annotated[KindParam, QueryParameter()],
                     filename: Annotated[str | None, QueryParameter(max_length=200)] = None) -> ImportJob:
        """Checks the file's encoding, header and quoting now (400 CSV_*); rows are checked in the background."""
        caller = identity_of(request)
        _require(caller, IMPORT_NEEDS[kind])
        raw = await request.body()
        rt = runtime_of(request)
        # The file as a whole (encoding, header, quoting) is checked before answering: a 400 names the problem.
        table = await rt.db.run_in_thread(lambda _conn: importer.read(kind, raw, rt.settings.import_max_rows))
        job = _jobs(request).add(kind, filename, caller.actor, rt.clock())
        job.total = len(table.records)
        job.task = asyncio.get_running_loop().create_task(_validate(request, job, table, _context(request, caller)))
        return job.view()

    @get("/{import_id:str}", guards=[requires(P.DATA_IMPORT)], summary="An import's progress and preview")
    async def get_import(self, request: AnyRequest, import_id: JobId) -> ImportJob:
        """Status validating → ready (counts, first rejections) → committing → committed, or failed."""
        return _jobs(request).get(import_id, runtime_of(request).clock()).view()

    @get("/{import_id:str}/rows", guards=[requires(P.DATA_IMPORT)], summary="The preview, row by row")
    async def get_rows(self, request: AnyRequest, import_id: JobId,
                       action: Annotated[Literal["create", "update", "unchanged", "rejected"] | None,
                                         QueryParameter()] = None,
                       limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> importer.RowPage:
        """Rows in file order with their outcome; rejections carry column, code and reason."""
        job = _jobs(request).get(import_id, runtime_of(request).clock())
        if job.plan is None:
            raise Conflict("The preview is not ready yet.", "IMPORT_NOT_READY")
        offset = decode_offset(cursor, maximum=rt_max_rows(request))
        found = job.listing(action)
        more = len(found) > offset + limit
        return importer.RowPage(items=found[offset:offset + limit],
                                next_cursor=encode_offset(offset + limit) if more else None)

    @post("/{import_id:str}/commit", guards=[requires(P.DATA_IMPORT)], status_code=200,
          summary="Commit exactly the previewed import")
    async def commit(self, request: AnyRequest, import_id: JobId, data: JSONBody[CommitRequest]) -> ImportJob:
        """All or nothing; 409 IMPORT_STALE when the catalog changed since the preview."""
        caller = identity_of(request)
        job = _jobs(request).get(import_id, runtime_of(request).clock())
        _require(caller, IMPORT_NEEDS[job.kind])
        plan = _ready(job, data.accept_rejections)
        job.status, job.stage, job.done, job.total = "committing", "committing", 0, 0
        rt = runtime_of(request)
        ctx = _context(request, caller)
        try:
            job.outcome = await rt.db.run_in_thread(lambda conn: importer.commit(conn, plan, ctx, job.progress))
        except DomainError as exc:
            job.status, job.error = "failed", (exc.code, exc.detail)
            raise
        job.status, job.committed = "committed", rt.clock()
        return job.view()

    @delete("/{import_id:str}", guards=[requires(P.DATA_IMPORT)], status_code=204, summary="Discard a preview")
    async def discard(self, request: AnyRequest, import_id: JobId) -> None:
        """Forget the preview (a commit in progress finishes first)."""
        job = _jobs(request).get(import_id, runtime_of(request).clock())
        if job.status == "committing":
            raise Conflict("The import is being committed.", "IMPORT_BUSY")
        _jobs(request).discard(import_id)


def _ready(job: Job, accept_rejections: bool) -> Plan:
    """The job's plan if it may be committed now (409 otherwise)."""
    if job.status == "committed":
        raise Conflict("This import was already committed.", "IMPORT_ALREADY_COMMITTED")
    if job.status != "ready" or job.plan is None:
        raise Conflict(f"The import is {job.status}, not ready to commit.", "IMPORT_NOT_READY")
    if job.plan.rejections and not accept_rejections:
        raise Conflict(f"{len(job.plan.rejections)} row(s) were rejected; fix the file, or commit with "
                       "acceptRejections=true to skip them.", "IMPORT_HAS_REJECTIONS")
    return job.plan


class ExportsController(Controller):
    """CSV downloads in the import formats."""

    path = "/api/exports"
    tags = ["imports"]  # noqa: RUF012

    @get("/{kind:str}", guards=[requires(P.DATA_EXPORT)], summary="Download a CSV file",
         media_type="text/csv; charset=utf-8")
    async def export(self, request: AnyRequest, kind: Annotated[KindParam, PathParameter()],
                     bom: Annotated[bool, QueryParameter()] = True) -> Stream:
        """products, prices (price sheet), suppliers or customers; streamed from a worker thread."""
        _require(identity_of(request), (EXPORT_NEEDS[kind],))
        rt = runtime_of(request)
        digits = minor_digits(rt.settings.currency)
        settings = rt.settings

        def chunks() -> Any:
            # Its own connection: the iterator runs on a worker thread and holds one read snapshot throughout.
            conn = connect(settings.db_path, settings.db_synchronous, settings.db_busy_timeout_ms)
            try:
                yield from export_chunks(conn, kind, digits, bom)
            finally:
                conn.close()

        return Stream(chunks(), media_type="text/csv; charset=utf-8",
                      headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'})


def import_routers() -> list[Any]:
    """The CSV routers."""
    assert set(KINDS) == set(IMPORT_NEEDS)  # every kind has its permissions
    return [ImportsController, ExportsController]

