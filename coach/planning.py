"""The active plan, between the store, the programme files and the progression's rules.

The rules are in `coach.core.progression` (weeks, days, sessions done, decisions) and the
wording in `coach.core.plan_summary`; here they meet the store and the routine files.
Whoever opens the plan (`coach plan`, home) passes today's local date: every week that
has ended since it was last opened is decided then, and the decisions are kept.

A plan follows the programme's text as it was when the plan started (kept in the
store), so editing or deleting the file later changes nothing in a running plan: stop
it and start again to take up the changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from coach.core.dose import DoseWalk, WeeklyDose, weekly_dose
from coach.core.plan_summary import PlanReport, routine_for_minutes
from coach.core.progression import (
    RECENT_DAYS,
    PlannedSession,
    PlanWalk,
    StartChoice,
    catch_up,
    choose_start_week,
    upcoming_sessions,
    week_plan,
)
from coach.core.trends import day_range_utc, week_start
from coach.store import DamagedRow, PlanActive, Store

if TYPE_CHECKING:
    from coach.config import Config
    from coach.core.programme import Programme
    from coach.core.records import StoredPlan
    from coach.core.trends import WalkOutcome
    from coach.library.routines import RoutineEntry

# `coach plan ics` lists the current week's sessions and this many weeks after it.
CALENDAR_WEEKS = 4


class PlanError(Exception):
    """The plan cannot be started or read; the message says why in one line, and
    `report` holds a programme file's diagnostics, if that was why."""

    def __init__(self, message: str, report: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class OpenPlan:
    """The active plan as stored, and what it says today."""

    stored: StoredPlan
    report: PlanReport


@dataclass(frozen=True)
class StartedPlan:
    stored: StoredPlan
    choice: StartChoice
    programme: Programme


def routine_lengths(ids: Iterable[str]) -> dict[str, float]:
    """Minutes of each routine (by id, as `coach walk ID` finds it) that can be read."""
    from coach.core.routine import compile_timeline, load_file
    from coach.library.routines import RoutineNotFound, find_routine

    lengths: dict[str, float] = {}
    for routine_id in ids:
        try:
            result = load_file(find_routine(routine_id).path)
        except RoutineNotFound:
            continue
        if result.routine is not None:
            lengths[routine_id] = compile_timeline(result.routine).total / 60
    return lengths


def _walks_since(store: Store, first_day: date) -> list[WalkOutcome]:
    # A day early: a walk's day is read in its own offset, which may be ahead of ours.
    since, _ = day_range_utc(first_day - timedelta(days=1), None)
    return store.walk_outcomes(since)


def _flagged_days(store: Store, first_day: date) -> list[date]:
    since, _ = day_range_utc(first_day - timedelta(days=1), None)
    return [
        datetime.fromisoformat(at).astimezone().date() for at in store.flagged_checkin_times(since)
    ]


def programme_of(stored: StoredPlan) -> Programme:
    """The plan's programme, from the text kept when it started."""
    from coach.core.programme import load_text

    result = load_text(stored.programme_text, stored.programme_id, stored.programme_path)
    if result.programme is None:
        raise PlanError(
            f"the stored programme {stored.programme_id!r} cannot be read; "
            "stop the plan (coach plan stop) and start it again"
        )
    return result.programme


def open_plan(store: Store, today: date, config: Config) -> OpenPlan | None:
    """The active plan caught up to `today` (new decisions are stored), or None."""
    try:
        stored = store.active_plan()
    except DamagedRow as exc:
        raise PlanError(f"the active plan cannot be read ({exc})") from None
    if stored is None:
        return None
    programme = programme_of(stored)
    lengths = routine_lengths(programme.routine_ids)
    state = stored.state()
    first_day = min(state.current_week_start, week_start(today))
    outcomes = _walks_since(store, first_day)
    walks = [PlanWalk.of(walk) for walk in outcomes]
    caught_up = catch_up(programme, state, today, walks, _flagged_days(store, first_day), lengths)
    new = caught_up.decisions[len(state.decisions) :]
    if new:
        store.add_decisions(stored.id, list(new), caught_up.week)
        refreshed = store.active_plan()
        stored = refreshed if refreshed is not None else stored
    report = PlanReport(
        programme=programme,
        state=caught_up,
        week=week_plan(programme, caught_up, walks, lengths),
        today=today,
        dose=_dose(outcomes, today, config.weekly_target),
        routine_minutes=lengths,
        latest=caught_up.decisions[-1] if caught_up.decisions else None,
    )
    return OpenPlan(stored, report)


def _dose(outcomes: Iterable[WalkOutcome], today: date, target: float) -> WeeklyDose:
    return weekly_dose((DoseWalk.of(walk) for walk in outcomes), today, target)


def this_weeks_dose(store: Store, today: date, config: Config) -> WeeklyDose:
    """Moderate and easy minutes of `today`'s week (Monday to Sunday, local)."""
    return _dose(_walks_since(store, week_start(today)), today, config.weekly_target)


def start_plan(store: Store, name: str, today: date) -> StartedPlan:
    """Start the programme NAME (a path or an id) today, from the week that matches the
    walking of the last two weeks. PlanError if it cannot be."""
    from coach.core.programme import load_file
    from coach.core.text import visible_text
    from coach.library.programmes import ProgrammeNotFound, find_programme
    from coach.library.routines import list_routines

    try:
        entry = find_programme(name)
    except ProgrammeNotFound as exc:
        raise PlanError(str(exc)) from None
    known = [routine.id for routine in list_routines()]
    result = load_file(entry.path, visible_text(str(entry.path)), known_routines=known)
    if result.programme is None or result.text is None:
        import sys

        raise PlanError(
            f"{result.display_path} has {len(result.errors)} error(s); fix them and start again",
            tuple(result.report(excerpts=sys.stdout.isatty())),
        )
    programme = result.programme
    lengths = routine_lengths(programme.routine_ids)
    recent = [PlanWalk.of(w) for w in _walks_since(store, today - timedelta(days=RECENT_DAYS))]
    choice = choose_start_week(programme, today, recent, lengths)
    try:
        store.start_plan(
            programme.id,
            programme.name,
            str(entry.path),
            result.text,
            today,
            choice.week,
            choice.reason,
        )
    except PlanActive:
        active = store.active_plan()
        which = f" ({active.programme_id})" if active is not None else ""
        raise PlanError(
            f"a plan is already active{which}; stop it first with: coach plan stop"
        ) from None
    stored = store.active_plan()
    assert stored is not None
    return StartedPlan(stored, choice, programme)


def stop_plan(store: Store) -> StoredPlan | None:
    """Stop the active plan (its decisions are kept); None if none was active."""
    try:
        stored = store.active_plan()
    except DamagedRow as exc:
        raise PlanError(f"the active plan cannot be read ({exc})") from None
    if stored is not None:
        store.stop_plan(stored.id)
    return stored


def coming_sessions(opened: OpenPlan, weeks: int = CALENDAR_WEEKS) -> tuple[PlannedSession, ...]:
    """Today's and later sessions of this week and the next `weeks`, not done yet."""
    report = opened.report
    done = {session.key for session in report.week.sessions if session.done}
    return tuple(
        session
        for session in upcoming_sessions(
            report.programme, report.state, report.today, weeks, report.routine_minutes
        )
        if session.key not in done
    )


def calendar(opened: OpenPlan, plan_time: str, weeks: int = CALENDAR_WEEKS) -> bytes:
    """`coach plan ics`: the coming sessions as an iCalendar file."""
    from coach.core.plan_calendar import plan_calendar

    hours, minutes = (int(part) for part in plan_time.split(":"))
    return plan_calendar(
        opened.report.programme,
        coming_sessions(opened, weeks),
        time(hours, minutes),
        datetime.now(UTC).replace(microsecond=0),
    )


def session_routine(
    session: PlannedSession, config: Config, lengths: Mapping[str, float] | None = None
) -> RoutineEntry | None:
    """The routine to walk for a plan session (home's Enter).

    A session that names a routine walks it. One given only in minutes walks the
    config's `default_routine` when that is long enough to count (80% of the session),
    else the shortest built-in routine long enough, else the longest built-in.
    """
    from coach.library.routines import RoutineNotFound, builtin_entries, find_routine

    if session.routine_id is not None:
        try:
            return find_routine(session.routine_id)
        except RoutineNotFound:
            return None
    builtins = builtin_entries()
    if lengths is None:
        wanted = list(builtins)
        if config.default_routine is not None:
            wanted.append(config.default_routine)
        lengths = routine_lengths(wanted)
    chosen = routine_for_minutes(
        session.counts_from,
        {r: m for r, m in lengths.items() if r in builtins},
        config.default_routine,
        lengths.get(config.default_routine) if config.default_routine else None,
    )
    if chosen is None:
        return None
    try:
        return find_routine(chosen)
    except RoutineNotFound:
        return None
