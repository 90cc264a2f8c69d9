"""The walk screen's view: everything above the footer, drawn line by line.

No widgets on purpose: the walk screen draws this itself (Textual's line API on the
screen), with only the footer as a child. On every update Textual asks the screen and
each of its children to render all of their lines, and the stride changes six times a
second or more: a screen of twenty small widgets cost more CPU per beat than the work
itself, and even one widget over the screen doubled the lines rendered per beat.
Here each row is a small value; an update compares the new rows with the shown ones
and repaints only the rows that differ, and a row drawn once is reused while it comes
back (the phase rows cycle every step).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import cast

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.renderables.digits import Digits
from textual.strip import Strip
from textual.widget import Widget

from coach.core.engine import Foot, WalkState
from coach.core.routine.model import PHASES

ACTIVE_MARK = "▶"
FOOT_MARK = {Foot.LEFT: "◀ LEFT foot", Foot.RIGHT: "RIGHT foot ▶"}
LABEL_WIDTH = 15  # a phase's mark and name, before its cue

# A row is a small hashable value, drawn to a strip only when first shown at a width:
#   ("text", plain, ((start, end, style name), ...))   text laid out for the width
#   ("stride", styled part, its style name, plain rest)  a stride row, built per beat
# Style names are component classes ("walk--title") optionally followed by Rich style
# words ("walk--title bold", "dim"), resolved when drawn, so a theme change restyles.
StrideRow = tuple[str, str, str, str]  # ("stride", styled part, its style, rest)
TextRow = tuple[str, str, tuple[tuple[int, int, str], ...]]  # ("text", plain, spans)
Row = StrideRow | TextRow
BLANK: Row = ("text", "", ())


@dataclass(frozen=True)
class WalkLines:
    """What the walk screen says besides the stride, as plain text (user text included)."""

    name: str
    status: str
    segment: tuple[str, str]  # (label, " · intensity · cadence"): cut first when narrow
    time_left: str  # "1:56": never cut
    side: tuple[str, str]  # beside the big digits
    segment_bar: tuple[float, str]  # fraction done, "elapsed / total"
    walk_bar: tuple[float, str]
    posture: str
    next: tuple[str, str]  # (bold lead, rest)
    message: str


def _row(text: Text) -> Row:
    spans = tuple((span.start, span.end, str(span.style)) for span in text.spans)
    if text.style:
        spans = ((0, len(text.plain), str(text.style)), *spans)
    return ("text", text.plain, spans)


def _fit(text: Text, width: int) -> Text:
    text.truncate(max(width, 0), overflow="ellipsis")
    return text


def _bar(label: str, fraction: float, suffix: str, width: int) -> Text:
    cells = width - len(label) - len(suffix) - 2
    if cells < 4:  # too narrow for a bar: the figures matter more
        return _fit(Text(f"{label.strip()} {suffix}"), width)
    filled = round(cells * min(max(fraction, 0.0), 1.0))
    text = Text(label + " ")
    text.append("█" * filled, style="bold")
    text.append("░" * (cells - filled), style="dim")
    text.append(" " + suffix)
    return _fit(text, width)


def _digit_rows(value: str) -> list[str]:
    rendered = Digits(value).render(Style())
    return [
        segment.text
        for segment in rendered
        if isinstance(segment, Segment) and segment.text != "\n"
    ]


MARGIN = 1  # a blank column at each side


class WalkView:
    """Rows of the walk screen, drawn for the widget that hosts them (the walk screen).

    The host declares COMPONENT_CLASSES (these styles), calls `render_line` from its
    own, `lay_out` when its size changes, and `forget_styles` when its styles do.
    """

    COMPONENT_CLASSES = {
        "walk--title",
        "walk--status",
        "walk--digits",
        "walk--muted",
        "walk--posture",
        "walk--message",
        "stride--foot",
        "stride--active",
        "stride--idle",
    }

    def __init__(self, host: Widget) -> None:
        self.host = host
        self.compact = False
        self._lines: WalkLines | None = None
        self._stride: list[Row] = [BLANK] * 4
        self._foot: object = None  # what the stride rows show: (foot, arm, step)
        self._phases: object = None  # and (phase, cues)
        self._phase_cache: dict[object, list[Row]] = {}
        self._rows: list[Row] = []
        self._parts: dict[str, range] = {}
        self.width = 0  # of the rows, inside the margins
        # Textual drops its own style cache on every refresh; these change only with CSS.
        self._style_cache: dict[str, Style] = {}
        self._strips: dict[tuple[Row, int, int], Strip] = {}

    # -- what is shown -----------------------------------------------------------------

    def show(self, lines: WalkLines, compact: bool) -> None:
        """Show everything but the stride; repaints only the rows that changed."""
        if lines == self._lines and compact == self.compact:
            return
        self._lines = lines
        self.compact = compact
        self.lay_out()

    def show_state(self, state: WalkState) -> None:
        """Show the stride of a walk state: the foot and arm line, then the phase rows."""
        foot = (state.foot, state.arm, state.step)
        phases = (state.phase, state.cues)
        if foot == self._foot and phases == self._phases:
            return
        rows = list(self._stride)
        if foot != self._foot:
            self._foot = foot
            stride = f"  ·  {state.arm.value} arm swings forward  ·  step {state.step + 1:,}"
            rows[0] = ("stride", FOOT_MARK[state.foot], "stride--foot", stride)
        if phases != self._phases:
            self._phases = phases
            rows[1:] = self._phase_rows(phases)
        shown = self._stride
        changed = [y for y in range(4) if rows[y] != shown[y]]
        self._stride = rows
        at = self._parts.get("stride")
        if at is None or not changed:
            return  # not laid out yet: the layout takes these rows
        # Six times a second: only these four rows are compared and replaced.
        top = at.start
        self._rows[top : top + 4] = rows
        self._repaint(top + changed[0], top + changed[-1])

    def _phase_rows(self, phases: tuple[object, tuple[str, ...]]) -> list[Row]:
        """The three phase rows, the active one marked; built once per phase and cues."""
        rows = self._phase_cache.get(phases)
        if rows is None:
            active_phase, cues = phases
            rows = []
            for phase, cue in zip(PHASES, cues, strict=False):
                active = phase is active_phase
                label = f"{ACTIVE_MARK if active else ' '} {phase.label}"
                rest = " " * max(LABEL_WIDTH - len(label), 0) + cue  # the cue: user text
                style = "stride--active" if active else "stride--idle"
                rows.append(("stride", label, style, rest))
            if len(self._phase_cache) > 64:
                self._phase_cache.clear()
            self._phase_cache[phases] = rows
        return rows

    def lay_out(self, width: int | None = None) -> None:
        """Work out every row for `width` (by default the last), repaint those that changed."""
        resized = width is not None and max(width, 0) != self.width
        if width is not None:
            self.width = max(width, 0)
        width = self.width
        rows: list[Row] = []
        parts: dict[str, range] = {}

        def add(part: str, new: Iterable[Row], gap: bool = False) -> None:
            if gap and not self.compact:
                rows.append(BLANK)
            start = len(rows)
            rows.extend(new)
            parts[part] = range(start, len(rows))

        lines = self._lines
        if lines is not None:
            add("title", [_row(self._title(lines, width))])
            add("segment", [_row(self._segment(lines, width))], gap=True)
            if not self.compact:
                add("countdown", self._countdown(lines, width))
            add("segment-bar", [_row(_bar("segment", *lines.segment_bar, width))], gap=True)
            add("walk-bar", [_row(_bar("walk   ", *lines.walk_bar, width))])
        add("stride", self._stride, gap=lines is not None)
        if lines is not None:
            add("posture", self._posture(lines.posture, width), gap=True)
            lead, rest = lines.next
            following = Text()
            following.append(lead, style="bold")
            following.append(rest)
            add("next", [_row(_fit(following, width))])
            message = Text(lines.message, style="walk--message")
            add("message", [_row(_fit(message, width))])
        self._parts = parts
        # At a new width every row is cut anew, even one whose text is the same.
        self._replace(rows, every_row=resized)

    def _replace(self, rows: list[Row], every_row: bool = False) -> None:
        """Show `rows`, repainting the span from the first to the last that differs."""
        old = self._rows
        changed: Sequence[int] = range(max(len(rows), len(old)))
        if not every_row:
            changed = [
                y
                for y in changed
                if (rows[y] if y < len(rows) else None) != (old[y] if y < len(old) else None)
            ]
        self._rows = rows
        if changed:
            self._repaint(changed[0], changed[-1])

    def _repaint(self, first: int, last: int) -> None:
        self.host.refresh(Region(0, first, self.host.size.width, last - first + 1))

    # -- laying out ----------------------------------------------------------------------

    @staticmethod
    def _title(lines: WalkLines, width: int) -> Text:
        """The routine's name, cut to make room for the status at the right edge."""
        status = Text(lines.status, style="walk--status")
        room = width - status.cell_len
        if room <= 0:
            return _fit(status, width)
        name = Text(lines.name)
        name.truncate(room, overflow="ellipsis", pad=True)
        title = Text()
        title.append(name.plain, style="walk--title")
        return title + status

    @staticmethod
    def _segment(lines: WalkLines, width: int) -> Text:
        """Label, intensity and cadence, then the time left, which never gives way."""
        label, rest = lines.segment
        head = Text()
        head.append(label, style="bold")
        head.append(rest)
        room = width - len(f"   {lines.time_left} left")
        if head.cell_len > room > 0:
            head.truncate(room, overflow="ellipsis")
        head.append(f"   {lines.time_left} left", style="bold")
        return _fit(head, width)

    @staticmethod
    def _countdown(lines: WalkLines, width: int) -> list[Row]:
        """The big digits of the time left, with what they count beside them."""
        rows = []
        for digits, side in zip(_digit_rows(lines.time_left), (*lines.side, ""), strict=False):
            text = Text(digits, style="walk--digits")
            text.append("  " + side, style="walk--muted")
            rows.append(_row(_fit(text, width)))
        return rows

    def _posture(self, posture: str, width: int) -> list[Row]:
        """The posture prompt, wrapped to at most two rows."""
        if not posture:
            return [BLANK]
        text = Text(style="walk--posture", end="")
        text.append("Posture: ", style="bold")
        text.append(posture)
        wrapped = text.wrap(self.host.app.console, max(width, 1), overflow="fold")
        rows = list(wrapped)[:2]
        if len(wrapped) > 2:
            rows[1].append("…")
        return [_row(_fit(row, width)) for row in rows]

    # -- drawing -------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """A style name resolved: its component class, then any Rich style words."""
        style = self._style_cache.get(name)
        if style is None:
            component, _, words = name.partition(" ")
            if component in self.COMPONENT_CLASSES:
                style = self.host.get_component_rich_style(component)
            else:
                style, words = Style(), name
            if words:
                style += Style.parse(words)
            self._style_cache[name] = style
        return style

    def forget_styles(self) -> None:
        """The theme or the CSS changed: drop every style and drawn row."""
        self._style_cache.clear()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        """Row `y` across the host's whole width, margins included."""
        full = self.host.size.width
        if y >= len(self._rows) or full <= 0:
            return Strip.blank(full, self.host.rich_style)
        row = self._rows[y]
        key = (row, self.width, full)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 256:
                self._strips.clear()
            strip = self._strips[key] = self._draw_row(row, full)
        return strip

    def _draw_row(self, row: Row, full: int) -> Strip:
        """A row cut to the layout's width, in a line `full` cells wide (blank beyond).

        Straight to segments, not through Rich's Text rendering: rows are drawn several
        times a second (the step count, the countdown), and they need no wrapping.
        """
        base = self.host.rich_style
        width = min(self.width, full - 2 * MARGIN)
        if width <= 0:
            return Strip.blank(full, base)
        if row[0] == "stride":
            _, styled, style_name, rest = cast(StrideRow, row)
            pieces = [(styled, base + self._style(style_name)), (rest, base)]
        else:
            _, plain, spans = cast(TextRow, row)
            pieces = self._pieces(plain, spans, base)
        # Too long: cut, and end with an ellipsis (as Text.truncate(overflow="ellipsis")).
        too_long = sum(cell_len(text) for text, _ in pieces) > width
        room = width - 1 if too_long else width
        segments = [Segment(" " * MARGIN, base)]
        style = base
        for text, style in pieces:
            cells = cell_len(text)
            if cells > room:
                text, cells = set_cell_size(text, room), room
            if text:
                segments.append(Segment(text, style))
            room -= cells
            if room <= 0:
                break
        if too_long:
            segments.append(Segment("…", style))
        elif room > 0:
            segments.append(Segment(" " * room, base))
        segments.append(Segment(" " * (full - MARGIN - width), base))
        return Strip(segments, full)

    def _pieces(
        self, plain: str, spans: tuple[tuple[int, int, str], ...], base: Style
    ) -> list[tuple[str, Style]]:
        """`plain` cut where its styles change, each piece with its combined style."""
        cuts = sorted({0, len(plain), *(at for start, end, _ in spans for at in (start, end))})
        pieces = []
        for start, end in pairwise(cuts):
            if start >= len(plain):
                break
            style = base
            for first, last, name in spans:  # in order: later spans win, as in Rich
                if first <= start and end <= last:
                    style += self._style(name)
            pieces.append((plain[start:end], style))
        return pieces

    # -- reading it back (tests) ---------------------------------------------------------

    def part(self, name: str) -> str:
        """What a part shows, as drawn at the current width, rows joined by newlines."""
        full = self.host.size.width
        rows = self._parts.get(name, range(0))
        return "\n".join(self._draw_row(self._rows[y], full).text[MARGIN:].rstrip() for y in rows)

    def rows_of(self, name: str) -> range:
        """The rows a part takes, from the top of the view."""
        return self._parts.get(name, range(0))
