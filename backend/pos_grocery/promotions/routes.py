"""`/api/promotions`: the stored pricing rules (quantity breaks, discounts, multibuy, buy X get Y, mix & match)."""

from __future__ import annotations

from typing import Annotated, Any, cast

from litestar import Controller, Request, delete, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.jsonbody import exact
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor
from pos_grocery.promotions import service
from pos_grocery.promotions.models import Kind, RuleIn, RuleOut, RulePage

AnyRequest = Request[Any, Any, Any]
RuleId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


class PromotionsController(Controller):
    """Pricing rules feed every quote and sale; changes are audited."""

    path = "/api/promotions"
    tags = ["promotions"]  # noqa: RUF012

    @get("/", guards=[requires(P.CATALOG_READ)], summary="List pricing rules")
    async def list_rules(
        self,
        request: AnyRequest,
        kind: Annotated[Kind | None, QueryParameter()] = None,
        active: Annotated[bool | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> RulePage:
        """Live rules by id."""
        return service.list_rules(runtime_of(request), kind, active, decode_cursor(cursor), limit)

    @post("/", guards=[requires(P.PROMOTIONS_MANAGE)], status_code=201, summary="Create a pricing rule")
    async def create_rule(self, request: AnyRequest, data: JSONBody[RuleIn]) -> RuleOut:
        """A rule of one `kind`; the pricing engine validates it before it is stored."""
        body = cast(RuleIn, await exact(request, cast(Any, RuleIn)))
        return service.create_rule(runtime_of(request), body, identity_of(request).actor, request_id_of(request))

    @get("/{rule_id:int}", guards=[requires(P.CATALOG_READ)], summary="One pricing rule")
    async def get_rule(self, request: AnyRequest, rule_id: RuleId) -> RuleOut:
        """A live rule."""
        return service.get_rule(runtime_of(request), rule_id)

    @put("/{rule_id:int}", guards=[requires(P.PROMOTIONS_MANAGE)], summary="Replace a pricing rule")
    async def replace_rule(self, request: AnyRequest, rule_id: RuleId, data: JSONBody[RuleIn]) -> RuleOut:
        """The whole rule; sales already made keep their adjustments."""
        body = cast(RuleIn, await exact(request, cast(Any, RuleIn)))
        caller = identity_of(request)
        return service.replace_rule(runtime_of(request), rule_id, body, caller.actor, request_id_of(request))

    @delete("/{rule_id:int}", guards=[requires(P.PROMOTIONS_MANAGE)], status_code=204, summary="Retire a pricing rule")
    async def delete_rule(self, request: AnyRequest, rule_id: RuleId) -> None:
        """Soft delete: the rule stops applying; sales that used it still name it."""
        service.delete_rule(runtime_of(request), rule_id, identity_of(request).actor, request_id_of(request))
