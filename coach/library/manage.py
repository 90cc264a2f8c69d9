"""Copying, renaming and deleting routine files in the user's routines folder.

Built-in routines are read-only: they can be copied (your copy may keep the built-in's
id, and then hides it) but not renamed or deleted. Nothing here ever overwrites a file,
and nothing touches the history: a walk keeps the routine id, name and text it was
recorded with.
"""

from __future__ import annotations

import os
from pathlib import Path

from coach.library.routines import (
    ROUTINE_SUFFIXES,
    SAFE_ID,
    Origin,
    RoutineEntry,
    builtin_entries,
)
from coach.paths import HomeError, ensure_dir, user_routines_dir


class RoutineFileError(Exception):
    """A routine file could not be created, renamed or deleted; one line says why."""


def new_routine_path(routine_id: str) -> Path:
    """Where a new routine with this id goes; an error if the id is unusable or taken."""
    if not SAFE_ID.match(routine_id):
        raise RoutineFileError(
            f"{routine_id!r} is not a usable routine name: use 1–64 lowercase letters, "
            "digits, '-' or '_', starting with a letter or digit (e.g. lunch-walk)"
        )
    try:
        folder = ensure_dir(user_routines_dir())
    except HomeError as exc:
        raise RoutineFileError(str(exc)) from None
    path = folder / f"{routine_id}.yaml"
    for suffix in ROUTINE_SUFFIXES:
        taken = folder / f"{routine_id}{suffix}"
        if taken.exists() or taken.is_symlink():
            raise RoutineFileError(f"{taken} already exists; choose another name or edit that file")
    return path


def write_new(path: Path, text: str) -> None:
    """Write a new file; never replaces one that appeared meanwhile."""
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise RoutineFileError(f"cannot write {path}: {exc.strerror or exc}") from None


def hides_builtin(routine_id: str) -> bool:
    """Whether a routine of yours with this id hides a built-in one."""
    return routine_id in builtin_entries()


def free_copy_id(routine_id: str) -> str:
    """A name for a copy that no routine of yours has yet: `gentle-back-copy`, `-copy-2`…"""
    folder = user_routines_dir()
    base = f"{routine_id[:59]}-copy"
    candidate = base
    number = 2
    while any((folder / f"{candidate}{suffix}").exists() for suffix in ROUTINE_SUFFIXES):
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def copy_routine(source: RoutineEntry, new_id: str) -> Path:
    """Copy a routine (yours or a built-in) to NEW_ID.yaml in your folder."""
    path = new_routine_path(new_id)
    try:
        text = source.path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RoutineFileError(f"cannot read {source.path}: {exc}") from None
    write_new(path, f"# {new_id}.yaml: copied from {source.id} ({source.path}).\n{text}")
    return path


def _own_file(entry: RoutineEntry, doing: str) -> Path:
    """The file of one of your routines; built-ins and outside files are refused."""
    if entry.origin is Origin.BUILT_IN:
        raise RoutineFileError(
            f"{entry.id} is a built-in routine and cannot be {doing}; "
            "copy it to have one of your own"
        )
    folder = user_routines_dir()
    if entry.origin is not Origin.MINE or entry.path.parent.resolve() != folder.resolve():
        raise RoutineFileError(f"{entry.path} is not in your routines folder ({folder})")
    return entry.path


def rename_routine(entry: RoutineEntry, new_id: str) -> Path:
    """Give one of your routines a new id (its file name); returns the new path."""
    old = _own_file(entry, "renamed")
    if new_id == entry.id:
        raise RoutineFileError(f"{entry.id} already has that name")
    path = new_routine_path(new_id)
    try:
        # A hard link fails if the name is taken, so nothing is overwritten even if a
        # file of that name appeared since the check.
        os.link(old, path)
    except FileExistsError:
        raise RoutineFileError(f"{path} already exists; choose another name") from None
    except OSError:
        # No hard links on this file system: copy the bytes (exclusively), then remove.
        try:
            text = old.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RoutineFileError(f"cannot read {old}: {exc}") from None
        write_new(path, text)
    try:
        old.unlink()
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise RoutineFileError(f"cannot remove {old}: {exc.strerror or exc}") from None
    return path


def delete_routine(entry: RoutineEntry) -> None:
    """Delete one of your routines (a built-in it hid shows again)."""
    path = _own_file(entry, "deleted")
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise RoutineFileError(f"cannot delete {path}: {exc.strerror or exc}") from None
