"""`coach routines list` as a table for people."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coach.core.routine.durations import format_clock
from coach.core.text import visible_text


def print_routines(rows: Sequence[dict[str, object]]) -> None:
    """Rows as `routines list --format json` gives them, as a table."""
    console = Console(highlight=False)
    if not rows:
        console.print("No routines found.")
        return
    table = Table(title="Routines", title_justify="left", expand=False)
    table.add_column("id", overflow="fold")
    table.add_column("name", overflow="fold")
    table.add_column("time", justify="right", overflow="fold")
    table.add_column("segments", justify="right", overflow="fold")
    table.add_column("source", overflow="fold")
    for row in rows:
        source = f"{row['source']}" + (" (shadows built-in)" if row["shadows_builtin"] else "")
        duration, segments = row["duration_seconds"], row["segments"]
        if row["valid"] and isinstance(duration, int):
            time = format_clock(duration)
            name = Text(visible_text(str(row["name"])))
            count = str(segments)
        else:
            time, count = "—", "—"
            name = Text(f"invalid: {row['errors']} error(s); coach routines validate", "red")
        table.add_row(Text(visible_text(str(row["id"]))), name, time, count, Text(source))
    console.print(table)
