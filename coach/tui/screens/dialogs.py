"""Small modal dialogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses True for yes."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False, id="question")
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class RoutineNameScreen(ModalScreen[Path | None]):
    """Ask for a routine's name (its id), make the file with it, return its path.

    `make` does the file work; its error (a bad or taken name) shows under the box and
    the dialog stays open for another try.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        question: str,
        make: Callable[[str], Path],
        initial: str = "",
        placeholder: str = "lunch-walk",
    ) -> None:
        super().__init__()
        self.question = question
        self.make = make
        self.initial = initial
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question", markup=False)
            yield Input(self.initial, placeholder=self.placeholder, id="new-name", max_length=64)
            yield Static("", id="new-error", markup=False)
            yield Static("Enter to confirm · Escape to cancel", id="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).focus()

    @on(Input.Submitted, "#new-name")
    def _submitted(self, event: Input.Submitted) -> None:
        from coach.library.manage import RoutineFileError

        try:
            path = self.make(event.value.strip())
        except RoutineFileError as exc:
            self.query_one("#new-error", Static).update(str(exc))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _create_from_starter(name: str) -> Path:
    from coach.library.starter import create_routine

    return create_routine(name).path


class NewRoutineScreen(RoutineNameScreen):
    """Ask for a new routine's name, create it from the starter, return its path."""

    def __init__(self) -> None:
        super().__init__(
            "Name your routine (its file name): lowercase letters, digits, - and _",
            _create_from_starter,
        )
