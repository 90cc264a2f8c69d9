"""The warning signs before the day's first walk: one screen, "none of these" in one key."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coach.config import Config
from coach.core.checkin import BEFORE_WALK_ADVICE, WarningSign
from coach.core.records import CheckinKind
from coach.core.trends import day_range_utc
from coach.library.routines import Origin, RoutineEntry
from coach.paths import builtin_routines_dir
from coach.sound import SoundMode
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.screens.checkin import CheckinScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.walk import WalkScreen
from coach.tui.screens.warning_signs import SignChecklist, WarningSignsScreen


def walk_app(
    store: Store,
    clock,  # type: ignore[no-untyped-def]
    pre_walk_checkin: bool = False,
    today: date | None = None,
    **kwargs: object,
) -> CoachApp:
    day = today or date.today()
    return CoachApp(
        store,
        Config(pre_walk_checkin=pre_walk_checkin),
        start=RoutineEntry(
            "desk-break", builtin_routines_dir() / "desk-break.yaml", Origin.BUILT_IN
        ),
        sound_mode=SoundMode.OFF,
        clock=clock,
        today=lambda: day,
        **kwargs,  # type: ignore[arg-type]
    )


def answers_today(store: Store) -> list[frozenset[WarningSign]]:
    since, until = day_range_utc(date.today(), date.today())
    assert since is not None
    return store.warning_answers(since, until)


async def test_the_days_first_walk_asks_the_six_signs_first(unasked_store, clock) -> None:
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WarningSignsScreen)
        listed = app.screen.query_one(SignChecklist).render()
        assert [str(cell) for cell in listed.columns[2].cells] == [
            f"{number}. {sign.value}" for number, sign in enumerate(WarningSign, 1)
        ]
        assert len(WarningSign) == 6
        assert unasked_store.walks() == []  # nothing started yet


@pytest.mark.parametrize("key", ["enter", "n"])
async def test_none_of_these_is_one_key_and_the_walk_starts(unasked_store, clock, key) -> None:
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert answers_today(unasked_store) == [frozenset()]
        assert unasked_store.checkins() == []  # "none" flags nothing


async def test_the_pre_walk_checkin_comes_after_the_signs(unasked_store, clock) -> None:
    app = walk_app(unasked_store, clock, pre_walk_checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        assert app.screen.kind is CheckinKind.BEFORE


async def test_ticking_a_sign_shows_the_advice_at_once(unasked_store, clock) -> None:
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert screen.query_one("#signs-advice").has_class("hidden")
        await pilot.press("2")
        await pilot.pause()
        advice = screen.query_one("#signs-advice")
        assert not advice.has_class("hidden")
        assert str(advice.render()) == BEFORE_WALK_ADVICE


async def test_with_a_sign_ticked_n_is_not_none_of_these(unasked_store, clock) -> None:
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "n")
        await pilot.pause()
        assert isinstance(app.screen, WarningSignsScreen)
        assert answers_today(unasked_store) == []


async def test_declining_after_the_advice_does_not_start_the_walk(unasked_store, clock) -> None:
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert BEFORE_WALK_ADVICE in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await pilot.pause()
    assert unasked_store.walks() == []
    assert answers_today(unasked_store) == [frozenset({WarningSign.LEG_WEAKNESS})]
    [flagged] = unasked_store.checkins()
    assert flagged.kind is CheckinKind.ALONE
    assert flagged.answers.flagged
    # `coach walk` closes: the terminal says why there was no walk.
    assert app.said_at_exit == ["The walk has not started. Your answer is flagged in your history."]


async def test_declining_from_home_goes_back_home(unasked_store, clock) -> None:
    app = CoachApp(unasked_store, Config(pre_walk_checkin=False), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # walk the highlighted routine
        await pilot.pause()
        assert isinstance(app.screen, WarningSignsScreen)
        await pilot.press("1", "enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert unasked_store.walks() == []


async def test_confirming_walks_on_and_flags_the_walk(unasked_store, clock) -> None:
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "enter", "y")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        [entry] = unasked_store.history()
        assert entry.flagged
        assert entry.before is not None
        assert entry.before.warning_signs == {WarningSign.FEVER}


async def test_escape_goes_back_without_walking_or_saving(unasked_store, clock) -> None:
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert unasked_store.walks() == []
    assert answers_today(unasked_store) == []


async def test_asked_once_a_day(unasked_store, clock) -> None:
    async with walk_app(unasked_store, clock).run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)  # the second walk today: straight on
    tomorrow = walk_app(unasked_store, clock, today=date.today() + timedelta(days=1))
    async with tomorrow.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(tomorrow.screen, WarningSignsScreen)


async def test_asked_again_while_a_sign_was_ticked_today(unasked_store, clock) -> None:
    unasked_store.add_warning_answer(frozenset({WarningSign.FEVER}), walked=True)
    app = walk_app(unasked_store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WarningSignsScreen)


async def test_not_asked_for_a_preview(unasked_store, clock) -> None:
    app = walk_app(unasked_store, clock, speed=30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)


def test_warning_signs_snapshot(snap_compare, unasked_store, clock) -> None:
    assert snap_compare(walk_app(unasked_store, clock), terminal_size=(80, 24))


def test_warning_sign_ticked_snapshot(snap_compare, unasked_store, clock) -> None:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(
        walk_app(unasked_store, clock), terminal_size=(80, 24), run_before=run_before
    )
