"""Compiler-style messages about a routine file: `PATH:LINE:COL: error: KEY.PATH: message`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


ROOT = "(root)"


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

    def with_excerpt(self, path: str, source: str) -> str:
        """The headline followed by the offending source line and a caret under the column."""
        lines = source.splitlines()
        if not 1 <= self.line <= len(lines):
            return self.headline(path)
        text = visible(lines[self.line - 1].replace("\t", " "))
        caret = " " * (min(self.column, len(text) + 1) - 1) + "^"
        gutter = f"{self.line:>4} | "
        return f"{self.headline(path)}\n{gutter}{text}\n{' ' * (len(gutter) - 2)}| {caret}"


def visible(text: str) -> str:
    """Make control characters visible (U+241B-style) so an excerpt can't drive the terminal."""
    return "".join(
        chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else "\u2421" if ord(ch) == 0x7F else ch
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
