"""Baseline: a minimal Textual app that updates one Static 6 times a second.

The walk CPU bar compares coach walking at 120 spm (6 stride-phase changes a second)
against this, for the same number of seconds, headless like the walk.
Usage: python baseline_ticker.py SECONDS
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static

SIZE = (80, 24)
RATE = 6  # updates a second


class TickerApp(App[None]):
    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("0", id="ticks")

    def on_mount(self) -> None:
        self.ticks = self.query_one("#ticks", Static)
        self.set_interval(1 / RATE, self.tick)
        self.set_timer(self.seconds, self.exit)

    def tick(self) -> None:
        self.count += 1
        self.ticks.update(f"tick {self.count}")


if __name__ == "__main__":
    TickerApp(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0).run(headless=True, size=SIZE)
