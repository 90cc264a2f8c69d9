"""Home's kept outlines: used only for the file as it was when kept, by the coach that
kept them; a missing, damaged or unwritable cache only costs speed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coach.core.routine.outline import Outline
from coach.library import outlines
from coach.library.outlines import Outlines, stamp
from coach.paths import cache_dir

OUTLINE = Outline("Walk", "Words", ("a",), (60, 120), ("easy", "brisk"), (90, 110))


@pytest.fixture
def routine(coach_home: Path) -> Path:
    path = coach_home / "walk.yaml"
    path.write_text("name: Walk\n")
    return path


def kept(routine: Path, outline: Outline = OUTLINE) -> Outlines:
    """Keep `outline` for `routine` and write it, as home does."""
    cache = Outlines()
    cache.keep(routine, stamp(routine), outline)
    cache.save()
    return cache


def test_a_kept_outline_is_read_by_the_next_start(routine: Path) -> None:
    kept(routine)
    assert (cache_dir() / outlines.FILE_NAME).is_file()
    assert Outlines().get(routine) == OUTLINE


def test_nothing_is_kept_until_something_is(routine: Path) -> None:
    assert Outlines().get(routine) is None
    Outlines().save()
    assert not (cache_dir() / outlines.FILE_NAME).exists()


def test_a_changed_file_is_read_again(routine: Path) -> None:
    kept(routine)
    routine.write_text("name: Walk, changed\n")
    assert Outlines().get(routine) is None


def test_a_file_touched_with_the_same_size_is_read_again(routine: Path) -> None:
    kept(routine)
    info = routine.stat()
    os.utime(routine, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    assert Outlines().get(routine) is None


def test_a_file_changed_while_it_was_read_is_read_again(routine: Path) -> None:
    cache = Outlines()
    before = stamp(routine)
    routine.write_text("name: Walk, changed while read\n")  # after the stamp, before keep
    cache.keep(routine, before, OUTLINE)
    cache.save()
    assert Outlines().get(routine) is None


def test_a_deleted_file_has_no_outline(routine: Path) -> None:
    kept(routine)
    routine.unlink()
    assert Outlines().get(routine) is None


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"[1, 2]", b'{"format": 1}', b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000],
    ids=["empty", "cut", "list", "no routines", "not utf-8", "deep"],
)
def test_a_damaged_cache_file_is_no_outline_and_no_error(routine: Path, content: bytes) -> None:
    folder = cache_dir()
    folder.mkdir()
    (folder / outlines.FILE_NAME).write_bytes(content)
    assert Outlines().get(routine) is None
    kept(routine)  # and it is written whole again
    assert Outlines().get(routine) == OUTLINE


def test_another_coachs_cache_is_not_used(routine: Path) -> None:
    kept(routine)
    file = cache_dir() / outlines.FILE_NAME
    document = json.loads(file.read_text())
    document["coach"] = "0.0.1"
    file.write_text(json.dumps(document))
    assert Outlines().get(routine) is None


def test_a_damaged_entry_is_no_outline(routine: Path) -> None:
    kept(routine)
    file = cache_dir() / outlines.FILE_NAME
    document = json.loads(file.read_text())
    entry = document["routines"][str(routine)]
    entry["outline"]["cadences"] = ["fast", "faster"]
    file.write_text(json.dumps(document))
    assert Outlines().get(routine) is None


def test_a_cache_folder_that_cannot_be_made_costs_nothing_but_speed(routine: Path) -> None:
    cache_dir().write_text("a file where the folder would be")
    kept(routine)  # no error
    assert Outlines().get(routine) is None


def test_the_most_recent_outlines_are_kept(coach_home: Path) -> None:
    cache = Outlines()
    paths = []
    for number in range(outlines.MAX_ROUTINES + 5):
        path = coach_home / f"walk-{number}.yaml"
        path.write_text(f"name: Walk {number}\n")
        paths.append(path)
        cache.keep(path, stamp(path), OUTLINE)
    cache.save()
    fresh = Outlines()
    assert [fresh.get(p) for p in paths[:5]] == [None] * 5
    assert all(fresh.get(p) == OUTLINE for p in paths[5:])


def test_a_very_long_routines_outline_is_not_kept(routine: Path) -> None:
    count = outlines.MAX_SEGMENTS + 1
    long = Outline("Long", "", (), tuple(range(1, count + 1)), ("easy",) * count, (100,) * count)
    kept(routine, long)
    assert Outlines().get(routine) is None
