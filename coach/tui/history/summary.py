"""The history's summary: walks and minutes, the last 30 days, back-pain episodes, flags."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from coach.core.recurrence import Recurrence
from coach.core.trends import Summary
from coach.core.wording import EPISODES_LABEL, summary_parts


class HistorySummary(Vertical):
    """Up to four lines over the filters; labels bold, the flagged line marked and styled."""

    def compose(self) -> ComposeResult:
        yield Static("Loading your history…", id="summary-walks", markup=False)
        yield Static("", id="summary-dose", markup=False)
        yield Static("", id="summary-pain", markup=False)
        yield Static("", id="summary-episodes", markup=False)
        yield Static("No flagged check-ins.", id="summary-flagged", markup=False)

    def show(self, summary: Summary, recurrence: Recurrence | None = None) -> None:
        lines = summary_parts(summary, recurrence=recurrence)
        by_label = {line[0][0]: line for line in lines}
        for name, label in (
            ("walks", "This week: "),
            ("dose", "Dose this week: "),
            ("pain", "Last 30 days: "),
            ("episodes", EPISODES_LABEL),
        ):
            line = self.query_one(f"#summary-{name}", Static)
            parts = by_label.get(label)
            if name != "walks":  # "Loading…" stays until there is something to say
                line.display = parts is not None
            if parts is not None:
                line.update(_bold_labels(parts))
        flagged_lines = by_label.get("")
        flagged = self.query_one("#summary-flagged", Static)
        flagged.update(
            Text("".join(v for _, v in flagged_lines)) if flagged_lines else "No flagged check-ins."
        )
        flagged.set_class(summary.flagged > 0, "flagged")


def _bold_labels(parts: list[tuple[str, str]]) -> Text:
    text = Text()
    for label, value in parts:
        text.append(label, style="bold")
        text.append(value)
    return text
