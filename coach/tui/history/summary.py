"""The history's summary: walks and minutes, the last 30 days, flagged check-ins."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from coach.core.trends import Summary
from coach.core.wording import summary_parts


class HistorySummary(Vertical):
    """Three lines over the filters; labels bold, the flagged line marked and styled."""

    def compose(self) -> ComposeResult:
        yield Static("Loading your history…", id="summary-walks", markup=False)
        yield Static("", id="summary-pain", markup=False)
        yield Static("No flagged check-ins.", id="summary-flagged", markup=False)

    def show(self, summary: Summary) -> None:
        lines = summary_parts(summary)
        shown = [self.query_one(f"#summary-{name}", Static) for name in ("walks", "pain")]
        for static, parts in zip(shown, lines[:2], strict=False):
            text = Text()
            for label, value in parts:
                text.append(label, style="bold")
                text.append(value)
            static.update(text)
        flagged = self.query_one("#summary-flagged", Static)
        flagged.update(
            Text("".join(v for _, v in lines[2])) if len(lines) > 2 else "No flagged check-ins."
        )
        flagged.set_class(summary.flagged > 0, "flagged")
