"""Hostile routine files through real `coach` processes: refused quickly, in bounded memory.

`coach routines validate FILE` and `coach walk FILE --plain` each run as a child process
with its address space capped at 1 GiB and a few seconds to finish, so a parser blow-up
shows as a failure here rather than a hung or swapping machine. Each attack must end in
exit 1 with compiler-style `PATH:LINE:COL: error: ...` lines and never a traceback; the
walk refuses the file with the same lines before it starts.

The loader's own fuzzing, in-process and with many more examples, is
tests/routine/test_fuzz.py; this file checks the whole command, end to end.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX rlimits and preexec_fn"),
]

REPO = Path(__file__).resolve().parent.parent
BUILTINS = sorted((REPO / "routines").glob("*.yaml"))
# Python starts and imports coach in a fraction of this; a loop or a blow-up does not.
WALL_SECONDS = 3.0
MEMORY_CAP = 1 << 30
HEADLINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|warning): \S+: .+$")
VALID = b"name: Tiny\ncadence: 100\nsegments:\n  - name: Walk\n    duration: 30s\n"


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def without_root_override() -> list[str]:
    """A prefix under which file permissions hold even for root (who ignores them):
    root's child loses the capabilities that override them."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def coach(folder: Path, *args: str, enforce_permissions: bool = False) -> Run:
    """`python -m coach ARGS` in `folder`, with a private COACH_HOME, memory and time capped."""
    env = {**os.environ, "COACH_HOME": str(folder / "home"), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("FORCE_COLOR", None)
    prefix = without_root_override() if enforce_permissions else []
    proc = subprocess.run(
        [*prefix, sys.executable, "-m", "coach", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=WALL_SECONDS,
        preexec_fn=_cap_memory,
    )
    # Strict decoding: whatever the file held, coach's own output is UTF-8.
    run = Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))
    assert "Traceback" not in run.err + run.out, run.err
    assert "MemoryError" not in run.err, run.err
    return run


def validate(folder: Path, name: str) -> Run:
    return coach(folder, "routines", "validate", name)


def walk(folder: Path, name: str) -> Run:
    # 600 is --speed's maximum: previews are not recorded, so nothing touches the store.
    return coach(folder, "walk", name, "--plain", "--sound", "off", "--speed", "600")


def assert_headlines_only(out: str) -> None:
    """Piped output is one compiler-style line per diagnostic, no source excerpts."""
    lines = out.splitlines()
    assert lines, "no diagnostics printed"
    for line in lines:
        assert HEADLINE.match(line), line
        assert line.isprintable(), line


def test_children_really_are_capped_at_1_gib(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "bytearray(2 << 30)"],
        capture_output=True,
        text=True,
        timeout=WALL_SECONDS,
        preexec_fn=_cap_memory,
    )
    assert proc.returncode != 0
    assert "MemoryError" in proc.stderr


# -- the attacks -----------------------------------------------------------------------


def nested_block_sequences(levels: int) -> bytes:
    return b"- " * levels + b"a\n"


def indented_block_sequences(levels: int) -> bytes:
    # One level per line, as people write it, until the file is too big to read.
    return b"".join(b"  " * depth + b"-\n" for depth in range(levels))


def billion_laughs() -> bytes:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def tagged(tag_line: str) -> Callable[[Path], bytes]:
    """A routine whose cadence is a Python object that would write MARKER if constructed."""

    def build(folder: Path) -> bytes:
        line = tag_line.format(marker=folder / "MARKER")
        return f"name: W\n{line}\nsegments:\n  - name: A\n    duration: 1m\n".encode()

    return build


BIG = 10 * 1024 * 1024

