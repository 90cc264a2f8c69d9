"""The keys panel (? and F1): each screen's own coach keys, once each, nothing generic."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from coach.config import Config
from coach.tui.app import CoachApp
from coach.tui.history.record import RecordScreen
from coach.tui.screens.checkin import CheckinScreen
from coach.tui.screens.editor import EditorScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.widgets.keys_help import KeysHelp

GENERIC = ("Scroll Left", "Scroll Right", "Copy selected text", "Focus Next", "Page Left")


def panel_text(app: CoachApp) -> str:
    """The panel as a person reads it, wrapped to a wide page so lines stay whole."""
    panel = app.screen.query_one(KeysHelp)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(panel.query_one("#keys-help-text", Static).content)
    return console.export_text()


def key_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def assert_only_coach_keys(text: str) -> None:
    for generic in GENERIC:
        assert generic not in text
    lines = key_lines(text)
    assert len(lines) == len(set(lines)), "a key is listed twice"


def home_app(store) -> CoachApp:  # type: ignore[no-untyped-def]
    return CoachApp(store, Config(pre_walk_checkin=False))


async def test_question_mark_on_home_lists_homes_keys_and_hides_them_again(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = panel_text(app)
        assert_only_coach_keys(text)
        lines = key_lines(text)
        for expected in (
            "Enter Walk the highlighted routine",
            "p Copy it (a built-in too), new name",
            "r Rename one of yours",
            "d Delete one of yours (asks first)",
            "/ Filter the routines by id",
            "F1 Show or hide this panel",
        ):
            assert expected in lines
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(KeysHelp)


async def test_the_panel_leaves_the_footer_in_view(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        panel = app.screen.query_one(KeysHelp)
        footer = app.screen.query_one("Footer")
        assert panel.region.bottom <= footer.region.y
        assert footer.region.width == 80


async def test_history_help_lists_its_keys(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = panel_text(app)
        assert_only_coach_keys(text)
        lines = key_lines(text)
        assert "Esc q Back to home (from a date box: the table)" in lines
        assert "v Next view: Walks, Chart, Routines" in lines


async def test_record_help_follows_what_escape_does_now(store) -> None:
    from coach.core.checkin import Checkin
    from coach.core.records import CheckinKind, WalkStatus

    walk_id = store.start_walk("desk-break", "Desk break", "x", "x", 600)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 600, 0, 1)
    store.add_checkin(CheckinKind.AFTER, Checkin(pain=2, notes="ok"), walk_id)
    app = home_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        lines = key_lines(panel_text(app))
        assert_only_coach_keys(panel_text(app))
        assert "Esc q Close" in lines
        assert "Esc Cancel" not in lines
        assert "e Edit the notes (a walk's: after, else before)" in lines


async def test_editor_help_from_f1(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("f1")
        await pilot.pause()
        text = panel_text(app)
        assert_only_coach_keys(text)
        lines = key_lines(text)
        assert "Ctrl+S Save (asks first if invalid)" in lines
        assert "Tab Indent (in the text)" in lines


async def test_checkin_help_from_f1_while_typing_a_score(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("f1")
        await pilot.pause()
        text = panel_text(app)
        assert_only_coach_keys(text)
        lines = key_lines(text)
        assert "Enter Save the check-in" in lines
        assert "Space Tick a place or a warning sign; choose an answer" in lines
        assert app.screen.query_one("#pain").value == ""  # F1 typed nothing


async def test_the_panel_scrolls_with_the_mouse_wheel(store) -> None:
    from textual.events import MouseScrollDown

    app = home_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        panel = app.screen.query_one(KeysHelp)
        assert panel.max_scroll_y > 0
        for _ in range(3):
            await pilot._post_mouse_events([MouseScrollDown], panel)  # the Pilot has no wheel
        assert panel.scroll_y > 0
        assert isinstance(app.screen, HomeScreen)
