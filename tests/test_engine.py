"""The walk engine: a pure function of elapsed time, drift-free, driven by an injected clock."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.core.engine import (
    BACK_AGAIN_WINDOW,
    STOP_GAP,
    EventKind,
    Foot,
    WalkEvent,
    WalkSession,
    WalkState,
    beat_times,
    events_between,
    next_change_after,
    state_at,
)
from coach.core.routine import StridePhase, Timeline, compile_timeline, load_file, load_text
from coach.core.routine.model import PHASES

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "routines"
SIX_HOURS = 6 * 3600

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def timeline_of(text: str) -> Timeline:
    result = load_text(dedent(text), "t", "t.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


def builtin(routine_id: str) -> Timeline:
    result = load_file(BUILTIN_DIR / f"{routine_id}.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# -- generated routines ----------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """What a generated routine should compile to, segment by segment."""

    label: str
    duration: int
    cadence: int


@dataclass(frozen=True)
class Generated:
    text: str
    planned: tuple[Planned, ...]

    @property
    def timeline(self) -> Timeline:
        return timeline_of(self.text)


@st.composite
def plain_segments(draw: st.DrawFn, name: str) -> tuple[list[str], int, int]:
    """One segment's YAML lines (indented by the caller), its duration and cadence."""
    duration = draw(st.integers(1, 600))
    cadence = draw(st.integers(40, 180))
    lines = [f"- name: {name}", f"  duration: {duration}", f"  cadence: {cadence}"]
    own_cues = draw(st.lists(st.sampled_from(["Own one", "Own two", "Own three"]), max_size=2))
    if own_cues:
        lines += ["  cues:", f"    heel_strike: [{', '.join(own_cues)}]"]
    if draw(st.booleans()):
        lines.append("  posture: false")
    return lines, duration, cadence


@st.composite
def routines(draw: st.DrawFn) -> Generated:
    """A valid routine: 1–5 parts, each a segment or a repeat block of 1–2 segments.

    At most 5 × 3 × 2 × 600 s, so always within the 6-hour limit.
    """
    rotate = draw(st.integers(5, 90))
    heel = draw(st.lists(st.sampled_from(["H1", "H2", "H3"]), min_size=1, max_size=3))
    lines = [
        "name: Generated",
        "cues:",
        f"  heel_strike: [{', '.join(heel)}]",
        f"  rotate_every: {rotate}",
    ]
    posture_every = draw(st.none() | st.integers(15, 300))
    if posture_every is not None:
        lines += ["posture:", f"  every: {posture_every}", "  cues: [P1, P2, P3]"]
    lines.append("segments:")
    planned: list[Planned] = []
    number = 0
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            times = draw(st.integers(1, 3))
            inner: list[tuple[str, int, int]] = []
            lines += [f"  - repeat: {times}", "    segments:"]
            for _ in range(draw(st.integers(1, 2))):
                name = f"S{number}"
                number += 1
                segment, duration, cadence = draw(plain_segments(name))
                lines += [f"      {line}" for line in segment]
                inner.append((name, duration, cadence))
            for iteration in range(1, times + 1):
                planned += [Planned(f"{n} ({iteration}/{times})", d, c) for n, d, c in inner]
        else:
            name = f"S{number}"
            number += 1
            segment, duration, cadence = draw(plain_segments(name))
            lines += [f"  {line}" for line in segment]
            planned.append(Planned(name, duration, cadence))
    return Generated("\n".join(lines) + "\n", tuple(planned))


def visible(state: WalkState) -> tuple[object, ...]:
    """What a person sees, at the resolution the screen shows it (whole-second countdown)."""
    return (
        state.finished,
        state.segment.index,
        state.step,
        state.phase,
        state.foot,
        math.ceil(state.segment_left - 1e-9),
        state.cues,
        state.posture_prompt,
    )