# id -> (file bytes, or a builder given the test's folder; the first headline's start).
ATTACKS: dict[str, tuple[bytes | Callable[[Path], bytes], str]] = {
    "tab indentation": (
        b"name: W\ncadence: 100\nsegments:\n\t- name: A\n\t  duration: 1m\n",
        "4:1: error: (root): YAML syntax: a tab cannot indent or separate YAML; use spaces",
    ),
    "latin-1 bytes": (
        "name: Caf\u00e9 walk\ncadence: 100\n".encode("latin-1"),
        "1:10: error: (root): not UTF-8 text (byte 0xe9); save it as UTF-8",
    ),
    "latin-1 after a BOM and CRLF": (
        b"\xef\xbb\xbfname: W\r\nnote: caf\xe9\r\n",
        "2:10: error: (root): not UTF-8 text (byte 0xe9)",
    ),
    "10 MB": (
        b"name: W\n" + b"#" * BIG,
        "1:1: error: (root): file is larger than 256 KiB; a routine is far smaller",
    ),
    "10,000 open flow brackets": (
        b"[" * 10_000,
        "1:25: error: (root): nested more than 24 levels deep",
    ),
    "10,000 closed flow brackets": (
        b"[" * 10_000 + b"]" * 10_000,
        "1:25: error: (root): nested more than 24 levels deep",
    ),
    "10,000 nested block sequences": (
        nested_block_sequences(10_000),
        "1:49: error: (root): nested more than 24 levels deep",
    ),
    "10,000 indented block sequences": (
        indented_block_sequences(10_000),
        "1:1: error: (root): file is larger than 256 KiB",
    ),
    "500 indented block sequences": (
        indented_block_sequences(500),
        "25:49: error: (root): nested more than 24 levels deep",
    ),
    "billion laughs": (
        billion_laughs(),
        "1:1: error: a0: unknown key `a0` in a routine",
    ),
    "non-string keys": (
        b"name: W\n1: x\n~: y\n[a, b]: z\n{c: d}: e\ncadence: 100\n"
        b"segments:\n  - name: A\n    duration: 1m\n",
        "2:1: error: 1: unknown key `1` in a routine",
    ),
    "huge integers": (
        b"name: W\ncadence: 1" + b"0" * 400 + b"\nsegments:\n  - name: A\n    duration: 1"
        b"" + b"0" * 400 + b"\n    cadence: -1" + b"0" * 400 + b"\n",
        "2:10: error: cadence: cadence (steps per minute) must be from 40 to 180, got 1000",
    ),
    "floats, nan and inf": (
        b"name: W\ncadence: 100.5\nsegments:\n  - name: A\n    duration: 1.5e3\n"
        b"    cadence: .nan\n  - name: B\n    duration: .inf\n    cadence: -.inf\n",
        "2:10: error: cadence: cadence (steps per minute) must be a whole number, "
        "got a decimal number `100.5`",
    ),
    "booleans where numbers belong": (
        b"name: W\ncadence: true\nsegments:\n  - name: A\n    duration: yes\n"
        b"  - repeat: on\n    segments: [{name: B, duration: 1m}]\n",
        "2:10: error: cadence: cadence (steps per minute) must be a whole number, "
        "got true/false `true`",
    ),
    "python/object/apply": (
        tagged('cadence: !!python/object/apply:os.system ["echo pwned > {marker}"]'),
        "2:10: error: cadence: the tag `!!python/object/apply:os.system` is not allowed",
    ),
    "python/object/new": (
        tagged('cadence: !!python/object/new:os.system ["echo pwned > {marker}"]'),
        "2:10: error: cadence: the tag `!!python/object/new:os.system` is not allowed",
    ),
    "python/object": (
        tagged("cadence: !!python/object:subprocess.Popen {{args: [touch, {marker}]}}"),
        "2:10: error: cadence: the tag `!!python/object:subprocess.Popen` is not allowed",
    ),
    "python/object/apply on the document": (
        lambda folder: (
            f"--- !!python/object/apply:os.system\nargs: [touch {folder}/MARKER]\n".encode()
        ),
        "1:5: error: (root): the tag `!!python/object/apply:os.system` is not allowed",
    ),
    "binary": (
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16,
        "1:1: error: (root): not UTF-8 text (byte 0x89)",
    ),
    "NUL bytes": (
        b"\x00" * 4096,
        "1:1: error: (root): YAML does not allow the character U+0000 in a file",
    ),
    "empty": (
        b"",
        "1:1: error: (root): the file is empty; a routine needs `name` and `segments`",
    ),
    "comments only": (
        b"# name: W\n# cadence: 100\n",
        "1:1: error: (root): the file holds only comments",
    ),
    "two documents": (
        VALID + b"---\n" + VALID,
        "6:1: error: (root): YAML syntax: a routine file holds one YAML document",
    ),
}


