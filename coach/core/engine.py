"""The walk as a pure function of time: no I/O, no Textual.

Two clocks matter. *Walked time* is how long the person has been walking (pauses
excluded). *Position* is where in the routine's timeline they are: the same as walked
time until they skip ahead (`n`) or go back (`b`). Everything the screen shows is
`state_at(timeline, position, tempo)`; beats are computed from the segment's start (or
the moment its cadence was changed) and the cadence, never accumulated from ticks, so
nothing drifts however long the walk.

What was actually walked is kept apart from the position: a session remembers its
*stretches*, the spans of the timeline walked without a jump or a cadence change, and
counts steps walked and segments walked through from them (`WalkSession.steps_walked`,
`segments_walked`), so a skip never counts as walking.

Each step is split into three equal phases — heel strike, hip rotation, arm swing — in
that order: the heel lands at the beat, the pelvis rotates over the stance leg through
mid-step, and the opposite arm finishes its swing as the other foot comes through.
Equal thirds keep the rhythm easy to follow at any cadence.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from coach.core.dose import CadenceSplit, split_by_cadence
from coach.core.routine.model import CADENCE_MAX, CADENCE_MIN, PHASES, StridePhase
from coach.core.routine.timeline import TimedSegment, Timeline

CADENCE_STEP = 2
BACK_AGAIN_WINDOW = 3.0
COUNTDOWN_FROM = 3
# Seconds between two wakes of a running walk beyond which the process was stopped
# (SIGSTOP, Ctrl+Z) or the machine slept: the screen wakes at least once a second.
STOP_GAP = 3.0
# Beats and phase boundaries are rounded to this many seconds to absorb float noise.
_EPSILON = 1e-9


class Foot(Enum):
    LEFT = "left"
    RIGHT = "right"

    @property
    def opposite(self) -> Foot:
        return Foot.RIGHT if self is Foot.LEFT else Foot.LEFT


@dataclass(frozen=True)
class Tempo:
    """A cadence change for the rest of one segment: beats restart from `anchor`."""

    segment: int
    anchor: float
    anchor_step: int
    cadence: int


class WalkState(NamedTuple):
    """Everything visible at one position of the walk.

    A named tuple, not a frozen dataclass: it is built at every phase change (135,000
    times through a 6-hour routine), and a frozen dataclass's __init__, setting each of
    its 14 fields through object.__setattr__, took four times as long (0.37 s of the 6
    hours' 0.9 s on the development machine).
    """

    position: float
    finished: bool
    segment: TimedSegment
    next_segment: TimedSegment | None
    cadence: int
    segment_elapsed: float
    segment_left: float
    walk_left: float
    step: int  # steps taken since the start of the walk (position-based)
    foot: Foot  # the foot landing this step; the opposite arm swings forward
    phase: StridePhase
    phase_progress: float  # 0..1 through the current phase
    cues: tuple[str, ...]  # the showing cue of each phase, in PHASES order
    posture_prompt: str | None

    @property
    def arm(self) -> Foot:
        return self.foot.opposite

    def cue(self, phase: StridePhase) -> str:
        return self.cues[PHASES.index(phase)]


class EventKind(Enum):
    SEGMENT_START = "segment"
    COUNTDOWN = "countdown"
    ANNOUNCEMENT = "announcement"
    POSTURE = "posture"
    CUE = "cue"
    FINISH = "finish"


@dataclass(frozen=True)
class WalkEvent:
    """Something to announce when the walk passes `at` (a timeline position)."""

    at: float
    kind: EventKind
    text: str
    segment: int


def _beat_frame(
    timeline: Timeline, segment: TimedSegment, tempo: Tempo | None
) -> tuple[float, int, int]:
    """(anchor position, global step at anchor, cadence) for the segment's beats."""
    if tempo is not None and tempo.segment == segment.index:
        return tempo.anchor, tempo.anchor_step, tempo.cadence
    return float(segment.start), segment.steps_before, segment.cadence


def state_at(timeline: Timeline, position: float, tempo: Tempo | None = None) -> WalkState:
    """What the walk looks like at `position` seconds into the routine."""
    # This runs at every phase change (135,000 times through a 6-hour routine): plain
    # comparisons rather than min/max calls, no helper calls that can be avoided.
    segments = timeline.segments
    total = segments[-1].end
    finished = position >= total
    if finished:
        position = float(total)
    elif position < 0:
        position = 0.0
    index = timeline.segment_index_at(total - _EPSILON if finished else position)
    segment = segments[index]
    if tempo is not None and tempo.segment == index:
        anchor, anchor_step, cadence = tempo.anchor, tempo.anchor_step, tempo.cadence
    else:
        anchor, anchor_step, cadence = float(segment.start), segment.steps_before, segment.cadence
    beats = (position - anchor) * cadence / 60.0
    if beats < 0:
        beats = 0.0
    whole = math.floor(beats + _EPSILON)
    step = anchor_step + whole
    within = beats - whole
    if within < 0:
        within = 0.0
    elif within >= 1.0:
        within = 1.0 - _EPSILON
    phase_index = int(within * 3 + _EPSILON)
    if phase_index > 2:
        phase_index = 2
    phase_progress = within * 3 - phase_index
    cues, posture = _cues_and_posture(timeline, segment, position)
    # By position, in the fields' order (a keyword call costs a tenth of the whole step).
    return WalkState(
        position,  # position
        finished,  # finished
        segment,  # segment
        segments[index + 1] if index + 1 < len(segments) else None,  # next_segment
        cadence,  # cadence
        position - segment.start,  # segment_elapsed
        segment.end - position if segment.end > position else 0.0,  # segment_left
        total - position,  # walk_left
        step,  # step
        Foot.LEFT if step % 2 == 0 else Foot.RIGHT,  # foot
        PHASES[phase_index],  # phase
        phase_progress if phase_progress > 0 else 0.0,  # phase_progress
        cues,  # cues
        posture,  # posture_prompt
    )


# The cues and posture prompt showing, for the last (timeline, segment, second) asked:
# both change only on whole seconds of the routine (every anchor, rotation and prompt time
# is whole), and a walk asks several times a second. One entry, replaced as a whole (so a
# second thread asking never sees a half-written one), holding no history.
_Shown = tuple[tuple[str, ...], str | None]
_last_second: tuple[Timeline | None, tuple[int, int, int], _Shown] = (None, (-1, 0, 0), ((), None))


def _cues_and_posture(timeline: Timeline, segment: TimedSegment, position: float) -> _Shown:
    """The cue of each phase and the posture prompt at `position` (same for its second)."""
    global _last_second
    second = math.floor(position)
    key = (segment.index, second, math.floor(position + _EPSILON))
    seen_timeline, seen_key, seen = _last_second
    if seen_timeline is timeline and seen_key == key:
        return seen
    # CueRotation.cue_at, inlined: floor((p - anchor) / every) is floor((⌊p⌋ - anchor) /
    # every) for whole anchors and periods, so the whole second decides it.
    cues = tuple([r.cues[int((second - r.anchor) // r.every) % len(r.cues)] for r in segment.cues])
    shown = (cues, _posture_prompt(timeline, segment, position))
    _last_second = (timeline, key, shown)
    return shown


def _posture_prompt(timeline: Timeline, segment: TimedSegment, position: float) -> str | None:
    """The latest posture prompt given, while this segment has prompts on."""
    if segment.posture is None:
        return None
    given = bisect.bisect_right(timeline.posture_prompt_times, position + _EPSILON)
    return timeline.posture_prompts[given - 1].text if given else None


def _beats_in(anchor: float, end: float, cadence: int) -> int:
    """Beats at anchor + 60·k/cadence (k >= 0) before `end`."""
    return max(math.ceil((end - anchor) * cadence / 60.0 - _EPSILON), 0)


def beats_until(timeline: Timeline, position: float, tempo: Tempo | None = None) -> int:
    """How many beats fall at or before `position` when the timeline is walked from its
    start under `tempo`: the step number (from 1) of the step being walked there.

    Past the tempo's segment, its beats are those walked at its cadence, not the planned
    ones, so the count never jumps at the segment's end (as `WalkState.step`, which
    counts from each segment's planned start, does after `+`/`-`).
    """
    segments = timeline.segments
    index = timeline.segment_index_at(position)
    segment = segments[index]
    shift = 0
    if tempo is not None and tempo.segment < index:
        changed = segments[tempo.segment]
        walked_there = tempo.anchor_step + _beats_in(tempo.anchor, changed.end, tempo.cadence)
        shift = walked_there - (changed.steps_before + changed.planned_steps)
    if tempo is not None and tempo.segment == index and position >= tempo.anchor:
        anchor, first, cadence = tempo.anchor, tempo.anchor_step, tempo.cadence
    else:
        anchor, first, cadence = float(segment.start), segment.steps_before, segment.cadence
    if position < anchor:
        return first + shift
    done = math.floor((position - anchor) * cadence / 60.0 + _EPSILON) + 1
    return first + min(done, _beats_in(anchor, segment.end, cadence)) + shift


@dataclass(frozen=True)
class Stretch:
    """A span of the timeline walked without a jump or a cadence change.

    `fresh` when it began with a new step (the walk's start, or after `n`/`b`): its first
    beat is a step of its own. After a cadence change the step under way goes on.
    """

    start: float
    end: float
    tempo: Tempo | None
    fresh: bool

    def steps(self, timeline: Timeline) -> int:
        """The steps walked in this stretch: the beats passed, at the cadences in effect."""
        if self.end <= self.start:
            return 1 if self.fresh and self.start < timeline.total else 0
        passed = beats_until(timeline, self.end, self.tempo) - beats_until(
            timeline, self.start, self.tempo
        )
        return passed + (1 if self.fresh else 0)

    def segments_finished(self, timeline: Timeline) -> set[int]:
        """The segments whose end this stretch walked through."""
        finished = set()
        index = timeline.segment_index_at(self.start)
        for segment in timeline.segments[index:]:
            if segment.end > self.end:
                break
            if segment.end > self.start:
                finished.add(segment.index)
        return finished


def beat_times(timeline: Timeline, index: int, tempo: Tempo | None = None) -> list[float]:
    """Every beat (heel strike) of segment `index`, as positions; for tests and benchmarks."""
    segment = timeline.segments[index]
    anchor, _, cadence = _beat_frame(timeline, segment, tempo)
    period = 60.0 / cadence
    count = math.ceil((segment.end - anchor) / period - _EPSILON)
    # 60·k/cadence, not k·period: one rounding, so beat k is where the routine puts it.
    return [anchor + k * 60.0 / cadence for k in range(count)]


def next_change_after(timeline: Timeline, position: float, tempo: Tempo | None = None) -> float:
    """The next position after `position` at which anything visible changes.

    Visible things: the stride phase, the whole second of the countdowns, the segment,
    a cue, a posture prompt. Returns `inf` once the walk is finished.
    """
    segments = timeline.segments
    if position >= segments[-1].end:
        return math.inf
    # Called at every phase change of a walk, so it builds no WalkState (and calls no
    # helper it can do without). Cue rotations, posture prompts and announcements all
    # fall on whole seconds of the routine, so the next whole second stands for them.
    index = timeline.segment_index_at(position if position > 0 else 0.0)
    segment = segments[index]
    if tempo is not None and tempo.segment == index:
        anchor, cadence = tempo.anchor, tempo.cadence
    else:
        anchor, cadence = float(segment.start), segment.cadence
    third = 20.0 / cadence  # a third of the step period, 60 / cadence
    thirds_done = math.floor((position - anchor) / third + _EPSILON) + 1
    # Counted in whole thirds with one rounding, so a beat lands exactly on the float
    # anchor + 60·k/cadence that `beat_times` gives, however far into the walk.
    next_phase = anchor + thirds_done * 20.0 / cadence
    next_second = math.floor(position + _EPSILON) + 1.0
    # Phases and seconds round a position a hair before them up to them; the segment
    # change is exact, so its end stays a candidate however close.
    end = float(segment.end)
    soonest = next_second if next_second < end else end
    if position + _EPSILON / 10 < next_phase < soonest:
        return next_phase
    return soonest


def events_between(
    timeline: Timeline, after: float, until: float, countdown: bool = True
) -> list[WalkEvent]:
    """Events with `after < at <= until`, in order: what to announce when passing them."""
    # Every time in a Timeline is a whole second, so every event falls on one: most
    # wakes of a walk (six a second) pass none, and need not look at the segments.
    if math.floor(until) <= after:
        return []
    events: list[WalkEvent] = []
    if after < 0 <= until:
        first = timeline.segments[0]
        events.append(WalkEvent(0.0, EventKind.SEGMENT_START, first.label, 0))
    # Called at every wake of the walk screen: start at the segment holding `after`
    # rather than walking every segment of a long routine.
    first_index = timeline.segment_index_at(after) if after > 0 else 0
    for segment in timeline.segments[first_index:]:
        if segment.end <= after and segment.end < timeline.total:
            continue
        if segment.start > until:
            break
        if segment.index > 0 and after < segment.start <= until:
            events.append(
                WalkEvent(
                    float(segment.start), EventKind.SEGMENT_START, segment.label, segment.index
                )
            )
        if countdown:
            for n in range(COUNTDOWN_FROM, 0, -1):
                at = float(segment.end - n)
                if at > segment.start and after < at <= until:
                    events.append(WalkEvent(at, EventKind.COUNTDOWN, str(n), segment.index))
        for announcement in segment.announcements:
            if after < announcement.at <= until:
                events.append(
                    WalkEvent(
                        float(announcement.at),
                        EventKind.ANNOUNCEMENT,
                        announcement.say,
                        segment.index,
                    )
                )
        previous = timeline.segments[segment.index - 1] if segment.index > 0 else None
        for number, (phase, rotation) in enumerate(zip(PHASES, segment.cues, strict=True)):
            # At a segment's start a cue is news when it differs from the one showing just
            # before (at the walk's start, every cue is): so a segment's own list, even of
            # one cue, is heard, and so is an inherited list turning over on the boundary.
            if after < segment.start <= until:
                showing = rotation.cue_at(segment.start)
                before = (
                    previous.cues[number].cue_at(segment.start - _EPSILON) if previous else None
                )
                if showing != before:
                    events.append(
                        WalkEvent(
                            float(segment.start),
                            EventKind.CUE,
                            f"{phase.label}: {showing}",
                            segment.index,
                        )
                    )
            if len(rotation.cues) < 2:
                continue
            at = rotation.next_change_after(max(after, segment.start - _EPSILON))
            while at <= until and at < segment.end:
                if at > segment.start:
                    events.append(
                        WalkEvent(
                            at,
                            EventKind.CUE,
                            f"{phase.label}: {rotation.cue_at(at)}",
                            segment.index,
                        )
                    )
                at = rotation.next_change_after(at)
    times = timeline.posture_prompt_times
    for index in range(bisect.bisect_right(times, after), bisect.bisect_right(times, until)):
        prompt = timeline.posture_prompts[index]
        events.append(WalkEvent(float(prompt.at), EventKind.POSTURE, prompt.text, prompt.segment))
    if after < timeline.total <= until:
        events.append(
            WalkEvent(
                float(timeline.total), EventKind.FINISH, "Walk complete", len(timeline.segments) - 1
            )
        )
    order = {kind: i for i, kind in enumerate(EventKind)}
    events.sort(key=lambda e: (e.at, order[e.kind]))
    return events


Clock = Callable[[], float]


@dataclass
class WalkSession:
    """A walk in progress over an injected monotonic clock: pause, skip, back, tempo.

    All times given to its methods come from `clock()`; nothing here sleeps or does I/O.
    """

    timeline: Timeline
    clock: Clock
    speed: float = 1.0
    started_at: float = field(init=False)
    _paused_since: float | None = field(init=False, default=None)
    _paused_total: float = field(init=False, default=0.0)
    _offset: float = field(init=False, default=0.0)
    tempo: Tempo | None = field(init=False, default=None)
    _last_back: float | None = field(init=False, default=None)
    # Walked seconds by the cadence in effect, up to `_settled_walked` (see cadence_seconds).
    _seconds_at: dict[int, float] = field(init=False, default_factory=dict)
    _settled_walked: float = field(init=False, default=0.0)
    _resumed_at: float | None = field(init=False, default=None)
    # What was walked: closed stretches, and where the open one began.
    _stretches: list[Stretch] = field(init=False, default_factory=list)
    _stretch_start: float = field(init=False, default=0.0)
    _stretch_fresh: bool = field(init=False, default=True)
    _closed_steps: int = field(init=False, default=0)  # the closed stretches' steps

    def __post_init__(self) -> None:
        self.started_at = self.clock()

    # -- time ----------------------------------------------------------------------

    def walked(self, now: float | None = None) -> float:
        """Seconds of walking so far (routine seconds: scaled by `speed`), pauses excluded."""
        now = self.clock() if now is None else now
        paused = self._paused_total
        if self._paused_since is not None:
            paused += now - self._paused_since
        return max(0.0, (now - self.started_at - paused) * self.speed)

    def walked_to_end(self, now: float | None = None) -> float:
        """Walked time, less any the clock ran on past the routine's end: a walk is over
        at its end, though whoever watches the clock notices a moment later."""
        walked = self.walked(now)
        overrun = walked + self._offset - self.timeline.total
        return walked - overrun if overrun > 0 else walked

    def paused_seconds(self, now: float | None = None) -> float:
        now = self.clock() if now is None else now
        paused = self._paused_total
        if self._paused_since is not None:
            paused += now - self._paused_since
        return paused

    def position(self, now: float | None = None) -> float:
        return min(self.walked(now) + self._offset, float(self.timeline.total))

    def state(self, now: float | None = None) -> WalkState:
        return state_at(self.timeline, self.position(now), self._live_tempo(now))

    def next_change_in(self, now: float | None = None) -> float:
        """Real seconds from `now` until something visible changes (inf when paused/finished)."""
        now = self.clock() if now is None else now
        if self.paused:
            return math.inf
        position = self.position(now)
        target = next_change_after(self.timeline, position, self._live_tempo(now))
        return (target - position) / self.speed

    @property
    def paused(self) -> bool:
        return self._paused_since is not None

    @property
    def finished(self) -> bool:
        return self.position() >= self.timeline.total

    def cadence_seconds(self, threshold: float, now: float | None = None) -> CadenceSplit:
        """Walked seconds at or above `threshold` steps a minute, and below, so far.

        Each stretch of walking counts at the cadence in effect as it was walked: the
        segment's, or the tempo set by +/- for the rest of that segment. Skips and backs
        move the position, not the walked time; pauses add nothing; time walked past the
        end (before the walk is closed) counts at the last segment's cadence. The two
        parts always add up to `walked(now)`.
        """
        pieces = self._seconds_by_cadence(now)
        return split_by_cadence(((s, c) for c, s in pieces.items()), threshold)

    def average_cadence(self, now: float | None = None) -> float | None:
        """The cadence held: the cadences in effect, averaged over the time walked at
        each (None before any walking). Not steps over time: the step on the first beat
        would count a whole step more than the time holds."""
        pieces = self._seconds_by_cadence(now)
        walked = sum(pieces.values())
        if walked <= 0:
            return None
        return sum(cadence * seconds for cadence, seconds in pieces.items()) / walked

    def _seconds_by_cadence(self, now: float | None) -> dict[int, float]:
        """Walked seconds at each cadence in effect, so far (they add up to `walked(now)`)."""
        pieces = dict(self._seconds_at)
        for cadence, seconds in self._stretch(self._settled_walked, self.walked(now)):
            pieces[cadence] = pieces.get(cadence, 0.0) + seconds
        return pieces

    def _stretch(self, since: float, until: float) -> list[tuple[int, float]]:
        """(cadence, seconds) walked between two walked times with no control between."""
        if until <= since:
            return []
        segments = self.timeline.segments
        total = float(self.timeline.total)
        first, last = since + self._offset, until + self._offset
        found: list[tuple[int, float]] = []
        index = self.timeline.segment_index_at(min(max(first, 0.0), total - _EPSILON))
        for segment in segments[index:]:
            if segment.start >= last:
                break
            overlap = min(last, float(segment.end)) - max(first, float(segment.start))
            if overlap > 0:
                found.append((self._cadence_in(segment.index), overlap))
        if last > total:
            found.append((self._cadence_in(len(segments) - 1), last - max(first, total)))
        return found

    def _cadence_in(self, index: int) -> int:
        tempo = self.tempo
        if tempo is not None and tempo.segment == index:
            return tempo.cadence
        return self.timeline.segments[index].cadence

    def _settle(self) -> None:
        """Book the walking since the last control, before a control changes the rules."""
        walked = self.walked()
        for cadence, seconds in self._stretch(self._settled_walked, walked):
            self._seconds_at[cadence] = self._seconds_at.get(cadence, 0.0) + seconds
        self._settled_walked = walked

    # -- what was walked -------------------------------------------------------------

    def stretches(self, now: float | None = None) -> tuple[Stretch, ...]:
        """Every span walked so far, in order, the open one last."""
        open_one = Stretch(self._stretch_start, self.position(now), self.tempo, self._stretch_fresh)
        return (*self._stretches, open_one)

    def steps_walked(self, now: float | None = None) -> int:
        """Steps walked so far: the beats passed while walking, skipped spans left out.

        The count the walker would make stepping on every beat: it goes up by one at each
        heel strike, `n` and `b` start a new step, and `+`/`-` keep the step under way.
        """
        open_one = Stretch(self._stretch_start, self.position(now), self.tempo, self._stretch_fresh)
        return self._closed_steps + open_one.steps(self.timeline)

    def segments_walked(self, now: float | None = None) -> int:
        """How many of the timeline's segments were walked to their end (not skipped)."""
        finished: set[int] = set()
        for stretch in self.stretches(now):
            finished |= stretch.segments_finished(self.timeline)
        return len(finished)

    def _new_stretch(self, start: float, fresh: bool) -> None:
        """Close the open stretch here and open one at `start` (call before changing tempo)."""
        end = self.position()
        if end > self._stretch_start or self._stretch_fresh:
            closed = Stretch(self._stretch_start, end, self.tempo, self._stretch_fresh)
            self._stretches.append(closed)
            self._closed_steps += closed.steps(self.timeline)
        if end <= self._stretch_start:
            # Nothing walked since it opened: the step begun there is still the one under way.
            fresh = False
        self._stretch_start = start
        self._stretch_fresh = fresh

    def _live_tempo(self, now: float | None) -> Tempo | None:
        if self.tempo is None:
            return None
        index = self.timeline.segment_index_at(self.position(now))
        return self.tempo if self.tempo.segment == index else None

    # -- controls --------------------------------------------------------------------

    def pause(self) -> None:
        if self._paused_since is None:
            self._paused_since = self.clock()

    def resume(self) -> None:
        if self._paused_since is not None:
            now = self.clock()
            self._paused_total += now - self._paused_since
            self._paused_since = None
            self._resumed_at = now

    def account_gap(self, now: float, last_wake: float) -> float:
        """Count a stop or sleep as a pause; return its length (0.0 if there was none).

        Called at each wake with the time of the previous one. More than STOP_GAP
        seconds between them while walking means the process was stopped or the
        machine slept: that time was not walking, so the walk resumes where it was at
        the last wake, as after a pause, and no event falls due in between.
        """
        if self._paused_since is not None:
            return 0.0
        since = max(last_wake, self.started_at)
        if self._resumed_at is not None:
            since = max(since, self._resumed_at)
        gap = now - since
        if gap <= STOP_GAP:
            return 0.0
        self._paused_total += gap
        return gap

    def toggle_pause(self) -> bool:
        """Pause or resume; return True if now paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()
        return self.paused

    def _jump_to(self, target: float) -> None:
        self._settle()
        self._new_stretch(min(max(target, 0.0), float(self.timeline.total)), fresh=True)
        # From walked time, not the position: that stops at the end while the clock runs on.
        self._offset = target - self.walked()
        self.tempo = None

    def next_segment(self) -> None:
        """Skip to the start of the next segment (or the end of the walk)."""
        state = self.state()
        self._jump_to(float(state.segment.end))

    def back(self) -> None:
        """Restart the current segment; pressed again within 3 s, go to the previous one."""
        now = self.clock()
        state = self.state(now)
        again = self._last_back is not None and now - self._last_back <= BACK_AGAIN_WINDOW
        index = state.segment.index
        if again and index > 0:
            index -= 1
        self._jump_to(float(self.timeline.segments[index].start))
        self._last_back = now

    def adjust_cadence(self, delta: int) -> int:
        """Change the cadence for the rest of this segment; return the new cadence."""
        state = self.state()
        low, high = CADENCE_MIN, CADENCE_MAX
        cadence = min(max(state.cadence + delta, low), high)
        if cadence != state.cadence:
            # Keep the stride where it is: the current step carries on at the new tempo.
            position = self.position()
            fraction = state.phase_progress / 3 + PHASES.index(state.phase) / 3
            anchor = position - fraction * 60.0 / cadence
            self._settle()
            self._new_stretch(position, fresh=False)
            self.tempo = Tempo(state.segment.index, anchor, state.step, cadence)
        return cadence
