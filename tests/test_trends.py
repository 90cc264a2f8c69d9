"""History's figures: streaks in local days, weeks and pain change."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from coach.core.trends import (
    Totals,
    WalkOutcome,
    day_range_utc,
    parse_day,
    streak,
    summarize,
    summary_first_day,
    week_start,
)


@pytest.fixture
def berlin() -> Iterator[None]:
    """Local time in Europe/Berlin (DST from 29 March 2026, 02:00 → 03:00)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def walk(
    started: str,
    minutes: float = 20,
    before: int | None = None,
    after: int | None = None,
    routine: str = "gentle-back",
    walk_id: int = 1,
) -> WalkOutcome:
    return WalkOutcome(
        walk_id=walk_id,
        routine_id=routine,
        started=datetime.fromisoformat(started),
        walked_seconds=minutes * 60,
        pain_before=before,
        pain_after=after,
    )


def test_streak_counts_consecutive_days_ending_today() -> None:
    days = [date(2026, 1, d) for d in (3, 4, 5, 7)]
    assert streak(days, date(2026, 1, 7)) == 1
    assert streak(days, date(2026, 1, 5)) == 3


def test_streak_still_counts_from_yesterday_before_todays_walk() -> None:
    assert streak([date(2026, 1, 4), date(2026, 1, 5)], date(2026, 1, 6)) == 2
    assert streak([date(2026, 1, 4)], date(2026, 1, 6)) == 0


def test_streak_crosses_a_month_end() -> None:
    days = [date(2026, 1, 30), date(2026, 1, 31), date(2026, 2, 1)]
    assert streak(days, date(2026, 2, 1)) == 3


def test_streak_crosses_the_spring_dst_change_in_local_days(berlin: None) -> None:
    # 23:30 UTC on 28 March is 00:30 on 29 March in Berlin; 29 March has only 23 hours.
    walks = [
        walk("2026-03-27T18:00:00+00:00"),
        walk("2026-03-28T23:30:00+00:00"),
        walk("2026-03-29T22:30:00+00:00"),  # 00:30 on 30 March, summer time
    ]
    assert [w.local_day for w in walks] == [date(2026, 3, 27), date(2026, 3, 29), date(2026, 3, 30)]
    assert streak((w.local_day for w in walks), date(2026, 3, 30)) == 2


def test_weeks_start_on_monday() -> None:
    assert week_start(date(2026, 11, 25)) == date(2026, 11, 23)  # a Wednesday
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)  # a Sunday


def test_summary_totals_this_week_and_last_four_weeks(berlin: None) -> None:
    walks = [
        walk("2026-11-25T08:00:00+00:00", 20, 6, 3, walk_id=1),  # Wednesday
        walk("2026-11-23T08:00:00+00:00", 30, 5, 5, walk_id=2),  # Monday
        walk("2026-11-22T08:00:00+00:00", 10, 4, 3, walk_id=3),  # Sunday: last week
        walk("2026-10-28T08:00:00+00:00", 15, walk_id=4),  # 28 days back: outside
    ]
    summary = summarize(walks, date(2026, 11, 25), flagged_checkins=2)
    assert (summary.this_week.walks, summary.this_week.minutes) == (2, 50)
    assert (summary.last_four_weeks.walks, summary.last_four_weeks.minutes) == (3, 60)
    assert summary.average_pain_change_30d == pytest.approx((-3 + 0 - 1) / 3)
    assert summary.relief_share_30d == pytest.approx(1 / 3)  # only 6 → 3 is meaningful
    assert summary.streak_days == 1
    assert summary.flagged == 2


def test_summary_without_pain_ratings_has_no_averages() -> None:
    summary = summarize([walk("2026-11-25T08:00:00+00:00")], date(2026, 11, 25))
    assert summary.average_pain_change_30d is None
    assert summary.relief_share_30d is None


def test_day_ranges_are_local_midnights_in_utc(berlin: None) -> None:
    since, until = day_range_utc(date(2026, 3, 29), date(2026, 3, 29))
    assert since == "2026-03-28T23:00:00+00:00"  # winter time, UTC+1
    assert until == "2026-03-29T22:00:00+00:00"  # summer time, UTC+2
    assert day_range_utc(None, None) == (None, None)


def test_bad_dates_are_refused_with_the_format() -> None:
    assert parse_day("2026-02-28") == date(2026, 2, 28)
    with pytest.raises(ValueError, match="use YYYY-MM-DD"):
        parse_day("2026-02-30")


def test_local_day_uses_the_walks_start_in_local_time() -> None:
    outcome = walk("2026-01-01T00:30:00+00:00")
    assert outcome.local_day == outcome.started.astimezone().date()
    assert outcome.started.tzinfo == UTC


def test_the_summary_needs_only_its_month_of_walks_and_the_days_walked() -> None:
    today = date(2026, 3, 4)
    assert summary_first_day(today) == date(2026, 2, 3)  # 30 local days, today included
    walks = [
        WalkOutcome(n, "r", datetime(2026, 3, 4 - n, 12, tzinfo=UTC), 600, None, None)
        for n in range(3)
    ]
    days = [date(2026, 3, 4) - timedelta(days=n) for n in range(100)]
    summary = summarize(walks, today, walk_days=days)
    assert summary.streak_days == 100  # from the days, not only the month's walks
    assert summary.last_four_weeks == Totals(3, 30)
    assert summarize(walks, today).streak_days == 3
