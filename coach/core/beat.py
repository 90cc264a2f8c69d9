"""The audible beat as samples: click shapes, the walk's click onsets, a chunked mixer.

Pure: no clock, no I/O, no numpy. The same code feeds the live player and the WAV
render, so what a test measures in a rendered file is what a walker hears.

Onsets sit exactly where the engine puts the stride: beat k of a segment at
`anchor + 60·k/cadence` (the float `engine.beat_times` gives), phase boundaries at
`anchor + 20·j/cadence` (the float `engine.next_change_after` gives), step numbers and
feet as `engine.state_at` counts them (the left foot on even steps). A `Tempo` (the
walker's `+`/`-`) moves the beats of its own segment only.

Samples are 16-bit signed mono (`array('h')`). The mixer works in absolute sample
indices and hands out consecutive chunks; a click that straddles a chunk boundary
carries its tail into the next chunk, so nothing depends on the chunk size, and an
hour of audio never sits in memory.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from coach.core.engine import Foot, Tempo
from coach.core.routine.model import PHASES, StridePhase
from coach.core.routine.timeline import TimedSegment, Timeline

FULL_SCALE = 32767
LOWEST = -32768
# As in the engine: beats a hair before a segment's end belong to the next segment.
_EPSILON = 1e-9
# How much the beat is turned down under speech.
DEFAULT_DUCK = 0.5


class OnsetKind(Enum):
    """What starts at an onset: which sound the walker hears."""

    ACCENT = "accent"  # left heel strike
    HEEL = "heel"  # right heel strike
    PHASE = "phase"  # into hip rotation or arm swing (`beat: phases`)


@dataclass(frozen=True, slots=True)
class Onset:
    """One click: at walk `position`, during step `step` (counted as the engine counts)."""

    position: float
    step: int
    kind: OnsetKind
    phase: StridePhase

    @property
    def foot(self) -> Foot:
        return Foot.LEFT if self.step % 2 == 0 else Foot.RIGHT

    @property
    def order(self) -> tuple[int, int]:
        """(step, phase number): increases along the walk, for telling onsets apart."""
        return self.step, PHASES.index(self.phase)


# -- click shapes --------------------------------------------------------------------


@dataclass(frozen=True)
class ClickRecipe:
    """A short tone burst: carrier pitch, peak level (0..1 of full scale), length, attack."""

    frequency: float
    level: float
    length: float
    attack: float


# Told apart by pitch and level: the left heel high and loud, the right lower and
# softer, phase ticks short, high and faint. None of the pitches is a quarter of a
# common sample rate, so no sample of a click body falls on an exact zero crossing.
ACCENT_RECIPE = ClickRecipe(frequency=1900.0, level=0.9, length=0.008, attack=0.0006)
HEEL_RECIPE = ClickRecipe(frequency=1250.0, level=0.55, length=0.006, attack=0.0006)
PHASE_RECIPE = ClickRecipe(frequency=3100.0, level=0.16, length=0.003, attack=0.0004)


def click_shape(recipe: ClickRecipe, rate: int, volume: float = 1.0) -> array[int]:
    """The samples of one click at `rate`, scaled by `volume` (0..1).

    A raised-cosine attack, then an exponential decay under a raised-cosine taper that
    ends on an exact 0: no step at either end, so no pop. The first sample is nonzero
    (at least ±1) whenever the click is audible at all, so the click's onset is the very
    sample it was placed at.
    """
    volume = min(max(volume, 0.0), 1.0)
    length = max(round(recipe.length * rate), 4)
    attack = min(max(round(recipe.attack * rate), 1), length - 2)
    peak = recipe.level * volume * FULL_SCALE
    decay = length - 1 - attack
    # A quarter-turn phase start gives a nonzero first carrier sample.
    phase = math.pi / 5
    samples = array("h", bytes(2 * length))
    for i in range(length):
        if i < attack:
            envelope = 0.5 * (1.0 - math.cos(math.pi * (i + 1) / (attack + 1)))
        else:
            t = (i - attack) / decay
            envelope = math.exp(-4.0 * t) * 0.5 * (1.0 + math.cos(math.pi * t))
        carrier = math.cos(2.0 * math.pi * recipe.frequency * i / rate + phase)
        samples[i] = round(peak * envelope * carrier)
    if peak >= 1.0 and samples[0] == 0:
        samples[0] = 1
    samples[-1] = 0
    return samples


def scaled(samples: array[int], factor: float) -> array[int]:
    """`samples` times `factor`, rounded (for ducking)."""
    return array("h", [round(s * factor) for s in samples])


@dataclass(frozen=True)
class Clicks:
    """The three click shapes at one sample rate and volume, plain and ducked."""

    rate: int
    volume: float
    accent: array[int]
    heel: array[int]
    phase: array[int]
    duck: float = DEFAULT_DUCK

    @classmethod
    def make(cls, rate: int, volume: float = 1.0, duck: float = DEFAULT_DUCK) -> Clicks:
        return cls(
            rate=rate,
            volume=volume,
            accent=click_shape(ACCENT_RECIPE, rate, volume),
            heel=click_shape(HEEL_RECIPE, rate, volume),
            phase=click_shape(PHASE_RECIPE, rate, volume),
            duck=duck,
        )

    def shape(self, kind: OnsetKind) -> array[int]:
        if kind is OnsetKind.ACCENT:
            return self.accent
        if kind is OnsetKind.HEEL:
            return self.heel
        return self.phase

    @property
    def longest(self) -> int:
        return max(len(self.accent), len(self.heel), len(self.phase))


# -- onsets --------------------------------------------------------------------------


def _frame(segment: TimedSegment, tempo: Tempo | None) -> tuple[float, int, int]:
    """(anchor, step at anchor, cadence) of the segment's beats, as the engine has them."""
    if tempo is not None and tempo.segment == segment.index:
        return tempo.anchor, tempo.anchor_step, tempo.cadence
    return float(segment.start), segment.steps_before, segment.cadence


