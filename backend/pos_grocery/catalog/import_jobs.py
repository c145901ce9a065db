"""Import previews held by the API process between upload and commit (bounded in number and age).

A preview lives in memory: it is a plan against the catalog as it was, worth keeping for minutes, not across
a restart (after one, the file is simply uploaded again). With several workers the upload and the commit
must reach the same one: keep WORKERS=1 (docs/DATABASE.md) or pin the back office to one worker.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from dataclasses import dataclass, field
from typing import Literal

import msgspec

from pos_grocery.audit.service import Actor
from pos_grocery.catalog.importer import SHOWN_REJECTIONS, Counts, RowReport, counts, rows
from pos_grocery.catalog.imports import Kind, Outcome, Plan
from pos_grocery.clock import iso_utc
from pos_grocery.errors import NotFound

Status = Literal["validating", "ready", "committing", "committed", "failed"]
MAX_JOBS = 8
TTL_SECONDS = 3600.0


class ProgressOut(msgspec.Struct, rename="camel", kw_only=True):
    """Rows done of rows to do in the current stage."""

    stage: str
    done: int
    total: int


class ErrorOut(msgspec.Struct, rename="camel", kw_only=True):
    """Why a job failed (the same code a synchronous answer would carry)."""

    code: str
    detail: str


class OutcomeOut(msgspec.Struct, rename="camel", kw_only=True):
    """What the commit wrote."""

    created: int
    updated: int
    audited: int


class ImportJob(msgspec.Struct, rename="camel", kw_only=True):
    """An import: its preview (counts, first rejections), progress, and outcome once committed."""

    id: str
    kind: str
    filename: str | None
    status: str
    progress: ProgressOut
    counts: Counts | None
    rejections: list[RowReport]
    error: ErrorOut | None
    outcome: OutcomeOut | None
    created_at: str
    committed_at: str | None


@dataclass(slots=True)
class Job:
    """Mutable state of one import (progress is written by the worker thread, read by the event loop)."""

    id: str
    kind: Kind
    filename: str | None
    actor: Actor | None
    created: float
    status: Status = "validating"
    stage: str = "validating"
    done: int = 0
    total: int = 0
    plan: Plan | None = None
    error: tuple[str, str] | None = None
    outcome: Outcome | None = None
    committed: float | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)
    # A finished plan never changes: its counts and row listings are built once, not on every poll.
    _counts: Counts | None = field(default=None, repr=False)
    _rows: dict[str | None, list[RowReport]] = field(default_factory=dict, repr=False)

    def listing(self, action: str | None) -> list[RowReport]:
        """The preview's rows (optionally one outcome), in file order; built once per outcome."""
        if self.plan is None:
            return []
        if action not in self._rows:
            self._rows[action] = rows(self.plan, action)
        return self._rows[action]

    def progress(self, done: int, total: int) -> None:
        """Progress callback for the worker thread (two int stores: safe to read from the loop)."""
        self.done, self.total = done, total

    def view(self) -> ImportJob:
        """The job as the API shows it."""
        shown = self.listing("rejected")[:SHOWN_REJECTIONS]
        if self.plan is not None and self._counts is None:
            self._counts = counts(self.plan)
        return ImportJob(
            id=self.id, kind=self.kind, filename=self.filename, status=self.status,
            progress=ProgressOut(stage=self.stage, done=self.done, total=self.total),
            counts=self._counts, rejections=shown,
            error=ErrorOut(code=self.error[0], detail=self.error[1]) if self.error else None,
            outcome=OutcomeOut(created=self.outcome.created, updated=self.outcome.updated,
                               audited=self.outcome.audited) if self.outcome else None,
            created_at=iso_utc(self.created), committed_at=iso_utc(self.committed) if self.committed else None,
        )


class ImportJobs:
    """The process's imports by id; the oldest are dropped beyond MAX_JOBS or after TTL_SECONDS."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def add(self, kind: Kind, filename: str | None, actor: Actor | None, now: float) -> Job:
        """A new job in state validating."""
        job = Job(secrets.token_hex(8), kind, filename, actor, now)
        with self._lock:
            self._expire(now)
            while len(self._jobs) >= MAX_JOBS:
                oldest = min(self._jobs.values(), key=lambda j: j.created)
                del self._jobs[oldest.id]
            self._jobs[job.id] = job
        return job

    def get(self, job_id: str, now: float) -> Job:
        """The job, or 404 IMPORT_NOT_FOUND (never made, expired, or discarded)."""
        with self._lock:
            self._expire(now)
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"There is no import {job_id} (previews expire after an hour); upload the file again.",
                           "IMPORT_NOT_FOUND")
        return job

    def discard(self, job_id: str) -> None:
        """Forget a job."""
        with self._lock:
            self._jobs.pop(job_id, None)

    def _expire(self, now: float) -> None:
        for job_id in [j.id for j in self._jobs.values() if now - j.created > TTL_SECONDS and
                       j.status not in ("validating", "committing")]:
            del self._jobs[job_id]
