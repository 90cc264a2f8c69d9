"""Every screen survives every terminal size, and stays usable at 60×20.

One app per screen, resized from 20×8 up through 300×100 and straight back to 20×8;
some apps start at the extremes. The walk is resized while the fake clock runs, to show its state
keeps following the clock. Time only moves when a test moves it.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from resizing import resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList

from coach.config import Config
from coach.core.checkin import Change, Checkin
from coach.core.records import CheckinKind, WalkStatus
from coach.core.routine.durations import format_clock
from coach.library.routines import Origin, RoutineEntry
from coach.store import Store
from coach.tui.app import CoachApp
from coach.tui.screens.checkin import CheckinScreen, UrgentAdviceScreen
from coach.tui.screens.dialogs import ConfirmScreen, NewRoutineScreen
from coach.tui.screens.editor import EditorScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.summary import SummaryScreen
from coach.tui.screens.walk import WalkScreen
from coach.tui.screens.welcome import WelcomeScreen
from coach.tui.walk_view import LABEL_WIDTH

pytestmark = pytest.mark.slow  # about 30 s: some 150 resizes, each laid out and drawn

# Smallest, narrow, the 60x20 bar, wide, largest: 80x24 is every snapshot test's size.
SIZES = [(20, 8), (40, 12), (60, 20), (120, 40), (300, 100)]
# Up through every size, then at once back to the smallest: shrinking lays out differently.
SWEEP = [*SIZES, (20, 8)]
# For a second look at a screen already swept in another state.
QUICK = [(20, 8), (60, 20), (300, 100)]
EXTREMES = pytest.mark.parametrize("size", [(20, 8), (300, 100)], ids=["20x8", "300x100"])
BROKEN = "name: Mine\ncadance: 100\nsegments:\n  - name: Go\n    duration: 5x\n"


# -- helpers -----------------------------------------------------------------------------


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let thread workers finish and their results reach the screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def sweep(pilot, sizes=SWEEP) -> Screen:  # type: ignore[no-untyped-def]
    """Resize through `sizes`; the app must keep running the same screen at each."""
    app = pilot.app
    screen = app.screen
    for width, height in sizes:
        await resize(pilot, width, height)  # which waits for the screen to settle
        assert app.is_running, f"the app stopped at {width}x{height}"
        assert app.screen is screen, f"{app.screen!r} replaced {screen!r} at {width}x{height}"
        assert screen.region.size == (width, height)
    return screen


def text_of(widget: Widget) -> str:
    return str(widget.render())


def assert_part_on_screen(screen: Screen, part: str) -> None:
    """Every row of a walk screen part lies above the footer."""
    rows = screen.view.rows_of(part)  # type: ignore[attr-defined]
    footer = screen.query_one(Footer).region
    assert rows and rows[-1] < footer.y, f"{part} rows {rows} are under the footer at {footer.y}"


def assert_visible(widget: Widget) -> None:
    """On screen, not zero-size, and not clipped away by a scrolled container."""
    screen = widget.screen
    region = widget.region
    name = f"#{widget.id}" if widget.id else repr(widget)
    assert region.width > 0 and region.height > 0, f"{name} has no size: {region}"
    assert screen.region.contains_region(region), f"{name} {region} is off {screen.region}"
    clip = screen.find_widget(widget).clip
    assert clip.contains_region(region), f"{name} {region} is clipped to {clip}"


def footer_key(screen: Screen, action: str) -> Widget:
    keys = [key for key in screen.query_one(Footer).children if key.action == action]  # type: ignore[attr-defined]
    assert keys, f"no footer key for {action}"
    return keys[0]


def home_app(store: Store, **kwargs: object) -> CoachApp:
    return CoachApp(store, Config(pre_walk_checkin=False), **kwargs)  # type: ignore[arg-type]


def broken_routine(home: Path) -> RoutineEntry:
    folder = home / "routines"
    folder.mkdir(exist_ok=True)
    path = folder / "mine.yaml"
    path.write_text(BROKEN)
    return RoutineEntry("mine", path, Origin.MINE)


def add_walks(store: Store) -> None:
    """A few finished walks with check-ins, through the Store API."""
    for routine_id, pain_before, pain_after in (
        ("gentle-back", 6, 3),
        ("desk-break", 4, 4),
        ("gentle-back", 5, 2),
    ):
        walk_id = store.start_walk(routine_id, routine_id.title(), "", "x", 1200)
        store.finish_walk(walk_id, WalkStatus.COMPLETED, 1200, 0, 3)
        store.add_checkin(CheckinKind.BEFORE, Checkin(pain=pain_before, stiffness=5), walk_id)
        store.add_checkin(
            CheckinKind.AFTER,
            Checkin(pain_after, 4, change=Change.BETTER, effort=4, notes="[bold]x[/x]"),
            walk_id,
        )


async def finish_walk(pilot, clock) -> CheckinScreen:  # type: ignore[no-untyped-def]
    await clock.advance_walk(pilot, 601)  # desk-break lasts 10 minutes
    await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)
    await pilot.press("enter")  # on to the check-in
    await pilot.pause()
    assert isinstance(pilot.app.screen, CheckinScreen)
    return pilot.app.screen


def expected_segment(screen: WalkScreen, position: float) -> tuple[str, str]:
    """The segment label and time left at `position`, from the timeline itself."""
    for segment in screen.session.timeline.segments:
        if segment.start <= position < segment.start + segment.duration:
            left = segment.start + segment.duration - position
            return segment.label, format_clock(math.ceil(left - 1e-9))
    raise AssertionError(f"no segment at {position}")


# -- home, help, welcome, dialogs, palette --------------------------------------------------


async def test_home_survives_every_size(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await sweep(pilot)
        assert isinstance(screen, HomeScreen)
        assert screen.query_one("#routines", OptionList).option_count >= 5


async def test_filtered_home_survives_every_size(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"pad")
        await settle(pilot)
        screen = await sweep(pilot)
        assert screen.query_one("#filter", Input).value == "pad"
        assert screen.query_one("#routines", OptionList).option_count == 1
        await pilot.press("slash", "z")  # nothing matches: the details say so
        await settle(pilot)
        await sweep(pilot, QUICK)
        assert "No routine matches" in text_of(screen.query_one("#details-head"))


async def test_help_panel_survives_every_size(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await settle(pilot)
        screen = await sweep(pilot)
        assert screen.query("KeysHelp")


async def test_welcome_survives_every_size(store) -> None:
    app = CoachApp(store, welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(await sweep(pilot), WelcomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_welcome_at_60x20_shows_the_advice_and_the_way_on(store) -> None:
    app = CoachApp(store, welcome=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert_visible(app.screen.query_one("#welcome-advice"))
        assert_visible(app.screen.query_one("#welcome-start"))


async def test_new_routine_dialog_survives_every_size(store, coach_home) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("B", "enter")  # an upper-case name: its error shows under the field
        await pilot.pause()
        screen = await sweep(pilot)
        assert isinstance(screen, NewRoutineScreen)
        assert "not a usable routine name" in text_of(screen.query_one("#new-error"))


async def test_command_palette_survives_every_size(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("w")  # a list of matches to lay out
        await settle(pilot)
        screen = await sweep(pilot)
        assert type(screen).__name__ == "CommandPalette"


async def test_editor_with_errors_survives_every_size(store, coach_home) -> None:
    app = CoachApp(store, edit=broken_routine(coach_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await sweep(pilot)
        assert isinstance(screen, EditorScreen)
        assert text_of(screen.query_one("#editor-status")).startswith("✗ 3 error(s)")


# -- the walk -------------------------------------------------------------------------------


async def test_running_walk_follows_the_clock_through_resizes(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 0)
        position = 0.0
        labels = set()
        # 40 s between resizes: across Warm-up (3:00) and into Build (2:00).
        for width, height in SWEEP:
            await clock.advance_walk(pilot, 40)
            position += 40
            await resize(pilot, width, height)
            screen.tick()
            await pilot.pause()
            assert app.is_running and app.screen is screen, f"lost the walk at {width}x{height}"
            label, left = expected_segment(screen, position)
            labels.add(label)
            segment = screen.view.part("segment")
            # Below 40 columns the label gives way to the time left.
            prefix = label if width >= 40 else label[:4]
            assert segment.startswith(prefix), f"{segment!r} at {position}s, {width}x{height}"
            assert f"{left} left" in segment
            assert f"{format_clock(position)} / 30:00" in screen.view.part("walk-bar")
        assert {"Warm-up", "Build"} <= labels


async def test_paused_walk_stays_paused_through_resizes(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 30)
        await pilot.press("space")
        for width, height in SWEEP:
            clock.advance(60)
            await resize(pilot, width, height)
            screen = await clock.advance_walk(pilot, 0)
            assert "PAUSED" in screen.view.part("title")
            assert "0:30 / 30:00" in screen.view.part("walk-bar")
        await pilot.press("space")
        screen = await clock.advance_walk(pilot, 5)
        assert "0:35 / 30:00" in screen.view.part("walk-bar")


async def test_countdown_survives_resizes_and_reaches_the_next_segment(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await clock.advance_walk(pilot, 177.5)
        await sweep(pilot)
        assert screen.view.part("message").startswith("Build in 3…")
        await resize(pilot, 60, 20)
        screen = await clock.advance_walk(pilot, 3)
        assert screen.view.part("segment").startswith("Build ·")


async def test_end_walk_confirmation_survives_every_size(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 42)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(await sweep(pilot), ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert not app.screen.session.paused


async def test_walk_help_survives_every_size(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await clock.advance_walk(pilot, 10)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = await sweep(pilot)
        assert screen.query("KeysHelp")


async def test_walk_at_60x20_shows_everything_essential(walk_app, clock) -> None:
    app = walk_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await clock.advance_walk(pilot, 177.5)  # in Warm-up's countdown to Build
        for part in ("segment", "stride", "message"):
            assert_part_on_screen(screen, part)
        # What is drawn, after the ellipsis: the name, the time left, the phases and cues.
        assert screen.view.part("segment").startswith("Warm-up · easy · 92 spm")
        assert screen.view.part("segment").endswith("0:03 left")
        stride_line, *rows = screen.view.part("stride").splitlines()
        assert "foot" in stride_line and "arm swings forward" in stride_line
        # Rows are free: each phase may take two, its cue wrapped rather than cut.
        phase_rows = [row for row in rows if row[:LABEL_WIDTH].strip()]
        assert [row[2:LABEL_WIDTH].strip() for row in phase_rows] == [
            "Heel strike",
            "Hip rotation",
            "Arm swing",
        ]
        assert sum(row.startswith("▶") for row in phase_rows) == 1
        # Each row: the phase's name, then more than 20 characters of its cue.
        assert all(len(row[LABEL_WIDTH:]) > 20 for row in phase_rows)
        assert "…" not in "".join(rows)
        for action in ("pause", "next", "back", "faster", "sound", "quit_walk", "help"):
            assert_visible(footer_key(screen, action))


@pytest.mark.parametrize("routine_id", ["gentle-back", "walk-tall"])
async def test_time_left_stays_in_view_at_60x20_with_cadence_changed(
    walk_app, clock, routine_id
) -> None:
    # Without the big digits (compact), the segment line is the only countdown: a long
    # label with "(planned N)" must lose its tail to the ellipsis, not the time left.
    app = walk_app(routine_id)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await clock.advance_walk(pilot, 1)
        for index, _segment in enumerate(screen.session.timeline.segments):
            if index:
                await pilot.press("n")
            await pilot.press("plus")
            screen = await clock.advance_walk(pilot, 0)
            label, left = expected_segment(screen, screen.session.position())
            shown = screen.view.part("segment")
            assert shown.startswith(label[:10]), shown
            assert shown.endswith(f"{left} left"), shown


# -- check-ins ------------------------------------------------------------------------------


async def test_pre_walk_checkin_survives_every_size(walk_app, clock) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        screen = await sweep(pilot)
        assert isinstance(screen, CheckinScreen)
        assert screen.query_one("#pain", Input).value == "6"


async def test_after_walk_checkin_and_urgent_advice_survive_every_size(walk_app, clock) -> None:
    app = walk_app("desk-break")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await finish_walk(pilot, clock)
        screen.query_one("#signs").focus()
        await pilot.press("space")  # tick a warning sign: the advice shows in the form
        await pilot.pause()
        await sweep(pilot)
        assert not screen.query_one("#advice").has_class("hidden")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(await sweep(pilot), UrgentAdviceScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.parametrize("kind", ["before", "after"])
async def test_checkin_at_60x20_shows_scores_and_how_to_save(walk_app, clock, kind) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=kind == "before"))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = await finish_walk(pilot, clock) if kind == "after" else app.screen
        assert isinstance(screen, CheckinScreen)
        assert_visible(screen.query_one("#pain"))
        assert_visible(screen.query_one("#stiffness"))
        assert_visible(footer_key(screen, "save"))
        if kind == "after":  # the long form scrolls: every field comes into view when focused
            for field in ("#where", "#change", "#effort", "#signs", "#notes"):
                screen.query_one(field).focus()
                await pilot.pause()  # the focus scrolls it into view, animated: let that end
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                assert_visible(screen.query_one(field))
            screen.query_one("#signs").focus()
            await pilot.press("space", "enter")  # a warning sign ticked: the advice first
            await pilot.pause()
            assert isinstance(app.screen, UrgentAdviceScreen)
            assert_visible(app.screen.query_one("#urgent-text"))
            assert_visible(app.screen.query_one("#urgent-save"))


# -- history and the record --------------------------------------------------------------------


async def test_history_views_record_and_delete_survive_every_size(store, saved) -> None:
    add_walks(store)
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        history = await sweep(pilot)
        assert type(history).__name__ == "HistoryScreen"
        for pane in ("chart-pane", "routines-pane"):
            await pilot.press("v")
            await settle(pilot)
            await sweep(pilot)
            assert history.query_one("#views").active == pane  # type: ignore[attr-defined]
        await pilot.press("v")  # back to the walks
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        record = await sweep(pilot)
        assert type(record).__name__ == "RecordScreen"
        assert "[bold]x[/x]" in text_of(record.query_one("#record-body"))
        await pilot.press("d")
        await pilot.pause()
        # The same dialog as the end-walk confirmation, which is swept through every size.
        assert isinstance(await sweep(pilot, QUICK), ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is record
    saved(app)
    assert len(store.walks()) == 3


# -- starting at the extremes -----------------------------------------------------------------


@EXTREMES
async def test_home_starts_at_extreme_size(store, size) -> None:
    app = home_app(store)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#routines", OptionList).option_count >= 5
        await sweep(pilot, [(60, 20)])


@EXTREMES
async def test_welcome_starts_at_extreme_size(store, size) -> None:
    app = CoachApp(store, welcome=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await sweep(pilot, [(60, 20)])


@EXTREMES
async def test_walk_starts_at_extreme_size_and_keeps_time(walk_app, clock, size) -> None:
    app = walk_app()
    async with app.run_test(size=size) as pilot:
        screen = await clock.advance_walk(pilot, 179)
        assert screen.view.part("segment").startswith("Warm-")
        assert screen.view.part("segment").endswith("0:01 left")
        screen = await clock.advance_walk(pilot, 2)
        assert screen.view.part("segment").startswith("Build")
        await sweep(pilot, [(60, 20)])


@EXTREMES
async def test_checkins_start_at_extreme_size(walk_app, clock, size) -> None:
    app = walk_app("desk-break", config=Config(pre_walk_checkin=True))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("5", "enter")  # the walk starts
        await pilot.pause()
        screen = await finish_walk(pilot, clock)
        assert screen.kind is CheckinKind.AFTER
        await sweep(pilot, [(60, 20)])


@EXTREMES
async def test_editor_starts_at_extreme_size(store, coach_home, size) -> None:
    app = CoachApp(store, edit=broken_routine(coach_home))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        await sweep(pilot, [(60, 20)])


@EXTREMES
async def test_history_starts_at_extreme_size(store, size) -> None:
    add_walks(store)
    app = home_app(store)
    async with app.run_test(size=size) as pilot:
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("v")  # the chart, drawn at this size
        await settle(pilot)
        await sweep(pilot, [(60, 20)])


# -- home at 60×20 ---------------------------------------------------------------------------


async def test_home_at_60x20_shows_routines_and_details(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        routines = screen.query_one("#routines", OptionList)
        head = screen.query_one("#details-head")
        assert_visible(routines)
        assert_visible(head)
        assert routines.highlighted == 0
        assert text_of(head).startswith("Brisk circulation intervals")
        for action in ("walk", "edit", "app.history", "app.toggle_help", "app.quit"):
            assert_visible(footer_key(screen, action))


async def test_history_at_60x20_shows_every_view_key(store) -> None:
    add_walks(store)
    app = home_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "HistoryScreen"
        for action in ("back", "stiffness", "filters", "refresh", "next_view"):
            assert_visible(footer_key(screen, action))
