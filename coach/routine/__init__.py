"""The routine format, version 1: loading, validation, schema and compilation to a timeline."""

from coach.routine.catalog import (
    Origin,
    RoutineEntry,
    RoutineNotFound,
    find_routine,
    list_routines,
)
from coach.routine.diagnostics import Diagnostic, Severity
from coach.routine.loader import LoadResult, load_file, load_text
from coach.routine.model import Intensity, Routine, StridePhase
from coach.routine.timeline import TimedSegment, Timeline, compile_timeline

__all__ = [
    "Diagnostic",
    "Intensity",
    "LoadResult",
    "Origin",
    "Routine",
    "RoutineEntry",
    "RoutineNotFound",
    "Severity",
    "StridePhase",
    "TimedSegment",
    "Timeline",
    "compile_timeline",
    "find_routine",
    "list_routines",
    "load_file",
    "load_text",
]
