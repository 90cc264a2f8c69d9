"""Finding programmes: a path, then the user's folder, then the built-ins (which it shadows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.library.programmes import ProgrammeNotFound, find_programme, list_programmes
from coach.library.routines import Origin
from coach.paths import builtin_programmes_dir

MINIMAL = "name: Mine\nweeks: [{sessions: 3, minutes: 10}]\n"
BUILTIN_IDS = sorted(p.stem for p in builtin_programmes_dir().glob("*.yaml"))


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    folder = tmp_path / "programmes"
    folder.mkdir()
    return folder


def test_builtin_folder_is_the_checkouts_programmes_folder() -> None:
    assert builtin_programmes_dir() == Path(__file__).resolve().parents[1] / "programmes"


def test_builtins_are_listed_when_the_user_has_none(mine: Path) -> None:
    entries = list_programmes(mine)
    assert [e.id for e in entries] == BUILTIN_IDS
    assert {e.origin for e in entries} == {Origin.BUILT_IN}


def test_a_missing_user_folder_lists_the_builtins(tmp_path: Path) -> None:
    assert [e.id for e in list_programmes(tmp_path / "nowhere")] == BUILTIN_IDS


def test_user_programmes_are_listed_sorted_with_the_builtins(mine: Path) -> None:
    (mine / "zz-last.yaml").write_text(MINIMAL)
    (mine / "aa-first.yml").write_text(MINIMAL)
    (mine / "notes.txt").write_text("not a programme")
    ids = [e.id for e in list_programmes(mine)]
    assert ids == sorted([*BUILTIN_IDS, "aa-first", "zz-last"])


def test_a_user_programme_shadows_the_builtin_of_the_same_id(mine: Path) -> None:
    (mine / "walkback.yaml").write_text(MINIMAL)
    entry = next(e for e in list_programmes(mine) if e.id == "walkback")
    assert entry.origin is Origin.MINE
    assert entry.shadows_builtin
    assert find_programme("walkback", mine).path == mine / "walkback.yaml"


def test_a_builtin_is_found_by_id(mine: Path) -> None:
    entry = find_programme("desk-pad", mine)
    assert entry.origin is Origin.BUILT_IN
    assert entry.path == builtin_programmes_dir() / "desk-pad.yaml"


def test_a_path_to_a_file_is_found_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.yaml"
    path.write_text(MINIMAL)
    entry = find_programme(str(path), tmp_path / "nowhere")
    assert (entry.id, entry.origin) == ("elsewhere", Origin.FILE)


def test_an_unknown_name_suggests_close_ones(mine: Path) -> None:
    with pytest.raises(ProgrammeNotFound, match="did you mean walkback"):
        find_programme("walkbak", mine)
