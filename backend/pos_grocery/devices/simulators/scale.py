"""Toledo 'W' protocol scale simulator: answers each request from a script of platter states."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pos_grocery.devices.scales import toledo

StepKind = Literal["weight", "motion", "over", "under", "zero", "garbage", "silent"]


@dataclass(frozen=True, slots=True)
class Step:
    """One scripted answer: a stable weight, a status condition, line noise or no answer at all."""

    kind: StepKind
    grams: int = 0
    raw: bytes = b""


def weight(grams: int) -> Step:
    """A stable weight on the platter."""
    return Step("weight", grams)


MOTION, OVER, UNDER, ZERO, SILENT = Step("motion"), Step("over"), Step("under"), Step("zero"), Step("silent")


def garbage(raw: bytes = b"\x02#!x\r") -> Step:
    """Bytes that are not a valid reply."""
    return Step("garbage", raw=raw)


class ScaleSimulator:
    """Each 'W' consumes the next step; the last step repeats, so a script can end on a resting state."""

    def __init__(self, script: Iterable[Step] = (ZERO,)) -> None:
        self._lock = threading.Lock()
        self._script: list[Step] = list(script) or [ZERO]
        self.requests = 0

    def set_script(self, script: Iterable[Step]) -> None:
        """Replace the script (tests and the demo change the platter this way)."""
        with self._lock:
            self._script = list(script) or [ZERO]

    def handle(self, data: bytes) -> bytes:
        """Answer every command byte in `data`; unknown bytes are ignored like a real scale does."""
        out = bytearray()
        for byte in data:
            if byte == ord("W"):
                out += self._answer(self._next())
            elif byte == ord("Z"):
                self.set_script([ZERO])
                out += toledo.encode_status(toledo.CENTER_OF_ZERO)
        return bytes(out)

    def _next(self) -> Step:
        with self._lock:
            self.requests += 1
            return self._script.pop(0) if len(self._script) > 1 else self._script[0]

    @staticmethod
    def _answer(step: Step) -> bytes:
        if step.kind == "weight":
            return toledo.encode_weight(step.grams)
        if step.kind == "garbage":
            return step.raw
        if step.kind == "silent":
            return b""
        bits = {
            "motion": toledo.MOTION,
            "over": toledo.OVER_CAPACITY,
            "under": toledo.UNDER_ZERO,
            "zero": toledo.CENTER_OF_ZERO,
        }[step.kind]
        return toledo.encode_status(bits)
