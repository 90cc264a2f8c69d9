"""Simulate the longest routine (6 h) through the engine: time it and check for drift.

Prints one JSON object. The walk is followed as the walk screen follows it: from
position 0, `next_change_after` gives the next visible change and `state_at` builds what
would be shown there, to the end. Zero drift means every planned beat, every segment
boundary and the end are positions the walk lands on exactly (float equality).
"""

from __future__ import annotations

import bisect
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data

from coach.core.engine import beat_times, next_change_after, state_at
from coach.core.routine import compile_timeline, load_text
from coach.core.routine.model import StridePhase


def engine_six_hours() -> dict[str, Any]:
    """Follow next_change_after from 0 to the end of a 6-hour routine, building each state."""
    loaded = load_text(data.six_hour_routine(), "six-hours")
    if loaded.routine is None:
        raise RuntimeError("\n".join(loaded.report()))
    timeline = compile_timeline(loaded.routine)
    positions: list[float] = []
    states = 0
    began = time.perf_counter()
    position = 0.0
    while True:
        state = state_at(timeline, position)
        states += 1
        positions.append(position)
        if state.finished:
            break
        position = next_change_after(timeline, position)
    seconds = time.perf_counter() - began

    # Zero drift: every planned beat and segment boundary is a visited position, exactly.
    visited = sorted(set(positions))

    def miss(at: float) -> float:
        i = bisect.bisect_left(visited, at)
        near = [visited[j] for j in (i - 1, i) if 0 <= j < len(visited)]
        return min(abs(v - at) for v in near)

    beat_misses = []
    wrong_beats = 0
    for segment in timeline.segments:
        for number, at in enumerate(beat_times(timeline, segment.index)):
            beat_misses.append(miss(at))
            shown = state_at(timeline, at)
            if shown.phase is not StridePhase.HEEL_STRIKE or shown.step != (
                segment.steps_before + number
            ):
                wrong_beats += 1
    boundary_misses = [miss(float(s.start)) for s in timeline.segments]
    last_segment = timeline.segments[-1]
    last_beat = beat_times(timeline, last_segment.index)[-1]
    return {
        "seconds": seconds,
        "states": states,
        "routine_seconds": timeline.total,
        "segments": len(timeline.segments),
        "beats": len(beat_misses),
        "max_beat_drift_s": max(beat_misses),
        "max_boundary_drift_s": max(boundary_misses),
        "wrong_beat_states": wrong_beats,
        "final_boundary_drift_s": miss(float(last_segment.start)),
        "end_drift_s": abs(positions[-1] - timeline.total),
        "last_beat_drift_s": miss(last_beat),
    }


if __name__ == "__main__":
    print(json.dumps(engine_six_hours()))
