"""The back check-in after (or before) a walk: pain, stiffness and notes.

Scores are 0–10: type the digits, Tab or arrows to move, Enter to save, Escape to skip.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.validation import Integer
from textual.widgets import Footer, Input, Label, Static

from coach.checkin import Checkin
from coach.store import CheckinKind, Store, StoreError

PAIN_QUESTION = "How much does your back hurt right now? (0 = no pain, 10 = worst imaginable)"
STIFFNESS_QUESTION = "How stiff does your back feel? (0 = not at all, 10 = extremely stiff)"
NOTES_MAX = 4000


class CheckinScreen(Screen[bool]):
    """Collects one check-in; dismisses True if saved, False if skipped."""

    BINDINGS = [
        Binding("escape", "skip", "Skip"),
        Binding("enter", "save", "Save", priority=True),
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
    ]

    def __init__(self, store: Store | None, kind: CheckinKind, walk_id: int | None) -> None:
        super().__init__()
        self.store = store
        self.kind = kind
        self.walk_id = walk_id

    def compose(self) -> ComposeResult:
        title = {
            CheckinKind.BEFORE: "Before you walk: a quick back check-in",
            CheckinKind.AFTER: "After your walk: how is your back?",
            CheckinKind.ALONE: "Back check-in",
        }[self.kind]
        with Vertical(id="checkin"):
            yield Static(title, id="checkin-title")
            yield Label(PAIN_QUESTION)
            yield Input(
                placeholder="0–10",
                id="pain",
                type="integer",
                max_length=2,
                validators=[Integer(0, 10)],
            )
            yield Label(STIFFNESS_QUESTION)
            yield Input(
                placeholder="0–10",
                id="stiffness",
                type="integer",
                max_length=2,
                validators=[Integer(0, 10)],
            )
            yield Label("Notes (optional)")
            yield Input(placeholder="anything worth remembering", id="notes", max_length=NOTES_MAX)
            yield Static("", id="checkin-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pain", Input).focus()

    def _score(self, field: str) -> tuple[int | None, str | None]:
        value = self.query_one(f"#{field}", Input).value.strip()
        if not value:
            return None, None
        if not value.isdigit() or not 0 <= int(value) <= 10:
            return None, f"{field.capitalize()} must be a whole number from 0 to 10."
        return int(value), None

    @on(Input.Changed, "#pain,#stiffness")
    def _clear_error(self) -> None:
        self.query_one("#checkin-error", Static).update("")

    def action_save(self) -> None:
        pain, pain_error = self._score("pain")
        stiffness, stiffness_error = self._score("stiffness")
        error = pain_error or stiffness_error
        if error is None and pain is None and stiffness is None:
            error = "Give at least pain or stiffness, or press Escape to skip."
        if error:
            self.query_one("#checkin-error", Static).update(error)
            return
        notes = self.query_one("#notes", Input).value.strip()
        if self.store is not None:
            try:
                self.store.add_checkin(
                    self.kind, Checkin(pain=pain, stiffness=stiffness, notes=notes), self.walk_id
                )
            except StoreError as exc:
                self.query_one("#checkin-error", Static).update(str(exc))
                return
        self.dismiss(True)

    def action_skip(self) -> None:
        self.dismiss(False)
