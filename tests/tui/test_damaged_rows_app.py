"""The app over a database with a damaged row: it starts, shows the rest, names the row."""

from __future__ import annotations

import sqlite3

import pytest

from coach.core.checkin import Checkin
from coach.core.records import CheckinKind, WalkStatus
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.history.screen import HistoryScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.home import HomeScreen


def walk(store: Store, day: int, status: WalkStatus = WalkStatus.COMPLETED) -> int:
    walk_id = store.start_walk("desk-break", "Desk break", "x.yaml", "name: x", 600)
    store.finish_walk(walk_id, status, 300, 0, 2)
    started = f"2026-11-{day:02d}T10:00:00+00:00"
    store._write("UPDATE walks SET started_at = ? WHERE id = ?", (started, walk_id))
    return walk_id


def damage(store: Store, sql: str) -> None:
    """Write as another program might, without coach's CHECK rules."""
    db = sqlite3.connect(store.path)
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute(sql)
    db.commit()
    db.close()


@pytest.fixture
def history(store: Store) -> Store:
    """Walks on 1–4 November (the 2nd with check-ins) and a lone check-in; walk #4 is
    the newest and is damaged."""
    for day in range(1, 5):
        walk_id = walk(store, day)
        if day == 2:
            store.add_checkin(CheckinKind.BEFORE, Checkin(pain=6), walk_id)
            store.add_checkin(CheckinKind.AFTER, Checkin(pain=3), walk_id)
    store.add_checkin(CheckinKind.ALONE, Checkin(pain=2, notes="alone"))
    damage(store, "UPDATE walks SET status = 'lost' WHERE id = 4")
    return store


async def test_home_shows_the_walks_that_read_and_names_the_damaged_one(history: Store) -> None:
    app = CoachApp(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        recent = str(app.screen.query_one("#recent").render())
        assert "Last walk" in recent and "Desk break" in recent
        assert "Left out, damaged: walk #4 (see history)" in recent


async def test_the_history_screen_lists_the_rest_and_names_the_damaged_one(
    history: Store,
) -> None:
    damage(history, "UPDATE checkins SET pain = 11 WHERE id = 3")  # the lone check-in
    app = CoachApp(history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert [e.walk_id for e in screen.entries] == [3, 2, 1]
        line = str(screen.query_one("#damaged").render())
        assert line.startswith("Left out, damaged: ")
        assert "walk #4 (status 'lost' is not one coach knows)" in line
        assert "check-in #3 (pain 11 is not a score from 0 to 10)" in line
        assert "Cannot read" not in str(screen.query_one("#walks-status").render())
        assert "3 rows" in str(screen.query_one("#walks-status").render())


async def test_the_unfinished_check_in_is_offered_for_a_walk_that_reads(store: Store) -> None:
    older = walk(store, 1, WalkStatus.ENDED_EARLY)
    walk(store, 2, WalkStatus.ENDED_EARLY)
    damage(store, "UPDATE walks SET started_at = 'x' WHERE id = 2")
    app = CoachApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "5:00" in app.screen.question
    assert store.walk(older) is not None
