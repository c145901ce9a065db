"""`pos-grocery seed | import | export` (imports stay lazy: the CLI's start-up is shared with `serve`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pos_grocery.catalog.imports import Context, Plan
    from pos_grocery.catalog.rules import Rules
    from pos_grocery.runtime import Runtime
    from pos_grocery.settings import Settings

KIND_CHOICES = ("products", "prices", "suppliers", "customers")


def seed_args(parser: argparse.ArgumentParser) -> None:
    """Arguments of `pos-grocery seed`."""
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--demo", action="store_true", help="the demo store (and demo users, shown once)")
    what.add_argument("--synthetic", type=int, metavar="N", help="N synthetic products for benchmarks")
    parser.add_argument("--if-empty", action="store_true", help="do nothing when the catalog has products")


def import_args(parser: argparse.ArgumentParser) -> None:
    """Arguments of `pos-grocery import`."""
    parser.add_argument("kind", choices=KIND_CHOICES)
    parser.add_argument("file", type=Path)
    parser.add_argument("--yes", action="store_true", help="commit without asking")
    parser.add_argument("--dry-run", action="store_true", help="show the preview only")
    parser.add_argument("--accept-rejections", action="store_true", help="commit even if rows were rejected")


def export_args(parser: argparse.ArgumentParser) -> None:
    """Arguments of `pos-grocery export`."""
    parser.add_argument("kind", choices=KIND_CHOICES)
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    parser.add_argument("--no-bom", action="store_true", help="leave out the UTF-8 byte order mark")


def _open(settings: Settings) -> Runtime:
    from pos_grocery.runtime import open_runtime

    return open_runtime(settings)


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    """Load the demo store or N synthetic products."""
    from pos_grocery.catalog.rules import Rules
    from pos_grocery.catalog.seed import catalog_is_empty

    rt = _open(settings)
    try:
        if args.if_empty and not catalog_is_empty(rt.db.reader):
            print("catalog has products; nothing seeded (--if-empty)")
            return _demo_users(rt, sys.stdout) if args.demo else 0
        rules = Rules.of(settings, rt.clock)
        if args.synthetic is not None:
            return _synthetic(rt, rules.now(), args.synthetic)
        return _demo(rt, rules)
    finally:
        rt.db.close()


def _synthetic(rt: Runtime, now: str, count: int) -> int:
    from pos_grocery.catalog.progress import ProgressBar
    from pos_grocery.catalog.synthetic import seed_synthetic

    if count < 1:
        print("pos-grocery: --synthetic needs a positive number", file=sys.stderr)
        return 2
    rt.db.writer.execute("PRAGMA cache_size=-262144")  # 256 MiB of page cache speeds the index builds
    bar = ProgressBar("synthetic products", count)
    seed_synthetic(rt.db.writer, count, now, bar)
    elapsed = bar.finish()
    print(f"seeded {count:,} synthetic products in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f}/s)")
    return 0


def _demo(rt: Runtime, rules: Rules) -> int:
    from pos_grocery.catalog.seed import seed_demo

    if rt.settings.is_production:
        print("pos-grocery: no demo data in production", file=sys.stderr)
        return 2
    report = seed_demo(rt.db.writer, rules)
    print(f"demo store: {report.products} products, {report.categories} categories, {report.tax_classes} tax "
          f"classes, {report.suppliers} suppliers, {report.customers} customers added")
    return _demo_users(rt, sys.stdout)


def _demo_users(rt: Runtime, out: TextIO) -> int:
    """The identity feature's demo lanes and users, when there are no users yet (PINs shown once)."""
    from pos_grocery.users import queries
    from pos_grocery.users.cli import print_credentials, seed_demo_users

    if rt.settings.is_production or queries.count(rt.db.reader) > 0:
        return 0
    print_credentials(seed_demo_users(rt), out)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write one CSV file (the import format)."""
    from pos_grocery.catalog.config import minor_digits
    from pos_grocery.catalog.exports import export_chunks
    from pos_grocery.db.connection import connect

    conn = connect(settings.db_path, settings.db_synchronous, settings.db_busy_timeout_ms)
    out = args.output.open("wb") if args.output else sys.stdout.buffer
    try:
        for chunk in export_chunks(conn, args.kind, minor_digits(settings.currency), not args.no_bom):
            out.write(chunk)
    finally:
        conn.close()
        if args.output:
            out.close()
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Preview a CSV file, then (asked, or with --yes) commit exactly that preview."""
    from pos_grocery.catalog import importer
    from pos_grocery.catalog.config import minor_digits
    from pos_grocery.catalog.imports import Context
    from pos_grocery.catalog.progress import ProgressBar
    from pos_grocery.catalog.rules import Rules
    from pos_grocery.errors import DomainError

    rt = _open(settings)
    try:
        ctx = Context(Rules.of(settings, rt.clock), minor_digits(settings.currency))
        table = importer.read(args.kind, args.file.read_bytes(), settings.import_max_rows)
        bar = ProgressBar("checking rows", len(table.records))
        plan = importer.plan(rt.db.reader, args.kind, table, ctx, bar)
        bar.finish()
        _print_preview(plan, sys.stdout)
        if args.dry_run or not _confirmed(args, plan):
            print("nothing written")
            return 0 if not plan.rejections else 1
        return _commit(rt, plan, ctx)
    except DomainError as exc:
        print(f"pos-grocery: {exc.code}: {exc.detail}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"pos-grocery: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    finally:
        rt.db.close()


def _confirmed(args: argparse.Namespace, plan: Plan) -> bool:
    if plan.rejections and not args.accept_rejections:
        print(f"{len(plan.rejections)} row(s) rejected: fix the file or pass --accept-rejections to skip them")
        return False
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print("not a terminal: pass --yes to commit")
        return False
    return input("Commit this import? [y/N] ").strip().lower() in ("y", "yes")


def _commit(rt: Runtime, plan: Plan, ctx: Context) -> int:
    from pos_grocery.catalog import importer
    from pos_grocery.catalog.progress import ProgressBar

    bar = ProgressBar("committing", len(plan.rows))
    began = time.monotonic()
    outcome = importer.commit(rt.db.writer, plan, ctx, bar)
    bar.finish()
    print(f"committed: {outcome.created} created, {outcome.updated} updated, {outcome.audited} price changes "
          f"journalled ({time.monotonic() - began:.1f} s)")
    return 0


def _print_preview(plan: Plan, out: TextIO, shown: int = 20) -> None:
    from pos_grocery.catalog.importer import counts

    c = counts(plan)
    print(f"preview of {plan.kind}: {c.create} to create, {c.update} to update, {c.unchanged} unchanged, "
          f"{c.rejected} rejected", file=out)
    for r in plan.rejections[:shown]:
        where = f" [{r.column}]" if r.column else ""
        print(f"  line {r.line}{where} {r.key}: {r.code}: {r.reason}", file=out)
    if len(plan.rejections) > shown:
        print(f"  … and {len(plan.rejections) - shown} more", file=out)
