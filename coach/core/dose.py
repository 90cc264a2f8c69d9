"""The weekly dose: minutes walked at moderate or higher cadence, and easy minutes, per week.

WHO advises at least 150 minutes of moderate activity a week, and a cadence of about 100
steps a minute is moderate (SPEC §9); both are defaults the shell may change from the
config. Pure arithmetic over plain values:

- A walk's time is split by cadence: time walked at or above the threshold is moderate,
  the rest easy. A guided walk's split comes from its segments as walked
  (`split_by_cadence`); a logged walk's from its `--cadence`, all of it one way
  (`DoseWalk.logged`): a logged walk without a cadence counts as easy, since nothing
  says it was brisk.
- Weeks start on Monday 00:00 local time. A walk belongs to the week of its own start,
  read in the offset it was walked in (its aware datetime's own zone): so the week is
  right across daylight-saving changes, and a walk in Tokyo and one in London each fall
  in their own local week. A walk crossing midnight into Monday stays in its start's week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from coach.core.routine.durations import format_clock
from coach.core.trends import week_start

if TYPE_CHECKING:
    from coach.core.trends import WalkOutcome

DEFAULT_MODERATE_CADENCE = 100
DEFAULT_WEEKLY_TARGET_MINUTES = 150
LOG_EARLIEST = date(1970, 1, 1)  # before it, local time may not be known


def logged_start(walked_on: date, seconds: int, now: datetime) -> datetime:
    """When a walk logged with `coach log` began. ValueError says why it can't be logged.

    `now` is the local time, aware. A walk logged for today ended `now` and must fit in
    today so far (one that began yesterday is logged for yesterday: it never ends in the
    future, over walks since). One for an earlier day began at its local noon, returned
    naive for the caller to place in the local time zone of that day.
    """
    today = now.date()
    if walked_on > today:
        raise ValueError(f"--date {walked_on} is in the future; log a walk once you have walked it")
    if walked_on < LOG_EARLIEST:
        raise ValueError(f"--date {walked_on} is too long ago: from {LOG_EARLIEST} on")
    if walked_on < today:
        return datetime.combine(walked_on, time(12))
    started = now - timedelta(seconds=seconds)
    if started.date() < today:
        since = now - now.replace(hour=0, minute=0, second=0, microsecond=0)
        raise ValueError(
            f"{format_clock(seconds)} is longer than today so far "
            f"({format_clock(int(since.total_seconds()))} since midnight): "
            "give the day it began with --date YYYY-MM-DD"
        )
    return started


@dataclass(frozen=True)
class CadenceSplit:
    """Seconds walked at or above the moderate threshold, and below it."""

    moderate_seconds: float
    easy_seconds: float

    @property
    def walked_seconds(self) -> float:
        return self.moderate_seconds + self.easy_seconds


def split_by_cadence(
    pieces: Iterable[tuple[float, float | None]], threshold: float = DEFAULT_MODERATE_CADENCE
) -> CadenceSplit:
    """Split walked time by cadence, from (walked seconds, cadence) pieces of one walk.

    A piece is a stretch walked at one cadence (a guided walk's segment, or the part of
    it walked before an early end); a cadence of None (unknown) counts as easy.
    """
    if threshold <= 0:
        raise ValueError(f"the moderate cadence must be above 0, not {threshold}")
    moderate = easy = 0.0
    for seconds, cadence in pieces:
        if seconds < 0:
            raise ValueError(f"walked seconds cannot be negative ({seconds})")
        if cadence is not None and cadence >= threshold:
            moderate += seconds
        else:
            easy += seconds
    return CadenceSplit(moderate, easy)


@dataclass(frozen=True)
class DoseWalk:
    """One walk as the dose counts it."""

    started: datetime  # aware, in the offset the walk was walked in
    moderate_seconds: float
    easy_seconds: float

    def __post_init__(self) -> None:
        if self.started.utcoffset() is None:
            raise ValueError("a walk's start must carry its offset (an aware datetime)")
        if self.moderate_seconds < 0 or self.easy_seconds < 0:
            raise ValueError("walked seconds cannot be negative")

    @classmethod
    def logged(
        cls,
        started: datetime,
        walked_seconds: float,
        cadence: float | None,
        threshold: float = DEFAULT_MODERATE_CADENCE,
    ) -> DoseWalk:
        """A walk logged without the app: all moderate at a cadence at or above the
        threshold, else (or without a cadence) all easy."""
        split = split_by_cadence([(walked_seconds, cadence)], threshold)
        return cls(started, split.moderate_seconds, split.easy_seconds)

    @property
    def week_start(self) -> date:
        return walk_week(self.started)

    @classmethod
    def of(cls, walk: WalkOutcome) -> DoseWalk:
        """A stored walk as the dose counts it. A walk recorded before coach kept the
        split (both None) counts as easy: nothing says it was brisk, and the dose should
        never claim more moderate minutes than were walked."""
        if walk.moderate_seconds is None or walk.easy_seconds is None:
            return cls(walk.started, 0.0, walk.walked_seconds)
        return cls(walk.started, walk.moderate_seconds, walk.easy_seconds)


@dataclass(frozen=True)
class WeeklyDose:
    """One week's minutes against the weekly target of moderate minutes."""

    week_start: date
    moderate_minutes: float
    easy_minutes: float
    target_minutes: float
    walks: int

    @property
    def total_minutes(self) -> float:
        return self.moderate_minutes + self.easy_minutes

    @property
    def target_met(self) -> bool:
        return self.moderate_minutes >= self.target_minutes

    @property
    def remaining_minutes(self) -> float:
        """Moderate minutes still to walk this week to meet the target (0 once met)."""
        return max(0.0, self.target_minutes - self.moderate_minutes)


def walk_week(started: datetime) -> date:
    """The Monday of the local week a walk belongs to, by its own offset."""
    if started.utcoffset() is None:
        raise ValueError("a walk's start must carry its offset (an aware datetime)")
    # The aware datetime's own wall-clock date: no conversion to another zone.
    return week_start(started.date())


def _dose(monday: date, walks: list[DoseWalk], target_minutes: float) -> WeeklyDose:
    moderate = sum(walk.moderate_seconds for walk in walks)
    easy = sum(walk.easy_seconds for walk in walks)
    return WeeklyDose(monday, moderate / 60, easy / 60, target_minutes, len(walks))


def weekly_dose(
    walks: Iterable[DoseWalk],
    day: date,
    target_minutes: float = DEFAULT_WEEKLY_TARGET_MINUTES,
) -> WeeklyDose:
    """The dose of the local week holding `day` (e.g. today's local date)."""
    monday = week_start(day)
    return _dose(monday, [walk for walk in walks if walk.week_start == monday], target_minutes)


def weekly_doses(
    walks: Iterable[DoseWalk],
    first_day: date,
    last_day: date,
    target_minutes: float = DEFAULT_WEEKLY_TARGET_MINUTES,
) -> tuple[WeeklyDose, ...]:
    """Every week from `first_day`'s to `last_day`'s, oldest first, empty weeks included."""
    first, last = week_start(first_day), week_start(last_day)
    by_week: dict[date, list[DoseWalk]] = {}
    for walk in walks:
        monday = walk.week_start
        if first <= monday <= last:
            by_week.setdefault(monday, []).append(walk)
    weeks = (last - first).days // 7 + 1
    return tuple(
        _dose(monday, by_week.get(monday, []), target_minutes)
        for monday in (first + timedelta(weeks=n) for n in range(weeks))
    )
