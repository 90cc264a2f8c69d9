"""The history as rows: the stable columns of `coach history`, as CSV, JSON or a table.

One place turns a stored history entry into what people and scripts read, so the CLI,
the exports and the app's history screen agree. Timestamps are stored in UTC; here they
become local time. Rich is imported only when a table is drawn.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from coach.checkin import Checkin, Where
from coach.store import HistoryEntry
from coach.text import visible_text
from coach.trends import Summary, summarize

if TYPE_CHECKING:
    from rich.console import RenderableType

# The columns of every export, in this order. Documented in the README; scripts rely
# on them, so add new ones at the end and never rename or reorder.
COLUMNS: tuple[str, ...] = (
    "type",
    "id",
    "date",
    "routine",
    "routine_name",
    "status",
    "walked_seconds",
    "planned_seconds",
    "pain_before",
    "pain_after",
    "stiffness_before",
    "stiffness_after",
    "pain_change",
    "meaningful",
    "change",
    "effort",
    "where",
    "flagged",
    "notes",
)

_RAW_IN_JSON = re.compile("[\x7f-\x9f]")

FLAG_MARK = "⚑"
MEANINGFUL_MARK = "*"
NOTES_IN_TABLE = 60

Row = dict[str, object]


def local_time(at: str) -> datetime:
    """A stored UTC ISO 8601 instant in the local time zone (aware)."""
    return datetime.fromisoformat(at).astimezone()


def local_iso(at: str) -> str:
    """A stored UTC instant as local ISO 8601 with its offset, to the second."""
    return local_time(at).isoformat(timespec="seconds")


def local_minute(at: str) -> str:
    """A stored UTC instant as local `YYYY-MM-DD HH:MM`, for people."""
    return local_time(at).strftime("%Y-%m-%d %H:%M")


def _seconds(value: float | None) -> int | None:
    # Whole seconds, cut like the clocks on screen (2.9 s walked shows as 0:02).
    return None if value is None else int(value)


_WHERE_KEYS = tuple((where, where.key) for where in Where)


def _places(*checkins: Checkin | None) -> list[str]:
    """The places ticked at any of the check-ins, as keys, in the scale's order."""
    ticked = {where for c in checkins if c is not None for where in c.where}
    return [key for where, key in _WHERE_KEYS if where in ticked] if ticked else []


def history_row(entry: HistoryEntry) -> Row:
    """One entry as the stable columns; None where there is no value.

    A lone check-in's reading goes in the `_after` columns (the state of the back at
    that moment), like the check-in after a walk.
    """
    before, after = entry.before, entry.after
    return {
        "type": "walk" if entry.is_walk else "checkin",
        "id": entry.walk_id if entry.is_walk else entry.checkin_id,
        "date": local_iso(entry.at),
        "routine": entry.routine_id,
        "routine_name": entry.routine_name,
        "status": entry.status.label if entry.status is not None else None,
        "walked_seconds": _seconds(entry.walked_seconds),
        "planned_seconds": entry.planned_seconds,
        "pain_before": before.pain if before else None,
        "pain_after": after.pain if after else None,
        "stiffness_before": before.stiffness if before else None,
        "stiffness_after": after.stiffness if after else None,
        "pain_change": entry.pain_change,
        "meaningful": entry.meaningful,
        "change": after.change.label if after and after.change is not None else None,
        "effort": after.effort if after else None,
        "where": _places(before, after),
        "flagged": entry.flagged,
        "notes": entry.notes,
    }


def history_rows(entries: Iterable[HistoryEntry]) -> list[Row]:
    return [history_row(entry) for entry in entries]


def to_json(entries: Iterable[HistoryEntry]) -> str:
    """A JSON list of objects with the stable columns (null when missing), one a line.

    One object a line keeps it readable and lets json use its C encoder, which it
    does not for indented output: 20,000 walks take a tenth of the time.
    """
    rows = [json.dumps(row, ensure_ascii=False) for row in history_rows(entries)]
    # json leaves DEL and the C1 controls raw (JSON allows them); escaped, U+009B (CSI)
    # cannot reach a terminal, and the text reads back the same.
    out = "[\n" + ",\n".join(rows) + "\n]" if rows else "[]"
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return str(value)


