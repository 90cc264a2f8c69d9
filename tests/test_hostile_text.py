"""Markup and control characters in user text, through real `coach` processes.

User text (routine names, cues, announcements, posture prompts, check-in notes) is
shown as written: `[bold]` and `[@click=app.quit]` print literally. Control characters
never reach the terminal: the validator refuses them in routines with a located error,
`coach checkin` drops them from notes, and `coach history` shows any that another
program wrote into the database as symbols (ESC as ␛), so they cannot drive the
terminal. The app's screens get the same attacks in tests/tui/test_hostile_text_screens.py.

These run as subprocesses, as a person would: click strips some ANSI sequences from
piped output by itself, so the attacks include controls it leaves alone (a lone ESC,
CSI as U+009B, BEL, CR, NUL) and the exports are compared exactly.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coach.core.checkin import Checkin
from coach.core.records import CheckinKind, WalkStatus
from coach.store import Store

MARKUP = "[bold]x [/x] [@click=app.quit]q[/] [link=file:///etc/passwd]l[/]"
CONTROLS = "\x1b[31mred\x1b[0m \x1bc a\rb \x07 \x08 \x9b2J \x7f \x00"
# Raw control characters that can drive a terminal (line feed and tab cannot).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# How `coach history` shows CONTROLS: C0 as control pictures, DEL as ␡, C1 as U+FFFD.
CONTROLS_SHOWN = "␛[31mred␛[0m ␛c a␍b ␇ ␈ \ufffd2J ␡ ␀"
# The table also puts notes on one line, so CR, like a line feed, becomes a space.
CONTROLS_IN_TABLE = "␛[31mred␛[0m ␛c a b ␇ ␈ \ufffd2J ␡ ␀"


def coach(
    home: Path, *args: str | bytes, cwd: Path | None = None, columns: int = 200
) -> subprocess.CompletedProcess:
    env = {**os.environ, "COACH_HOME": str(home), "NO_COLOR": "1", "COLUMNS": str(columns)}
    env.pop("FORCE_COLOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=30,
    )
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    return proc


def out(proc: subprocess.CompletedProcess) -> str:
    """stdout, which must be UTF-8 with no raw control character but line breaks."""
    text = proc.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(text), repr(RAW_CONTROL.findall(text))
    return text


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


# -- routines: markup prints literally -------------------------------------------------

MARKUP_ROUTINE = """\
name: "[bold]Walk [/x] [@click=app.quit]q[/]"
cadence: 100
cues:
  heel_strike: ["[bold]heel"]
  hip_rotation: ["[/x]"]
  arm_swing: ["[@click=app.quit]arms[/]"]
posture:
  every: 15s
  cues: ["[link=file:///etc/passwd]tall[/]"]
segments:
  - name: "[/x] warm"
    duration: 20s
    note: "[bold]note"
    at:
      - after: 5s
        say: "[@click=app.quit]say[/]"
  - name: "[link=file:///etc/passwd]next[/]"
    duration: 10s
"""


@pytest.fixture
def markup_routine(tmp_path: Path) -> Path:
    path = tmp_path / "markup.yaml"
    path.write_text(MARKUP_ROUTINE, encoding="utf-8")
    return path


def test_validate_accepts_markup_in_routine_text(home: Path, markup_routine: Path) -> None:
    proc = coach(home, "routines", "validate", str(markup_routine))
    assert proc.returncode == 0, proc.stdout
    assert out(proc) == ""


def test_show_prints_markup_in_routine_text_literally(home: Path, markup_routine: Path) -> None:
    proc = coach(home, "routines", "show", str(markup_routine))
    assert proc.returncode == 0, proc.stderr
    text = out(proc)
    for literal in (
        "[bold]Walk [/x] [@click=app.quit]q[/]",
        "[/x] warm",
        "[bold]note",
        "say: [@click=app.quit]say[/]",
        "[link=file:///etc/passwd]next[/]",
    ):
        assert literal in text


def test_walk_plain_prints_markup_in_routine_text_literally(
    home: Path, markup_routine: Path
) -> None:
    proc = coach(home, "walk", str(markup_routine), "--plain", "--sound", "off", "--speed", "600")
    assert proc.returncode == 0, proc.stderr
    lines = out(proc).splitlines()
    for line in (
        "[00:00:00] [/x] warm — 0:20 at 100 spm (moderate). [bold]note",
        "[00:00:00] posture: [link=file:///etc/passwd]tall[/]",
        "[00:00:00] cue: Heel strike: [bold]heel",
        "[00:00:00] cue: Hip rotation: [/x]",
        "[00:00:00] cue: Arm swing: [@click=app.quit]arms[/]",
        "[00:00:05] say: [@click=app.quit]say[/]",
        "[00:00:20] [link=file:///etc/passwd]next[/] — 0:10 at 100 spm (moderate)",
        "[00:00:30] Preview over: [bold]Walk [/x] [@click=app.quit]q[/], 0:30 (not recorded)",
    ):
        assert line in lines


# -- routines: control characters are located errors -----------------------------------

# YAML escapes put control characters into double-quoted text; each is refused where it is.
CONTROL_ROUTINE = r"""name: "\e[31mred\e[0m"
cadence: 100
cues:
  heel_strike: ["a\rb"]
  hip_rotation: ["bell\a"]
  arm_swing: ["back\b"]
