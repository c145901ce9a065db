"""`pos-grocery users create|unlock|list` and `pos-grocery seed-users --demo` (imports stay lazy: start-up SLA)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pos_grocery.runtime import Runtime
    from pos_grocery.settings import Settings
    from pos_grocery.users.models import UserCreate

ROLES = ("cashier", "manager", "admin", "auditor")
DEMO_TERMINALS = ("LANE-1", "LANE-2")
DEMO_STORE = "MAIN"
# (username, display name, role, gets a password): PINs are random and shown once.
DEMO_USERS = (
    ("cashier1", "Cashier One", "cashier", False),
    ("cashier2", "Cashier Two", "cashier", False),
    ("manager1", "Manager One", "manager", True),
    ("admin", "Store Admin", "admin", True),
    ("auditor", "Auditor", "auditor", True),
)


@dataclass(frozen=True, slots=True)
class DemoCredential:
    """One demo user's secrets, printed once and never stored in clear."""

    username: str
    role: str
    pin: str | None
    password: str | None


def configure_users(parser: argparse.ArgumentParser) -> None:
    """Arguments of `pos-grocery users`."""
    sub = parser.add_subparsers(dest="users_command", required=True)
    create = sub.add_parser("create", help="create a user (production's first admin: --role admin)")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--username", required=True)
    create.add_argument("--display-name", default=None)
    create.add_argument(
        "--password",
        action="store_true",
        help="also give a cashier a password (managers, admins and auditors always get one; prompted, or one line "
        "of stdin when it is not a terminal)",
    )
    create.add_argument("--pin", action="store_true", help="set a PIN you choose (prompted or from stdin)")
    create.add_argument(
        "--generate-pin", action="store_true", help="set a random PIN, printed once (default for cashiers and managers)"
    )
    unlock = sub.add_parser("unlock", help="clear a user's lock-out (e.g. the only admin locked out)")
    unlock.add_argument("--username", required=True)
    sub.add_parser("list", help="list users (no secrets)")


