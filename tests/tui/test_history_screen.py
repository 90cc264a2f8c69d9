"""The history screen and the record dialog, driven by keys through the Pilot."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from resizing import resize
from textual.app import App
from textual.widgets import DataTable, Select, Static, TabbedContent, TextArea

from coach.core.chart import CHART_POINTS, chart_series
from coach.core.checkin import Change, Checkin, WarningSign, Where
from coach.core.records import CheckinKind, WalkStatus
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.history.chart import PainChart
from coach.tui.history.record import RecordScreen
from coach.tui.history.screen import PAGE_ROWS, HistoryScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.home import HomeScreen

TODAY = date(2026, 3, 4)  # a Wednesday; its week began on Monday 2 March

# Walks: (started_at UTC, routine, planned, walked, status, before, after, after notes).
# before = (pain, stiffness); after = (pain, stiffness, change, effort).
WALKS = [
    ("2026-03-04T08:00:00+00:00", "gentle-back", 1200, 1200, WalkStatus.COMPLETED,
     (6, 5), (3, 3, Change.BETTER, 4), "felt [bold]loose[/x]"),
    ("2026-03-03T18:30:00+00:00", "brisk-circulation", 1800, 900, WalkStatus.ENDED_EARLY,
     (4, 6), (6, 6, Change.LITTLE_WORSE, 7), "[@click=app.quit]quit"),
    ("2026-03-02T07:15:00+00:00", "gentle-back", 1200, 1200, WalkStatus.COMPLETED,
     (5, 4), (4, 3, Change.LITTLE_BETTER, 3), ""),
    ("2026-02-27T12:00:00+00:00", "desk-break", 600, 420, WalkStatus.INTERRUPTED,
     None, None, ""),
    ("2026-02-20T09:00:00+00:00", "desk-break", 600, 600, WalkStatus.COMPLETED,
     (7, 7), None, ""),
    ("2026-01-15T10:00:00+00:00", "gentle-back", 1200, 1200, WalkStatus.COMPLETED,
     (8, 7), (5, 5, Change.MUCH_BETTER, 5), "long walk by the river"),
]  # fmt: skip
# Lone check-ins: (created_at UTC, pain, stiffness, warning signs, notes).
LONE = [
    ("2026-03-01T06:00:00+00:00", 5, 6, frozenset({WarningSign.FEVER}), "woke stiff"),
    ("2026-02-10T21:00:00+00:00", 2, 2, frozenset(), ""),
]
# The table, newest first, by the date column.
ROWS = [
    "2026-03-04 08:00",
    "2026-03-03 18:30",
    "2026-03-02 07:15",
    "2026-03-01 06:00 ⚑",  # lone, flagged
    "2026-02-27 12:00",  # no check-ins
    "2026-02-20 09:00",
    "2026-02-10 21:00",  # lone
    "2026-01-15 10:00",
]


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch):
    """Local time is UTC, so dates and the summary do not depend on the machine."""
    previous = os.environ.get("TZ")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    if previous is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = previous
    time.tzset()


def fill(store: Store) -> None:
    """The fixed dataset, written through the Store API with times set by SQL."""
    db = sqlite3.connect(store.path)
    for started, routine, planned, walked, status, before, after, notes in WALKS:
        walk_id = store.start_walk(routine, routine.replace("-", " ").title(), "", "x", planned)
        store.finish_walk(walk_id, status, walked, 0, 1)
        if before:
            store.add_checkin(
                CheckinKind.BEFORE,
                Checkin(pain=before[0], stiffness=before[1], where=frozenset({Where.LOWER_BACK})),
                walk_id,
            )
        if after:
            pain, stiffness, change, effort = after
            store.add_checkin(
                CheckinKind.AFTER,
                Checkin(pain, stiffness, change=change, effort=effort, notes=notes),
                walk_id,
            )
        with db:
            db.execute("UPDATE walks SET started_at = ? WHERE id = ?", (started, walk_id))
    for created, pain, stiffness, signs, notes in LONE:
        checkin_id = store.add_checkin(
            CheckinKind.ALONE,
            Checkin(pain=pain, stiffness=stiffness, warning_signs=signs, notes=notes),
        )
        with db:
            db.execute("UPDATE checkins SET created_at = ? WHERE id = ?", (created, checkin_id))
    db.close()


class HistoryApp(App[None]):
    """Just the history, as of TODAY (the screen brings its own stylesheet)."""

    TITLE = "coach"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.store, today=TODAY))


@pytest.fixture
def history_app(store: Store, utc: None) -> HistoryApp:
    fill(store)
    return HistoryApp(store)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the screen's thread workers and the updates they send back."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wheel(pilot, widget, turns: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Turn the mouse wheel down over a widget, as a terminal reports it."""
    from textual.events import MouseScrollDown

    for _ in range(turns):
        # The Pilot has no wheel of its own; this is its way of sending mouse events.
        await pilot._post_mouse_events([MouseScrollDown], widget)


