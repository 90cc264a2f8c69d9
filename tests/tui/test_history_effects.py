"""History's Routines view: effect estimates with intervals, by routine and by walk length."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import date

import pytest
from textual.app import App
from textual.widgets import DataTable, Select, Static, TabbedContent

from coach.core.checkin import Checkin
from coach.core.estimates import band_estimates, estimate_words, routine_estimates
from coach.core.records import CheckinKind, WalkStatus
from coach.store import Store
from coach.tui.history.screen import HistoryScreen

TODAY = date(2026, 3, 4)

# (routine, walked minutes, pain before, pain after); None: that side was not rated.
WALKS: list[tuple[str, int, int | None, int | None]] = [
    *[("gentle-back", 20, 6, 6 + change) for change in (-2, -3, -1, -2, -2, -3, -1, -2)],
    *[("desk-break", 10, 4, 4 + change) for change in (0, 1, 0, -1, 0, 1)],
    ("walk-tall", 22, 5, 4),
    ("walk-tall", 22, 5, 5),
    ("walk-tall", 25, 5, None),
]


@pytest.fixture
def utc() -> Iterator[None]:
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = previous
    time.tzset()


@pytest.fixture
def rated_store(store: Store, utc: None) -> Store:
    """The walks above, one a day from 1 February 2026."""
    db = sqlite3.connect(store.path)
    for day, (routine, minutes, before, after) in enumerate(WALKS, start=1):
        walk_id = store.start_walk(routine, routine, "", "x", minutes * 60)
        store.finish_walk(walk_id, WalkStatus.COMPLETED, minutes * 60, 0, 1)
        if before is not None:
            store.add_checkin(CheckinKind.BEFORE, Checkin(pain=before), walk_id)
        if after is not None:
            store.add_checkin(CheckinKind.AFTER, Checkin(pain=after), walk_id)
        with db:
            db.execute(
                "UPDATE walks SET started_at = ? WHERE id = ?",
                (f"2026-02-{day:02d}T08:00:00+00:00", walk_id),
            )
    db.close()
    return store


class HistoryApp(App[None]):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.store, today=TODAY))


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_routines_view(pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("v", "v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


def table_rows(screen: HistoryScreen) -> list[list[str]]:
    table = screen.query_one("#routine-effects", DataTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(screen: HistoryScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_estimated_routines_are_ranked_and_the_rest_say_how_many_more(rated_store) -> None:
    outcomes = routine_estimates(rated_store.walk_outcomes())
    async with HistoryApp(rated_store).run_test(size=(100, 30)) as pilot:
        screen = await open_routines_view(pilot)
        assert table_rows(screen) == [
            ["1", "gentle-back", estimate_words(outcomes.groups[0]), "8", "8"],
            ["2", "desk-break", estimate_words(outcomes.groups[1]), "6", "6"],
            ["", "walk-tall", "3 more rated walks to estimate", "3", "2"],
        ]
        # The shrunk estimate with its interval, as the core works it out.
        assert re.fullmatch(r"−\d\.\d \(−\d\.\d to −\d\.\d\)", table_rows(screen)[0][2])


async def test_the_caption_says_what_the_numbers_are_and_that_overlaps_may_be_chance(
    rated_store,
) -> None:
    async with HistoryApp(rated_store).run_test(size=(100, 30)) as pilot:
        screen = await open_routines_view(pilot)
        caption = text_of(screen, "#effects-caption")
        assert "after − before" in caption
        assert "95% interval" in caption
        assert "5 rated walks needed" in caption
        assert "order may be chance" in caption


async def test_l_switches_to_walk_lengths_and_back(rated_store) -> None:
    lengths = band_estimates(rated_store.walk_outcomes())
    async with HistoryApp(rated_store).run_test(size=(100, 30)) as pilot:
        screen = await open_routines_view(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert [row[1] for row in table_rows(screen)] == ["10–20 min", "20–30 min"]
        assert [row[2] for row in table_rows(screen)] == [
            estimate_words(group) for group in lengths.groups
        ]
        assert text_of(screen, "#effects-title").startswith("By walk length")
        header = screen.query_one("#routine-effects", DataTable).ordered_columns[1].label
        assert header.plain == "Walk length"
        await pilot.press("l")
        await pilot.pause()
        assert [row[1] for row in table_rows(screen)] == ["gentle-back", "desk-break", "walk-tall"]


async def test_enter_on_a_walk_length_does_not_filter(rated_store) -> None:
    async with HistoryApp(rated_store).run_test(size=(100, 30)) as pilot:
        screen = await open_routines_view(pilot)
        await pilot.press("l", "enter")
        await settle(pilot)
        assert screen.query_one("#views", TabbedContent).active == "routines-pane"
        assert screen.filters.routine_id is None


async def test_enter_on_a_routine_shows_its_walks(rated_store) -> None:
    async with HistoryApp(rated_store).run_test(size=(100, 30)) as pilot:
        screen = await open_routines_view(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.filters.routine_id == "desk-break"
        assert screen.query_one("#routine-filter", Select).value == "desk-break"
        assert screen.query_one("#views", TabbedContent).active == "walks-pane"


async def test_the_estimates_follow_the_routine_filter(rated_store) -> None:
    async with HistoryApp(rated_store).run_test(size=(100, 30)) as pilot:
        screen = await open_routines_view(pilot)
        screen.query_one("#routine-filter", Select).value = "walk-tall"
        await settle(pilot)
        assert table_rows(screen) == [["", "walk-tall", "3 more rated walks to estimate", "3", "2"]]


async def test_l_is_offered_only_on_the_routines_view(rated_store) -> None:
    async with HistoryApp(rated_store).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert "l" not in screen.active_bindings
        await pilot.press("l")  # nothing happens on the walks view
        await pilot.press("v", "v")
        await settle(pilot)
        assert screen.active_bindings["l"].binding.description == "By length"


def test_routines_view_snapshot(snap_compare, rated_store) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_routines_view(pilot)

    assert snap_compare(HistoryApp(rated_store), terminal_size=(80, 24), run_before=run_before)


def test_walk_lengths_view_snapshot(snap_compare, rated_store) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_routines_view(pilot)
        await pilot.press("l")
        await pilot.pause()

    assert snap_compare(HistoryApp(rated_store), terminal_size=(80, 24), run_before=run_before)
