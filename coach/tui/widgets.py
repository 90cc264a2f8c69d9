"""Small widgets of the walk screen, each updated only when what it shows changes."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from coach.engine import Foot, WalkState
from coach.routine.model import PHASES


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

    _drawn: tuple[object, ...] = ()

    def set_progress(self, label: str, fraction: float, suffix: str) -> None:
        width = max(4, self.size.width - len(label) - len(suffix) - 2)
        filled = round(width * min(max(fraction, 0.0), 1.0))
        key = (label, width, filled, suffix)
        if key == self._drawn:
            return  # nothing visible changed: skip building the text
        self._drawn = key
        text = Text(label + " ")
        text.append("█" * filled, style="bold")
        text.append("░" * (width - filled), style="dim")
        text.append(" " + suffix)
        self.show(text)


ACTIVE_MARK = "▶"
FOOT_MARK = {Foot.LEFT: "◀ LEFT foot", Foot.RIGHT: "RIGHT foot ▶"}


class StrideView(Line):
    """The stride line and the three phase rows as one widget: one repaint per beat.

    The active phase is marked by ▶ and styled through a component class (theme-aware),
    not by toggling CSS classes, which would restyle rows six times a second.
    """

    COMPONENT_CLASSES = {"stride--active", "stride--idle", "stride--foot"}

    def on_mount(self) -> None:
        self._styles_cached = False

    def _styles(self) -> tuple[Style, Style, Style]:
        if not getattr(self, "_styles_cached", False):
            self._active = self.get_component_rich_style("stride--active")
            self._idle = self.get_component_rich_style("stride--idle")
            self._foot = self.get_component_rich_style("stride--foot")
            self._styles_cached = True
        return self._active, self._idle, self._foot

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_cached = False  # the theme changed: read the styles again

    def show_state(self, state: WalkState) -> None:
        active_style, idle_style, foot_style = self._styles()
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(FOOT_MARK[state.foot], style=foot_style)
        text.append(f"  ·  {state.arm.value} arm swings forward  ·  step {state.step + 1:,}")
        for phase in PHASES:
            active = phase is state.phase
            style = active_style if active else idle_style
            text.append("\n")
            mark = ACTIVE_MARK if active else " "
            text.append(f"{mark} {phase.label:<13}{state.cue(phase)}", style)
        self.show(text)
