"""Loading a programme from a file or text: read, compose, validate, all diagnostics at once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from coach.core.programme.model import Programme
from coach.core.programme.validate import validate
from coach.core.routine.diagnostics import ROOT, Diagnostic, DiagnosticList, source_lines
from coach.core.routine.source import compose, read_text


@dataclass(frozen=True)
class ProgrammeLoadResult:
    """What loading one programme gave: the programme if valid, and every diagnostic."""

    display_path: str
    text: str | None
    programme: Programme | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.programme is not None

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


def load_text(
    text: str,
    programme_id: str,
    display_path: str = "<programme>",
    known_routines: Collection[str] | None = None,
) -> ProgrammeLoadResult:
    """Validate programme text (the file's stem is its id).

    `known_routines`: the routine ids that exist; when given, a week naming another is an
    error (with a suggestion).
    """
    diagnostics = DiagnosticList()
    programme = None
    if not text.strip():
        diagnostics.error(1, 1, ROOT, "the file is empty; a programme needs `name` and `weeks`")
    else:
        node = compose(text, diagnostics)
        if node is not None:
            programme = validate(node, programme_id, diagnostics, known_routines)
        elif not diagnostics.has_errors:
            diagnostics.error(
                1, 1, ROOT, "the file holds only comments; a programme needs `name` and `weeks`"
            )
    if diagnostics.has_errors:
        programme = None
    return ProgrammeLoadResult(display_path, text, programme, diagnostics.sorted())


def load_file(
    path: Path,
    display_path: str | None = None,
    known_routines: Collection[str] | None = None,
) -> ProgrammeLoadResult:
    """Read and validate a programme file; its stem is its id."""
    shown = display_path if display_path is not None else str(path)
    diagnostics = DiagnosticList()
    text = read_text(path, diagnostics)
    if text is None:
        return ProgrammeLoadResult(shown, None, None, diagnostics.sorted())
    return load_text(text, path.stem, shown, known_routines)
