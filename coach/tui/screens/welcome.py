"""First run: what coach is, that it is not medical advice, where data lives."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from coach.core.text import visible_text
from coach.paths import config_path, database_path, user_routines_dir

NOT_MEDICAL_ADVICE = (
    "coach is not medical advice. If your back pain is severe or new, or comes with "
    "numbness, weakness, fever, or trouble with bladder or bowels, see a doctor."
)


class WelcomeScreen(ModalScreen[None]):
    """Shown once, on the first run."""

    CSS_PATH = "welcome.tcss"

    BINDINGS = [Binding("enter,escape", "close", "Start")]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static("Welcome to coach", id="welcome-title")
            with VerticalScroll(id="welcome-body"):
                yield Static(
                    "coach guides every step at your routine's cadence (heel strike, hip "
                    "rotation, arm swing) and asks how your back feels before and after, "
                    "so your own data shows whether walking helps.",
                    markup=False,
                )
                yield Static(NOT_MEDICAL_ADVICE, id="welcome-advice", markup=False)
                # A folder's name may hold anything, escape sequences too: shown, not sent.
                yield Static(
                    f"Your data stays on this machine:\n"
                    f"  walks and check-ins  {visible_text(str(database_path()))}\n"
                    f"  settings             {visible_text(str(config_path()))}\n"
                    f"  your routines        {visible_text(str(user_routines_dir()))}",
                    markup=False,
                    id="welcome-paths",
                )
                yield Static(
                    "Your own routine: press n on the home screen, or run "
                    "`coach routines new my-walk`. The README explains every key.",
                    markup=False,
                )
            yield Button("Start (Enter)", id="welcome-start", variant="primary", compact=True)

    @on(Button.Pressed, "#welcome-start")
    def action_close(self) -> None:
        self.dismiss(None)
