"""Home's routine list: copy, rename and delete by key and palette; the highlight that
stays where the person left it; click to choose, double click (or Enter) to walk."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from coach.config import Config
from coach.library.routines import Origin, find_routine
from coach.tui.app import CoachApp
from coach.tui.commands import CoachCommands
from coach.tui.screens.dialogs import ConfirmScreen, RoutineNameScreen
from coach.tui.screens.editor import EditorScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.walk import WalkScreen

MINIMAL = "name: Mine\ncadence: 100\nsegments: [{name: A, duration: 5m}]\n"


def home_app(store) -> CoachApp:  # type: ignore[no-untyped-def]
    return CoachApp(store, Config(pre_walk_checkin=False))


@pytest.fixture
def my_routines(coach_home: Path) -> Path:
    folder = coach_home / "routines"
    folder.mkdir()
    return folder


def routines(app: CoachApp) -> OptionList:
    return app.screen.query_one("#routines", OptionList)


def highlighted(app: CoachApp) -> str | None:
    options = routines(app)
    if options.highlighted is None:
        return None
    return options.get_option_at_index(options.highlighted).id


def ids(app: CoachApp) -> list[str]:
    options = routines(app)
    return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]


async def highlight(pilot, routine_id: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    routines(pilot.app).highlighted = ids(pilot.app).index(routine_id)
    await pilot.pause()


def notices(app: CoachApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


# -- delete ----------------------------------------------------------------------------


async def test_d_deletes_one_of_yours_after_asking(store, my_routines) -> None:
    (my_routines / "lunch.yaml").write_text(MINIMAL)
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "lunch")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Delete your routine lunch" in app.screen.question
        assert "Walks you did with it stay in your history." in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not (my_routines / "lunch.yaml").exists()
        assert "lunch" not in ids(app)
        assert highlighted(app) == "walk-tall"  # the one after it


async def test_declining_the_delete_keeps_the_routine(store, my_routines) -> None:
    (my_routines / "lunch.yaml").write_text(MINIMAL)
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "lunch")
        await pilot.press("d", "n")
        await pilot.pause()
        assert (my_routines / "lunch.yaml").exists()
        assert highlighted(app) == "lunch"


async def test_deleting_yours_says_the_builtin_it_hid_comes_back(store, my_routines) -> None:
    (my_routines / "gentle-back.yaml").write_text(MINIMAL)
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "gentle-back")
        head = str(app.screen.query_one("#details-head").render())
        assert "Yours hides the built-in gentle-back" in head
        await pilot.press("d")
        await pilot.pause()
        assert "the built-in gentle-back shows again in its place" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert find_routine("gentle-back").origin is Origin.BUILT_IN
        assert highlighted(app) == "gentle-back"
        head = str(app.screen.query_one("#details-head").render())
        assert "built-in" in head and "hides" not in head


async def test_a_builtin_is_not_deleted_and_the_person_is_told_why(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "desk-break")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # no confirmation: nothing to confirm
        assert any("desk-break is built in: it can't be deleted" in n for n in notices(app))
        assert "Press p to make your own copy" in notices(app)[-1]
        assert find_routine("desk-break").origin is Origin.BUILT_IN


# -- rename ----------------------------------------------------------------------------


async def test_r_renames_one_of_yours_and_keeps_it_highlighted(store, my_routines) -> None:
    (my_routines / "lunch.yaml").write_text(MINIMAL)
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "lunch")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RoutineNameScreen)
        await pilot.press(*["backspace"] * 5, *"Bad Name", "enter")
        await pilot.pause()
        assert "not a usable routine name" in str(app.screen.query_one("#new-error").render())
        await pilot.press(*["backspace"] * 8, *"lunch-loop", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert (my_routines / "lunch-loop.yaml").read_text() == MINIMAL
        assert "lunch" not in ids(app)
        assert highlighted(app) == "lunch-loop"


async def test_a_builtin_cannot_be_renamed(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "walk-tall")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("walk-tall is built in: it can't be renamed" in n for n in notices(app))


# -- copy ------------------------------------------------------------------------------


async def test_p_copies_a_builtin_as_your_own_and_highlights_it(store, my_routines) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "desk-break")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, RoutineNameScreen)
        assert app.screen.query_one("#new-name").value == "desk-break-copy"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert (my_routines / "desk-break-copy.yaml").exists()
        assert highlighted(app) == "desk-break-copy"
        assert "desk-break" in ids(app)  # the built-in is still there


async def test_a_copy_under_a_builtins_id_hides_it_and_says_so(store, my_routines) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "desk-break")
        await pilot.press("p", *["backspace"] * 15, *"gentle-back", "enter")
        await pilot.pause()
        assert highlighted(app) == "gentle-back"
        assert "It hides the built-in gentle-back" in notices(app)[-1]
        label = routines(app).get_option_at_index(routines(app).highlighted or 0).prompt
        assert str(label) == "gentle-back  mine · hides built-in"


async def test_escape_leaves_the_name_dialog_without_a_file(store, my_routines) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert list(my_routines.iterdir()) == []


# -- the palette ------------------------------------------------------------------------


async def test_palette_offers_copy_for_all_and_rename_delete_for_yours(store, my_routines) -> None:
    (my_routines / "lunch.yaml").write_text(MINIMAL)
    app = home_app(store)
    async with app.run_test(size=(100, 30)):
        provider = CoachCommands(app.screen)
        await provider.startup()
        names = [name for name, _, _ in provider.commands]
        assert {"Copy: lunch", "Rename: lunch", "Delete: lunch", "Copy: desk-break"} <= set(names)
        assert "Delete: desk-break" not in names and "Rename: desk-break" not in names


async def test_palette_delete_asks_first(store, my_routines) -> None:
    (my_routines / "lunch.yaml").write_text(MINIMAL)
    app = home_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"delete: lunch")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert not (my_routines / "lunch.yaml").exists()


# -- the highlight stays ------------------------------------------------------------------


async def test_the_highlight_survives_history(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "walk-tall")
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert highlighted(app) == "walk-tall"


async def test_the_highlight_survives_a_walk_and_its_checkin(store, clock) -> None:
    app = CoachApp(store, Config(pre_walk_checkin=False), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await highlight(pilot, "gentle-back")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        await pilot.press("q", "y", "enter")  # ended early, past the summary
        await pilot.pause()
        await pilot.press("3", "enter", "enter")  # the check-in, then the summary again
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert highlighted(app) == "gentle-back"


async def test_the_highlight_survives_saving_in_the_editor(store, my_routines) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await highlight(pilot, "walk-tall")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+s")  # a built-in: saves your copy, same id
        await pilot.pause()
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert (my_routines / "walk-tall.yaml").exists()
        assert highlighted(app) == "walk-tall"


async def test_a_new_routine_is_highlighted_when_the_editor_closes(store, my_routines) -> None:
    app = home_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"pad", "down")  # a filter that would hide it
        await pilot.press("n", *"zz-lunch", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert highlighted(app) == "zz-lunch"
        assert app.screen.query_one("#filter").value == ""


# -- the mouse ------------------------------------------------------------------------


async def test_a_click_highlights_and_a_double_click_walks(store) -> None:
    app = home_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = routines(app)
        row = ids(app).index("gentle-back")
        # The option's line inside the list (its border and padding before it).
        offset = (4, options.gutter.top + row)
        await pilot.click(options, offset=offset)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert highlighted(app) == "gentle-back"
        assert store.walks() == []
        await pilot.double_click(options, offset=offset)
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert app.screen.session.timeline.routine_id == "gentle-back"
