"""A small progress reporter: a redrawn bar on a terminal, a line per 10 % otherwise (logs, CI)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Report `done` of `total` under a label; cheap to call for every row."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.tty = self.stream.isatty()
        self.began = time.monotonic()
        self._shown_at = 0.0
        self._tenth = -1

    def __call__(self, done: int, total: int | None = None) -> None:
        """Show progress (at most ten times a second on a terminal, every 10 % otherwise)."""
        if total is not None:
            self.total = max(total, 1)
        share = min(done / self.total, 1.0)
        if self.tty:
            now = time.monotonic()
            if now - self._shown_at < 0.1 and done < self.total:
                return
            self._shown_at = now
            filled = int(share * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {done:,}/{self.total:,} {share:4.0%}")
        elif int(share * 10) > self._tenth:
            self._tenth = int(share * 10)
            self.stream.write(f"{self.label}: {done:,}/{self.total:,} ({share:.0%})\n")
        self.stream.flush()

    def finish(self) -> float:
        """End the bar's line; returns the seconds since it started."""
        elapsed = time.monotonic() - self.began
        if self.tty:
            self.stream.write(f"  {elapsed:.1f} s\n")
            self.stream.flush()
        return elapsed