def history(pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


def rows(screen: HistoryScreen) -> list[list[str]]:
    table = screen.query_one("#walks", DataTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def column(screen: HistoryScreen, index: int) -> list[str]:
    return [row[index] for row in rows(screen)]


def column_named(screen: HistoryScreen, label: str) -> list[str]:
    """A column by its header, wherever the width put it (or fail if it is left out)."""
    table = screen.query_one("#walks", DataTable)
    labels = [c.label.plain for c in table.ordered_columns]
    return column(screen, labels.index(label))


def text_of(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


async def test_lists_walks_and_lone_checkins_newest_first(history_app) -> None:
    async with history_app.run_test(size=(160, 30)) as pilot:  # room for every column
        await settle(pilot)
        screen = history(pilot)
        assert column(screen, 0) == ROWS
        first = rows(screen)[0]
        assert first[1:6] == ["gentle-back", "20:00/20:00", "completed", "6 → 3 ★", "5 → 3"]
        assert first[6:8] == ["better", "4"]
        lone = rows(screen)[3]
        assert lone[1] == "check-in only"
        assert lone[4:6] == ["5", "6"]
        assert lone[8] == "⚑ flagged"
        assert rows(screen)[1][4] == "4 → 6 ▲"  # a meaningful rise is marked too
        assert rows(screen)[2][4] == "5 → 4"  # one point from 5 is not meaningful


async def test_summary_as_of_today(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        walks = text_of(screen, "#summary-walks")
        assert "This week: 3 walks, 55 min" in walks
        assert "Last 4 weeks: 5 walks, 72 min" in walks
        assert "Streak: 3 days" in walks
        pain = text_of(screen, "#summary-pain")
        assert "average pain change −0.7" in pain
        assert "★ relief after 33% of rated walks" in pain
        assert text_of(screen, "#summary-flagged").startswith(
            "⚑ 1 check-in with warning signs. These"
        )
        assert screen.query_one("#summary-flagged").has_class("flagged")


async def test_a_streak_longer_than_the_summary_month_is_counted_whole(store, utc) -> None:
    # The summary reads a month of walks; a streak reaching past it reads them all.
    for days_ago in range(45):
        day = TODAY - timedelta(days=days_ago)
        walk_id = store.start_walk("desk-break", "Desk break", "/r/d.yaml", "name: x", 600)
        store._write(
            "UPDATE walks SET started_at = ?, status = 'completed', walked_seconds = 600 "
            "WHERE id = ?",
            (f"{day.isoformat()}T12:00:00+00:00", walk_id),
        )
    app = HistoryApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        walks = text_of(history(pilot), "#summary-walks")
        assert "Streak: 45 days" in walks
        assert "Last 4 weeks: 28 walks" in walks


async def test_notes_with_markup_are_shown_literally(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes = column_named(history(pilot), "Notes")
        assert notes[0] == "felt [bold]loose[/x]"
        assert notes[1] == "[@click=app.quit]quit"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RecordScreen)
        assert "[@click=app.quit]quit" in text_of(pilot.app.screen, "#record-body")
        assert pilot.app.is_running


async def test_filter_by_routine(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        # f focuses the routine list: All, brisk-circulation, desk-break, gentle-back.
        await pilot.press("f", "enter", "down", "down", "down", "enter")
        await settle(pilot)
        assert screen.query_one("#routine-filter", Select).value == "gentle-back"
        assert column(screen, 0) == [ROWS[0], ROWS[2], ROWS[7]]
        assert set(column(screen, 1)) == {"gentle-back"}
        # The summary stays about every walk.
        assert "This week: 3 walks" in text_of(screen, "#summary-walks")


async def test_filter_by_date_range(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        await pilot.press("f", "tab", *"2026-03-01", "tab", *"2026-03-03", "enter")
        await settle(pilot)
        # Both days are included; the lone check-in of 1 March too.
        assert column(screen, 0) == ROWS[1:4]
        assert not screen.query_one("#filter-error").has_class("shown")


async def test_bad_date_shows_message_and_keeps_filter(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        await pilot.press("f", "tab", *"2026-02-30", "enter")
        await settle(pilot)
        error = text_of(screen, "#filter-error")
        assert error.startswith("Since: '2026-02-30' is not a date; use YYYY-MM-DD")
        assert screen.query_one("#filter-error").has_class("shown")
        assert column(screen, 0) == ROWS
        assert screen.filters.since is None


async def test_since_after_until_is_explained(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        await pilot.press("f", "tab", *"2026-03-04", "tab", *"2026-03-01", "enter")
        await settle(pilot)
        assert "is after until" in text_of(screen, "#filter-error")
        # Leaving the since box applied it; the impossible pair is not applied.
        assert (screen.filters.since, screen.filters.until) == (TODAY, None)
        assert column(screen, 0) == ROWS[:1]


async def test_enter_opens_the_whole_record(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        record = pilot.app.screen
        assert isinstance(record, RecordScreen)
        body = text_of(record, "#record-body")
        for expected in (
            "Walk on Wednesday 04 March 2026, 08:00",
            "Gentle Back (gentle-back)",
            "20:00 of 20:00 planned",
            "6 → 3 (−3)  ★ meaningful relief",
            "Before the walk",
            "  Scores         pain 6/10 · stiffness 5/10\n",
            "  Where          lower back",
            "After the walk",
            "  Scores         pain 3/10 · stiffness 3/10 · effort 4/10",
            "  Change         better",
            "Notes          felt [bold]loose[/x]",
        ):
            assert expected in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HistoryScreen)


async def test_record_of_flagged_checkin_shows_warning_signs(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        body = text_of(pilot.app.screen, "#record-body")
        assert "Check-in on Sunday 01 March 2026, 06:00" in body
        assert "⚑ fever or feeling unwell with back pain" in body
        assert "urgent medical care" in body


async def test_edit_notes_saves_to_store_and_table(history_app, store) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "e")
        await pilot.pause()
        editor = pilot.app.screen.query_one("#notes-editor", TextArea)
        assert editor.has_focus
        assert editor.text == "felt [bold]loose[/x]"
        await pilot.press(*" and tall", "ctrl+s")
        await settle(pilot)
        record = pilot.app.screen
        assert isinstance(record, RecordScreen)
        assert "Notes saved." in text_of(record, "#record-message")
        assert "felt [bold]loose[/x] and tall" in text_of(record, "#record-body")
        walk_id = store.history()[0].walk_id
        after = next(c for c in store.checkins(walk_id) if c.kind is CheckinKind.AFTER)
        assert after.notes == "felt [bold]loose[/x] and tall"
        await pilot.press("escape")
        await settle(pilot)
        screen = history(pilot)
        assert column_named(screen, "Notes")[0].startswith("felt [bold]loose[/x] and")
        assert text_of(screen, "#walk-notes") == "Notes felt [bold]loose[/x] and tall"


async def test_escape_cancels_editing_without_saving(history_app, store) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "e", *"zzz", "escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RecordScreen)
        assert "cancelled" in text_of(pilot.app.screen, "#record-message")
        assert store.history()[0].after.notes == "felt [bold]loose[/x]"


async def test_editing_notes_of_walk_without_checkin_says_so(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * 4, "enter", "e")
        await pilot.pause()
        record = pilot.app.screen
        assert "No check-in was recorded for this walk." in text_of(record, "#record-body")
        assert "no check-in" in text_of(record, "#record-message")
        assert not record.query_one("#notes-editor").has_class("shown")


async def test_notes_of_walk_with_only_before_checkin_edit_that_one(history_app, store) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * 5, "enter", "e", *"sore", "ctrl+s")
        await settle(pilot)
        walk_id = store.history()[5].walk_id
        (before,) = store.checkins(walk_id)
        assert (before.kind, before.notes) == (CheckinKind.BEFORE, "sore")


async def test_edit_notes_of_lone_checkin(history_app, store) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter", "e")
        await pilot.pause()
        assert "Notes of this check-in" in text_of(pilot.app.screen, "#record-message")
        await pilot.press(*" early", "ctrl+s")
        await settle(pilot)
        lone = [c for c in store.checkins() if c.kind is CheckinKind.ALONE]
        assert "woke stiff early" in [c.notes for c in lone]


async def test_delete_walk_after_confirmation(history_app, store) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * 4, "enter", "d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        screen = history(pilot)
        assert column(screen, 0) == ROWS[:4] + ROWS[5:]
        assert len(store.walks()) == len(WALKS) - 1
        assert "2026-02-27T12:00:00+00:00" not in {w.started_at for w in store.walks()}


async def test_delete_walk_removes_its_checkins(history_app, store) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        walk_id = store.history()[0].walk_id
        await pilot.press("enter", "d", "y")
        await settle(pilot)
        assert store.checkins(walk_id) == []
        assert column(history(pilot), 0) == ROWS[1:]


async def test_cancel_delete_keeps_the_walk(history_app, store) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "d", "n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, RecordScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert column(history(pilot), 0) == ROWS
        assert len(store.walks()) == len(WALKS)


async def test_delete_lone_checkin(history_app, store) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter", "d", "y")
        await settle(pilot)
        screen = history(pilot)
        assert column(screen, 0) == ROWS[:3] + ROWS[4:]
        assert [c.notes for c in store.checkins() if c.kind is CheckinKind.ALONE] == [""]
        # The flagged check-in is gone, and the summary says so.
        assert text_of(screen, "#summary-flagged") == "No flagged check-ins."


async def test_s_toggles_stiffness_and_shows_the_chart(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        assert text_of(screen, "#chart-caption").startswith("Pain 0–10")
        await pilot.press("s")
        await pilot.pause()
        assert screen.query_one(PainChart).measure == "stiffness"
        assert screen.query_one("#views", TabbedContent).active == "chart-pane"
        caption = text_of(screen, "#chart-caption")
        assert caption.startswith("Stiffness 0–10, each walk: ● before, ◆ after")
        assert caption.endswith("s: pain")
        await pilot.press("s")
        await pilot.pause()
        assert screen.query_one(PainChart).measure == "pain"


async def test_chart_draws_before_and_after(history_app) -> None:
    pytest.importorskip("textual_plotext")
    from textual_plotext import PlotextPlot

    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        chart = history(pilot).query_one("#chart", PlotextPlot)
        drawn = chart.render().plain  # type: ignore[union-attr]
        assert "●" in drawn and "◆" in drawn
        assert "2026-01-15" in drawn  # the first walk's day labels the axis


async def test_chart_without_plotext_explains_how_to_install(
    history_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "textual_plotext", None)  # import now fails
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        screen = history(pilot)
        assert "pip install textual-plotext" in text_of(screen, "#chart-missing")
        await pilot.press("s")  # still no crash
        await pilot.pause()


async def test_enter_on_routine_filters_its_walks(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        assert screen.query_one("#routine-effects", DataTable).row_count == 0  # not yet read
        await pilot.press("v", "v")
        await settle(pilot)  # opening the view reads every walk for its figures
        effects = screen.query_one("#routine-effects", DataTable)
        routines = [effects.get_row_at(i)[1].plain for i in range(effects.row_count)]
        # Too few rated walks for any estimate: the nearest to one comes first.
        assert routines == ["gentle-back", "brisk-circulation", "desk-break"]
        assert [c.plain for c in effects.get_row_at(0)] == [
            "",
            "gentle-back",
            "2 more rated walks to estimate",
            "3",
            "3",
        ]
        effects.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.filters.routine_id == "gentle-back"
        assert screen.query_one("#views", TabbedContent).active == "walks-pane"
        assert len(rows(screen)) == 3


async def test_escape_goes_back_home(store, utc) -> None:
    app = CoachApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if not isinstance(app.screen, HomeScreen):
            pytest.skip("the app opened on something other than home")
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "No walks or check-ins yet" in text_of(app.screen, "#walks-status")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_many_walks_arrive_a_page_at_a_time(store, utc) -> None:
    count = PAGE_ROWS * 2 + 50
    start = datetime(2026, 3, 4, 8, tzinfo=UTC)
    db = sqlite3.connect(store.path)
    with db:
        db.executemany(
            "INSERT INTO walks (routine_id, routine_name, routine_path, routine_text, "
            "routine_hash, planned_seconds, started_at, updated_at, walked_seconds, status) "
            "VALUES ('desk-break', 'Desk break', '', '', '', 600, ?, ?, 600, 'completed')",
            [((start - timedelta(hours=5 * i)).isoformat(),) * 2 for i in range(count)],
        )
    db.close()
    app = HistoryApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        table = screen.query_one("#walks", DataTable)
        assert table.row_count == PAGE_ROWS
        assert f"{count} rows (newest {PAGE_ROWS} shown" in text_of(screen, "#walks-status")
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count == PAGE_ROWS * 2
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count == count
        assert "shown" not in text_of(screen, "#walks-status")


def test_chart_averages_per_day_when_there_are_many_walks(store, utc) -> None:
    fill(store)
    entries = store.history()
    assert chart_series(entries)["pain"].period == "each walk"
    # Every walk again at each minute of an hour: more points than the chart shows.
    many = [
        entry._replace(at=(entry.started + timedelta(minutes=minute)).isoformat())
        for entry in entries
        for minute in range(60)
    ]
    series = chart_series(many)
    assert len(many) > CHART_POINTS
    assert series["pain"].period == "daily average"
    first_day = date(2026, 1, 15).toordinal()
    assert series["pain"].before[0] == (first_day, 8)
    assert series["stiffness"].after[0] == (first_day, 5)
    assert len(series["pain"].before) == 5  # the days of walks with a before check-in


async def test_tiny_terminal_does_not_crash(history_app) -> None:
    async with history_app.run_test(size=(30, 10)) as pilot:
        await settle(pilot)
        await pilot.press("s", "s", "v", "v", "enter")  # chart, routines, walks
        await settle(pilot)
        assert isinstance(pilot.app.screen, RecordScreen)
        await pilot.press("e", *"ok", "ctrl+s")
        await settle(pilot)
        await pilot.press("d", "n", "escape")
        await settle(pilot)
        await pilot.press("f", "tab", *"2026-03-02", "enter", "escape")
        await settle(pilot)
        assert pilot.app.is_running
        assert column(history(pilot), 0) == ROWS[:3]


# -- the record: scrolling, Escape, a missing check-in -------------------------------


LONG_NOTES = "The hips loosened after ten minutes; the left calf tingled near the end. " * 3


def add_flagged_walk(store: Store) -> int:
    """The newest entry: a walk with every answer ticked, both check-ins, long notes."""
    walk_id = store.start_walk("gentle-back", "Gentle back loosener", "", "x", 1200)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 1200, 0, 5)
    every_place = frozenset(Where)
    every_sign = frozenset(WarningSign)
    before = Checkin(pain=6, stiffness=5, where=every_place, notes="stiff after the drive")
    after = Checkin(3, 3, every_place, Change.BETTER, 4, warning_signs=every_sign, notes=LONG_NOTES)
    store.add_checkin(CheckinKind.BEFORE, before, walk_id)
    store.add_checkin(CheckinKind.AFTER, after, walk_id)
    db = sqlite3.connect(store.path)
    with db:
        db.execute(
            "UPDATE walks SET started_at = ? WHERE id = ?", ("2026-03-04T18:00:00+00:00", walk_id)
        )
    db.close()
    return walk_id


@pytest.fixture
def long_record_app(store: Store, utc: None) -> HistoryApp:
    fill(store)
    add_flagged_walk(store)
    return HistoryApp(store)


def line_in_view(record: RecordScreen, text: str) -> bool:
    """Whether a line holding `text` is inside the record's visible part."""
    scroll = record.query_one("#record-scroll")
    lines = str(record.query_one("#record-body", Static).render()).splitlines()
    row = next(i for i, line in enumerate(lines) if text in line)
    return scroll.scroll_y <= row < scroll.scroll_y + scroll.scrollable_content_region.height


async def test_a_long_record_scrolls_by_keys_to_its_notes(long_record_app) -> None:
    async with long_record_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        record = pilot.app.screen
        assert isinstance(record, RecordScreen)
        scroll = record.query_one("#record-scroll")
        assert scroll.max_scroll_y > 0
        assert not line_in_view(record, "the left calf")
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        assert line_in_view(record, "the left calf")
        await pilot.press("home")
        await pilot.pause()
        assert scroll.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        paged = scroll.scroll_y
        assert paged > 0
        await pilot.press("down")
        await pilot.pause()
        assert scroll.scroll_y == min(paged + 1, scroll.max_scroll_y)
        await pilot.press("pageup", "up")
        await pilot.pause()
        assert scroll.scroll_y == 0


async def test_a_long_record_scrolls_with_the_mouse_wheel(long_record_app) -> None:
    async with long_record_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        scroll = pilot.app.screen.query_one("#record-scroll")
        await wheel(pilot, scroll, turns=3)
        assert scroll.scroll_y > 0


async def test_wrapped_record_values_line_up_under_their_first_line(long_record_app) -> None:
    async with long_record_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        lines = text_of(pilot.app.screen, "#record-body").splitlines()
        notes = next(i for i, line in enumerate(lines) if line.startswith("  Notes          The"))
        # The note goes on under its first word, not under the label.
        assert lines[notes + 1].startswith(" " * 17)
        assert lines[notes + 1].strip()


async def test_escape_in_the_notes_editor_is_labelled_cancel(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        record = pilot.app.screen

        def escape_does() -> str:
            return record.active_bindings["escape"].binding.description

        assert escape_does() == "Close"
        await pilot.press("e")
        await pilot.pause()
        assert escape_does() == "Cancel"
        assert "q" not in record.active_bindings  # typed into the notes
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, RecordScreen)
        assert escape_does() == "Close"


async def test_a_walk_without_an_after_checkin_can_have_it_filled_in(history_app, store) -> None:
    from coach.tui.screens.checkin import CheckinScreen

    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * 4, "enter")  # 2026-02-27: no check-in at all
        await pilot.pause()
        record = pilot.app.screen
        assert "c fills it in" in text_of(record, "#record-body")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CheckinScreen)
        assert pilot.app.screen.kind is CheckinKind.AFTER
        await pilot.press("2", "enter")
        await settle(pilot)
        assert pilot.app.screen is record
        assert "After the walk" in text_of(record, "#record-body")
        assert "Check-in saved." in text_of(record, "#record-message")
        assert "c" not in record.active_bindings  # it has one now
        walk_id = store.history()[4].walk_id
        [after] = store.checkins(walk_id)
        assert (after.kind, after.pain) == (CheckinKind.AFTER, 2)
        await pilot.press("escape")
        await settle(pilot)
        assert rows(history(pilot))[4][column_index(history(pilot), "Pain")] == "– → 2"


async def test_a_walk_with_its_after_checkin_offers_no_fill_in(history_app) -> None:
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "c" not in pilot.app.screen.active_bindings


# -- the walks table at any width ----------------------------------------------------


def column_index(screen: HistoryScreen, label: str) -> int:
    table = screen.query_one("#walks", DataTable)
    return [c.label.plain for c in table.ordered_columns].index(label)


def labels(screen: HistoryScreen) -> list[str]:
    return [c.label.plain for c in screen.query_one("#walks", DataTable).ordered_columns]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((60, 20), ["Date", "Routine", "Pain"]),
        ((80, 24), ["Date", "Routine", "Pain", "Notes"]),
        ((120, 40), ["Date", "Routine", "Walked", "Status", "Pain", "Stiffness", "Notes"]),
    ],
    ids=["60x20", "80x24", "120x40"],
)
async def test_the_walks_table_fits_the_width_without_sideways_scrolling(
    history_app, size, expected
) -> None:
    async with history_app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = history(pilot)
        table = screen.query_one("#walks", DataTable)
        assert labels(screen) == expected
        assert table.max_scroll_x == 0


async def test_the_highlighted_entry_shows_its_notes_and_hidden_columns(history_app) -> None:
    async with history_app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = history(pilot)
        assert "Notes" not in labels(screen)
        assert text_of(screen, "#walk-notes") == "Notes felt [bold]loose[/x]"
        facts = text_of(screen, "#walk-facts")
        assert facts.startswith("20:00 of 20:00 · completed · stiffness 5 → 3 · feels better")
        await pilot.press("down")
        await pilot.pause()
        assert text_of(screen, "#walk-notes") == "Notes [@click=app.quit]quit"
        await pilot.press("down", "down", "down")  # the walk with no check-in
        await pilot.pause()
        assert "No check-in for this walk" in text_of(screen, "#walk-notes")


async def test_a_resize_lays_the_walks_table_out_again(history_app) -> None:
    async with history_app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        screen = history(pilot)
        await resize(pilot, 80, 24)
        await settle(pilot)
        assert labels(screen) == ["Date", "Routine", "Pain", "Notes"]
        assert screen.query_one("#walks", DataTable).cursor_row == 2  # still on that walk
        assert column(screen, 0) == ROWS


async def test_the_walks_table_scrolls_with_the_mouse_wheel(store, utc) -> None:
    for _ in range(40):
        walk_id = store.start_walk("desk-break", "Desk break", "", "x", 600)
        store.finish_walk(walk_id, WalkStatus.COMPLETED, 600, 0, 1)
    app = HistoryApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = history(pilot).query_one("#walks", DataTable)
        await wheel(pilot, table, turns=3)
        assert table.scroll_y > 0


# -- what a person sees ---------------------------------------------------------------


async def _loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)


SIZES = pytest.mark.parametrize(
    "size", [(60, 20), (80, 24), (120, 40)], ids=["60x20", "80x24", "120x40"]
)


@SIZES
def test_history_screen_snapshot(snap_compare, history_app, size) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("down")  # the walk that ended early: figures and notes below
        await pilot.pause()

    assert snap_compare(history_app, terminal_size=size, run_before=run_before)


@SIZES
def test_record_dialog_snapshot(snap_compare, long_record_app, size) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("enter", "end")  # the flagged walk, scrolled to its notes
        await pilot.pause()

    assert snap_compare(long_record_app, terminal_size=size, run_before=run_before)


async def test_the_summary_says_when_the_last_episode_was_reported(history_app, store) -> None:
    # The answer covers the month before it: it was reported today, not had today.
    at = f"{TODAY.isoformat()}T09:00:00+00:00"
    answer = store.add_episode_answer(True, asked_at=at)
    store._write("UPDATE episodes SET answered_at = ? WHERE id = ?", (at, answer))
    async with history_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        episodes = text_of(history(pilot), "#summary-episodes")
        assert episodes.startswith("Back-pain episodes: last reported today ·")
