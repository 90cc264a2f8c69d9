"""Markup and control characters in user text, on the app's screens, driven by the Pilot.

A routine's text reaches the walk screen only after validation, which refuses control
characters, so there the attack is markup. Check-in notes and a walk's routine id and
name come from the database, which another program (or an older coach) may have
written, so there both markup and raw control characters are tried. Either way the app
must keep running, show the text literally, and send no control character to the
terminal: ESC and U+009B (CSI) start escape sequences, BEL rings, BS and CR move the
cursor.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Static, TextArea

from coach.config import Config
from coach.core.checkin import Checkin
from coach.core.records import CheckinKind, WalkStatus
from coach.library.routines import Origin, RoutineEntry
from coach.sound import SoundMode
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.history.record import RecordScreen
from coach.tui.history.screen import HistoryScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.walk import WalkScreen

QUIT = "[@click=app.quit]quit[/]"
MARKUP = f"[bold]x [/x] {QUIT} [link=file:///etc/passwd]l[/]"
CONTROLS = "\x1b[31mred\x1b[0m \x1bc a\rb \x07 \x08 \x9b2J \x7f \x00"
HOSTILE_NOTES = f"{MARKUP} {CONTROLS}\nsecond line"
# What must never reach the terminal from user text (the app draws no such thing itself).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def screen_text(app: App[object]) -> str:
    """Every character of the screen as the terminal would receive it, styling aside."""
    strips = app.screen._compositor.render_strips()  # what the driver writes, line by line
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def click_every_quit(pilot) -> int:  # type: ignore[no-untyped-def]
    """Click each `[@click=app.quit]` shown; were it markup, the click would quit the app."""
    clicks = 0
    for y, line in enumerate(screen_text(pilot.app).splitlines()):
        for found in re.finditer(re.escape(QUIT), line):
            await pilot.click(offset=(found.start() + 3, y))
            clicks += 1
    await pilot.pause()
    return clicks


def assert_no_raw_control(app: App[object]) -> None:
    shown = screen_text(app)
    assert not RAW_CONTROL.search(shown), repr(RAW_CONTROL.findall(shown))


# -- history: text written straight into the database ----------------------------------


class HistoryApp(App[None]):
    """Just the history screen (it brings its own stylesheet)."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.store))


