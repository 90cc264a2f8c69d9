"""The routine format, version 1: loading, validation, schema and compilation to a timeline.

Names are imported on first use (PEP 562): the config needs the diagnostics long
before (or without ever) parsing YAML, and PyYAML with the validator and compiler is a
noticeable part of start-up. Where routine files live is the library's business
(`coach.library.routines`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.core.routine.diagnostics import Diagnostic, Severity
    from coach.core.routine.loader import LoadResult, load_file, load_text
    from coach.core.routine.model import Intensity, Routine, StridePhase
    from coach.core.routine.timeline import TimedSegment, Timeline, compile_timeline

_WHERE = {
    "Diagnostic": "diagnostics",
    "Severity": "diagnostics",
    "LoadResult": "loader",
    "load_file": "loader",
    "load_text": "loader",
    "Intensity": "model",
    "Routine": "model",
    "StridePhase": "model",
    "TimedSegment": "timeline",
    "Timeline": "timeline",
    "compile_timeline": "timeline",
}

__all__ = [
    "Diagnostic",
    "Intensity",
    "LoadResult",
    "Routine",
    "Severity",
    "StridePhase",
    "TimedSegment",
    "Timeline",
    "compile_timeline",
    "load_file",
    "load_text",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found once; later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