def write_attack(folder: Path, attack: str) -> str:
    content, _ = ATTACKS[attack]
    raw = content(folder) if callable(content) else content
    name = re.sub(r"\W+", "-", attack).strip("-") + ".yaml"
    (folder / name).write_bytes(raw)
    return name


@pytest.mark.parametrize("attack", ATTACKS)
def test_validate_refuses_hostile_file_with_located_errors(tmp_path: Path, attack: str) -> None:
    name = write_attack(tmp_path, attack)
    run = validate(tmp_path, name)
    assert run.code == 1, run
    assert_headlines_only(run.out)
    assert run.out.startswith(f"{name}:{ATTACKS[attack][1]}"), run.out
    assert run.err.startswith("1 file(s): 0 valid, 1 with errors (")
    assert len(run.err.splitlines()) == 1
    assert not (tmp_path / "MARKER").exists()


@pytest.mark.parametrize("attack", ATTACKS)
def test_walk_refuses_hostile_file_before_starting(tmp_path: Path, attack: str) -> None:
    name = write_attack(tmp_path, attack)
    checked = validate(tmp_path, name)
    run = walk(tmp_path, name)
    assert run.code == 1, run
    # The same diagnostics as validate, then one line saying the walk cannot start.
    assert run.out == checked.out
    errors = sum(1 for line in run.out.splitlines() if ": error: " in line)
    assert run.err == f"coach: {name} has {errors} error(s)\n"
    assert not (tmp_path / "MARKER").exists()
    assert not (tmp_path / "home" / "coach.db").exists()


def test_aliases_are_refused_at_each_anchor_and_alias(tmp_path: Path) -> None:
    name = write_attack(tmp_path, "billion laughs")
    out = validate(tmp_path, name).out
    assert f"{name}:1:5: error: (root): anchors (`&name`) are not supported" in out
    assert f"{name}:2:10: error: (root): aliases (`*name`) are not supported" in out
    # Refused, not expanded: one line per anchor and alias written, 9 ** 10 never built.
    assert out.count("not supported") == 10 + 9 * 9


def test_every_non_string_key_is_reported_on_its_line(tmp_path: Path) -> None:
    name = write_attack(tmp_path, "non-string keys")
    out = validate(tmp_path, name).out
    for line in (3, 4, 5):
        assert f"{name}:{line}:1: error: (root): keys must be plain words such as `name`" in out


def test_nan_inf_and_floats_are_each_an_error_at_their_value(tmp_path: Path) -> None:
    name = write_attack(tmp_path, "floats, nan and inf")
    out = validate(tmp_path, name).out
    assert f"{name}:5:15: error: segments[0].duration: `1.5e3` is not a duration" in out
    assert f"{name}:6:14: error: segments[0].cadence: " in out
    assert "got a decimal number `.nan`" in out
    assert f"{name}:8:15: error: segments[1].duration: expected a duration" in out
    assert "got a decimal number `-.inf`" in out


def test_huge_numbers_are_clipped_in_the_message(tmp_path: Path) -> None:
    name = write_attack(tmp_path, "huge integers")
    out = validate(tmp_path, name).out
    assert f"{name}:5:15: error: segments[0].duration: duration of `1000" in out
    assert f"{name}:6:14: error: segments[0].cadence: " in out
    assert max(len(line) for line in out.splitlines()) < 200


# -- files that are not files ----------------------------------------------------------


