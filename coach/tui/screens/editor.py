"""The routine editor: YAML on the left, live validation and a timeline preview on the right.

Validation runs in a thread worker, debounced after typing stops, with exactly the
messages of `coach routines validate`; selecting one jumps to its line and column.
Saving a built-in writes a copy to the user's routines folder (it then shadows the
built-in). Unsaved changes are never dropped without asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from coach.core.engine import WalkSession
from coach.core.routine import LoadResult, compile_timeline, load_text
from coach.core.routine.durations import format_clock
from coach.core.text import visible_text
from coach.library.routines import Origin, RoutineEntry
from coach.paths import HomeError, ensure_dir, user_routines_dir
from coach.sound import Sound, SoundMode
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.walk import WalkScreen
from coach.tui.typed import coach_app
from coach.tui.widgets.key_footer import KeyFooter
from coach.tui.widgets.keys_help import ListsItsKeys

VALIDATE_AFTER = 0.3  # seconds of quiet typing before validating
PREVIEW_SPEED = 30.0


@dataclass(frozen=True)
class EditTarget:
    """What is being edited and where a save goes."""

    routine_id: str
    source: Path
    save_to: Path
    is_copy: bool  # a built-in: saving writes the user's own copy


def edit_target(entry: RoutineEntry) -> EditTarget:
    if entry.origin is Origin.BUILT_IN:
        return EditTarget(entry.id, entry.path, user_routines_dir() / f"{entry.id}.yaml", True)
    return EditTarget(entry.id, entry.path, entry.path, False)


class EditorScreen(ListsItsKeys, Screen[bool]):
    """Edit one routine; dismisses True if it was saved."""

    CSS_PATH = ["editor.tcss", "../widgets/keys_help.tcss"]

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Save (asks first if invalid)"),
        Binding("ctrl+t", "try_it", "Try it", priority=True, tooltip="Walk it at 30× speed"),
        Binding("ctrl+e", "next_problem", "Next problem", priority=True),
        Binding("ctrl+w", "leave", "Close", priority=True, tooltip="Close (asks about changes)"),
        # In the text, Escape first releases the Tab key; outside it, it closes.
        Binding("escape", "leave", "Close", show=False),
        Binding("f1", "app.toggle_help", "Help"),
    ]
    KEYS_HELP = (
        ("Tab", "Indent (in the text)"),
        ("Esc", "Leave the text for the problems; elsewhere close"),
        ("Enter", "On a problem: jump to its line and column"),
    )

    def __init__(self, target: EditTarget, text: str) -> None:
        super().__init__()
        self.target = target
        self.saved_text = text
        self._initial = text
        self.result: LoadResult | None = None
        self._debounce: Timer | None = None
        self.saved = False

    def compose(self) -> ComposeResult:
        title = f"Editing {self.target.routine_id}"
        if self.target.is_copy:
            title += f" (built-in; saving writes your copy to {self.target.save_to})"
        yield Static(visible_text(title), id="editor-title", markup=False)
        with Horizontal(id="editor"):
            yield TextArea.code_editor(
                self._initial, language="yaml", id="yaml", soft_wrap=False, tab_behavior="indent"
            )
            with Vertical(id="editor-side"):
                yield Static("Checking…", id="editor-status", markup=False)
                yield OptionList(id="problems")
                yield Static("", id="preview", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#yaml", TextArea).focus()
        self.validate_now()

    @property
    def text(self) -> str:
        return self.query_one("#yaml", TextArea).text

    @property
    def dirty(self) -> bool:
        return self.text != self.saved_text

    # -- validation ------------------------------------------------------------------

    @on(TextArea.Changed, "#yaml")
    def _typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(VALIDATE_AFTER, self.validate_now)
        self._show_title()

    def validate_now(self) -> None:
        self._validate(self.text)

    @work(thread=True, exclusive=True, group="validate")
    def _validate(self, text: str) -> None:
        result = load_text(text, self.target.routine_id, self.target.save_to.name)
        self.app.call_from_thread(self._show_result, text, result)

    def _show_result(self, text: str, result: LoadResult) -> None:
        if text != self.text:
            return  # stale: the text changed while this was being checked
        self.result = result
        problems = self.query_one("#problems", OptionList)
        problems.clear_options()
        problems.add_options(
            Option(Text(line), id=str(i)) for i, line in enumerate(self._problem_lines(result))
        )
        errors, warnings = len(result.errors), len(result.warnings)
        status = self.query_one("#editor-status", Static)
        if result.ok:
            status.update(Text(f"✓ valid · {warnings} warning(s)", style="green"))
        else:
            status.update(Text(f"✗ {errors} error(s) · {warnings} warning(s)", style="red"))
        self.query_one("#preview", Static).update(self._preview(result))

    @staticmethod
    def _problem_lines(result: LoadResult) -> list[str]:
        return [
            f"{d.line}:{d.column} {d.severity.value}: {d.key_path or '(root)'}: {d.message}"
            for d in result.diagnostics
        ]

    @staticmethod
    def _preview(result: LoadResult) -> Text:
        if result.routine is None:
            return Text("The timeline shows here once the routine is valid.", style="dim")
        timeline = compile_timeline(result.routine)
        text = Text()
        text.append(f"{result.routine.name} · {format_clock(timeline.total)}\n", style="bold")
        for segment in timeline.segments:
            text.append(f"{format_clock(segment.start):>7} ")
            text.append(segment.label)
            text.append(f" · {segment.cadence} spm · {segment.intensity.value}\n", style="dim")
        return text

    @on(OptionList.OptionSelected, "#problems")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if self.result is None:
            return
        diagnostic = self.result.diagnostics[event.option_index]
        area = self.query_one("#yaml", TextArea)
        area.cursor_location = (diagnostic.line - 1, diagnostic.column - 1)
        area.scroll_cursor_visible()
        area.focus()

    def action_next_problem(self) -> None:
        problems = self.query_one("#problems", OptionList)
        if problems.option_count:
            problems.focus()
            if problems.highlighted is None:
                problems.highlighted = 0

    # -- saving, trying, leaving -----------------------------------------------------

    def _show_title(self) -> None:
        marker = " •" if self.dirty else ""
        title = f"Editing {self.target.routine_id}{marker}"
        if self.target.is_copy:
            title += f" (built-in; saving writes your copy to {self.target.save_to})"
        self.query_one("#editor-title", Static).update(visible_text(title))

    def action_save(self) -> None:
        text = self.text
        has_errors = load_text(text, self.target.routine_id).errors
        if has_errors:
            self.app.push_screen(
                ConfirmScreen(
                    f"This routine has {len(has_errors)} error(s) and can't be walked until "
                    "they are fixed. Save anyway?",
                    "Save",
                    "Keep editing",
                ),
                lambda yes: self._write(text) if yes else None,
            )
        else:
            self._write(text)

    def _write(self, text: str) -> None:
        path = self.target.save_to
        try:
            ensure_dir(path.parent)
            path.write_text(text, encoding="utf-8")
        except (OSError, HomeError) as exc:
            self.notify(visible_text(f"Not saved: {exc}"), severity="error", markup=False)
            return
        self.saved_text = text
        self.saved = True
        self._show_title()
        self.notify(visible_text(f"Saved {path}"), markup=False, timeout=3)

    def action_try_it(self) -> None:
        result = load_text(self.text, self.target.routine_id)
        if result.routine is None:
            self.notify("Fix the errors first to try the routine.", severity="warning")
            return
        clock = coach_app(self).clock
        session = WalkSession(compile_timeline(result.routine), clock, PREVIEW_SPEED)
        sound = Sound(SoundMode.OFF, bell=self.app.bell)
        self.app.push_screen(WalkScreen(session, sound))

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(self.saved)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(self.saved)

        self.app.push_screen(
            ConfirmScreen("Discard your unsaved changes?", "Discard", "Keep editing"), answered
        )
