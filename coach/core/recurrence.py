"""Recurrence (SPEC §10): the monthly question, when to ask it, and what the answers say.

The question is the one recurrence trials ask ("activity-limiting" back pain, as in
WalkBack): it is about the past month, so it is asked about once a month, and each answer
covers the 30 days before it. Pure rules over plain dates; days are local calendar days.

Counting episodes: a "yes" says there was at least one episode in the month before the
answer, not how many. Two "yes" answers less than `ASK_EVERY_DAYS` apart cover partly the
same days and may be the same episode, so the later one is not counted again; a "yes"
`ASK_EVERY_DAYS` or more after the last one counted is a new episode. Each episode is
dated by the day it was reported, so "days since the last episode" is the days since it
was reported (the episode itself was at most a month before that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

RECURRENCE_QUESTION = (
    "In the past month, did back pain stop you doing your usual activities for a day or more?"
)
ASK_EVERY_DAYS = 30
QUARTERS_SHOWN = 4


@dataclass(frozen=True)
class EpisodeAnswer:
    """One answer to the question: the local day it was given, and yes (True) or no."""

    day: date
    episode: bool


def recurrence_due(last_answered: date | None, first_use: date | None, today: date) -> bool:
    """Whether to ask today.

    Once `ASK_EVERY_DAYS` have passed since the last answer. Someone never asked is asked
    from their second day with coach on (the day of their first walk or check-in is for
    getting started), and not before they have used it at all.
    """
    if last_answered is not None:
        return (today - last_answered).days >= ASK_EVERY_DAYS
    return first_use is not None and first_use < today


def episode_days(answers: Sequence[EpisodeAnswer]) -> list[date]:
    """The days episodes were reported, oldest first, each counted once (module docstring)."""
    counted: list[date] = []
    for day in sorted(answer.day for answer in answers if answer.episode):
        if not counted or (day - counted[-1]).days >= ASK_EVERY_DAYS:
            counted.append(day)
    return counted


@dataclass(frozen=True)
class QuarterCount:
    """Episodes reported in one calendar quarter."""

    year: int
    quarter: int  # 1–4
    episodes: int

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"


@dataclass(frozen=True)
class Recurrence:
    """What the answers say, as of a day."""

    answers: int
    first_answered: date
    last_episode: date | None
    days_since_last_episode: int | None
    quarters: tuple[QuarterCount, ...]  # oldest first; the last is the current quarter


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _previous(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def summarize_recurrence(
    answers: Sequence[EpisodeAnswer], today: date, quarters: int = QUARTERS_SHOWN
) -> Recurrence | None:
    """Days since the last episode and episodes per quarter (None without answers).

    The quarters are the last `quarters` calendar quarters up to today's, from the one of
    the first answer on: a quarter before anyone asked is unknown, not zero.
    """
    if not answers:
        return None
    first = min(answer.day for answer in answers)
    days = episode_days(answers)
    last = days[-1] if days else None
    shown: list[tuple[int, int]] = []
    year, quarter = quarter_of(today)
    while len(shown) < quarters and (year, quarter) >= quarter_of(first):
        shown.append((year, quarter))
        year, quarter = _previous(year, quarter)
    counts = [
        QuarterCount(y, q, sum(1 for day in days if quarter_of(day) == (y, q)))
        for y, q in reversed(shown)
    ]
    return Recurrence(
        answers=len(answers),
        first_answered=first,
        last_episode=last,
        days_since_last_episode=None if last is None else (today - last).days,
        quarters=tuple(counts),
    )


def next_ask_day(last_answered: date) -> date:
    """The day the question comes back after an answer."""
    return last_answered + timedelta(days=ASK_EVERY_DAYS)
