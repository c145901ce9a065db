"""Backup, restore, drill and archiving on a large database, with sale-commit latency while they run.

A writer process commits stand-in sales (header, 5 lines, tender, stock moves) through
`Database.write()` every 5 ms (synchronous=FULL, like the API). Its commit latency is measured while
idle and while `pos-grocery backup` runs (the issue's limit: p99 during ≤ 2 × p99 idle), then restore,
`backup --verify`, the drill's RTO and the archiver's base snapshot and lag are timed.
Not part of `make test`: run `make bench-backup` (or this file with --size-mb 100 for a quick look).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.perf.big_db import build  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
POS = [sys.executable, "-m", "pos_grocery"]
WRITER = """
import sys, time
from pos_grocery.db.connection import Database
from tests.db.backup_support import write_sale
db = Database(sys.argv[1]); db.open()
out = open(sys.argv[2], "w", buffering=1)
n = int(time.time() * 1000) * 10
while True:
    began = time.perf_counter()
    with db.write() as conn:
        write_sale(conn, n, time.time())
    out.write(f"{time.time():.6f} {(time.perf_counter() - began) * 1000:.3f}\\n")
    n += 1
    time.sleep(0.005)
"""


def pct(values: list[float], q: float) -> float:
    """q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] if ordered else float("nan")


def window(samples: list[tuple[float, float]], start: float, end: float) -> list[float]:
    """Latencies of commits that finished between start and end."""
    return [ms for t, ms in samples if start <= t <= end]


def line(name: str, values: list[float]) -> str:
    """n / p50 / p99 of a window."""
    return f"{name:<22} n={len(values):5d}  p50={pct(values, 50):6.2f} ms  p99={pct(values, 99):6.2f} ms"


def timed(env: dict[str, str], *args: str) -> tuple[float, str]:
    """Run a pos-grocery command; seconds and its output (fails loudly)."""
    began = time.monotonic()
    done = subprocess.run([*POS, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"pos-grocery {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return time.monotonic() - began, (done.stdout + done.stderr).strip()


def run(size_mb: int, idle: float, work: Path, cache: Path, only: str = "all") -> None:
    """Every measurement, printed as it comes."""
    db = work / "data" / "pos.db"
    db.parent.mkdir(parents=True)
    source = build(str(cache / f"bench-{size_mb}.db"), size_mb)
    shutil.copy(source, db)
    env = {**os.environ, "DB_PATH": str(db), "BACKUP_DIR": str(work / "backups"), "ENV_FILE": "/nonexistent",
           "BACKUP_LOG": str(work / "logs" / "backup.log"), "SKIP_HARDWARE_CHECKS": "true", "APP_ENV": "test",
           "ARCHIVE_DIR": str(work / "archive"), "ARCHIVE_INTERVAL_SECONDS": "5"}
    (work / "backups").mkdir()
    print(f"database: {db.stat().st_size / (1 << 20):.0f} MiB; {os.cpu_count()} CPUs", flush=True)
    if only == "drill":  # one backup (no writer), then the drill's RTO and where its time went
        seconds, _out = timed(env, "backup")
        print(f"backup (idle): {seconds:.1f} s", flush=True)
        drill(env, work)
        return
    latencies = work / "latencies.txt"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(latencies)], cwd=ROOT, env=env)
    marks: dict[str, float] = {}
    try:
        marks["idle1"] = time.time()
        time.sleep(idle)
        marks["backup"] = time.time()
        seconds, out = timed(env, "backup") if only != "archive" else (0.0, "skipped")
        marks["idle2"] = time.time()
        time.sleep(idle)
        marks["end"] = time.time()
        archive = archive_base(env, marks) if only != "backup" else (0.0, 0.0)
    finally:
        writer.kill()
        writer.wait()
    report(latencies, marks, seconds, out, archive)
    if only == "all":
        restore_and_drill(env, work)


def archive_base(env: dict[str, str], marks: dict[str, float]) -> tuple[float, float]:
    """The archiver's first base snapshot while sales land: seconds until confirmed, then the lag."""
    from pos_grocery.backup.archive_files import read_status

    proc = subprocess.Popen([*POS, "archive"], env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    marks["archive"] = time.time()
    try:
        while (status := read_status(env["ARCHIVE_DIR"])) is None or status.confirmed_at is None:
            time.sleep(0.2)
        base_seconds = time.time() - marks["archive"]
        marks["archive_done"] = time.time()
        time.sleep(12)
        status = read_status(env["ARCHIVE_DIR"])
        lag = time.time() - (status.confirmed_at if status and status.confirmed_at else 0)
        marks["archive_end"] = time.time()
    finally:
        proc.terminate()
        proc.wait()
    return base_seconds, lag


def report(latencies: Path, marks: dict[str, float], seconds: float, out: str, archive: tuple[float, float]) -> None:
    """Latency windows and ratios (a phase that did not run prints n=0)."""
    samples = [(float(t), float(ms)) for t, ms in (row.split() for row in latencies.read_text().splitlines())]
    idle = window(samples, marks["idle1"], marks["backup"]) + window(samples, marks["idle2"], marks["end"])
    during = window(samples, marks["backup"], marks["idle2"]) if seconds else []
    base = window(samples, marks.get("archive", 0), marks.get("archive_done", 0))
    steady = window(samples, marks.get("archive_done", 0), marks.get("archive_end", 0))
    print(f"backup: {seconds:.1f} s  ({out.splitlines()[-1][:160]})")
    for name, values in (("commit idle", idle), ("commit during backup", during),
                         ("commit during base", base), ("commit archiving", steady)):
        print(line(name, values))
    for name, values in (("backup", during), ("archive base", base)):
        if values:
            print(f"p99 ratio during {name} / idle: {pct(values, 99) / pct(idle, 99):.2f} (limit 2.00)")
    if archive[0]:
        print(f"archive: first base confirmed after {archive[0]:.1f} s; lag after 12 s of sales {archive[1]:.1f} s")


def restore_and_drill(env: dict[str, str], work: Path) -> None:
    """verify, restore (API stopped) and the drill's RTO."""
    seconds, out = timed(env, "backup", "--verify")
    print(f"verify: {seconds:.1f} s  ({out[:120]})")
    seconds, out = timed(env, "restore", "latest")
    print(f"restore (backup): {seconds:.1f} s")
    seconds, out = timed(env, "restore", "--to-time", "latest")
    print(f"restore (archive, latest): {seconds:.1f} s")
    drill(env, work)


def drill(env: dict[str, str], work: Path) -> None:
    """`pos-grocery drill` on the newest backup: total time, RTO and the per-step lines of its log."""
    seconds, out = timed(env, "drill", "--log", str(work / "logs" / "drill.log"))
    rows = (work / "logs" / "drill.log").read_text().splitlines()
    rto = [row for row in rows if "RTO measured" in row]
    print(f"drill: {seconds:.1f} s total; {rto[0].split('; ')[-1] if rto else out}")
    for row in rows:  # where the time went, and the functional step's verdicts
        if row.startswith(("PASS: restore", "PASS: service", "PASS: /", "FAIL", "PASS: smoke", "PASS: refund")) \
                or "not counted" in row:
            print(f"  {row}")


def main() -> None:
    """Parse arguments and run in a temporary directory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--idle", type=float, default=15.0, help="seconds of idle measurement before and after")
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "pos-bench"))
    parser.add_argument("--only", choices=("all", "backup", "archive", "drill"), default="all")
    args = parser.parse_args()
    Path(args.cache).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pos-bench-backup-", dir=args.cache))
    try:
        run(args.size_mb, args.idle, work, Path(args.cache), args.only)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
