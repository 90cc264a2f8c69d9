"""Small widgets of the walk screen, each updated only when what it shows changes."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
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


class StrideView(Widget):
    """The stride line and the three phase rows: four lines, each repainted on its own.

    This is the one part of the walk screen that changes six times a second, so it
    draws itself line by line (Textual's line API) and refreshes only the lines whose
    text changed: per step the stride line, per phase the two rows whose ▶ moved, the
    cues only when they rotate. One widget, not a nest of containers, because Textual
    asks every widget under a changed region to render.
    Styles come from component classes (theme-aware), not from toggling CSS classes,
    which would restyle rows six times a second.
    """

    COMPONENT_CLASSES = {"stride--active", "stride--idle", "stride--foot"}
    LABEL_WIDTH = 15

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Each line as (styled part, its component class, plain rest): styles are looked up
        # when a line is drawn, so a theme change restyles what is already shown.
        self._lines: list[tuple[str, str, str]] = [("", "stride--idle", "")] * 4
        # Textual drops its own style cache on every refresh; these change only with CSS.
        self._style_cache: dict[str, Style] = {}
        self._strips: dict[tuple[tuple[str, str, str], int], Strip] = {}

    def show_state(self, state: WalkState) -> None:
        """Show a walk state, repainting only the lines that differ from what is shown."""
        stride = f"  ·  {state.arm.value} arm swings forward  ·  step {state.step + 1:,}"
        lines = [(FOOT_MARK[state.foot], "stride--foot", stride)]
        for phase, cue in zip(PHASES, state.cues, strict=False):
            active = phase is state.phase
            label = f"{ACTIVE_MARK if active else ' '} {phase.label}"
            rest = " " * max(self.LABEL_WIDTH - len(label), 0) + cue  # the cue: user text
            lines.append((label, "stride--active" if active else "stride--idle", rest))
        changed = [y for y, line in enumerate(lines) if line != self._lines[y]]
        if changed:
            self._lines[: len(lines)] = lines
            # One refresh over the changed lines (unchanged ones inside it are cached).
            first, last = changed[0], changed[-1]
            self.refresh(Region(0, first, self.size.width, last - first + 1))

    def _style(self, name: str) -> Style:
        """The widget's own style ("") or a component's, kept until the styles change."""
        style = self._style_cache.get(name)
        if style is None:
            style = self.get_component_rich_style(name) if name else self.rich_style
            self._style_cache[name] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()  # the theme or the CSS changed
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self._lines) or width <= 0:
            return Strip.blank(width, self._style(""))
        # A phase row comes back every step (three states per cue): drawn once, reused.
        key = (self._lines[y], width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 64:
                self._strips.clear()
            strip = self._strips[key] = self._draw_line(self._lines[y], width)
        return strip

    def _draw_line(self, line: tuple[str, str, str], width: int) -> Strip:
        base = self._style("")
        styled, component, rest = line
        text = Text(end="")
        text.append(styled, style=self._style(component))
        text.append(rest)  # plain: Text.append never reads markup
        text.truncate(width, overflow="ellipsis", pad=True)
        return Strip(Segment.apply_style(text.render(self.app.console), base), width)

    @property
    def text(self) -> str:
        """What the rows say, line by line: the stride, then each phase with its cue."""
        return "\n".join((styled + rest).rstrip() for styled, _, rest in self._lines)
