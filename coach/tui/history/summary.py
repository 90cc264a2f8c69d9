"""The history's summary: walks and minutes, the last 30 days, flagged check-ins."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from coach.core.trends import Summary
from coach.core.wording import summary_parts


class HistorySummary(Vertical):
    """Four lines over the filters; labels bold, the flagged line marked and styled."""

    def compose(self) -> ComposeResult:
        yield Static("Loading your history…", id="summary-walks", markup=False)
        yield Static("", id="summary-dose", markup=False)
        yield Static("", id="summary-pain", markup=False)
        yield Static("No flagged check-ins.", id="summary-flagged", markup=False)

    def show(self, summary: Summary) -> None:
        lines = summary_parts(summary)
        names = ("walks", "dose", "pain") if summary.dose is not None else ("walks", "pain")
        self.query_one("#summary-dose", Static).display = summary.dose is not None
        shown = [self.query_one(f"#summary-{name}", Static) for name in names]
        for static, parts in zip(shown, lines[: len(names)], strict=False):
            text = Text()
            for label, value in parts:
                text.append(label, style="bold")
                text.append(value)
            static.update(text)
        flagged = self.query_one("#summary-flagged", Static)
        flagged.update(
            Text("".join(v for _, v in lines[len(names)]))
            if len(lines) > len(names)
            else "No flagged check-ins."
        )
        flagged.set_class(summary.flagged > 0, "flagged")