def to_csv(entries: Iterable[HistoryEntry]) -> str:
    """A header row, then one row per entry; empty cells where there is no value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in history_rows(entries):
        writer.writerow([_csv_value(row[column]) for column in COLUMNS])
    # Only user text can hold control characters; CSV's own syntax uses none of them.
    return visible_text(out.getvalue())


# -- for people ------------------------------------------------------------------------


def before_after(before: int | None, after: int | None, lone: bool = False) -> str:
    """`3→1`; a lone reading alone (`3`); a dash for a missing side."""
    if lone:
        return "" if after is None else str(after)
    if before is None and after is None:
        return ""
    return f"{'–' if before is None else before}→{'–' if after is None else after}"


def walked_of_planned(entry: HistoryEntry) -> str:
    from coach.routine.durations import format_clock

    if entry.walked_seconds is None or entry.planned_seconds is None:
        return ""
    return f"{format_clock(entry.walked_seconds)}/{format_clock(entry.planned_seconds)}"


def one_line(text: str, limit: int) -> str:
    """Text on one line (line breaks and tabs become spaces), cut to `limit` with `…`.

    Control characters show as symbols (see `visible_text`).
    """
    flat = visible_text(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def table_cells(entry: HistoryEntry) -> dict[str, str]:
    """The table's cells for one entry, as plain text (never markup)."""
    lone = not entry.is_walk
    before, after = entry.before, entry.after
    change = after.change.label if after and after.change is not None else ""
    pain = before_after(before.pain if before else None, after.pain if after else None, lone)
    return {
        "date": local_minute(entry.at),
        "routine": "check-in" if lone else visible_text(entry.routine_id or ""),
        "time": walked_of_planned(entry),
        "status": entry.status.label if entry.status is not None else "",
        "pain": f"{pain}{MEANINGFUL_MARK}" if entry.meaningful else pain,
        "stiffness": before_after(
            before.stiffness if before else None, after.stiffness if after else None, lone
        ),
        "change": change,
        "effort": "" if after is None or after.effort is None else str(after.effort),
        "flag": FLAG_MARK if entry.flagged else "",
        "notes": one_line(entry.notes, NOTES_IN_TABLE),
    }


def summarize_entries(entries: Sequence[HistoryEntry], today: date) -> Summary:
    """The headline figures of these entries (walks only; flagged check-ins counted)."""
    outcomes = [o for o in (entry.outcome() for entry in entries) if o is not None]
    flagged = sum(
        1
        for entry in entries
        for checkin in (entry.before, entry.after)
        if checkin is not None and checkin.flagged
    )
    return summarize(outcomes, today, flagged)


def _count(count: int, thing: str) -> str:
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def summary_lines(summary: Summary, any_walks: bool = True) -> list[str]:
    """The summary in a few short lines of plain text (only the flags if no walks)."""
    week, month = summary.this_week, summary.last_four_weeks
    lines = []
    if any_walks:
        lines.append(
            f"This week: {_count(week.walks, 'walk')}, {week.minutes:.0f} min · "
            f"last 4 weeks: {_count(month.walks, 'walk')}, {month.minutes:.0f} min · "
            f"streak: {_count(summary.streak_days, 'day')}"
        )
    recent = []
    if summary.average_pain_change_30d is not None:
        recent.append(f"average pain change {summary.average_pain_change_30d:+.1f}")
    if summary.relief_share_30d is not None:
        recent.append(f"meaningful relief after {summary.relief_share_30d:.0%} of rated walks")
    if recent:
        lines.append("Last 30 days: " + " · ".join(recent))
    if summary.flagged:
        lines.append(
            f"{FLAG_MARK} {_count(summary.flagged, 'check-in')} with warning signs: "
            "these can need urgent medical care"
        )
    return lines


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
    from rich.cells import cell_len

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
    from rich import box
    from rich.table import Table
    from rich.text import Text

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
