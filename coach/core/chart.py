"""The history's chart as numbers: pain or stiffness before and after each walk over time.

More walks than CHART_POINTS are averaged per day, then per week, then per month, so the
chart stays legible and quick to draw.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from coach.core.records import HistoryEntry
from coach.core.trends import week_start

CHART_POINTS = 200  # more walks than this are averaged per day, week or month
MEASURES = ("pain", "stiffness")


@dataclass(frozen=True)
class ChartSeries:
    """Points (x = local day ordinal, fraction for time of day) for one measure."""

    period: str  # "each walk", "daily average", …
    before: tuple[tuple[float, float], ...]
    after: tuple[tuple[float, float], ...]

    @property
    def empty(self) -> bool:
        return not self.before and not self.after


def chart_series(entries: Iterable[HistoryEntry]) -> dict[str, ChartSeries]:
    """Before and after values of pain and of stiffness over time, per walk or averaged."""
    points: list[tuple[float, HistoryEntry]] = []
    for entry in entries:
        if entry.is_walk and (entry.before is not None or entry.after is not None):
            local = entry.started.astimezone()
            points.append((local.toordinal() + (local.hour * 60 + local.minute) / 1440, entry))
    period, bucket = "each walk", _each
    for name, candidate in (
        ("daily average", _day),
        ("weekly average", _week),
        ("monthly average", _month),
    ):
        if len({bucket(x) for x, _ in points}) <= CHART_POINTS:
            break
        period, bucket = name, candidate
    return {
        measure: ChartSeries(
            period,
            _averages(points, bucket, _reading(measure, after=False)),
            _averages(points, bucket, _reading(measure, after=True)),
        )
        for measure in MEASURES
    }


def _reading(measure: str, after: bool) -> Callable[[HistoryEntry], int | None]:
    """The pain or stiffness of a walk's check-in before or after it."""

    def value(entry: HistoryEntry) -> int | None:
        checkin = entry.after if after else entry.before
        if checkin is None:
            return None
        return checkin.pain if measure == "pain" else checkin.stiffness

    return value


def _averages(
    points: list[tuple[float, HistoryEntry]],
    bucket: Callable[[float], float],
    value: Callable[[HistoryEntry], int | None],
) -> tuple[tuple[float, float], ...]:
    sums: dict[float, list[int]] = defaultdict(list)
    for x, entry in points:
        reading = value(entry)
        if reading is not None:
            sums[bucket(x)].append(reading)
    return tuple((x, sum(values) / len(values)) for x, values in sorted(sums.items()))


def _each(x: float) -> float:
    return x


def _day(x: float) -> float:
    return float(int(x))


def _week(x: float) -> float:
    return float(week_start(date.fromordinal(int(x))).toordinal())


def _month(x: float) -> float:
    return float(date.fromordinal(int(x)).replace(day=1).toordinal())


def date_ticks(first: float, last: float, count: int) -> list[tuple[float, str]]:
    """`count` evenly spaced x positions between two day ordinals, labelled as dates."""
    if last - first < 1:
        return [(first, date.fromordinal(int(first)).isoformat())]
    step = (last - first) / (count - 1)
    label: Callable[[date], str] = (
        (lambda day: day.strftime("%Y-%m")) if last - first > 400 else date.isoformat
    )
    return [
        (first + i * step, label(date.fromordinal(int(first + i * step)))) for i in range(count)
    ]
