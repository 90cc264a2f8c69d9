"""`coach history`: the stable CSV and JSON columns, filters, the table, and bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coach.cli import main
from coach.core.checkin import Change, Checkin, WarningSign, Where
from coach.core.export import COLUMNS
from coach.core.records import CheckinKind, WalkStatus
from coach.store import Store

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def berlin() -> Iterator[None]:
    """Local time is Europe/Berlin (DST starts 2026-03-29 01:00 UTC), then restored."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, berlin: None) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return home


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="coach")


def _walk(
    store: Store,
    db: sqlite3.Connection,
    routine: tuple[str, str, int],
    started: str,
    status: WalkStatus | None,
    walked: float,
) -> int:
    routine_id, name, planned = routine
    walk_id = store.start_walk(routine_id, name, f"/routines/{routine_id}.yaml", "", planned)
    if status is None:
        store.update_walk(walk_id, walked, 0, 0)
    else:
        store.finish_walk(walk_id, status, walked, 0, 1)
    db.execute("UPDATE walks SET started_at = ? WHERE id = ?", (started, walk_id))
    return walk_id


def _lone(store: Store, db: sqlite3.Connection, at: str, answers: Checkin) -> int:
    checkin_id = store.add_checkin(CheckinKind.ALONE, answers)
    db.execute("UPDATE checkins SET created_at = ? WHERE id = ?", (at, checkin_id))
    return checkin_id


GENTLE = ("gentle-back", "Gentle back loosener", 1200)
DESK = ("desk-break", "Desk break", 600)
BRISK = ("brisk-circulation", "Brisk circulation intervals", 1800)
POSTURE = ("walk-tall", "Walk tall, walk easy", 1320)


@pytest.fixture
def dataset(home: Path) -> Path:
    """Five walks and two lone check-ins at known UTC times, around the DST change."""
    store = Store.open(home / "coach.db")
    db = sqlite3.connect(home / "coach.db", isolation_level=None)  # autocommit: no locks held
    # 26 Mar, 13:00 local: a 30% drop from 3 to 2 is meaningful.
    w = _walk(store, db, POSTURE, "2026-03-26T12:00:00+00:00", WalkStatus.COMPLETED, 1320)
    store.add_checkin(CheckinKind.BEFORE, Checkin(pain=3, stiffness=2), w)
    store.add_checkin(
        CheckinKind.AFTER, Checkin(pain=2, stiffness=2, change=Change.NO_CHANGE, effort=2), w
    )
    # 27 Mar, 22:45 local: a lone check-in with markup in its notes.
    _lone(
        store,
        db,
        "2026-03-27T21:45:00+00:00",
        Checkin(
            pain=5,
            stiffness=5,
            where=frozenset({Where.NECK, Where.LOWER_BACK}),
            notes="[@click=app.quit]x",
        ),
    )
    # 28 Mar, 18:30 local: completed, 6 → 3.
    w = _walk(store, db, GENTLE, "2026-03-28T17:30:00+00:00", WalkStatus.COMPLETED, 1200)
    store.add_checkin(
        CheckinKind.BEFORE, Checkin(pain=6, stiffness=7, where=frozenset({Where.LOWER_BACK})), w
    )
    store.add_checkin(
        CheckinKind.AFTER,
        Checkin(
            pain=3,
            stiffness=4,
            where=frozenset({Where.LOWER_BACK}),
            change=Change.BETTER,
            effort=5,
            notes="Loosened up, 'nicely'",
        ),
        w,
    )
    # 29 Mar, 00:30 local (still the 28th in UTC): a flagged lone check-in.
    _lone(
        store,
        db,
        "2026-03-28T23:30:00+00:00",
        Checkin(pain=8, warning_signs=frozenset({WarningSign.LEG_WEAKNESS}), notes="left leg"),
    )
    # 29 Mar, 10:15:30 local, summer time: ended early, notes in both check-ins.
    w = _walk(store, db, DESK, "2026-03-29T08:15:30+00:00", WalkStatus.ENDED_EARLY, 312.6)
    store.add_checkin(CheckinKind.BEFORE, Checkin(pain=4, notes="[bold]x[/x]"), w)
    store.add_checkin(
        CheckinKind.AFTER,
        Checkin(
            pain=3,
            where=frozenset({Where.LEG, Where.HIPS}),
            change=Change.LITTLE_BETTER,
            effort=3,
            notes='Stopped early, "phone"\nback later',
        ),
        w,
    )
    # 30 Mar, 08:00 local: left in progress by a process that is gone → interrupted.
    w = _walk(store, db, BRISK, "2026-03-30T06:00:00+00:00", None, 95.4)
    db.execute("UPDATE walks SET pid = NULL WHERE id = ?", (w,))
    # 30 Mar, 09:00 local: still going (this process is alive): in progress.
    _walk(store, db, DESK, "2026-03-30T07:00:00+00:00", None, 40)
    db.close()
    store.close()
    return home


