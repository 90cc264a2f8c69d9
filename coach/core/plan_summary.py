"""What a plan says to the person: this week's sessions, what is next and why it moved.

Pure wording and choices over the progression's values (`coach.core.progression`); the
CLI (`coach plan`) and home's plan panel both speak through here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from coach.core.dose import WeeklyDose
from coach.core.programme.model import Programme
from coach.core.progression import Decision, PlannedSession, PlanState, WeekPlan
from coach.core.wording import dose_text

# Several sessions on one day go this far apart from the preferred time ...
SLOT_GAP = timedelta(hours=3)
# ... closer together if the day's last would otherwise start after this.
LATEST_SLOT = time(21, 0)


@dataclass(frozen=True)
class PlanReport:
    """Everything `coach plan` and home show about the active plan, as of one day."""

    programme: Programme
    state: PlanState
    week: WeekPlan
    today: date
    dose: WeeklyDose
    routine_minutes: Mapping[str, float]
    latest: Decision | None  # the newest decision, if any week has been decided

    @property
    def todays_session(self) -> PlannedSession | None:
        return self.week.session_for(self.today)

    @property
    def next_session(self) -> PlannedSession | None:
        return self.week.next_session(self.today)


def session_length(session: PlannedSession) -> str:
    """`15 min`, or the routine and its length: `desk-break (10 min)`."""
    minutes = "" if session.minutes is None else f"{session.minutes:.0f} min"
    if session.routine_id is None:
        return minutes or "a walk"
    return f"{session.routine_id} ({minutes})" if minutes else session.routine_id


def day_words(day: date, today: date) -> str:
    """`today`, `tomorrow`, or `Wed 20 May`."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return f"{day:%a} {day.day} {day:%b}"


def _slot(session: PlannedSession, today: date) -> str:
    return f"{day_words(session.day, today)}, {session_length(session)}"


def week_line(report: PlanReport) -> str:
    """`Week 3 of 12 · 1 of 3 sessions done · 25 min walked`."""
    week = report.week
    return (
        f"Week {week.week} of {report.programme.last_week} · {week.done} of {week.planned} "
        f"session{'s' if week.planned != 1 else ''} done · {week.minutes_walked:.0f} min walked"
    )


def next_line(report: PlanReport) -> str:
    """What to walk next: today's session, else the next one this week, else none."""
    today = report.todays_session
    if today is not None:
        late = (
            "" if today.day == report.today else f", making up {day_words(today.day, report.today)}"
        )
        return f"Today: {session_length(today)}{late}"
    upcoming = report.next_session
    if upcoming is not None:
        return f"Next: {_slot(upcoming, report.today)}"
    if report.week.done >= report.week.planned:
        return "This week's sessions are all done; the next week starts on Monday"
    return "No more sessions planned this week"


def latest_line(report: PlanReport) -> str | None:
    return report.latest.reason if report.latest is not None else None


def decision_lines(decisions: Sequence[Decision], started: date, start_reason: str) -> list[str]:
    """Every decision the plan made, newest first, then how it started: the day the week
    decided began (its Monday, or the start day in the plan's first week), the programme
    week walked in it, the sessions done of those planned, and the reason.

        Decisions, newest first:
          Week from    Walked  Done    Decision
          4 Jan 2027   week 1  0 of 3  Held at week 1: no sessions done in the week of 4 Jan
          2 Dec 2026                   Starting at week 1: no walks in the last two weeks
    """
    rows = [("Week from", "Walked", "Done", "Decision")]
    rows += [
        (
            _full_date(max(d.week_start, started)),
            f"week {d.week}",
            f"{d.sessions_done} of {d.sessions_planned}",
            d.reason,
        )
        for d in reversed(decisions)
    ]
    rows.append((_full_date(started), "", "", start_reason))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = ["Decisions, newest first:"]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append(f"  {'  '.join(cells)}  {row[3]}")
    return lines


def _full_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def report_lines(report: PlanReport, name: str, started: date, start_reason: str) -> list[str]:
    """`coach plan`: the plan, this week session by session, what is next, the dose, and
    every decision so far with its reason."""
    week = report.week
    lines = [
        f"{name} ({report.programme.id}) · started {started:%a} {started.day} {started:%b %Y}",
        week_line(report),
    ]
    if week.programme_week.note:
        lines.append(f"  {' '.join(week.programme_week.note.split())}")
    for session in week.sessions:
        if session.done:
            mark = "✓ done"
        elif session.day < report.today:
            mark = "missed" + (", walk it today" if session == report.todays_session else "")
        else:
            mark = "← today" if session.day == report.today else ""
        when = f"{session.day:%a} {session.day.day} {session.day:%b}"
        lines.append(f"  {when:<11} {session_length(session):<28} {mark}".rstrip())
    lines.append(next_line(report))
    lines.append(f"Dose this week: {dose_text(report.dose)}")
    lines += decision_lines(report.state.decisions, started, start_reason)
    return lines


def slot_times(plan_time: time, per_day: int) -> list[time]:
    """When each of a day's sessions starts: `plan_time`, then every 3 hours, squeezed
    closer when the last would start after 21:00 (never before `plan_time`)."""
    start = timedelta(hours=plan_time.hour, minutes=plan_time.minute)
    gap = SLOT_GAP
    if per_day > 1:
        room = timedelta(hours=LATEST_SLOT.hour, minutes=LATEST_SLOT.minute) - start
        gap = max(timedelta(0), min(SLOT_GAP, room / (per_day - 1)))
    times = []
    for slot in range(per_day):
        at = start + gap * slot
        minutes = int(at.total_seconds() // 60)
        times.append(time(minutes // 60, minutes % 60))
    return times


def routine_for_minutes(
    counts_from: float,
    lengths: Mapping[str, float],
    default_routine: str | None = None,
    default_minutes: float | None = None,
) -> str | None:
    """The routine to walk for a session given only in minutes.

    The person's `default_routine` when it is long enough to count (`counts_from`
    minutes, 80% of the session); else, of `lengths` (the built-ins, by id), the
    shortest that is long enough; else the longest. None if there are none.
    """
    if (
        default_routine is not None
        and default_minutes is not None
        and default_minutes >= counts_from
    ):
        return default_routine
    if not lengths:
        return None
    enough = sorted((m, r) for r, m in lengths.items() if m >= counts_from)
    if enough:
        return enough[0][1]
    return max((m, r) for r, m in lengths.items())[1]
