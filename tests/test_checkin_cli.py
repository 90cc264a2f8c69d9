"""`coach checkin` by flags: what is saved, what is refused, and that text stays literal."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coach.cli import main
from coach.core.checkin import NOTES_MAX, Where
from coach.core.records import CheckinKind
from coach.store import Store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    return home


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, prog_name="coach")


def saved(home: Path) -> list:  # type: ignore[type-arg]
    path = home / "coach.db"
    if not path.exists():
        return []
    store = Store.open(path)
    try:
        return store.checkins()
    finally:
        store.close()


def test_flags_save_a_lone_checkin(home: Path) -> None:
    result = run(
        "checkin", "--pain", "3", "--stiffness", "4", "--where", "lower,neck", "--notes", "desk"
    )
    assert result.exit_code == 0, result.output
    [record] = saved(home)
    assert record.kind is CheckinKind.ALONE
    assert record.walk_id is None
    assert record.answers.pain == 3
    assert record.answers.stiffness == 4
    assert record.answers.where == {Where.LOWER_BACK, Where.NECK}
    assert record.answers.notes == "desk"


def test_saving_prints_what_was_saved(home: Path) -> None:
    result = run("checkin", "--pain", "3", "--stiffness", "4", "--where", "neck,lower")
    first = result.stdout.splitlines()[0]
    assert first.startswith("Saved check-in #1 at ")
    assert first.endswith("(local): pain 3, stiffness 4, where lower back, neck")


def test_one_flag_is_enough(home: Path) -> None:
    assert run("checkin", "--stiffness", "0").exit_code == 0
    [record] = saved(home)
    assert record.answers.pain is None
    assert record.answers.stiffness == 0


def test_where_accepts_the_full_names(home: Path) -> None:
    assert run("checkin", "--where", "hips/buttocks, down a leg").exit_code == 0
    assert saved(home)[0].answers.where == {Where.HIPS, Where.LEG}


def test_each_checkin_gets_the_next_number(home: Path) -> None:
    run("checkin", "--pain", "1")
    result = run("checkin", "--pain", "2")
    assert result.stdout.startswith("Saved check-in #2 ")


@pytest.mark.parametrize("value", ["11", "-1", "x", "3.5", "", "²"])
@pytest.mark.parametrize("flag", ["--pain", "--stiffness"])
def test_a_bad_score_exits_1_naming_the_flag_and_saves_nothing(
    home: Path, flag: str, value: str
) -> None:
    result = run("checkin", flag, value, "--notes", "kept?")
    assert result.exit_code == 1
    assert result.stderr == (f"coach: {flag} must be a whole number from 0 to 10, not {value!r}\n")
    assert saved(home) == []


def test_a_bad_place_exits_1_listing_the_places(home: Path) -> None:
    result = run("checkin", "--pain", "2", "--where", "lower,knee")
    assert result.exit_code == 1
    assert result.stderr.startswith("coach: --where: ")
    assert "'knee'" in result.stderr
    assert "lower, mid, upper, neck, hips, leg" in result.stderr
    assert saved(home) == []


def test_notes_too_long_exit_1_and_save_nothing(home: Path) -> None:
    result = run("checkin", "--pain", "2", "--notes", "a" * (NOTES_MAX + 1))
    assert result.exit_code == 1
    assert result.stderr.startswith("coach: --notes: ")
    assert str(NOTES_MAX) in result.stderr
    assert saved(home) == []


def test_notes_at_the_limit_are_saved(home: Path) -> None:
    assert run("checkin", "--notes", "a" * NOTES_MAX).exit_code == 0
    assert len(saved(home)[0].answers.notes) == NOTES_MAX


def test_empty_flags_save_nothing(home: Path) -> None:
    result = run("checkin", "--where", "", "--notes", "  ")
    assert result.exit_code == 1
    assert "nothing to save" in result.stderr
    assert saved(home) == []


def test_notes_lose_control_characters(home: Path) -> None:
    assert run("checkin", "--notes", "ok\x1b[31m red\x07").exit_code == 0
    assert saved(home)[0].answers.notes == "ok[31m red"


@pytest.mark.parametrize("notes", ["[bold]x[/x]", "[@click=app.quit]x"])
def test_markup_in_notes_is_saved_and_shown_literally(home: Path, notes: str) -> None:
    result = run("checkin", "--pain", "2", "--notes", notes)
    assert result.exit_code == 0
    assert f"notes: {notes}" in result.stdout
    assert saved(home)[0].answers.notes == notes
    table = run("history")
    assert table.exit_code == 0, table.output
    assert notes in table.stdout


def test_without_flags_and_without_a_terminal_is_a_usage_error(home: Path) -> None:
    result = run("checkin", stdin="")
    assert result.exit_code == 2
    assert "Usage:" in result.stderr
    assert "--pain" in result.stderr
    assert not (home / "coach.db").exists()


def test_an_unusable_database_exits_1_in_one_line(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "coach.db").write_bytes(b"this is not sqlite" * 100)
    result = run("checkin", "--pain", "2")
    assert result.exit_code == 1
    assert result.stderr.startswith("coach: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert (home / "coach.db").read_bytes() == b"this is not sqlite" * 100


def test_checkin_has_help(home: Path) -> None:
    result = run("checkin", "--help")
    assert result.exit_code == 0
    assert "coach checkin" in result.stdout
    for flag in ("--pain", "--stiffness", "--where", "--notes"):
        assert flag in result.stdout
