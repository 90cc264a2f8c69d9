"""The warning signs before the day's first walk (SPEC §4): one screen, "none" in one key.

Enter (or n) with nothing ticked: none of these, and the walk goes on. Space on a sign, or
its number 1–6, ticks it and shows the urgent-care advice at once; Enter then asks
whether to walk anyway (y) or not (n, Escape), and the walk starts only after y. Escape on
this screen goes back without walking.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from coach.core.checkin import BEFORE_WALK_ADVICE, WARNING_SIGNS_QUESTION, WarningSign
from coach.core.wording import FLAG_MARK
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.widgets.key_footer import KeyFooter

SIGNS = tuple(WarningSign)


@dataclass(frozen=True)
class SignsAnswer:
    """The signs ticked (none: "none of these"), and whether the walk is to start."""

    signs: frozenset[WarningSign]
    walk: bool


class SignChecklist(Widget, can_focus=True):
    """The six signs, numbered, each ticked `[x]` or not `[ ]`; long ones wrap.

    (Textual's SelectionList marks a tick by colour alone and cuts long lines short.)
    """

    BINDINGS = [
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("space", "tick_highlighted", "Tick"),
    ]

    highlighted: reactive[int] = reactive(0)
    ticked: reactive[frozenset[WarningSign]] = reactive(frozenset())

    class Changed(Message):
        """The ticked signs changed."""

    def render(self) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)  # ▶ on the highlighted sign
        grid.add_column(width=3, no_wrap=True)  # [x] or [ ]
        grid.add_column(ratio=1)
        for index, sign in enumerate(SIGNS):
            is_ticked = sign in self.ticked
            here = index == self.highlighted
            words = Text(f"{index + 1}. {sign.value}")
            if is_ticked:
                words.append(f"  {FLAG_MARK}", style="bold")
            if here:
                words.stylize("reverse" if self.has_focus else "underline")
            grid.add_row(
                Text("▶" if here and self.has_focus else " "),
                Text("[x]" if is_ticked else "[ ]", style="bold" if is_ticked else ""),
                words,
            )
        return grid

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        self.highlighted = (self.highlighted + step) % len(SIGNS)

    def action_tick_highlighted(self) -> None:
        self.tick(self.highlighted)

    def tick(self, index: int) -> None:
        """Tick sign `index` (0-based), or untick it, and highlight it."""
        self.highlighted = index
        self.ticked = self.ticked ^ {SIGNS[index]}
        self.post_message(self.Changed())


class WarningSignsScreen(Screen["SignsAnswer | None"]):
    """Dismisses with the answer, or None when the person went back without answering."""

    CSS_PATH = "warning_signs.tcss"

    BINDINGS = [
        # One key of each pair is offered at a time (check_action): Enter means "none of
        # these" until a sign is ticked, then "decide whether to walk".
        Binding("enter", "none", "None of these", priority=True),
        Binding("n", "none", "None of these", show=False),
        Binding("enter", "decide", "Walk or not?", priority=True),
        Binding("escape", "cancel", "Don't walk"),
        *(Binding(str(number), f"tick({number})", show=False) for number in range(1, 7)),
    ]

    def __init__(self, subtitle: str = "", first_today: bool = True) -> None:
        super().__init__()
        self.subtitle = subtitle
        self.first_today = first_today

    def compose(self) -> ComposeResult:
        with Vertical(id="warning-signs"):
            yield Static(
                "Before your first walk today"
                if self.first_today
                else "Before you walk again: you ticked a warning sign earlier today",
                id="signs-title",
            )
            if self.subtitle:
                yield Static(self.subtitle, id="signs-subtitle", markup=False)
            yield Static(
                f"{WARNING_SIGNS_QUESTION} Space (or its number) ticks one. "
                "None of them: Enter or n.",
                id="signs-question",
                markup=False,
            )
            yield SignChecklist(id="signs-list")
            yield Static(BEFORE_WALK_ADVICE, id="signs-advice", classes="hidden", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(SignChecklist).focus()

    @property
    def ticked(self) -> frozenset[WarningSign]:
        return self.query_one(SignChecklist).ticked

    @on(SignChecklist.Changed)
    def _ticked_changed(self) -> None:
        self.query_one("#signs-advice").set_class(not self.ticked, "hidden")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "none":
            return not self.ticked
        if action == "decide":
            return bool(self.ticked)
        return True

    def action_tick(self, number: int) -> None:
        self.query_one(SignChecklist).tick(number - 1)

    def action_none(self) -> None:
        self.dismiss(SignsAnswer(frozenset(), walk=True))

    def action_decide(self) -> None:
        ticked = self.ticked

        def decided(walk: bool | None) -> None:
            self.dismiss(SignsAnswer(ticked, walk=bool(walk)))

        self.app.push_screen(
            ConfirmScreen(
                f"⚠ {BEFORE_WALK_ADVICE}\n\nStart the walk anyway?", "Walk anyway", "Don't walk"
            ),
            decided,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
