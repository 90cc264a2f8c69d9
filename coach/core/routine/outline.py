"""A routine's outline: what home shows of it (its name, its words, the shape of its
timeline), in plain values that can be kept and read back without the routine's file.

Home draws the highlighted routine at start. Reading the file means PyYAML, the
validator and the compiler, about a tenth of start-up; an outline kept from an earlier
start (`coach.library.outlines`) draws the same details without them.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.core.text import CONTROLS

if TYPE_CHECKING:
    from coach.core.routine.model import Routine
    from coach.core.routine.timeline import Timeline

# The intensities' YAML names, the only values an outline's intensities may take.
INTENSITIES = ("easy", "moderate", "brisk")


@dataclass(frozen=True)
class Outline:
    """A routine as home shows it: segments by their end (whole seconds from the start),
    intensity (its YAML name) and cadence."""

    name: str
    description: str  # on one line, spaces as written collapsed; "" if none
    tags: tuple[str, ...]
    ends: tuple[int, ...]
    intensities: tuple[str, ...]
    cadences: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.ends[-1]

    def segment_index_at(self, elapsed: float) -> int:
        """Index of the segment running at `elapsed` (clamped to the first and last), as
        `Timeline.segment_index_at`."""
        index = bisect_right(self.ends, elapsed)
        return min(index, len(self.ends) - 1)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "description": self.description,
            "tags": list(self.tags),
            "ends": list(self.ends),
            "intensities": list(self.intensities),
            "cadences": list(self.cadences),
        }

    @classmethod
    def from_json(cls, data: object) -> Outline | None:
        """The outline `to_json` gave, or None for anything else (a damaged file)."""
        if not isinstance(data, dict):
            return None
        name, description = data.get("name"), data.get("description")
        tags, ends = data.get("tags"), data.get("ends")
        intensities, cadences = data.get("intensities"), data.get("cadences")
        if not (
            isinstance(name, str)
            and isinstance(description, str)
            and _all(tags, str)
            and _all(ends, int)
            and _all(intensities, str)
            and _all(cadences, int)
        ):
            return None
        assert isinstance(tags, list) and isinstance(ends, list)
        assert isinstance(intensities, list) and isinstance(cadences, list)
        count = len(ends)
        if not count or len(intensities) != count or len(cadences) != count:
            return None
        if any(b <= a for a, b in zip([0, *ends], ends, strict=False)):
            return None  # segments last at least a second, one after another
        if not set(intensities) <= set(INTENSITIES) or min(cadences) <= 0:
            return None
        if any(CONTROLS.search(text) for text in (name, description, *tags)):
            return None  # a routine's text never holds them (the validator refuses them)
        return cls(name, description, tuple(tags), tuple(ends), tuple(intensities), tuple(cadences))


def _all(values: object, kind: type) -> bool:
    # bool is an int in Python; no field of an outline is a bool.
    return isinstance(values, list) and all(
        isinstance(v, kind) and not isinstance(v, bool) for v in values
    )


def outline_of(routine: Routine, timeline: Timeline) -> Outline:
    """The outline of a valid routine, from it and its compiled timeline."""
    segments = timeline.segments
    return Outline(
        name=routine.name,
        description=" ".join((routine.description or "").split()),
        tags=tuple(routine.tags),
        ends=tuple(s.end for s in segments),
        intensities=tuple(s.intensity.value for s in segments),
        cadences=tuple(s.cadence for s in segments),
    )
