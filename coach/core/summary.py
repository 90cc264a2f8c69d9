"""The end of a walk: what was walked, the week so far and, after the check-in, the pain.

One value, `WalkSummary`, worded here once for the app's summary screen and the lines
`coach walk --plain` prints. Everything in it was walked: skipped time is not counted
(see `WalkSession.steps_walked`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from coach.core.checkin import is_meaningful, pain_change
from coach.core.records import WalkStatus
from coach.core.routine.durations import format_clock
from coach.core.wording import RELIEF, WORSE, PainMark, dose_text, plural, reading

if TYPE_CHECKING:
    from coach.core.dose import WeeklyDose
    from coach.core.engine import WalkSession
    from coach.core.trends import Totals

# Below this much walking an average cadence says nothing.
CADENCE_HELD_MIN_SECONDS = 20


@dataclass(frozen=True)
class WalkSummary:
    """One walk as it ended. `saved`: True once recorded, False if recording failed, None
    when it was never meant to be recorded (a preview at `--speed`, or no database)."""

    routine_name: str
    status: WalkStatus
    walked_seconds: float
    planned_seconds: int
    steps: int
    segments_walked: int  # walked to their end, not skipped
    segments_total: int
    saved: bool | None
    cadence: float | None  # the cadences in effect, averaged over the time walked
    week: Totals | None = None  # this week's walks and minutes, this one included
    dose: WeeklyDose | None = None  # this week's minutes against the weekly target
    saving: bool = False  # the record is being written: `saved` not known yet
    checked_in: bool = False  # the check-in after the walk was saved
    pain_before: int | None = None
    pain_after: int | None = None

    @property
    def cadence_held(self) -> float | None:
        """The cadence held: those in effect, averaged over the time walked (None for a
        few seconds' walk)."""
        if self.walked_seconds < CADENCE_HELD_MIN_SECONDS:
            return None
        return self.cadence

    @property
    def pain_mark(self) -> PainMark | None:
        """★ for meaningful relief, ▲ for a meaningful rise, else None."""
        change = pain_change(self.pain_before, self.pain_after)
        if change is None or not is_meaningful(self.pain_before, self.pain_after):
            return None
        return RELIEF if change < 0 else WORSE

    def after_checkin(self, pain_before: int | None, pain_after: int | None) -> WalkSummary:
        """The same walk once its check-in is saved."""
        return replace(self, checked_in=True, pain_before=pain_before, pain_after=pain_after)

    @property
    def title(self) -> str:
        """How the walk ended, and whether it was recorded ("Walk complete" only if it was)."""
        completed = self.status is WalkStatus.COMPLETED
        if self.saving:
            return "Walk over: saving it…" if completed else "Ended early: saving it…"
        if self.saved is None:
            return "Preview over, not recorded" if completed else "Ended early, not recorded"
        if not self.saved:
            return "Walk over, not saved yet" if completed else "Ended early, not saved yet"
        return "Walk complete" if completed else "Walk ended early, saved"

    def parts(self) -> list[tuple[str, str]]:
        """The summary as (label, value) lines, in the order shown."""
        walked = format_clock(self.walked_seconds)
        lines = [
            ("Routine", self.routine_name),
            ("Walked", f"{walked} of {format_clock(self.planned_seconds)}"),
            ("Steps", f"{self.steps:,}"),
            ("Segments", f"{self.segments_walked} of {self.segments_total} walked through"),
        ]
        held = self.cadence_held
        if held is not None:
            lines.append(("Cadence held", f"{held:.0f} steps/min on average"))
        if self.saving:  # the rows come, filled in once the walk is saved
            lines += [("This week", "…"), ("Weekly dose", "…")]
        elif self.saved is None:
            lines.append(("This week", "not counted (not recorded)"))
        else:
            if self.week is not None:
                walks = plural(self.week.walks, "walk")
                lines.append(("This week", f"{walks}, {self.week.minutes:,.0f} min"))
            if self.dose is not None:
                lines.append(("Weekly dose", dose_text(self.dose)))
        if self.checked_in:
            lines.append(("Pain", self._pain()))
        return lines

    def lines(self) -> list[str]:
        """The title and the parts as plain lines of text (what plain mode prints)."""
        width = max(len(label) for label, _ in self.parts())
        return [f"Summary: {self.title}"] + [
            f"  {label + ':':<{width + 1}} {value}" for label, value in self.parts()
        ]

    def _pain(self) -> str:
        text = reading(self.pain_before, self.pain_after) or "not rated"
        mark = self.pain_mark
        return f"{text} {mark.symbol} {mark.words}" if mark is not None else text


def summarize_walk(session: WalkSession, status: WalkStatus, saved: bool | None) -> WalkSummary:
    """The summary of a walk as it ended (before the check-in)."""
    timeline = session.timeline
    return WalkSummary(
        routine_name=timeline.name,
        status=status,
        walked_seconds=session.walked_to_end(),
        planned_seconds=timeline.total,
        steps=session.steps_walked(),
        segments_walked=session.segments_walked(),
        segments_total=len(timeline.segments),
        saved=saved,
        cadence=session.average_cadence(),
    )
