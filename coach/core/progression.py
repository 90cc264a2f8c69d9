"""A plan's progress through a programme, week by week: pure rules over dates and walks.

The shell keeps a `PlanState` (the programme's id, the start date, the week reached and
every decision so far) and passes in local dates and the walks done; nothing here reads
a clock. The rules, in the order a person meets them:

Starting. `choose_start_week` starts from the person's current amount: the first week
whose planned minutes are at or above what they walked a week on average over the 14
days before the start (no walks: week 1; more than the last week: the last week).

Days. Weeks start on Monday. A week's sessions fall on its walking days (`Week.days`,
the sessions at `per_day` a day) by this table, so rest days fall between walks and
weekends stay free up to five days:

    1 day: Mon · 2: Mon Thu · 3: Mon Wed Fri · 4: Mon Tue Thu Fri · 5: Mon–Fri
    6: Mon–Sat · 7: every day

Sessions are shared out over those days in order, the earlier days taking any extra
(10 sessions at 3 a day: Mon 3, Tue 3, Thu 2, Fri 2). In the week the plan starts, only
days from the start date on are planned: the table's days that remain, and the start day
itself (so a plan begun on a free day still has a walk today).

Done. A walk counts as a session when it lasted at least 80% of the session's minutes
(rounded down: 8 of 10), so ending a minute early still counts; a session of a routine
whose length the shell did not pass counts any walk. A walk done on another day of the
week than planned counts too (a Tuesday walk makes up Monday's), but no day counts more
than `per_day` walks, and a walk counts for one session only.

Deciding. When a week has ended, `decide_week` looks at it:
1. A flare — any warning sign ticked that week, or pain after a walk up by a meaningful
   change (`coach.core.checkin.is_meaningful`) on `flare_walks` walks — holds, or steps back
   one week when the programme says `on_flare: step_back` (week 1 holds).
2. The week the plan started in, when that was not a Monday, holds: week 1 (or the
   starting week) then runs in full.
3. Fewer sessions done than planned (a missed week) holds.
4. Otherwise the plan advances; after the last week it stays there: programme complete.
Rules 2 and 4 are `after_full_week`, which the calendar (`upcoming_sessions`) follows
too when it looks ahead. Each decision carries a sentence for the person, read any time
later, so it names the week it is about rather than saying "this week": "Advanced to
week 4: all 4 sessions done without a flare", "Held at week 3: pain rose by 3 points
after two walks in the week of 11 May".
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum
from typing import TYPE_CHECKING

from coach.core.checkin import is_meaningful
from coach.core.programme.model import FlareAction, Programme, Week
from coach.core.trends import week_start

if TYPE_CHECKING:
    from coach.core.trends import WalkOutcome

# A walk of at least this share of a session's minutes counts as the session.
COUNTS_FROM_SHARE = 0.8
# The start week is chosen from the walking of this many days before the start.
RECENT_DAYS = 14

# Weekday numbers (Monday 0) of the walking days for a week of 1–7 walking days.
WALKING_DAYS: dict[int, tuple[int, ...]] = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


class Outcome(Enum):
    """What the plan did at the end of a week."""

    ADVANCE = "advance"
    HOLD = "hold"
    STEP_BACK = "step_back"
    COMPLETE = "complete"


@dataclass(frozen=True)
class PlanWalk:
    """One walk as the plan sees it, guided or logged."""

    day: date  # the local date the walk started
    minutes: float
    pain_before: int | None = None
    pain_after: int | None = None
    warning_signs: bool = False  # any warning sign ticked in this walk's check-ins
    routine_id: str | None = None

    @classmethod
    def of(cls, walk: WalkOutcome) -> PlanWalk:
        """A stored walk (guided or logged) as the plan counts it, on the local day it
        started where it was walked (`walk.started` carries that offset)."""
        return cls(
            day=walk.started.date(),
            minutes=walk.walked_seconds / 60,
            pain_before=walk.pain_before,
            pain_after=walk.pain_after,
            warning_signs=walk.flagged,
            routine_id=walk.routine_id or None,
        )

    @property
    def pain_rise(self) -> int | None:
        """Points pain rose by after this walk, when that was a meaningful change."""
        if self.pain_before is None or self.pain_after is None:
            return None
        rise = self.pain_after - self.pain_before
        return rise if rise > 0 and is_meaningful(self.pain_before, self.pain_after) else None


@dataclass(frozen=True)
class Decision:
    """What the plan did when a week ended, and why, in the person's words."""

    week_start: date  # the Monday of the week decided
    outcome: Outcome
    week: int  # the programme week walked (from 1)
    next_week: int  # the programme week that follows
    sessions_done: int
    sessions_planned: int
    reason: str


