"""The keys panel: this screen's own keys, what `?` and F1 show.

Textual's help panel lists every binding in reach, the widgets' generic ones too
("Scroll Left", "Copy selected text") and some twice. This one lists the screen's own
bindings (each once, with its tooltip as the longer wording, only those that apply
now), then the screen's `KEYS_HELP` lines for keys its widgets handle (a list's arrows,
a box's Space), then the few keys that work everywhere.

A screen opts in by deriving from `ListsItsKeys` (its `KEYS_HELP` holds (keys, what
they do) lines) and listing `../widgets/keys_help.tcss` (relative to its module) in its
CSS_PATH.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Static

KeyLine = tuple[str, str]
KEYS_WIDTH = 12  # longer key lists wrap within their column

KEY_NAMES = {
    "enter": "Enter",
    "escape": "Esc",
    "question_mark": "?",
    "slash": "/",
    "space": "Space",
    "tab": "Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "plus": "+",
    "minus": "-",
}
EVERYWHERE: tuple[KeyLine, ...] = (
    ("F1", "Show or hide this panel"),
    ("Ctrl+P", "Commands: walk, edit, copy… by name"),
    ("Ctrl+Q", "Quit coach"),
)


def key_name(key: str) -> str:
    """How a person writes a key: `ctrl+s` → `Ctrl+S`, `question_mark` → `?`."""
    *modifiers, base = key.split("+")
    name = KEY_NAMES.get(base) or format_key(base)
    if len(name) == 1 and modifiers:
        name = name.upper()
    elif len(name) > 1 and name[0].isalpha() and name.islower():
        name = name.capitalize()  # f1 → F1
    return "+".join([*(m.capitalize() for m in modifiers), name])


def _as_binding(binding: BindingType) -> Binding:
    return binding if isinstance(binding, Binding) else Binding(*binding)


def binding_lines(screen: Screen[object]) -> list[KeyLine]:
    """The screen's own bindings that apply now: keys and what they do, each action once.

    Keys as bound now: an action remapped in the config (`keys:`) shows its new keys.
    """
    bound: dict[str, list[str]] = {}
    for key, active in screen.active_bindings.items():
        if active.node is screen:
            bound.setdefault(active.binding.action, []).append(key)
    lines: list[KeyLine] = []
    seen: set[str] = set()
    for binding in map(_as_binding, type(screen).BINDINGS):
        if not binding.description or binding.action in seen or binding.key == "f1":
            continue  # F1 is under "Anywhere"
        action, _, _ = binding.action.partition("(")
        if "." not in action and screen.check_action(action, ()) is False:
            continue  # not now (e.g. "Save notes" while not editing)
        seen.add(binding.action)
        declared = [key.strip() for key in binding.key.split(",")]
        now = bound.get(binding.action, declared)
        keys = " ".join(key_name(key) for key in now)  # by name, not the footer's "+/-"
        lines.append((keys, binding.tooltip or binding.description))
    return lines


def keys_table(groups: Iterable[tuple[str, Iterable[KeyLine]]]) -> Group:
    """Each group's title, then its keys beside what they do (wrapped in their column)."""
    parts: list[Text | Table] = []
    for title, lines in groups:
        parts.append(Text(f"\n{title}" if parts else title, style="bold underline"))
        table = Table.grid(padding=(0, 1, 0, 0))
        table.add_column(style="bold", max_width=KEYS_WIDTH)
        table.add_column(ratio=1)
        for keys, does in lines:
            table.add_row(Text(keys), Text(does))  # plain text: never read as markup
        parts.append(table)
    return Group(*parts)


class KeysHelp(VerticalScroll):
    """A panel docked at the right of a screen listing that screen's keys."""

    def __init__(self, screen: Screen[object], extra: tuple[KeyLine, ...]) -> None:
        super().__init__(id="keys-help")
        self.extra = extra
        self.lines = [*binding_lines(screen), *extra]

    def compose(self) -> Iterable[Static]:
        yield Static(self._table(), id="keys-help-text")

    def _table(self) -> Group:
        return keys_table([("Keys on this screen", self.lines), ("Anywhere", EVERYWHERE)])

    def on_mount(self) -> None:
        # What applies changes with the screen's state (a walk's Pause becomes Resume).
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        lines = [*binding_lines(screen), *self.extra]
        if lines != self.lines:
            self.lines = lines
            self.query_one("#keys-help-text", Static).update(self._table())


class ListsItsKeys:
    """A screen whose `?` / F1 shows the keys panel (mixed into a Screen class)."""

    KEYS_HELP: ClassVar[tuple[KeyLine, ...]] = ()


def show_keys_help(screen: Screen[object], show: bool) -> None:
    """Show or hide the keys panel on a screen that lists its keys."""
    shown = screen.query(KeysHelp)
    if not show:
        shown.remove()
        screen.remove_class("-showing-keys")
    elif not shown and isinstance(screen, ListsItsKeys):
        screen.add_class("-showing-keys")
        screen.mount(KeysHelp(screen, screen.KEYS_HELP))
