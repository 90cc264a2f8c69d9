"""Baseline: a minimal Textual app (Header, Static, Footer) that exits at its first frame.

Run headless, exactly as `coach_app.py home` runs coach, so the two are comparable.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

SIZE = (80, 24)


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello from a minimal Textual app")
        yield Footer()

    def on_mount(self) -> None:
        # The same hook coach_app.py puts on coach's home screen.
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    MinimalApp().run(headless=True, size=SIZE)
