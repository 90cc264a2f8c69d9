"""How the history speaks, in one place: marks, readings, figures and the summary.

The CLI's table, the app's history, home and the record all word a walk the same way.
Colour never carries a mark alone: each is a symbol, with words where there is room.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.core.checkin import URGENT_ADVICE
from coach.core.records import HistoryEntry
from coach.core.recurrence import Recurrence
from coach.core.text import visible_text
from coach.core.trends import Summary

if TYPE_CHECKING:
    from coach.core.dose import WeeklyDose

RELIEF_MARK = "★"  # a meaningful drop in pain
WORSE_MARK = "▲"  # a meaningful rise in pain
FLAG_MARK = "⚑"  # warning signs were ticked
MISSING = "–"


@dataclass(frozen=True)
class PainMark:
    symbol: str
    words: str
    style: str  # for screens that colour it; the symbol carries the meaning


RELIEF = PainMark(RELIEF_MARK, "meaningful relief", "bold green")
WORSE = PainMark(WORSE_MARK, "meaningful rise in pain", "bold red")
MARKS_LEGEND = (
    f"{RELIEF_MARK} meaningful relief · {WORSE_MARK} meaningful rise in pain "
    f"(at least 2 points or 30%) · {FLAG_MARK} warning signs"
)


def pain_mark(entry: HistoryEntry) -> PainMark | None:
    """★ for meaningful relief, ▲ for a meaningful rise (checkin.is_meaningful), else None."""
    change = entry.pain_change
    if change is None or not entry.meaningful:
        return None
    return RELIEF if change < 0 else WORSE


def minus(text: str) -> str:
    """A typographic minus sign, as in "−1.5"."""
    return text.replace("-", "−")


def signed(value: float | None, digits: int = 1) -> str:
    return MISSING if value is None else minus(f"{value:+.{digits}f}")


def share(value: float | None) -> str:
    return MISSING if value is None else f"{value:.0%}"


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def score(value: int | None) -> str:
    return MISSING if value is None else str(value)


def reading(before: int | None, after: int | None) -> str:
    """`6 → 3`; a dash for a missing side; empty when neither was given."""
    if before is None and after is None:
        return ""
    return f"{score(before)} → {score(after)}"


def pain_reading(entry: HistoryEntry) -> str:
    """A walk's pain before → after with its mark (`6 → 3 ★`); a lone check-in's pain."""
    if not entry.is_walk:
        return score(entry.after.pain) if entry.after else ""
    text = reading(
        entry.before.pain if entry.before else None, entry.after.pain if entry.after else None
    )
    mark = pain_mark(entry)
    return f"{text} {mark.symbol}" if mark is not None else text


def stiffness_reading(entry: HistoryEntry) -> str:
    if not entry.is_walk:
        return score(entry.after.stiffness) if entry.after else ""
    return reading(
        entry.before.stiffness if entry.before else None,
        entry.after.stiffness if entry.after else None,
    )


def one_line(text: str, limit: int) -> str:
    """Text on one line (line breaks and tabs become spaces), cut to `limit` with `…`.

    Control characters show as symbols (see `visible_text`).
    """
    flat = visible_text(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def walk_status(entry: HistoryEntry) -> str:
    """`completed`, `ended early`, …; `logged` for a walk logged with `coach log`."""
    if entry.logged:
        return LOGGED_MARK
    return entry.status.label if entry.status is not None else ""


def walked_of_planned(entry: HistoryEntry) -> str:
    from coach.core.routine.durations import format_clock

    if entry.walked_seconds is None or entry.planned_seconds is None:
        return ""
    return f"{format_clock(entry.walked_seconds)}/{format_clock(entry.planned_seconds)}"


def flagged_line(count: int) -> str:
    """The summary's line about flagged check-ins, with the one advice text."""
    return f"{FLAG_MARK} {plural(count, 'check-in')} with warning signs. {URGENT_ADVICE}"


LOGGED_MARK = "logged"  # a walk logged with `coach log`, not walked in coach


def dose_text(dose: WeeklyDose) -> str:
    """`45 of 150 min moderate · 20 min easy`, and `target met` once it is."""
    text = (
        f"{dose.moderate_minutes:,.0f} of {dose.target_minutes:,.0f} min moderate · "
        f"{dose.easy_minutes:,.0f} min easy"
    )
    return text + (" · target met" if dose.target_met else "")


def days_ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days:,} days ago"


EPISODES_LABEL = "Back-pain episodes: "


def recurrence_words(recurrence: Recurrence) -> str:
    """`last reported 40 days ago · 2025 Q4: 1, 2026 Q1: 0, Q2: 1` (episodes per quarter).

    An episode is a "yes" to the monthly question, dated by its answer
    (coach.core.recurrence): the answer is about the month before it, so the words say
    when it was reported, not when it happened.
    """
    if recurrence.days_since_last_episode is None:
        asked = plural(recurrence.answers, "answer")
        text = f"none ({asked} since {recurrence.first_answered.isoformat()})"
    else:
        text = f"last reported {days_ago(recurrence.days_since_last_episode)}"
    quarters = []
    year = None
    for count in recurrence.quarters:
        label = f"Q{count.quarter}" if count.year == year else count.label
        year = count.year
        quarters.append(f"{label}: {count.episodes}")
    return f"{text} · {', '.join(quarters)}"


def summary_parts(
    summary: Summary, any_walks: bool = True, recurrence: Recurrence | None = None
) -> list[list[tuple[str, str]]]:
    """The history's summary as lines of (label, value) parts: plain text joins them, a
    screen may set the labels in bold. Walks and minutes, the weekly dose, the last 30
    days, back-pain episodes (when the monthly question has been answered), the flags."""
    week, month = summary.this_week, summary.last_four_weeks
    lines: list[list[tuple[str, str]]] = []
    if any_walks:
        lines.append(
            [
                ("This week: ", f"{plural(week.walks, 'walk')}, {week.minutes:,.0f} min · "),
                ("Last 4 weeks: ", f"{plural(month.walks, 'walk')}, {month.minutes:,.0f} min · "),
                ("Streak: ", plural(summary.streak_days, "day")),
            ]
        )
        if summary.dose is not None:
            lines.append([("Dose this week: ", dose_text(summary.dose))])
        if summary.average_pain_change_30d is None:
            recent = "no walks with pain rated before and after"
        else:
            recent = f"average pain change {signed(summary.average_pain_change_30d)}"
            if summary.relief_share_30d is not None:
                relief = share(summary.relief_share_30d)
                recent += f" · {RELIEF_MARK} relief after {relief} of rated walks"
        lines.append([("Last 30 days: ", recent)])
    if recurrence is not None:
        lines.append([(EPISODES_LABEL, recurrence_words(recurrence))])
    if summary.flagged:
        lines.append([("", flagged_line(summary.flagged))])
    return lines


def summary_lines(
    summary: Summary, any_walks: bool = True, recurrence: Recurrence | None = None
) -> list[str]:
    """The summary as plain lines of text."""
    return [
        "".join(label + value for label, value in line)
        for line in summary_parts(summary, any_walks, recurrence)
    ]
