"""Read what the printer simulator of a real `pos-grocery devices` process captured (DEVICE_STATE_DIR/printer)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Captured:
    """One captured job: a receipt (text, barcodes) and/or drawer kicks."""

    number: int
    text: str
    summary: dict[str, Any]

    @property
    def is_receipt(self) -> bool:
        """A printed receipt (it was cut), not a kick on its own."""
        return bool(self.summary.get("cut")) or bool(self.text.strip())

    @property
    def kicks(self) -> int:
        """Drawer kicks in this job."""
        return int(self.summary.get("drawer_kicks", 0))


def captured(state_dir: Path) -> list[Captured]:
    """Every job the simulator kept, oldest first."""
    folder = state_dir / "printer"
    jobs = []
    for summary_path in sorted(folder.glob("*.json")):
        text_path = summary_path.with_suffix(".txt")
        text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
        jobs.append(Captured(int(summary_path.stem), text, json.loads(summary_path.read_text(encoding="utf-8"))))
    return jobs


def receipts(state_dir: Path) -> list[Captured]:
    """Captured receipts (kick-only jobs left out)."""
    return [job for job in captured(state_dir) if job.is_receipt]


def kicks(state_dir: Path) -> int:
    """Drawer kicks captured so far."""
    return sum(job.kicks for job in captured(state_dir))


def wait_until(check: Any, timeout: float = 5.0) -> bool:
    """Poll a condition (the simulator decodes bytes on its own thread)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return bool(check())


def settle(state_dir: Path, quiet: float = 0.4) -> None:
    """Wait until no new job has arrived for `quiet` seconds (so "exactly one" is not judged too early)."""
    last = len(captured(state_dir))
    deadline = time.monotonic() + 5.0
    steady_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = len(captured(state_dir))
        if now != last:
            last, steady_since = now, time.monotonic()
        elif time.monotonic() - steady_since >= quiet:
            return
