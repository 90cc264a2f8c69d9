"""Fixtures for driving the app with a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.config import Config
from coach.library.routines import Origin, RoutineEntry
from coach.sound import SoundMode
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.screens.walk import WalkScreen

ROUTINES = Path(__file__).resolve().parents[2] / "routines"


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def advance_walk(self, pilot, seconds: float) -> WalkScreen:  # type: ignore[no-untyped-def]
        """Move on `seconds` and let the walk screen catch up, waking at least once a
        second as it does (a longer gap between wakes would be a stop, not walking)."""
        screen = pilot.app.screen
        assert isinstance(screen, WalkScreen)
        while seconds > 0 and screen.ended is None:
            step = min(seconds, 1.0)
            self.advance(step)
            seconds -= step
            screen.tick()
        await pilot.pause()
        return screen


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(coach_home: Path) -> Store:
    """An empty store in which today's warning signs are already answered ("none of these"),
    so tests of other things walk at once (tests/tui/test_warning_signs.py starts without)."""
    opened = Store.open()
    opened.add_warning_answer(frozenset(), walked=True)
    yield opened
    opened.close()


@pytest.fixture
def unasked_store(coach_home: Path) -> Store:
    """An empty store: the day's first walk asks the warning signs."""
    opened = Store.open()
    yield opened
    opened.close()


def builtin(routine_id: str) -> RoutineEntry:
    return RoutineEntry(routine_id, ROUTINES / f"{routine_id}.yaml", Origin.BUILT_IN)


@pytest.fixture
def walk_app(store: Store, clock: FakeClock):
    """A factory for an app that starts walking a built-in at once, silent, on the fake clock."""

    def make(routine_id: str = "brisk-circulation", **kwargs: object) -> CoachApp:
        kwargs.setdefault("sound_mode", SoundMode.OFF)
        kwargs.setdefault("config", Config(pre_walk_checkin=False))
        return CoachApp(store, start=builtin(routine_id), clock=clock, **kwargs)  # type: ignore[arg-type]

    return make


def wait_saved(app: CoachApp) -> None:
    """Wait until the app's recorder has written what it was given (it writes from its
    own thread, so the event loop never waits for SQLite)."""
    assert app.records is not None
    assert app.records.wait_until_saved(10), app.records.failing


@pytest.fixture
def saved():  # type: ignore[no-untyped-def]
    """`saved(app)`: wait until everything the app recorded is in the database."""
    return wait_saved
