"""Finding programmes: a path, then the user's programmes folder, then the built-ins.

As for routines, a user programme with a built-in's id shadows it. The user's folder is
passed in (the shell knows where it is); the built-ins' folder is found beside the code.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from coach.routine.catalog import ROUTINE_SUFFIXES, Origin

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


def builtin_programmes_dir() -> Path:
    """The built-in programmes: inside the installed package, or the checkout's `programmes/`."""
    package = Path(__file__).resolve().parents[2]  # coach/
    packaged = package / "programmes"
    if packaged.is_dir():
        return packaged
    return package.parent / "programmes"


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


def list_programmes(user_dir: Path | None, builtin_dir: Path | None = None) -> list[ProgrammeEntry]:
    """Every programme a name can reach, sorted by id; a user's takes its built-in's place."""
    builtins = _folder_entries(builtin_dir or builtin_programmes_dir(), Origin.BUILT_IN)
    mine = _folder_entries(user_dir, Origin.MINE) if user_dir is not None else {}
    merged = dict(builtins)
    for programme_id, entry in mine.items():
        merged[programme_id] = ProgrammeEntry(
            entry.id, entry.path, entry.origin, shadows_builtin=programme_id in builtins
        )
    return sorted(merged.values(), key=lambda e: e.id)


def find_programme(
    name: str, user_dir: Path | None, builtin_dir: Path | None = None
) -> ProgrammeEntry:
    """Resolve `coach plan start NAME`: a file path, else the user's folder, else the built-ins."""
    # Not expanduser(): that reads $HOME, and the core reads no environment (the shell
    # has expanded `~` already when a person typed it).
    as_path = Path(name)
    if as_path.is_file():
        return ProgrammeEntry(as_path.stem, as_path, Origin.FILE)
    entries = list_programmes(user_dir, builtin_dir)
    for entry in entries:
        if entry.id == name:
            return entry
    close = difflib.get_close_matches(name, [e.id for e in entries], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `coach programmes list`"
    raise ProgrammeNotFound(f"no programme or file named {name!r}{hint}")
