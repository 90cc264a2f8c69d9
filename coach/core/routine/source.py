"""Reading a routine file into PyYAML's node tree, keeping every value's line and column.

Only the safe loader's composer runs: nothing is constructed from tags, aliases are
refused (so no "billion laughs"), nesting and file size are bounded, and every failure
becomes a Diagnostic instead of an exception.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

import yaml
from yaml.error import Mark
from yaml.events import AliasEvent, Event, NodeEvent
from yaml.nodes import Node, ScalarNode

from coach.core.routine.diagnostics import ROOT, DiagnosticList, source_lines

MAX_BYTES = 256 * 1024
MAX_DEPTH = 24


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


def _start(event: Event) -> Mark:
    """Where an event starts (the pure-Python parser always sets it)."""
    mark = event.start_mark
    assert isinstance(mark, Mark)
    return mark


class _RoutineLoader(yaml.SafeLoader):
    """SafeLoader's composer with aliases refused and nesting depth bounded."""

    def __init__(self, stream: str, diagnostics: DiagnosticList) -> None:
        super().__init__(stream)
        self._diagnostics = diagnostics
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            alias: AliasEvent = self.get_event()  # type: ignore[no-untyped-call]  # untyped stub
            mark = _start(alias)
            self._diagnostics.error(
                mark.line + 1, mark.column + 1, ROOT, "aliases (`*name`) are not supported"
            )
            return ScalarNode("tag:yaml.org,2002:null", "", mark, mark)
        event: NodeEvent = self.peek_event()  # type: ignore[no-untyped-call]  # untyped stub
        if event.anchor is not None:
            mark = _start(event)
            self._diagnostics.error(
                mark.line + 1, mark.column + 1, ROOT, "anchors (`&name`) are not supported"
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeep(_start(event))
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_text(path: Path, diagnostics: DiagnosticList) -> str | None:
    """Read a routine file as UTF-8 (a BOM is allowed), refusing huge or binary files.

    Only a regular file is read: a FIFO or a device would block or never end, so it is
    refused at once.
    """
    try:
        if path.is_dir():
            diagnostics.error(1, 1, ROOT, "is a directory, not a routine file")
            return None
        if not stat.S_ISREG(path.stat().st_mode):
            diagnostics.error(
                1, 1, ROOT, "is not a regular file (a FIFO, socket or device); not read"
            )
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        diagnostics.error(1, 1, ROOT, f"cannot read the file: {reason}")
        return None
    return decode(raw, diagnostics)


def decode(raw: bytes, diagnostics: DiagnosticList) -> str | None:
    """Decode routine bytes as UTF-8, reporting the first bad byte's line and column."""
    if len(raw) > MAX_BYTES:
        diagnostics.error(
            1, 1, ROOT, f"file is larger than {MAX_BYTES // 1024} KiB; a routine is far smaller"
        )
        return None
    # The BOM is dropped by hand: the utf-8-sig codec's error offsets don't count it.
    body = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Everything before the bad byte decoded, so count in characters as editors do.
        before = body[: exc.start].decode("utf-8")
        line, column = _position(before, len(before))
        diagnostics.error(
            line, column, ROOT, f"not UTF-8 text (byte 0x{body[exc.start]:02x}); save it as UTF-8"
        )
        return None


def compose(text: str, diagnostics: DiagnosticList) -> Node | None:
    """Parse YAML text into one document's node tree, or None with the reason recorded."""
    if len(text) > MAX_BYTES:
        diagnostics.error(1, 1, ROOT, f"text is larger than {MAX_BYTES // 1024} KiB")
        return None
    loader: _RoutineLoader | None = None
    try:
        loader = _RoutineLoader(text, diagnostics)
        return loader.get_single_node()
    except _TooDeep as exc:
        diagnostics.error(
            exc.mark.line + 1,
            exc.mark.column + 1,
            ROOT,
            f"nested more than {MAX_DEPTH} levels deep",
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        diagnostics.error(line, column, ROOT, f"YAML syntax: {_syntax_problem(exc)}")
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        # PyYAML gives the character as its code point for text input.
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or " ")
        diagnostics.error(
            line, column, ROOT, f"YAML does not allow the character U+{code:04X} in a file"
        )
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        diagnostics.error(1, 1, ROOT, f"YAML cannot read this text: {type(exc).__name__}")
    finally:
        if loader is not None:
            loader.dispose()
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError) -> str:
    """The parser's complaint, reworded where PyYAML's words are obscure."""
    problem = exc.problem or exc.context or "invalid YAML"
    if problem == "but found another document":
        return "a routine file holds one YAML document; remove this `---` and what follows"
    if "'\\t'" in problem:
        return "a tab cannot indent or separate YAML; use spaces"
    if exc.context and exc.problem:
        return f"{problem} ({exc.context})"
    return problem


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `text[index]`, counting line breaks as YAML does."""
    lines = source_lines(text[:index])
    return len(lines), len(lines[-1]) + 1
