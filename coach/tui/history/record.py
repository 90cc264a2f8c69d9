"""One history entry in full: the walk and both check-ins, with notes to edit or delete.

The record scrolls (keys and wheel) when it is taller than the terminal. A walk without
an after check-in can have one filled in here. Dismisses True if anything was changed
(so the history reloads), else False.
"""

from __future__ import annotations

import io
from enum import Enum

from rich.console import Console
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from coach.core.checkin import URGENT_ADVICE, Checkin, check_notes
from coach.core.records import CheckinKind, HistoryEntry
from coach.core.routine.durations import format_clock
from coach.core.text import visible_text
from coach.core.wording import FLAG_MARK, pain_mark, reading, signed
from coach.store import Store, StoreError
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.widgets.key_footer import KeyFooter
from coach.tui.widgets.keys_help import ListsItsKeys

LABEL_WIDTH = 15
MIN_VALUE_WIDTH = 12  # narrower than this, values wrap under their labels instead
_MEASURE = Console(file=io.StringIO(), color_system=None)  # Text.wrap wants a console


class RecordText:
    """The record as styled plain text, each value wrapped beside its label.

    With a width, a value that wraps (a long note, many places) continues under its
    first line, not under the label; without one, the widget wraps as it can.
    """

    def __init__(self, width: int | None = None) -> None:
        self.text = Text()
        self.width = width

    def line(self, value: str | Text, style: str = "", indent: int = 0) -> None:
        """A paragraph of its own, indented by `indent` on every wrapped line."""
        self._append(Text(value, style=style) if isinstance(value, str) else value, indent)

    def field(self, label: str, value: str | Text, indent: str = "  ") -> None:
        if isinstance(value, str):
            value = Text(visible_text(value))  # plain: Text never reads markup
        self.text.append(f"{indent}{label:<{LABEL_WIDTH}}", style="bold")
        self._append(value, len(indent) + LABEL_WIDTH, first_indented=False)

    def _append(self, value: Text, indent: int, first_indented: bool = True) -> None:
        pad = " " * indent
        room = None if self.width is None else self.width - indent
        if room is None or room < MIN_VALUE_WIDTH:
            lines = value.split("\n", allow_blank=True)
        else:
            lines = value.wrap(_MEASURE, room)
        for number, line in enumerate(lines):
            if number or first_indented:
                self.text.append(pad)
            line.rstrip()
            self.text.append_text(line)
            self.text.append("\n")


def _score(value: int | None) -> str:
    return "–" if value is None else f"{value}/10"


def checkin_text(record: RecordText, heading: str, answers: Checkin, after_walk: bool) -> None:
    """Every answer of one check-in, user text shown as written."""
    record.line("")
    record.line(heading, style="bold underline")
    scores = f"pain {_score(answers.pain)} · stiffness {_score(answers.stiffness)}"
    if after_walk:
        scores += f" · effort {_score(answers.effort)}"
    record.field("Scores", scores)
    if after_walk:
        record.field("Change", answers.change.label if answers.change else "not answered")
    where = ", ".join(w.value for w in sorted(answers.where, key=list_index))
    record.field("Where", where or "–")
    if answers.warning_signs:
        signs = Text("\n").join(
            Text(f"{FLAG_MARK} {sign.value}", style="bold red")
            for sign in sorted(answers.warning_signs, key=list_index)
        )
        record.field("Warning signs", signs)
        record.line(URGENT_ADVICE, style="bold", indent=2)
    else:
        record.field("Warning signs", "none")
    record.field("Notes", answers.notes or "–")


def list_index(member: Enum) -> int:
    """Sort enum members in their declared order."""
    return list(type(member)).index(member)


def record_text(entry: HistoryEntry, width: int | None = None) -> Text:
    """The whole record of a walk or a lone check-in, as plain text with styling."""
    when = entry.started.astimezone().strftime("%A %d %B %Y, %H:%M")
    record = RecordText(width)
    if not entry.is_walk:
        record.line(f"Check-in on {when}", style="bold")
        record.line("A check-in on its own, not part of a walk.")
        if entry.after is not None:
            checkin_text(record, "Your back", entry.after, after_walk=False)
        record.text.rstrip()
        return record.text
    if entry.logged:
        record.line(f"Walk logged for {when}", style="bold")
        record.line("Logged with coach log after the walk, not guided by coach.")
        routine = f"{entry.routine_name} ({entry.routine_id})" if entry.routine_id else "–"
        record.field("Routine", routine, indent="")
    else:
        record.line(f"Walk on {when}", style="bold")
        record.field("Routine", f"{entry.routine_name} ({entry.routine_id})", indent="")
        record.field("Status", entry.status.label if entry.status else "–", indent="")
    walked = format_clock(entry.walked_seconds or 0)
    if not entry.logged:
        walked += f" of {format_clock(entry.planned_seconds or 0)} planned"
    record.field("Walked", walked, indent="")
    if entry.moderate_seconds is not None and entry.easy_seconds is not None:
        moderate, easy = entry.moderate_seconds / 60, entry.easy_seconds / 60
        record.field("Intensity", f"{moderate:.0f} min moderate · {easy:.0f} min easy", indent="")
    change = entry.pain_change
    if change is not None:
        assert entry.before is not None and entry.after is not None
        summary = Text(f"{reading(entry.before.pain, entry.after.pain)} ({signed(change, 0)})")
        mark = pain_mark(entry)
        if mark is not None:
            summary.append(f"  {mark.symbol} {mark.words}", style=mark.style)
        record.field("Pain change", summary, indent="")
    if entry.before is None and entry.after is None:
        record.line("")
        record.line("No check-in was recorded for this walk.")
    if entry.before is not None:
        checkin_text(record, "Before the walk", entry.before, after_walk=False)
    if entry.after is not None:
        checkin_text(record, "After the walk", entry.after, after_walk=True)
    else:
        record.line("")
        record.line("No check-in after this walk: c fills it in.", style="italic")
    record.text.rstrip()
    return record.text


