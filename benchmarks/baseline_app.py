"""Baseline: a minimal Textual app (Header, Static, Footer) that exits at its first frame.

Run headless, exactly as `coach_app.py home` runs coach, so the two are comparable.
Usage: python baseline_app.py [RESULT] — RESULT gets the first frame's time.monotonic()
(a system-wide clock on Linux, so the runner can subtract the moment it spawned us).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

SIZE = (80, 24)


class MinimalApp(App[None]):
    def __init__(self, result: Path | None = None) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello from a minimal Textual app")
        yield Footer()

    def on_mount(self) -> None:
        # The same hook coach_app.py puts on coach's home screen.
        self.call_after_refresh(self.first_frame)

    def first_frame(self) -> None:
        if self.result is not None:
            self.result.write_text(json.dumps({"first_frame": time.monotonic()}))
        self.exit()


if __name__ == "__main__":
    MinimalApp(Path(sys.argv[1]) if len(sys.argv) > 1 else None).run(headless=True, size=SIZE)
