"""Home's memory of routine outlines, so a start draws the highlighted routine without
reading its file (PyYAML, the validator and the compiler: about a tenth of start-up).

One JSON file in coach's cache folder maps each routine file (its absolute path) to the
outline home drew of it and the file's size and modification time then. An outline is
used only while both are unchanged, and only by the coach version that wrote it; else
the file is read as before and its outline kept for the next start. The file is only a
cache: if it is missing, damaged or can't be written, home reads the routine files, and
deleting it loses nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from coach import __version__
from coach.core.routine.outline import Outline
from coach.paths import HomeError, cache_dir, ensure_dir

FILE_NAME = "routine-outlines.json"
FORMAT = 1  # of the file: a coach that writes another format ignores this one's
MAX_ROUTINES = 200  # the most recently kept; a routine folder rarely holds more
MAX_SEGMENTS = 2000  # longer routines are read each time (their outline would be large)

Stamp = tuple[int, int]  # a file's size and modification time (ns)


def stamp(path: Path) -> Stamp | None:
    """The file's size and modification time, or None if it can't be read."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_size, info.st_mtime_ns)


class Outlines:
    """The kept outlines, read from the cache file on first use."""

    def __init__(self, file: Path | None = None) -> None:
        self._file = file
        self._kept: dict[str, dict[str, object]] | None = None
        self._changed = False

    @property
    def file(self) -> Path:
        if self._file is None:
            self._file = cache_dir() / FILE_NAME
        return self._file

    def _entries(self) -> dict[str, dict[str, object]]:
        if self._kept is None:
            self._kept = _read(self.file)
        return self._kept

    def get(self, path: Path) -> Outline | None:
        """The outline kept for this file as it is now, if any."""
        entry = self._entries().get(os.path.abspath(path))
        if entry is None:
            return None
        now = stamp(path)
        if now is None or entry.get("stamp") != list(now):
            return None
        return Outline.from_json(entry.get("outline"))

    def keep(self, path: Path, when_read: Stamp | None, outline: Outline) -> None:
        """Keep `outline` of the file as it was at `when_read` (taken before reading it,
        so a change while it was read makes the kept one stale, never wrong)."""
        if when_read is None or len(outline.ends) > MAX_SEGMENTS:
            return
        entries = self._entries()
        key = os.path.abspath(path)
        entries.pop(key, None)  # to the end: the most recent
        entries[key] = {"stamp": list(when_read), "outline": outline.to_json()}
        while len(entries) > MAX_ROUTINES:
            del entries[next(iter(entries))]
        self._changed = True

    def save(self) -> None:
        """Write what was kept since the file was read (a failure only costs speed)."""
        if not self._changed:
            return
        self._changed = False
        document = {"format": FORMAT, "coach": __version__, "routines": self._entries()}
        with contextlib.suppress(OSError, HomeError, ValueError):
            folder = ensure_dir(self.file.parent)
            handle, temporary = tempfile.mkstemp(prefix=".outlines-", dir=folder)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(document, out, separators=(",", ":"))
                os.replace(temporary, self.file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise


def _read(file: Path) -> dict[str, dict[str, object]]:
    """The kept entries, or none if the file is missing, damaged or another version's."""
    try:
        document = json.loads(file.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(document, dict):
        return {}
    if document.get("format") != FORMAT or document.get("coach") != __version__:
        return {}
    routines = document.get("routines")
    if not isinstance(routines, dict):
        return {}
    return {k: v for k, v in routines.items() if isinstance(k, str) and isinstance(v, dict)}
