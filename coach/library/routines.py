"""Finding routines: a path, then the user's routines folder, then the built-ins."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from coach.paths import builtin_routines_dir, user_routines_dir

ROUTINE_SUFFIXES = (".yaml", ".yml")
# `\Z`, not `$`: `$` also matches before a final newline, letting "walk\n" through.
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\Z")


class Origin(Enum):
    BUILT_IN = "built-in"
    MINE = "mine"
    FILE = "file"


@dataclass(frozen=True)
class RoutineEntry:
    """Where one routine lives and whether it hides or is hidden by another of the same id."""

    id: str
    path: Path
    origin: Origin
    shadows_builtin: bool = False


class RoutineNotFound(LookupError):
    """No routine by that name; the message suggests close ones."""


def _folder_entries(folder: Path, origin: Origin) -> dict[str, RoutineEntry]:
    entries: dict[str, RoutineEntry] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix in ROUTINE_SUFFIXES)
    except OSError:
        return entries
    for path in files:
        if path.is_file() and path.stem not in entries:
            entries[path.stem] = RoutineEntry(path.stem, path, origin)
    return entries


def builtin_entries() -> dict[str, RoutineEntry]:
    return _folder_entries(builtin_routines_dir(), Origin.BUILT_IN)


def list_routines() -> list[RoutineEntry]:
    """Every routine a name can reach, user routines first taking their built-in's place."""
    builtins = builtin_entries()
    mine = _folder_entries(user_routines_dir(), Origin.MINE)
    merged: dict[str, RoutineEntry] = {}
    for routine_id, entry in builtins.items():
        merged[routine_id] = entry
    for routine_id, entry in mine.items():
        merged[routine_id] = RoutineEntry(
            entry.id, entry.path, entry.origin, shadows_builtin=routine_id in builtins
        )
    return sorted(merged.values(), key=lambda e: e.id)


def _names_a_file(name: str) -> bool:
    """NAME is something on disk other than a folder: a routine file, or a FIFO or device
    whose loading then says why it can't be read. Names no file system takes (too long,
    a NUL) name no file."""
    try:
        path = Path(name).expanduser()
        return path.exists() and not path.is_dir()
    except (OSError, ValueError, RuntimeError):  # RuntimeError: `~nobody` has no home
        return False


def find_routine(name: str) -> RoutineEntry:
    """Resolve `coach walk NAME`: a file path, else the user's folder, else the built-ins."""
    if _names_a_file(name):
        as_path = Path(name).expanduser()
        return RoutineEntry(as_path.stem, as_path, Origin.FILE)
    for entry in list_routines():
        if entry.id == name:
            return entry
    known = [e.id for e in list_routines()]
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `coach routines list`"
    raise RoutineNotFound(f"no routine or file named {name!r}{hint}")
