"""What was walked, apart from where in the routine the walk is: steps and segments.

A skip (`n`) moves the position but walks nothing; `b` walks a stretch again; `+`/`-`
change the cadence of the steps that follow. Steps are the beats passed while walking.
"""

from __future__ import annotations

from itertools import pairwise
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.core.engine import WalkSession, beats_until, state_at
from coach.core.routine import Timeline, compile_timeline, load_text

THREE = """\
    name: Three
    segments:
      - name: A
        duration: 60
        cadence: 90
      - name: B
        duration: 60
        cadence: 120
      - name: C
        duration: 60
        cadence: 100
    """


def timeline_of(text: str) -> Timeline:
    result = load_text(dedent(text), "t", "t.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


class FakeClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> WalkSession:
    return WalkSession(timeline_of(THREE), clock)


def test_without_controls_steps_walked_is_the_step_being_walked(
    session: WalkSession, clock: FakeClock
) -> None:
    for _ in range(399):  # 0.45 s at a time across all three segments, to 179.55
        clock.advance(0.45)
        assert session.steps_walked() == session.state().step + 1


def test_the_first_step_counts_at_the_start(session: WalkSession) -> None:
    assert session.steps_walked() == 1


def test_a_skip_counts_no_steps_for_the_skipped_time(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(10)  # 90 spm: beats at 0, 2/3, …, 10 → 16 steps
    assert session.steps_walked() == 16
    session.next_segment()  # B starts with a new step
    assert session.steps_walked() == 17
    clock.advance(2)  # 120 spm: four more beats after B's first
    assert session.steps_walked() == 21
    # Where the routine is counts B's planned steps after all of A's 90.
    assert session.state().step + 1 == 90 + 5


def test_going_back_counts_the_stretch_walked_again(session: WalkSession, clock: FakeClock) -> None:
    clock.advance(30)  # 46 steps of A
    session.back()  # A again from its start: a new step
    clock.advance(30)
    assert session.steps_walked() == 46 + 1 + 45
    assert session.state().step + 1 == 46


def test_pause_walks_no_steps(session: WalkSession, clock: FakeClock) -> None:
    clock.advance(5)
    before = session.steps_walked()
    session.pause()
    clock.advance(600)
    assert session.steps_walked() == before


def test_a_cadence_change_counts_the_faster_steps_and_never_goes_back(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(30.1)
    session.adjust_cadence(+10)  # A at 100 spm from here
    assert session.steps_walked() == session.state().step + 1  # the step under way goes on
    counts = []
    for _ in range(400):  # into B: the count rises by one a beat, never falls at A's end
        clock.advance(0.1)
        counts.append(session.steps_walked())
    assert all(0 <= b - a <= 1 for a, b in pairwise(counts))
    # 30 s at 90, ~30 s at 100, then B at 120: more than the 90 A plans, by about 5.
    clock.now = 500 + 60 + 10
    assert 90 + 4 <= session.steps_walked() - 21 <= 90 + 6


def test_beats_until_at_the_end_counts_every_planned_beat() -> None:
    timeline = timeline_of(THREE)
    planned = sum(segment.planned_steps for segment in timeline.segments)
    assert beats_until(timeline, timeline.total) == planned
    assert beats_until(timeline, timeline.total + 50) == planned


def test_finishing_without_controls_walks_every_planned_step(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(180)
    assert session.finished
    assert session.steps_walked() == 90 + 120 + 100


def test_skipped_segments_are_not_walked(session: WalkSession, clock: FakeClock) -> None:
    clock.advance(59)
    assert session.segments_walked() == 0
    clock.advance(2)
    assert session.segments_walked() == 1  # A walked to its end
    session.next_segment()  # B skipped
    clock.advance(60)
    assert session.segments_walked() == 2  # A and C, not B
    assert session.finished


def test_a_segment_walked_twice_counts_once(session: WalkSession, clock: FakeClock) -> None:
    clock.advance(65)
    session.back()
    session.back()  # within 3 s: back to A
    clock.advance(125)
    assert session.segments_walked() == 2  # A (twice) and B


# -- whatever the controls ------------------------------------------------------------------

CONTROLS = st.lists(
    st.tuples(
        st.floats(0.0, 40.0),
        st.sampled_from(["next", "back", "faster", "slower", "pause", "none"]),
    ),
    max_size=12,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CONTROLS)
def test_steps_walked_follow_walked_time_at_the_cadences_in_effect(
    controls: list[tuple[float, str]],
) -> None:
    clock = FakeClock()
    session = WalkSession(timeline_of(THREE), clock)
    expected = 0.0  # the walked time at each cadence: steps, to within one per stretch
    stretches = 1
    last = session.steps_walked()
    for wait, control in controls:
        for _ in range(4):
            if not session.paused and not session.finished:
                state = session.state()  # no walking past the end of the walk
                expected += min(wait / 4, state.walk_left) * state.cadence / 60
            clock.advance(wait / 4)
            now = session.steps_walked()
            assert now >= last  # never goes back
            last = now
        if control == "next":
            session.next_segment()
            stretches += 1
        elif control == "back":
            session.back()
            stretches += 1
        elif control == "faster":
            session.adjust_cadence(+6)
            stretches += 1
        elif control == "slower":
            session.adjust_cadence(-6)
            stretches += 1
        elif control == "pause":
            session.toggle_pause()
        now = session.steps_walked()
        assert now >= last
        last = now
    # Only the beats falling inside each stretch: each may gain or lose a part step,
    # and each jump starts a step of its own. (The sampling above is piecewise exact,
    # except where a segment ends mid-quarter: a second of cadence difference at most.)
    assert abs(session.steps_walked() - expected) <= 2 * stretches + 4


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 179.99))
def test_beats_until_without_tempo_is_state_step_plus_one(position: float) -> None:
    timeline = timeline_of(THREE)
    assert beats_until(timeline, position) == state_at(timeline, position).step + 1


def test_time_walked_stops_at_the_end_of_the_routine(
    session: WalkSession, clock: FakeClock
) -> None:
    clock.advance(30)
    session.next_segment()  # 30 s of A skipped
    clock.advance(125)  # B and C are 120 s: the clock ran 5 s past the end
    assert session.finished
    assert session.walked() == 155
    assert session.walked_to_end() == 150
