"""In the app: nothing lost, nothing misreported, when the database refuses writes; and a
stop or sleep is not walking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.config import Config
from coach.core.records import CheckinKind, KeptCheckin, KeptWalk, WalkStatus
from coach.library.routines import Origin, RoutineEntry
from coach.store import Store, StoreError
from coach.store.recovery import merge_recovery_file, recovery_path
from coach.tui.app import CoachApp
from coach.tui.screens.checkin import CheckinScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.summary import SummaryScreen
from coach.tui.screens.walk import WalkScreen

ROUTINES = Path(__file__).resolve().parents[2] / "routines"


class FlakyStore(Store):
    """A real store whose writes of kept records fail while `broken` gives a reason."""

    broken: str | None = None

    def save_walk(self, walk: KeptWalk) -> int:
        if self.broken:
            raise StoreError(self.broken)
        return super().save_walk(walk)

    def save_checkin(self, checkin: KeptCheckin) -> int:
        if self.broken:
            raise StoreError(self.broken)
        return super().save_checkin(checkin)


LOCKED = "the database coach.db is locked by another program"


@pytest.fixture
def flaky(coach_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlakyStore]:
    monkeypatch.setattr("coach.recording.RETRY_DELAYS", (0.01,))
    store = FlakyStore.open()
    assert isinstance(store, FlakyStore)
    store.add_warning_answer(frozenset(), walked=True)  # today's asked: walks start at once
    yield store
    store.close()


def noted(app: CoachApp) -> list[tuple[str, str]]:
    """(severity, message) of every notification the app showed."""
    return [(n.severity, n.message) for n in app._notifications]


def walking(store: Store, clock, routine: str = "desk-break") -> CoachApp:  # type: ignore[no-untyped-def]
    return CoachApp(
        store,
        config=Config(pre_walk_checkin=False, sound="off"),
        start=RoutineEntry(routine, ROUTINES / f"{routine}.yaml", Origin.BUILT_IN),
        clock=clock,
    )


async def test_a_walk_the_database_refuses_says_so_once_and_again_when_saving_works(
    flaky: FlakyStore, clock
) -> None:
    flaky.broken = LOCKED
    app = walking(flaky, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 1)
        assert app.records is not None
        assert not app.records.wait_until_saved(0.2)
        await clock.advance_walk(pilot, 30)  # several heartbeats, all refused
        await pilot.pause()
        errors = [m for s, m in noted(app) if s == "error"]
        assert errors == [f"Not saved yet: your walk ({LOCKED}). coach keeps it and tries again."]
        flaky.broken = None
        assert app.records.wait_until_saved(10)
        await pilot.pause()
        assert ("information", "Saving works again: everything is saved.") in noted(app)
        assert flaky.walks()[0].status is WalkStatus.IN_PROGRESS


async def test_ending_a_walk_that_is_not_saved_does_not_claim_it_is(
    flaky: FlakyStore, clock
) -> None:
    flaky.broken = LOCKED
    app = walking(flaky, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 5)
        assert app.records is not None
        app.records.wait_until_saved(0.2)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "saved" not in app.screen.question.replace("not saved yet", "")
        assert "kept as ended early" in app.screen.question


async def to_the_check_in_while_saving(app: CoachApp, pilot, clock) -> None:  # type: ignore[no-untyped-def]
    """End the walk with q and go on from its summary while the walk is not yet saved."""
    await clock.advance_walk(pilot, 65)
    await pilot.press("q", "y")
    await pilot.pause()
    assert isinstance(app.screen, SummaryScreen)
    assert app.screen.summary.title == "Ended early: saving it…"  # never "saved"
    await pilot.press("enter")  # on to the check-in
    await pilot.pause()
    assert isinstance(app.screen, CheckinScreen)


async def test_a_walk_and_its_check_in_refused_until_exit_go_to_the_recovery_file(
    flaky: FlakyStore, clock
) -> None:
    flaky.broken = LOCKED
    app = walking(flaky, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_check_in_while_saving(app, pilot, clock)
        await pilot.press("3", "enter")
        await pilot.pause()
    told: list[str] = []
    outcome = app.close_records(told.append, timeout=0.2)
    assert not outcome.saved
    assert told and "retrying for up to 0.2 s" in told[0]
    assert outcome.recovery_file == recovery_path(flaky.path)
    assert flaky.walks() == [] and flaky.checkins() == []
    # The next start merges them: the check-in finds its walk.
    flaky.broken = None
    report = merge_recovery_file(flaky)
    assert report is not None
    assert report.lines() == ["recovered 1 walk and 1 check-in from coach.db.pending.jsonl"]
    (entry,) = flaky.history()
    assert entry.status is WalkStatus.ENDED_EARLY and 64 <= (entry.walked_seconds or 0) <= 66
    assert entry.after is not None and entry.after.pain == 3


async def test_a_lone_check_in_is_called_saved_only_once_it_is(flaky: FlakyStore) -> None:
    flaky.broken = LOCKED
    app = CoachApp(flaky)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert app.records is not None
        assert not app.records.wait_until_saved(0.2)
        await pilot.pause()
        assert "Check-in saved." not in [m for _, m in noted(app)]
        flaky.broken = None
        assert app.records.wait_until_saved(10)
        await pilot.pause()
        assert "Check-in saved." in [m for _, m in noted(app)]
    (checkin,) = flaky.checkins()
    assert (checkin.kind, checkin.pain) == (CheckinKind.ALONE, 4)


# -- stops and sleeps ---------------------------------------------------------------


async def test_a_stop_is_not_walked_and_the_screen_says_so(store: Store, clock, saved) -> None:
    app = walking(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 140)  # the first segment ends at 2:30
        first = screen.session.timeline.segments[0].label
        clock.advance(20)  # stopped (SIGSTOP, a laptop lid) for 20 s: no wake
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert screen.view.part("message") == "Resumed after a 20 s stop"
        assert screen.session.walked() == pytest.approx(140)
        assert first in screen.view.part("segment")  # no segment skipped unseen
        assert "0:10 left" in screen.view.part("segment")
        await clock.advance_walk(pilot, 11)
        assert first not in screen.view.part("segment")
        await pilot.press("q", "y")
        await pilot.pause()
    saved(app)
    (walk,) = store.walks()
    assert walk.walked_seconds == pytest.approx(151, abs=0.2)
    assert walk.paused_seconds == pytest.approx(20, abs=0.2)


async def test_going_on_before_the_walk_is_saved_keeps_the_check_in_and_the_app(
    flaky: FlakyStore, clock
) -> None:
    flaky.broken = LOCKED
    app = walking(flaky, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_check_in_while_saving(app, pilot, clock)
        flaky.broken = None  # the save goes through: the summary gone is not redrawn
        assert app.records is not None and app.records.wait_until_saved(10)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen) and app.is_running
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    [after] = [c for c in flaky.checkins() if c.kind is CheckinKind.AFTER]
    assert after.answers.pain == 3
