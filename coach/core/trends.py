"""What the history says: streaks, weekly totals and pain change.

Which routines help, with intervals, is `coach.core.estimates`.

Pure functions over plain values; days are local calendar days (so a streak survives
month ends and daylight-saving changes), computed by the caller's local time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from coach.core.checkin import meaningful_relief, pain_change
from coach.core.records import WalkSource

if TYPE_CHECKING:
    from coach.core.dose import WeeklyDose
    from coach.core.records import HistoryEntry


@dataclass(frozen=True)
class WalkOutcome:
    """One walk as the history sees it."""

    walk_id: int
    routine_id: str
    started: datetime  # aware
    walked_seconds: float
    pain_before: int | None
    pain_after: int | None
    flagged: bool = False
    # Seconds at moderate or higher cadence and below (None: not known, an older walk).
    moderate_seconds: float | None = None
    easy_seconds: float | None = None
    source: WalkSource = WalkSource.GUIDED

    @property
    def local_day(self) -> date:
        # Cached: summaries ask for it several times for each of thousands of walks.
        # By hand, not functools.cached_property: that takes a lock on every read (3.11).
        cached: date | None = self.__dict__.get("_local_day")
        if cached is None:
            cached = self.__dict__["_local_day"] = self.started.astimezone().date()
        return cached

    @property
    def pain_change(self) -> int | None:
        return pain_change(self.pain_before, self.pain_after)

    @property
    def relief(self) -> bool:
        return meaningful_relief(self.pain_before, self.pain_after)


@dataclass(frozen=True)
class Totals:
    walks: int
    minutes: float


@dataclass(frozen=True)
class Summary:
    this_week: Totals
    last_four_weeks: Totals
    streak_days: int
    average_pain_change_30d: float | None
    relief_share_30d: float | None  # among walks with pain before and after
    flagged: int
    dose: WeeklyDose | None = None  # this week's moderate and easy minutes


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive days with a walk, ending today (or yesterday, if today has none yet)."""
    walked = set(days)
    day = today if today in walked else today - timedelta(days=1)
    count = 0
    while day in walked:
        count += 1
        day -= timedelta(days=1)
    return count


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def totals(walks: Iterable[WalkOutcome], first_day: date, last_day: date) -> Totals:
    chosen = [w for w in walks if first_day <= w.local_day <= last_day]
    return Totals(len(chosen), sum(w.walked_seconds for w in chosen) / 60)


def _average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _relief_share(walks: list[WalkOutcome]) -> float | None:
    rated = [w for w in walks if w.pain_change is not None]
    return sum(w.relief for w in rated) / len(rated) if rated else None


# The summary's longest window: its 30-day averages (the week and 4 weeks fit inside).
SUMMARY_DAYS = 30


def summary_first_day(today: date) -> date:
    """The first local day whose walks `summarize` needs (given the days for the streak)."""
    return today - timedelta(days=SUMMARY_DAYS - 1)


def summarize(
    walks: list[WalkOutcome],
    today: date,
    flagged_checkins: int = 0,
    walk_days: Iterable[date] | None = None,
    target_minutes: float | None = None,
) -> Summary:
    """The history's headline figures as of `today` (a local date).

    `walks` may hold only those since `summary_first_day(today)` when `walk_days` gives
    every local day with a walk, for the streak (which can be years long). The weekly
    dose is against `target_minutes` (the default target when None).
    """
    from coach.core.dose import DEFAULT_WEEKLY_TARGET_MINUTES, DoseWalk, weekly_dose

    recent = [w for w in walks if today - timedelta(days=29) <= w.local_day <= today]
    changes = [w.pain_change for w in recent if w.pain_change is not None]
    return Summary(
        this_week=totals(walks, week_start(today), today),
        last_four_weeks=totals(walks, today - timedelta(days=27), today),
        streak_days=streak((w.local_day for w in walks) if walk_days is None else walk_days, today),
        average_pain_change_30d=_average(changes),
        relief_share_30d=_relief_share(recent),
        flagged=flagged_checkins,
        dose=weekly_dose(
            (DoseWalk.of(w) for w in walks if w.started >= _week_floor(today)),
            today,
            DEFAULT_WEEKLY_TARGET_MINUTES if target_minutes is None else target_minutes,
        ),
    )


def _week_floor(today: date) -> datetime:
    """An instant before any walk of `today`'s week can have started, in any time zone."""
    return datetime.combine(week_start(today) - timedelta(days=2), time(), tzinfo=UTC)


def parse_day(text: str) -> date:
    """A local calendar day from `YYYY-MM-DD`; ValueError with a one-line reason."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-25") from None


def day_range_utc(since: date | None, until: date | None) -> tuple[str | None, str | None]:
    """Local days `since`..`until` (both inclusive) as UTC ISO bounds [start, end)."""

    def midnight_utc(day: date, days_later: int = 0) -> str | None:
        # At the ends of the calendar (0001-01-01, 9999-12-31) the bound falls outside
        # what a date can hold: nothing is earlier or later, so there is no bound.
        try:
            local = datetime.combine(day + timedelta(days=days_later), time()).astimezone()
            return local.astimezone(UTC).isoformat(timespec="seconds")
        except (OverflowError, ValueError):
            return None

    start = midnight_utc(since) if since else None
    end = midnight_utc(until, days_later=1) if until else None
    return start, end


def summarize_entries(
    entries: Sequence[HistoryEntry], today: date, target_minutes: float | None = None
) -> Summary:
    """The headline figures of these entries (walks only; flagged check-ins counted)."""
    outcomes = [o for o in (entry.outcome() for entry in entries) if o is not None]
    flagged = sum(
        1
        for entry in entries
        for checkin in (entry.before, entry.after)
        if checkin is not None and checkin.flagged
    )
    return summarize(outcomes, today, flagged, target_minutes=target_minutes)
