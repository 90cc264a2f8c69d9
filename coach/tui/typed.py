"""The app as its screens know it: `coach_app(self)` is the CoachApp, typed.

Screens and widgets reach the app's store, config and actions through this one accessor
rather than `getattr` or `# type: ignore` (as darrenburns/posting does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.dom import DOMNode

    from coach.tui.app import CoachApp


def coach_app(node: DOMNode | Provider) -> CoachApp:
    """The running CoachApp of a screen, widget or command provider."""
    return cast("CoachApp", node.app)
