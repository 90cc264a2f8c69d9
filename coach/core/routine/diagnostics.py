"""Compiler-style messages about a routine file: `PATH:LINE:COL: error: KEY.PATH: message`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

# Line breaks as YAML (and so every line number here) counts them; `str.splitlines` also
# breaks at form feeds and other separators YAML treats as ordinary (if invalid) characters.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def source_lines(source: str) -> list[str]:
    """The source's lines, numbered as diagnostics number them (from 1, at index 0)."""
    return LINE_BREAK.split(source)


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


ROOT = "(root)"
EXCERPT_WIDTH = 120


@dataclass(frozen=True)
class Diagnostic:
    """One error or warning, pointing at a 1-based line and column of the source."""

    severity: Severity
    line: int
    column: int
    key_path: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def headline(self, path: str) -> str:
        """The one-line form editors and tools parse."""
        key = self.key_path or ROOT
        return f"{path}:{self.line}:{self.column}: {self.severity.value}: {key}: {self.message}"

    def with_excerpt(self, path: str, source: str | Sequence[str]) -> str:
        """The headline followed by the offending source line and a caret under the column.

        `source` is the text, or its `source_lines` when excerpting many diagnostics.
        """
        lines = source_lines(source) if isinstance(source, str) else source
        if not 1 <= self.line <= len(lines):
            return self.headline(path)
        line = lines[self.line - 1]
        at = min(self.column, len(line) + 1) - 1
        # A very long line shows only a window around the column, marked with ellipses.
        start = max(0, min(at - EXCERPT_WIDTH // 2, len(line) - EXCERPT_WIDTH))
        shown = line[start : start + EXCERPT_WIDTH]
        before = "…" if start > 0 else ""
        after = "…" if start + EXCERPT_WIDTH < len(line) else ""
        text = before + visible(shown.replace("\t", " ")) + after
        caret = " " * (len(before) + at - start) + "^"
        gutter = f"{self.line:>4} | "
        return f"{self.headline(path)}\n{gutter}{text}\n{' ' * (len(gutter) - 2)}| {caret}"


def visible(text: str) -> str:
    """Make control characters visible (U+241B-style) so an excerpt can't drive the terminal.

    C1 controls (U+0080-U+009F) have no pictures; some terminals obey them (U+009B is CSI),
    so they show as U+FFFD.
    """
    return "".join(
        chr(0x2400 + ord(ch))
        if ord(ch) < 0x20
        else "\u2421"
        if ord(ch) == 0x7F
        else "\ufffd"
        if 0x80 <= ord(ch) < 0xA0
        else ch
        for ch in text
    )


class DiagnosticList:
    """Collects every error and warning of one file, in source order when reported."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, line: int, column: int, key_path: str, message: str) -> None:
        self._items.append(Diagnostic(Severity.ERROR, line, column, key_path, message))

    def warning(self, line: int, column: int, key_path: str, message: str) -> None:
        self._items.append(Diagnostic(Severity.WARNING, line, column, key_path, message))

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self._items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(self._items, key=lambda d: (d.line, d.column)))
