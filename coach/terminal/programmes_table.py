"""`coach programmes list` and `show` as tables for people, user text kept literal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coach.core.programme import Programme
from coach.core.progression import planned_minutes
from coach.core.text import visible_text
from coach.library.programmes import ProgrammeEntry
from coach.library.routines import Origin


def print_programmes(rows: Sequence[dict[str, object]]) -> None:
    """Rows as `programmes list --format json` gives them, as a table."""
    console = Console(highlight=False)
    if not rows:
        console.print("No programmes found.")
        return
    table = Table(title="Programmes", title_justify="left", expand=False)
    table.add_column("id", overflow="fold")
    table.add_column("name", overflow="fold")
    table.add_column("weeks", justify="right")
    table.add_column("source", overflow="fold")
    for row in rows:
        source = f"{row['source']}" + (" (shadows built-in)" if row["shadows_builtin"] else "")
        if row["valid"]:
            name = Text(visible_text(str(row["name"])))
            weeks = str(row["weeks"])
        else:
            weeks = "—"
            name = Text(f"invalid: {row['errors']} error(s); coach programmes validate", "red")
        table.add_row(Text(visible_text(str(row["id"]))), name, weeks, Text(source))
    console.print(table)


def render_programme(
    programme: Programme, entry: ProgrammeEntry, routine_minutes: Mapping[str, float]
) -> None:
    """The programme week by week: sessions, per day, minutes or routines, notes."""
    console = Console(highlight=False)
    source = {
        Origin.BUILT_IN: "built-in",
        Origin.MINE: "mine, shadows a built-in" if entry.shadows_builtin else "mine",
        Origin.FILE: "file",
    }[entry.origin]
    heading = Text()
    heading.append(programme.name, style="bold")
    heading.append(f"  ({programme.id}, {source}: {entry.path})", style="dim")
    console.print(heading)
    if programme.description:
        console.print(Text(" ".join(programme.description.split())))
    if programme.tags:
        console.print(Text("tags: " + ", ".join(programme.tags), style="dim"))
    flare = programme.progression
    console.print(
        Text(
            f"After a flare ({flare.flare_walks} walks in a week with a meaningful rise in "
            "pain, or any warning sign): "
            + ("step back a week" if flare.on_flare.value == "step_back" else "hold the week"),
            style="dim",
        )
    )
    table = Table(expand=False)
    table.add_column("week", justify="right")
    table.add_column("sessions", justify="right")
    table.add_column("a day", justify="right")
    table.add_column("each", overflow="fold")
    table.add_column("min/week", justify="right")
    table.add_column("note", overflow="fold", ratio=1, min_width=16)
    for number, week in enumerate(programme.weeks, start=1):
        each = f"{week.minutes} min" if week.minutes is not None else ", ".join(week.routines)
        total = planned_minutes(week, routine_minutes)
        table.add_row(
            str(number),
            str(week.sessions),
            str(week.per_day),
            Text(each),
            "?" if total is None else f"{total:.0f}",
            Text(" ".join(week.note.split()) if week.note else ""),
        )
    console.print(table)