@dataclass(frozen=True)
class PlanState:
    """A plan in progress: what the store keeps."""

    programme_id: str
    started: date
    week: int = 1  # the programme week being walked now (from 1)
    decisions: tuple[Decision, ...] = ()

    @property
    def current_week_start(self) -> date:
        """The Monday of the week not decided yet (the plan's first week, then one a week)."""
        return week_start(self.started) + timedelta(weeks=len(self.decisions))

    @property
    def complete(self) -> bool:
        """The last week was done in full without a flare (the plan stays there)."""
        return bool(self.decisions) and self.decisions[-1].outcome is Outcome.COMPLETE

    def with_decision(self, decision: Decision) -> PlanState:
        return replace(self, week=decision.next_week, decisions=(*self.decisions, decision))


@dataclass(frozen=True)
class PlannedSession:
    """One session of a plan week: when, how long or which routine, and whether done."""

    day: date
    slot: int  # 0-based among the day's sessions
    index: int  # 0-based among the week's sessions
    week: int  # the programme week (from 1)
    minutes: float | None  # None: a routine whose length is not known
    routine_id: str | None
    done: bool = False

    @property
    def key(self) -> str:
        """Stable for a day and slot (`2026-05-11#1`), e.g. for calendar event UIDs."""
        return f"{self.day.isoformat()}#{self.slot + 1}"

    @property
    def counts_from(self) -> float:
        """The fewest minutes a walk needs to count as this session."""
        return 0.0 if self.minutes is None else float(math.floor(COUNTS_FROM_SHARE * self.minutes))


@dataclass(frozen=True)
class WeekPlan:
    """The plan's current week: its sessions, which are done, and the minutes walked."""

    week: int
    week_start: date
    programme_week: Week
    sessions: tuple[PlannedSession, ...]
    minutes_walked: float

    @property
    def done(self) -> int:
        return sum(session.done for session in self.sessions)

    @property
    def planned(self) -> int:
        return len(self.sessions)

    def on(self, day: date) -> tuple[PlannedSession, ...]:
        """The sessions planned on `day`."""
        return tuple(session for session in self.sessions if session.day == day)

    def session_for(self, today: date) -> PlannedSession | None:
        """The session to walk today: today's first one not done; on a day with none
        planned, the earliest missed one this week (a walk on any day counts)."""
        todays = self.on(today)
        if todays:
            return next((s for s in todays if not s.done), None)
        return next((s for s in self.sessions if s.day < today and not s.done), None)

    def next_session(self, today: date) -> PlannedSession | None:
        """The first session not done on or after `today`, if any is left this week."""
        return next((s for s in self.sessions if s.day >= today and not s.done), None)


@dataclass(frozen=True)
class StartChoice:
    """Where a new plan starts, and why."""

    week: int
    recent_weekly_minutes: float
    reason: str


# -- weeks and days ----------------------------------------------------------------------


def session_minutes(
    week: Week, index: int, routine_minutes: Mapping[str, float] | None = None
) -> float | None:
    """Minutes of the week's session `index`: the week's, or its routine's when known."""
    if week.minutes is not None:
        return float(week.minutes)
    routine_id = week.routine_for(index)
    if routine_id is None or routine_minutes is None:
        return None
    return routine_minutes.get(routine_id)


def planned_minutes(week: Week, routine_minutes: Mapping[str, float] | None = None) -> float | None:
    """The week's minutes in all (sessions × their minutes), or None if a length is unknown."""
    total = 0.0
    for index in range(week.sessions):
        minutes = session_minutes(week, index, routine_minutes)
        if minutes is None:
            return None
        total += minutes
    return total