class RecordBody(Static):
    """The record, wrapped for the width it is given (again after a resize)."""

    def __init__(self, entry: HistoryEntry, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry = entry

    def show(self, entry: HistoryEntry) -> None:
        self.entry = entry
        self.refresh(layout=True)

    def render(self) -> Text:
        width = self.content_size.width
        return record_text(self.entry, width if width > 0 else None)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(record_text(self.entry, width).wrap(_MEASURE, max(width, 1)))


class RecordScreen(ListsItsKeys, ModalScreen[bool]):
    """Shows one walk or lone check-in; `e` edits its notes, `d` deletes it."""

    CSS_PATH = ["record.tcss", "../widgets/keys_help.tcss"]
    BINDINGS = [
        Binding("e", "edit", "Edit notes", tooltip="Edit the notes (a walk's: after, else before)"),
        Binding("c", "fill_in", "Check in", tooltip="Fill in the missing after-walk check-in"),
        Binding("d", "delete", "Delete", tooltip="Delete this record (asks first)"),
        Binding("ctrl+s", "save", "Save notes"),
        # Escape cancels an edit, else closes: only one of the two is active at a time.
        Binding("escape", "cancel_edit", "Cancel"),
        Binding("escape,q", "close", "Close"),
        Binding("question_mark", "app.toggle_help", "Help"),
    ]
    KEYS_HELP = (("↑ ↓ PgUp PgDn Home End", "scroll the record (or the mouse wheel)"),)

    def __init__(self, store: Store, entry: HistoryEntry) -> None:
        super().__init__()
        self.store = store
        self.entry = entry
        self.changed = False
        self.editing = False

    def compose(self) -> ComposeResult:
        with Vertical(id="record"):
            with VerticalScroll(id="record-scroll"):
                yield RecordBody(self.entry, id="record-body")
            yield TextArea(id="notes-editor", soft_wrap=True)
            yield Static("", id="record-message", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#record-scroll").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "cancel_edit"):
            return self.editing
        if action == "fill_in":
            return not self.editing and self.entry.is_walk and self.entry.after is None
        if action in ("edit", "delete", "close"):
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
            self._say(
                "This walk has no check-in, so there are no notes to edit: c fills one in.",
                error=True,
            )
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
            entry = entry._replace(before=entry.before._replace(notes=notes))
        elif entry.after is not None:
            entry = entry._replace(after=entry.after._replace(notes=notes))
        self.entry = entry
        self.changed = True
        self.query_one("#record-body", RecordBody).show(entry)
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

    def action_cancel_edit(self) -> None:
        if self.editing:
            self._stop_editing()
            self._say("Editing cancelled; the notes were not changed.")

    def action_close(self) -> None:
        self.dismiss(self.changed)

    # -- filling in a missing after-walk check-in ------------------------------------

    def action_fill_in(self) -> None:
        """Open the after-walk check-in for a walk that has none (declined or missed)."""
        from coach.tui.screens.checkin import CheckinScreen

        entry = self.entry
        if not entry.is_walk or entry.after is not None:
            return
        when = entry.started.astimezone().strftime("%a %d %b %H:%M")
        name = visible_text(entry.routine_name or entry.routine_id or "")

        def answered(answers: Checkin | None) -> None:
            if answers is not None:
                self.changed = True  # the history reloads even if the dialog closes first
                self._save_after(answers)

        self.app.push_screen(CheckinScreen(CheckinKind.AFTER, f"For: {name}, {when}"), answered)

    @work(thread=True, exclusive=True, group="record-write")
    def _save_after(self, answers: Checkin) -> None:
        walk_id = self.entry.walk_id
        try:
            checkin_id = self.store.add_checkin(CheckinKind.AFTER, answers, walk_id)
        except StoreError as exc:
            self.app.call_from_thread(self._say, f"The check-in was not saved: {exc}", True)
            return
        self.app.call_from_thread(self._after_saved, checkin_id, answers)

    def _after_saved(self, checkin_id: int, answers: Checkin) -> None:
        if not self.is_attached:
            return
        self.entry = self.entry._replace(after=answers, after_id=checkin_id)
        self.query_one("#record-body", RecordBody).show(self.entry)
        self.refresh_bindings()
        self._say("Check-in saved.")