def iter_onsets(
    timeline: Timeline,
    tempo: Tempo | None,
    start: float,
    end: float,
    phases: bool = False,
) -> Iterator[Onset]:
    """Every onset at walk positions in [start, end), in order, made one at a time.

    Windows that meet ([a, b) then [b, c)) give every onset exactly once: inclusion is
    decided on the same float that is returned.
    """
    if end <= start:
        return
    first = timeline.segment_index_at(start if start > 0 else 0.0)
    for segment in timeline.segments[first:]:
        if segment.start >= end:
            return
        low = start if start > segment.start else float(segment.start)
        high = end if end < segment.end else float(segment.end)
        if high <= low:
            continue
        anchor, anchor_step, cadence = _frame(segment, tempo)
        # The segment's beat count as engine.beat_times has it.
        beats = math.ceil((segment.end - anchor) / (60.0 / cadence) - _EPSILON)
        if beats <= 0:
            continue
        if phases:
            yield from _thirds(anchor, anchor_step, cadence, beats, low, high)
        else:
            yield from _beats(anchor, anchor_step, cadence, beats, low, high)


def _beats(
    anchor: float, anchor_step: int, cadence: int, beats: int, low: float, high: float
) -> Iterator[Onset]:
    k = max(0, math.ceil((low - anchor) * cadence / 60.0) - 1)
    while k > 0 and anchor + (k - 1) * 60.0 / cadence >= low:
        k -= 1
    while k < beats:
        # 60·k/cadence, not k·period: one rounding, as in engine.beat_times.
        position = anchor + k * 60.0 / cadence
        if position >= high:
            return
        if position >= low:
            step = anchor_step + k
            kind = OnsetKind.ACCENT if step % 2 == 0 else OnsetKind.HEEL
            yield Onset(position, step, kind, StridePhase.HEEL_STRIKE)
        k += 1


def _thirds(
    anchor: float, anchor_step: int, cadence: int, beats: int, low: float, high: float
) -> Iterator[Onset]:
    j = max(0, math.ceil((low - anchor) * cadence / 20.0) - 1)
    while j > 0 and anchor + (j - 1) * 20.0 / cadence >= low:
        j -= 1
    while j < 3 * beats:
        # 20·j/cadence, as in engine.next_change_after; for j = 3k it is the same
        # float as 60·k/cadence (20·3k and 60·k are the same exact product).
        position = anchor + j * 20.0 / cadence
        if position >= high:
            return
        if position >= low:
            step = anchor_step + j // 3
            third = j % 3
            if third == 0:
                kind = OnsetKind.ACCENT if step % 2 == 0 else OnsetKind.HEEL
            else:
                kind = OnsetKind.PHASE
            yield Onset(position, step, kind, PHASES[third])
        j += 1


def onsets_between(
    timeline: Timeline,
    tempo: Tempo | None,
    start: float,
    end: float,
    phases: bool = False,
) -> list[Onset]:
    """Every onset at walk positions in [start, end), in order.

    Heel strikes always (ACCENT on the left foot, HEEL on the right); with `phases`,
    also a PHASE onset where the stride passes into hip rotation and into arm swing.
    """
    return list(iter_onsets(timeline, tempo, start, end, phases))


def onset_sample(position: float, rate: int) -> int:
    """The sample index of a walk position, in a stream that starts at position 0."""
    return round(position * rate)


# -- mixing --------------------------------------------------------------------------


@dataclass(frozen=True)
class Clip:
    """A sound placed at sample `at`: speech (which ducks the beat) or a tone."""

    at: int
    samples: array[int]
    speech: bool = True

    @property
    def end(self) -> int:
        return self.at + len(self.samples)


