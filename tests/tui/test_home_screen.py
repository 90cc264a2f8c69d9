"""Home: every action by key, the filter, and the command palette."""

from __future__ import annotations

from resizing import resize
from textual.widgets import OptionList

from coach.config import Config
from coach.core.records import CheckinKind, WalkStatus
from coach.core.routine.outline import Outline
from coach.library.outlines import Outlines, stamp
from coach.paths import builtin_routines_dir
from coach.tui.app import CoachApp
from coach.tui.screens.checkin import CheckinScreen
from coach.tui.screens.dialogs import NewRoutineScreen
from coach.tui.screens.editor import EditorScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.walk import WalkScreen


def home_app(store, clock=None) -> CoachApp:  # type: ignore[no-untyped-def]
    kwargs = {"clock": clock} if clock is not None else {}
    return CoachApp(store, Config(pre_walk_checkin=False), **kwargs)


def routine_ids(app: CoachApp) -> list[str]:
    options = app.screen.query_one("#routines", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_home_lists_builtins_and_details(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert routine_ids(app)[:2] == ["brisk-circulation", "desk-break"]
        head = str(app.screen.query_one("#details-head").render())
        assert head.startswith("Brisk circulation intervals")
        assert "30:00 · 12 segments · built-in" in head
        assert set(str(app.screen.query_one("#timeline-bar").render())) <= {"e", "m", "b"}


def details_head(app: CoachApp) -> str:
    return str(app.screen.query_one("#details-head").render())


async def test_home_keeps_the_outline_it_drew_for_the_next_start(store) -> None:
    brisk = builtin_routines_dir() / "brisk-circulation.yaml"
    assert Outlines().get(brisk) is None
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert details_head(app).startswith("Brisk circulation intervals")
    kept = Outlines().get(brisk)
    assert kept is not None and kept.name == "Brisk circulation intervals"
    assert kept.total == 30 * 60 and len(kept.ends) == 12


async def test_a_kept_outline_is_drawn_without_reading_the_file(store) -> None:
    brisk = builtin_routines_dir() / "brisk-circulation.yaml"
    cache = Outlines()
    # What an earlier start kept (here with a name the file doesn't have, to tell them apart).
    outline = Outline("Kept at an earlier start", "", (), (60, 600), ("easy", "brisk"), (90, 120))
    cache.keep(brisk, stamp(brisk), outline)
    cache.save()
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert details_head(app).startswith("Kept at an earlier start")
        assert "10:00 · 2 segments · built-in" in details_head(app)
        assert str(app.screen.query_one("#cadence-label").render()) == "Cadence 90–120 steps/min"


async def test_a_routine_changed_since_its_outline_was_kept_is_read_again(
    store, coach_home
) -> None:
    folder = coach_home / "routines"
    folder.mkdir()
    mine = folder / "aaa-mine.yaml"  # first in the list: highlighted at start
    mine.write_text("name: Before\ncadence: 100\nsegments: [{name: A, duration: 5m}]\n")
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert details_head(app).startswith("Before")
    mine.write_text("name: After the edit\ncadence: 100\nsegments: [{name: A, duration: 7m}]\n")
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert details_head(app).startswith("After the edit")
        assert "7:00 · 1 segment · mine" in details_head(app)


async def test_enter_walks_the_highlighted_routine(store, saved) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert app.screen.session.timeline.routine_id == "desk-break"
        saved(app)
        assert store.walks()[0].status is WalkStatus.IN_PROGRESS


async def test_slash_filters_as_you_type(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"pad")
        await pilot.pause()
        assert routine_ids(app) == ["walking-pad"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(routine_ids(app)) >= 5


async def test_clearing_a_filter_that_matched_nothing_shows_the_routine_again(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert details_head(app) == "No routine matches the filter."
        await pilot.press("escape")
        await pilot.pause()
        assert details_head(app).startswith("Brisk circulation intervals")


async def test_e_opens_the_editor(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.target.is_copy


async def test_n_creates_a_routine_and_opens_it(store, coach_home) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewRoutineScreen)
        await pilot.press(*"Bad Name", "enter")
        await pilot.pause()
        assert "not a usable routine name" in str(app.screen.query_one("#new-error").render())
        await pilot.press(*["backspace"] * 8, *"lunch-walk", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert (coach_home / "routines" / "lunch-walk.yaml").exists()
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert "lunch-walk" in routine_ids(app)


async def test_h_opens_history(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_c_checks_in_and_returns_home(store, saved) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    saved(app)
    [alone] = store.checkins()
    assert (alone.kind, alone.pain) == (CheckinKind.ALONE, 4)


async def test_last_walk_and_pain_trend_show(store) -> None:
    from coach.core.checkin import Checkin

    walk_id = store.start_walk("gentle-back", "Gentle back loosener", "x", "x", 1200)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 1200, 0, 5)
    store.add_checkin(CheckinKind.BEFORE, Checkin(pain=6), walk_id)
    store.add_checkin(CheckinKind.AFTER, Checkin(pain=3), walk_id)
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        recent = str(app.screen.query_one("#recent").render())
        assert "Gentle back loosener · 20:00 · completed · pain 6 → 3 ★" in recent


async def test_q_quits(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_palette_offers_walk_and_runs_it(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"walk gentle")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert app.screen.session.timeline.routine_id == "gentle-back"


async def test_palette_offers_nothing_of_its_own_mid_walk(store) -> None:
    from coach.tui.commands import CoachCommands

    app = home_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        provider = CoachCommands(app.screen)
        await provider.startup()
        assert provider.commands == []


async def test_palette_reads_the_routine_folders_once_when_it_opens(store, coach_home) -> None:
    from coach.tui.commands import CoachCommands

    app = home_app(store)
    async with app.run_test(size=(100, 30)):
        provider = CoachCommands(app.screen)
        await provider.startup()
        names = [name for name, _, _ in provider.commands]
        assert names[:3] == ["History", "Check in", "New routine"]
        assert "Walk: desk-break" in names and "Edit: desk-break" in names
        # A routine written while the palette is open shows the next time it opens.
        (coach_home / "routines").mkdir(exist_ok=True)
        (coach_home / "routines" / "later.yaml").write_text("name: Later\n")
        hits = [hit async for hit in provider.search("later")]
        assert hits == []
        await provider.startup()
        assert "Walk: later" in [name for name, _, _ in provider.commands]


async def test_on_first_frame_runs_once_after_home_is_drawn(store) -> None:
    # What the list showed when the callback ran: home must already be current and drawn.
    shown_then: list[list[str]] = []
    apps: list[CoachApp] = []
    app = CoachApp(
        store,
        Config(pre_walk_checkin=False),
        on_first_frame=lambda: shown_then.append(routine_ids(apps[0])),
    )
    apps.append(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "up")
        await pilot.pause()
    assert len(shown_then) == 1
    assert shown_then[0][:2] == ["brisk-circulation", "desk-break"]


# -- last walk and pain trend stay current ------------------------------------------------


def recent_text(app: CoachApp) -> str:
    return str(app.screen.query_one("#recent").render())


async def test_home_shows_a_walk_and_its_checkins_as_soon_as_it_is_back(store, clock) -> None:
    app = CoachApp(store, Config(pre_walk_checkin=True), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No walks yet" in recent_text(app)
        await pilot.press("down", "enter", "6", "enter")  # desk-break, pain 6 before
        await pilot.pause()
        await clock.advance_walk(pilot, 601)
        await pilot.press("enter")  # past the walk's summary
        await pilot.pause()
        await pilot.press("3", "enter")  # pain 3 after
        await pilot.pause()
        await pilot.press("enter")  # the summary again, with the pain change
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The screen wakes at least once a second: the walk ends at its 10:00.
        assert "Desk break · 10:00 · completed · pain 6 → 3 ★" in recent_text(app)
        assert "Pain after your last 1 walks" in recent_text(app)
        assert app.screen.query_one("#pain-trend").display


async def test_a_checkin_saved_while_home_shows_updates_it_without_leaving(store, saved) -> None:
    from coach.core.checkin import Checkin

    walk_id = store.start_walk("gentle-back", "Gentle back loosener", "x", "x", 1200)
    store.finish_walk(walk_id, WalkStatus.ENDED_EARLY, 600, 0, 2)
    store.add_checkin(CheckinKind.BEFORE, Checkin(pain=5), walk_id)
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")  # "fill in its check-in now?": not now
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "pain" not in recent_text(app)
        # No screen was left or resumed: the write itself tells home.
        app.save_checkin(CheckinKind.AFTER, Checkin(pain=2), walk_id)
        saved(app)
        await pilot.pause()  # the recorder's word that it is written reaches the app
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "pain 5 → 2 ★" in recent_text(app)


# -- fitting the width ---------------------------------------------------------------


async def test_the_timeline_bar_is_redrawn_for_a_new_width(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one("#timeline-bar")
        for size in ((120, 40), (60, 20), (100, 30)):
            await resize(pilot, *size)
            await pilot.pause()
            drawn = str(bar.render())
            assert len(drawn) == bar.content_size.width
            assert set(drawn) <= {"e", "m", "b"}


async def test_at_60x20_every_routine_id_keeps_one_line_and_the_legend_is_whole(
    store, coach_home
) -> None:
    folder = coach_home / "routines"
    folder.mkdir()
    builtins = builtin_routines_dir()
    (folder / "gentle-back.yaml").write_text((builtins / "gentle-back.yaml").read_text())
    (folder / "a-very-long-routine-name-for-lunch.yaml").write_text(
        (builtins / "desk-break.yaml").read_text()
    )
    app = home_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#routines", OptionList)
        assert options.virtual_size.height == options.option_count  # one line each
        legend = app.screen.query_one("#legend")
        drawn = str(legend.render())
        for word in ("e  easy", "m  moderate", "b  brisk"):
            assert word in drawn
        assert max(len(line) for line in drawn.splitlines()) <= legend.content_size.width


async def turn_wheel(pilot, widget, turns: int = 3) -> None:  # type: ignore[no-untyped-def]
    from textual.events import MouseScrollDown

    for _ in range(turns):
        await pilot._post_mouse_events([MouseScrollDown], widget)  # the Pilot has no wheel


async def test_the_details_scroll_with_the_mouse_wheel(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        details = app.screen.query_one("#details-pane")
        assert details.max_scroll_y > 0
        await turn_wheel(pilot, details)
        assert details.scroll_y > 0


async def test_the_new_routine_dialog_is_centred(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen.query_one("#dialog").region
        left, right = dialog.x, 100 - dialog.right
        top, bottom = dialog.y, 30 - dialog.bottom
        assert abs(left - right) <= 1 and left > 0
        assert abs(top - bottom) <= 1 and top > 0


def test_the_pain_trend_is_drawn_on_the_0_to_10_scale() -> None:
    from coach.tui.widgets.pain_trend import pain_bars

    # Pain 4 and 3 stay low on the scale (three rows of eight steps: 0 to 10).
    assert pain_bars([4, 3], 8).plain == "\n▂▂▂\n███ ▇▇▇"
    # 10 reaches the top; a walk rated 0 still shows.
    assert pain_bars([10, 0], 8).plain == "███\n███\n███ ___"
