"""`/api/users`: the back office's user administration (admins change, managers and auditors read)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from pos_grocery.auth.guard import identity_of, requires
from pos_grocery.auth.permissions import P, Role
from pos_grocery.http import request_id_of, runtime_of
from pos_grocery.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, decode_cursor
from pos_grocery.users import service
from pos_grocery.users.models import User, UserCreate, UserPage, UserPatch, UserSaved

AnyRequest = Request[Any, Any, Any]
UserId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, QueryParameter(max_length=200)]
ActiveFilter = Annotated[bool | None, QueryParameter()]
RoleFilter = Annotated[Role | None, QueryParameter()]


class UsersController(Controller):
    """Users are never deleted: disable them (their records keep naming them)."""

    path = "/api/users"
    tags = ["users"]  # noqa: RUF012

    @get("/", guards=[requires(P.USERS_READ)], summary="List users")
    async def list_users(
        self,
        request: AnyRequest,
        role: RoleFilter = None,
        active: ActiveFilter = None,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> UserPage:
        """Users by id, filtered by role and active flag."""
        return service.list_users(runtime_of(request), role, active, decode_cursor(cursor), limit)

    @post("/", guards=[requires(P.USERS_MANAGE)], status_code=201, summary="Create a user")
    async def create_user(self, request: AnyRequest, data: JSONBody[UserCreate]) -> UserSaved:
        """PINs are unique among active users; `generatePin` lets the server choose one (shown once)."""
        caller = identity_of(request)
        return await service.create_user(runtime_of(request), data, caller.actor, request_id_of(request))

    @get("/{user_id:int}", guards=[requires(P.USERS_READ)], summary="One user")
    async def get_user(self, request: AnyRequest, user_id: UserId) -> User:
        """A user by id."""
        return service.get_user(runtime_of(request), user_id)

    @patch("/{user_id:int}", guards=[requires(P.USERS_MANAGE)], summary="Change a user")
    async def update_user(self, request: AnyRequest, user_id: UserId, data: JSONBody[UserPatch]) -> UserSaved:
        """Role, active flag, display name, PIN or password; the last active admin stays an admin."""
        caller = identity_of(request)
        return await service.update_user(
            runtime_of(request), user_id, data, caller.actor, caller.session_id, request_id_of(request)
        )

    @post("/{user_id:int}/unlock", guards=[requires(P.LOCKS_CLEAR)], status_code=200, summary="Clear a user's lock-out")
    async def unlock_user(self, request: AnyRequest, user_id: UserId) -> User:
        """Forget failed attempts and lift the lock."""
        caller = identity_of(request)
        return service.unlock_user(runtime_of(request), user_id, caller.actor, request_id_of(request))
