"""The monthly recurrence question on home: y / n / later, and asked once a month."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from textual.widgets import OptionList

from coach.config import Config
from coach.core.records import WalkStatus
from coach.core.recurrence import RECURRENCE_QUESTION
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.screens.dialogs import NewRoutineScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.widgets.recurrence_prompt import RecurrencePrompt


def walked_days_ago(store: Store, days: int) -> None:
    walk_id = store.start_walk("desk-break", "Desk break", "", "x", 600)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 600, 0, 1)
    started = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE walks SET started_at = ? WHERE id = ?", (started, walk_id))
    db.close()


@pytest.fixture
def used_store(store: Store) -> Store:
    """Someone who has walked with coach for weeks and was never asked."""
    walked_days_ago(store, 40)
    return store


def app_on(store: Store, today: date | None = None) -> CoachApp:
    day = today or date.today()
    return CoachApp(store, Config(pre_walk_checkin=False), today=lambda: day)


async def settle(pilot) -> RecurrencePrompt:  # type: ignore[no-untyped-def]
    # After home's first frame, the question and the plan panel are mounted, then each
    # reads the store in a thread and shows what it read: a few rounds of both.
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    return pilot.app.screen.query_one(RecurrencePrompt)


def answers(store: Store) -> list[bool]:
    return [answer.episode for answer in store.episode_answers()]


async def test_the_question_shows_on_home_when_due_and_takes_the_keys(used_store) -> None:
    async with app_on(used_store).run_test(size=(80, 24)) as pilot:
        prompt = await settle(pilot)
        assert prompt.display
        assert RECURRENCE_QUESTION in str(prompt.render())
        assert prompt.has_focus


async def test_y_records_an_episode_and_gives_the_focus_back(used_store) -> None:
    async with app_on(used_store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        prompt = await settle(pilot)
        assert answers(used_store) == [True]
        assert not prompt.display
        assert pilot.app.screen.query_one("#routines", OptionList).has_focus


async def test_n_records_no_episode(used_store) -> None:
    async with app_on(used_store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        prompt = await settle(pilot)
        assert answers(used_store) == [False]
        assert not prompt.display


async def test_later_records_nothing_and_asks_again_at_the_next_start(used_store) -> None:
    async with app_on(used_store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        prompt = await settle(pilot)
        assert not prompt.display
        assert answers(used_store) == []
    async with app_on(used_store).run_test(size=(80, 24)) as pilot:
        assert (await settle(pilot)).display


async def test_tab_leaves_the_question_for_the_routines_without_answering(used_store) -> None:
    async with app_on(used_store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = pilot.app.screen
        await pilot.press("tab", "n")  # n is home's "new routine" once the list has the focus
        await pilot.pause()
        assert isinstance(pilot.app.screen, NewRoutineScreen)
        assert home.query_one(RecurrencePrompt).display
        assert answers(used_store) == []


@pytest.mark.parametrize(("days_later", "asked"), [(1, False), (29, False), (30, True)])
async def test_after_an_answer_it_is_asked_again_a_month_later(
    used_store, days_later: int, asked: bool
) -> None:
    used_store.add_episode_answer(False)
    later = date.today() + timedelta(days=days_later)
    async with app_on(used_store, later).run_test(size=(80, 24)) as pilot:
        assert (await settle(pilot)).display is asked


async def test_not_asked_before_coach_has_been_used(store) -> None:
    async with app_on(store).run_test(size=(80, 24)) as pilot:
        assert not (await settle(pilot)).display


async def test_not_asked_on_the_first_day_of_use(store) -> None:
    walked_days_ago(store, 0)
    async with app_on(store).run_test(size=(80, 24)) as pilot:
        assert not (await settle(pilot)).display
    async with app_on(store, date.today() + timedelta(days=1)).run_test(size=(80, 24)) as pilot:
        assert (await settle(pilot)).display


async def test_the_question_keeps_the_focus_over_a_plan_session_due_today(used_store) -> None:
    from coach.planning import start_plan
    from coach.tui.widgets.plan_panel import PlanPanel

    today = date.today()
    start_plan(used_store, "desk-pad", today)  # a session due today: the panel can take keys
    async with app_on(used_store, today).run_test(size=(80, 24)) as pilot:
        prompt = await settle(pilot)
        assert pilot.app.screen.query_one(PlanPanel).can_focus
        assert prompt.has_focus
        await pilot.press("y")
        await settle(pilot)
        assert answers(used_store) == [True]


async def test_tab_comes_back_round_to_the_question_while_it_waits(used_store) -> None:
    async with app_on(used_store).run_test(size=(80, 24)) as pilot:
        prompt = await settle(pilot)
        await pilot.press("tab")  # leaves it for the routines
        await pilot.pause()
        assert not prompt.has_focus
        for _ in range(6):  # round the screen's fields, back to the question
            await pilot.press("tab")
            await pilot.pause()
            if prompt.has_focus:
                break
        assert prompt.has_focus
        await pilot.press("n")
        await settle(pilot)
        assert answers(used_store) == [False]
