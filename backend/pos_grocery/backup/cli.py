"""`pos-grocery backup | restore | drill | archive`: arguments and thin command bodies.

Only argparse is imported here: this module is loaded whenever the CLI builds its parser (including for
`serve`, whose start-up is timed). The work is imported when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_grocery.settings import Settings

BACKUP_NICE = 10


def _fail(what: str, exc: Exception) -> int:
    print(f"pos-grocery: {what}: {exc}", file=sys.stderr)
    return 1


def _lower_priority() -> None:
    """Backups yield the CPU to sales (nice 10 at least; systemd's Nice= may already be higher)."""
    import contextlib
    import os

    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, 0, max(os.getpriority(os.PRIO_PROCESS, 0), BACKUP_NICE))


def backup_args(parser: argparse.ArgumentParser) -> None:
    """Arguments of `backup`."""
    parser.add_argument("--verify", action="store_true",
                        help="check the newest backup (checksum, gzip, integrity, schema, age within the RPO)")
    parser.add_argument("--create-dir", action="store_true", help="create BACKUP_DIR when it is missing")


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Take a backup, or verify the newest one."""
    from pos_grocery.backup import service
    from pos_grocery.backup.models import BackupError

    _lower_priority()
    try:
        if args.verify:
            print(service.verify_latest(settings))
            return 0
        result = service.run_backup(settings, create_dir=args.create_dir)
    except BackupError as exc:
        return _fail("verify failed" if args.verify else "backup failed", exc)
    print(f"backup {result.file.path} ({result.file.size_bytes} bytes from {result.db_bytes}, "
          f"schema {result.schema_version:04d}, {result.duration_seconds:.1f} s) sha256 {result.sha256}")
    for name in result.pruned:
        print(f"pruned {name} (retention)")
    return 0


def restore_args(parser: argparse.ArgumentParser) -> None:
    """Arguments of `restore`."""
    parser.add_argument("backup", nargs="?", help="backup file, its name in BACKUP_DIR, or `latest`; "
                        "without it (and without --to-time) the backups are listed")
    parser.add_argument("--to-time", metavar="T", help="rebuild from the archive up to T "
                        "(ISO 8601, local time unless an offset is given) or `latest`")
    parser.add_argument("--force", action="store_true", help="accept a backup older than the RPO")


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """List backups, or restore one (or the archive up to a time)."""
    from pos_grocery.backup import restore
    from pos_grocery.backup.models import BackupError

    if args.backup is None and args.to_time is None:
        print("\n".join(restore.listing(settings)))
        return 0
    try:
        done = restore.restore(settings, args.backup, args.to_time, force=args.force)
    except BackupError as exc:
        return _fail("restore refused" if "open by another process" in str(exc) else "restore failed", exc)
    from pos_grocery.backup.replay import iso

    print(f"restored {done.source} into {done.target} in {done.seconds:.1f} s "
          f"(schema {done.schema_version:04d}, data as of {iso(done.data_as_of)})")
    for aside in done.aside[:1]:
        print(f"previous database kept as {aside}")
    for note in done.notes:
        print(f"note: {note}")
    return 0


def drill_args(parser: argparse.ArgumentParser) -> None:
    """Arguments of `drill`."""
    parser.add_argument("--backup", default="latest", help="backup to drill with (default: the newest)")
    parser.add_argument("--to-time", metavar="T", help="drill a restore from the archive instead")
    parser.add_argument("--log", help="drill log path (default: drill-YYYYMMDD_HHMMSS.log beside BACKUP_LOG)")
    parser.add_argument("--keep", action="store_true", help="keep the staging directory")
    parser.add_argument("--strict", action="store_true", help="count PENDING criteria as failures")


def cmd_drill(args: argparse.Namespace, settings: Settings) -> int:
    """Run the runbook's restore drill against a staging copy."""
    from pos_grocery.backup.drill import run_drill

    report = run_drill(settings, backup=args.backup, to_time=args.to_time, log_path=args.log, keep=args.keep)
    ok = report.passed(args.strict)
    print(f"drill {'PASSED' if ok else 'FAILED'}; log: {report.log_path}")
    return 0 if ok else 1


def archive_args(parser: argparse.ArgumentParser) -> None:
    """Arguments of `archive`."""
    parser.add_argument("--status", action="store_true", help="print what the archive can restore and exit")


def cmd_archive(args: argparse.Namespace, settings: Settings) -> int:
    """Run the WAL archiver in the foreground (for a separate systemd unit) until SIGTERM."""
    if not settings.archive_dir:
        print("pos-grocery: ARCHIVE_DIR is not set: continuous archiving is off", file=sys.stderr)
        return 2
    if args.status:
        from pos_grocery.backup.restore import listing

        print("\n".join(line for line in listing(settings) if not line.startswith("  pos_")))
        return 0
    import signal

    from pos_grocery.backup.archive import WalArchiver
    from pos_grocery.logging import configure_logging

    configure_logging(settings)
    archiver = WalArchiver(settings)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: archiver.stop_event.set())
    archiver.run()
    return 1 if archiver.last_error and not archiver.stop_event.is_set() else 0