def sampled(count: int, spread: int = 40) -> list[int]:
    """A few indices out of range(count): both ends and an even spread between."""
    stride = max(1, count // spread)
    return sorted({0, 1, count - 2, count - 1, *range(0, count, stride)} & set(range(count)))


# -- timeline shape ----------------------------------------------------------------------


@PROPERTIES
@given(routines())
def test_segments_tile_the_walk_in_the_planned_order(generated: Generated) -> None:
    timeline = generated.timeline
    segments = timeline.segments
    assert segments[0].start == 0
    for before, after in pairwise(segments):
        assert before.end == after.start
    assert timeline.total == segments[-1].end == sum(p.duration for p in generated.planned)
    assert [(s.label, s.duration, s.cadence) for s in segments] == [
        (p.label, p.duration, p.cadence) for p in generated.planned
    ]
    for segment in segments:
        assert state_at(timeline, segment.start).segment.index == segment.index
        assert state_at(timeline, segment.end - 1e-6).segment.index == segment.index


# -- beats and the stride -----------------------------------------------------------------


@PROPERTIES
@given(routines())
def test_beats_are_evenly_spaced_from_the_segment_start(generated: Generated) -> None:
    timeline = generated.timeline
    for segment in timeline.segments:
        beats = beat_times(timeline, segment.index)
        period = 60 / segment.cadence
        assert beats[0] == segment.start
        assert beats[-1] < segment.end <= beats[-1] + period + 1e-9
        for k, beat in enumerate(beats):
            assert beat == segment.start + k * 60 / segment.cadence


@PROPERTIES
@given(routines())
def test_every_beat_is_a_heel_strike_of_the_next_step(generated: Generated) -> None:
    timeline = generated.timeline
    for segment in timeline.segments:
        beats = beat_times(timeline, segment.index)
        first = state_at(timeline, beats[0]).step
        for k in sampled(len(beats)):
            state = state_at(timeline, beats[k])
            assert state.segment.index == segment.index
            assert state.phase is StridePhase.HEEL_STRIKE
            assert state.step == first + k


@PROPERTIES
@given(routines())
def test_each_step_passes_heel_hip_arm_in_equal_thirds(generated: Generated) -> None:
    timeline = generated.timeline
    for segment in timeline.segments:
        beats = beat_times(timeline, segment.index)
        third = 60 / segment.cadence / 3
        for k in sampled(len(beats), spread=15):
            step = state_at(timeline, beats[k]).step
            for n, phase in enumerate(PHASES):
                at = beats[k] + n * third + 1e-6
                if at >= segment.end:
                    break
                state = state_at(timeline, at)
                assert (state.step, state.phase) == (step, phase)


@PROPERTIES
@given(routines())
def test_foot_alternates_each_step_and_the_opposite_arm_swings(generated: Generated) -> None:
    timeline = generated.timeline
    for segment in timeline.segments:
        beats = beat_times(timeline, segment.index)
        for k in sampled(len(beats))[:-1]:
            this, following = state_at(timeline, beats[k]), state_at(timeline, beats[k + 1])
            assert following.foot is this.foot.opposite
            assert this.arm is this.foot.opposite
            assert {this.foot, this.arm} == {Foot.LEFT, Foot.RIGHT}


def test_foot_alternates_across_a_segment_change() -> None:
    timeline = builtin("desk-break")  # Steady: 90 s at 103 spm = 154.5 steps
    for before, after in pairwise(timeline.segments):
        last = state_at(timeline, beat_times(timeline, before.index)[-1])
        first = state_at(timeline, after.start)
        assert first.step == last.step + 1
        assert first.foot is last.foot.opposite


# -- next_change_after ----------------------------------------------------------------------


@PROPERTIES
@given(routines(), st.floats(0, 1, exclude_max=True))
def test_nothing_visible_changes_before_next_change_after(
    generated: Generated, fraction: float
) -> None:
    timeline = generated.timeline
    position = fraction * timeline.total
    # Follow the chain for a while: its own results are the boundary cases.
    for _ in range(25):
        if position >= timeline.total:
            break
        following = next_change_after(timeline, position)
        assert following > position
        now = visible(state_at(timeline, position))
        # The engine rounds away float noise below 1e-9 s, so "just before" is 1e-7 s before.
        if following - 1e-7 > position:
            assert visible(state_at(timeline, following - 1e-7)) == now
        assert visible(state_at(timeline, following)) != now
        position = following


def test_next_change_after_is_infinite_once_finished() -> None:
    timeline = builtin("desk-break")
    assert next_change_after(timeline, timeline.total) == math.inf
    assert next_change_after(timeline, timeline.total + 5) == math.inf


def six_hour_routines() -> list[Timeline]:
    hours = timeline_of(
        """\
        name: Six hours at a jog
        cadence: 180
        segments:
          - repeat: 6
            segments:
              - name: Hour
                duration: 1h
        """
    )
    blocks = timeline_of(
        """\
        name: Six hours of intervals
        cadence: 113
        segments:
          - repeat: 12
            segments:
              - repeat: 2
                segments:
                  - name: Brisk
                    duration: 7m
                  - name: Easy
                    duration: 8m
                    cadence: 97
        """
    )
    return [hours, blocks]


@pytest.mark.parametrize("timeline", six_hour_routines(), ids=["6x1h-180spm", "repeat-blocks"])
def test_six_hour_walk_runs_through_the_engine_without_drift(timeline: Timeline) -> None:
    # How fast is the benchmark's business (SPEC §8: < 1 s), never a timed test's.
    assert timeline.total == SIX_HOURS
    positions: list[float] = []
    position = 0.0
    while position < SIX_HOURS:
        positions.append(position)
        position = next_change_after(timeline, position)
    assert position == SIX_HOURS  # the final boundary exactly at the total
    assert next_change_after(timeline, position) == math.inf
    assert all(a < b for a, b in pairwise(positions))
    visited = set(positions)
    for segment in timeline.segments:
        assert float(segment.start) in visited
        beats = beat_times(timeline, segment.index)
        k = len(beats) - 1
        # The last beat is exactly where the routine puts it, not where ticks would.
        assert segment.start + k * 60 / segment.cadence in visited
    last = timeline.segments[-1]
    last_beat = beat_times(timeline, last.index)[-1]
    assert last_beat < SIX_HOURS
    assert state_at(timeline, last_beat).phase is StridePhase.HEEL_STRIKE


# -- WalkSession ------------------------------------------------------------------------

THREE_SEGMENTS = """\
    name: Three
    cadence: 100
    segments:
      - name: A
        duration: 60
        cadence: 90
      - name: B
        duration: 60
        cadence: 120
      - name: C
        duration: 60
    """


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> WalkSession:
    return WalkSession(timeline_of(THREE_SEGMENTS), clock)


def test_session_position_follows_the_clock(session: WalkSession, clock: FakeClock) -> None:
    assert session.position() == 0
    clock.advance(12.5)
    assert session.position() == session.walked() == 12.5
    assert session.state().segment.name == "A"


def test_pause_stops_the_walk_and_resume_continues_where_it_was(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(10)
    session.pause()
    at_pause = session.position()
    clock.advance(100)
    assert session.position() == at_pause == 10
    assert session.paused_seconds() == 100
    assert session.next_change_in() == math.inf
    session.resume()
    assert session.position() == at_pause
    assert session.toggle_pause() is True
    clock.advance(5)
    assert session.toggle_pause() is False
    assert session.position() == at_pause


def test_segment_boundary_comes_at_the_planned_wall_time_plus_the_pause(
    session: WalkSession, clock: FakeClock
) -> None:
    start = clock.now
    clock.advance(20)
    session.pause()
    clock.advance(37.5)
    session.resume()
    clock.now = start + 60 + 37.5 - 1e-6
    assert session.state().segment.name == "A"
    clock.now = start + 60 + 37.5
    assert session.state().segment.name == "B"
    clock.now = start + 120 + 37.5
    assert session.state().segment.name == "C"


def test_next_segment_jumps_to_the_next_segment_start(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(10)
    session.next_segment()
    assert session.position() == 60
    assert session.state().segment.name == "B"
    assert session.walked() == 10  # skipping is not walking
    clock.advance(1)
    assert session.position() == 61


def test_next_segment_in_the_last_segment_finishes_the_walk(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(130)
    session.next_segment()
    assert session.finished
    assert session.state().finished


def test_back_restarts_the_current_segment(session: WalkSession, clock: FakeClock) -> None:
    clock.advance(75)
    session.back()
    assert session.position() == 60
    assert session.state().segment.name == "B"


def test_back_twice_within_three_seconds_goes_to_the_previous_segment(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(75)
    session.back()
    clock.advance(BACK_AGAIN_WINDOW - 0.5)
    session.back()
    assert session.position() == 0
    assert session.state().segment.name == "A"


def test_back_again_after_three_seconds_only_restarts_the_segment(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(75)
    session.back()
    clock.advance(BACK_AGAIN_WINDOW + 0.5)
    session.back()
    assert session.position() == 60
    assert session.state().segment.name == "B"


def test_back_twice_in_the_first_segment_stays_at_the_start(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(30)
    session.back()
    clock.advance(1)
    session.back()
    assert session.position() == 0


def test_cadence_change_lasts_for_the_rest_of_the_segment_only(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(10)
    assert session.adjust_cadence(+2) == 92
    assert session.adjust_cadence(+2) == 94
    assert session.state().cadence == 94
    clock.advance(49)
    assert session.state().cadence == 94
    clock.advance(1)  # segment B
    assert session.state().cadence == 120
    clock.advance(60)  # segment C takes the routine's cadence
    assert session.state().cadence == 100


def test_cadence_down_then_back_to_the_plan(session: WalkSession, clock: FakeClock) -> None:
    clock.advance(5)
    assert session.adjust_cadence(-2) == 88
    assert session.adjust_cadence(+2) == 90
    assert session.state().cadence == 90


@pytest.mark.parametrize(("cadence", "delta"), [(180, +2), (40, -2), (179, +2), (41, -2)])
def test_cadence_change_clamps_at_40_and_180(cadence: int, delta: int) -> None:
    timeline = timeline_of(
        f"""\
        name: Edge
        segments:
          - name: Only
            duration: 60
            cadence: {cadence}
        """
    )
    session = WalkSession(timeline, FakeClock())
    expected = min(max(cadence + delta, 40), 180)
    assert session.adjust_cadence(delta) == expected
    assert session.adjust_cadence(delta) == expected
    assert session.state().cadence == expected


@pytest.mark.parametrize("into_step", [0.0, 0.1, 0.25, 0.5, 0.9])
@pytest.mark.parametrize("delta", [+2, -2])
def test_cadence_change_keeps_the_stride_where_it_is(
    session: WalkSession, clock: FakeClock, into_step: float, delta: int
) -> None:
    period = 60 / 90
    clock.advance(17 * period + into_step * period + 1e-6)
    before = session.state()
    session.adjust_cadence(delta)
    after = session.state()
    assert (after.step, after.foot, after.phase) == (before.step, before.foot, before.phase)
    assert after.phase_progress == pytest.approx(before.phase_progress, abs=1e-6)
    # The next heel strike comes after the rest of this step, at the new tempo.
    new_period = 60 / (90 + delta)
    rest = (1 - into_step) * new_period
    clock.advance(rest - 1e-5)
    assert session.state().step == before.step
    clock.advance(2e-5)
    state = session.state()
    assert (state.step, state.phase) == (before.step + 1, StridePhase.HEEL_STRIKE)
    clock.advance(new_period)
    assert session.state().step == before.step + 2


def test_beat_times_follow_a_cadence_change(session: WalkSession, clock: FakeClock) -> None:
    clock.advance(30)
    session.adjust_cadence(+2)
    beats = beat_times(session.timeline, 0, session.tempo)
    for earlier, later in pairwise(beats):
        assert later - earlier == pytest.approx(60 / 92)
    for beat in beats[1:10]:
        assert state_at(session.timeline, beat, session.tempo).phase is StridePhase.HEEL_STRIKE


@pytest.mark.parametrize("speed", [2, 10, 600])
def test_speed_runs_the_walk_that_many_times_faster(clock: FakeClock, speed: int) -> None:
    session = WalkSession(timeline_of(THREE_SEGMENTS), clock, speed=speed)
    clock.advance(0.1)
    assert session.position() == pytest.approx(0.1 * speed)
    assert session.walked() == pytest.approx(0.1 * speed)
    target = next_change_after(session.timeline, session.position())
    assert session.next_change_in() == pytest.approx((target - session.position()) / speed)


# -- events_between -------------------------------------------------------------------------

EVENTS = """\
    name: Events
    cadence: 100
    cues:
      heel_strike: [H1, H2]
      hip_rotation: [R1]
      arm_swing: [A1]
      rotate_every: 20s
    posture:
      every: 45s
      cues: [P1, P2]
    segments:
      - name: Warm
        duration: 1m
        at:
          - after: 30s
            say: Halfway through the warm-up.
      - repeat: 2
        segments:
          - name: Brisk
            duration: 30s
            cadence: 120
            posture: false
            cues:
              arm_swing: [Drive the elbows back]
      - name: Cool
        duration: 40s
        at:
          - before_end: 10s
            say: Ten seconds.
    """


def kinds_at(events: list[WalkEvent]) -> list[tuple[float, EventKind, str]]:
    return [(e.at, e.kind, e.text) for e in events]


def test_events_of_a_whole_walk() -> None:
    timeline = timeline_of(EVENTS)
    S, C, A, P, Q, F = (
        EventKind.SEGMENT_START,
        EventKind.COUNTDOWN,
        EventKind.ANNOUNCEMENT,
        EventKind.POSTURE,
        EventKind.CUE,
        EventKind.FINISH,
    )
    expected = [
        (0, S, "Warm"),
        (0, P, "P1"),
        (0, Q, "Heel strike: H1"),
        (0, Q, "Hip rotation: R1"),
        (0, Q, "Arm swing: A1"),
        (20, Q, "Heel strike: H2"),
        (30, A, "Halfway through the warm-up."),
        (40, Q, "Heel strike: H1"),
        (45, P, "P2"),
        (57, C, "3"),
        (58, C, "2"),
        (59, C, "1"),
        # The inherited heel list turns over on the boundary; the segment's own arm cue starts.
        (60, S, "Brisk (1/2)"),
        (60, Q, "Heel strike: H2"),
        (60, Q, "Arm swing: Drive the elbows back"),
        (80, Q, "Heel strike: H1"),
        (87, C, "3"),
        (88, C, "2"),
        (89, C, "1"),
        # 90 s is a posture multiple, but Brisk has posture prompts off.
        (90, S, "Brisk (2/2)"),
        (100, Q, "Heel strike: H2"),
        (117, C, "3"),
        (118, C, "2"),
        (119, C, "1"),
        (120, S, "Cool"),
        (120, Q, "Heel strike: H1"),
        (120, Q, "Arm swing: A1"),
        (135, P, "P1"),
        (140, Q, "Heel strike: H2"),
        (150, A, "Ten seconds."),
        (157, C, "3"),
        (158, C, "2"),
        (159, C, "1"),
        (160, F, "Walk complete"),
    ]
    assert kinds_at(events_between(timeline, -1, timeline.total)) == expected


def test_segment_start_events_carry_the_segment_and_its_label() -> None:
    timeline = timeline_of(EVENTS)
    starts = [
        e for e in events_between(timeline, -1, timeline.total) if e.kind is EventKind.SEGMENT_START
    ]
    assert [(e.segment, e.text) for e in starts] == [(s.index, s.label) for s in timeline.segments]


def test_countdown_can_be_left_out() -> None:
    timeline = timeline_of(EVENTS)
    events = events_between(timeline, -1, timeline.total, countdown=False)
    assert all(e.kind is not EventKind.COUNTDOWN for e in events)


def test_a_window_includes_its_end_but_not_its_start() -> None:
    timeline = timeline_of(EVENTS)
    assert [e.text for e in events_between(timeline, 29, 30)] == ["Halfway through the warm-up."]
    assert events_between(timeline, 30, 31) == []
    assert events_between(timeline, 30, 30) == []


def test_passing_the_end_again_announces_nothing() -> None:
    timeline = timeline_of(EVENTS)
    assert events_between(timeline, timeline.total, timeline.total + 100) == []


@PROPERTIES
@given(routines(), st.lists(st.floats(0, 1), max_size=30))
def test_consecutive_windows_give_each_event_exactly_once(
    generated: Generated, cuts: list[float]
) -> None:
    timeline = generated.timeline
    edges = [-1.0, *sorted(c * (timeline.total + 1) for c in cuts), timeline.total + 1.0]
    pieces: list[WalkEvent] = []
    for after, until in pairwise(edges):
        pieces.extend(events_between(timeline, after, until))
    whole = events_between(timeline, -1.0, timeline.total + 1.0)
    assert pieces == whole
    assert len(set(whole)) == len(whole)
    assert [e.at for e in whole] == sorted(e.at for e in whole)


@PROPERTIES
@given(routines())
def test_every_segment_change_has_a_countdown_and_a_start(generated: Generated) -> None:
    timeline = generated.timeline
    events = events_between(timeline, -1, timeline.total)
    starts = [e.at for e in events if e.kind is EventKind.SEGMENT_START]
    assert starts == [float(s.start) for s in timeline.segments]
    countdowns = {(e.at, e.text) for e in events if e.kind is EventKind.COUNTDOWN}
    for segment in timeline.segments:
        for n in (3, 2, 1):
            if segment.end - n > segment.start:
                assert (float(segment.end - n), str(n)) in countdowns
    finish = [e for e in events if e.kind is EventKind.FINISH]
    assert [e.at for e in finish] == [timeline.total]
    assert events[-1].kind is EventKind.FINISH


@PROPERTIES
@given(routines(), st.floats(0, 1, exclude_max=True))
def test_cue_events_say_what_the_screen_shows(generated: Generated, fraction: float) -> None:
    """Follow the cue events up to any moment: they name the cues showing there."""
    timeline = generated.timeline
    position = fraction * timeline.total
    heard: dict[str, str] = {}
    for event in events_between(timeline, -1, position):
        if event.kind is EventKind.CUE:
            phase, cue = event.text.split(": ", 1)
            heard[phase] = cue
    showing = state_at(timeline, position).cues
    assert tuple(heard[phase.label] for phase in PHASES) == showing


@PROPERTIES
@given(routines())
def test_posture_events_match_the_timeline_prompts(generated: Generated) -> None:
    timeline = generated.timeline
    events = events_between(timeline, -1, timeline.total)
    posture = [(e.at, e.text) for e in events if e.kind is EventKind.POSTURE]
    assert posture == [(float(p.at), p.text) for p in timeline.posture_prompts]
    for at, text in posture:
        assert state_at(timeline, at).posture_prompt == text


CUE_TIMELINES = [
    timeline_of(
        """\
        name: Cues
        cadence: 100
        cues:
          heel_strike: [One, Two, Three]
          rotate_every: 7s
        posture: {every: 20s, cues: [Tall, Loose]}
        segments:
          - {name: A, duration: 95}
          - name: B
            duration: 61
            cues: {arm_swing: [Swing, Sway], rotate_every: 3s}
          - {name: C, duration: 40, posture: false}
        """
    ),
    timeline_of("name: Plain\ncadence: 90\nsegments: [{name: Only, duration: 200}]\n"),
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0, 1]),
            st.one_of(
                st.floats(min_value=0, max_value=200, allow_nan=False),
                # a hair either side of a whole second, as beat times land
                st.integers(0, 200).map(lambda s: s - 1e-10),
                st.integers(0, 200).map(lambda s: s + 1e-10),
            ),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_cues_and_posture_are_those_of_the_rotations_wherever_and_in_whatever_order_asked(
    asks: list[tuple[int, float]],
) -> None:
    # The cues and prompt are worked out once per whole second: asking two routines in
    # turn, or near a second's edge, must still give what the rotations say.
    for which, position in asks:
        timeline = CUE_TIMELINES[which]
        position = min(max(position, 0.0), timeline.total - 0.001)
        state = state_at(timeline, position)
        segment = state.segment
        assert state.cues == tuple(segment.rotation(p).cue_at(position) for p in PHASES)
        if segment.posture is None:
            assert state.posture_prompt is None
        else:
            given_before = [p for p in timeline.posture_prompts if p.at <= position + 1e-9]
            assert state.posture_prompt == (given_before[-1].text if given_before else None)


def test_a_prompt_due_a_hair_after_the_position_asked_shows_even_after_earlier_asks() -> None:
    # Beat times land a float's hair before a whole second; the prompt of that second
    # counts as given there, even when the same second was asked just before.
    timeline = CUE_TIMELINES[0]
    assert state_at(timeline, 19.5).posture_prompt == "Tall"
    assert state_at(timeline, 20 - 1e-10).posture_prompt == "Loose"
    assert state_at(timeline, 19.5).posture_prompt == "Tall"


# -- stops and sleeps ---------------------------------------------------------------


def test_a_gap_between_wakes_longer_than_three_seconds_is_a_stop_not_walking(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(50)
    last_wake = clock.now
    clock.advance(20)  # stopped (SIGSTOP, a laptop asleep): no wake for 20 s
    assert session.account_gap(clock.now, last_wake) == 20
    assert session.position() == session.walked() == 50  # where it was at the last wake
    assert session.paused_seconds() == 20
    # Nothing fell due during the stop: the walk passes 50 s only now.
    assert events_between(session.timeline, 50, session.position()) == []
    clock.advance(10)
    assert session.state().segment.name == "B"  # at 60 s of walking, not at 40


def test_a_gap_of_three_seconds_or_less_is_walking(session: WalkSession, clock: FakeClock) -> None:
    last_wake = clock.now
    clock.advance(STOP_GAP)
    assert session.account_gap(clock.now, last_wake) == 0.0
    assert session.walked() == STOP_GAP


def test_a_paused_walk_has_no_stops(session: WalkSession, clock: FakeClock) -> None:
    session.pause()
    last_wake = clock.now
    clock.advance(600)
    assert session.account_gap(clock.now, last_wake) == 0.0
    assert session.paused_seconds() == 600  # paused, counted once


def test_a_resume_counts_as_a_wake(session: WalkSession, clock: FakeClock) -> None:
    clock.advance(10)
    session.pause()
    last_wake = clock.now  # the screen sleeps while paused
    clock.advance(60)
    session.resume()
    clock.advance(1)
    assert session.account_gap(clock.now, last_wake) == 0.0
    assert session.walked() == 11


@pytest.mark.parametrize(
    ("seconds", "line"),
    [
        (20.4, "Resumed after a 20 s stop"),
        (3.2, "Resumed after a 3 s stop"),
        (125, "Resumed after a 2 min 5 s stop"),
        (600, "Resumed after a 10 min stop"),
        (3 * 3600 + 60, "Resumed after a 3 h 1 min stop"),
    ],
)
def test_a_stop_is_told_in_plain_words(seconds: float, line: str) -> None:
    from coach.core.announcements import resumed_after_stop

    assert resumed_after_stop(seconds) == line


def test_walk_state_fields_stay_in_the_order_state_at_builds_them() -> None:
    # state_at builds WalkState by position (for speed): a new or moved field must be
    # placed there too, and several are floats that no type check would tell apart.
    from coach.core.engine import WalkState

    assert list(WalkState._fields) == [
        "position",
        "finished",
        "segment",
        "next_segment",
        "cadence",
        "segment_elapsed",
        "segment_left",
        "walk_left",
        "step",
        "foot",
        "phase",
        "phase_progress",
        "cues",
        "posture_prompt",
    ]
