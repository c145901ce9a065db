"""Start-up SLA verdicts and the 0–100 performance score."""

from __future__ import annotations

from pos_grocery.health import models as m
from pos_grocery.health.service import (
    DB_INIT_SLA_MS,
    HARDWARE_SLA_MS,
    LISTENING_SLA_MS,
    memory,
    now_iso,
)
from pos_grocery.runtime import Runtime


def _item(threshold: float, actual: float | None, skipped: bool = False) -> m.SlaItem:
    passed = skipped or (actual is not None and actual < threshold)
    return m.SlaItem(threshold_ms=threshold, actual_ms=None if actual is None else round(actual, 2), pass_=passed)


def score(items: list[m.SlaItem], memory_ok: bool) -> int:
    """Mean over checks of min(1, threshold/actual), memory counted pass/fail, as 0–100."""
    parts: list[float] = []
    for item in items:
        if item.actual_ms is None or item.actual_ms <= 0:
            parts.append(1.0 if item.pass_ else 0.0)
        else:
            parts.append(min(1.0, item.threshold_ms / item.actual_ms))
    parts.append(1.0 if memory_ok else 0.0)
    return round(100 * sum(parts) / len(parts))


def grade(value: int) -> str:
    """Letter grade; the runbook's info alert fires below 75."""
    for limit, letter in ((90, "A"), (75, "B"), (60, "C"), (40, "D")):
        if value >= limit:
            return letter
    return "F"


def startup_health(rt: Runtime) -> m.StartupHealth:
    """`/api/health/startup`: timings, SLA verdicts, score."""
    rep = rt.startup
    skipped_hw = rep.hardware_status == "skipped"
    listening = _item(LISTENING_SLA_MS, rep.listening_ms)
    db_init = _item(DB_INIT_SLA_MS, rep.db_init_ms)
    hardware = _item(HARDWARE_SLA_MS, rep.hardware_check_ms, skipped=skipped_hw)
    mem = memory(rt)
    items = [listening, db_init, hardware]
    all_passed = all(i.pass_ for i in items) and mem.ok
    value = score(items, mem.ok)
    app_ready_ms = None if rep.app_ready_at is None else (rep.app_ready_at - rep.process_start) * 1000.0
    performance = m.Performance(
        score=value, grade=grade(value),
        total_startup_ms=None if app_ready_ms is None else round(app_ready_ms, 2),
        listening_ms=listening.actual_ms, database_init_ms=round(rep.db_init_ms, 2),
        hardware_check_ms=hardware.actual_ms, app_ready_ms=None if app_ready_ms is None else round(app_ready_ms, 2),
    )
    metrics = m.StartupMetrics(
        process_start=now_iso(rep.process_start),
        listening_at=None if rep.listening_at is None else now_iso(rep.listening_at),
        app_ready_at=None if rep.app_ready_at is None else now_iso(rep.app_ready_at),
        hardware_status=rep.hardware_status, hardware_detail=rep.hardware_detail,
        memory_rss_bytes=mem.rss_bytes, memory_usage=mem.usage,
        migrations_applied=list(rep.migrations_applied),
        sla=m.Sla(listening=listening, database_init=db_init, hardware_checks=hardware, memory_ok=mem.ok,
                  all_passed=all_passed),
        performance=performance,
    )
    return m.StartupHealth(ok=all_passed, timestamp=now_iso(), metrics=metrics)
