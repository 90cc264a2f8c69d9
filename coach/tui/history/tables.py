"""The history's tables: every walk and lone check-in, and one row per routine."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from coach.core.localtime import local_minute
from coach.core.records import HistoryEntry
from coach.core.routine.durations import format_clock
from coach.core.trends import RoutineEffect
from coach.core.wording import (
    FLAG_MARK,
    RELIEF_MARK,
    one_line,
    pain_mark,
    reading,
    score,
    share,
    signed,
    stiffness_reading,
    walk_status,
)

NOTES_SHOWN = 40  # characters of notes in the table; the record shows all
WALK_COLUMNS = (
    "Date",
    "Routine",
    "Walked",
    "Status",
    "Pain",
    "Stiffness",
    "Change",
    "Effort",
    "Flags",
    "Notes",
)
ROUTINE_COLUMNS = ("Routine", "Walks", "Avg min", "Avg pain change", f"{RELIEF_MARK} Relief")


def pain_cell(entry: HistoryEntry) -> Text:
    if not entry.is_walk:
        return Text(score(entry.after.pain if entry.after else None))
    before = entry.before.pain if entry.before else None
    after = entry.after.pain if entry.after else None
    cell = Text(reading(before, after))
    mark = pain_mark(entry)
    if mark is not None:
        cell.append(f" {mark.symbol}", style=mark.style)
    return cell


def walk_row(entry: HistoryEntry) -> tuple[Text, ...]:
    """The table cells for one entry; user text is plain Text, never markup."""
    after = entry.after
    if entry.is_walk:
        routine = Text(one_line(entry.routine_id or "", 24))
        walked = Text(
            f"{format_clock(entry.walked_seconds or 0)}/{format_clock(entry.planned_seconds or 0)}"
        )
        status = Text(walk_status(entry), style="italic" if entry.logged else "")
    else:
        routine = Text("check-in only", style="italic")
        walked = Text("")
        status = Text("")
    flags = Text(f"{FLAG_MARK} flagged", style="bold red") if entry.flagged else Text("")
    when = Text(local_minute(entry.at))
    if entry.flagged:
        # Also in the date column, which stays in view when the table scrolls sideways.
        when.append(f" {FLAG_MARK}", style="bold red")
    return (
        when,
        routine,
        walked,
        status,
        pain_cell(entry),
        Text(stiffness_reading(entry)),
        Text(after.change.label if after and after.change else ""),
        Text(score(after.effort) if after and after.effort is not None else ""),
        flags,
        Text(one_line(entry.notes, NOTES_SHOWN)),
    )


def routine_row(effect: RoutineEffect) -> tuple[Text, ...]:
    return (
        Text(one_line(effect.routine_id, 32)),
        Text(f"{effect.walks:,}", justify="right"),
        Text(f"{effect.average_minutes:.0f}", justify="right"),
        Text(signed(effect.average_pain_change), justify="right"),
        Text(share(effect.relief_share), justify="right"),
    )


class WalkTable(DataTable[Text]):
    """The walks and lone check-ins; Enter opens the record."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]

    def on_mount(self) -> None:
        self.fixed_columns = 1
        self.add_columns(*WALK_COLUMNS)


class RoutineTable(DataTable[Text]):
    """One row per routine; Enter shows that routine's walks."""

    BINDINGS = [Binding("enter", "select_cursor", "Show walks")]

    def on_mount(self) -> None:
        self.add_columns(*ROUTINE_COLUMNS)
