"""`/api/reports`: every report as JSON (charts) or CSV (`?format=csv` or `Accept: text/csv`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter, QueryParameter

from pos_grocery.auth.errors import permission_denied
from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.http import runtime_of
from pos_grocery.reports import service
from pos_grocery.reports.models import ReportList, ReportName, ReportOut

AnyRequest = Request[Any, Any, Any]
DAY = r"^\d{4}-\d{2}-\d{2}$"


def wants_csv(request: AnyRequest, fmt: str | None) -> bool:
    """`format=csv` wins; otherwise an Accept header preferring text/csv (and not JSON)."""
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


class ReportsController(Controller):
    """Sales, tax, discount, return, void and shift reports over business days."""

    path = "/api/reports"
    tags = ["reports"]  # noqa: RUF012

    @get("/", guards=[requires(P.REPORTS_READ)], summary="The available reports")
    async def list_reports(self) -> ReportList:
        """Names and what each shows."""
        return service.catalog()

    @get(
        "/{name:str}",
        guards=[requires(P.REPORTS_READ)],
        summary="One report (JSON, or CSV with format=csv / Accept: text/csv)",
        responses={200: ResponseSpec(data_container=ReportOut, description="The report (CSV: text/csv, header row)")},
    )
    async def report(
        self,
        request: AnyRequest,
        name: Annotated[ReportName, PathParameter()],
        start: Annotated[str | None, QueryParameter(name="from", pattern=DAY, description="First business day")] = None,
        end: Annotated[str | None, QueryParameter(name="to", pattern=DAY, description="Last business day")] = None,
        period: Annotated[Literal["day", "week", "month"], QueryParameter()] = "day",
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 20,
        fmt: Annotated[Literal["json", "csv"] | None, QueryParameter(name="format")] = None,
    ) -> Response[Any]:
        """Range in the store's business days (default today); CSV needs reports.export too."""
        rt, caller = runtime_of(request), identity_of(request)
        first, last = service.parse_range(rt, start, end)
        csv_wanted = wants_csv(request, fmt)
        if csv_wanted and not caller.can(P.REPORTS_EXPORT):
            raise permission_denied(P.REPORTS_EXPORT)
        out = await service.run(rt, service.Query(name, first, last, period, limit))
        if not csv_wanted:
            return Response(out)
        filename = f"{name}_{first.isoformat()}_{last.isoformat()}.csv"
        return Response(service.to_csv(out), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def report_routers() -> list[Any]:
    """The reports controller."""
    return [ReportsController]