def entries(result: Result) -> list[tuple[str, int]]:
    return [(row["type"], row["id"]) for row in json.loads(result.stdout)]


# -- CSV and JSON --------------------------------------------------------------------


def test_csv_matches_the_golden_file(dataset: Path) -> None:
    result = run("history", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / "history.csv").read_text(encoding="utf-8")


def test_json_matches_the_golden_file(dataset: Path) -> None:
    result = run("history", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(
        (GOLDEN / "history.json").read_text(encoding="utf-8")
    )
    assert result.stdout == (GOLDEN / "history.json").read_text(encoding="utf-8")


def test_csv_header_is_the_stable_columns(dataset: Path) -> None:
    header = run("history", "--format", "csv").stdout.splitlines()[0]
    assert header.split(",") == list(COLUMNS)


def test_csv_reads_back_with_the_csv_module(dataset: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("history", "--format", "csv").stdout)))
    desk = next(row for row in rows if row["routine"] == "desk-break" and row["notes"])
    assert desk["notes"] == '[bold]x[/x] / Stopped early, "phone"\nback later'
    assert desk["where"] == "hips;leg"


def test_json_objects_have_every_column_in_order(dataset: Path) -> None:
    for row in json.loads(run("history", "--format", "json").stdout):
        assert tuple(row) == COLUMNS


def test_rows_are_newest_first(dataset: Path) -> None:
    dates = [row["date"] for row in json.loads(run("history", "--format", "json").stdout)]
    assert dates == sorted(dates, reverse=True)


def test_a_walk_left_by_a_dead_process_shows_as_interrupted(dataset: Path) -> None:
    rows = json.loads(run("history", "--format", "json").stdout)
    assert [row["status"] for row in rows if row["type"] == "walk"] == [
        "in progress",
        "interrupted",
        "ended early",
        "completed",
        "completed",
    ]


# -- filters ---------------------------------------------------------------------------


def test_since_and_until_are_local_days_inclusive(dataset: Path) -> None:
    result = run("history", "--format", "json", "--since", "2026-03-29", "--until", "2026-03-29")
    # The check-in at 00:30 local on the 29th is still the 28th in UTC.
    assert entries(result) == [("walk", 3), ("checkin", 6)]


def test_since_alone_keeps_that_day_and_later(dataset: Path) -> None:
    result = run("history", "--format", "json", "--since", "2026-03-30")
    assert entries(result) == [("walk", 5), ("walk", 4)]


def test_until_alone_keeps_that_day_and_earlier(dataset: Path) -> None:
    result = run("history", "--format", "json", "--until", "2026-03-27")
    assert entries(result) == [("checkin", 3), ("walk", 1)]


def test_routine_keeps_only_its_walks_and_no_lone_checkins(dataset: Path) -> None:
    result = run("history", "--format", "json", "--routine", "desk-break")
    assert entries(result) == [("walk", 5), ("walk", 3)]


def test_filters_combine(dataset: Path) -> None:
    result = run("history", "--format", "csv", "--routine", "desk-break", "--until", "2026-03-29")
    assert len(result.stdout.splitlines()) == 3  # header, then one two-line row
    assert ",desk-break," in result.stdout


def test_a_range_with_nothing_in_it_gives_an_empty_list(dataset: Path) -> None:
    assert run("history", "--format", "json", "--since", "2027-01-01").stdout == "[]\n"


@pytest.mark.parametrize("flag", ["--since", "--until"])
@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2026-02-30", ""])
def test_a_bad_date_exits_1_naming_the_flag(home: Path, flag: str, value: str) -> None:
    result = run("history", flag, value)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"coach: {flag}: {value!r} is not a date; use YYYY-MM-DD")
    assert len(result.stderr.splitlines()) == 1


def test_since_after_until_exits_1(home: Path) -> None:
    result = run("history", "--since", "2026-03-30", "--until", "2026-03-29")
    assert result.exit_code == 1
    assert "--since 2026-03-30 is after --until 2026-03-29" in result.stderr


def test_an_unknown_format_is_a_usage_error(home: Path) -> None:
    assert run("history", "--format", "xml").exit_code == 2


# -- empty history -----------------------------------------------------------------


def test_empty_history_table_says_how_to_start(home: Path) -> None:
    result = run("history")
    assert result.exit_code == 0
    assert result.stdout == "No walks or check-ins yet. Start one with: coach walk desk-break\n"


def test_empty_history_csv_is_just_the_header(home: Path) -> None:
    assert run("history", "--format", "csv").stdout == ",".join(COLUMNS) + "\n"


def test_empty_history_json_is_an_empty_list(home: Path) -> None:
    assert json.loads(run("history", "--format", "json").stdout) == []


