"""Check-in screens, driven entirely by the keyboard."""

from __future__ import annotations

from coach.config import Config
from coach.core.checkin import Change, Checkin, WarningSign, Where
from coach.core.records import CheckinKind, WalkStatus
from coach.tui.app import CoachApp
from coach.tui.screens.checkin import CheckinScreen, UrgentAdviceScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.summary import SummaryScreen
from coach.tui.screens.walk import WalkScreen


async def finish_walk(pilot, clock) -> None:  # type: ignore[no-untyped-def]
    await clock.advance_walk(pilot, 601)
    await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)  # the walk's summary comes first
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CheckinScreen)


async def test_pre_walk_checkin_is_saved_with_the_walk(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=True))
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, CheckinScreen)
        assert app.screen.kind is CheckinKind.BEFORE
        assert not app.screen.query("#where")
        await pilot.press("6", "tab", "7", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        saved(app)
        [before] = store.checkins()
        assert (before.kind, before.pain, before.stiffness) == (CheckinKind.BEFORE, 6, 7)
        assert before.walk_id == store.walks()[0].id


async def test_pre_walk_checkin_can_be_skipped(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        saved(app)
        assert store.checkins() == []
        assert store.walks()[0].status is WalkStatus.IN_PROGRESS


async def test_post_walk_checkin_fills_every_field_by_keyboard(
    walk_app, clock, store, saved
) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_walk(pilot, clock)
        await pilot.press("1", "0")  # pain 10: two digits
        await pilot.press("tab", "3")  # stiffness
        await pilot.press("tab", "space", "down", "down", "down", "space")  # lower back, neck
        await pilot.press("tab", "down", "down", "down", "down", "down", "space")  # better
        await pilot.press("tab", "5")  # effort
        await pilot.press("tab", "tab")  # past the warning signs, to the notes
        await pilot.press(*"easier", "enter")
        await pilot.pause()
        saved(app)
        [after] = store.checkins()
        assert after.kind is CheckinKind.AFTER
        assert after.answers == Checkin(
            pain=10,
            stiffness=3,
            where=frozenset({Where.LOWER_BACK, Where.NECK}),
            change=Change.BETTER,
            effort=5,
            notes="easier",
        )


async def test_ticking_a_warning_sign_shows_advice_and_flags(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 30)) as pilot:
        await finish_walk(pilot, clock)
        screen = app.screen
        assert screen.query_one("#advice").has_class("hidden")
        screen.query_one("#signs").focus()
        await pilot.press("down", "space")
        await pilot.pause()
        assert not screen.query_one("#advice").has_class("hidden")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, UrgentAdviceScreen)
        assert "urgent medical care" in str(app.screen.query_one("#urgent-text").render())
        saved(app)
        assert store.checkins() == []
        await pilot.press("enter")
        await pilot.pause()
        saved(app)
        [after] = store.checkins()
        assert after.answers.warning_signs == {WarningSign.BLADDER_BOWEL}
        assert after.answers.flagged


async def test_escape_from_the_advice_goes_back_to_the_form(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 30)) as pilot:
        await finish_walk(pilot, clock)
        app.screen.query_one("#signs").focus()
        await pilot.press("space", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        saved(app)
        assert store.checkins() == []


async def test_empty_checkin_asks_for_an_answer(walk_app, clock, store, saved) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_walk(pilot, clock)
        await pilot.press("enter")
        await pilot.pause()
        assert "Escape to skip" in str(app.screen.query_one("#checkin-error").render())
        saved(app)
        assert store.checkins() == []


async def test_score_field_accepts_digits_only(walk_app, clock, store) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_walk(pilot, clock)
        await pilot.press("x", "-", "4", "2", "7")
        assert app.screen.query_one("#pain").value == "42"
        await pilot.press("enter")
        await pilot.pause()
        assert "0 to 10" in str(app.screen.query_one("#checkin-error").render())


async def test_lone_checkin_saves_and_exits(store, saved) -> None:
    app = CoachApp(store, start_checkin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, CheckinScreen)
        assert app.screen.kind is CheckinKind.ALONE
        assert not app.screen.query("#change")
        await pilot.press("2", "enter")
        await pilot.pause()
    saved(app)
    [alone] = store.checkins()
    assert (alone.kind, alone.pain, alone.walk_id) == (CheckinKind.ALONE, 2, None)


async def test_unfinished_walk_offers_its_checkin_once(store, saved) -> None:
    walk_id = store.start_walk("desk-break", "Desk break", "x.yaml", "name: x", 600)
    store.finish_walk(walk_id, WalkStatus.ENDED_EARLY, 120, 0, 1)
    app = CoachApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "ended early" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("3", "enter")
        await pilot.pause()
    saved(app)
    [after] = store.checkins()
    assert (after.kind, after.walk_id, after.pain) == (CheckinKind.AFTER, walk_id, 3)
    again = CoachApp(store)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(again.screen, ConfirmScreen)


# -- a declined check-in is not asked again ------------------------------------------------


async def test_a_checkin_declined_after_the_walk_is_not_offered_at_the_next_start(
    walk_app, store
) -> None:
    first = walk_app("desk-break")
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("q", "y")  # end early: the summary, then the check-in
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(first.screen, CheckinScreen)
        await pilot.press("escape")  # declined
        await pilot.pause()
    [walk] = store.walks()
    assert walk.status is WalkStatus.ENDED_EARLY
    assert store.checkins() == []
    again = CoachApp(store)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(again.screen, ConfirmScreen)
        assert type(again.screen).__name__ == "HomeScreen"


async def test_not_now_at_the_start_is_not_asked_again(store) -> None:
    walk_id = store.start_walk("desk-break", "Desk break", "x.yaml", "name: x", 600)
    store.finish_walk(walk_id, WalkStatus.INTERRUPTED, 120, 0, 1)
    first = CoachApp(store)
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(first.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
    again = CoachApp(store)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(again.screen, ConfirmScreen)


# -- ticks that show without colour ------------------------------------------------------


def lines_of(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


async def test_ticks_and_choices_show_their_state_without_colour(
    walk_app, clock, monkeypatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 40)) as pilot:
        assert app.no_color
        await finish_walk(pilot, clock)
        screen = app.screen
        screen.query_one("#where").focus()
        await pilot.press("space", "down", "down", "space")  # lower back, upper back
        screen.query_one("#change").focus()
        await pilot.press("down", "down", "down", "space")  # no change (the fourth)
        await pilot.pause()
        where = lines_of(screen.query_one("#where"))
        assert where[:4] == ["[x] lower back", "[ ] mid back", "[x] upper back", "[ ] neck"]
        signs = lines_of(screen.query_one("#signs"))
        assert all(line.startswith("[ ] ") for line in signs if line.strip())
        choices = [str(button.render()) for button in screen.query("#change ChoiceButton")]
        assert choices[3].startswith("(•)")
        assert all(c.startswith("( )") for i, c in enumerate(choices) if i != 3)


async def test_the_form_scrolls_with_the_mouse_wheel(walk_app, clock) -> None:
    from textual.events import MouseScrollDown

    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_walk(pilot, clock)
        form = app.screen.query_one("#checkin")
        assert form.max_scroll_y > 0
        for _ in range(3):
            await pilot._post_mouse_events([MouseScrollDown], form)  # the Pilot has no wheel
        assert form.scroll_y > 0
