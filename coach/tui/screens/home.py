"""Home: the routines, and Enter to walk one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from coach.routine import Origin, RoutineEntry, compile_timeline, list_routines, load_file
from coach.routine.durations import format_clock


class HomeScreen(Screen[None]):
    """Lists every routine; Enter starts the highlighted one."""

    BINDINGS = [
        Binding("enter", "walk", "Walk", show=True),
        Binding("q", "app.quit", "Quit"),
        Binding("question_mark", "app.show_help_panel", "Help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[RoutineEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            yield OptionList(id="routines")
            with Vertical(id="details-pane"):
                yield Static("", id="details", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "coach"
        self.sub_title = "walk tall, ease your back"
        self.entries = list_routines()
        options = []
        for entry in self.entries:
            label = Text(entry.id)
            if entry.origin is Origin.MINE:
                label.append(
                    "  mine" + (", shadows built-in" if entry.shadows_builtin else ""), style="dim"
                )
            options.append(Option(label, id=entry.id))
        routines = self.query_one("#routines", OptionList)
        routines.add_options(options)
        if options:
            routines.highlighted = 0
        routines.focus()

    @on(OptionList.OptionHighlighted, "#routines")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entries[event.option_index]
        result = load_file(entry.path)
        details = self.query_one("#details", Static)
        if result.routine is None:
            details.update(
                Text(f"{entry.id} has errors:\n" + "\n".join(result.report()), style="red")
            )
            return
        routine = result.routine
        timeline = compile_timeline(routine)
        text = Text()
        text.append(routine.name + "\n", style="bold")
        text.append(f"{format_clock(timeline.total)} · {len(timeline.segments)} segments\n\n")
        if routine.description:
            text.append(" ".join(routine.description.split()) + "\n\n")
        for segment in timeline.segments:
            text.append(
                f"{format_clock(segment.start):>6}  {segment.label} · {segment.cadence} spm "
                f"· {segment.intensity.value}\n"
            )
        details.update(text)

    @on(OptionList.OptionSelected, "#routines")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_walk()

    def action_walk(self) -> None:
        routines = self.query_one("#routines", OptionList)
        if routines.highlighted is None or not self.entries:
            return
        self.app.start_walk(self.entries[routines.highlighted])  # type: ignore[attr-defined]
