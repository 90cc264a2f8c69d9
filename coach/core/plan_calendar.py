"""A plan's coming sessions as an iCalendar file (RFC 5545), for any calendar's reminders.

Times are *floating* local times (`DTSTART:20260511T073000`, no zone): a session at
07:30 stays at 07:30 wherever the calendar is and across daylight-saving changes, which
is what a walk before work wants; calendar apps show floating times in their own zone.
Each event's UID is made of the programme id and the session's day and slot
(`PlannedSession.key`), so importing the file again updates the events instead of
adding copies, and a day's session keeps its UID however often the file is made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta

from coach.core.plan_summary import session_length, slot_times
from coach.core.programme.model import Programme
from coach.core.progression import PlannedSession

PRODID = "-//coach//walking plan//EN"
UID_DOMAIN = "coach.walking-plan"
# A session whose length is not known (a routine coach could not read) is shown this long.
UNKNOWN_MINUTES = 30


def event_uid(programme_id: str, session: PlannedSession) -> str:
    """`walkback-2026-05-11-1@coach.walking-plan`: the same for a day and slot every time."""
    return f"{programme_id}-{session.day.isoformat()}-{session.slot + 1}@{UID_DOMAIN}"


def event_summary(programme: Programme, session: PlannedSession) -> str:
    """`Walk: 15 min (Walk back, week 3)` or `Walk: desk-break (10 min) (Desk pad, week 4)`."""
    return f"Walk: {session_length(session)} ({programme.name}, week {session.week})"


def plan_calendar(
    programme: Programme,
    sessions: Iterable[PlannedSession],
    plan_time: time,
    stamp: datetime,
    routine_names: Mapping[str, str] | None = None,
) -> bytes:
    """The sessions as an iCalendar file; `stamp` (aware, UTC) is its DTSTAMP."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"coach: {programme.name}")
    for session in sessions:
        week = programme.week(session.week)
        start_time = slot_times(plan_time, _sessions_on(week.per_day, session))[session.slot]
        start = datetime.combine(session.day, start_time)  # floating: no zone
        minutes = session.minutes if session.minutes is not None else UNKNOWN_MINUTES
        event = Event()
        event.add("uid", event_uid(programme.id, session))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=minutes))
        event.add("summary", event_summary(programme, session))
        event.add("description", _description(programme, session, routine_names or {}))
        event.add("categories", ["walking"])
        event.add("transp", "OPAQUE")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event_summary(programme, session))
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _sessions_on(per_day: int, session: PlannedSession) -> int:
    # A day never holds more than per_day sessions; the slot is within it.
    return max(per_day, session.slot + 1)


def _description(
    programme: Programme, session: PlannedSession, routine_names: Mapping[str, str]
) -> str:
    lines = [f"{programme.name}, week {session.week} of {programme.last_week}."]
    if session.routine_id is not None:
        name = routine_names.get(session.routine_id)
        named = f" ({name})" if name else ""
        lines.append(f"Walk it with: coach walk {session.routine_id}{named}")
    else:
        minutes = session.minutes if session.minutes is not None else UNKNOWN_MINUTES
        lines.append(f"Any walk counts: walk in coach, or log it after: coach log {minutes:.0f}m")
    lines.append(f"A walk counts from {session.counts_from:.0f} minutes.")
    note = programme.week(session.week).note
    if note:
        lines.append(" ".join(note.split()))
    return "\n".join(lines)
