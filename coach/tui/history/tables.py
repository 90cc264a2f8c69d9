"""The history's tables: every walk and lone check-in, and the effect of each routine
(or walk length) on pain."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from coach.core.estimates import Effects, GroupEffect, estimate_words, rank_words
from coach.core.localtime import local_minute
from coach.core.records import HistoryEntry
from coach.core.routine.durations import format_clock
from coach.core.wording import (
    FLAG_MARK,
    one_line,
    pain_mark,
    reading,
    score,
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
# After the rank, the group (a routine or a walk-length band), then the estimate before
# the counts: on 60 columns the estimate stays in view and the counts scroll.
EFFECT_COLUMNS = ("Rank", "Pain change (95% interval)", "Walks", "Rated")


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


def effect_row(effects: Effects, group: GroupEffect) -> tuple[Text, ...]:
    """One routine's (or walk length's) estimate, or how many more rated walks it needs."""
    return (
        Text(rank_words(effects, group)),
        Text(one_line(group.key, 32)),
        Text(estimate_words(group), style="" if group.estimated else "dim italic"),
        Text(f"{group.walks:,}"),
        Text(f"{group.rated_walks:,}"),
    )


class WalkTable(DataTable[Text]):
    """The walks and lone check-ins; Enter opens the record."""

    BINDINGS = [Binding("enter", "select_cursor", "Open")]

    def on_mount(self) -> None:
        self.fixed_columns = 1
        self.add_columns(*WALK_COLUMNS)


class RoutineTable(DataTable[Text]):
    """The effect estimates, by routine or by walk length; Enter shows a routine's walks."""

    BINDINGS = [Binding("enter", "select_cursor", "Show walks")]

    by_routine = True

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        rank, *rest = EFFECT_COLUMNS
        self.add_columns(rank, "Routine" if self.by_routine else "Walk length", *rest)

    def show(self, effects: Effects, by_routine: bool) -> None:
        """Fill the table with these estimates, each row keyed by its routine or band."""
        self.by_routine = by_routine
        self.clear(columns=True)
        self._add_columns()
        for group in effects.groups:
            self.add_row(*effect_row(effects, group), key=group.key)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Walk lengths are not a filter: Enter has nothing to show there.
        return self.by_routine if action == "select_cursor" else True
