"""The command palette: walk or edit a routine, new routine, history, check in.

Only what makes sense now is offered: nothing that would start a second walk while one
is running, and nothing at all on top of the editor's unsaved work.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from coach.library.routines import list_routines


class CoachCommands(Provider):
    """Commands named in the walker's words."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        walking = any(hasattr(screen, "session") for screen in app.screen_stack)
        if walking or getattr(app.screen, "dirty", False):
            # Mid-walk (or a preview), the walk's own keys are the commands; over unsaved
            # edits, nothing should open another screen.
            return []
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("History", app.action_history, "Walks, check-ins and what helps your back"),  # type: ignore[attr-defined]
            ("Check in", app.action_checkin, "Record how your back feels now"),  # type: ignore[attr-defined]
            ("New routine", app.action_new_routine, "Write a routine of your own"),  # type: ignore[attr-defined]
        ]
        for entry in list_routines():
            commands.append(
                (f"Walk: {entry.id}", partial(app.start_walk, entry), "Start this routine")  # type: ignore[attr-defined]
            )
            commands.append(
                (f"Edit: {entry.id}", partial(app.edit_routine, entry), "Open in the editor")  # type: ignore[attr-defined]
            )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands()[:3]:
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
