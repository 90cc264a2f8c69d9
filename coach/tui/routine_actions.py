"""Deleting, renaming and copying routines from the app (home keys and the palette).

Each asks first (a name, or a confirmation), does the file work through
coach.library.manage, then tells home to list the routines again with the result
highlighted. Built-ins are never deleted or renamed: the person is told why and how to
get a copy of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coach.library.routines import Origin, RoutineEntry, list_routines

if TYPE_CHECKING:
    from coach.tui.app import CoachApp


def _builtin_refused(app: CoachApp, entry: RoutineEntry, doing: str) -> bool:
    if entry.origin is not Origin.BUILT_IN:
        return False
    app.notify(
        f"{entry.id} is built in: it can't be {doing}. Press p to make your own copy, "
        "which you can rename, edit or delete.",
        title="Built-in routine",
        severity="warning",
        markup=False,
    )
    return True


def delete_routine(app: CoachApp, entry: RoutineEntry) -> None:
    """Ask, then delete one of your routines."""
    if _builtin_refused(app, entry, "deleted"):
        return
    from coach.library.manage import RoutineFileError
    from coach.library.manage import delete_routine as delete_file
    from coach.tui.screens.dialogs import ConfirmScreen

    question = f"Delete your routine {entry.id} ({entry.path})?"
    if entry.shadows_builtin:
        question += (
            f" It has the id of a built-in routine and hides it: once yours is deleted, "
            f"the built-in {entry.id} shows again in its place."
        )
    else:
        question += " The file is removed; this cannot be undone."
    question += " Walks you did with it stay in your history."

    # The highlight moves to the routine after it (or before it, if it was the last).
    ids = [e.id for e in list_routines()]
    at = ids.index(entry.id) if entry.id in ids else 0
    others = ids[at + 1 :] + ids[:at][::-1]
    neighbour = others[0] if others else None

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            delete_file(entry)
        except RoutineFileError as exc:
            app.notify(str(exc), title="Not deleted", severity="error", markup=False)
            return
        back = " (the built-in is back)" if entry.shadows_builtin else ""
        app.notify(f"Deleted {entry.id}{back}.", markup=False)
        app.refresh_routines(select=entry.id if entry.shadows_builtin else neighbour)

    app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), answered)


def rename_routine(app: CoachApp, entry: RoutineEntry) -> None:
    """Ask for a new id for one of your routines and rename its file."""
    if _builtin_refused(app, entry, "renamed"):
        return
    from coach.library.manage import rename_routine as rename_file
    from coach.tui.screens.dialogs import RoutineNameScreen

    def renamed(path: Path | None) -> None:
        if path is not None:
            app.notify(f"Renamed {entry.id} to {path.stem}.{_hiding(path.stem)}", markup=False)
            app.refresh_routines(select=path.stem)

    app.push_screen(
        RoutineNameScreen(
            f"Rename {entry.id} to (lowercase letters, digits, - and _). "
            "Walks already done keep the name they were recorded with.",
            lambda new_id: rename_file(entry, new_id),
            initial=entry.id,
        ),
        renamed,
    )


def copy_routine(app: CoachApp, entry: RoutineEntry) -> None:
    """Ask for a name and copy a routine (yours or a built-in) to your folder."""
    from coach.library.manage import copy_routine as copy_file
    from coach.library.manage import free_copy_id
    from coach.tui.screens.dialogs import RoutineNameScreen

    def copied(path: Path | None) -> None:
        if path is not None:
            app.notify(
                f"Copied {entry.id} to {path.stem}.{_hiding(path.stem)} Press e to edit it.",
                markup=False,
            )
            app.refresh_routines(select=path.stem)

    app.push_screen(
        RoutineNameScreen(
            f"Name your copy of {entry.id} (lowercase letters, digits, - and _). "
            "Giving it a built-in's id makes yours hide that built-in.",
            lambda new_id: copy_file(entry, new_id),
            initial=free_copy_id(entry.id),
        ),
        copied,
    )


def _hiding(routine_id: str) -> str:
    from coach.library.manage import hides_builtin

    if hides_builtin(routine_id):
        return f" It hides the built-in {routine_id} until you rename or delete yours."
    return ""
