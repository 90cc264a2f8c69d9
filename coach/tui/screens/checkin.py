"""The back check-in: before a walk (pain, stiffness), after it (everything), or alone.

Fully keyboard-driven: type a score's digits (10 is "1" then "0"), Tab / Shift+Tab or
↑/↓ between fields, Space to tick a place or a warning sign, Enter to save, Escape to
skip. Ticking a warning sign shows the urgent-care advice at once, and again before the
check-in is saved (flagged).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Input,
    Label,
    RadioSet,
    SelectionList,
    Static,
)

from coach.core.checkin import (
    CHANGE_QUESTION,
    EFFORT,
    NOTES_MAX,
    PAIN,
    STIFFNESS,
    URGENT_ADVICE,
    Change,
    Checkin,
    Scale,
    WarningSign,
    Where,
    check_notes,
    check_score,
)
from coach.core.records import CheckinKind
from coach.tui.widgets.key_footer import KeyFooter
from coach.tui.widgets.keys_help import ListsItsKeys
from coach.tui.widgets.ticks import ChoiceButton, TickList

TITLES = {
    CheckinKind.BEFORE: "Before you walk: a quick back check-in",
    CheckinKind.AFTER: "After your walk: how is your back?",
    CheckinKind.ALONE: "Back check-in",
}


class CheckinScreen(ListsItsKeys, Screen["Checkin | None"]):
    """Collects one check-in; dismisses with the answers, or None if skipped."""

    CSS_PATH = ["checkin.tcss", "../widgets/keys_help.tcss"]

    BINDINGS = [
        Binding("enter", "save", "Save", priority=True, tooltip="Save the check-in"),
        Binding("escape", "skip", "Skip", tooltip="Skip: nothing is saved"),
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
        Binding("f1", "app.toggle_help", "Help"),
    ]
    KEYS_HELP = (
        ("0–9", "Type a score, 0–10, in its box (10 is 1 then 0)"),
        ("Tab ⇧Tab", "Next / previous question"),
        ("Space", "Tick a place or a warning sign; choose an answer"),
    )

    def __init__(self, kind: CheckinKind, subtitle: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.subtitle = subtitle

    @property
    def full(self) -> bool:
        """After a walk and alone: every field; before a walk: pain and stiffness only."""
        return self.kind is not CheckinKind.BEFORE

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="checkin"):
            yield Static(TITLES[self.kind], id="checkin-title")
            if self.subtitle:
                yield Static(self.subtitle, id="checkin-subtitle", markup=False)
            yield from self._score_field(PAIN)
            yield from self._score_field(STIFFNESS)
            if self.full:
                yield Label("Where is it? (Space to tick any)", classes="question")
                yield TickList(
                    *((where.value, where.name) for where in Where), id="where", compact=True
                )
            if self.kind is CheckinKind.AFTER:
                yield Label(CHANGE_QUESTION, classes="question")
                with RadioSet(id="change", compact=True):
                    for change in Change:
                        yield ChoiceButton(change.label, name=change.name)
                yield from self._score_field(EFFORT)
            if self.full:
                yield Label(
                    "Warning signs: tick any you have now (Space)", classes="question warning"
                )
                yield TickList(
                    *((sign.value, sign.name) for sign in WarningSign), id="signs", compact=True
                )
                yield Static(URGENT_ADVICE, id="advice", classes="hidden")
            yield Label("Notes (optional)", classes="question")
            yield Input(placeholder="anything worth remembering", id="notes", max_length=NOTES_MAX)
            yield Static("", id="checkin-error", markup=False)
        yield KeyFooter()

    def _score_field(self, scale: Scale) -> ComposeResult:
        with Horizontal(classes="score-row"):
            yield Input(
                placeholder="0–10",
                id=scale.key,
                classes="score",
                restrict=r"\d{0,2}",
                max_length=2,
                compact=True,
            )
            yield Label(f"{scale.question} ({scale.hint})", classes="score-question")

    def on_mount(self) -> None:
        self.query_one("#pain", Input).focus()

    # -- reading the form ------------------------------------------------------------

    def _score(self, scale: Scale) -> int | None:
        fields = self.query(f"#{scale.key}")
        if not fields:
            return None
        value = fields.first(Input).value.strip()
        return check_score(scale, value) if value else None

    def answers(self) -> Checkin:
        """The form's answers; ValueError with a one-line message if a value is wrong."""
        where: frozenset[Where] = frozenset()
        signs: frozenset[WarningSign] = frozenset()
        change = None
        effort = None
        if self.full:
            where = frozenset(Where[n] for n in self.query_one("#where", SelectionList).selected)
            signs = frozenset(
                WarningSign[n] for n in self.query_one("#signs", SelectionList).selected
            )
        if self.kind is CheckinKind.AFTER:
            pressed = self.query_one("#change", RadioSet).pressed_button
            change = Change[pressed.name] if pressed is not None and pressed.name else None
            effort = self._score(EFFORT)
        return Checkin(
            pain=self._score(PAIN),
            stiffness=self._score(STIFFNESS),
            where=where,
            change=change,
            effort=effort,
            warning_signs=signs,
            notes=check_notes(self.query_one("#notes", Input).value),
        )

    # -- events ----------------------------------------------------------------------

    @on(SelectionList.SelectedChanged, "#signs")
    def _signs_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        self.query_one("#advice").set_class(not event.selection_list.selected, "hidden")

    @on(Input.Changed)
    def _clear_error(self) -> None:
        self.query_one("#checkin-error", Static).update("")

    def _error(self, message: str) -> None:
        self.query_one("#checkin-error", Static).update(message)

    def action_save(self) -> None:
        try:
            answers = self.answers()
        except ValueError as exc:
            message = str(exc)
            self._error(message[0].upper() + message[1:] + ".")
            return
        if answers.is_empty:
            self._error("Answer at least one question, or press Escape to skip.")
            return
        if answers.flagged:

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.dismiss(answers)

            self.app.push_screen(UrgentAdviceScreen(), confirmed)
            return
        self.dismiss(answers)

    def action_skip(self) -> None:
        self.dismiss(None)


class UrgentAdviceScreen(ModalScreen[bool]):
    """The urgent-care advice, acknowledged before a flagged check-in is saved."""

    CSS_PATH = "checkin.tcss"

    BINDINGS = [
        Binding("enter", "answer(True)", "Save check-in", priority=True),
        Binding("escape", "answer(False)", "Back to the form"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="urgent"):
            yield Static("⚠ Warning signs", id="urgent-title")
            yield Static(URGENT_ADVICE, id="urgent-text")
            yield Static("This check-in will be flagged in your history.", id="urgent-note")
            yield Button("Save check-in (Enter)", id="urgent-save", variant="error")

    @on(Button.Pressed, "#urgent-save")
    def _save(self) -> None:
        self.dismiss(True)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
