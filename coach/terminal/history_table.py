"""`coach history`'s table for people: Rich, laid out for the terminal's width.

User text stays literal (Rich `Text`, never markup); the wording comes from
`coach.core.wording`, as in the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich import box
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from coach.core.localtime import local_minute
from coach.core.records import HistoryEntry
from coach.core.recurrence import Recurrence
from coach.core.text import visible_text
from coach.core.trends import summarize_entries
from coach.core.wording import (
    EPISODES_LABEL,
    FLAG_MARK,
    MARKS_LEGEND,
    one_line,
    pain_reading,
    recurrence_words,
    stiffness_reading,
    summary_lines,
    walk_status,
    walked_of_planned,
)

NOTES_IN_TABLE = 60
# A table of thousands of rows takes seconds to draw and nobody reads it in a terminal;
# the newest are shown, and the exports have everything.
TABLE_LIMIT = 200


def table_cells(entry: HistoryEntry) -> dict[str, str]:
    """The table's cells for one entry, as plain text (never markup)."""
    after = entry.after
    return {
        "date": local_minute(entry.at),
        "routine": "check-in" if not entry.is_walk else visible_text(entry.routine_id or ""),
        "time": walked_of_planned(entry),
        "status": walk_status(entry),
        "pain": pain_reading(entry),
        "stiffness": stiffness_reading(entry),
        "change": after.change.label if after and after.change is not None else "",
        "effort": "" if after is None or after.effort is None else str(after.effort),
        "flag": FLAG_MARK if entry.flagged else "",
        "notes": one_line(entry.notes, NOTES_IN_TABLE),
    }


_HEADERS = {
    "date": "date",
    "routine": "routine",
    "time": "walked",
    "status": "status",
    "pain": "pain",
    "stiffness": "stiff",
    "change": "change",
    "effort": "effort",
    "flag": FLAG_MARK,
    "notes": "notes",
}
_RIGHT = {"time", "effort"}
_CENTRE = {"pain", "stiffness"}
MIN_NOTES = 12
GAP = 2
ROUTINE_MAX = 16


def _natural(title: str, key: str, rows: list[dict[str, str]]) -> int:

    return max([cell_len(title)] + [cell_len(row[key]) for row in rows])


def _longest_word(key: str, rows: list[dict[str, str]], floor: int) -> int:
    words = [word for row in rows for word in row[key].split()]
    return max([floor, *(len(word) for word in words)])


def _column_widths(
    rows: list[dict[str, str]], width: int
) -> tuple[dict[str, str], dict[str, int], int]:
    """Headers and widths of the table's columns, and the gap between them.

    When one line a row does not fit, the walked and flag columns are left out: their
    marks go under the routine and beside the time.
    """
    headers = dict(_HEADERS)
    widths = {key: _natural(title, key, rows) for key, title in headers.items()}
    widths["routine"] = min(widths["routine"], ROUTINE_MAX)
    natural_notes = widths.pop("notes")
    wide = sum(widths.values()) + GAP * len(widths) + MIN_NOTES <= width
    gap = GAP
    if not wide:
        # Two lines a row: the date over the time (and the flag), walked/planned under
        # the routine, status and change wrapped at spaces.
        walked = widths.pop("time")
        del widths["flag"]
        headers["effort"] = "eff"
        del headers["time"], headers["flag"]
        widths.update(
            date=10,
            routine=max(walked, min(widths["routine"], 12)),
            status=_longest_word("status", rows, 6),
            change=max(_longest_word("change", rows, 6), min(widths["change"], 8)),
            effort=_natural("eff", "effort", rows),
        )
        if width - sum(widths.values()) - gap * len(widths) < MIN_NOTES:
            gap = 1  # one space between columns rather than notes too narrow to read
    available = width - sum(widths.values()) - gap * len(widths)
    widths["notes"] = max(MIN_NOTES, min(available, natural_notes))
    return headers, widths, gap


def history_table(entries: Sequence[HistoryEntry], width: int = 80) -> RenderableType:
    """A Rich table of the entries, in the order given, laid out for `width` columns.

    When everything fits, one line per entry. Otherwise (80 columns is the usual case)
    the date and time stack, the walked/planned time goes under the routine, and status,
    change and notes wrap, so every column stays readable. User text stays literal.
    """

    rows = [table_cells(entry) for entry in entries]
    headers, widths, gap = _column_widths(rows, width)
    wide = "time" in headers
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        # A right pad and the (blank) column separator make the gap between columns.
        padding=(0, gap - 1, 0, 0),
        header_style="bold",
        expand=False,
    )
    for key, title in headers.items():
        table.add_column(
            Text(title),
            width=widths[key],
            justify="right" if key in _RIGHT else "center" if key in _CENTRE else "left",
            no_wrap=key in ("routine", "time", "effort", "flag"),
            overflow="ellipsis" if key == "routine" else "fold",
        )
    for entry, row in zip(entries, rows, strict=True):
        cells = {key: Text(row[key]) for key in headers}
        cells["routine"] = Text(one_line(row["routine"], widths["routine"]))
        if not entry.is_walk:
            cells["routine"].stylize("dim")
        elif not wide and row["time"]:
            cells["routine"].append("\n" + row["time"])
        # One line when the table is wide; when narrow the row is two lines tall anyway.
        notes_limit = widths["notes"] * (1 if wide else 2)
        cells["notes"] = Text(one_line(row["notes"], notes_limit))
        if entry.flagged:
            if wide:
                cells["flag"].stylize("bold red")
            else:
                cells["date"].append(f" {FLAG_MARK}", style="bold red")
        table.add_row(*cells.values())
    return table


def print_history(
    entries: Sequence[HistoryEntry],
    everything: Sequence[HistoryEntry],
    filtered: bool,
    target_minutes: float | None = None,
    recurrence: Recurrence | None = None,
) -> None:
    """The newest entries as a table, then the summary of `everything` (and the answers to
    the monthly recurrence question)."""
    console = Console(highlight=False)
    if not entries:
        if filtered:
            console.print("No walks or check-ins match these filters.", markup=False)
        else:
            console.print(
                "No walks or check-ins yet. Start one with: coach walk desk-break", markup=False
            )
            if recurrence is not None:
                console.print(EPISODES_LABEL + recurrence_words(recurrence), markup=False)
        return
    shown = entries[:TABLE_LIMIT]
    console.print(history_table(shown, console.width))
    if len(entries) > len(shown):
        console.print(
            f"… {len(entries) - len(shown):,} older not shown: narrow with --since/--until, "
            "or use --format csv",
            markup=False,
            style="dim",
        )
    if any(entry.meaningful or entry.flagged for entry in shown):
        console.print(MARKS_LEGEND, markup=False)
    summary = summarize_entries(everything, date.today(), target_minutes)
    lines = summary_lines(
        summary, any_walks=any(entry.is_walk for entry in everything), recurrence=recurrence
    )
    if lines:
        console.print()
    for line in lines:
        console.print(line, markup=False)
