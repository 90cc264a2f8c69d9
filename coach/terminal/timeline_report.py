"""`coach routines show`: a routine's timeline as a table, user text kept literal.

The table is laid out here, row by row, rather than by Rich's Table: Rich measures and
renders every cell through its layout engine, about a millisecond a row, so a routine
that expands to 20,000 segments took 20 s. Here the column widths are worked out in one
pass and each row is a few string operations: time grows with the rows, linearly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Text

from coach.core.routine import Routine, Timeline
from coach.core.routine.durations import format_clock, format_duration
from coach.core.routine.timeline import TimedSegment
from coach.core.text import visible_text
from coach.library.routines import Origin, RoutineEntry

HEADERS = ("#", "start", "segment", "time", "spm", "intensity", "posture")
RIGHT = {0, 1, 3, 4}  # right-aligned columns
SEGMENT = 2
SEGMENT_MIN = 20
# Borders and padding: a bar before each column and after the last, a space either side.
CHROME = len(HEADERS) + 1 + 2 * len(HEADERS)


@dataclass(frozen=True)
class _Box:
    top: tuple[str, str, str, str]  # left, line, join, right
    header: tuple[str, str, str]  # left, join, right
    below_header: tuple[str, str, str, str]
    row: tuple[str, str, str]
    above_footer: tuple[str, str, str, str]
    bottom: tuple[str, str, str, str]


HEAVY_HEAD = _Box(
    ("┏", "━", "┳", "┓"),
    ("┃", "┃", "┃"),
    ("┡", "━", "╇", "┩"),
    ("│", "│", "│"),
    ("├", "─", "┼", "┤"),
    ("└", "─", "┴", "┘"),
)
ASCII = _Box(
    ("+", "-", "+", "+"),
    ("|", "|", "|"),
    ("+", "=", "+", "+"),
    ("|", "|", "|"),
    ("+", "-", "+", "+"),
    ("+", "-", "+", "+"),
)

_Styled = Callable[[str], str]
_COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


@dataclass(frozen=True)
class _Row:
    cells: tuple[str, ...]  # every column but the segment's
    segment: tuple[tuple[str, str, str], ...]  # paragraphs: (dim prefix, text, style name)


def render_timeline(routine: Routine, timeline: Timeline, entry: RoutineEntry) -> None:
    console = Console(highlight=False)
    source = {
        Origin.BUILT_IN: "built-in",
        Origin.MINE: "mine, shadows a built-in" if entry.shadows_builtin else "mine",
        Origin.FILE: "file",
    }[entry.origin]
    heading = Text()
    heading.append(routine.name, style="bold")
    heading.append(f"  ({routine.id}, {source}: {visible_text(str(entry.path))})", style="dim")
    console.print(heading)
    if routine.description:
        console.print(Text(" ".join(routine.description.split())))
    if routine.tags:
        console.print(Text("tags: " + ", ".join(routine.tags), style="dim"))

    rows = [_row(segment) for segment in timeline.segments]
    footer = _Row(("", "", format_clock(timeline.total), "", "", ""), (("", "total", "bold"),))
    out = sys.stdout
    for chunk in _chunks(_table(rows, footer, console), 500):
        out.write(chunk)
    out.flush()
    steps = round(sum(s.duration * s.cadence / 60 for s in timeline.segments))
    console.print(
        f"{len(timeline.segments)} segments · {format_clock(timeline.total)} · "
        f"about {steps:,} steps · {len(timeline.posture_prompts)} posture prompts · "
        f"{len(timeline.announcements)} announcements"
    )


def _row(segment: TimedSegment) -> _Row:
    paragraphs = [("", segment.label, "bold")]
    # A repeated segment's note is written once; show it on its first pass only.
    if segment.note and all(r.iteration == 1 for r in segment.repeat):
        paragraphs.append(("", " ".join(segment.note.split()), "italic"))
    for announcement in segment.announcements:
        paragraphs.append((f"{format_clock(announcement.at)} ", f"say: {announcement.say}", ""))
    posture = format_duration(segment.posture.every) if segment.posture else "off"
    return _Row(
        (
            str(segment.index + 1),
            format_clock(segment.start),
            format_clock(segment.duration),
            str(segment.cadence),
            segment.intensity.value,
            posture,
        ),
        tuple(paragraphs),
    )


def _chunks(lines: Iterator[str], size: int) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield "\n".join(batch) + "\n"
            batch = []
    if batch:
        yield "\n".join(batch) + "\n"


def _widths(rows: list[_Row], footer: _Row, room: int) -> list[int]:
    """Column widths: each fixed column as wide as its widest cell, the segment column
    taking the rest (at least SEGMENT_MIN); the widest fixed columns give way first."""
    fixed = [cell_len(h) for i, h in enumerate(HEADERS) if i != SEGMENT]
    longest = cell_len(HEADERS[SEGMENT])
    for row in [*rows, footer]:
        for i, cell in enumerate(row.cells):
            if len(cell) > fixed[i]:  # these cells are ASCII: length is width
                fixed[i] = len(cell)
        for prefix, text, _ in row.segment:
            width = _cells(prefix) + _cells(text)
            if width > longest:
                longest = width
    segment = max(min(longest, room - sum(fixed)), min(SEGMENT_MIN, longest))
    while sum(fixed) + segment > room and max(fixed) > 1:
        fixed[fixed.index(max(fixed))] -= 1
    return [*fixed[:SEGMENT], segment, *fixed[SEGMENT:]]


def _table(rows: list[_Row], footer: _Row, console: Console) -> Iterator[str]:
    encoding = (console.encoding or "").lower()
    box = HEAVY_HEAD if encoding.startswith("utf") else ASCII
    system = _COLOR_SYSTEMS.get(console.color_system or "") if console.is_terminal else None
    styles: dict[str, _Styled] = {
        name: _styler(name, system) for name in ("", "bold", "italic", "dim")
    }
    widths = _widths(rows, footer, max(console.width - CHROME, len(HEADERS)))

    def rule(left: str, line: str, join: str, right: str) -> str:
        return left + join.join(line * (w + 2) for w in widths) + right

    def lines(row: _Row, style: str = "") -> Iterator[str]:
        left, join, right = box.header if style == "header" else box.row
        bold = styles["bold" if style in ("header", "footer") else ""]
        cells = []
        for i, cell in enumerate(row.cells):
            column = widths[i if i < SEGMENT else i + 1]
            fitted = _fit(cell, column)
            fitted = (
                fitted.rjust(column)
                if (i if i < SEGMENT else i + 1) in RIGHT
                else fitted.ljust(column)
            )
            cells.append(" " + bold(fitted) + " " if cell else blank[i])
        before = left + join.join(cells[:SEGMENT]) + join
        after = join + join.join(cells[SEGMENT:]) + right
        room = widths[SEGMENT]
        for text, width in _wrap_paragraphs(row.segment, room, styles):
            yield before + " " + text + " " * (room - width + 1) + after
            before, after = blank_before, blank_after

    fixed = [w for i, w in enumerate(widths) if i != SEGMENT]
    blank = [" " * (w + 2) for w in fixed]
    bar = box.row[1]
    blank_before = box.row[0] + bar.join(blank[:SEGMENT]) + bar
    blank_after = bar + bar.join(blank[SEGMENT:]) + box.row[2]

    header = _Row(
        tuple(h for i, h in enumerate(HEADERS) if i != SEGMENT),
        (("", HEADERS[SEGMENT], "bold"),),
    )
    yield rule(*box.top)
    yield from lines(header, "header")
    yield rule(*box.below_header)
    for row in rows:
        yield from lines(row)
    yield rule(*box.above_footer)
    yield from lines(footer, "footer")
    yield rule(*box.bottom)


def _styler(name: str, system: ColorSystem | None) -> _Styled:
    if not name or system is None:
        return lambda text: text
    style = Style.parse(name)
    return lambda text: style.render(text, color_system=system)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _wrap_paragraphs(
    paragraphs: tuple[tuple[str, str, str], ...], width: int, styles: dict[str, _Styled]
) -> Iterator[tuple[str, int]]:
    """The segment cell's lines, styled, each with its width in cells."""
    for prefix, text, style in paragraphs:
        styled = styles[style]
        first = True
        for line in _wrap(prefix + text, width):
            if first and prefix:
                shown = styles["dim"](line[: len(prefix)]) + styled(line[len(prefix) :])
            else:
                shown = styled(line)
            first = False
            yield shown, _cells(line)


def _cells(text: str) -> int:
    """How many terminal cells `text` takes (ASCII: one a character, quickly)."""
    return len(text) if text.isascii() else cell_len(text)


def _wrap(text: str, width: int) -> list[str]:
    """Words to lines of at most `width` cells; a word longer than a line is cut."""
    if _cells(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while cell_len(word) > width:
            if line:
                lines.append(line)
                line = ""
            cut = _cut(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        if not line:
            line = word
        elif cell_len(line) + 1 + cell_len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def _cut(word: str, width: int) -> int:
    """How many characters of `word` fit in `width` cells (at least one)."""
    used = 0
    for index, char in enumerate(word):
        used += cell_len(char)
        if used > width:
            return max(index, 1)
    return len(word)
