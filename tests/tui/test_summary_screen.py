"""The end of a walk in the app: the summary, the check-in, then the pain change."""

from __future__ import annotations

from resizing import resize

from coach.config import Config
from coach.core.records import WalkStatus
from coach.tui.screens.checkin import CheckinScreen
from coach.tui.screens.summary import SummaryScreen
from coach.tui.screens.walk import WalkScreen


async def settled(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the summary show and fill in: it waits (in a worker) for the walk to be written."""
    for _ in range(100):
        if isinstance(pilot.app.screen, SummaryScreen) and not pilot.app.screen.summary.saving:
            break
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()  # its rows redrawn


def figures(screen: SummaryScreen) -> dict[str, str]:
    return dict(screen.summary.parts())


def shown(screen: SummaryScreen) -> str:
    """The summary's text as drawn."""
    return "\n".join(
        str(widget.render()) for widget in screen.query("#summary-title, #summary-next")
    )


async def test_a_finished_walk_shows_its_summary_before_the_checkin(walk_app, clock) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 600.2)
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert screen.summary.title == "Walk complete"
        assert figures(screen)["Walked"] == "10:00 of 10:00"
        assert figures(screen)["Steps"] == "950"  # every planned step of desk-break
        assert figures(screen)["Segments"] == "6 of 6 walked through"
        assert figures(screen)["Cadence held"] == "95 steps/min on average"
        assert figures(screen)["This week"] == "1 walk, 10 min"
        # Steady (1/2) and (2/2) at 103 spm are moderate: 3 minutes of the 10.
        assert figures(screen)["Weekly dose"] == "3 of 150 min moderate · 7 min easy"
        assert "Pain" not in figures(screen)
        assert "Enter: the check-in" in shown(screen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)


async def test_after_the_checkin_the_summary_shows_the_pain_change(walk_app, clock, store) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6", "enter")  # pain before
        await pilot.pause()
        await clock.advance_walk(pilot, 600.2)
        await settled(pilot)
        await pilot.press("enter")  # on to the check-in
        await pilot.pause()
        await pilot.press("3", "enter")  # pain after
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert figures(screen)["Pain"] == "6 → 3 ★ meaningful relief"
        assert "Enter: continue" in shown(screen)
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0  # `coach walk ID` ends after the summary
    assert [c.pain for c in store.checkins()] == [6, 3]


async def test_a_skipped_checkin_goes_straight_on(walk_app, clock) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 600.2)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")  # skip the check-in
        await pilot.pause()
        assert not isinstance(app.screen, SummaryScreen)
        assert not app.is_running


async def test_ending_early_shows_what_was_walked(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 20)
        await pilot.press("n")  # Warm-up skipped after 20 s
        await clock.advance_walk(pilot, 130)  # Build (2:00) walked through
        await pilot.press("q", "y")
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert screen.summary.status is WalkStatus.ENDED_EARLY
        assert screen.summary.title == "Walk ended early, saved"
        assert figures(screen)["Walked"] == "2:30 of 30:00"
        assert figures(screen)["Segments"] == "1 of 12 walked through"


async def test_escape_on_the_summary_goes_on_too(walk_app, clock) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 600.2)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)


async def test_a_preview_shows_its_summary_as_not_recorded(walk_app, clock, store) -> None:
    app = walk_app("desk-break", speed=60.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 10.1)  # ten routine minutes
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert screen.summary.title == "Preview over, not recorded"
        assert figures(screen)["This week"] == "not counted (not recorded)"
        await pilot.press("enter")  # no check-in for a preview
        await pilot.pause()
        assert not app.is_running
    assert store.walks() == []


async def test_the_time_walked_shows_large_on_a_large_terminal(walk_app, clock) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(120, 40)) as pilot:
        await clock.advance_walk(pilot, 600.2)
        await settled(pilot)
        big = app.screen.query_one("#summary-big")
        assert big.display and big.region.height == 5
        await resize(pilot, 80, 24)
        await pilot.pause()
        assert not big.display or big.region.height == 0


async def test_walk_screen_is_gone_when_the_summary_shows(walk_app, clock) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 600.2)
        await settled(pilot)
        assert not any(isinstance(s, WalkScreen) for s in app.screen_stack)


async def test_the_weekly_dose_is_against_the_configured_target(walk_app, clock) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=False, weekly_target=60))
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 600.2)
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert figures(screen)["Weekly dose"] == "3 of 60 min moderate · 7 min easy"
