"""Baseline: a minimal Textual app (Header, Static, Footer), run as any Textual app runs.

The benchmark starts it on a pseudo-terminal exactly as it starts coach and times it
from spawn until its Static's text and its footer's key have arrived; then quits it
with Textual's own quit key (ctrl+q). Nothing in it knows it is being measured.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

TEXT = "Hello from a minimal Textual app"


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(TEXT)
        yield Footer()


if __name__ == "__main__":
    MinimalApp().run()
