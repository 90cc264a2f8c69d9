"""The weekly dose: moderate and easy minutes per local week, across DST and zone changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.core.dose import (
    DEFAULT_MODERATE_CADENCE,
    DEFAULT_WEEKLY_TARGET_MINUTES,
    DoseWalk,
    logged_start,
    split_by_cadence,
    walk_week,
    weekly_dose,
    weekly_doses,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def at(
    zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


def moderate(started: datetime, minutes: float) -> DoseWalk:
    return DoseWalk(started, moderate_seconds=minutes * 60, easy_seconds=0)


# -- splitting a walk by cadence ------------------------------------------------------------


def test_defaults_are_100_steps_a_minute_and_150_minutes_a_week() -> None:
    assert (DEFAULT_MODERATE_CADENCE, DEFAULT_WEEKLY_TARGET_MINUTES) == (100, 150)


def test_pieces_at_or_above_the_threshold_are_moderate() -> None:
    split = split_by_cadence([(300, 90), (180, 100), (120, 115), (60, 99)])
    assert (split.moderate_seconds, split.easy_seconds) == (300, 360)
    assert split.walked_seconds == 660


def test_the_threshold_can_be_changed() -> None:
    split = split_by_cadence([(300, 90), (180, 100)], threshold=90)
    assert (split.moderate_seconds, split.easy_seconds) == (480, 0)


def test_a_piece_without_a_cadence_is_easy() -> None:
    assert split_by_cadence([(60, None)]).easy_seconds == 60


def test_negative_seconds_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        split_by_cadence([(-1, 100)])


@given(st.lists(st.tuples(st.floats(0, 1e5), st.one_of(st.none(), st.floats(40, 180)))))
def test_a_split_keeps_every_second(pieces: list[tuple[float, float | None]]) -> None:
    split = split_by_cadence(pieces)
    assert split.walked_seconds == pytest.approx(sum(seconds for seconds, _ in pieces))


def test_a_logged_walk_with_a_brisk_cadence_is_all_moderate() -> None:
    walk = DoseWalk.logged(at(LONDON, 2026, 5, 4, 8, 0), 1800, cadence=105)
    assert (walk.moderate_seconds, walk.easy_seconds) == (1800, 0)


def test_a_logged_walk_without_a_cadence_counts_as_easy() -> None:
    walk = DoseWalk.logged(at(LONDON, 2026, 5, 4, 8, 0), 1800, cadence=None)
    assert (walk.moderate_seconds, walk.easy_seconds) == (0, 1800)


def test_a_walk_needs_an_aware_start() -> None:
    with pytest.raises(ValueError, match="offset"):
        DoseWalk(datetime(2026, 5, 4, 8, 0), 60, 0)


# -- weeks ----------------------------------------------------------------------------------


def test_the_week_sums_moderate_and_easy_minutes_against_the_target() -> None:
    walks = [
        DoseWalk(at(LONDON, 2026, 5, 4, 8), 20 * 60, 10 * 60),
        DoseWalk(at(LONDON, 2026, 5, 10, 20), 40 * 60, 0),
    ]
    dose = weekly_dose(walks, date(2026, 5, 7))
    assert dose.week_start == date(2026, 5, 4)
    assert (dose.moderate_minutes, dose.easy_minutes, dose.total_minutes) == (60, 10, 70)
    assert (dose.walks, dose.target_minutes, dose.remaining_minutes) == (2, 150, 90)
    assert not dose.target_met


def test_the_target_is_met_by_moderate_minutes_only() -> None:
    walks = [DoseWalk(at(LONDON, 2026, 5, 4, 8), 100 * 60, 100 * 60)]
    assert not weekly_dose(walks, date(2026, 5, 4)).target_met
    assert weekly_dose(walks, date(2026, 5, 4), target_minutes=100).target_met
    assert weekly_dose(walks, date(2026, 5, 4), target_minutes=100).remaining_minutes == 0


def test_sunday_night_and_monday_morning_fall_in_different_weeks() -> None:
    sunday = moderate(at(LONDON, 2026, 5, 10, 23, 59, 59), 30)
    monday = moderate(at(LONDON, 2026, 5, 11, 0, 0), 10)
    assert weekly_dose([sunday, monday], date(2026, 5, 10)).moderate_minutes == 30
    assert weekly_dose([sunday, monday], date(2026, 5, 11)).moderate_minutes == 10


def test_a_walk_across_midnight_into_monday_stays_in_its_starts_week() -> None:
    walk = moderate(at(LONDON, 2026, 5, 10, 23, 40), 40)
    assert walk_week(walk.started) == date(2026, 5, 4)


def test_weekly_doses_give_every_week_including_empty_ones() -> None:
    walks = [moderate(at(LONDON, 2026, 5, 4, 8), 30), moderate(at(LONDON, 2026, 5, 20, 8), 15)]
    doses = weekly_doses(walks, date(2026, 5, 6), date(2026, 5, 24))
    assert [(d.week_start, d.moderate_minutes, d.walks) for d in doses] == [
        (date(2026, 5, 4), 30, 1),
        (date(2026, 5, 11), 0, 0),
        (date(2026, 5, 18), 15, 1),
    ]


# -- daylight saving ------------------------------------------------------------------------


def test_london_spring_forward_monday_starts_at_local_midnight() -> None:
    # Clocks went forward on Sunday 29 March 2026: Monday 00:30 BST is Sunday 23:30 UTC.
    monday = moderate(at(LONDON, 2026, 3, 30, 0, 30), 20)
    sunday = moderate(at(LONDON, 2026, 3, 29, 23, 30), 10)
    assert monday.started.astimezone(UTC).date() == date(2026, 3, 29)
    assert walk_week(monday.started) == date(2026, 3, 30)
    assert walk_week(sunday.started) == date(2026, 3, 23)
    assert weekly_dose([monday, sunday], date(2026, 3, 30)).moderate_minutes == 20


def test_london_autumn_back_the_repeated_hour_stays_in_its_week() -> None:
    # Sunday 25 October 2026, 01:30 happens twice; both belong to the week of 19 October.
    first = moderate(at(LONDON, 2026, 10, 25, 1, 30), 10)
    second = moderate(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON), 10)
    assert first.started.utcoffset() != second.started.utcoffset()
    assert weekly_dose([first, second], date(2026, 10, 19)).moderate_minutes == 20


def test_new_york_fall_back_sunday_late_walk_stays_in_its_week() -> None:
    # Clocks went back on Sunday 1 November 2026: Sunday 23:30 EST is Monday 04:30 UTC.
    sunday = moderate(at(NEW_YORK, 2026, 11, 1, 23, 30), 30)
    assert sunday.started.astimezone(UTC).date() == date(2026, 11, 2)
    assert walk_week(sunday.started) == date(2026, 10, 26)
    assert weekly_dose([sunday], date(2026, 11, 2)).moderate_minutes == 0


def test_new_york_spring_forward_week_counts_every_walk_once() -> None:
    # Sunday 8 March 2026 is 23 hours long; a week of daily walks still counts seven.
    walks = [moderate(at(NEW_YORK, 2026, 3, 2, 7, 0) + timedelta(days=n), 10) for n in range(7)]
    assert weekly_dose(walks, date(2026, 3, 8)).walks == 7
    assert [d.walks for d in weekly_doses(walks, date(2026, 3, 2), date(2026, 3, 9))] == [7, 0]


# -- a change of time zone between walks -----------------------------------------------------


def test_each_walk_falls_in_the_week_of_its_own_offset_after_a_flight() -> None:
    # Monday 07:00 in Tokyo (Sunday 22:00 UTC), then a flight east over the date line:
    # Sunday 20:00 in New York (Monday 00:00 UTC) is later, yet in the week before.
    tokyo_monday = moderate(at(TOKYO, 2026, 5, 11, 7, 0), 25)
    new_york_sunday = moderate(at(NEW_YORK, 2026, 5, 10, 20, 0), 15)
    assert new_york_sunday.started > tokyo_monday.started
    walks = [tokyo_monday, new_york_sunday]
    assert weekly_dose(walks, date(2026, 5, 11)).moderate_minutes == 25
    assert weekly_dose(walks, date(2026, 5, 10)).moderate_minutes == 15


def test_a_fixed_offset_start_counts_by_that_offset() -> None:
    minus_ten = timezone(timedelta(hours=-10))
    walk = moderate(datetime(2026, 5, 10, 20, 0, tzinfo=minus_ten), 30)  # Mon 06:00 UTC
    assert walk_week(walk.started) == date(2026, 5, 4)


# -- when a logged walk began (coach log) ------------------------------------------------

HALF_PAST_MIDNIGHT = datetime(2026, 3, 10, 0, 30, tzinfo=timezone(timedelta(hours=1)))


def test_a_walk_logged_for_today_ends_now() -> None:
    began = logged_start(HALF_PAST_MIDNIGHT.date(), 20 * 60, HALF_PAST_MIDNIGHT)
    assert began == HALF_PAST_MIDNIGHT - timedelta(minutes=20)


def test_a_walk_longer_than_today_so_far_is_refused_for_today() -> None:
    with pytest.raises(ValueError, match=r"^45:00 is longer than today so far \(30:00 since"):
        logged_start(HALF_PAST_MIDNIGHT.date(), 45 * 60, HALF_PAST_MIDNIGHT)


def test_a_walk_logged_for_an_earlier_day_began_at_its_noon() -> None:
    began = logged_start(date(2026, 3, 1), 3600, HALF_PAST_MIDNIGHT)
    assert began == datetime(2026, 3, 1, 12)  # naive: placed in that day's local time


@pytest.mark.parametrize(
    ("day", "words"),
    [(date(2026, 3, 11), "is in the future"), (date(1969, 12, 31), "is too long ago")],
)
def test_a_day_in_the_future_or_before_1970_is_refused(day: date, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        logged_start(day, 600, HALF_PAST_MIDNIGHT)
