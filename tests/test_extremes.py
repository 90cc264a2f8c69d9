"""Extremes of every value a person can type, for every command.

Each option and argument gets each class of hostile value: numbers that parse but are
not (nan, inf, 1e309), the ends of the calendar, names longer than the OS allows, empty
strings where a path belongs, terminal escape sequences, markup, text that was not
UTF-8. Whatever the value, a command ends with status 0, 1 or 2, says what is wrong in
one line, never shows a traceback and never sends an escape sequence to the terminal.
A table covers each class; hypothesis adds random text on top; a few cases run as real
processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.cli import main

TINY = """\
name: Tiny
cadence: 100
segments:
  - name: Only
    duration: 3s
"""

VALUES = {
    "empty": "",
    "blank": "   ",
    "nan": "nan",
    "inf": "inf",
    "-inf": "-inf",
    "1e309": "1e309",
    "negative": "-1",
    "zero": "0",
    "eleven": "11",
    "huge-int": "9" * 400,
    "arabic-digit": "٣",
    "first-day": "0001-01-01",
    "last-day": "9999-12-31",
    "year-10000": "10000-01-01",
    "feb-30": "2026-02-30",
    "name-max": "a" * 300,
    "path-max": "a/" * 2100,
    "escape": "\x1b[2J\x1b]0;owned\x07",
    "c1-csi": "\x9b31m",
    "markup": "[/x][@click=app.quit]x",
    "dash": "-",
    "no-such-user": "~nobody-coach-test/x",
    "dev-null": "/dev/null",
    "a-folder": "/",
    "emoji": "😀" * 50,
    "not-utf8": "caf\udce9",
}

# Each command with `{}` where the value goes.
COMMANDS: dict[str, tuple[str, ...]] = {
    "walk-routine": ("walk", "{}", "--plain", "--sound", "off", "--speed", "600"),
    "walk-speed": ("walk", "tiny.yaml", "--plain", "--sound", "off", "--speed", "{}"),
    "walk-sound": ("walk", "tiny.yaml", "--plain", "--speed", "600", "--sound", "{}"),
    "walk-app": ("walk", "{}"),
    "checkin-pain": ("checkin", "--pain", "{}"),
    "checkin-stiffness": ("checkin", "--stiffness", "{}"),
    "checkin-where": ("checkin", "--where", "{}"),
    "checkin-notes": ("checkin", "--pain", "1", "--notes", "{}"),
    "history-since": ("history", "--since", "{}"),
    "history-until": ("history", "--until", "{}"),
    "history-routine": ("history", "--routine", "{}"),
    "history-format": ("history", "--format", "{}"),
    "routines-list": ("routines", "list", "--format", "{}"),
    "routines-show": ("routines", "show", "{}"),
    "routines-validate": ("routines", "validate", "{}"),
    "routines-new": ("routines", "new", "{}"),
    "routines-new-from": ("routines", "new", "fresh", "--from", "{}"),
    "routines-edit": ("routines", "edit", "{}", "--editor"),
    "home-history": ("--home", "{}", "history"),
    "home-config": ("--home", "{}", "config", "show"),
    "home-checkin": ("--home", "{}", "checkin", "--pain", "1"),
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    return tmp_path


def invoke(folder: Path, args: Sequence[str]) -> Result:
    env = {
        "COACH_HOME": str(folder / "home"),
        "EDITOR": "true",
        "VISUAL": "",
        "COLUMNS": "100",
        "NO_COLOR": "1",
    }
    return CliRunner(env=env).invoke(main, list(args), prog_name="coach")


def assert_ends_well(result: Result) -> None:
    """Exit 0, 1 or 2; one line saying what is wrong; no traceback; no escape sequence."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.output
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream
        assert "\x1b" not in stream and "\x9b" not in stream, repr(stream)
    errors = result.stderr.splitlines()
    if result.exit_code == 2:
        assert [line for line in errors if line.startswith("Error: ")], result.stderr
        assert len([line for line in errors if line.startswith("Error")]) == 1, result.stderr
    elif result.exit_code == 1:
        assert len(errors) == 1, result.stderr


