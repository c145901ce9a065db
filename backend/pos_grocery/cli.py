"""The one command line: `pos-grocery serve | web | migrate | check | …`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from pos_grocery.backup import cli as backup_cli
from pos_grocery.catalog import cli as catalog_cli
from pos_grocery.errors import ConfigError
from pos_grocery.settings import Settings, load_settings
from pos_grocery.users import cli as users_cli

Command = Callable[[argparse.Namespace, Settings], int]
Configure = Callable[[argparse.ArgumentParser], None]


def _settings_or_exit() -> Settings:
    """Build and check settings; on a bad value print one line naming the variable and exit 2."""
    try:
        settings = load_settings()
        settings.check_paths()
    except ConfigError as exc:
        print(f"pos-grocery: configuration error: {exc.variable}: {exc.message}", file=sys.stderr)
        raise SystemExit(2) from None
    return settings


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run the API under granian (exec → listening measured from this process's start)."""
    from pos_grocery.runtime import EXEC_TS_ENV, process_start_time
    from pos_grocery.serve import run_api

    os.environ.setdefault(EXEC_TS_ENV, repr(process_start_time()))
    return run_api(settings)


def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the built SPA on WEB_PORT."""
    from pos_grocery.serve import run_web

    return run_web(settings)


def cmd_devices(args: argparse.Namespace, settings: Settings) -> int:
    """Run the device service (DEVICE_HOST:DEVICE_PORT, default 127.0.0.1:8260; DEVICE_MODE=simulated)."""
    from pos_grocery.serve import run_devices

    return run_devices(settings)


def _migrate_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", action="store_true", help="only report applied/pending migrations")


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Apply pending migrations by hand (the runbook's "Run migrations manually")."""
    from pos_grocery.db.connection import connect
    from pos_grocery.db.migrate import MigrationError, migrate, status

    conn = connect(settings.db_path, settings.db_synchronous, settings.db_busy_timeout_ms)
    try:
        if args.status:
            state = status(conn)
            print(f"applied: {len(state.applied)} pending: {len(state.pending)}")
            for problem in state.problems:
                print(f"problem: {problem}")
            return 0 if state.current else 1
        applied = migrate(conn)
    except MigrationError as exc:
        print(f"pos-grocery: migration error: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate configuration, database and migrations without serving."""
    from pos_grocery.db.connection import connect
    from pos_grocery.health.service import integrity

    conn = connect(settings.db_path, settings.db_synchronous, settings.db_busy_timeout_ms)
    try:
        report = integrity(conn)
    finally:
        conn.close()
    for check in report.checks:
        print(f"{'PASS' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    print(f"configuration ok (environment={settings.app_env}, port={settings.port}, db={settings.db_path})")
    return 0 if report.ok else 1


# name -> (help, implementation, argument set-up). Features add their subcommands here; the
# implementations live in the feature's own module and are imported only when the command runs.
COMMANDS: dict[str, tuple[str, Command, Configure | None]] = {
    "serve": ("run the API (port PORT, default 8250)", cmd_serve, None),
    "web": ("serve the built frontend (port WEB_PORT, default 8080)", cmd_web, None),
    "devices": ("run the device service (DEVICE_PORT, default 8260)", cmd_devices, None),
    "migrate": ("apply database migrations", cmd_migrate, _migrate_args),
    "check": ("check configuration, database integrity and migrations", cmd_check, None),
    "backup": ("back up the database into BACKUP_DIR (gzip + SHA-256); --verify checks the newest",
               backup_cli.cmd_backup, backup_cli.backup_args),
    "restore": ("restore a backup or the archive up to a time; lists backups without arguments",
                backup_cli.cmd_restore, backup_cli.restore_args),
    "drill": ("disaster-recovery drill against a staging copy (writes the drill log)",
              backup_cli.cmd_drill, backup_cli.drill_args),
    "archive": ("run continuous WAL archiving in the foreground (ARCHIVE_DIR)",
                backup_cli.cmd_archive, backup_cli.archive_args),
    "users": ("users create --role admin --username NAME (the first admin), users unlock, users list",
              users_cli.cmd_users, users_cli.configure_users),
    "seed-users": ("create demo lanes and one user per role, printing their PINs once (not in production)",
                   users_cli.cmd_seed_users, users_cli.configure_seed_users),
    "seed": ("load the demo store (--demo, with demo users) or N synthetic products (--synthetic N)",
             catalog_cli.cmd_seed, catalog_cli.seed_args),
    "import": ("import a CSV file (products, prices, suppliers, customers): preview, then commit",
               catalog_cli.cmd_import, catalog_cli.import_args),
    "export": ("export products, prices, suppliers or customers as CSV", catalog_cli.cmd_export,
               catalog_cli.export_args),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="pos-grocery", description="POS Grocery")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _fn, configure) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if configure is not None:
            configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `pos-grocery` console script."""
    args = build_parser().parse_args(argv)
    settings = _settings_or_exit()
    return COMMANDS[args.command][1](args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
