"""Home's plan panel: today's session (Enter walks it), the week and the dose; and a
guided walk recorded with its time split by cadence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from textual.widgets._footer import FooterKey

from coach.config import Config
from coach.core.records import WalkStatus
from coach.planning import start_plan
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.walk import WalkScreen
from coach.tui.widgets.plan_panel import PlanPanel

MONDAY = date(2026, 5, 4)


def home_app(store: Store, today: date, clock=None, **kwargs: object) -> CoachApp:  # type: ignore[no-untyped-def]
    extra = {"clock": clock} if clock is not None else {}
    # The warning signs are answered for the app's day, as they were for the real one.
    noon = datetime.combine(today, time(12)).astimezone().astimezone(UTC).isoformat()
    store.add_warning_answer(frozenset(), walked=True, at=noon)
    return CoachApp(
        store,
        Config(pre_walk_checkin=False),
        today=lambda: today,
        **extra,  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


async def loaded(pilot) -> PlanPanel:  # type: ignore[no-untyped-def]
    # After home's first frame, the question and the plan panel are mounted, then each
    # reads the store in a thread and shows what it read: a few rounds of both.
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen.query_one(PlanPanel)


async def test_the_panel_shows_todays_session_and_enter_walks_it(store: Store) -> None:
    start_plan(store, "walkback", MONDAY)
    app = home_app(store, MONDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await loaded(pilot)
        shown = str(panel.render())
        assert "Walk back · Week 1 of 12 · 0 of 3 sessions done · 0 min walked" in shown
        assert "Today: 10 min · Enter: desk-break" in shown
        assert "Dose this week: 0 of 150 min moderate · 0 min easy" in shown
        assert panel.has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert app.screen.session.timeline.routine_id == "desk-break"


async def test_the_panel_shows_the_latest_decision_and_where_the_others_are(
    store: Store,
) -> None:
    start_plan(store, "walkback", MONDAY)
    app = home_app(store, MONDAY + timedelta(weeks=2))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await loaded(pilot)
        shown = str(panel.render())
        assert (
            "Held at week 1: no sessions done in the week of 11 May · the rest: coach plan" in shown
        )
        assert "week of 4 May" not in shown


async def test_a_narrow_panel_cuts_the_decision_not_where_the_rest_are(store: Store) -> None:
    start_plan(store, "walkback", MONDAY)
    app = home_app(store, MONDAY + timedelta(weeks=2))
    async with app.run_test(size=(60, 20)) as pilot:
        panel = await loaded(pilot)
        [line] = [line for line in str(panel.render()).splitlines() if "Held" in line]
        assert line.startswith("Held at week 1: no sessions")
        assert line.endswith("… · the rest: coach plan")
        assert len(line) == panel.content_size.width


async def test_down_leaves_the_panel_for_the_routines(store: Store) -> None:
    start_plan(store, "walkback", MONDAY)
    app = home_app(store, MONDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await loaded(pilot)
        await pilot.press("down")
        await pilot.pause()
        assert not panel.has_focus
        assert app.screen.focused is app.screen.query_one("#routines")


async def test_t_walks_todays_session_from_anywhere_on_home(store: Store) -> None:
    start_plan(store, "desk-pad", MONDAY)
    app = home_app(store, MONDAY + timedelta(weeks=3))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("down", "t")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)


async def test_a_day_without_a_session_says_what_is_next(store: Store) -> None:
    start_plan(store, "walkback", MONDAY)
    store.log_walk(datetime.combine(MONDAY, time(8)).astimezone(), 600, "", "Logged walk", 0, 600)
    app = home_app(store, MONDAY.replace(day=5))  # Tuesday: no session planned
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await loaded(pilot)
        assert "Next: tomorrow, 10 min" in str(panel.render())
        assert not panel.has_focus


async def test_without_a_plan_or_walks_the_panel_is_hidden(store: Store) -> None:
    app = home_app(store, MONDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await loaded(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not panel.display


async def test_a_guided_walk_is_recorded_with_its_time_split_by_cadence(
    walk_app, clock, store
) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 600)
        await pilot.pause()
    [walk] = store.walks()
    assert walk.status is WalkStatus.COMPLETED
    assert walk.moderate_seconds is not None and walk.easy_seconds is not None
    assert walk.moderate_seconds + walk.easy_seconds == walk.walked_seconds
    # desk-break: only its 103-steps segments are at or above 100.
    assert 0 < walk.moderate_seconds < walk.walked_seconds
    assert walk.utc_offset is not None


async def test_a_programme_name_with_markup_is_shown_as_written(store: Store, coach_home) -> None:  # type: ignore[no-untyped-def]
    folder = coach_home / "programmes"
    folder.mkdir()
    (folder / "odd.yaml").write_text(
        'name: "[/x] [@click=app.quit]x"\nweeks:\n  - {sessions: 3, minutes: 10}\n',
        encoding="utf-8",
    )
    start_plan(store, "odd", MONDAY)
    app = home_app(store, MONDAY)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await loaded(pilot)
        assert str(panel.render()).startswith("[/x] [@click=app.quit]x · Week 1 of 1")
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_home_with_a_plan_snapshot(snap_compare, store: Store, size) -> None:  # type: ignore[no-untyped-def]
    start_plan(store, "walkback", MONDAY)
    store.log_walk(
        datetime.combine(MONDAY, time(7)).astimezone(), 1500, "", "Logged walk", 600, 900
    )
    app = home_app(store, MONDAY + timedelta(days=2))  # Wednesday: the second session

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await loaded(pilot)
        # The monthly question took the focus: its keys reach the footer once it is rebuilt.
        for _ in range(10):
            if "Yes" in {key.description for key in pilot.app.screen.query(FooterKey)}:
                break
            await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_the_history_summary_counts_against_the_configured_target(store: Store) -> None:
    store.log_walk(datetime.now().astimezone(), 600, "", "Logged walk", 600, 0)
    app = CoachApp(store, Config(weekly_target=90))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        dose = str(app.screen.query_one("#summary-dose").render())
        assert dose == "Dose this week: 10 of 90 min moderate · 0 min easy"


async def test_the_keys_panel_lists_t_only_with_a_session_due_today(store: Store) -> None:
    from coach.tui.widgets.keys_help import binding_lines

    app = home_app(store, MONDAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert "Walk today's session" not in [does for _, does in binding_lines(app.screen)]
    start_plan(store, "walkback", MONDAY)
    app = home_app(store, MONDAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert ("t", "Walk today's session") in binding_lines(app.screen)