def _day_counts(week: Week, monday: date, first_day: date) -> list[tuple[date, int]]:
    """Each planned day of the week from `first_day` on, with its number of sessions."""
    days = week.days
    base, extra = divmod(week.sessions, days)
    counts = [
        (monday + timedelta(days=weekday), base + (1 if n < extra else 0))
        for n, weekday in enumerate(WALKING_DAYS[days])
    ]
    kept = [(day, count) for day, count in counts if day >= first_day]
    if first_day > monday and (not kept or kept[0][0] != first_day):
        kept.insert(0, (first_day, max(1, base)))
    return kept


def plan_sessions(
    programme: Programme,
    week_number: int,
    monday: date,
    first_day: date | None = None,
    routine_minutes: Mapping[str, float] | None = None,
) -> tuple[PlannedSession, ...]:
    """The sessions of programme week `week_number` walked in the week from `monday`.

    `first_day`: the plan's start date when it falls inside this week (days before it are
    not planned); None or `monday` for a full week.
    """
    if monday.weekday() != 0:
        raise ValueError(f"{monday.isoformat()} is not a Monday")
    week = programme.week(week_number)
    sessions = []
    index = 0
    for day, count in _day_counts(week, monday, first_day or monday):
        for slot in range(count):
            sessions.append(
                PlannedSession(
                    day=day,
                    slot=slot,
                    index=index,
                    week=week_number,
                    minutes=session_minutes(week, index, routine_minutes),
                    routine_id=week.routine_for(index),
                )
            )
            index += 1
    return tuple(sessions)


def _first_day(state: PlanState, monday: date) -> date | None:
    return state.started if week_start(state.started) == monday else None


def _week_walks(walks: Iterable[PlanWalk], monday: date, first_day: date | None) -> list[PlanWalk]:
    start = first_day or monday
    end = monday + timedelta(days=6)
    return [walk for walk in walks if start <= walk.day <= end]


def _mark_done(
    sessions: Sequence[PlannedSession], walks: Sequence[PlanWalk], per_day: int
) -> tuple[PlannedSession, ...]:
    """The sessions with `done` set for those the walks count for (see the module's rules)."""
    done: set[int] = set()
    used: set[int] = set()
    counted_on: dict[date, int] = {}

    def match(session_ids: list[int], walk_ids: list[int]) -> None:
        # The most demanding session first takes the shortest walk long enough for it:
        # this counts as many sessions as any assignment could.
        for s in sorted(session_ids, key=lambda i: -sessions[i].counts_from):
            fits = [
                w
                for w in walk_ids
                if w not in used
                and walks[w].minutes >= sessions[s].counts_from
                and walks[w].minutes > 0
                and counted_on.get(walks[w].day, 0) < per_day
            ]
            if fits:
                chosen = min(fits, key=lambda w: walks[w].minutes)
                used.add(chosen)
                done.add(s)
                counted_on[walks[chosen].day] = counted_on.get(walks[chosen].day, 0) + 1

    # Walks first count for their own day's sessions, then any left make up missed ones.
    for day in dict.fromkeys(session.day for session in sessions):
        match(
            [i for i, s in enumerate(sessions) if s.day == day],
            [i for i, w in enumerate(walks) if w.day == day],
        )
    match([i for i in range(len(sessions)) if i not in done], list(range(len(walks))))
    return tuple(replace(s, done=True) if i in done else s for i, s in enumerate(sessions))


def week_plan(
    programme: Programme,
    state: PlanState,
    walks: Iterable[PlanWalk],
    routine_minutes: Mapping[str, float] | None = None,
) -> WeekPlan:
    """The plan's current (undecided) week, its sessions marked done from `walks`.

    Call `catch_up` first, so that the current week is the one holding today.
    """
    monday = state.current_week_start
    number = _clamped_week(programme, state)
    first_day = _first_day(state, monday)
    in_week = _week_walks(walks, monday, first_day)
    sessions = plan_sessions(programme, number, monday, first_day, routine_minutes)
    return WeekPlan(
        week=number,
        week_start=monday,
        programme_week=programme.week(number),
        sessions=_mark_done(sessions, in_week, programme.week(number).per_day),
        minutes_walked=sum(walk.minutes for walk in in_week),
    )


