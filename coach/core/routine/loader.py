"""Loading a routine from a file or text: read, compose, validate, all diagnostics at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coach.core.routine.diagnostics import ROOT, Diagnostic, DiagnosticList, source_lines
from coach.core.routine.model import Routine
from coach.core.routine.source import compose, read_text
from coach.core.routine.validate import validate


@dataclass(frozen=True)
class LoadResult:
    """What loading one routine gave: the routine if valid, and every diagnostic."""

    display_path: str
    text: str | None
    routine: Routine | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.routine is not None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)

    def report(self, excerpts: bool = False) -> list[str]:
        """Every diagnostic as text; with excerpts, each followed by its source line and caret."""
        if excerpts and self.text is not None:
            lines = source_lines(self.text)
            return [d.with_excerpt(self.display_path, lines) for d in self.diagnostics]
        return [d.headline(self.display_path) for d in self.diagnostics]


def load_text(text: str, routine_id: str, display_path: str = "<routine>") -> LoadResult:
    """Validate routine text (the file's stem is its id)."""
    diagnostics = DiagnosticList()
    routine = None
    if not text.strip():
        diagnostics.error(1, 1, ROOT, "the file is empty; a routine needs `name` and `segments`")
    else:
        node = compose(text, diagnostics)
        if node is not None:
            routine = validate(node, routine_id, diagnostics)
        elif not diagnostics.has_errors:
            diagnostics.error(
                1, 1, ROOT, "the file holds only comments; a routine needs `name` and `segments`"
            )
    if diagnostics.has_errors:
        routine = None
    return LoadResult(display_path, text, routine, diagnostics.sorted())


def load_file(path: Path, display_path: str | None = None) -> LoadResult:
    """Read and validate a routine file; its stem is its id."""
    shown = display_path if display_path is not None else str(path)
    diagnostics = DiagnosticList()
    text = read_text(path, diagnostics)
    if text is None:
        return LoadResult(shown, None, None, diagnostics.sorted())
    return load_text(text, path.stem, shown)
