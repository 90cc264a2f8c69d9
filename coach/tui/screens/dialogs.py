"""Small modal dialogs."""

from __future__ import annotations

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


class NewRoutineScreen(ModalScreen[Path | None]):
    """Ask for a new routine's name, create it from the starter, return its path."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                "Name your routine (its file name): lowercase letters, digits, - and _",
                id="question",
            )
            yield Input(placeholder="lunch-walk", id="new-name", max_length=64)
            yield Static("", id="new-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).focus()

    @on(Input.Submitted, "#new-name")
    def _create(self, event: Input.Submitted) -> None:
        from coach.library.starter import StarterError, create_routine

        try:
            created = create_routine(event.value.strip())
        except StarterError as exc:
            self.query_one("#new-error", Static).update(str(exc))
            return
        self.dismiss(created.path)

    def action_cancel(self) -> None:
        self.dismiss(None)
