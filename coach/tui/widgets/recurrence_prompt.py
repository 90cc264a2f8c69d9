"""The monthly recurrence question (SPEC §10) as a prompt on home: y, n, or later.

Self-contained: it reads the store when mounted and stays hidden unless the question is
due (`coach.core.recurrence.recurrence_due`). When shown it takes the focus, so its keys
answer it; Tab or ↓ leaves it for later in the session, `l` or Escape puts it off until
the next start, and y / n store the answer (asked again a month later).
"""

from __future__ import annotations

from datetime import date, datetime

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from coach.core.recurrence import RECURRENCE_QUESTION, recurrence_due
from coach.store import StoreError, utc_now
from coach.tui.typed import coach_app


def _local_day(at: str) -> date:
    return datetime.fromisoformat(at).astimezone().date()


class RecurrencePrompt(Static, can_focus=True):
    """One question, three keys; hidden when not due or once answered."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("l,escape", "later", "Later"),
        Binding("tab,down", "leave", "Leave it", show=False),
    ]

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.asked_at: str | None = None
        self._focus_before: Widget | None = None

    def on_mount(self) -> None:
        self.display = False
        # After the first frame: its thread would compete with that frame for the GIL.
        self.call_after_refresh(self._check)

    @work(thread=True, exclusive=True, group="recurrence")
    def _check(self) -> None:
        app = coach_app(self)
        if app.store is None:
            return
        try:
            answers = app.store.episode_answers()
            first_use = app.store.first_use()
        except StoreError:
            return  # the question can wait for a database that answers
        last = _local_day(answers[-1].answered_at) if answers else None
        first = _local_day(first_use) if first_use else None
        if recurrence_due(last, first, app.today()):
            self.app.call_from_thread(self._ask)

    def _ask(self) -> None:
        if not self.is_attached:
            return
        self.asked_at = utc_now()
        text = Text()
        text.append("? ", style="bold")
        text.append(RECURRENCE_QUESTION, style="bold")
        text.append("  y yes · n no · l later", style="dim")
        self.update(text)
        self.display = True
        self._focus_before = self.screen.focused
        self.focus()

    def action_answer(self, episode: bool) -> None:
        self._close()
        self._save(episode, self.asked_at)

    @work(thread=True, group="recurrence-save")
    def _save(self, episode: bool, asked_at: str | None) -> None:
        app = coach_app(self)
        if app.store is None:
            return
        try:
            app.store.add_episode_answer(episode, asked_at)
        except StoreError as exc:
            message = f"Your answer was not saved: {exc}. You will be asked again next time."
            self.app.call_from_thread(self.app.notify, message, severity="error", markup=False)
            return
        said = "an episode" if episode else "no episode"
        self.app.call_from_thread(
            self.app.notify,
            f"Saved: {said} in the past month. Asked again in a month.",
            markup=False,
        )

    def action_later(self) -> None:
        self._close()

    def action_leave(self) -> None:
        """Back to where the focus was; the question stays for later."""
        self._restore_focus()

    def _close(self) -> None:
        self.display = False
        self._restore_focus()

    def _restore_focus(self) -> None:
        before = self._focus_before
        if before is not None and before.is_attached and before is not self:
            before.focus()
        else:
            self.screen.focus_next()