def args_with(template: Sequence[str], value: str) -> list[str]:
    return [value if part == "{}" else part for part in template]


@pytest.mark.parametrize("value", sorted(VALUES))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_takes_every_extreme_value_calmly(
    folder: Path, command: str, value: str
) -> None:
    assert_ends_well(invoke(folder, args_with(COMMANDS[command], VALUES[value])))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(sorted(COMMANDS)),
    value=st.text(min_size=0, max_size=300).filter(lambda v: "\x00" not in v),
)
def test_random_values_end_calmly(folder: Path, command: str, value: str) -> None:
    assert_ends_well(invoke(folder, args_with(COMMANDS[command], value)))


@pytest.mark.parametrize(
    "config",
    [
        "sound: .nan\n",
        "sound: 1e309\n",
        "pre_walk_checkin: .inf\n",
        "default_routine: " + "a" * 300 + "\n",
        "default_routine: ''\n",
        "tts_command: ''\n",
        "theme: '\\e[2J'\n",
        "keys: {pause: ctrl+c, quit: ctrl+q, help: ctrl+p}\n",
        "keys: {pause: ''}\n",
        "keys: [1, 2]\n",
        "\x1b[2J: 1\n",
    ],
)
def test_every_config_value_is_a_located_warning_at_worst(folder: Path, config: str) -> None:
    home = folder / "home"
    home.mkdir()
    (home / "config.yaml").write_text(config, encoding="utf-8")
    for args in (["config", "show"], ["walk", "--plain", "--speed", "600", "--sound", "off"]):
        result = invoke(folder, args)
        assert_ends_well(result)
        for line in result.stderr.splitlines():
            if "config.yaml" in line:
                assert line.split("config.yaml:")[1][0].isdigit(), line  # located


# -- real processes -----------------------------------------------------------------


def coach(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {**os.environ, "COACH_HOME": str(folder / "home")}
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        env={**base, **(env or {})},
        cwd=folder,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env", "code", "says"),
    [
        (["--home", "", "history"], {}, 2, "--home"),
        (["history"], {"COACH_HOME": ""}, 2, "COACH_HOME is set but empty"),
        (["--home", "a" * 300, "history"], {}, 1, "File name too long"),
        (["walk", "tiny.yaml", "--plain", "--speed", "nan"], {}, 2, "'nan' is not a number"),
        (["history", "--since", "0001-01-01", "--until", "9999-12-31"], {}, 0, ""),
        (["checkin", "--pain", "1e309"], {}, 1, "--pain must be a whole number"),
    ],
    ids=["home-empty", "coach-home-empty", "home-name-max", "speed-nan", "calendar", "pain"],
)
def test_extremes_in_real_processes(
    folder: Path, args: list[str], env: dict[str, str], code: int, says: str
) -> None:
    result = coach(folder, *args, env=env)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert says in result.stderr
    assert not (Path.home() / ".local/share/coach/x").exists()


@pytest.mark.slow
def test_an_empty_home_never_reaches_the_real_data_folder(folder: Path) -> None:
    real = {"HOME": str(folder / "real-home"), "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": ""}
    for args in (["--home", "", "checkin", "--pain", "1"], ["checkin", "--pain", "1"]):
        env = {**real, "COACH_HOME": ""} if args[0] == "checkin" else real
        result = coach(folder, *args, env=env)
        assert result.returncode == 2, result.stderr
    assert not (folder / "real-home").exists()


@pytest.mark.slow
def test_a_home_path_with_escape_sequences_is_shown_not_sent(folder: Path) -> None:
    home = folder / "x\x1b[2Jy"
    result = coach(folder, "--home", str(home), "config", "path")
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert result.stdout.strip().endswith("x␛[2Jy/config.yaml")
