"""The command palette: walk, edit, copy, rename or delete a routine; new routine,
history, check in.

Only what makes sense now is offered: nothing that would start a second walk while one
is running, and nothing at all on top of the editor's unsaved work. The list is built
once when the palette opens (the routine folders are read then, not at each keystroke).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from coach.library.routines import Origin, list_routines
from coach.tui.typed import coach_app

Command = tuple[str, Callable[[], object], str]


class CoachCommands(Provider):
    """Commands named in the walker's words."""

    commands: list[Command] = []

    async def startup(self) -> None:
        self.commands = self._available()

    def _available(self) -> list[Command]:
        app = coach_app(self)
        if app.walking or app.editing_with_changes:
            # Mid-walk (or a preview), the walk's own keys are the commands; over unsaved
            # edits, nothing should open another screen.
            return []
        from coach.tui import routine_actions  # (its dialogs) once the palette is opened

        commands: list[Command] = [
            ("History", app.action_history, "Walks, check-ins and what walking does for your pain"),
            ("Check in", app.action_checkin, "Record how your back feels now"),
            ("New routine", app.action_new_routine, "Write a routine of your own"),
        ]
        for entry in list_routines():
            commands.append(
                (f"Walk: {entry.id}", partial(app.start_walk, entry), "Start this routine")
            )
            commands.append(
                (f"Edit: {entry.id}", partial(app.edit_routine, entry), "Open in the editor")
            )
            commands.append(
                (
                    f"Copy: {entry.id}",
                    partial(routine_actions.copy_routine, app, entry),
                    "Make a copy of your own, under a new name",
                )
            )
            if entry.origin is Origin.MINE:  # built-ins are never renamed or deleted
                commands.append(
                    (
                        f"Rename: {entry.id}",
                        partial(routine_actions.rename_routine, app, entry),
                        "Give your routine a new id (its file name)",
                    )
                )
                shadowing = " (the built-in comes back)" if entry.shadows_builtin else ""
                commands.append(
                    (
                        f"Delete: {entry.id}",
                        partial(routine_actions.delete_routine, app, entry),
                        f"Delete your routine, after asking{shadowing}",
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands[:3]:
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
