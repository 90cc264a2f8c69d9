"""The history's tables: every walk and lone check-in, and the effect of each routine
(or walk length) on pain."""

from __future__ import annotations

import io
from collections.abc import Callable, Collection
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import DataTable, Static

from coach.core.estimates import Effects, GroupEffect, estimate_words, rank_words
from coach.core.localtime import local_minute
from coach.core.records import HistoryEntry
from coach.core.routine.durations import format_clock
from coach.core.text import visible_text
from coach.core.wording import (
    FLAG_MARK,
    one_line,
    pain_mark,
    reading,
    score,
    stiffness_reading,
    walk_status,
)

# After the rank, the group (a routine or a walk-length band), then the estimate before
# the counts: on 60 columns the estimate stays in view and the counts scroll.
EFFECT_COLUMNS = ("Rank", "Pain change (95% interval)", "Walks", "Rated")
CELL_PADDING = 2  # a DataTable cell has a space either side
SCROLLBAR = 2  # room kept for the vertical scrollbar
NOTES_MIN = 20  # narrower than this, the notes column gives way (the preview shows them)
NOTES_MAX = 80
_MEASURE = Console(file=io.StringIO(), color_system=None)  # Text.wrap wants a console


@dataclass(frozen=True)
class WalkColumn:
    """One column of the walks table: its header, how wide it is, and its cell."""

    label: str
    width: int  # cells; longer content is cut with "…"
    cell: Callable[[HistoryEntry, int], Text]


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


def _date_cell(entry: HistoryEntry, width: int) -> Text:
    when = Text(local_minute(entry.at))
    if entry.flagged:
        # Also in the date column, which is always shown.
        when.append(f" {FLAG_MARK}", style="bold red")
    return when


def _routine_cell(entry: HistoryEntry, width: int) -> Text:
    if not entry.is_walk:
        return Text("check-in only", style="italic")
    return Text(one_line(entry.routine_id or "", width))


def _walked_cell(entry: HistoryEntry, width: int) -> Text:
    if not entry.is_walk:
        return Text("")
    walked = format_clock(entry.walked_seconds or 0)
    if entry.logged:  # logged with `coach log`: nothing was planned
        return Text(walked)
    return Text(f"{walked}/{format_clock(entry.planned_seconds or 0)}")


def _status_cell(entry: HistoryEntry, width: int) -> Text:
    return Text(walk_status(entry), style="italic" if entry.logged else "")


def _change_cell(entry: HistoryEntry, width: int) -> Text:
    after = entry.after
    return Text(after.change.label if after and after.change else "")


def _effort_cell(entry: HistoryEntry, width: int) -> Text:
    after = entry.after
    return Text(score(after.effort) if after and after.effort is not None else "")


def _flags_cell(entry: HistoryEntry, width: int) -> Text:
    return Text(f"{FLAG_MARK} flagged", style="bold red") if entry.flagged else Text("")


def _notes_cell(entry: HistoryEntry, width: int) -> Text:
    return Text(one_line(entry.notes, width))


# In the order they are shown; WALK_PRIORITY says which give way first to fit the width.
WALK_COLUMNS = {
    "date": WalkColumn("Date", 18, _date_cell),
    "routine": WalkColumn("Routine", 17, _routine_cell),
    "walked": WalkColumn("Walked", 11, _walked_cell),
    "status": WalkColumn("Status", 11, _status_cell),
    "pain": WalkColumn("Pain", 9, lambda entry, width: pain_cell(entry)),
    "stiffness": WalkColumn("Stiffness", 9, lambda e, w: Text(stiffness_reading(e))),
    "change": WalkColumn("Change", 15, _change_cell),
    "effort": WalkColumn("Effort", 6, _effort_cell),
    "flags": WalkColumn("Flags", 9, _flags_cell),
    "notes": WalkColumn("Notes", NOTES_MIN, _notes_cell),
}
WALK_PRIORITY = (
    "date",
    "pain",
    "routine",
    "notes",
    "status",
    "walked",
    "stiffness",
    "change",
    "effort",
    "flags",
)


