"""One history entry in full: the walk and both check-ins, with notes to edit or delete.

Dismisses True if anything was changed (so the history reloads), else False.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from coach.core.checkin import URGENT_ADVICE, Checkin, check_notes
from coach.core.records import HistoryEntry
from coach.core.routine.durations import format_clock
from coach.core.text import visible_text
from coach.core.wording import FLAG_MARK, pain_mark, reading, signed
from coach.store import Store, StoreError
from coach.tui.screens.dialogs import ConfirmScreen

LABEL_WIDTH = 15


def _field(text: Text, label: str, value: str | Text, indent: str = "  ") -> None:
    text.append(f"{indent}{label:<{LABEL_WIDTH}}", style="bold")
    if isinstance(value, str):
        # Later lines of a multi-line note line up under the first.
        value = visible_text(value).replace("\n", "\n" + " " * (len(indent) + LABEL_WIDTH))
    text.append(value)  # plain: Text.append never reads markup
    text.append("\n")


def _score(value: int | None) -> str:
    return "–" if value is None else f"{value}/10"


def checkin_text(text: Text, heading: str, answers: Checkin, after_walk: bool) -> None:
    """Every answer of one check-in, user text shown as written."""
    text.append(f"\n{heading}\n", style="bold underline")
    scores = f"pain {_score(answers.pain)} · stiffness {_score(answers.stiffness)}"
    if after_walk:
        scores += f" · effort {_score(answers.effort)}"
    _field(text, "Scores", scores)
    if after_walk:
        _field(text, "Change", answers.change.label if answers.change else "not answered")
    _field(text, "Where", ", ".join(w.value for w in sorted(answers.where, key=list_index)) or "–")
    if answers.warning_signs:
        pad = " " * (2 + LABEL_WIDTH)
        signs = Text(f"\n{pad}").join(
            Text(f"{FLAG_MARK} {sign.value}", style="bold red")
            for sign in sorted(answers.warning_signs, key=list_index)
        )
        _field(text, "Warning signs", signs)
        text.append(f"  {URGENT_ADVICE}\n", style="bold")
    else:
        _field(text, "Warning signs", "none")
    _field(text, "Notes", answers.notes or "–")


def list_index(member: Enum) -> int:
    """Sort enum members in their declared order."""
    return list(type(member)).index(member)


def record_text(entry: HistoryEntry) -> Text:
    """The whole record of a walk or a lone check-in, as plain text with styling."""
    when = entry.started.astimezone().strftime("%A %d %B %Y, %H:%M")
    text = Text()
    if not entry.is_walk:
        text.append(f"Check-in on {when}\n", style="bold")
        text.append("A check-in on its own, not part of a walk.\n")
        if entry.after is not None:
            checkin_text(text, "Your back", entry.after, after_walk=False)
        return text
    if entry.logged:
        text.append(f"Walk logged for {when}\n", style="bold")
        text.append("Logged with coach log after the walk, not guided by coach.\n")
        routine = f"{entry.routine_name} ({entry.routine_id})" if entry.routine_id else "–"
        _field(text, "Routine", routine, indent="")
    else:
        text.append(f"Walk on {when}\n", style="bold")
        _field(text, "Routine", f"{entry.routine_name} ({entry.routine_id})", indent="")
        _field(text, "Status", entry.status.label if entry.status else "–", indent="")
    walked = format_clock(entry.walked_seconds or 0)
    _field(
        text,
        "Walked",
        walked
        if entry.logged
        else f"{walked} of {format_clock(entry.planned_seconds or 0)} planned",
        indent="",
    )
    if entry.moderate_seconds is not None and entry.easy_seconds is not None:
        moderate, easy = entry.moderate_seconds / 60, entry.easy_seconds / 60
        _field(text, "Intensity", f"{moderate:.0f} min moderate · {easy:.0f} min easy", indent="")
    change = entry.pain_change
    if change is not None:
        assert entry.before is not None and entry.after is not None
        summary = Text(f"{reading(entry.before.pain, entry.after.pain)} ({signed(change, 0)})")
        mark = pain_mark(entry)
        if mark is not None:
            summary.append(f"  {mark.symbol} {mark.words}", style=mark.style)
        _field(text, "Pain change", summary, indent="")
    if entry.before is None and entry.after is None:
        text.append("\nNo check-in was recorded for this walk.\n")
    if entry.before is not None:
        checkin_text(text, "Before the walk", entry.before, after_walk=False)
    if entry.after is not None:
        checkin_text(text, "After the walk", entry.after, after_walk=True)
    text.rstrip()
    return text


class RecordScreen(ModalScreen[bool]):
    """Shows one walk or lone check-in; `e` edits its notes, `d` deletes it."""

    CSS_PATH = "record.tcss"
    BINDINGS = [
        Binding("e", "edit", "Edit notes"),
        Binding("d", "delete", "Delete"),
        Binding("escape,q", "close", "Close"),
        Binding("ctrl+s", "save", "Save notes"),
    ]

    def __init__(self, store: Store, entry: HistoryEntry) -> None:
        super().__init__()
        self.store = store
        self.entry = entry
        self.changed = False
        self.editing = False

    def compose(self) -> ComposeResult:
        with Vertical(id="record"):
            with VerticalScroll(id="record-scroll"):
                yield Static(record_text(self.entry), id="record-body")
            yield TextArea(id="notes-editor", soft_wrap=True)
            yield Static("", id="record-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#record-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.editing
        if action in ("edit", "delete"):
            return not self.editing
        return True

    @property
    def notes_target(self) -> tuple[int, Checkin] | None:
        """The check-in whose notes `e` edits: a walk's after check-in, else its before."""
        entry = self.entry
        if not entry.is_walk:
            if entry.checkin_id is None or entry.after is None:
                return None
            return entry.checkin_id, entry.after
        if entry.after_id is not None and entry.after is not None:
            return entry.after_id, entry.after
        if entry.before_id is not None and entry.before is not None:
            return entry.before_id, entry.before
        return None

    def _say(self, message: str, error: bool = False) -> None:
        if not self.is_attached:
            return  # closed while a save was under way
        line = self.query_one("#record-message", Static)
        line.update(message)
        line.set_class(error, "error")

    def action_edit(self) -> None:
        target = self.notes_target
        if target is None:
            self._say("This walk has no check-in, so there are no notes to edit.", error=True)
            return
        which = "this check-in"
        if self.entry.is_walk:
            which = (
                "the after-walk check-in"
                if target[0] == self.entry.after_id
                else "the before-walk check-in"
            )
        editor = self.query_one("#notes-editor", TextArea)
        editor.load_text(visible_text(target[1].notes))  # as the record shows them
        editor.move_cursor(editor.document.end)
        editor.add_class("shown")
        editor.focus()
        self.editing = True
        self.refresh_bindings()
        self._say(f"Notes of {which} · ctrl+s to save · escape to cancel")

    def _stop_editing(self) -> None:
        self.editing = False
        self.query_one("#notes-editor", TextArea).remove_class("shown")
        self.query_one("#record-scroll").focus()
        self.refresh_bindings()

    def action_save(self) -> None:
        target = self.notes_target
        if not self.editing or target is None:
            return
        try:
            notes = check_notes(self.query_one("#notes-editor", TextArea).text)
        except ValueError as exc:
            self._say(str(exc), error=True)
            return
        self.changed = True  # the history reloads even if the dialog closes mid-save
        self._save_notes(target[0], notes)

    @work(thread=True, exclusive=True, group="record-write")
    def _save_notes(self, checkin_id: int, notes: str) -> None:
        try:
            self.store.update_notes(checkin_id, notes)
        except StoreError as exc:
            self.app.call_from_thread(self._say, str(exc), True)
            return
        self.app.call_from_thread(self._notes_saved, checkin_id, notes)

    def _notes_saved(self, checkin_id: int, notes: str) -> None:
        if not self.is_attached:
            return
        entry = self.entry
        if entry.is_walk and checkin_id == entry.before_id and entry.before is not None:
            entry = replace(entry, before=replace(entry.before, notes=notes))
        elif entry.after is not None:
            entry = replace(entry, after=replace(entry.after, notes=notes))
        self.entry = entry
        self.changed = True
        self.query_one("#record-body", Static).update(record_text(entry))
        self._stop_editing()
        self.query_one("#record-scroll").scroll_end(animate=False)  # the notes are last
        self._say("Notes saved.")

    def action_delete(self) -> None:
        entry = self.entry
        when = entry.started.astimezone().strftime("%Y-%m-%d %H:%M")
        if entry.is_walk:
            question = (
                f"Delete the walk of {when} ({entry.routine_id}) and its check-ins? "
                "This cannot be undone."
            )
        else:
            question = f"Delete the check-in of {when}? This cannot be undone."

        def answered(yes: bool | None) -> None:
            if yes:
                self.changed = True  # even if the dialog is closed before the delete ends
                self._delete()

        self.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), answered)

    @work(thread=True, exclusive=True, group="record-write")
    def _delete(self) -> None:
        entry = self.entry
        try:
            if entry.walk_id is not None:
                self.store.delete_walk(entry.walk_id)
            elif entry.checkin_id is not None:
                self.store.delete_checkin(entry.checkin_id)
        except StoreError as exc:
            self.app.call_from_thread(self._say, str(exc), True)
            return
        self.app.call_from_thread(self._deleted)

    def _deleted(self) -> None:
        if self.is_current:
            self.dismiss(True)

    def action_close(self) -> None:
        if self.editing:
            self._stop_editing()
            self._say("Editing cancelled; the notes were not changed.")
            return
        self.dismiss(self.changed)