@pytest.fixture
def hostile_history(store: Store) -> Store:
    """One walk whose routine id, name and check-in notes were written by another program."""
    walk_id = store.start_walk("desk-break", "Desk break", "/r/desk-break.yaml", "", 600)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 600, 0, 1)
    before = store.add_checkin(CheckinKind.BEFORE, Checkin(pain=5), walk_id)
    after = store.add_checkin(CheckinKind.AFTER, Checkin(pain=3), walk_id)
    db = sqlite3.connect(store.path)
    with db:
        db.execute(
            "UPDATE walks SET routine_id = ?, routine_name = ? WHERE id = ?",
            (f"\x1b[31mdesk\x9b {QUIT}", f"{MARKUP} \x1b]0;title\x07", walk_id),
        )
        db.execute("UPDATE checkins SET notes = ? WHERE id = ?", (HOSTILE_NOTES, after))
        db.execute("UPDATE checkins SET notes = ? WHERE id = ?", ("\x9b31m[/]", before))
    db.close()
    return store


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_history(pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def test_history_table_shows_hostile_notes_literally_without_controls(
    hostile_history: Store,
) -> None:
    app = HistoryApp(hostile_history)
    async with app.run_test(size=(200, 30)) as pilot:  # every column, notes 70 wide
        screen = await open_history(pilot)
        table = screen.query_one("#walks", DataTable)
        cells = [cell.plain for cell in table.get_row_at(0)]
        routine, notes = cells[1], cells[9]
        assert routine.startswith("␛[31mdesk\ufffd")
        # Before / after notes, on one line, cut to the column.
        assert notes.startswith("\ufffd31m[/] / [bold]x [/x] [@click=app.quit")
        for cell in cells:
            assert not RAW_CONTROL.search(cell), repr(cell)
        assert_no_raw_control(app)
        assert app.is_running


async def test_record_dialog_shows_hostile_text_literally_and_a_click_does_not_quit(
    hostile_history: Store,
) -> None:
    app = HistoryApp(hostile_history)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_history(pilot)
        await pilot.press("enter")
        await pilot.pause()
        record = app.screen
        assert isinstance(record, RecordScreen)
        body = str(record.query_one("#record-body", Static).render())
        # The routine name and the notes, as written (wrapped to the dialog's width).
        assert MARKUP in " ".join(body.split())
        assert "second line" in body
        assert not RAW_CONTROL.search(body.replace("\n", "")), repr(body)
        assert_no_raw_control(app)
        assert await click_every_quit(pilot) >= 3  # in the routine name, id and notes
        assert app.is_running
        assert isinstance(app.screen, RecordScreen)


async def test_editing_hostile_notes_shows_and_saves_controls_as_symbols(
    hostile_history: Store,
) -> None:
    app = HistoryApp(hostile_history)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_history(pilot)
        await pilot.press("enter", "e")
        await pilot.pause()
        editor = app.screen.query_one("#notes-editor", TextArea)
        assert editor.has_focus
        assert_no_raw_control(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running
    saved = hostile_history.history()[0].after
    assert saved is not None
    # The editor held the notes as the record showed them, and check_notes kept that.
    assert saved.notes.startswith(f"{MARKUP} ␛[31mred␛[0m ␛c a␍b ␇ ␈ \ufffd2J ␡ ␀")
    assert saved.notes.endswith("\nsecond line")


async def test_home_shows_the_last_walks_hostile_name_literally(hostile_history: Store) -> None:
    app = CoachApp(hostile_history)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        recent = str(app.screen.query_one("#recent", Static).render())
        assert f"{MARKUP} ␛]0;title␇" in recent
        assert_no_raw_control(app)
        assert await click_every_quit(pilot) >= 1
        assert app.is_running


# -- the walk screen: a routine file full of markup ------------------------------------

MARKUP_ROUTINE = f"""\
name: "{QUIT} [bold]walk"
cadence: 100
cues:
  heel_strike: ["[bold]x"]
  hip_rotation: ["[/x]"]
  arm_swing: ["{QUIT}"]
posture:
  every: 15s
  cues: ["[link=file:///etc/passwd]x[/]"]
segments:
  - name: "[/x] warm"
    duration: 30s
    at:
      - after: 5s
        say: "{QUIT} say"
  - name: "[link=file:///etc/passwd]next[/]"
    duration: 30s
"""


@pytest.fixture
def markup_walk(store: Store, coach_home: Path, clock) -> CoachApp:  # type: ignore[no-untyped-def]
    path = coach_home / "markup.yaml"
    path.write_text(MARKUP_ROUTINE, encoding="utf-8")
    entry = RoutineEntry("markup", path, Origin.FILE)
    return CoachApp(
        store,
        start=entry,
        clock=clock,
        sound_mode=SoundMode.OFF,
        config=Config(pre_walk_checkin=False),
    )


async def test_walk_screen_shows_markup_in_routine_text_literally(markup_walk, clock) -> None:
    async with markup_walk.run_test(size=(100, 30)) as pilot:
        screen = await clock.advance_walk(pilot, 6)
        assert screen.view.part("title").startswith(f"{QUIT} [bold]walk")
        assert "[/x] warm" in screen.view.part("segment")
        assert "[link=file:///etc/passwd]next[/]" in screen.view.part("next")
        stride = screen.view.part("stride")
        for cue in ("[bold]x", "[/x]", QUIT):
            assert cue in stride
        shown = screen_text(pilot.app)
        assert "[link=file:///etc/passwd]x[/]" in shown  # the posture prompt
        assert f"{QUIT} say" in shown  # the announcement, when it came
        assert await click_every_quit(pilot) >= 2  # the routine name and the arm swing cue
        assert pilot.app.is_running
        assert isinstance(pilot.app.screen, WalkScreen)
