"""Small widgets of the walk screen, each updated only when what it shows changes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class Line(Static):
    """A Static that skips updates whose content is unchanged (no layout on a beat)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._shown: object = None

    def show(self, content: str | Text, layout: bool = False) -> bool:
        """Update to `content` if it differs; return True if it changed.

        `layout=False` (the default) is for widgets of fixed size: no layout pass per beat.
        """
        key = content if isinstance(content, str) else (content.plain, str(content.spans))
        if key == self._shown:
            return False
        self._shown = key
        self.update(content, layout=layout)
        return True


class Bar(Line):
    """A text progress bar with its label; fill drawn with characters, not colour alone."""

    def set_progress(self, label: str, fraction: float, suffix: str) -> None:
        width = max(4, self.size.width - len(label) - len(suffix) - 2)
        filled = round(width * min(max(fraction, 0.0), 1.0))
        text = Text(label + " ")
        text.append("█" * filled, style="bold")
        text.append("░" * (width - filled), style="dim")
        text.append(" " + suffix)
        self.show(text)
