"""Baseline: a minimal Textual app that updates one Static 6 times a second.

The walk CPU bar compares coach walking at 120 spm (6 stride-phase changes a second)
against this, both on a pseudo-terminal over the same minute; the benchmark quits it
with ctrl+q, as it quits the walk with its own keys.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

RATE = 6  # updates a second


class TickerApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("tick 0", id="ticks")

    def on_mount(self) -> None:
        self.ticks = self.query_one("#ticks", Static)
        self.set_interval(1 / RATE, self.tick)

    def tick(self) -> None:
        self.count += 1
        self.ticks.update(f"tick {self.count}")


if __name__ == "__main__":
    TickerApp().run()