def test_an_empty_filter_says_nothing_matches(dataset: Path) -> None:
    result = run("history", "--routine", "nope")
    assert result.exit_code == 0
    assert "No walks or check-ins match" in result.stdout


# -- table ---------------------------------------------------------------------------


def _lines(result: Result) -> list[str]:
    return result.stdout.splitlines()


def test_table_fits_80_columns(dataset: Path) -> None:
    result = run("history")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in _lines(result)) <= 80


def test_table_shows_walks_and_checkins_newest_first(dataset: Path) -> None:
    text = run("history").stdout
    order = [text.index(day) for day in ("2026-03-30", "2026-03-29", "2026-03-28", "2026-03-26")]
    assert order == sorted(order)


def test_table_shows_local_times_and_walked_of_planned(dataset: Path) -> None:
    text = run("history").stdout
    assert "10:15" in text  # 08:15:30 UTC in Berlin summer time
    assert "5:12/10:00" in text
    assert "20:00/20:00" in text


def test_table_shows_pain_before_and_after_and_the_change(dataset: Path) -> None:
    text = run("history").stdout
    assert "6 → 3 ★" in text  # meaningful relief: 3 points
    assert "3 → 2 ★" in text  # meaningful: a third of 3
    assert "4 → 3 " in text and "4 → 3 ★" not in text  # 1 point of 4 is not
    assert "7 → 4" in text
    assert "a little" in text
    assert "★ meaningful relief · ▲ meaningful rise in pain (at least 2 points or 30%)" in text


def test_table_marks_flagged_checkins_and_warns(dataset: Path) -> None:
    text = run("history").stdout
    assert "⚑" in text
    assert "1 check-in with warning signs" in text
    assert "urgent medical care" in text


def test_table_shows_markup_in_notes_literally(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    text = run("history").stdout
    assert "[@click=app.quit]x" in text
    assert "[bold]x[/x]" in text


def test_table_at_80_columns_keeps_markup_literal(dataset: Path) -> None:
    text = run("history").stdout
    assert "[bold]x[/x]" in text


def test_a_flagged_lone_checkin_is_summarized_without_walks(home: Path) -> None:
    assert run("checkin", "--pain", "2").exit_code == 0
    store = Store.open(home / "coach.db")
    store.add_checkin(
        CheckinKind.ALONE, Checkin(pain=9, warning_signs=frozenset({WarningSign.FEVER}))
    )
    store.close()
    text = run("history").stdout
    assert "This week:" not in text
    assert "⚑ 1 check-in with warning signs" in text


def test_table_has_a_summary_under_it(dataset: Path) -> None:
    text = run("history").stdout
    assert "This week:" in text
    assert "Streak:" in text


def test_a_wide_terminal_gets_one_line_a_row(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    lines = _lines(run("history"))
    assert "2026-03-29 10:15" in "\n".join(lines)
    rows = [line for line in lines if line.startswith("2026-")]
    assert len(rows) == 7


def test_a_long_history_table_shows_the_newest_and_says_how_many_are_left(
    dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coach.terminal.history_table.TABLE_LIMIT", 3)
    text = run("history").stdout
    assert "2026-03-29" in text
    assert "2026-03-28" not in text
    assert "4 older not shown" in text
    assert "--format csv" in text


def test_history_has_help(home: Path) -> None:
    result = run("history", "--help")
    assert result.exit_code == 0
    assert "coach history" in result.stdout
    assert "walked_seconds" in result.stdout


# -- real processes --------------------------------------------------------------------

NO_TEXTUAL = """\
import sys
from coach.cli import main

for args in (
    ["checkin", "--pain", "2"],
    ["checkin", "--pain", "11"],
    ["history", "--format", "json"],
    ["history", "--format", "csv"],
    ["history"],
    ["history", "--since", "nope"],
):
    try:
        main(args, standalone_mode=False)
    except SystemExit:
        pass
    except Exception as exc:  # a UserError, with standalone_mode off
        print(type(exc).__name__, file=sys.stderr)
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, loaded
print("no textual")
"""


def test_checkin_and_history_do_not_import_textual(home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", NO_TEXTUAL],
        capture_output=True,
        text=True,
        env={**os.environ, "COACH_HOME": str(home), "NO_COLOR": "1"},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("no textual")
    assert '"pain_after": 2' in proc.stdout


def test_python_m_coach_checkin_then_history(home: Path) -> None:
    env = {**os.environ, "COACH_HOME": str(home), "NO_COLOR": "1"}
    saved = subprocess.run(
        [sys.executable, "-m", "coach", "checkin", "--pain", "2", "--where", "lower"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert saved.returncode == 0, saved.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "coach", "history", "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1].startswith("checkin,1,")
    assert ",lower," in listed.stdout
