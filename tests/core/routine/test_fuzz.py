"""Whatever a routine file holds, loading it gives diagnostics, quickly, and never an exception."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.core.routine import LoadResult, load_text
from coach.core.routine.diagnostics import DiagnosticList
from coach.core.routine.source import MAX_BYTES, MAX_DEPTH, decode

BUILTIN_DIR = Path(__file__).resolve().parents[3] / "routines"
BUILTIN_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(BUILTIN_DIR.glob("*.yaml"))]

# A guard against pathological slowness, not a benchmark.
QUICKLY = 2.0

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Line breaks as YAML counts them.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
TERMINAL_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def timed_load(text: str) -> LoadResult:
    started = time.perf_counter()
    result = load_text(text, "t", "t.yaml")
    assert time.perf_counter() - started < QUICKLY
    return result


def assert_well_formed(result: LoadResult, text: str) -> None:
    """Diagnostics point inside the file, agree with `ok`, and print safely."""
    lines = len(LINE_BREAK.split(text))
    for diagnostic in result.diagnostics:
        assert 1 <= diagnostic.line <= lines + 1, diagnostic
        assert diagnostic.column >= 1, diagnostic
    assert result.ok == (not result.errors)
    assert result.ok == (result.routine is not None)
    for line in result.report():
        assert line.isprintable(), line
    started = time.perf_counter()
    excerpts = result.report(excerpts=True)
    assert time.perf_counter() - started < QUICKLY
    for block in excerpts:
        assert not TERMINAL_CONTROL.search(block), block


def assert_refused(text: str) -> LoadResult:
    result = timed_load(text)
    assert_well_formed(result, text)
    assert not result.ok
    assert result.errors
    return result


# -- random input ----------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_only_diagnostics(raw: bytes) -> None:
    diagnostics = DiagnosticList()
    text = decode(raw, diagnostics)
    if text is None:
        [error] = diagnostics.sorted()
        assert error.line >= 1
        assert error.column >= 1
        return
    assert_well_formed(timed_load(text), text)


@FUZZ
@given(st.text(max_size=2000))
def test_arbitrary_text_gives_only_diagnostics(text: str) -> None:
    assert_well_formed(timed_load(text), text)


YAML_ISH = st.text(
    alphabet=st.sampled_from([*":-?[]{},&*!|>'\"#%@` \n\t\r~.0159aez_\\", "\ufeff", "é"]),
    max_size=400,
)


@FUZZ
@given(YAML_ISH)
def test_yaml_punctuation_soup_gives_only_diagnostics(text: str) -> None:
    assert_well_formed(timed_load(text), text)


# -- mangled built-ins -----------------------------------------------------------------

Mangle = Callable[[st.DataObject, str], str]


def _at(data: st.DataObject, text: str) -> int:
    return data.draw(st.integers(min_value=0, max_value=len(text)))


def insert_tab(data: st.DataObject, text: str) -> str:
    i = _at(data, text)
    return text[:i] + "\t" + text[i:]


def prefix_bom(data: st.DataObject, text: str) -> str:
    return "\ufeff" + text


def crlf_line_endings(data: st.DataObject, text: str) -> str:
    return text.replace("\n", "\r\n")


def truncate(data: st.DataObject, text: str) -> str:
    return text[: _at(data, text)]


def duplicate_line(data: st.DataObject, text: str) -> str:
    lines = text.splitlines(keepends=True) or [""]
    i = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    return "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])


def swap_characters(data: st.DataObject, text: str) -> str:
    if len(text) < 2:
        return text
    i = data.draw(st.integers(min_value=0, max_value=len(text) - 2))
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def delete_character(data: st.DataObject, text: str) -> str:
    i = _at(data, text)
    return text[:i] + text[i + 1 :]


def insert_character(data: st.DataObject, text: str) -> str:
    i = _at(data, text)
    ch = data.draw(st.sampled_from(list(":-[]{}&*!|>'\"# \n\x00\x1b\u2028")))
    return text[:i] + ch + text[i:]


MANGLES: list[Mangle] = [
    insert_tab,
    prefix_bom,
    crlf_line_endings,
    truncate,
    duplicate_line,
    swap_characters,
    delete_character,
    insert_character,
]


@FUZZ
@given(st.data())
def test_mangled_builtin_gives_only_diagnostics(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(BUILTIN_TEXTS))
    for mangle in data.draw(st.lists(st.sampled_from(MANGLES), min_size=1, max_size=4)):
        text = mangle(data, text)
    assert_well_formed(timed_load(text), text)


@pytest.mark.parametrize("mangle", [prefix_bom, crlf_line_endings], ids=lambda m: m.__name__)
def test_builtin_with_bom_or_crlf_still_loads(mangle: Mangle) -> None:
    for text in BUILTIN_TEXTS:
        result = timed_load(mangle(None, text))  # type: ignore[arg-type]
        assert result.ok, result.report()


# -- hostile input ---------------------------------------------------------------------


def indented_mappings(levels: int) -> str:
    return "".join(" " * depth + "a:\n" for depth in range(levels))


def billion_laughs() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "open brackets": "[" * 10000,
    "open braces": "{" * 10000,
    "closed brackets": "[" * 10000 + "]" * 10000,
    "block sequences on one line": "- " * 10000 + "a",
    "complex keys on one line": "? " * 10000 + "a",
    "indented mappings": indented_mappings(MAX_DEPTH + 5),
    "indented mappings up to the size limit": indented_mappings(700),
    "billion laughs": billion_laughs(),
    "huge number": "name: W\ncadence: " + "9" * 5000 + "\nsegments: [{name: A, duration: 1m}]\n",
    "huge negative number": "name: W\ncadence: -" + "9" * 5000 + "\n",
    "huge float": "name: W\ncadence: " + "1" * 5000 + ".5\n",
    "huge sexagesimal": "name: W\ncadence: " + "1:" * 5000 + "1\n",
    "huge hex": "name: W\ncadence: 0x" + "f" * 5000 + "\n",
    "huge key": "k" * 100000 + ": 1\n",
    "huge text": "name: " + "x" * 200000 + "\n",
    "over the size limit": "name: " + "x" * MAX_BYTES + "\n",
    "many aliases": "a: &x 1\nb: [" + ", ".join(["*x"] * 20000) + "]\n",
    "tag soup": "!" * 10000,
    "unterminated quote": "name: '" + "x" * 100000,
    "control character": "name: W\x00\n",
    "lone surrogate": "name: \ud800\n",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_refused_quickly_with_a_located_error(text: str) -> None:
    assert_refused(text)


def test_nesting_deeper_than_the_limit_is_reported_where_it_starts() -> None:
    result = assert_refused("[" * 10000)
    assert result.report() == [
        f"t.yaml:1:{MAX_DEPTH + 1}: error: (root): nested more than 24 levels deep"
    ]


def test_billion_laughs_is_stopped_at_its_first_anchor() -> None:
    result = assert_refused(billion_laughs())
    assert "t.yaml:1:5: error: (root): anchors (`&name`) are not supported" in result.report()


def test_bytes_over_the_size_limit_are_refused_before_decoding() -> None:
    diagnostics = DiagnosticList()
    assert decode(b"a" * (MAX_BYTES + 1), diagnostics) is None
    [error] = diagnostics.sorted()
    assert "larger than 256 KiB" in error.message


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"\xff", 1, 1),
        (b"name: caf\xc3\xa9 \xff\n", 1, 12),
        (b"\xef\xbb\xbfname: \xff\n", 1, 7),
        (b"name: W\r\nnote: \xc3(\n", 2, 7),
        (b"a: 1\rb: \xfe\n", 2, 4),
    ],
    ids=["first byte", "after multibyte", "after BOM", "crlf", "cr"],
)
def test_bad_utf8_is_reported_at_its_character_position(raw: bytes, line: int, column: int) -> None:
    diagnostics = DiagnosticList()
    assert decode(raw, diagnostics) is None
    [error] = diagnostics.sorted()
    assert (error.line, error.column) == (line, column)
    assert "not UTF-8 text" in error.message
