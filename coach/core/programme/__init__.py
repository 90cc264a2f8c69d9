"""The programme format, version 1: weeks of sessions that build walking up (SPEC §9).

The format is documented in `coach.core.programme.model`. Names are imported on first
use (PEP 562), as for `coach.core.routine`: the model is needed without PyYAML and the
validator. Where programme files live is `coach.library.programmes`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.core.programme.loader import ProgrammeLoadResult, load_file, load_text
    from coach.core.programme.model import FlareAction, Programme, Progression, Week
    from coach.core.programme.schema import programme_schema, schema_json

_WHERE = {
    "ProgrammeLoadResult": "loader",
    "load_file": "loader",
    "load_text": "loader",
    "FlareAction": "model",
    "Programme": "model",
    "Progression": "model",
    "Week": "model",
    "programme_schema": "schema",
    "schema_json": "schema",
}

__all__ = [
    "FlareAction",
    "Programme",
    "ProgrammeLoadResult",
    "Progression",
    "Week",
    "load_file",
    "load_text",
    "programme_schema",
    "schema_json",
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
