"""`coach routines show`: a routine's timeline as a Rich table, user text kept literal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coach.core.routine import Routine, Timeline
from coach.core.routine.durations import format_clock, format_duration
from coach.library.routines import Origin, RoutineEntry


def render_timeline(routine: Routine, timeline: Timeline, entry: RoutineEntry) -> None:
    console = Console(highlight=False)
    source = {
        Origin.BUILT_IN: "built-in",
        Origin.MINE: "mine, shadows a built-in" if entry.shadows_builtin else "mine",
        Origin.FILE: "file",
    }[entry.origin]
    heading = Text()
    heading.append(routine.name, style="bold")
    heading.append(f"  ({routine.id}, {source}: {entry.path})", style="dim")
    console.print(heading)
    if routine.description:
        console.print(Text(" ".join(routine.description.split())))
    if routine.tags:
        console.print(Text("tags: " + ", ".join(routine.tags), style="dim"))

    table = Table(show_footer=True, expand=False)
    table.add_column("#", justify="right", footer="")
    table.add_column("start", justify="right", footer="")
    table.add_column(
        "segment", footer=Text("total", style="bold"), overflow="fold", ratio=1, min_width=20
    )
    table.add_column("time", justify="right", footer=Text(format_clock(timeline.total), "bold"))
    table.add_column("spm", justify="right", footer="")
    table.add_column("intensity", footer="")
    table.add_column("posture", footer="")
    for segment in timeline.segments:
        cell = Text(segment.label, style="bold")
        # A repeated segment's note is written once; show it on its first pass only.
        if segment.note and all(r.iteration == 1 for r in segment.repeat):
            cell.append("\n" + " ".join(segment.note.split()), style="italic")
        for announcement in segment.announcements:
            cell.append(f"\n{format_clock(announcement.at)} ", style="dim")
            cell.append(f"say: {announcement.say}")
        posture = format_duration(segment.posture.every) if segment.posture else "off"
        table.add_row(
            str(segment.index + 1),
            format_clock(segment.start),
            cell,
            format_clock(segment.duration),
            str(segment.cadence),
            segment.intensity.value,
            posture,
        )
    console.print(table)
    steps = round(sum(s.duration * s.cadence / 60 for s in timeline.segments))
    console.print(
        f"{len(timeline.segments)} segments · {format_clock(timeline.total)} · "
        f"about {steps:,} steps · {len(timeline.posture_prompts)} posture prompts · "
        f"{len(timeline.announcements)} announcements"
    )
