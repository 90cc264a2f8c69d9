"""Small views of a routine for the home screen: its timeline bar, the intensity legend
and the cadence profile, each drawn for the width it has (again after a resize)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Sparkline

if TYPE_CHECKING:
    from coach.core.routine.outline import Outline

# A letter goes with each colour, so intensity never rests on colour alone. Keyed by the
# intensities' YAML names, so home can import this before the routine model is needed.
INTENSITY_MARK = {
    "easy": ("e", "black on #7fbf7f"),
    "moderate": ("m", "black on #e0c060"),
    "brisk": ("b", "black on #e07070"),
}
LEGEND_GAP = "  "


def timeline_bar(outline: Outline, width: int) -> Text:
    """Segments as proportional blocks of their intensity letter, in order."""
    width = max(width, 1)
    total = outline.total
    last = len(outline.ends) - 1
    text = Text()
    used = 0
    for index, (segment_end, intensity) in enumerate(
        zip(outline.ends, outline.intensities, strict=True)
    ):
        end = round(segment_end / total * width)
        cells = max(end - used, 1 if index == last else 0)
        if cells:
            letter, style = INTENSITY_MARK[intensity]
            text.append(letter * cells, style=style)
            used += cells
    return text


def intensity_legend(width: int | None = None) -> Text:
    """` e  easy   m  moderate   b  brisk`, on as many lines as `width` needs.

    An entry (its letter and its word) is never split across lines.
    """
    entries = []
    for intensity, (letter, style) in INTENSITY_MARK.items():
        entry = Text()
        entry.append(f" {letter} ", style=style)
        entry.append(f" {intensity}")
        entries.append(entry)
    text = Text()
    line_length = 0
    for entry in entries:
        too_long = width is not None and line_length + len(LEGEND_GAP) + len(entry) > width
        if line_length and too_long:
            text.append("\n")
            line_length = 0
        elif line_length:
            text.append(LEGEND_GAP)
            line_length += len(LEGEND_GAP)
        text.append_text(entry)
        line_length += len(entry)
    return text


def cadence_profile(outline: Outline, buckets: int) -> list[float]:
    """The cadence over the walk, sampled into `buckets` points (for a Sparkline)."""
    buckets = max(buckets, 1)
    samples = []
    for i in range(buckets):
        at = (i + 0.5) / buckets * outline.total
        samples.append(float(outline.cadences[outline.segment_index_at(at)]))
    return samples


class TimelineBar(Widget):
    """The timeline bar of one routine, as wide as the widget."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.outline: Outline | None = None

    def show(self, outline: Outline | None) -> None:
        self.outline = outline
        self.refresh()

    def render(self) -> Text:
        if self.outline is None:
            return Text()
        return timeline_bar(self.outline, self.content_size.width)


class IntensityLegend(Widget):
    """The letters' meaning, wrapped between entries when the line is too narrow."""

    def render(self) -> Text:
        return intensity_legend(self.content_size.width or None)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(intensity_legend(width).plain.splitlines()) or 1


class CadenceProfile(Sparkline):
    """The cadence over the walk, sampled again for the width after a resize."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__([], id=id)
        self.outline: Outline | None = None

    def show(self, outline: Outline | None) -> None:
        self.outline = outline
        self._sample()

    def on_resize(self) -> None:
        self._sample()

    def _sample(self) -> None:
        width = self.content_size.width
        outline = self.outline
        self.data = [] if outline is None or width <= 0 else cadence_profile(outline, width)
