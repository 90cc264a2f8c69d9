"""A plan over simulated weeks, through the store, with the date passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from coach.config import Config
from coach.core.checkin import Checkin, WarningSign
from coach.core.progression import Outcome
from coach.core.records import WalkStatus
from coach.planning import (
    PlanError,
    coming_sessions,
    open_plan,
    session_routine,
    start_plan,
    stop_plan,
)
from coach.store import Store

MONDAY = date(2026, 5, 4)  # the plan starts on a Monday
CONFIG = Config()


def day(week: int, weekday: int) -> date:
    """Weekday (0 = Monday) of plan week `week` (from 0)."""
    return MONDAY + timedelta(weeks=week, days=weekday)


def walk(
    store: Store,
    on: date,
    minutes: float,
    pain: tuple[int, int] | None = None,
    warning: bool = False,
) -> None:
    started = datetime.combine(on, time(8)).astimezone()
    after = None
    if pain is not None or warning:
        after = Checkin(
            pain=pain[1] if pain else None,
            warning_signs=frozenset({WarningSign.SADDLE_NUMBNESS}) if warning else frozenset(),
        )
    store.log_walk(
        started,
        int(minutes * 60),
        "",
        "Logged walk",
        0.0,
        minutes * 60,
        before=Checkin(pain=pain[0]) if pain else None,
        after=after,
    )


@pytest.fixture
def store(coach_home: Path) -> Store:
    opened = Store.open()
    yield opened
    opened.close()


@dataclass(frozen=True)
class Week:
    """One simulated week: walks of these minutes on Mon, Wed, Fri (pain before, after)."""

    minutes: tuple[float, ...] = (30, 30, 30)
    pains: tuple[tuple[int, int] | None, ...] = (None, None, None)
    warning: bool = False


FULL = Week()
MISSED = Week(minutes=())
SHORT = Week(minutes=(30, 5, 30))  # 5 < 8, the least that counts of a 10-minute session
FLARE = Week(pains=((2, 5), (2, 5), None))
SIGN = Week(warning=True)


def simulate(store: Store, weeks: list[Week]) -> list[tuple[Outcome, int, str]]:
    """Walk the weeks of walkback from week 1, then open the plan on the next Monday."""
    start_plan(store, "walkback", MONDAY)
    for number, week in enumerate(weeks):
        walks = zip(week.minutes, week.pains, strict=False)
        for weekday, (minutes, pain) in zip((0, 2, 4), walks, strict=False):
            walk(store, day(number, weekday), minutes, pain)
        if week.warning:
            walk(store, day(number, 1), 10, warning=True)
        # Opened each week (as home would), so decisions come one at a time.
        open_plan(store, day(number, 6), CONFIG)
    opened = open_plan(store, day(len(weeks), 0), CONFIG)
    assert opened is not None
    return [(d.outcome, d.next_week, d.reason) for d in opened.stored.decisions]


@pytest.mark.parametrize(
    ("weeks", "outcomes", "week_after"),
    [
        ([FULL], [Outcome.ADVANCE], 2),
        ([FULL, FULL, FULL], [Outcome.ADVANCE] * 3, 4),
        ([MISSED], [Outcome.HOLD], 1),
        ([FULL, MISSED, FULL], [Outcome.ADVANCE, Outcome.HOLD, Outcome.ADVANCE], 3),
        ([SHORT], [Outcome.HOLD], 1),
        ([FULL, FULL, FLARE], [Outcome.ADVANCE, Outcome.ADVANCE, Outcome.STEP_BACK], 2),
        ([FLARE], [Outcome.HOLD], 1),  # week 1 cannot step back
        ([FULL, SIGN], [Outcome.ADVANCE, Outcome.STEP_BACK], 1),
    ],
    ids=[
        "full",
        "three-full",
        "missed",
        "missed-between",
        "short",
        "flare",
        "flare-week-1",
        "sign",
    ],
)
def test_progression_over_simulated_weeks(
    store: Store, weeks: list[Week], outcomes: list[Outcome], week_after: int
) -> None:
    decisions = simulate(store, weeks)
    assert [outcome for outcome, _, _ in decisions] == outcomes
    plan = store.active_plan()
    assert plan is not None and plan.week == week_after


def test_a_flare_is_kept_with_its_reason(store: Store) -> None:
    decisions = simulate(store, [FULL, FULL, FLARE])
    assert (
        decisions[-1][2]
        == "Stepped back to week 2: pain rose by 3 points after two walks in the week of 18 May"
    )


def test_a_missed_week_says_how_many_sessions_were_done(store: Store) -> None:
    decisions = simulate(store, [SHORT])
    assert decisions[0][2] == (
        "Held at week 1: 2 of 3 sessions done in the week of 4 May "
        "(1 walk was under the 8 minutes a session counts from)"
    )


def test_weeks_away_are_decided_when_the_plan_is_next_opened(store: Store) -> None:
    start_plan(store, "walkback", MONDAY)
    opened = open_plan(store, day(3, 2), CONFIG)  # first opened three weeks later
    assert opened is not None
    assert [d.outcome for d in opened.stored.decisions] == [Outcome.HOLD] * 3
    assert opened.report.week.week_start == day(3, 0)


def test_opening_again_adds_no_decision(store: Store) -> None:
    start_plan(store, "walkback", MONDAY)
    open_plan(store, day(2, 0), CONFIG)
    open_plan(store, day(2, 0), CONFIG)
    open_plan(store, day(2, 3), CONFIG)
    plan = store.active_plan()
    assert plan is not None and len(plan.decisions) == 2


def test_the_plan_starts_from_recent_walking(store: Store) -> None:
    for n in range(6):  # 90 minutes over the last two weeks: 45 a week
        walk(store, MONDAY - timedelta(days=2 + 2 * n), 15)
    started = start_plan(store, "walkback", MONDAY)
    assert started.choice.week == 3
    assert started.choice.reason.startswith("Starting at week 3 (3 × 15 minutes)")


def test_a_second_plan_is_refused_until_the_first_is_stopped(store: Store) -> None:
    start_plan(store, "walkback", MONDAY)
    with pytest.raises(PlanError, match=r"already active \(walkback\); stop it first"):
        start_plan(store, "desk-pad", MONDAY)
    stopped = stop_plan(store)
    assert stopped is not None and stopped.programme_id == "walkback"
    assert start_plan(store, "desk-pad", MONDAY).programme.id == "desk-pad"


def test_an_unknown_programme_suggests_close_ids(store: Store) -> None:
    with pytest.raises(PlanError, match="did you mean walkback"):
        start_plan(store, "walkbak", MONDAY)


def test_the_plan_keeps_the_programme_text_it_started_with(store: Store, coach_home: Path) -> None:
    folder = coach_home / "programmes"
    folder.mkdir()
    mine = folder / "mine.yaml"
    mine.write_text("name: Mine\nweeks:\n  - {sessions: 2, minutes: 10}\n", encoding="utf-8")
    start_plan(store, "mine", MONDAY)
    mine.write_text("name: Mine\nweeks:\n  - {sessions: 5, minutes: 40}\n", encoding="utf-8")
    opened = open_plan(store, MONDAY, CONFIG)
    assert opened is not None
    assert [s.minutes for s in opened.report.week.sessions] == [10.0, 10.0]


def test_a_guided_walk_counts_for_todays_session(store: Store) -> None:
    today = date.today()  # the store dates a guided walk now
    start_plan(store, "walkback", today)
    walk_id = store.start_walk("desk-break", "Desk break", "p", "t", 600)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 600, 0, 5, 0.0, 600.0)
    opened = open_plan(store, today, CONFIG)
    assert opened is not None
    assert [s.done for s in opened.report.week.on(today)] == [True]


def test_coming_sessions_leave_out_those_done(store: Store) -> None:
    start_plan(store, "walkback", MONDAY)
    walk(store, day(0, 0), 10)
    opened = open_plan(store, day(0, 0), CONFIG)
    assert opened is not None
    keys = [s.key for s in coming_sessions(opened, weeks=1)]
    assert keys[:2] == ["2026-05-06#1", "2026-05-08#1"]
    assert "2026-05-04#1" not in keys


def test_the_calendar_runs_week_1_again_after_a_plan_begun_on_a_wednesday(store: Store) -> None:
    wednesday = date(2026, 12, 2)
    start_plan(store, "walkback", wednesday)
    opened = open_plan(store, wednesday, CONFIG)
    assert opened is not None
    weeks = {s.day: s.week for s in coming_sessions(opened)}
    next_monday = date(2026, 12, 7)
    assert [weeks[next_monday + timedelta(days=n)] for n in (0, 2, 4)] == [1, 1, 1]
    assert weeks[date(2026, 12, 14)] == 2
    # ... as the plan itself says when that Monday comes.
    on_monday = open_plan(store, next_monday, CONFIG)
    assert on_monday is not None and on_monday.report.week.week == 1


@pytest.mark.parametrize(
    ("minutes", "default", "chosen"),
    [
        (10, None, "desk-break"),  # 10 ≥ 8
        (15, None, "gentle-back"),  # desk-break's 10 < 12
        (30, None, "brisk-circulation"),
        (200, None, "walking-pad"),  # none long enough: the longest
        (10, "walk-tall", "walk-tall"),  # the person's default, long enough
        (60, "desk-break", "walking-pad"),  # the default is too short to count
    ],
)
def test_a_minutes_only_session_walks_a_routine_long_enough_to_count(
    minutes: float, default: str | None, chosen: str
) -> None:
    from coach.core.progression import PlannedSession

    session = PlannedSession(MONDAY, 0, 0, 1, float(minutes), None)
    entry = session_routine(session, Config(default_routine=default))
    assert entry is not None and entry.id == chosen


def test_a_session_naming_a_routine_walks_it() -> None:
    from coach.core.progression import PlannedSession

    session = PlannedSession(MONDAY, 0, 0, 4, 10.0, "desk-break")
    entry = session_routine(session, Config(default_routine="walking-pad"))
    assert entry is not None and entry.id == "desk-break"