posture:
  every: 15s
  cues: ["\x9b2J"]
segments:
  - name: "seg\x7f"
    duration: 30s
    note: "\e]8;;file:///etc/passwd\e\\x"
    at:
      - after: 5s
        say: "\ec reset"
"""

CONTROL_ERRORS = [
    "bad.yaml:1:7: error: name: contains the control character U+001B",
    "bad.yaml:4:17: error: cues.heel_strike[0]: contains the control character U+000D",
    "bad.yaml:5:18: error: cues.hip_rotation[0]: contains the control character U+0007",
    "bad.yaml:6:15: error: cues.arm_swing[0]: contains the control character U+0008",
    "bad.yaml:9:10: error: posture.cues[0]: contains the control character U+009B",
    "bad.yaml:11:11: error: segments[0].name: contains the control character U+007F",
    "bad.yaml:13:11: error: segments[0].note: contains the control character U+001B",
    "bad.yaml:16:14: error: segments[0].at[0].say: contains the control character U+001B",
]


@pytest.fixture
def control_routine(tmp_path: Path) -> Path:
    (tmp_path / "bad.yaml").write_text(CONTROL_ROUTINE, encoding="utf-8")
    return tmp_path


def test_validate_reports_each_control_character_where_it_is(
    home: Path, control_routine: Path
) -> None:
    proc = coach(home, "routines", "validate", "bad.yaml", cwd=control_routine)
    assert proc.returncode == 1
    assert out(proc).splitlines() == CONTROL_ERRORS


@pytest.mark.parametrize(
    "command",
    [["routines", "show"], ["walk"]],
    ids=["show", "walk"],
)
def test_show_and_walk_refuse_control_characters_with_the_same_errors(
    home: Path, control_routine: Path, command: list[str]
) -> None:
    args = [*command, "bad.yaml"] + (["--plain", "--speed", "600"] if command == ["walk"] else [])
    proc = coach(home, *args, cwd=control_routine)
    assert proc.returncode == 1
    assert out(proc).splitlines() == CONTROL_ERRORS
    assert proc.stderr.decode() == "coach: bad.yaml has 8 error(s)\n"


@pytest.mark.parametrize(
    ("raw", "position", "code"),
    [
        (b"name: a\x1bb\n", "1:8", "001B"),
        (b"name: a\xc2\x9bb\n", "1:8", "009B"),
        (b"name: W\ncadence: 1\x070\n", "2:11", "0007"),
    ],
    ids=["ESC", "CSI", "BEL"],
)
def test_raw_control_character_in_a_file_is_an_error_at_its_position(
    home: Path, tmp_path: Path, raw: bytes, position: str, code: str
) -> None:
    (tmp_path / "raw.yaml").write_bytes(raw)
    proc = coach(home, "routines", "validate", "raw.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    headline = f"raw.yaml:{position}: error: (root): YAML does not allow the character U+{code}"
    assert out(proc) == headline + " in a file\n"


# -- check-in notes, through `coach checkin` -------------------------------------------

HOSTILE_NOTES = f"{MARKUP} {CONTROLS} end\nline two\tT"
# check_notes keeps line feeds and tabs and drops every other control character.
SAVED_NOTES = (
    "[bold]x [/x] [@click=app.quit]q[/] [link=file:///etc/passwd]l[/] "
    "[31mred[0m c ab   2J   end\nline two\tT"
)


def stored_notes(home: Path) -> list[str]:
    store = Store.open(home / "coach.db")
    try:
        return [entry.notes for entry in store.history()]
    finally:
        store.close()


def test_checkin_saves_hostile_notes_without_control_characters(home: Path) -> None:
    # NUL cannot be a command-line argument; every other control character can.
    notes = HOSTILE_NOTES.replace("\x00", "")
    proc = coach(home, "checkin", "--pain", "3", "--stiffness", "2", "--notes", notes)
    assert proc.returncode == 0, proc.stderr
    assert "notes: [bold]x [/x] [@click=app.quit]q[/]" in out(proc)
    assert stored_notes(home) == [SAVED_NOTES]


def test_checkin_notes_that_are_not_utf8_are_saved_with_replacement_characters(
    home: Path,
) -> None:
    # A Latin-1 terminal: é is the byte 0xE9, and a raw 0x9B byte is CSI to some terminals.
    proc = coach(home, "checkin", "--notes", b"caf\xe9 \x9b2J [bold]x")
    assert proc.returncode == 0, proc.stderr
    assert stored_notes(home) == ["caf\ufffd \ufffd2J [bold]x"]
    assert "notes: caf\ufffd \ufffd2J [bold]x" in out(proc)


@pytest.fixture
def saved_checkin(home: Path) -> Path:
    notes = HOSTILE_NOTES.replace("\x00", "")
    proc = coach(home, "checkin", "--pain", "3", "--stiffness", "2", "--notes", notes)
    assert proc.returncode == 0, proc.stderr
    return home


def test_history_table_shows_saved_notes_literally(saved_checkin: Path) -> None:
    proc = coach(saved_checkin, "history")
    assert proc.returncode == 0, proc.stderr
    assert "[bold]x [/x] [@click=app.quit]q[/] [link=file:///etc/passwd" in out(proc)


def test_history_csv_round_trips_saved_notes(saved_checkin: Path) -> None:
    proc = coach(saved_checkin, "history", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    [row] = csv.DictReader(io.StringIO(out(proc)))
    assert row["notes"] == stored_notes(saved_checkin)[0]


def test_history_json_round_trips_saved_notes(saved_checkin: Path) -> None:
    proc = coach(saved_checkin, "history", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    [row] = json.loads(out(proc))
    assert row["notes"] == stored_notes(saved_checkin)[0]


# -- text written into the database by another program ---------------------------------

FOREIGN_NOTES = f"{CONTROLS} {MARKUP}\nline two"
FOREIGN_ROUTINE_ID = "desk\x1b[2J\x9b"
FOREIGN_ROUTINE_NAME = f"{MARKUP} \x1b]0;title\x07"


@pytest.fixture
def foreign(home: Path) -> Path:
    """A walk and a lone check-in whose text skipped coach's checks (an older version, a tool)."""
    store = Store.open(home / "coach.db")
    walk_id = store.start_walk("desk-break", "Desk break", "/r/desk-break.yaml", "", 600)
    store.finish_walk(walk_id, WalkStatus.COMPLETED, 600, 0, 1)
    after = store.add_checkin(CheckinKind.AFTER, Checkin(pain=3), walk_id)
    lone = store.add_checkin(CheckinKind.ALONE, Checkin(pain=4))
    store.close()
    db = sqlite3.connect(home / "coach.db")
    with db:
        db.execute(
            "UPDATE walks SET routine_id = ?, routine_name = ?, started_at = ? WHERE id = ?",
            (FOREIGN_ROUTINE_ID, FOREIGN_ROUTINE_NAME, "2026-01-01T10:00:00+00:00", walk_id),
        )
        db.execute("UPDATE checkins SET notes = ? WHERE id IN (?, ?)", (FOREIGN_NOTES, after, lone))
    db.close()
    return home


