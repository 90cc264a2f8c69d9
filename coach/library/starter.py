"""`coach routines new`: write a commented starter routine (or a copy) to the user's folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from coach.library.manage import (
    RoutineFileError,
    copy_routine,
    hides_builtin,
    new_routine_path,
    write_new,
)
from coach.library.routines import RoutineNotFound, find_routine

# The routine could not be created; the message says why in one line.
StarterError = RoutineFileError


@dataclass(frozen=True)
class CreatedRoutine:
    path: Path
    shadows_builtin: bool


STARTER = """\
# {id}.yaml: a coach walking routine (format version 1).
# Check it with `coach routines validate {path}`; see the README for every key.
version: 1
name: {title}
description: >
  What this walk is for, in a sentence or two.
tags: [mine]
cadence: 100                  # steps per minute for every segment unless it says otherwise
cues:                         # one list per stride phase; each cycles in order
  heel_strike:                # one cue per line: a comma inside [a, b] would split it
    - Land softly on your heel and roll through to the toes
    - Feel each heel strike as a light tap travelling up through legs and hips
  hip_rotation:
    - Let the hips turn gently with each step; belly soft, breath easy
  arm_swing:
    - Swing your arms opposite to your legs, elbows soft
  rotate_every: 30s           # how long each cue stays before the next
posture:                      # a prompt every `every`, counted from the start of the walk
  every: 2m
  cues:
    - Walk tall and easy, crown of the head reaching up
    - Shoulders low and relaxed, away from your ears
    - Legs ache or tingle when you stand tall? Ease forward, slow down,
      sit if needed, and tell a clinician   # a long cue may go on the next line
segments:
  - name: Warm-up
    duration: 3m              # 45s, 5m, 1m30s, 2:30, 1h5m or whole seconds
    cadence: 90
    intensity: easy           # easy | moderate | brisk
    note: Start slow and let the back loosen.
  - repeat: 2                 # these segments run twice, shown as "Steady (1/2)"
    segments:
      - name: Steady
        duration: 4m
        intensity: moderate
      - name: Easy
        duration: 2m
        cadence: 95
        intensity: easy
  - name: Cool-down
    duration: 3m
    cadence: 85
    intensity: easy
    at:                       # announcements inside the segment
      - before_end: 30s
        say: Thirty seconds left. Breathe out and slow down.
"""


def create_routine(name: str, from_routine: str | None = None) -> CreatedRoutine:
    """Create NAME.yaml in the user's routines folder; never overwrite a file."""
    path = new_routine_path(name)
    if from_routine is None:
        title = name.replace("-", " ").replace("_", " ").capitalize()
        if not isinstance(yaml.safe_load(title), str):
            # `Null`, `Yes` or `2024` would not read back as text.
            title = f'"{title}"'
        write_new(path, STARTER.format(id=name, path=path, title=title))
    else:
        try:
            source = find_routine(from_routine)
        except RoutineNotFound as exc:
            raise StarterError(str(exc)) from None
        path = copy_routine(source, name)
    return CreatedRoutine(path=path, shadows_builtin=hides_builtin(name))
