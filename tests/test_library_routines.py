"""Finding routines (a path, then the user's folder, then the built-ins) and creating new ones."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from coach.core.routine import load_file
from coach.library.routines import Origin, RoutineNotFound, find_routine, list_routines
from coach.library.starter import StarterError, create_routine
from coach.paths import builtin_routines_dir

BUILTIN_IDS = sorted(p.stem for p in builtin_routines_dir().glob("*.yaml"))
MINIMAL = "name: Mine\ncadence: 100\nsegments: [{name: A, duration: 5m}]\n"


@pytest.fixture
def my_routines(coach_home: Path) -> Path:
    folder = coach_home / "routines"
    folder.mkdir()
    return folder


# -- lookup ----------------------------------------------------------------------------


def test_builtins_are_listed_when_the_user_has_none(coach_home: Path) -> None:
    entries = list_routines()
    assert [e.id for e in entries] == BUILTIN_IDS
    assert {e.origin for e in entries} == {Origin.BUILT_IN}
    assert not any(e.shadows_builtin for e in entries)


def test_listing_is_sorted_by_id_and_includes_user_routines(my_routines: Path) -> None:
    (my_routines / "zz-last.yaml").write_text(MINIMAL)
    (my_routines / "aa-first.yml").write_text(MINIMAL)
    ids = [e.id for e in list_routines()]
    assert ids == sorted(ids)
    assert {"aa-first", "zz-last"} <= set(ids)


def test_files_that_are_not_yaml_are_not_routines(my_routines: Path) -> None:
    (my_routines / "notes.txt").write_text("hello")
    (my_routines / "folder.yaml").mkdir()
    assert [e.id for e in list_routines()] == BUILTIN_IDS


def test_builtin_is_found_by_id(coach_home: Path) -> None:
    entry = find_routine("gentle-back")
    assert (entry.id, entry.origin) == ("gentle-back", Origin.BUILT_IN)
    assert entry.path == builtin_routines_dir() / "gentle-back.yaml"


def test_user_routine_is_found_by_id(my_routines: Path) -> None:
    (my_routines / "lunch.yaml").write_text(MINIMAL)
    entry = find_routine("lunch")
    assert (entry.origin, entry.path) == (Origin.MINE, my_routines / "lunch.yaml")


def test_user_routine_with_a_builtins_id_shadows_it(my_routines: Path) -> None:
    (my_routines / "gentle-back.yaml").write_text(MINIMAL)
    entry = find_routine("gentle-back")
    assert (entry.origin, entry.path) == (Origin.MINE, my_routines / "gentle-back.yaml")
    assert entry.shadows_builtin


def test_listing_shows_a_shadowed_builtin_once_as_the_users(my_routines: Path) -> None:
    (my_routines / "gentle-back.yaml").write_text(MINIMAL)
    matching = [e for e in list_routines() if e.id == "gentle-back"]
    assert len(matching) == 1
    assert matching[0].origin is Origin.MINE
    assert matching[0].shadows_builtin


def test_path_to_a_file_is_used_as_is(coach_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "my-walk.yaml"
    path.parent.mkdir()
    path.write_text(MINIMAL)
    entry = find_routine(str(path))
    assert (entry.id, entry.origin, entry.path) == ("my-walk", Origin.FILE, path)


def test_file_in_the_working_folder_comes_before_user_and_builtin_routines(
    my_routines: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (my_routines / "gentle-back.yaml").write_text(MINIMAL)
    work = tmp_path / "work"
    work.mkdir()
    (work / "gentle-back").write_text(MINIMAL)
    monkeypatch.chdir(work)
    entry = find_routine("gentle-back")
    assert (entry.origin, entry.path) == (Origin.FILE, Path("gentle-back"))


def test_folder_with_a_routines_name_is_not_taken_for_a_file(
    coach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work" / "gentle-back").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work")
    assert find_routine("gentle-back").origin is Origin.BUILT_IN


def test_unknown_routine_suggests_close_names(coach_home: Path) -> None:
    with pytest.raises(RoutineNotFound, match=r"no routine or file named 'gentel-back'") as raised:
        find_routine("gentel-back")
    assert "did you mean gentle-back?" in str(raised.value)


def test_unknown_routine_with_nothing_close_points_to_the_list(coach_home: Path) -> None:
    with pytest.raises(RoutineNotFound, match=r"see `coach routines list`"):
        find_routine("qqqqqqqq")


# -- create_routine --------------------------------------------------------------------


def test_new_routine_is_written_to_the_users_folder_and_is_valid(coach_home: Path) -> None:
    created = create_routine("lunch-walk")
    assert created.path == coach_home / "routines" / "lunch-walk.yaml"
    assert not created.shadows_builtin
    result = load_file(created.path)
    assert result.diagnostics == (), result.report()
    assert result.routine is not None
    assert (result.routine.id, result.routine.name) == ("lunch-walk", "Lunch walk")


def test_new_routine_is_then_found_by_its_name(coach_home: Path) -> None:
    create_routine("lunch-walk")
    assert find_routine("lunch-walk").origin is Origin.MINE


def test_users_routines_folder_is_private(coach_home: Path) -> None:
    create_routine("lunch-walk")
    assert stat.S_IMODE((coach_home / "routines").stat().st_mode) == 0o700


@pytest.mark.parametrize("name", ["null", "yes", "2024", "true", "0x10"])
def test_new_routine_named_like_a_yaml_value_still_has_a_text_name(
    coach_home: Path, name: str
) -> None:
    result = load_file(create_routine(name).path)
    assert result.routine is not None, result.report()
    assert result.routine.name == name.capitalize()


def test_new_routine_never_overwrites_a_file(my_routines: Path) -> None:
    path = my_routines / "lunch.yaml"
    path.write_text("# mine, keep me\n")
    with pytest.raises(StarterError, match="already exists"):
        create_routine("lunch")
    assert path.read_text() == "# mine, keep me\n"


def test_new_routine_refuses_a_name_taken_by_a_yml_file(my_routines: Path) -> None:
    (my_routines / "lunch.yml").write_text(MINIMAL)
    with pytest.raises(StarterError, match="already exists"):
        create_routine("lunch")
    assert not (my_routines / "lunch.yaml").exists()


@pytest.mark.parametrize(
    "name",
    ["../x", "a/b", "Bad Name", "", ".hidden", "UPPER", "-dash", "_under", "x" * 65, "walk\n", "é"],
)
def test_unsafe_routine_name_is_refused_and_nothing_is_written(coach_home: Path, name: str) -> None:
    with pytest.raises(StarterError, match="is not a usable routine name"):
        create_routine(name)
    assert list(coach_home.rglob("*")) == []


@pytest.mark.parametrize("name", ["a", "7", "x" * 64, "lunch-walk_2"])
def test_safe_routine_name_is_accepted(coach_home: Path, name: str) -> None:
    assert create_routine(name).path.name == f"{name}.yaml"


def test_new_routine_with_a_builtins_name_says_it_shadows_it(coach_home: Path) -> None:
    assert create_routine("gentle-back").shadows_builtin


def test_new_routine_from_a_builtin_is_a_copy_of_it(coach_home: Path) -> None:
    created = create_routine("my-back", from_routine="gentle-back")
    original = (builtin_routines_dir() / "gentle-back.yaml").read_text(encoding="utf-8")
    text = created.path.read_text(encoding="utf-8")
    assert text.startswith("# my-back.yaml: copied from gentle-back")
    assert text.endswith(original)
    result = load_file(created.path)
    assert result.routine is not None, result.report()
    assert result.routine.id == "my-back"


def test_new_routine_from_a_file_path_copies_that_file(coach_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "shared.yaml"
    source.write_text("\ufeff" + MINIMAL, encoding="utf-8")
    created = create_routine("copy", from_routine=str(source))
    assert created.path.read_text(encoding="utf-8").endswith(MINIMAL)
    assert load_file(created.path).ok


def test_new_routine_from_an_unknown_routine_fails_with_suggestions(coach_home: Path) -> None:
    with pytest.raises(StarterError, match="did you mean gentle-back"):
        create_routine("copy", from_routine="gentel-back")
    assert not (coach_home / "routines" / "copy.yaml").exists()


def test_new_routine_when_the_home_is_a_file_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "not-a-folder"
    home.write_text("")
    monkeypatch.setenv("COACH_HOME", str(home))
    with pytest.raises(StarterError, match="cannot create the folder"):
        create_routine("lunch")
