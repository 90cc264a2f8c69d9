"""Loading routine files, and how their diagnostics are shown: headline and excerpt."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.core.routine import Diagnostic, Severity, load_file
from coach.core.routine.diagnostics import EXCERPT_WIDTH
from coach.core.routine.source import MAX_BYTES

MINIMAL = "name: Mine\ncadence: 100\nsegments: [{name: A, duration: 5m}]\n"


def test_routine_file_loads_with_its_stem_as_id(tmp_path: Path) -> None:
    path = tmp_path / "lunch-walk.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = load_file(path)
    assert result.routine is not None
    assert result.routine.id == "lunch-walk"


def test_routine_file_with_a_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_file(path).ok


def test_headlines_name_the_display_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: W\n", encoding="utf-8")
    [headline] = load_file(path, display_path="routines/bad.yaml").report()
    assert headline.startswith("routines/bad.yaml:1:1: error: segments: ")


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    result = load_file(tmp_path / "nowhere.yaml")
    assert result.text is None
    [headline] = result.report(excerpts=True)
    assert "1:1: error: (root): cannot read the file" in headline


def test_directory_is_an_error_not_an_exception(tmp_path: Path) -> None:
    [headline] = load_file(tmp_path).report()
    assert headline.endswith(":1:1: error: (root): is a directory, not a routine file")


def test_file_that_is_not_utf8_is_an_error_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Café\n".encode("latin-1"))
    [headline] = load_file(path, display_path="l.yaml").report()
    assert headline == "l.yaml:1:10: error: (root): not UTF-8 text (byte 0xe9); save it as UTF-8"


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES)
    [headline] = load_file(path, display_path="h.yaml").report()
    assert headline.startswith("h.yaml:1:1: error: (root): file is larger than 256 KiB")


# -- excerpts --------------------------------------------------------------------------


def error_at(line: int, column: int) -> Diagnostic:
    return Diagnostic(Severity.ERROR, line, column, "name", "bad")


def test_excerpt_puts_a_caret_under_the_column() -> None:
    assert error_at(2, 7).with_excerpt("t.yaml", "a: 1\nname: [x]\n") == (
        "t.yaml:2:7: error: name: bad\n   2 | name: [x]\n     |       ^"
    )


def test_excerpt_shows_tabs_as_spaces_so_the_caret_lines_up() -> None:
    assert error_at(1, 3).with_excerpt("t", "a:\tb").endswith("| a: b\n     |   ^")


@pytest.mark.parametrize(
    ("source", "shown"),
    [("a\x1b[2Jb", "a\u241b[2Jb"), ("a\x7fb", "a\u2421b"), ("a\x9bb", "a\ufffdb")],
    ids=["escape", "delete", "c1-csi"],
)
def test_excerpt_shows_control_characters_harmlessly(source: str, shown: str) -> None:
    assert f"| {shown}\n" in error_at(1, 1).with_excerpt("t", source)


def test_excerpt_of_a_line_past_the_end_is_just_the_headline() -> None:
    assert error_at(5, 1).with_excerpt("t", "one line\n") == "t:5:1: error: name: bad"


def test_excerpt_numbers_lines_as_yaml_does() -> None:
    # A form feed is not a line break in YAML, though `str.splitlines` treats it as one.
    assert "|   ^" in error_at(2, 3).with_excerpt("t", "a\x0cb\nxyz\n")
    assert "   2 | xyz" in error_at(2, 3).with_excerpt("t", "a\x0cb\nxyz\n")


@pytest.mark.parametrize("column", [1, 60, 500, 999, 1000, 1001])
def test_excerpt_of_a_long_line_is_a_window_around_the_column(column: int) -> None:
    line = "".join(chr(ord("a") + i % 26) for i in range(1000))
    _, shown, caret = error_at(1, column).with_excerpt("t", line).split("\n")
    shown, caret = shown.removeprefix("   1 | "), caret.removeprefix("     | ")
    assert len(shown) <= EXCERPT_WIDTH + 2
    at = caret.index("^")
    if column <= len(line):
        assert shown[at] == line[column - 1]
    else:
        assert at >= len(shown.rstrip("…"))
