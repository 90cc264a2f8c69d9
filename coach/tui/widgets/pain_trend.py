"""Pain after each recent walk as bars on the 0–10 scale (Textual's Sparkline would
stretch them between the lowest and the highest value shown, so 4 → 3 looked like a
fall from the top to nothing)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

BARS = " ▁▂▃▄▅▆▇█"
STEPS = len(BARS) - 1  # eighths of a row
ROWS = 3  # the scale's 0–10 in 24 steps
SCALE_MAX = 10
BAR_CELLS = 3  # widest bar; a space between bars when there is room


def pain_bars(pains: list[int], width: int) -> Text:
    """One bar per walk (the newest last), 0 at the bottom and 10 at the top."""
    if not pains or width <= 0:
        return Text()
    shown = pains[-width:]
    room = width // len(shown)
    cells, gap = (min(BAR_CELLS, room - 1), " ") if room >= 3 else (1, "")
    levels = [round(p / SCALE_MAX * ROWS * STEPS) for p in shown]
    lines = []
    for row in reversed(range(ROWS)):
        bars = []
        for level in levels:
            part = min(max(level - row * STEPS, 0), STEPS)
            # Pain 0 still shows the walk was rated: a floor on the bottom row.
            bars.append((BARS[part] if part or row else "_") * cells)
        lines.append(gap.join(bars).rstrip())
    return Text("\n".join(lines))


class PainTrend(Widget):
    """The pain after each of the last walks, drawn for the widget's width."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pains: list[int] = []

    def show(self, pains: list[int]) -> None:
        self.pains = pains
        self.refresh()

    def render(self) -> Text:
        return pain_bars(self.pains, self.content_size.width)
