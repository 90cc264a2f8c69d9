"""Compilation of a routine to a flat timeline: the input of the walk engine.

Repeats are expanded, every segment gets absolute start and end seconds, its effective
cadence, cue lists and posture settings, and announcements and posture prompts get
absolute offsets from the start of the walk.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

from coach.core.routine.model import (
    DEFAULT_CUES,
    DEFAULT_POSTURE_EVERY,
    DEFAULT_ROTATE_EVERY,
    PHASES,
    Intensity,
    Posture,
    PostureOverride,
    RepeatBlock,
    Routine,
    Segment,
    StridePhase,
)


@dataclass(frozen=True)
class CueRotation:
    """One phase's cue list, each cue showing for `every` seconds, counted from `anchor`.

    Cues inherited from the routine keep rotating across the whole walk (anchor 0); a
    segment's own list starts at its first cue when the segment starts.
    """

    cues: tuple[str, ...]
    every: int
    anchor: int

    def index_at(self, elapsed: float) -> int:
        return int((elapsed - self.anchor) // self.every) % len(self.cues)

    def cue_at(self, elapsed: float) -> str:
        return self.cues[self.index_at(elapsed)]

    def next_change_after(self, elapsed: float) -> float:
        """The next moment after `elapsed` at which the showing cue changes."""
        if len(self.cues) == 1:
            return float("inf")
        steps = (elapsed - self.anchor) // self.every + 1
        return self.anchor + steps * self.every


@dataclass(frozen=True)
class RepeatCount:
    """Which pass of a repeat block this is: `iteration` of `times` (1-based)."""

    iteration: int
    times: int


@dataclass(frozen=True)
class TimedAnnouncement:
    """An `at:` announcement at an absolute second of the walk."""

    at: int
    say: str
    segment: int


@dataclass(frozen=True)
class PosturePrompt:
    """A periodic posture prompt at an absolute second of the walk."""

    at: int
    text: str
    segment: int


@dataclass(frozen=True)
class TimedSegment:
    """One segment of the expanded timeline, with everything resolved."""

    index: int
    name: str
    repeat: tuple[RepeatCount, ...]
    start: int
    end: int
    cadence: int
    intensity: Intensity
    note: str | None
    cues: tuple[CueRotation, ...]  # in PHASES order
    posture: Posture | None
    announcements: tuple[TimedAnnouncement, ...]
    steps_before: int = 0  # planned steps from the walk's start to this segment's start

    @property
    def planned_steps(self) -> int:
        """Heel strikes in this segment at its cadence (a last, partial step counts)."""
        return -(-self.duration * self.cadence // 60)

    @property
    def duration(self) -> int:
        return self.end - self.start

    @property
    def label(self) -> str:
        """The name with its repeat counters: `Brisk (2/3)`, nested `Brisk (1/2 · 2/3)`."""
        if not self.repeat:
            return self.name
        counters = " · ".join(f"{r.iteration}/{r.times}" for r in self.repeat)
        return f"{self.name} ({counters})"

    def rotation(self, phase: StridePhase) -> CueRotation:
        return self.cues[PHASES.index(phase)]


@dataclass(frozen=True)
class Timeline:
    """A routine flattened to consecutive segments that tile [0, total)."""

    routine_id: str
    name: str
    segments: tuple[TimedSegment, ...]
    posture_prompts: tuple[PosturePrompt, ...]

    @property
    def total(self) -> int:
        return self.segments[-1].end

    @property
    def announcements(self) -> tuple[TimedAnnouncement, ...]:
        return tuple(a for s in self.segments for a in s.announcements)

    @cached_property
    def _starts(self) -> list[int]:
        # Built once: the engine asks for the segment at a position several times a beat.
        return [s.start for s in self.segments]

    @cached_property
    def posture_prompt_times(self) -> list[int]:
        """When each posture prompt is given, in order (for bisecting)."""
        return [p.at for p in self.posture_prompts]

    def segment_index_at(self, elapsed: float) -> int:
        """Index of the segment running at `elapsed` (clamped to the first and last)."""
        index = bisect.bisect_right(self._starts, elapsed) - 1
        return index if index > 0 else 0  # bisect never passes the last segment


def compile_timeline(routine: Routine) -> Timeline:
    """Expand repeats and resolve inheritance into a Timeline."""
    segments: list[TimedSegment] = []
    own_posture_cues: list[bool] = []
    clock = 0
    steps = 0
    for segment, counters in _expand(routine.segments, ()):
        timed = _timed(routine, segment, counters, len(segments), clock, steps)
        segments.append(timed)
        own_posture_cues.append(
            isinstance(segment.posture, PostureOverride) and segment.posture.cues is not None
        )
        clock = timed.end
        steps += timed.planned_steps
    return Timeline(
        routine_id=routine.id,
        name=routine.name,
        segments=tuple(segments),
        posture_prompts=_posture_prompts(segments, own_posture_cues),
    )


def _expand(
    parts: tuple[Segment | RepeatBlock, ...], counters: tuple[RepeatCount, ...]
) -> list[tuple[Segment, tuple[RepeatCount, ...]]]:
    out: list[tuple[Segment, tuple[RepeatCount, ...]]] = []
    for part in parts:
        if isinstance(part, Segment):
            out.append((part, counters))
        else:
            for iteration in range(1, part.times + 1):
                out.extend(_expand(part.segments, (*counters, RepeatCount(iteration, part.times))))
    return out


def _timed(
    routine: Routine,
    segment: Segment,
    counters: tuple[RepeatCount, ...],
    index: int,
    start: int,
    steps_before: int,
) -> TimedSegment:
    end = start + segment.duration
    cadence = segment.cadence if segment.cadence is not None else routine.cadence
    assert cadence is not None, "validation guarantees a cadence"
    return TimedSegment(
        index=index,
        name=segment.name,
        repeat=counters,
        start=start,
        end=end,
        cadence=cadence,
        intensity=segment.intensity,
        note=segment.note,
        cues=tuple(_rotation(routine, segment, phase, start) for phase in PHASES),
        posture=_posture(routine, segment),
        announcements=tuple(
            TimedAnnouncement(at=start + a.offset_in(segment.duration), say=a.say, segment=index)
            for a in sorted(segment.at, key=lambda a: a.offset_in(segment.duration))
        ),
        steps_before=steps_before,
    )


def _rotation(routine: Routine, segment: Segment, phase: StridePhase, start: int) -> CueRotation:
    own_list = segment.cues.lists.get(phase)
    own_every = segment.cues.rotate_every
    cues = own_list or routine.cues.lists.get(phase) or DEFAULT_CUES[phase]
    every = own_every or routine.cues.rotate_every or DEFAULT_ROTATE_EVERY
    inherited = own_list is None and own_every is None
    return CueRotation(cues=cues, every=every, anchor=0 if inherited else start)


def _posture(routine: Routine, segment: Segment) -> Posture | None:
    if segment.posture is False:
        return None
    if isinstance(segment.posture, PostureOverride):
        base = routine.posture
        every = segment.posture.every or (base.every if base else None)
        cues = segment.posture.cues or (base.cues if base else None)
        if cues is None:
            return None
        return Posture(every=every or DEFAULT_POSTURE_EVERY, cues=cues)
    return routine.posture


def _posture_prompts(
    segments: list[TimedSegment], own_cues: list[bool]
) -> tuple[PosturePrompt, ...]:
    """Prompts at every multiple of `every` from the walk's start (0 included), inside
    segments that want them.

    Inherited cues keep cycling across the walk, one cue per prompt actually given (a
    segment with prompts off skips no cue). A segment's own cue list is prompted at the
    segment's start with its first cue, then continues in the order its author wrote.
    """
    prompts: list[PosturePrompt] = []
    given: dict[tuple[str, ...], int] = {}
    for segment, own in zip(segments, own_cues, strict=True):
        posture = segment.posture
        if posture is None:
            continue
        k = -(-segment.start // posture.every)
        times = [segment.start] if own else []
        while k * posture.every < segment.end:
            if k * posture.every != segment.start or not own:
                times.append(k * posture.every)
            k += 1
        for turn, at in enumerate(times):
            if not own:
                turn = given.get(posture.cues, 0)
                given[posture.cues] = turn + 1
            text = posture.cues[turn % len(posture.cues)]
            prompts.append(PosturePrompt(at=at, text=text, segment=segment.index))
    return tuple(prompts)