def configure_seed_users(parser: argparse.ArgumentParser) -> None:
    """Arguments of `pos-grocery seed-users`."""
    parser.add_argument("--demo", action="store_true", required=True, help="create the demo lanes and users")
    parser.add_argument("--if-empty", action="store_true", help="do nothing (exit 0) when users exist")


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    """Run `pos-grocery users …`."""
    from pos_grocery.errors import DomainError
    from pos_grocery.runtime import open_runtime

    rt = open_runtime(settings)
    try:
        if args.users_command == "create":
            return _create(rt, args, sys.stdin, sys.stdout)
        if args.users_command == "unlock":
            return _unlock(rt, args.username, sys.stdout)
        return _list(rt, sys.stdout)
    except DomainError as exc:
        print(f"pos-grocery: {exc.code}: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        rt.db.close()


def _secret(prompt: str, stdin: TextIO) -> str:
    """A secret from the terminal (asked twice) or one line of piped stdin; never from argv or the environment."""
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass(f"{prompt} again: ") != first:
        raise SystemExit("pos-grocery: the two entries differ")
    return first


def _create(rt: Runtime, args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    import msgspec

    from pos_grocery.users.models import UserCreate

    # Back-office roles sign in with a password; lane roles need a PIN (generated unless one is given).
    wants_password = args.password or args.role != "cashier"
    default_pin = not args.pin and args.role in ("cashier", "manager")
    password = _secret("Password", stdin) if wants_password else None
    pin = _secret("PIN", stdin) if args.pin else None
    try:
        data = msgspec.convert(
            {
                "username": args.username,
                "displayName": args.display_name or args.username,
                "role": args.role,
                "pin": pin,
                "password": password,
                "generatePin": args.generate_pin or default_pin,
            },
            UserCreate,
        )
    except msgspec.ValidationError as exc:
        print(f"pos-grocery: invalid user: {exc}", file=sys.stderr)
        return 2
    created = _insert(rt, data)
    print(f"created {created.role} {created.username!r} (id {created.id})", file=out)
    if created.generated_pin:
        print(f"PIN (shown once, write it down): {created.generated_pin}", file=out)
    return 0


def _insert(rt: Runtime, data: UserCreate) -> _Created:
    import getpass

    from pos_grocery.audit.service import Actor
    from pos_grocery.users.service import insert_user, prepare_secrets

    secrets = prepare_secrets(rt.settings, rt.db.reader, data.pin, data.password, data.generate_pin)
    try:
        operator = getpass.getuser()
    except (KeyError, OSError):
        operator = "unknown"
    with rt.db.write() as conn:
        row = insert_user(conn, data, secrets, Actor(None, f"cli:{operator}"), None, rt.clock())
    return _Created(row.id, row.username, row.role, secrets.generated_pin)


@dataclass(frozen=True, slots=True)
class _Created:
    id: int
    username: str
    role: str
    generated_pin: str | None


def _unlock(rt: Runtime, username: str, out: TextIO) -> int:
    from pos_grocery.audit.service import Actor
    from pos_grocery.users import queries
    from pos_grocery.users.service import unlock_user

    row = queries.by_username(rt.db.reader, username)
    if row is None:
        print(f"pos-grocery: no user {username!r}", file=sys.stderr)
        return 1
    unlock_user(rt, row.id, Actor(None, "cli"), None)
    print(f"unlocked {row.username!r}", file=out)
    return 0


def _list(rt: Runtime, out: TextIO) -> int:
    from pos_grocery.users import queries

    for row in queries.page(rt.db.reader, None, None, None, 10_000):
        state = "active" if row.active else "disabled"
        print(f"{row.id:>5}  {row.username:<24} {row.role:<8} {state}", file=out)
    return 0


def cmd_seed_users(args: argparse.Namespace, settings: Settings) -> int:
    """Run `pos-grocery seed-users --demo [--if-empty]`."""
    from pos_grocery.runtime import open_runtime
    from pos_grocery.users import queries

    if settings.is_production:
        print("pos-grocery: no demo users in production; use `pos-grocery users create --role admin`", file=sys.stderr)
        return 2
    rt = open_runtime(settings)
    try:
        if queries.count(rt.db.reader) > 0:
            print("users already exist; demo users not created")
            return 0 if args.if_empty else 1
        print_credentials(seed_demo_users(rt), sys.stdout)
    finally:
        rt.db.close()
    return 0


def seed_demo_users(rt: Runtime) -> list[DemoCredential]:
    """Create the demo lanes and one user per role with random PINs/passwords; return them (print once)."""
    import secrets

    from pos_grocery.auth.permissions import Role
    from pos_grocery.terminals import queries as terminal_queries
    from pos_grocery.terminals import service as terminals
    from pos_grocery.terminals.models import TerminalCreate
    from pos_grocery.users.models import UserCreate
    from pos_grocery.users.service import insert_user, prepare_secrets

    for name in DEMO_TERMINALS:
        if terminal_queries.by_name(rt.db.reader, name) is None:
            terminals.create(rt, TerminalCreate(name, DEMO_STORE, rt.settings.device_service_url), None, None)
    made: list[DemoCredential] = []
    for username, display, role, with_password in DEMO_USERS:
        password = secrets.token_urlsafe(9) if with_password else None
        data = UserCreate(
            username=username, display_name=display, role=Role(role), password=password, generate_pin=True
        )
        hashed = prepare_secrets(rt.settings, rt.db.reader, None, password, True)
        with rt.db.write() as conn:
            insert_user(conn, data, hashed, None, None, rt.clock())
        made.append(DemoCredential(username, role, hashed.generated_pin, password))
    return made


def print_credentials(creds: list[DemoCredential], out: TextIO) -> None:
    """The demo sign-ins as a small table (the only time they are shown)."""
    print("Demo users (shown once; lanes LANE-1 and LANE-2; sign in at a lane with the PIN):", file=out)
    for cred in creds:
        print(
            f"  {cred.role:<8} {cred.username:<10} PIN {cred.pin or '-':<7} password {cred.password or '-'}", file=out
        )
