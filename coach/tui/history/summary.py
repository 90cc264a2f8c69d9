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
        yield Static("", id="summary-pain", markup=False)
        yield Static("", id="summary-episodes", markup=False, classes="hidden")
        yield Static("No flagged check-ins.", id="summary-flagged", markup=False)

    def show(self, summary: Summary, recurrence: Recurrence | None = None) -> None:
        lines = summary_parts(summary, recurrence=recurrence)
        episodes = [line for line in lines if line[0][0] == EPISODES_LABEL]
        flagged_lines = [line for line in lines if line[0][0] == ""]
        shown = [self.query_one(f"#summary-{name}", Static) for name in ("walks", "pain")]
        for static, parts in zip(shown, lines[:2], strict=False):
            static.update(_bold_labels(parts))
        episode_line = self.query_one("#summary-episodes", Static)
        episode_line.update(_bold_labels(episodes[0]) if episodes else "")
        episode_line.set_class(not episodes, "hidden")
        flagged = self.query_one("#summary-flagged", Static)
        flagged.update(
            Text("".join(v for _, v in flagged_lines[0]))
            if flagged_lines
            else "No flagged check-ins."
        )
        flagged.set_class(summary.flagged > 0, "flagged")


def _bold_labels(parts: list[tuple[str, str]]) -> Text:
    text = Text()
    for label, value in parts:
        text.append(label, style="bold")
        text.append(value)
    return text
