"""What a person sees: SVG snapshots of the main screens at fixed times and sizes."""

from __future__ import annotations

import pytest

from coach.config import Config
from coach.tui.app import CoachApp


def at(clock, seconds: float):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await clock.advance_walk(pilot, seconds)

    return run_before


async def summary_filled_in(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the walk's summary to show and fill in (a worker waits for the save)."""
    from coach.tui.screens.summary import SummaryScreen

    for _ in range(100):
        screen = pilot.app.screen
        if isinstance(screen, SummaryScreen) and not screen.summary.saving:
            break
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()  # its rows redrawn


SIZES = pytest.mark.parametrize(
    "size", [(80, 24), (60, 20), (120, 40)], ids=["80x24", "60x20", "120x40"]
)


@SIZES
def test_walk_screen_mid_interval(snap_compare, walk_app, clock, size) -> None:
    # 6:30 into brisk-circulation: Brisk (1/4), its note showing, after its "Halfway"
    # announcement; 20 s of Warm-up skipped, so the time walked lags the routine's.
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await at(clock, 20)(pilot)
        await pilot.press("n")
        await at(clock, 210.2)(pilot)  # to 6:30 in the routine, 3:50 walked

    assert snap_compare(walk_app(), terminal_size=size, run_before=run_before)


@SIZES
def test_summary_before_the_checkin(snap_compare, walk_app, clock, size) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=True))

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("6", "enter")  # pain before
        await at(clock, 600.2)(pilot)
        await summary_filled_in(pilot)  # the walk saved, the week counted

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_summary_after_the_checkin(snap_compare, walk_app, clock, size) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=True))

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("6", "enter")  # pain before
        await at(clock, 600.2)(pilot)
        await summary_filled_in(pilot)
        await pilot.press("enter", "3", "enter")  # to the check-in, pain after, saved
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_walk_screen_paused_in_countdown(snap_compare, walk_app, clock) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await at(clock, 178.4)(pilot)
        await pilot.press("space")

    assert snap_compare(walk_app(), terminal_size=(80, 24), run_before=run_before)


def test_end_walk_confirmation(snap_compare, walk_app, clock) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await at(clock, 42)(pilot)
        await pilot.press("q")

    assert snap_compare(walk_app(), terminal_size=(80, 24), run_before=run_before)


def test_checkin_after_walk(snap_compare, walk_app, clock) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await at(clock, 601)(pilot)
        await pilot.press("enter", "4")  # past the summary, a score

    assert snap_compare(walk_app("desk-break"), terminal_size=(80, 24), run_before=run_before)


@pytest.fixture
def home_with_a_walk(store, monkeypatch):  # type: ignore[no-untyped-def]
    """A store with one rated walk at a fixed time, shown in UTC."""
    import sqlite3
    import time

    from coach.core.checkin import Checkin
    from coach.core.records import CheckinKind, WalkStatus

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    for started, pain_after in (("2026-03-02T07:15:00+00:00", 4), ("2026-03-04T08:00:00+00:00", 3)):
        walk_id = store.start_walk("gentle-back", "Gentle back loosener", "", "x", 1200)
        store.finish_walk(walk_id, WalkStatus.COMPLETED, 1200, 0, 5)
        store.add_checkin(CheckinKind.BEFORE, Checkin(pain=6), walk_id)
        store.add_checkin(CheckinKind.AFTER, Checkin(pain=pain_after), walk_id)
        db = sqlite3.connect(store.path)
        with db:
            db.execute("UPDATE walks SET started_at = ? WHERE id = ?", (started, walk_id))
        db.close()
    yield store
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=["60x20", "80x24", "120x40"])
def test_home_lists_routines(snap_compare, home_with_a_walk, size) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = CoachApp(home_with_a_walk, Config(pre_walk_checkin=False))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_home_help_lists_its_keys(snap_compare, store) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(CoachApp(store), terminal_size=(80, 24), run_before=run_before)


def test_checkin_ticks_under_no_color(snap_compare, walk_app, clock, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await at(clock, 601)(pilot)
        await pilot.press("enter")  # past the summary
        pilot.app.screen.query_one("#where").focus()
        await pilot.press("space", "down", "down", "space")
        pilot.app.screen.query_one("#change").focus()
        await pilot.press("down", "down", "down", "down", "space")
        await pilot.pause()

    assert snap_compare(walk_app("desk-break"), terminal_size=(80, 24), run_before=run_before)


def test_warning_sign_advice(snap_compare, walk_app, clock) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await at(clock, 601)(pilot)
        await pilot.press("enter")  # past the summary
        pilot.app.screen.query_one("#signs").focus()
        await pilot.press("space", "enter")

    assert snap_compare(walk_app("desk-break"), terminal_size=(80, 24), run_before=run_before)


def test_pre_walk_checkin(snap_compare, walk_app) -> None:
    app = walk_app("gentle-back", config=Config(pre_walk_checkin=True))
    assert snap_compare(app, terminal_size=(80, 24))


def test_first_run_welcome(snap_compare, store, monkeypatch) -> None:
    # The welcome shows where data lives: a fixed home keeps the picture stable.
    monkeypatch.setenv("COACH_HOME", "/home/walker/coach")
    assert snap_compare(CoachApp(store, welcome=True), terminal_size=(80, 24))


def test_help_on_the_walk_screen(snap_compare, walk_app, clock) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await at(clock, 42)(pilot)
        await pilot.press("question_mark")

    assert snap_compare(walk_app(), terminal_size=(80, 24), run_before=run_before)


def test_editor_with_errors(snap_compare, store, coach_home) -> None:
    from coach.library.routines import Origin, RoutineEntry

    folder = coach_home / "routines"
    folder.mkdir()
    path = folder / "mine.yaml"
    path.write_text(
        "name: Mine\ncadance: 100\nsegments:\n  - name: Go\n    duration: 5x\n"
        "    intensity: easey\n"
    )

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = CoachApp(store, edit=RoutineEntry("mine", path, Origin.MINE))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
