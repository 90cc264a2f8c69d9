"""The walk screen's view: everything above the footer, drawn line by line.

No widgets on purpose: the walk screen draws this itself (Textual's line API on the
screen), with only the footer as a child. On every update Textual asks the screen and
each of its children to render all of their lines, and the stride changes six times a
second or more: a screen of twenty small widgets cost more CPU per beat than the work
itself, and even one widget over the screen doubled the lines rendered per beat.
Here each row is a small value; an update compares the new rows with the shown ones
and repaints only the rows that differ, and a row drawn once is reused while it comes
back (the phase rows cycle every step).

The layout uses the room it has (`Plan`): the essentials first, then, while rows are
free, wrapped texts, blank rows between the parts, the time left in large digits
(growing with the terminal) and a larger stride. It is worked out for everything the
walk can show (`WalkExtent`: every note, cue and prompt of the routine), not for what
shows now, so rows do not jump when a cue or a segment changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
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
from coach.tui import block_font

ACTIVE_MARK = "▶"
FOOT_MARK = {Foot.LEFT: "◀ LEFT foot", Foot.RIGHT: "RIGHT foot ▶"}
LABEL_WIDTH = 15  # a phase's mark and name, before its cue
MARGIN = 1  # a blank column at each side
# The large digits: Textual's (3 rows), then block digits at these scales.
SMALL_DIGITS = 1
BLOCK_SCALES = (2, 4, 6)  # even: whole pixels per row (5, 10 and 15 rows tall)
MAX_WRAP = {"note": 3, "cue": 2, "posture": 2, "message": 2}
BIG_FOOT_ROWS = 3

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
    status: tuple[str, ...]  # most important first: dropped from the end when narrow
    segment: tuple[str, str]  # (label, " · intensity · cadence"): cut first when narrow
    time_left: str  # "1:56": never cut
    side: tuple[str, str]  # beside the big digits
    note: str  # this segment's note, or ""
    segment_bar: tuple[float, str]  # fraction done, "elapsed / total"
    walk_bar: tuple[float, str]  # where in the routine: fraction, "position / total"
    walked: str  # how long and how far walked: "6:12 · 651 steps"
    posture: str
    next: tuple[str, str]  # (bold lead, rest)
    message: str


@dataclass(frozen=True)
class WalkExtent:
    """Everything the walk can show that may need more than a row: the layout makes room
    for the longest, once for the whole walk."""

    notes: tuple[str, ...] = ()
    cues: tuple[tuple[str, ...], ...] = ((), (), ())  # each phase's cues, in PHASES order
    postures: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()  # the routine's announcements, as shown
    longest_time: str = "00:00"  # the widest time left the digits will show


@dataclass(frozen=True)
class Plan:
    """How the rows use the room: what is shown, and how large."""

    gaps: bool = False  # blank rows between the parts
    digits: int = 0  # 0 none, SMALL_DIGITS, or a block scale
    note_rows: int = 0
    cue_rows: tuple[int, int, int] = (1, 1, 1)
    posture_rows: int = 0
    message_rows: int = 1
    spaced_phases: bool = False  # a blank row between the phase rows
    big_foot: bool = False  # the landing foot as a block beside the other

    @property
    def stride_rows(self) -> int:
        foot = BIG_FOOT_ROWS if self.big_foot else 1
        return foot + sum(self.cue_rows) + (2 if self.spaced_phases else 0)

    @property
    def digit_rows(self) -> int:
        if self.digits == 0:
            return 0
        return 3 if self.digits == SMALL_DIGITS else block_font.rows_for(self.digits)

    @property
    def height(self) -> int:
        """Rows taken: title, segment, note, digits, bars, walked, stride, prompt, next,
        message, and the blank rows between them."""
        return (
            2
            + self.note_rows
            + self.digit_rows
            + 3
            + self.stride_rows
            + self.posture_rows
            + 1
            + self.message_rows
            + (4 if self.gaps else 0)
        )


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
    if cells < 4:  # too narrow for a bar: the figures matter more, then the label
        short = f"{label.strip()} {suffix}"
        return _fit(Text(short if len(short) <= width else suffix), width)
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


def _digits_width(value: str, digits: int) -> int:
    if digits == SMALL_DIGITS:
        return cell_len(_digit_rows(value)[0])
    return block_font.width_of(value, digits)


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
        self.extent = WalkExtent()
        self.plan = Plan()
        self._lines: WalkLines | None = None
        self._stride: list[Row] = []
        self._foot: object = None  # what the stride rows show: (foot, arm)
        self._phases: object = None  # and (phase, cues)
        self._stride_cache: dict[object, list[Row]] = {}
        self._wrap_cache: dict[tuple[str, int], list[Text]] = {}
        self._labelled_cache: dict[tuple[str, str, str, int, int], list[Row]] = {}
        self._planned_for: tuple[int, int, WalkExtent] | None = None
        self._planned = Plan()
        self._rows: list[Row] = []
        self._parts: dict[str, range] = {}
        self.width = 0  # of the rows, inside the margins
        self.height = 0  # rows above the footer
        # Textual drops its own style cache on every refresh; these change only with CSS.
        self._style_cache: dict[str, Style] = {}
        self._strips: dict[tuple[Row, int, int], Strip] = {}
        self._rendered: dict[tuple[int, Row | None, int, int], Strip] = {}
        self._stride_changes: dict[tuple[int, Row, Row, int, int], Region] = {}

    @property
    def compact(self) -> bool:
        """No room for blank rows between the parts (nor for large digits)."""
        return not self.plan.gaps

    # -- what is shown -----------------------------------------------------------------

    def set_extent(self, extent: WalkExtent) -> None:
        """What the whole walk can show: the layout makes room for it."""
        self.extent = extent
        self.lay_out()

    def show(self, lines: WalkLines) -> None:
        """Show everything but the stride; repaints only the rows that changed."""
        if lines == self._lines:
            return
        self._lines = lines
        self.lay_out()

    def show_state(self, state: WalkState) -> None:
        """Show the stride of a walk state: the foot and arm, then the phase rows."""
        foot = (state.foot, state.arm)
        phases = (state.phase, state.cues)
        if foot == self._foot and phases == self._phases:
            return
        self._foot, self._phases = foot, phases
        rows = self._stride_rows()
        shown = self._stride
        self._stride = rows
        at = self._parts.get("stride")
        if at is None or len(rows) != len(at):
            return  # not laid out yet (or for another plan): the layout takes these rows
        if rows == shown:
            return
        # Six times a second: only the stride rows are compared and replaced.
        top = at.start
        self._rows[top : top + len(rows)] = rows
        self._repaint(top, shown, rows)

    def _stride_rows(self) -> list[Row]:
        if self._foot is None or self._phases is None:
            return [BLANK] * self.plan.stride_rows
        foot, arm = cast(tuple[Foot, Foot], self._foot)
        return [*self._foot_rows(foot, arm), *self._phase_rows(self._phases)]

    def _foot_rows(self, foot: Foot, arm: Foot) -> list[Row]:
        """The foot landing and the arm swinging: one row, or three beside two feet drawn
        large; built once per foot (and plan)."""
        rows = self._stride_cache.get(foot)
        if rows is None:
            rows = self._stride_cache[foot] = self._draw_feet(foot, arm)
        return rows

    def _draw_feet(self, foot: Foot, arm: Foot) -> list[Row]:
        swing = f"{arm.value} arm swings forward"
        if not self.plan.big_foot:
            return [("stride", FOOT_MARK[foot], "stride--foot", f"  ·  {swing}")]
        # Two feet side by side, the landing one solid: it reads from across the room.
        landing, resting = "██████", "░░░░░░"
        left, right = (landing, resting) if foot is Foot.LEFT else (resting, landing)
        words = [f"{foot.value.upper()} foot", swing, ""]
        rows = []
        for line in words:
            text = Text()
            text.append(left, style="stride--foot" if foot is Foot.LEFT else "dim")
            text.append("   ")
            text.append(right, style="stride--foot" if foot is Foot.RIGHT else "dim")
            text.append("   ")
            text.append(line, style="stride--foot" if line == words[0] else "")
            rows.append(_row(text))
        return rows

    def _phase_rows(self, phases: object) -> list[Row]:
        """The phase rows, the active one marked; built once per phase and cues (and plan)."""
        rows = self._stride_cache.get(phases)
        if rows is None:
            active_phase, cues = cast(tuple[object, tuple[str, ...]], phases)
            rows = []
            room = max(self.width - LABEL_WIDTH, 1)
            for number, (phase, cue) in enumerate(zip(PHASES, cues, strict=False)):
                if number and self.plan.spaced_phases:
                    rows.append(BLANK)
                active = phase is active_phase
                label = f"{ACTIVE_MARK if active else ' '} {phase.label}"
                style = "stride--active" if active else "stride--idle"
                label += " " * max(LABEL_WIDTH - len(label), 0)
                count = self.plan.cue_rows[number]
                lines = [line.plain for line in self._wrapped(cue, room)] if count > 1 else [cue]
                if len(lines) > count:
                    lines[count - 1] += "…"
                for line_number in range(count):
                    line = lines[line_number] if line_number < len(lines) else ""
                    styled = label if line_number == 0 else " " * len(label)
                    rows.append(("stride", styled, style, line))  # the cue: user text
            if len(self._stride_cache) > 64:
                self._stride_cache.clear()
            self._stride_cache[phases] = rows
        return rows

    # -- laying out ----------------------------------------------------------------------

    def lay_out(self, width: int | None = None, height: int | None = None) -> None:
        """Work out every row for the size (by default the last); repaint what changed."""
        resized = (width is not None and max(width, 0) != self.width) or (
            height is not None and max(height, 0) != self.height
        )
        if width is not None:
            self.width = max(width, 0)
        if height is not None:
            self.height = max(height, 0)
        width = self.width
        # Once per size and walk, not each second: the plan depends on nothing else.
        planned_for = (self.width, self.height, self.extent)
        if planned_for != self._planned_for:
            self._planned_for = planned_for
            self._planned = self._plan()
        plan = self._planned
        if plan != self.plan:
            self.plan = plan
            self._stride_cache.clear()
            self._stride = self._stride_rows()
        rows: list[Row] = []
        parts: dict[str, range] = {}

        def add(part: str, new: Iterable[Row], gap: bool = False) -> None:
            if gap and plan.gaps:
                rows.append(BLANK)
            start = len(rows)
            rows.extend(new)
            parts[part] = range(start, len(rows))

        lines = self._lines
        if lines is not None:
            add("title", [_row(self._title(lines, width))])
            add("segment", [_row(self._segment(lines, width))], gap=True)
            if plan.note_rows:
                add("note", self._labelled("Note: ", lines.note, "", plan.note_rows))
            if plan.digits:
                add("countdown", self._countdown(lines, width, plan.digits))
            add("segment-bar", [_row(_bar("segment", *lines.segment_bar, width))], gap=True)
            add("walk-bar", [_row(_bar("routine", *lines.walk_bar, width))])
            walked = Text("walked  ", style="bold")
            walked.append(lines.walked)
            add("walked", [_row(_fit(walked, width))])
        add("stride", self._stride, gap=lines is not None)
        if lines is not None:
            if plan.posture_rows:
                posture = self._labelled(
                    "Posture: ", lines.posture, "walk--posture", plan.posture_rows
                )
                add("posture", posture, gap=True)
            lead, rest = lines.next
            following = Text()
            following.append(lead, style="bold")
            following.append(rest)
            add("next", [_row(_fit(following, width))], gap=not plan.posture_rows)
            message = Text(lines.message, style="walk--message")
            add("message", self._rows_of(message, plan.message_rows))
        self._parts = parts
        # At a new size every row is cut anew, even one whose text is the same.
        self._replace(rows, every_row=resized)

    def _plan(self) -> Plan:
        """The most generous layout that fits: essentials, then extras while rows are free."""
        width, extent = self.width, self.extent
        notes = self._need(extent.notes, width - len("Note: "), "note")
        heel, hip, arm = (
            self._need(phase_cues, width - LABEL_WIDTH, "cue") or 1 for phase_cues in extent.cues
        )
        postures = self._need(extent.postures, width - len("Posture: "), "posture")
        messages = self._need(extent.messages, width, "message") or 1
        plan = Plan(note_rows=min(notes, 1), posture_rows=min(postures, 1))

        def fits(candidate: Plan, digits: int = 0) -> bool:
            across = not digits or _digits_width(extent.longest_time, digits) <= width
            return across and candidate.height <= self.height

        # The segment's note whole: it says how to walk this part.
        if fits(replace(plan, note_rows=notes)):
            plan = replace(plan, note_rows=notes)
        # Room to breathe and the time left in large digits, when both fit.
        roomy = replace(plan, gaps=True, digits=SMALL_DIGITS)
        if fits(roomy, SMALL_DIGITS):
            plan = roomy
        # Then whole cues and prompts rather than cut ones, while rows are free: they say
        # how to walk, so they come before larger digits.
        wider: list[Callable[[Plan], Plan]] = [
            lambda p: replace(p, cue_rows=(heel, p.cue_rows[1], p.cue_rows[2])),
            lambda p: replace(p, cue_rows=(p.cue_rows[0], hip, p.cue_rows[2])),
            lambda p: replace(p, cue_rows=(p.cue_rows[0], p.cue_rows[1], arm)),
            lambda p: replace(p, posture_rows=postures),
            lambda p: replace(p, message_rows=messages),
            lambda p: replace(p, gaps=True),
        ]
        for widen in wider:
            if fits(widen(plan)):
                plan = widen(plan)
        # Then the digits as large again as there is room for.
        if plan.digits == SMALL_DIGITS and fits(
            replace(plan, digits=BLOCK_SCALES[0]), BLOCK_SCALES[0]
        ):
            plan = replace(plan, digits=BLOCK_SCALES[0])
        if plan.digits <= SMALL_DIGITS:
            return plan
        # Then a larger stride and larger digits, for reading from further away.
        stride: list[Callable[[Plan], Plan]] = [
            lambda p: replace(p, spaced_phases=True),
            lambda p: replace(p, big_foot=True),
        ]
        for enlarge in stride:
            if fits(enlarge(plan)):
                plan = enlarge(plan)
        for scale in BLOCK_SCALES[1:]:
            if fits(replace(plan, digits=scale), scale):
                plan = replace(plan, digits=scale)
        return plan

    def _need(self, texts: Sequence[str], width: int, kind: str) -> int:
        """Rows the longest of `texts` wraps to at `width`, at most MAX_WRAP[kind]."""
        most = 0
        for text in texts:
            most = max(most, len(self._wrapped(text, max(width, 1))))
            if most >= MAX_WRAP[kind]:
                return MAX_WRAP[kind]
        return most

    def _wrapped(self, text: str | Text, width: int) -> list[Text]:
        """`text` on one line of words, wrapped to `width` (cached: called per layout)."""
        plain = text if isinstance(text, str) else text.plain
        key = (plain if isinstance(text, str) else text.markup, width)
        lines = self._wrap_cache.get(key)
        if lines is None:
            if isinstance(text, str):
                flat = Text(" ".join(text.split()), end="")
            else:
                flat = text.copy()
                flat.end = ""
            lines = list(flat.wrap(self.host.app.console, max(width, 1), overflow="fold"))
            if len(self._wrap_cache) > 512:
                self._wrap_cache.clear()
            self._wrap_cache[key] = lines
        return lines

    def _rows_of(self, text: Text, count: int) -> list[Row]:
        """`text` in exactly `count` rows: wrapped, cut with …, or padded with blank rows."""
        if count <= 1:
            return [_row(_fit(text, self.width))]
        lines = self._wrapped(text, self.width)
        rows = [_row(_fit(line, self.width)) for line in lines[:count]]
        if len(lines) > count:  # the last row shows that there is more
            last = lines[count - 1].copy()
            last.append("…")
            rows[-1] = _row(_fit(last, self.width))
        return rows + [BLANK] * (count - len(rows))

    def _labelled(self, label: str, value: str, style: str, count: int) -> list[Row]:
        """A bold label and a text (user text), in `count` rows; blank rows without text."""
        if not value:
            return [BLANK] * count
        key = (label, value, style, count, self.width)
        rows = self._labelled_cache.get(key)
        if rows is None:  # a note or prompt shows for many seconds: laid out once
            text = Text(style=style, end="")
            text.append(label, style="bold")
            text.append(" ".join(value.split()))
            rows = self._rows_of(text, count)
            if len(self._labelled_cache) > 64:
                self._labelled_cache.clear()
            self._labelled_cache[key] = rows
        return rows

    def _replace(self, rows: list[Row], every_row: bool = False) -> None:
        """Show `rows`, repainting only the cells of the rows that differ.

        Each second the time left, the bars and the time walked change, but the rows
        between them (a note, a blank row) do not, nor most of a changed row (the digits
        that stayed, the blank right of a short row): repainted, they would be sent to
        the terminal again for nothing.
        """
        old = self._rows
        self._rows = rows
        if every_row:
            self.host.refresh()
            return
        changed = [
            self._changed(y, old[y] if y < len(old) else None, rows[y] if y < len(rows) else None)
            for y in range(max(len(rows), len(old)))
            if (rows[y] if y < len(rows) else None) != (old[y] if y < len(old) else None)
        ]
        self._refresh(changed)

    def _repaint(self, top: int, old: Sequence[Row], new: Sequence[Row]) -> None:
        """Repaint what changed where stride rows from `top` went from `old` to `new`.

        A stride row changes between the same few forms beat after beat: the cells that
        differ between two of them are worked out once (for the size).
        """
        changes = self._stride_changes
        regions = []
        for y, before, after in zip(range(top, top + len(new)), old, new, strict=True):
            if before != after:
                key = (y, before, after, self.width, self.host.size.width)
                region = changes.get(key)
                if region is None:
                    if len(changes) > 256:
                        changes.clear()
                    region = changes[key] = self._changed(y, before, after)
                regions.append(region)
        self._refresh(regions)

    def _refresh(self, changed: list[Region]) -> None:
        """Repaint the changed cells of rows, one region for each run of adjacent rows.

        Fewer, larger regions cost Textual less than one per row; the cells between the
        changed ones of a run are sent again, which costs less than another region.
        """
        runs: list[Region] = []
        for region in changed:
            if runs and runs[-1].bottom == region.y:
                runs[-1] = runs[-1].union(region)
            else:
                runs.append(region)
        if runs:
            self.host.refresh(*runs)

    def _changed(self, y: int, old: Row | None, new: Row | None) -> Region:
        """The cells of row `y` that differ between two of its rows.

        From the first character that differs to the last, when only the text changed;
        the whole drawn row when its styles changed too (but a stride row's styled part
        is its start: its label, marked and highlighted when active).
        """
        full = self.host.size.width
        if old is None or new is None or old[0] != new[0]:
            return Region(0, y, max(self._reach(old), self._reach(new)), 1)
        first = 0
        if old[0] == "stride":
            _, old_styled, old_style, old_rest = cast(StrideRow, old)
            _, new_styled, new_style, new_rest = cast(StrideRow, new)
            if old_style != new_style or old_styled != new_styled:
                first = -1  # from the left edge, across the styled part at least
            old_text, new_text = old_styled + old_rest, new_styled + new_rest
            styled = max(cell_len(old_styled), cell_len(new_styled))
        else:
            if cast(TextRow, old)[2] != cast(TextRow, new)[2]:
                return Region(0, y, max(self._reach(old), self._reach(new)), 1)
            old_text, new_text = old[1], new[1]
            styled = 0
        same_start = 0
        for a, b in zip(old_text, new_text, strict=False):
            if a != b:
                break
            same_start += 1
        # A common end is in the same columns only when both rows are as long.
        same_end = 0
        if cell_len(old_text) == cell_len(new_text):
            room = min(len(old_text), len(new_text)) - same_start
            while same_end < room and old_text[-1 - same_end] == new_text[-1 - same_end]:
                same_end += 1
        left = 0 if first < 0 else cell_len(new_text[:same_start])
        right = max(
            styled if first < 0 else 0,
            cell_len(old_text[: len(old_text) - same_end]),
            cell_len(new_text[: len(new_text) - same_end]),
        )
        left = min(MARGIN + left, full)
        right = min(MARGIN + min(right, self.width) + 1, full)  # and an ellipsis, if cut
        return Region(left, y, max(right - left, 1), 1)

    def _reach(self, row: Row | None) -> int:
        """Columns a row's drawing takes from the left edge: its text (an ellipsis if cut)."""
        full = self.host.size.width
        if row is None:
            return full
        if row[0] == "stride":
            _, styled, _, rest = cast(StrideRow, row)
            cells = cell_len(styled) + cell_len(rest)
        else:
            cells = cell_len(cast(TextRow, row)[1])
        return min(MARGIN + min(cells, self.width) + 1, full)

    @staticmethod
    def _title(lines: WalkLines, width: int) -> Text:
        """The routine's name, then the status at the right edge. When narrow the status
        gives up its last parts (beat, sound…) before the name is cut below a third."""
        name = Text(lines.name)
        keep = min(name.cell_len, max(width // 3, 12))
        parts = list(lines.status)
        while len(parts) > 1 and cell_len("  ".join(parts)) + 2 > width - keep:
            parts.pop()
        status = Text(("  " + "  ".join(parts)) if parts else "", style="walk--status")
        room = width - status.cell_len
        if room <= 0:
            return _fit(status, width)
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
    def _countdown(lines: WalkLines, width: int, digits: int) -> list[Row]:
        """The big digits of the time left, with what they count beside them."""
        if digits == SMALL_DIGITS:
            glyphs = _digit_rows(lines.time_left)
        else:
            glyphs = list(block_font.block_rows(lines.time_left, digits))
        # What the digits count, level with their middle.
        side = [""] * len(glyphs)
        top = max((len(glyphs) - len(lines.side)) // 2, 0) if digits != SMALL_DIGITS else 0
        for offset, words in enumerate(lines.side):
            if top + offset < len(side):
                side[top + offset] = words
        rows = []
        for glyph_row, words in zip(glyphs, side, strict=True):
            text = Text(glyph_row, style="walk--digits")
            if words:
                text.append("  " + words, style="walk--muted")
            rows.append(_row(_fit(text, width)))
        return rows

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
        self._rendered.clear()

    def render_lines(self, crop: Region, render: Callable[[Region], list[Strip]]) -> list[Strip]:
        """The rows `crop` covers as Textual renders them (`render`: the host's own
        `render_lines`), a row rendered before taken from a cache.

        Textual renders a repainted row again from `render_line`'s strip, through the
        host's styles and the app's filters, into new strips (each with seven caches of
        its own, left for the garbage collector): at six beats a second this was the
        largest part of a beat. The stride's rows come back every few beats, so each is
        rendered once, across the whole width, and cut to the columns asked for.
        """
        full = self.host.size.width
        rows = self._rows
        keys = [(y, rows[y] if y < len(rows) else None, self.width, full) for y in crop.line_range]
        missing = [key for key in keys if key not in self._rendered]
        if missing:
            if len(self._rendered) + len(missing) > 256:
                self._rendered.clear()
                missing = keys
            # One call for the rows from the first missing to the last (the first frame).
            top, bottom = missing[0][0], missing[-1][0] + 1
            rendered = render(Region(0, top, full, bottom - top))
            for key in keys[top - crop.y : bottom - crop.y]:
                self._rendered[key] = rendered[key[0] - top]
        x1, x2 = crop.column_span
        lines = [self._rendered[key] for key in keys]
        return lines if x1 == 0 and x2 == full else [line.crop(x1, x2) for line in lines]

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
        times a second (the stride, the countdown), and they need no wrapping.
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