def fit_walk_columns(width: int) -> dict[str, int]:
    """The columns that fit in `width` cells, each with its width, in display order.

    Columns join by priority until the next one does not fit; the notes column (which
    gives way when there is no room for a useful part of a note) takes what is left.
    """
    room = width - SCROLLBAR
    chosen: dict[str, int] = {}
    for key in WALK_PRIORITY:
        need = WALK_COLUMNS[key].width + CELL_PADDING
        if need <= room:
            chosen[key] = WALK_COLUMNS[key].width
            room -= need
        elif key != "notes" and key != "date":
            break
    if "notes" in chosen:
        chosen["notes"] = min(NOTES_MAX, chosen["notes"] + room)
    return {key: chosen[key] for key in WALK_COLUMNS if key in chosen}


def walk_row(entry: HistoryEntry, columns: dict[str, int] | None = None) -> tuple[Text, ...]:
    """The table cells for one entry; user text is plain Text, never markup."""
    if columns is None:
        columns = {key: column.width for key, column in WALK_COLUMNS.items()}
    return tuple(WALK_COLUMNS[key].cell(entry, width) for key, width in columns.items())


def hidden_facts(entry: HistoryEntry, shown: Collection[str]) -> Text:
    """What the columns left out by the width say about an entry, on one line."""
    facts: list[Text] = []
    for key, column in WALK_COLUMNS.items():
        if key in shown or key in ("notes", "flags", "date"):
            continue
        cell = column.cell(entry, NOTES_MAX)
        if not cell.plain or (key == "routine" and not entry.is_walk):
            continue
        if key in ("pain", "stiffness", "effort"):
            cell = Text(f"{key} ").append_text(cell)
        elif key == "change":
            cell = Text(f"feels {cell.plain}")  # the answer to "my back feels…"
        elif key == "walked":
            cell = Text(cell.plain.replace("/", " of "))
        facts.append(cell)
    return Text(" · ").join(facts)


def notes_preview(entry: HistoryEntry | None) -> Text:
    """The highlighted entry's notes in full, or why there are none."""
    if entry is None:
        return Text("")
    notes = visible_text(" ".join(entry.notes.split()))
    if notes:
        return Text.assemble(("Notes ", "bold"), notes)
    if entry.is_walk and entry.before is None and entry.after is None:
        return Text("No check-in for this walk: Enter, then c, fills one in.", style="dim")
    return Text("No notes.", style="dim")


class EntryNotes(Static):
    """The notes under the walks table, wrapped to at most `max_lines` (then "…")."""

    def __init__(self, id: str | None = None, max_lines: int = 3) -> None:
        super().__init__(id=id)
        self.entry: HistoryEntry | None = None
        self.max_lines = max_lines

    def show(self, entry: HistoryEntry | None) -> None:
        self.entry = entry
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        lines = list(notes_preview(self.entry).wrap(_MEASURE, max(width, 1)))
        if len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            last = lines[-1]
            last.truncate(max(width - 1, 0))
            last.rstrip()
            last.append("…")
        return lines

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))


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
    """The walks and lone check-ins, with the columns that fit its width; Enter opens
    the record.

    The table keeps the entries it shows, so a resize that changes which columns fit
    lays them out again.
    """

    BINDINGS = [Binding("enter", "select_cursor", "Open")]

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.entries: list[HistoryEntry] = []
        self.columns_shown: dict[str, int] = {}

    def on_mount(self) -> None:
        self.fixed_columns = 1
        self._set_columns(fit_walk_columns(self.size.width or 80))

    def _set_columns(self, columns: dict[str, int]) -> None:
        self.columns_shown = columns
        for key, width in columns.items():
            self.add_column(WALK_COLUMNS[key].label, width=width, key=key)

    def on_resize(self) -> None:
        columns = fit_walk_columns(self.size.width)
        if columns == self.columns_shown:
            return
        row = self.cursor_row
        self.clear(columns=True)
        self._set_columns(columns)
        self.add_rows(walk_row(entry, columns) for entry in self.entries)
        if self.entries:
            self.move_cursor(row=min(row, len(self.entries) - 1), animate=False, scroll=True)

    def show_entries(self, entries: list[HistoryEntry]) -> None:
        """Replace every row."""
        self.clear()
        self.entries = []
        self.add_entries(entries)

    def add_entries(self, entries: list[HistoryEntry]) -> None:
        """Add rows at the end."""
        self.entries.extend(entries)
        self.add_rows(walk_row(entry, self.columns_shown) for entry in entries)


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
