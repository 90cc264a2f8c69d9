"""The welcome on the first start: marked as seen once it is closed, not when shown."""

from __future__ import annotations

from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.welcome import WelcomeScreen


async def test_the_welcome_counts_as_seen_once_closed_not_when_shown(store: Store) -> None:
    closed: list[bool] = []
    app = CoachApp(store, welcome=True, on_welcomed=lambda: closed.append(True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert closed == []  # a start killed here shows the welcome again
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert closed == [True]
