"""Opening the store for a command: merge the recovery file, mark walks left unfinished.

What the person should know goes to stderr, and to `tell` (the app shows it too).
"""

from __future__ import annotations

from collections.abc import Callable

from coach.store.connection import StoreError
from coach.store.database import Store


def open_for_command(tell: Callable[[str], None] | None = None) -> Store:
    """The store, ready for a command, or StoreError with one line for the person."""
    from coach.entry import say
    from coach.store.recovery import merge_recovery_file

    store = Store.open()
    report = merge_recovery_file(store)
    notes = report.lines() if report is not None else []
    try:
        store.mark_interrupted_walks()
    except StoreError as exc:
        # Reading must not depend on it: the next start marks them.
        notes.append(f"walks left unfinished are marked interrupted next time ({exc})")
    for note in notes:
        say(note)
        if tell is not None:
            tell(note)
    return store
