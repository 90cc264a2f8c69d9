"""The plan as an iCalendar file: floating times, slots in a day, UIDs that never move."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from coach.core.plan_calendar import plan_calendar
from coach.core.plan_summary import slot_times
from coach.core.programme import Programme, load_file
from coach.core.progression import PlanState, upcoming_sessions

PROGRAMMES = Path(__file__).resolve().parents[2] / "programmes"
MONDAY = date(2026, 5, 4)
STAMP = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)


def programme(name: str) -> Programme:
    result = load_file(PROGRAMMES / f"{name}.yaml")
    assert result.programme is not None
    return result.programme


def uids(data: bytes) -> dict[str, str]:
    """UID → DTSTART (as written) of each event."""
    events = [c for c in Calendar.from_ical(data).walk() if c.name == "VEVENT"]
    return {str(e["uid"]): e["dtstart"].to_ical().decode() for e in events}


def calendar_from(walkback: Programme, state: PlanState, today: date) -> bytes:
    sessions = upcoming_sessions(walkback, state, today, 2)
    return plan_calendar(walkback, sessions, time(7, 30), STAMP)


def test_a_session_keeps_its_uid_when_the_file_is_made_on_a_later_day() -> None:
    walkback = programme("walkback")
    state = PlanState("walkback", MONDAY)
    monday, wednesday = (
        uids(calendar_from(walkback, state, MONDAY)),
        uids(calendar_from(walkback, state, MONDAY + timedelta(days=2))),
    )
    assert len(wednesday) == 8 and wednesday.keys() <= monday.keys()
    assert all(monday[uid] == wednesday[uid] for uid in wednesday)
    assert "walkback-2026-05-04-1@coach.walking-plan" in monday.keys() - wednesday.keys()


def test_times_are_floating_local_times() -> None:
    walkback = programme("walkback")
    data = calendar_from(walkback, PlanState("walkback", MONDAY), MONDAY)
    assert b"DTSTART:20260504T073000\r\n" in data
    assert b"TZID" not in data and b"VTIMEZONE" not in data


@pytest.mark.parametrize(
    ("at", "per_day", "expected"),
    [
        (time(7, 30), 1, ["07:30"]),
        (time(7, 30), 3, ["07:30", "10:30", "13:30"]),
        (time(7, 30), 6, ["07:30", "10:12", "12:54", "15:36", "18:18", "21:00"]),
        (time(22, 0), 2, ["22:00", "22:00"]),
    ],
)
def test_several_sessions_a_day_are_spread_from_the_preferred_time(
    at: time, per_day: int, expected: list[str]
) -> None:
    assert [t.strftime("%H:%M") for t in slot_times(at, per_day)] == expected
