"""The direction of dependencies: the core decides, the shell does I/O.

`coach/core/` may import the standard library's pure parts, PyYAML and itself: never
Textual, Rich, click, SQLite, subprocesses, threads, the environment or a clock, and it
reads files only where a loader reads the one file it is given. The store and the
library know nothing of screens. These tests read the source (imports and
calls), so a shortcut cannot slip in unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "coach"

# What the pure core may never import (top-level module names).
SHELL_ONLY = {
    "textual",
    "rich",
    "click",
    "platformdirs",
    "miniaudio",
    "sqlite3",
    "subprocess",
    "threading",
    "multiprocessing",
    "asyncio",
    "socket",
    "signal",
    "time",
    "os",
    "shutil",
    "tempfile",
}
# Calls that read a clock or the environment.
CLOCK_CALLS = {"now", "today", "utcnow", "monotonic", "perf_counter", "getenv", "expanduser"}


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


CORE = modules("core")


def test_there_is_a_core_to_check() -> None:
    assert len(CORE) > 20


@pytest.mark.parametrize("path", CORE, ids=relative)
def test_the_core_imports_no_shell_module(path: Path) -> None:
    bad = {
        name
        for name in imports(path)
        if name.split(".")[0] in SHELL_ONLY
        or (name.startswith("coach") and not name.startswith("coach.core"))
    }
    assert not bad, f"{relative(path)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", CORE, ids=relative)
def test_the_core_reads_no_clock_and_no_environment(path: Path) -> None:
    calls = {
        node.func.attr
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not calls & CLOCK_CALLS, f"{relative(path)} calls {sorted(calls & CLOCK_CALLS)}"


@pytest.mark.parametrize(
    "path", modules("store") + modules("library") + modules("terminal"), ids=relative
)
def test_the_store_library_and_terminal_tables_know_no_screens(path: Path) -> None:
    bad = {n for n in imports(path) if n.startswith(("textual", "coach.tui", "coach.cli"))}
    assert not bad, f"{relative(path)} imports {sorted(bad)}"


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import sqlite3\n    from coach.store import Store\n")
    assert imports(sample) == {"sqlite3", "coach.store"}


# File access by method or builtin (`replace` is left out: str.replace is everywhere).
FILE_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "stat",
    "is_dir",
    "is_file",
    "exists",
    "iterdir",
    "glob",
    "rglob",
    "unlink",
    "mkdir",
    "touch",
    "rename",
}
# The core's one reader (the file a loader is given) and the two loaders that call it.
FILE_READERS = {"routine/source.py", "routine/loader.py", "programme/loader.py"}


def test_the_core_reads_files_only_in_the_loaders() -> None:
    core = PACKAGE / "core"
    found = []
    for path in sorted(core.rglob("*.py")):
        if path.relative_to(core).as_posix() in FILE_READERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func
                name = getattr(called, "attr", None) or getattr(called, "id", None)
                if name in FILE_CALLS:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
    assert found == []