def test_history_table_shows_foreign_control_characters_as_symbols(foreign: Path) -> None:
    proc = coach(foreign, "history")
    assert proc.returncode == 0, proc.stderr
    text = out(proc)
    assert f"{CONTROLS_IN_TABLE} [bold]x [/x]" in text
    assert "desk␛[2J\ufffd" in text


def test_history_table_at_80_columns_has_no_raw_control_characters(foreign: Path) -> None:
    proc = coach(foreign, "history", columns=80)
    assert proc.returncode == 0, proc.stderr
    assert "␛" in out(proc)  # the notes wrap at 80 columns


def test_history_csv_shows_foreign_control_characters_as_symbols(foreign: Path) -> None:
    proc = coach(foreign, "history", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(out(proc))))
    assert {row["notes"] for row in rows} == {f"{CONTROLS_SHOWN} {MARKUP}\nline two"}
    [walk] = [row for row in rows if row["type"] == "walk"]
    assert walk["routine"] == "desk␛[2J\ufffd"
    assert walk["routine_name"] == f"{MARKUP} ␛]0;title␇"


def test_history_json_escapes_foreign_control_characters_and_round_trips(foreign: Path) -> None:
    proc = coach(foreign, "history", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(out(proc))
    assert {row["notes"] for row in rows} == {FOREIGN_NOTES}
    [walk] = [row for row in rows if row["type"] == "walk"]
    assert (walk["routine"], walk["routine_name"]) == (FOREIGN_ROUTINE_ID, FOREIGN_ROUTINE_NAME)
    assert "\\u009b" in proc.stdout.decode()


def test_a_routine_file_name_with_control_characters_is_shown_with_symbols(home: Path) -> None:
    folder = home / "routines"
    folder.mkdir(parents=True)
    bad = folder / "ev\x1bil\x07.yaml"
    bad.write_text("name: Bad\ncadence: 100\nsegments:\n  - name: A\n    duration: 5x\n")
    validate = coach(home, "routines", "validate", str(bad))
    assert validate.returncode == 1
    shown = validate.stdout.decode("utf-8") + validate.stderr.decode("utf-8")
    assert "ev␛il␇.yaml:5:15: error:" in shown
    assert "\x1b" not in shown and "\x07" not in shown
    listed = out(coach(home, "routines", "list"))
    assert "ev␛il␇" in listed
