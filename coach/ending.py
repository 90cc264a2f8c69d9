"""The end of a walk, in the shell: its summary, with this week's figures from the store.

The app's summary screen and `coach walk --plain` both ask here; the wording is the
core's (`coach.core.summary`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, TextIO

from coach.core.dose import DoseWalk, weekly_dose
from coach.core.summary import WalkSummary, summarize_walk
from coach.core.trends import day_range_utc, totals, week_start
from coach.store import StoreError

if TYPE_CHECKING:
    from coach.core.engine import WalkSession
    from coach.core.records import WalkStatus
    from coach.store import Store


def walk_summary(
    session: WalkSession,
    status: WalkStatus,
    saved: bool | None,
    store: Store | None,
    weekly_target: float | None = None,
) -> WalkSummary:
    """The summary of a walk that has just ended: `saved` whether its record is written
    (None: not recorded), with this week's walks and its dose against `weekly_target`
    (by default the config's) when it is. Reads the store: call it off the event loop."""
    summary = summarize_walk(session, status, saved)
    if not saved or store is None:
        return summary
    if weekly_target is None:
        from coach.config import load_config

        weekly_target = load_config()[0].weekly_target
    today = date.today()
    monday = week_start(today)
    try:
        # From two days before Monday (UTC): a walk's week is its own local one.
        walks = store.walk_outcomes(since=day_range_utc(monday - timedelta(days=2), None)[0])
    except StoreError:
        return summary  # the figures of the week are a nicety: the walk is saved
    dose = weekly_dose((DoseWalk.of(walk) for walk in walks), today, weekly_target)
    return replace(summary, week=totals(walks, monday, today), dose=dose)


def print_summary(summary: WalkSummary, out: TextIO) -> None:
    """The summary as lines (plain mode); a reader gone or a terminal closed ends it quietly."""
    try:
        for line in summary.lines():
            print(line, file=out)
        out.flush()
    except (OSError, ValueError):  # BrokenPipeError and EIO are OSErrors; closed: ValueError
        pass
