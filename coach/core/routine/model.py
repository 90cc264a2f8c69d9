"""The routine as a typed value: what a YAML file means once it has been validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Intensity(Enum):
    """How hard a segment is meant to feel."""

    EASY = "easy"
    MODERATE = "moderate"
    BRISK = "brisk"


class StridePhase(Enum):
    """The three phases every step passes through, in this order."""

    HEEL_STRIKE = "heel_strike"
    HIP_ROTATION = "hip_rotation"
    ARM_SWING = "arm_swing"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


PHASES: tuple[StridePhase, ...] = tuple(StridePhase)

# Steps per minute: what a routine (and `+`/`-` during a walk) may set, and outside
# which a cadence is unusual enough to warn about (a shuffle, or a jog).
CADENCE_MIN, CADENCE_MAX = 40, 180
CADENCE_USUAL_MIN, CADENCE_USUAL_MAX = 60, 140
DEFAULT_ROTATE_EVERY = 30
DEFAULT_POSTURE_EVERY = 120
DEFAULT_INTENSITY = Intensity.MODERATE

# Used for any phase a routine gives no cues for: they teach the same biomechanics
# as the built-in routines, so a minimal routine still coaches every step.
DEFAULT_CUES: dict[StridePhase, tuple[str, ...]] = {
    StridePhase.HEEL_STRIKE: (
        "Land softly on your heel and roll through to the toes",
        "Feel each heel strike as a light tap travelling up through legs and hips",
    ),
    StridePhase.HIP_ROTATION: (
        "Let the hips turn gently with each step; belly soft, breath easy",
        "Small, easy hip turns often help a stiff lower back feel looser",
    ),
    StridePhase.ARM_SWING: (
        "Swing your arms opposite to your legs, elbows soft",
        "Relaxed hands, shoulders down: let the arms swing freely with your stride",
    ),
}


@dataclass(frozen=True)
class CueSet:
    """Per-phase cue lists as written at one level (routine or segment); None = inherit."""

    lists: dict[StridePhase, tuple[str, ...]] = field(default_factory=dict)
    rotate_every: int | None = None


@dataclass(frozen=True)
class Posture:
    """Periodic posture prompts: one cue every `every` seconds, cycling through `cues`."""

    every: int
    cues: tuple[str, ...]


@dataclass(frozen=True)
class PostureOverride:
    """A segment's own posture settings; missing fields come from the routine."""

    every: int | None = None
    cues: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Announcement:
    """Something to say at an offset inside a segment, from its start or before its end."""

    say: str
    after: int | None = None
    before_end: int | None = None

    def offset_in(self, duration: int) -> int:
        """Seconds from the segment's start at which this is said."""
        if self.after is not None:
            return self.after
        assert self.before_end is not None
        return duration - self.before_end


@dataclass(frozen=True)
class Segment:
    """One stretch of walking at a steady cadence, as written (before repeats are expanded)."""

    name: str
    duration: int
    cadence: int | None = None
    intensity: Intensity = DEFAULT_INTENSITY
    note: str | None = None
    cues: CueSet = field(default_factory=CueSet)
    # None: inherit the routine's; False: prompts off; PostureOverride: its own.
    posture: PostureOverride | bool | None = None
    at: tuple[Announcement, ...] = ()


@dataclass(frozen=True)
class RepeatBlock:
    """Segments that run `times` times in order."""

    times: int
    segments: tuple[Segment | RepeatBlock, ...]


@dataclass(frozen=True)
class Routine:
    """A whole validated routine file."""

    id: str
    name: str
    segments: tuple[Segment | RepeatBlock, ...]
    cadence: int | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    cues: CueSet = field(default_factory=CueSet)
    posture: Posture | None = None