class Mixer:
    """Sounds placed at absolute sample indices, mixed into consecutive chunks.

    Overlapping sounds add with saturation (a sum beyond 16 bits is held at the limit,
    never wrapped). A sound longer than what is left of a chunk carries on in the next.
    """

    def __init__(self, clicks: Clicks, duck: bool = True) -> None:
        self.clicks = clicks
        self._duck = duck
        self._ducked: dict[OnsetKind, array[int]] = {}
        self._sounds: list[tuple[int, array[int]]] = []
        self._speech: list[tuple[int, int]] = []  # (start, end) of speech still playing

    def set_clicks(self, clicks: Clicks) -> None:
        """Use other click shapes (a new volume) for clicks placed from now on."""
        if clicks is not self.clicks:
            self.clicks = clicks
            self._ducked = {}

    def add_click(self, at: int, kind: OnsetKind) -> None:
        shape = self.clicks.shape(kind)
        if self._duck and any(start <= at < end for start, end in self._speech):
            ducked = self._ducked.get(kind)
            if ducked is None:
                ducked = self._ducked[kind] = scaled(shape, self.clicks.duck)
            shape = ducked
        self._sounds.append((at, shape))

    def add_clip(self, clip: Clip) -> None:
        if not clip.samples:
            return
        self._sounds.append((clip.at, clip.samples))
        if clip.speech:
            self._speech.append((clip.at, clip.end))

    def cut(self, at: int, fade: int) -> None:
        """Silence everything from sample `at`; a sound already playing fades over `fade`."""
        kept: list[tuple[int, array[int]]] = []
        for start, samples in self._sounds:
            if start >= at:
                continue
            played = at - start
            if played >= len(samples):
                kept.append((start, samples))
                continue
            tail = samples[played : played + fade]
            faded = array("h", samples[:played])
            count = len(tail)
            faded.extend(round(s * (count - i) / (count + 1)) for i, s in enumerate(tail))
            kept.append((start, faded))
        self._sounds = kept
        self._speech = [(s, min(e, at)) for s, e in self._speech if s < at]

    @property
    def busy(self) -> bool:
        """True while any placed sound has samples left to play."""
        return bool(self._sounds)

    def render(self, start: int, frames: int) -> array[int]:
        """Samples [start, start + frames): everything placed that sounds there."""
        out = array("h", bytes(2 * frames))
        stop = start + frames
        written: list[tuple[int, int]] = []
        left: list[tuple[int, array[int]]] = []
        for at, samples in self._sounds:
            end = at + len(samples)
            if end <= start:
                continue
            if at >= stop:
                left.append((at, samples))
                continue
            low = at if at > start else start
            high = end if end < stop else stop
            a, b = low - start, high - start
            offset = low - at
            if any(a < w_end and w_start < b for w_start, w_end in written):
                _add_saturating(out, a, b, samples, offset)
            else:
                # Nothing there yet: a straight copy, done in C.
                out[a:b] = samples[offset : offset + (b - a)]
            written.append((a, b))
            if end > stop:
                left.append((at, samples))
        self._sounds = left
        self._speech = [(s, e) for s, e in self._speech if e > stop]
        return out


def _add_saturating(out: array[int], a: int, b: int, samples: array[int], offset: int) -> None:
    j = offset
    for i in range(a, b):
        value = out[i] + samples[j]
        if value > FULL_SCALE:
            value = FULL_SCALE
        elif value < LOWEST:
            value = LOWEST
        out[i] = value
        j += 1


def mix_chunks(
    onsets: Iterable[Onset],
    clicks: Clicks,
    total_frames: int,
    chunk_frames: int,
    clips: Iterable[Clip] = (),
    duck: bool = True,
) -> Iterator[array[int]]:
    """The beat (and clips) as consecutive chunks of samples, `total_frames` in all.

    `onsets` (by position) and `clips` (by `at`) must come in order; both are consumed
    lazily, one chunk ahead at most, so a generator of either keeps memory flat. An
    onset sounds at sample `round(position · rate)`; whatever would sound past the end
    is cut off there.
    """
    if chunk_frames <= 0:
        raise ValueError("chunk_frames must be positive")
    rate = clicks.rate
    mixer = Mixer(clicks, duck=duck)
    onset_iter = iter(onsets)
    clip_iter = iter(clips)
    onset = next(onset_iter, None)
    clip = next(clip_iter, None)
    start = 0
    while start < total_frames:
        frames = min(chunk_frames, total_frames - start)
        stop = start + frames
        # Clips first, so a click that lands inside speech is ducked.
        while clip is not None and clip.at < stop:
            mixer.add_clip(clip)
            clip = next(clip_iter, None)
        while onset is not None:
            at = onset_sample(onset.position, rate)
            if at >= stop:
                break
            mixer.add_click(at, onset.kind)
            onset = next(onset_iter, None)
        yield mixer.render(start, frames)
        start = stop
