"""Small widgets of the walk screen, each updated only when what it shows changes."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
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


class StrideView(Horizontal):
    """The stride line and the three phase rows, split so a beat repaints little.

    Per step only the one-line stride changes; per phase only the narrow label column
    (the ▶ marker and the active label's style); the cues only when they rotate.
    Styles come from component classes (theme-aware), not from toggling CSS classes,
    which would restyle rows six times a second.
    """

    COMPONENT_CLASSES = {"stride--active", "stride--idle", "stride--foot"}

    def compose(self) -> ComposeResult:
        with Vertical(id="stride-column"):
            yield Line("", id="stride-line")
            with Horizontal(id="phase-rows"):
                yield Line("", id="phase-labels")
                yield Line("", id="phase-cues")

    def on_mount(self) -> None:
        self._line = self.query_one("#stride-line", Line)
        self._labels = self.query_one("#phase-labels", Line)
        self._cues = self.query_one("#phase-cues", Line)
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
        line = Text()
        line.append(FOOT_MARK[state.foot], style=foot_style)
        line.append(f"  ·  {state.arm.value} arm swings forward  ·  step {state.step + 1:,}")
        self._line.show(line)
        labels = Text()
        for phase in PHASES:
            active = phase is state.phase
            if labels:
                labels.append("\n")
            mark = ACTIVE_MARK if active else " "
            labels.append(f"{mark} {phase.label}", active_style if active else idle_style)
        self._labels.show(labels)
        self._cues.show("\n".join(state.cues))

    @property
    def text(self) -> str:
        """What the rows say, line by line: the stride, then each phase with its cue."""
        labels = str(self._labels.render()).splitlines()
        cues = str(self._cues.render()).splitlines()
        rows = [f"{label:<15}{cue}" for label, cue in zip(labels, cues, strict=False)]
        return "\n".join([str(self._line.render()), *rows])