def upcoming_sessions(
    programme: Programme,
    state: PlanState,
    from_day: date,
    weeks: int = 4,
    routine_minutes: Mapping[str, float] | None = None,
) -> tuple[PlannedSession, ...]:
    """Sessions from `from_day` through the current week and `weeks` more, for a calendar.

    The weeks after the current one assume each is walked in full without a flare, and
    move on as `decide_week` then would (`after_full_week`): the week a plan began in
    mid-week runs again in full, later ones advance, the last stays. A hold later moves
    nothing already exported, since keys follow the day.
    """
    monday = state.current_week_start
    number = _clamped_week(programme, state)
    found: list[PlannedSession] = []
    for ahead in range(weeks + 1):
        this_monday = monday + timedelta(weeks=ahead)
        first_day = _first_day(state, this_monday)
        sessions = plan_sessions(programme, number, this_monday, first_day, routine_minutes)
        found.extend(session for session in sessions if session.day >= from_day)
        number = after_full_week(programme, number, this_monday, first_day)[1]
    return tuple(found)


def _clamped_week(programme: Programme, state: PlanState) -> int:
    """The state's week, kept inside the programme (whose file may have been shortened)."""
    return max(1, min(state.week, programme.last_week))


# -- starting ----------------------------------------------------------------------------


def choose_start_week(
    programme: Programme,
    start: date,
    walks: Iterable[PlanWalk],
    routine_minutes: Mapping[str, float] | None = None,
) -> StartChoice:
    """The first week planning at least the minutes a week walked in the 14 days before."""
    first = start - timedelta(days=RECENT_DAYS)
    recent = [walk for walk in walks if first <= walk.day < start]
    # Rounded to a hundredth: sums of float minutes must not tip a week over (100.000…1).
    weekly = round(sum(walk.minutes for walk in recent) / (RECENT_DAYS / 7), 2)
    if not recent:
        return StartChoice(1, 0.0, "Starting at week 1: no walks in the last two weeks")
    for number, week in enumerate(programme.weeks, start=1):
        minutes = planned_minutes(week, routine_minutes)
        if minutes is not None and minutes >= weekly:
            return StartChoice(
                number,
                weekly,
                f"Starting at week {number} ({_week_amount(week, routine_minutes)}): you "
                f"walked about {_minutes(weekly)} a week over the last two weeks",
            )
    last = programme.last_week
    return StartChoice(
        last,
        weekly,
        f"Starting at week {last}, the last: you walked about {_minutes(weekly)} a week "
        f"over the last two weeks, as much as the programme builds up to",
    )


# -- deciding ----------------------------------------------------------------------------


def after_full_week(
    programme: Programme, number: int, monday: date, first_day: date | None
) -> tuple[Outcome, int]:
    """What follows programme week `number`, walked from `monday` (from `first_day`, the
    plan's start, when it began in this week), once all its sessions are done without a
    flare: the outcome and the next week. Rules 2 and 4 of the module's list, for
    `decide_week` and for the calendar looking ahead alike."""
    if first_day is not None and first_day > monday:
        return Outcome.HOLD, number
    if number >= programme.last_week:
        return Outcome.COMPLETE, number
    return Outcome.ADVANCE, number + 1


def weeks_to_decide(state: PlanState, today: date) -> int:
    """How many plan weeks have ended (their Sunday is before `today`) without a decision."""
    ended = (week_start(today) - state.current_week_start).days // 7
    return max(0, ended)


