"""The routine editor: live validation, jump to a problem, save, try, leave."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, TextArea

from coach.library.routines import Origin, RoutineEntry
from coach.tui.app import CoachApp
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.editor import EditorScreen
from coach.tui.screens.walk import WalkScreen

ROUTINES = Path(__file__).resolve().parents[2] / "routines"
MINE = "name: Mine\ncadence: 100\nsegments:\n  - name: Go\n    duration: 2m\n"


def builtin(routine_id: str = "desk-break") -> RoutineEntry:
    return RoutineEntry(routine_id, ROUTINES / f"{routine_id}.yaml", Origin.BUILT_IN)


def mine(home: Path, text: str = MINE) -> RoutineEntry:
    folder = home / "routines"
    folder.mkdir(exist_ok=True)
    path = folder / "mine.yaml"
    path.write_text(text)
    return RoutineEntry("mine", path, Origin.MINE)


async def settle(pilot) -> EditorScreen:  # type: ignore[no-untyped-def]
    await pilot.pause(0.4)  # past the typing debounce
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    return screen


def status(screen: EditorScreen) -> str:
    return str(screen.query_one("#editor-status").render())


async def test_typed_error_is_listed_with_its_line_and_fixing_it_clears(store, coach_home) -> None:
    app = CoachApp(store, edit=mine(coach_home))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        assert status(screen).startswith("✓ valid")
        area = screen.query_one("#yaml", TextArea)
        area.cursor_location = (1, 9)  # after "cadence: "
        await pilot.press("delete", "delete", "delete", "9", "9", "9")
        screen = await settle(pilot)
        assert status(screen).startswith("✗ 1 error(s)")
        problems = screen.query_one("#problems", OptionList)
        assert str(problems.get_option_at_index(0).prompt).startswith("2:10 error: cadence:")
        await pilot.press("backspace", "backspace", "backspace", "9", "5")
        screen = await settle(pilot)
        assert status(screen).startswith("✓ valid")
        assert problems.option_count == 0


async def test_selecting_a_problem_jumps_to_it(store, coach_home) -> None:
    app = CoachApp(store, edit=mine(coach_home, MINE + "    bogus: 1\n"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        await pilot.press("ctrl+e", "enter")
        await pilot.pause()
        area = screen.query_one("#yaml", TextArea)
        assert area.cursor_location == (5, 4)
        assert area.has_focus


async def test_save_writes_the_file(store, coach_home) -> None:
    entry = mine(coach_home)
    app = CoachApp(store, edit=entry)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        screen.query_one("#yaml", TextArea).insert("# note\n", (0, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert entry.path.read_text() == "# note\n" + MINE


async def test_saving_with_errors_asks_first(store, coach_home) -> None:
    entry = mine(coach_home)
    app = CoachApp(store, edit=entry)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        screen.query_one("#yaml", TextArea).insert("oops: 1\n", (0, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert entry.path.read_text() == MINE
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert entry.path.read_text().startswith("oops: 1\n")


async def test_editing_a_builtin_saves_a_copy_to_my_routines(store, coach_home) -> None:
    app = CoachApp(store, edit=builtin())
    original = (ROUTINES / "desk-break.yaml").read_text()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        screen.query_one("#yaml", TextArea).insert("# mine now\n", (0, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert (coach_home / "routines" / "desk-break.yaml").read_text() == "# mine now\n" + original
    assert (ROUTINES / "desk-break.yaml").read_text() == original


async def test_leaving_with_unsaved_changes_asks(store, coach_home) -> None:
    entry = mine(coach_home)
    app = CoachApp(store, edit=entry)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        screen.query_one("#yaml", TextArea).insert("# x\n", (0, 0))
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "quit" in app.screen.question
    assert entry.path.read_text() == MINE


async def test_try_it_previews_the_routine(store, coach_home, saved) -> None:
    app = CoachApp(store, edit=mine(coach_home))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert app.screen.recorder is None
        assert app.screen.session.speed > 1
    saved(app)
    assert store.walks() == []
