"""A guided walk's time split by cadence, as walked: every control change counted."""

from __future__ import annotations

from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.core.engine import WalkSession
from coach.core.routine import Timeline, compile_timeline, load_text

THREE = """\
name: Three
segments:
  - {name: Slow, duration: 60, cadence: 90}
  - {name: Brisk, duration: 120, cadence: 110}
  - {name: Easy, duration: 60, cadence: 96}
"""


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def timeline_of(text: str) -> Timeline:
    result = load_text(dedent(text), "t", "t.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


def split(session: WalkSession, threshold: float = 100) -> tuple[float, float]:
    parts = session.cadence_seconds(threshold)
    return parts.moderate_seconds, parts.easy_seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def session(clock: Clock) -> WalkSession:
    return WalkSession(timeline_of(THREE), clock)


def test_a_walk_straight_through_splits_by_segment_cadence(
    session: WalkSession, clock: Clock
) -> None:
    clock.now += 240
    assert split(session) == (120, 120)


def test_the_threshold_moves_segments_between_easy_and_moderate(
    session: WalkSession, clock: Clock
) -> None:
    clock.now += 240
    assert split(session, threshold=95) == (180, 60)


def test_a_pause_adds_nothing(session: WalkSession, clock: Clock) -> None:
    clock.now += 70
    session.pause()
    clock.now += 600
    session.resume()
    clock.now += 10
    assert split(session) == (20, 60)


def test_a_skip_counts_only_what_was_walked(session: WalkSession, clock: Clock) -> None:
    clock.now += 30
    session.next_segment()  # to Brisk at 60
    clock.now += 30
    assert split(session) == (30, 30)


def test_going_back_walks_the_segment_again(session: WalkSession, clock: Clock) -> None:
    clock.now += 100  # 60 slow, 40 brisk
    session.back()  # Brisk again from its start
    clock.now += 120
    assert split(session) == (160, 60)


def test_a_faster_tempo_counts_from_when_it_was_set(session: WalkSession, clock: Clock) -> None:
    clock.now += 20
    for _ in range(5):
        session.adjust_cadence(2)  # 90 → 100 for the rest of Slow
    clock.now += 40
    assert split(session) == pytest.approx((40, 20))


def test_a_tempo_ends_with_its_segment(session: WalkSession, clock: Clock) -> None:
    clock.now += 70
    for _ in range(6):
        session.adjust_cadence(-2)  # Brisk 110 → 98
    clock.now += 170  # the rest of Brisk at 98, then Easy at its own 96
    assert split(session) == pytest.approx((10, 230))


def test_time_past_the_end_counts_at_the_last_cadence(session: WalkSession, clock: Clock) -> None:
    clock.now += 250
    assert split(session, threshold=95) == (190, 60)
    assert session.walked() == 250


# -- every control, against a second-by-second oracle ----------------------------------------

CONTROLS = st.lists(
    st.one_of(
        st.tuples(st.just("walk"), st.integers(1, 90)),
        st.tuples(st.sampled_from(["pause", "resume", "next", "back", "faster", "slower"])),
    ),
    max_size=25,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(1, 120), st.integers(40, 180)), min_size=1, max_size=5),
    CONTROLS,
    st.integers(60, 140),
)
def test_moderate_and_easy_add_up_to_walked_and_follow_the_cadence_in_effect(
    segments: list[tuple[int, int]], controls: list[tuple[object, ...]], threshold: int
) -> None:
    text = "name: G\nsegments:\n" + "".join(
        f"  - {{name: S{n}, duration: {d}, cadence: {c}}}\n" for n, (d, c) in enumerate(segments)
    )
    clock = Clock()
    session = WalkSession(timeline_of(text), clock)
    moderate = easy = 0.0
    for control in controls:
        match control:
            case ("walk", seconds):
                assert isinstance(seconds, int)
                for _ in range(seconds):
                    # Segment starts, jumps and the clock are whole seconds, so the cadence
                    # at the start of each second holds for all of it.
                    if not session.paused:
                        if session.state().cadence >= threshold:
                            moderate += 1
                        else:
                            easy += 1
                    clock.now += 1
            case ("pause",):
                session.pause()
            case ("resume",):
                session.resume()
            case ("next",):
                session.next_segment()
            case ("back",):
                session.back()
            case ("faster",):
                session.adjust_cadence(2)
            case ("slower",):
                session.adjust_cadence(-2)
    parts = session.cadence_seconds(threshold)
    assert parts.moderate_seconds + parts.easy_seconds == pytest.approx(session.walked())
    assert (parts.moderate_seconds, parts.easy_seconds) == pytest.approx((moderate, easy))
