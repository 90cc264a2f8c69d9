"""Small views of a routine for the home screen: its timeline bar and cadence profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from coach.core.routine import Timeline

# A letter goes with each colour, so intensity never rests on colour alone. Keyed by the
# intensities' YAML names, so home can import this before the routine model is needed.
INTENSITY_MARK = {
    "easy": ("e", "black on #7fbf7f"),
    "moderate": ("m", "black on #e0c060"),
    "brisk": ("b", "black on #e07070"),
}


def timeline_bar(timeline: Timeline, width: int) -> Text:
    """Segments as proportional blocks of their intensity letter, in order."""
    width = max(width, 1)
    total = timeline.total
    text = Text()
    used = 0
    for index, segment in enumerate(timeline.segments):
        end = round(segment.end / total * width)
        cells = max(end - used, 1 if index == len(timeline.segments) - 1 else 0)
        if cells:
            letter, style = INTENSITY_MARK[segment.intensity.value]
            text.append(letter * cells, style=style)
            used += cells
    return text


def intensity_legend() -> Text:
    text = Text()
    for intensity, (letter, style) in INTENSITY_MARK.items():
        if text:
            text.append("  ")
        text.append(f" {letter} ", style=style)
        text.append(f" {intensity}")
    return text


def cadence_profile(timeline: Timeline, buckets: int) -> list[float]:
    """The cadence over the walk, sampled into `buckets` points (for a Sparkline)."""
    buckets = max(buckets, 1)
    samples = []
    for i in range(buckets):
        at = (i + 0.5) / buckets * timeline.total
        samples.append(float(timeline.segments[timeline.segment_index_at(at)].cadence))
    return samples
