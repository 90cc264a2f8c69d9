"""The end-of-walk summary: what was walked, the week, the pain change, in one wording."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

import pytest

from coach.core.dose import WeeklyDose
from coach.core.engine import WalkSession
from coach.core.records import WalkStatus
from coach.core.routine import compile_timeline, load_text
from coach.core.summary import WalkSummary, summarize_walk
from coach.core.trends import Totals

TWO = dedent("""\
    name: Two [/x]
    segments:
      - name: A
        duration: 2m
        cadence: 100
      - name: B
        duration: 2m
        cadence: 120
    """)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def summary(**changes: object) -> WalkSummary:
    base: dict[str, object] = {
        "routine_name": "Desk break",
        "status": WalkStatus.COMPLETED,
        "walked_seconds": 600.0,
        "planned_seconds": 600,
        "steps": 980,
        "segments_walked": 6,
        "segments_total": 6,
        "saved": True,
        "cadence": 98.0,
    }
    base.update(changes)
    return WalkSummary(**base)  # type: ignore[arg-type]


def session_of(text: str, clock: FakeClock) -> WalkSession:
    result = load_text(text, "two", "two.yaml")
    assert result.routine is not None, result.report()
    return WalkSession(compile_timeline(result.routine), clock)


def test_a_skipped_segment_counts_neither_time_nor_steps_nor_the_segment() -> None:
    clock = FakeClock()
    session = session_of(TWO, clock)
    clock.now = 60
    session.next_segment()  # the second minute of A skipped
    clock.now = 180
    ended = summarize_walk(session, WalkStatus.COMPLETED, saved=True)
    assert ended.walked_seconds == 180
    assert ended.segments_walked == 1 and ended.segments_total == 2
    assert ended.steps == 101 + 240  # a minute at 100 (and the step under way), B at 120
    assert ended.cadence_held == pytest.approx((60 * 100 + 120 * 120) / 180)  # by the time


def test_the_cadence_held_is_the_cadence_walked_not_one_step_more() -> None:
    clock = FakeClock()
    session = session_of(TWO, clock)
    clock.now = 58  # 88 steps (the first on the first beat) in 58 s at 100
    ended = summarize_walk(session, WalkStatus.ENDED_EARLY, saved=True)
    assert ended.cadence_held == 100


def test_parts_say_what_was_walked_in_order() -> None:
    assert summary(week=Totals(3, 42.4)).parts() == [
        ("Routine", "Desk break"),
        ("Walked", "10:00 of 10:00"),
        ("Steps", "980"),
        ("Segments", "6 of 6 walked through"),
        ("Cadence held", "98 steps/min on average"),
        ("This week", "3 walks, 42 min"),
    ]


def test_no_cadence_held_after_a_few_seconds() -> None:
    assert summary(walked_seconds=8, steps=14).cadence_held is None
    assert all(label != "Cadence held" for label, _ in summary(walked_seconds=8).parts())


def test_the_weekly_dose_shows_against_its_target_when_known() -> None:
    dose = WeeklyDose(date(2026, 3, 2), 45.2, 12.0, 150, 3)
    parts = dict(summary(dose=dose, week=Totals(3, 57)).parts())
    assert parts["This week"] == "3 walks, 57 min"
    assert parts["Weekly dose"] == "45 of 150 min moderate · 12 min easy"
    met = WeeklyDose(date(2026, 3, 2), 151, 0, 150, 6)
    assert dict(summary(dose=met).parts())["Weekly dose"].endswith("· target met")
    assert "Weekly dose" not in dict(summary(week=Totals(3, 57)).parts())


@pytest.mark.parametrize(
    ("status", "saved", "title"),
    [
        (WalkStatus.COMPLETED, True, "Walk complete"),
        (WalkStatus.ENDED_EARLY, True, "Walk ended early, saved"),
        (WalkStatus.COMPLETED, False, "Walk over, not saved yet"),
        (WalkStatus.ENDED_EARLY, False, "Ended early, not saved yet"),
        (WalkStatus.COMPLETED, None, "Preview over, not recorded"),
        (WalkStatus.ENDED_EARLY, None, "Ended early, not recorded"),
    ],
)
def test_walk_complete_is_said_only_over_a_saved_walk(
    status: WalkStatus, saved: bool | None, title: str
) -> None:
    assert summary(status=status, saved=saved).title == title


def test_a_preview_is_not_counted_in_the_week() -> None:
    assert dict(summary(saved=None).parts())["This week"] == "not counted (not recorded)"


def test_pain_shows_only_after_the_checkin_with_its_mark() -> None:
    before = summary()
    assert "Pain" not in dict(before.parts())
    relief = before.after_checkin(6, 3)
    assert dict(relief.parts())["Pain"] == "6 → 3 ★ meaningful relief"
    assert dict(before.after_checkin(4, 7).parts())["Pain"] == "4 → 7 ▲ meaningful rise in pain"
    assert dict(before.after_checkin(5, 4).parts())["Pain"] == "5 → 4"
    assert dict(before.after_checkin(None, 4).parts())["Pain"] == "– → 4"
    assert dict(before.after_checkin(None, None).parts())["Pain"] == "not rated"


def test_lines_are_the_title_then_aligned_parts() -> None:
    lines = summary(routine_name="[/x] mine").lines()
    assert lines[0] == "Summary: Walk complete"
    assert lines[1] == "  Routine:      [/x] mine"
    assert lines[5] == "  Cadence held: 98 steps/min on average"


def test_while_saving_the_week_rows_wait_and_walk_complete_is_not_said() -> None:
    saving = summary(saved=None, saving=True)
    assert saving.title == "Walk over: saving it…"
    parts = dict(saving.parts())
    assert parts["This week"] == parts["Weekly dose"] == "…"
