"""Finding programmes: a path, then the user's programmes folder, then the built-ins.

As for routines, a user programme with a built-in's id shadows it. The folders default
to the user's (`coach.paths`) and the package's; tests pass their own.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from coach.library.routines import ROUTINE_SUFFIXES, Origin
from coach.paths import builtin_programmes_dir, user_programmes_dir

PROGRAMME_SUFFIXES = ROUTINE_SUFFIXES


@dataclass(frozen=True)
class ProgrammeEntry:
    """Where one programme lives and whether it hides a built-in of the same id."""

    id: str
    path: Path
    origin: Origin
    shadows_builtin: bool = False


class ProgrammeNotFound(LookupError):
    """No programme by that name; the message suggests close ones."""


def _folder_entries(folder: Path, origin: Origin) -> dict[str, ProgrammeEntry]:
    entries: dict[str, ProgrammeEntry] = {}
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix in PROGRAMME_SUFFIXES)
    except OSError:
        return entries
    for path in files:
        if path.is_file() and path.stem not in entries:
            entries[path.stem] = ProgrammeEntry(path.stem, path, origin)
    return entries


def list_programmes(
    user_dir: Path | None = None, builtin_dir: Path | None = None
) -> list[ProgrammeEntry]:
    """Every programme a name can reach, sorted by id; a user's takes its built-in's place."""
    builtins = _folder_entries(builtin_dir or builtin_programmes_dir(), Origin.BUILT_IN)
    mine = _folder_entries(user_dir or user_programmes_dir(), Origin.MINE)
    merged = dict(builtins)
    for programme_id, entry in mine.items():
        merged[programme_id] = ProgrammeEntry(
            entry.id, entry.path, entry.origin, shadows_builtin=programme_id in builtins
        )
    return sorted(merged.values(), key=lambda e: e.id)


def find_programme(
    name: str, user_dir: Path | None = None, builtin_dir: Path | None = None
) -> ProgrammeEntry:
    """Resolve `coach plan start NAME`: a file path, else the user's folder, else the built-ins."""
    as_path = Path(name).expanduser()
    if as_path.is_file():
        return ProgrammeEntry(as_path.stem, as_path, Origin.FILE)
    entries = list_programmes(user_dir, builtin_dir)
    for entry in entries:
        if entry.id == name:
            return entry
    close = difflib.get_close_matches(name, [e.id for e in entries], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `coach programmes list`"
    raise ProgrammeNotFound(f"no programme or file named {name!r}{hint}")
