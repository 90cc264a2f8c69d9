"""Copying, renaming and deleting routine files: built-ins read-only, nothing overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coach.core.records import WalkStatus
from coach.library.manage import (
    RoutineFileError,
    copy_routine,
    delete_routine,
    free_copy_id,
    rename_routine,
)
from coach.library.routines import Origin, RoutineEntry, find_routine, list_routines
from coach.store import Store

MINIMAL = "name: Mine\ncadence: 100\nsegments: [{name: A, duration: 5m}]\n"


@pytest.fixture
def my_routines(coach_home: Path) -> Path:
    folder = coach_home / "routines"
    folder.mkdir()
    return folder


def mine(folder: Path, routine_id: str, text: str = MINIMAL) -> RoutineEntry:
    (folder / f"{routine_id}.yaml").write_text(text)
    return find_routine(routine_id)


# -- rename ----------------------------------------------------------------------------


def test_rename_moves_the_file_and_keeps_its_text(my_routines: Path) -> None:
    entry = mine(my_routines, "lunch")
    path = rename_routine(entry, "lunch-loop")
    assert path == my_routines / "lunch-loop.yaml"
    assert path.read_text() == MINIMAL
    assert not (my_routines / "lunch.yaml").exists()
    assert find_routine("lunch-loop").origin is Origin.MINE


def test_rename_never_overwrites_another_routine(my_routines: Path) -> None:
    entry = mine(my_routines, "lunch")
    (my_routines / "taken.yml").write_text("name: Taken\n")
    with pytest.raises(RoutineFileError, match="already exists"):
        rename_routine(entry, "taken")
    assert (my_routines / "taken.yml").read_text() == "name: Taken\n"
    assert (my_routines / "lunch.yaml").read_text() == MINIMAL


@pytest.mark.parametrize("name", ["Lunch", "../escape", "a b", "", "x" * 65, "walk\n"])
def test_rename_refuses_an_unsafe_id(my_routines: Path, name: str) -> None:
    entry = mine(my_routines, "lunch")
    with pytest.raises(RoutineFileError, match="not a usable routine name"):
        rename_routine(entry, name)
    assert sorted(p.name for p in my_routines.iterdir()) == ["lunch.yaml"]


def test_a_builtin_cannot_be_renamed_or_deleted(coach_home: Path) -> None:
    builtin = find_routine("gentle-back")
    with pytest.raises(RoutineFileError, match="built-in routine and cannot be renamed"):
        rename_routine(builtin, "mine")
    with pytest.raises(RoutineFileError, match="built-in routine and cannot be deleted"):
        delete_routine(builtin)
    assert builtin.path.exists()


def test_a_file_outside_the_routines_folder_is_not_touched(
    my_routines: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(MINIMAL)
    entry = RoutineEntry("elsewhere", outside, Origin.MINE)
    with pytest.raises(RoutineFileError, match="not in your routines folder"):
        delete_routine(entry)
    assert outside.exists()


def test_rename_without_hard_links_copies_then_removes(
    my_routines: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")  # as on FAT or some shares

    monkeypatch.setattr(os, "link", no_links)
    entry = mine(my_routines, "lunch")
    path = rename_routine(entry, "lunch-loop")
    assert path.read_text() == MINIMAL
    assert not entry.path.exists()


def test_walks_keep_the_routine_they_were_recorded_with_after_a_rename(
    my_routines: Path,
) -> None:
    entry = mine(my_routines, "lunch")
    store = Store.open()
    walk_id = store.start_walk("lunch", "Mine", str(entry.path), MINIMAL, 300)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 300, 0, 1)
    rename_routine(entry, "lunch-loop")
    delete_routine(find_routine("lunch-loop"))
    [walk] = store.walks()
    [(text,)] = store._read("SELECT routine_text FROM walks")  # not in WalkRecord
    store.close()
    assert (walk.routine_id, walk.routine_name) == ("lunch", "Mine")
    assert text == MINIMAL


# -- delete ----------------------------------------------------------------------------


def test_delete_removes_one_of_yours(my_routines: Path) -> None:
    entry = mine(my_routines, "lunch")
    delete_routine(entry)
    assert "lunch" not in [e.id for e in list_routines()]


def test_deleting_yours_brings_back_the_builtin_it_hid(my_routines: Path) -> None:
    entry = mine(my_routines, "gentle-back")
    assert entry.shadows_builtin
    delete_routine(entry)
    assert find_routine("gentle-back").origin is Origin.BUILT_IN


# -- copy ------------------------------------------------------------------------------


def test_copy_of_a_builtin_is_yours_with_a_note_of_where_it_came_from(
    coach_home: Path,
) -> None:
    builtin = find_routine("desk-break")
    path = copy_routine(builtin, "desk-break-copy")
    text = path.read_text()
    assert text.startswith("# desk-break-copy.yaml: copied from desk-break (")
    assert text.endswith(builtin.path.read_text())
    assert find_routine("desk-break-copy").origin is Origin.MINE


def test_a_copy_with_a_builtins_id_hides_that_builtin(coach_home: Path) -> None:
    copy_routine(find_routine("desk-break"), "gentle-back")
    entry = find_routine("gentle-back")
    assert (entry.origin, entry.shadows_builtin) == (Origin.MINE, True)


def test_copy_never_overwrites(my_routines: Path) -> None:
    entry = mine(my_routines, "lunch")
    (my_routines / "dinner.yaml").write_text("name: Dinner\n")
    with pytest.raises(RoutineFileError, match="already exists"):
        copy_routine(entry, "dinner")
    assert (my_routines / "dinner.yaml").read_text() == "name: Dinner\n"


def test_free_copy_id_skips_names_you_have(my_routines: Path) -> None:
    assert free_copy_id("lunch") == "lunch-copy"
    (my_routines / "lunch-copy.yaml").write_text(MINIMAL)
    (my_routines / "lunch-copy-2.yml").write_text(MINIMAL)
    assert free_copy_id("lunch") == "lunch-copy-3"
    assert len(free_copy_id("x" * 64)) <= 64