def decide_week(
    programme: Programme,
    state: PlanState,
    walks: Iterable[PlanWalk],
    flagged_days: Collection[date] = (),
    routine_minutes: Mapping[str, float] | None = None,
) -> Decision:
    """Decide the plan's current week, which has ended: advance, hold or step back.

    `walks` may hold any walks (those outside the week are ignored); `flagged_days` are
    the local dates of check-ins without a walk (alone, or the day's pre-walk screen) that
    ticked a warning sign.
    """
    plan = week_plan(programme, state, walks, routine_minutes)
    monday = plan.week_start
    first_day = _first_day(state, monday)
    in_week = _week_walks(walks, monday, first_day)
    start = first_day or monday
    number = plan.week
    done, planned = plan.done, plan.planned

    def decision(outcome: Outcome, next_week: int, reason: str) -> Decision:
        return Decision(monday, outcome, number, next_week, done, planned, reason)

    flare = _flare(programme, in_week, flagged_days, start, monday)
    if flare is not None:
        if programme.progression.on_flare is FlareAction.STEP_BACK and number > 1:
            return decision(
                Outcome.STEP_BACK, number - 1, f"Stepped back to week {number - 1}: {flare}"
            )
        return decision(Outcome.HOLD, number, f"Held at week {number}: {flare}")
    outcome, next_week = after_full_week(programme, number, monday, first_day)
    if outcome is Outcome.HOLD and first_day is not None:
        return decision(
            Outcome.HOLD,
            number,
            f"Held at week {number}: the plan began on {_WEEKDAYS[first_day.weekday()]} "
            f"{_day_month(first_day)}, so week {number} runs again in full",
        )
    if done < planned:
        return decision(Outcome.HOLD, number, f"Held at week {number}: {_missed(plan, in_week)}")
    if outcome is Outcome.COMPLETE:
        return decision(
            Outcome.COMPLETE,
            number,
            f"Programme complete: {_all(planned)} of week {number} done without a flare; "
            f"keep walking at this amount",
        )
    return decision(
        Outcome.ADVANCE,
        next_week,
        f"Advanced to week {next_week}: {_all(planned)} done without a flare",
    )


def catch_up(
    programme: Programme,
    state: PlanState,
    today: date,
    walks: Iterable[PlanWalk],
    flagged_days: Collection[date] = (),
    routine_minutes: Mapping[str, float] | None = None,
) -> PlanState:
    """Decide every week that has ended before `today`, in order (weeks away hold)."""
    walks = list(walks)
    for _ in range(weeks_to_decide(state, today)):
        state = state.with_decision(
            decide_week(programme, state, walks, flagged_days, routine_minutes)
        )
    return state


def _flare(
    programme: Programme,
    walks: Sequence[PlanWalk],
    flagged_days: Collection[date],
    first: date,
    monday: date,
) -> str | None:
    """Why the week from `monday` (counted from `first`) was a flare, or None."""
    last = monday + timedelta(days=6)
    if any(walk.warning_signs for walk in walks) or any(first <= d <= last for d in flagged_days):
        return f"a warning sign was ticked {_the_week_of(monday)}"
    rises = sorted(rise for walk in walks if (rise := walk.pain_rise) is not None)
    if len(rises) < programme.progression.flare_walks:
        return None
    points = (
        f"{rises[0]} point{'s' if rises[0] != 1 else ''}"
        if rises[0] == rises[-1]
        else f"{rises[0]} to {rises[-1]} points"
    )
    walks_word = "one walk" if len(rises) == 1 else f"{_count(len(rises))} walks"
    return f"pain rose by {points} after {walks_word} {_the_week_of(monday)}"


def _missed(plan: WeekPlan, walks: Sequence[PlanWalk]) -> str:
    done, planned = plan.done, plan.planned
    said = "no sessions done" if done == 0 else f"{done} of {planned} sessions done"
    said += f" {_the_week_of(plan.week_start)}"
    shortest = min(session.counts_from for session in plan.sessions)
    short = sum(0 < walk.minutes < shortest for walk in walks)
    if short:
        noun = "walk was" if short == 1 else "walks were"
        said += f" ({short} {noun} under the {_minutes(shortest)} a session counts from)"
    return said


# -- wording -----------------------------------------------------------------------------


def _day_month(day: date) -> str:
    return f"{day.day} {day:%b}"


def _the_week_of(monday: date) -> str:
    """`in the week of 4 Jan`: a reason is read after its week has ended, often long
    after, so it names the week rather than saying "this week" or "last week"."""
    return f"in the week of {_day_month(monday)}"


def _count(n: int) -> str:
    return _COUNT_WORDS[n] if 0 <= n < len(_COUNT_WORDS) else str(n)


def _all(planned: int) -> str:
    return "the session" if planned == 1 else f"all {planned} sessions"


def _minutes(value: float) -> str:
    shown = round(value)
    return f"{shown} minute{'s' if shown != 1 else ''}"


def _week_amount(week: Week, routine_minutes: Mapping[str, float] | None) -> str:
    if week.minutes is not None:
        return f"{week.sessions} × {week.minutes} minutes"
    total = planned_minutes(week, routine_minutes)
    sessions = f"{week.sessions} sessions"
    return sessions if total is None else f"{sessions}, {_minutes(total)}"
