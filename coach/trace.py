"""`COACH_TRACE=FILE`: a JSON line per stride-phase change, for measuring beat lateness.

Off unless the variable is set; when off, the walk screen holds None and pays nothing.
"""

from __future__ import annotations

import json
import os
from typing import TextIO

TRACE_ENV = "COACH_TRACE"


class PhaseTrace:
    """Writes when each phase change was scheduled and when the screen actually showed it."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._last: tuple[int, str] | None = None

    @classmethod
    def from_environment(cls) -> PhaseTrace | None:
        path = os.environ.get(TRACE_ENV)
        if not path:
            return None
        try:
            return cls(open(path, "a", encoding="utf-8", buffering=1))
        except OSError:
            return None

    def phase_shown(
        self, step: int, phase: str, segment: int, scheduled: float | None, actual: float
    ) -> None:
        """Record a phase change (repeats of the same step and phase are ignored)."""
        key = (step, phase)
        if key == self._last:
            return
        self._last = key
        record = {
            "step": step,
            "phase": phase,
            "segment": segment,
            "scheduled": scheduled,
            "actual": actual,
        }
        self._out.write(json.dumps(record) + "\n")

    def close(self) -> None:
        self._out.close()
