"""What a plan says to the person: this week's sessions, what is next and why it moved.

Pure wording and choices over the progression's values (`coach.core.progression`); the
CLI (`coach plan`) and home's plan panel both speak through here.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def report_lines(report: PlanReport, name: str, started: date, start_reason: str) -> list[str]:
    """`coach plan`: the plan, this week session by session, what is next, and why."""
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
    latest = latest_line(report)
    lines.append(latest if latest is not None else start_reason)
    lines.append(f"Dose this week: {dose_text(report.dose)}")
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
