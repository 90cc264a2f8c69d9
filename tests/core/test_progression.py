"""A plan's progress through a programme over simulated weeks: pure, dates passed in."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.core.programme import Programme, Week, load_file, load_text
from coach.core.progression import (
    Decision,
    Outcome,
    PlannedSession,
    PlanState,
    PlanWalk,
    catch_up,
    choose_start_week,
    decide_week,
    plan_sessions,
    planned_minutes,
    upcoming_sessions,
    week_plan,
    weeks_to_decide,
)

REPO = Path(__file__).resolve().parents[2]
MONDAY = date(2026, 5, 4)  # a Monday
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def programme(weeks: str, progression: str = "") -> Programme:
    text = f"name: P\n{progression}weeks:\n{weeks}"
    result = load_text(text, "p")
    assert result.programme is not None, result.report()
    return result.programme


# Three weeks of 3, 4 and 5 sessions of 10 minutes.
THREE_WEEKS = "".join(f"  - {{sessions: {n}, minutes: 10}}\n" for n in (3, 4, 5))
HOLD = programme(THREE_WEEKS)
STEP_BACK = programme(THREE_WEEKS, "progression: {on_flare: step_back}\n")


def day(week: int, weekday: int) -> date:
    """The date of `weekday` in plan week `week` (counted from 0) of a plan begun on MONDAY."""
    return MONDAY + timedelta(weeks=week, days=weekday)


def walk(
    when: date, minutes: float = 10, before: int | None = None, after: int | None = None
) -> PlanWalk:
    return PlanWalk(day=when, minutes=minutes, pain_before=before, pain_after=after)


@dataclass(frozen=True)
class SimWeek:
    """One simulated week: the walks by weekday (minutes, pain before, pain after)."""

    walks: Sequence[tuple[int, float, int | None, int | None]]
    flagged_weekdays: Sequence[int] = ()


def full(n: int, minutes: float = 10) -> SimWeek:
    """n walks on the first n days, each `minutes` long, pain unchanged."""
    return SimWeek([(weekday, minutes, 3, 3) for weekday in range(n)])


def flare(n: int, rises: int = 2, by: int = 3) -> SimWeek:
    """n walks on the first n days, `rises` of them with pain up `by` points after."""
    return SimWeek([(wd, 10, 2, 2 + by if wd < rises else 2) for wd in range(n)])


def simulate(plan: Programme, weeks: Sequence[SimWeek], start: date = MONDAY) -> list[Decision]:
    """Walk the plan through the weeks, deciding each at the following Monday."""
    state = PlanState(plan.id, start)
    walks: list[PlanWalk] = []
    flagged: list[date] = []
    for n, week in enumerate(weeks):
        walks += [walk(day(n, wd), m, b, a) for wd, m, b, a in week.walks]
        flagged += [day(n, wd) for wd in week.flagged_weekdays]
        state = catch_up(plan, state, day(n + 1, MON), walks, flagged)
    assert len(state.decisions) == len(weeks)
    return list(state.decisions)


CASES = {
    "all sessions done each week → advance": (
        HOLD,
        [full(3), full(4)],
        [
            (Outcome.ADVANCE, 1, 2, "Advanced to week 2: all 3 sessions done without a flare"),
            (Outcome.ADVANCE, 2, 3, "Advanced to week 3: all 4 sessions done without a flare"),
        ],
    ),
    "last week done → stays, programme complete": (
        HOLD,
        [full(3), full(4), full(5), full(5)],
        [
            (Outcome.ADVANCE, 1, 2, None),
            (Outcome.ADVANCE, 2, 3, None),
            (
                Outcome.COMPLETE,
                3,
                3,
                "Programme complete: all 5 sessions of week 3 done without a flare; "
                "keep walking at this amount",
            ),
            (Outcome.COMPLETE, 3, 3, None),
        ],
    ),
    "flare → hold (on_flare: hold)": (
        HOLD,
        [full(3), flare(4)],
        [
            (Outcome.ADVANCE, 1, 2, None),
            (
                Outcome.HOLD,
                2,
                2,
                "Held at week 2: pain rose by 3 points after two walks in the week of 11 May",
            ),
        ],
    ),
    "flare → step back (on_flare: step_back)": (
        STEP_BACK,
        [full(3), flare(4, rises=3, by=2)],
        [
            (Outcome.ADVANCE, 1, 2, None),
            (
                Outcome.STEP_BACK,
                2,
                1,
                "Stepped back to week 1: pain rose by 2 points after three walks "
                "in the week of 11 May",
            ),
        ],
    ),
    "flare in week 1 with step_back → holds at week 1": (
        STEP_BACK,
        [flare(3)],
        [
            (
                Outcome.HOLD,
                1,
                1,
                "Held at week 1: pain rose by 3 points after two walks in the week of 4 May",
            )
        ],
    ),
    "rises of different sizes are given as a range": (
        HOLD,
        [SimWeek([(MON, 10, 2, 4), (WED, 10, 2, 6), (FRI, 10, 2, 2)])],
        [
            (
                Outcome.HOLD,
                1,
                1,
                "Held at week 1: pain rose by 2 to 4 points after two walks in the week of 4 May",
            )
        ],
    ),
    "one walk with a pain rise is not a flare": (
        HOLD,
        [flare(3, rises=1)],
        [(Outcome.ADVANCE, 1, 2, None)],
    ),
    "a rise that is not meaningful does not count": (
        HOLD,
        [SimWeek([(MON, 10, 5, 6), (WED, 10, 5, 6), (FRI, 10, 5, 6)])],
        [(Outcome.ADVANCE, 1, 2, None)],
    ),
    "a small rise from a low score is meaningful (30%)": (
        HOLD,
        [SimWeek([(MON, 10, 2, 3), (WED, 10, 2, 3), (FRI, 10, 2, 2)])],
        [
            (
                Outcome.HOLD,
                1,
                1,
                "Held at week 1: pain rose by 1 point after two walks in the week of 4 May",
            )
        ],
    ),
    "pain going down is never a flare": (
        HOLD,
        [SimWeek([(MON, 10, 6, 2), (WED, 10, 6, 2), (FRI, 10, 6, 2)])],
        [(Outcome.ADVANCE, 1, 2, None)],
    ),
    "a warning sign on a lone check-in is a flare": (
        STEP_BACK,
        [full(3), SimWeek(full(4).walks, flagged_weekdays=[SUN])],
        [
            (Outcome.ADVANCE, 1, 2, None),
            (
                Outcome.STEP_BACK,
                2,
                1,
                "Stepped back to week 1: a warning sign was ticked in the week of 11 May",
            ),
        ],
    ),
    "missed week → hold": (
        HOLD,
        [SimWeek([(MON, 10, None, None), (WED, 10, None, None)])],
        [(Outcome.HOLD, 1, 1, "Held at week 1: 2 of 3 sessions done in the week of 4 May")],
    ),
    "a week without walks → hold": (
        HOLD,
        [full(3), SimWeek([])],
        [
            (Outcome.ADVANCE, 1, 2, None),
            (Outcome.HOLD, 2, 2, "Held at week 2: no sessions done in the week of 11 May"),
        ],
    ),
    "a walk under 80% of the minutes does not count, and the reason says so": (
        HOLD,
        [SimWeek([(MON, 10, None, None), (WED, 10, None, None), (FRI, 7.5, None, None)])],
        [
            (
                Outcome.HOLD,
                1,
                1,
                "Held at week 1: 2 of 3 sessions done in the week of 4 May "
                "(1 walk was under the 8 minutes a session counts from)",
            )
        ],
    ),
    "a walk ended a little early still counts": (
        HOLD,
        [full(3, minutes=8)],
        [(Outcome.ADVANCE, 1, 2, None)],
    ),
    "walks on other days than planned count": (
        HOLD,
        [SimWeek([(TUE, 10, None, None), (SAT, 10, None, None), (SUN, 30, None, None)])],
        [(Outcome.ADVANCE, 1, 2, None)],
    ),
    "several walks on one day count once at one session a day": (
        HOLD,
        [SimWeek([(MON, 10, None, None)] * 3)],
        [(Outcome.HOLD, 1, 1, "Held at week 1: 1 of 3 sessions done in the week of 4 May")],
    ),
}


@pytest.mark.parametrize(("plan", "weeks", "expected"), CASES.values(), ids=CASES.keys())
def test_progression_over_simulated_weeks(
    plan: Programme,
    weeks: list[SimWeek],
    expected: list[tuple[Outcome, int, int, str | None]],
) -> None:
    decisions = simulate(plan, weeks)
    assert [(d.outcome, d.week, d.next_week) for d in decisions] == [e[:3] for e in expected]
    for decision, (*_, reason) in zip(decisions, expected, strict=True):
        if reason is not None:
            assert decision.reason == reason


def test_a_decision_records_the_week_and_its_sessions() -> None:
    [decision] = simulate(HOLD, [SimWeek([(MON, 10, None, None)])])
    assert decision.week_start == MONDAY
    assert (decision.sessions_done, decision.sessions_planned) == (1, 3)


def test_the_state_moves_to_the_decided_week() -> None:
    state = catch_up(
        HOLD, PlanState("p", MONDAY), day(1, MON), [walk(day(0, d)) for d in (0, 2, 4)]
    )
    assert state.week == 2
    assert state.current_week_start == day(1, MON)
    assert not state.complete


def test_the_state_is_complete_after_the_last_week_is_done() -> None:
    state = PlanState("p", MONDAY, week=3)
    state = catch_up(HOLD, state, day(1, MON), [walk(day(0, d)) for d in range(5)])
    assert state.complete
    assert state.week == 3


def test_weeks_away_each_hold_when_caught_up() -> None:
    state = catch_up(HOLD, PlanState("p", MONDAY), day(3, WED), [])
    assert [d.outcome for d in state.decisions] == [Outcome.HOLD] * 3
    assert [d.week_start for d in state.decisions] == [day(n, MON) for n in range(3)]


def test_a_week_is_decided_only_once_it_has_ended() -> None:
    state = PlanState("p", MONDAY)
    assert weeks_to_decide(state, day(0, SUN)) == 0
    assert weeks_to_decide(state, day(1, MON)) == 1
    assert catch_up(HOLD, state, day(0, SUN), [walk(day(0, d)) for d in (0, 2, 4)]) == state


def test_walks_outside_the_week_are_ignored_when_deciding() -> None:
    walks = [walk(day(-1, d)) for d in (0, 2, 4)] + [walk(day(1, d)) for d in (0, 2, 4)]
    decision = decide_week(HOLD, PlanState("p", MONDAY), walks)
    assert decision.outcome is Outcome.HOLD
    assert decision.sessions_done == 0


def test_a_plan_begun_mid_week_holds_that_first_week() -> None:
    thursday = day(0, THU)
    state = PlanState("p", thursday)
    walks = [walk(thursday), walk(day(0, FRI))]
    decision = decide_week(HOLD, state, walks)
    assert decision.outcome is Outcome.HOLD
    assert (
        decision.reason
        == "Held at week 1: the plan began on Thursday 7 May, so week 1 runs again in full"
    )
    assert (decision.sessions_done, decision.sessions_planned) == (2, 2)


def test_a_flare_in_the_week_a_plan_began_still_steps_back() -> None:
    state = PlanState("p", day(0, WED), week=2)
    walks = [walk(day(0, WED), 10, 2, 5), walk(day(0, FRI), 10, 2, 5)]
    assert decide_week(STEP_BACK, state, walks).outcome is Outcome.STEP_BACK


def test_a_warning_sign_before_the_plan_began_is_not_this_plans_flare() -> None:
    state = PlanState("p", day(0, WED))
    decision = decide_week(HOLD, state, [], flagged_days=[day(0, MON)])
    assert "warning sign" not in decision.reason


def test_a_warning_sign_ticked_after_a_walk_is_a_flare() -> None:
    walks = [walk(day(0, d)) for d in (0, 2)] + [PlanWalk(day(0, FRI), 10, warning_signs=True)]
    decision = decide_week(HOLD, PlanState("p", MONDAY), walks)
    assert decision.reason == "Held at week 1: a warning sign was ticked in the week of 4 May"


def test_a_shortened_programme_keeps_the_plan_inside_it() -> None:
    state = PlanState("p", MONDAY, week=9)
    assert week_plan(HOLD, state, []).week == 3


# -- where a plan starts ------------------------------------------------------------------


def builtin(programme_id: str) -> Programme:
    loaded = load_file(REPO / "programmes" / f"{programme_id}.yaml").programme
    assert loaded is not None
    return loaded


WALKBACK = builtin("walkback")


def recent(minutes_per_week: float, start: date = MONDAY) -> list[PlanWalk]:
    """Two weeks before `start`, walked evenly at `minutes_per_week` (3 walks a week)."""
    each = minutes_per_week / 3
    return [walk(start - timedelta(days=d), each) for d in (1, 3, 5, 8, 10, 12)]


@pytest.mark.parametrize(
    ("weekly", "week"),
    [(0.1, 1), (30, 1), (31, 2), (40, 3), (45, 3), (60, 4), (100, 7), (150, 12), (400, 12)],
)
def test_a_plan_starts_at_the_first_week_with_at_least_the_recent_minutes(
    weekly: float, week: int
) -> None:
    assert choose_start_week(WALKBACK, MONDAY, recent(weekly)).week == week


def test_a_plan_without_recent_walks_starts_at_week_one() -> None:
    choice = choose_start_week(WALKBACK, MONDAY, [])
    assert (choice.week, choice.reason) == (1, "Starting at week 1: no walks in the last two weeks")


def test_the_start_reason_gives_the_week_and_the_recent_minutes() -> None:
    choice = choose_start_week(WALKBACK, MONDAY, recent(40))
    assert choice.reason == (
        "Starting at week 3 (3 × 15 minutes): you walked about 40 minutes a week "
        "over the last two weeks"
    )
    assert choice.recent_weekly_minutes == pytest.approx(40)


def test_walks_older_than_two_weeks_or_on_the_start_day_are_not_counted() -> None:
    walks = [walk(MONDAY - timedelta(days=15), 300), walk(MONDAY, 300)]
    assert choose_start_week(WALKBACK, MONDAY, walks).week == 1


def test_weeks_of_routines_start_by_the_routines_minutes() -> None:
    plan = programme(
        "  - {sessions: 2, minutes: 10}\n  - {sessions: 3, routines: [desk-break]}\n"
        "  - {sessions: 3, routines: [long]}\n"
    )
    choice = choose_start_week(plan, MONDAY, recent(40), {"desk-break": 10, "long": 50})
    assert choice.week == 3
    assert planned_minutes(plan.weeks[1]) is None  # unknown without the routines' lengths


# -- which days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "weekdays"),
    [
        (1, [MON]),
        (2, [MON, THU]),
        (3, [MON, WED, FRI]),
        (4, [MON, TUE, THU, FRI]),
        (5, [MON, TUE, WED, THU, FRI]),
        (6, [MON, TUE, WED, THU, FRI, SAT]),
        (7, [MON, TUE, WED, THU, FRI, SAT, SUN]),
    ],
)
def test_sessions_spread_over_the_week(sessions: int, weekdays: list[int]) -> None:
    plan = programme(f"  - {{sessions: {sessions}, minutes: 10}}\n")
    planned = plan_sessions(plan, 1, MONDAY)
    assert [s.day.weekday() for s in planned] == weekdays


def test_sessions_per_day_fill_the_earlier_days_first() -> None:
    plan = programme("  - {sessions: 10, per_day: 3, minutes: 5}\n")
    planned = plan_sessions(plan, 1, MONDAY)
    by_day = [(s.day.weekday(), s.slot) for s in planned]
    assert by_day == [
        *[(MON, slot) for slot in range(3)],
        *[(TUE, slot) for slot in range(3)],
        *[(THU, slot) for slot in range(2)],
        *[(FRI, slot) for slot in range(2)],
    ]


def test_routines_are_taken_in_turn_across_a_day() -> None:
    desk_pad = builtin("desk-pad")
    minutes = {"walking-pad": 50.0, "desk-break": 10.0}
    monday = plan_sessions(desk_pad, 6, MONDAY, routine_minutes=minutes)[:2]
    assert [(s.routine_id, s.minutes) for s in monday] == [("walking-pad", 50), ("desk-break", 10)]


@pytest.mark.parametrize(
    ("start", "weekdays"),
    [(TUE, [TUE, WED, FRI]), (THU, [THU, FRI]), (SAT, [SAT]), (FRI, [FRI])],
)
def test_the_first_week_plans_the_remaining_days_and_the_start_day(
    start: int, weekdays: list[int]
) -> None:
    planned = plan_sessions(HOLD, 1, MONDAY, first_day=day(0, start))
    assert [s.day.weekday() for s in planned] == weekdays


def test_a_week_must_start_on_a_monday() -> None:
    with pytest.raises(ValueError, match="not a Monday"):
        plan_sessions(HOLD, 1, day(0, TUE))


@given(
    sessions=st.integers(1, 84),
    per_day=st.integers(1, 12),
    start=st.integers(0, 6),
)
def test_every_planned_day_holds_at_most_per_day_sessions(
    sessions: int, per_day: int, start: int
) -> None:
    if sessions > 7 * per_day:
        return
    plan = Programme("p", "P", (Week(sessions=sessions, minutes=5, per_day=per_day),))
    full_week = plan_sessions(plan, 1, MONDAY)
    assert len(full_week) == sessions
    first = plan_sessions(plan, 1, MONDAY, first_day=day(0, start))
    assert first[0].day == day(0, start)
    for planned in (full_week, first):
        days = [s.day for s in planned]
        assert all(days.count(d) <= per_day for d in days)
        assert [s.index for s in planned] == list(range(len(planned)))


# -- today ---------------------------------------------------------------------------------


def test_todays_session_is_the_first_not_done_today() -> None:
    plan = week_plan(HOLD, PlanState("p", MONDAY), [walk(day(0, MON))])
    assert plan.session_for(day(0, MON)) is None  # done
    session = plan.session_for(day(0, WED))
    assert session is not None
    assert (session.day, session.minutes, session.done) == (day(0, WED), 10, False)


def test_on_a_free_day_today_offers_a_missed_session() -> None:
    plan = week_plan(HOLD, PlanState("p", MONDAY), [])
    session = plan.session_for(day(0, TUE))
    assert session is not None
    assert session.day == day(0, MON)


def test_the_week_says_which_sessions_are_done() -> None:
    walks = [walk(day(0, MON)), walk(day(0, TUE), 4), walk(day(0, WED))]
    plan = week_plan(STEP_BACK, PlanState("p", MONDAY), walks)
    assert [s.done for s in plan.sessions] == [True, True, False]
    assert (plan.done, plan.planned) == (2, 3)
    assert plan.minutes_walked == 24
    next_session = plan.next_session(day(0, THU))
    assert next_session is not None
    assert next_session.day == day(0, FRI)


def test_a_make_up_walk_counts_for_the_earliest_missed_session() -> None:
    plan = week_plan(HOLD, PlanState("p", MONDAY), [walk(day(0, TUE))])
    assert [s.done for s in plan.sessions] == [True, False, False]


def test_the_longer_walk_counts_for_the_longer_session() -> None:
    desk_pad = builtin("desk-pad")
    minutes = {"walking-pad": 50.0, "desk-break": 10.0}
    state = PlanState("desk-pad", MONDAY, week=6)
    plan = week_plan(desk_pad, state, [walk(day(0, MON), 10), walk(day(0, MON), 45)], minutes)
    assert [(s.routine_id, s.done) for s in plan.on(day(0, MON))] == [
        ("walking-pad", True),
        ("desk-break", True),
    ]


# -- the calendar -------------------------------------------------------------------------


def test_upcoming_sessions_assume_the_plan_advances_and_stay_at_the_last_week() -> None:
    state = PlanState("p", MONDAY, week=2)
    sessions = upcoming_sessions(HOLD, state, day(0, WED), weeks=2)
    assert [(s.week, s.day.weekday()) for s in sessions] == [
        (2, THU),
        (2, FRI),
        *[(3, wd) for wd in range(5)],
        *[(3, wd) for wd in range(5)],
    ]
    assert sessions[0].key == f"{day(0, THU).isoformat()}#1"
    assert len({s.key for s in sessions}) == len(sessions)


def test_the_calendar_repeats_the_week_a_plan_began_mid_week() -> None:
    # Begun on a Wednesday: week 1 runs Wed–Sun, then again in full; week 2 after that.
    state = PlanState("p", day(0, WED))
    sessions = upcoming_sessions(HOLD, state, day(0, WED), weeks=2)
    weeks = {(s.day - MONDAY).days // 7: s.week for s in sessions}
    assert weeks == {0: 1, 1: 1, 2: 2}


def test_the_calendar_of_a_plan_begun_on_a_saturday_starts_week_1_again_on_monday() -> None:
    desk_pad = load_file(REPO / "programmes" / "desk-pad.yaml").programme
    assert desk_pad is not None
    sessions = upcoming_sessions(desk_pad, PlanState("desk-pad", day(0, SAT)), day(0, SAT), 2)
    weeks = {s.day: s.week for s in sessions}
    assert (weeks[day(0, SAT)], weeks[day(1, MON)], weeks[day(2, MON)]) == (1, 1, 2)


@pytest.mark.parametrize("programme_id", ["three-weeks", "desk-pad"])
@pytest.mark.parametrize("start_weekday", range(7))
def test_the_calendar_follows_the_plan_when_every_session_is_walked(
    programme_id: str, start_weekday: int
) -> None:
    plan = HOLD
    if programme_id == "desk-pad":
        loaded = load_file(REPO / "programmes" / "desk-pad.yaml").programme
        assert loaded is not None
        plan = loaded
    start = day(0, start_weekday)
    state = PlanState(plan.id, start)
    calendar = upcoming_sessions(plan, state, start, weeks=3)
    walks = [walk(s.day, s.minutes or 30) for s in calendar]
    for ahead in range(1, 4):
        monday = day(ahead, MON)
        decided = catch_up(plan, state, monday, walks)
        planned = {s.week for s in calendar if monday <= s.day < monday + timedelta(weeks=1)}
        assert planned == {week_plan(plan, decided, walks).week}, monday


def test_reasons_read_weeks_later_name_the_week_they_decided() -> None:
    state = catch_up(HOLD, PlanState("p", MONDAY), day(3, WED), [walk(day(1, MON))])
    assert [d.reason for d in state.decisions] == [
        "Held at week 1: no sessions done in the week of 4 May",
        "Held at week 1: 1 of 3 sessions done in the week of 11 May",
        "Held at week 1: no sessions done in the week of 18 May",
    ]


def test_the_readme_says_what_counts_as_the_plan_counts_it() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    said = readme.split("**What counts.**", 1)[1].split("- **", 1)[0]
    examples = [(int(a), int(b)) for a, b in re.findall(r"(\d+) of (\d+)", said)]
    session = PlannedSession(MONDAY, 0, 0, 1, 10.0, None)
    assert examples, said
    for counts_from, minutes in examples:
        assert replace(session, minutes=float(minutes)).counts_from == counts_from
    # ... including a session whose 80% is not a whole number of minutes.
    assert any(minutes * 4 % 5 for _, minutes in examples)