def test_validate_directory_is_an_error_at_1_1(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    run = validate(tmp_path, "folder.yaml")
    assert run.code == 1
    assert run.out == "folder.yaml:1:1: error: (root): is a directory, not a routine file\n"


def test_validate_missing_file_is_an_error_at_1_1_not_a_usage_error(tmp_path: Path) -> None:
    run = validate(tmp_path, "missing.yaml")
    assert run.code == 1
    assert run.out == (
        "missing.yaml:1:1: error: (root): cannot read the file: No such file or directory\n"
    )


@pytest.mark.parametrize("command", ["validate", "show"])
def test_an_unreadable_file_is_a_located_error_not_a_usage_error(
    tmp_path: Path, command: str
) -> None:
    (tmp_path / "locked.yaml").write_bytes(VALID)
    (tmp_path / "locked.yaml").chmod(0)
    run = coach(tmp_path, "routines", command, "locked.yaml", enforce_permissions=True)
    assert run.code == 1
    assert run.out == "locked.yaml:1:1: error: (root): cannot read the file: Permission denied\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_validate_refuses_an_endless_device_at_once(tmp_path: Path) -> None:
    run = validate(tmp_path, "/dev/zero")
    assert run.code == 1
    assert run.out == (
        "/dev/zero:1:1: error: (root): is not a regular file (a FIFO, socket or device); not read\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
@pytest.mark.parametrize(
    "args",
    [["routines", "validate"], ["routines", "show"], ["walk", "--plain", "--speed", "600"]],
    ids=["validate", "show", "walk"],
)
def test_a_fifo_is_refused_at_once_with_a_located_error(tmp_path: Path, args: list[str]) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    began = time.monotonic()
    run = coach(tmp_path, *args, "pipe.yaml")
    assert time.monotonic() - began < WALL_SECONDS / 2  # nobody writes to it: no waiting
    assert run.code == 1
    assert run.out.startswith("pipe.yaml:1:1: error: (root): is not a regular file")


@pytest.mark.parametrize("make", ["directory", "missing"])
def test_walk_of_a_directory_or_missing_file_is_one_line_naming_it(
    tmp_path: Path, make: str
) -> None:
    # `coach walk NAME` takes NAME as a routine id when it is not a file, so it says that.
    if make == "directory":
        (tmp_path / "folder.yaml").mkdir()
    name = "folder.yaml" if make == "directory" else "missing.yaml"
    run = walk(tmp_path, name)
    assert run.code == 1
    assert run.out == ""
    assert run.err == f"coach: no routine or file named {name!r}; see `coach routines list`\n"


# -- encodings that must pass ----------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda raw: b"\xef\xbb\xbf" + raw,
        lambda raw: raw.replace(b"\n", b"\r\n"),
        lambda raw: b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"),
    ],
    ids=["BOM", "CRLF", "BOM and CRLF"],
)
def test_builtin_with_bom_or_crlf_is_valid(
    tmp_path: Path, encode: Callable[[bytes], bytes]
) -> None:
    for builtin in BUILTINS:
        (tmp_path / builtin.name).write_bytes(encode(builtin.read_bytes()))
    run = coach(tmp_path, "routines", "validate", *(b.name for b in BUILTINS))
    assert run.code == 0, run.out
    assert run.out == ""
    assert run.err.startswith(f"{len(BUILTINS)} file(s): {len(BUILTINS)} valid, 0 with errors")


def test_routine_with_bom_and_crlf_walks_to_the_end(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_bytes(b"\xef\xbb\xbf" + VALID.replace(b"\n", b"\r\n"))
    run = walk(tmp_path, "tiny.yaml")
    assert run.code == 0, run.err
    assert run.out.splitlines()[0] == "[00:00:00] Walk — 0:30 at 100 spm (moderate)"
    assert "[00:00:30] Preview over: Tiny, 0:30 (not recorded)" in run.out.splitlines()


# -- mangled built-ins -----------------------------------------------------------------


@st.composite
def mangled_builtin(draw: st.DrawFn) -> bytes:
    """A built-in routine with a few characters deleted, duplicated or swapped."""
    text = draw(st.sampled_from(BUILTINS)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        i = draw(st.integers(min_value=0, max_value=len(text) - 2))
        how = draw(st.sampled_from(["delete", "duplicate", "swap"]))
        if how == "delete":
            text = text[:i] + text[i + 1 :]
        elif how == "duplicate":
            text = text[: i + 1] + text[i:]
        else:
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text.encode("utf-8")


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=mangled_builtin())
def test_mangled_builtin_gives_exit_0_or_1_and_headlines_only(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "mangled.yaml").write_bytes(raw)
    run = validate(tmp_path, "mangled.yaml")
    assert run.code in (0, 1), run
    if run.code == 1:
        assert_headlines_only(run.out)
        assert all(line.startswith("mangled.yaml:") for line in run.out.splitlines())
    else:
        assert all(": warning: " in line for line in run.out.splitlines()), run.out
