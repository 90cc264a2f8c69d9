"""The end of a walk: what was walked, before the check-in; the pain change after it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.core.routine.durations import format_clock
from coach.core.summary import WalkSummary
from coach.tui import block_font
from coach.tui.widgets.keys_help import ListsItsKeys

# The time walked in large digits too, when the terminal has the rows for them.
BIG_DIGITS_FROM_ROWS = 30


class SummaryScreen(ListsItsKeys, Screen[None]):
    """One walk's summary; Enter (or Escape) goes on: to the check-in, or out."""

    CSS_PATH = ["summary.tcss", "../widgets/keys_help.tcss"]

    # One key, named for where it leads (see check_action).
    BINDINGS = [
        Binding("enter,escape", "go_on", "Check in", tooltip="Go on to the check-in"),
        Binding("enter,escape", "close", "Continue", tooltip="Close the summary"),
        Binding("question_mark", "app.toggle_help", "Keys", show=False, tooltip="These keys"),
    ]

    def __init__(self, summary: WalkSummary, checkin_next: bool = False) -> None:
        super().__init__()
        self.summary = summary
        self.checkin_next = checkin_next

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary"):  # scrolls when a narrow view (keys panel open) cuts it
            yield Static(self.summary.title, id="summary-title", markup=False)
            walked = format_clock(self.summary.walked_seconds)
            yield Static(
                "\n".join(block_font.block_rows(walked, 2)) + "  walked",
                id="summary-big",
                markup=False,
            )
            yield Static(self._figures(), id="summary-figures")
            then = "the check-in" if self.checkin_next else "continue"
            yield Static(f"Enter: {then}", id="summary-next", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def show_summary(self, summary: WalkSummary) -> None:
        """Show the summary as it now stands (the walk saved, the week counted)."""
        self.summary = summary
        # Not on one already dismissed (Enter pressed while the walk was being saved): its
        # rows are being taken down.
        if self.is_mounted and self in self.app.screen_stack:
            self._show()

    def on_mount(self) -> None:
        self._show()  # a summary that came while the screen was being put together

    def _show(self) -> None:
        self.query_one("#summary-title", Static).update(self.summary.title)
        self.query_one("#summary-figures", Static).update(self._figures())

    def on_resize(self) -> None:
        self.set_class(self.size.height >= BIG_DIGITS_FROM_ROWS, "-roomy")

    def _figures(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        mark = self.summary.pain_mark
        for label, value in self.summary.parts():
            style = mark.style if label == "Pain" and mark is not None else ""
            table.add_row(Text(label), Text(value, style=style))  # user text: plain
        return table

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_on":
            return self.checkin_next
        if action == "close":
            return not self.checkin_next
        return True

    def action_go_on(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
