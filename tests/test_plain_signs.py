"""The warning signs before the day's first walk in `--plain` mode: asked in lines."""

from __future__ import annotations

import io
import os
import pty
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from coach.core.checkin import BEFORE_WALK_ADVICE, URGENT_ADVICE, WarningSign
from coach.core.records import CheckinKind
from coach.core.trends import day_range_utc
from coach.plain_signs import (
    BeforeWalk,
    ask_in_lines,
    tell_warning_signs,
    warning_signs_before_walk,
)
from coach.store import Store


def replies(*lines: str):  # type: ignore[no-untyped-def]
    """An `ask` that gives these replies in turn, and the prompts it was asked."""
    asked: list[str] = []
    given = iter(lines)

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(given)

    return ask, asked


def answer(*lines: str) -> tuple[frozenset[WarningSign], bool]:
    ask, _ = replies(*lines)
    return ask_in_lines(ask, lambda text: None)


@pytest.mark.parametrize("reply", ["", "n", "none"])
def test_enter_or_n_is_none_of_these_and_walks_on(reply: str) -> None:
    assert answer(reply) == (frozenset(), True)


def test_yes_asks_which_then_gives_the_advice_and_asks_to_walk_anyway() -> None:
    said: list[str] = []
    ask, asked = replies("y", "2 5", "y")
    assert ask_in_lines(ask, said.append) == (
        frozenset({WarningSign.BLADDER_BOWEL, WarningSign.FEVER}),
        True,
    )
    assert asked[1].startswith("Which?")
    assert BEFORE_WALK_ADVICE in said
    assert asked[-1] == "Walk anyway? [y] yes / [Enter] no: "


def test_enter_after_the_advice_does_not_walk() -> None:
    assert answer("y", "3", "") == (frozenset({WarningSign.LEG_WEAKNESS}), False)


def test_numbers_at_once_are_a_yes() -> None:
    assert answer("1,6", "n") == (
        frozenset({WarningSign.SADDLE_NUMBNESS, WarningSign.SEVERE_PAIN}),
        False,
    )


def test_something_else_is_asked_again() -> None:
    ask, asked = replies("maybe", "y", "7", "x", "4", "y")
    assert ask_in_lines(ask, lambda text: None) == (frozenset({WarningSign.BOTH_LEGS}), True)
    assert len(asked) == 6


def test_the_six_signs_are_listed_with_their_numbers() -> None:
    said: list[str] = []
    ask, _ = replies("")
    ask_in_lines(ask, said.append)
    assert said[0] == "Before your first walk today: any of these right now?"
    assert said[1:] == [f"  {n}. {sign.value}" for n, sign in enumerate(WarningSign, 1)]


# -- around the walk ----------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def answers_today(store: Store) -> list[frozenset[WarningSign]]:
    since, until = day_range_utc(date.today(), date.today())
    assert since is not None
    return store.warning_answers(since, until)


@pytest.fixture
def store(coach_home: Path) -> Store:
    opened = Store.open()
    yield opened
    opened.close()


def test_none_of_these_is_recorded_and_the_walk_goes_on(store: Store) -> None:
    out = io.StringIO()
    assert warning_signs_before_walk(store, date.today(), Terminal("\n"), out).walk
    assert answers_today(store) == [frozenset()]
    assert store.checkins() == []


def test_declining_records_a_flagged_checkin_and_does_not_walk(store: Store) -> None:
    out = io.StringIO()
    assert not warning_signs_before_walk(store, date.today(), Terminal("y\n4\n\n"), out).walk
    assert answers_today(store) == [frozenset({WarningSign.BOTH_LEGS})]
    [flagged] = store.checkins()
    assert (flagged.kind, flagged.answers.flagged) == (CheckinKind.ALONE, True)
    assert "The walk has not started." in out.getvalue()


def test_end_of_input_while_asking_does_not_walk_and_records_nothing(store: Store) -> None:
    out = io.StringIO()
    assert not warning_signs_before_walk(store, date.today(), Terminal("y\n"), out).walk
    assert answers_today(store) == []


def test_without_a_terminal_the_walk_goes_on_and_the_signs_are_told(store: Store) -> None:
    out = io.StringIO()
    decided = warning_signs_before_walk(store, date.today(), io.StringIO(""), out)
    assert decided == BeforeWalk(walk=True, tell=True)
    assert out.getvalue() == ""
    assert answers_today(store) == []  # nobody answered


def test_told_signs_are_the_list_and_the_advice() -> None:
    err = io.StringIO()
    tell_warning_signs(err)
    lines = err.getvalue().splitlines()
    assert lines[1:7] == [f"  {n}. {sign.value}" for n, sign in enumerate(WarningSign, 1)]
    assert lines[7] == f"If so: {URGENT_ADVICE}"


def test_not_asked_again_the_same_day(store: Store) -> None:
    store.add_warning_answer(frozenset(), walked=True)
    out = io.StringIO()
    assert warning_signs_before_walk(store, date.today(), Terminal(""), out) == BeforeWalk(True)
    assert out.getvalue() == ""


# -- a real process -----------------------------------------------------------------------


def test_a_plain_walk_declined_at_the_warning_signs_never_starts(tmp_path: Path) -> None:
    """`coach walk desk-break --plain` with a terminal on stdin: y, 2, Enter → no walk."""
    home = tmp_path / "home"
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "walk", "desk-break", "--plain", "--sound", "off"],
        env={**os.environ, "COACH_HOME": str(home)},
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(terminal)
    try:
        os.write(controller, b"y\n2\n\n")  # the terminal keeps it until coach reads
        out, err = process.communicate(timeout=30)
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "[Enter] none / [y] yes:" in out
    assert BEFORE_WALK_ADVICE in out
    assert "The walk has not started." in out
    assert "[00:00:00]" not in out
    store = Store.open(home / "coach.db")
    try:
        assert store.walks() == []
        [flagged] = store.checkins()
        assert flagged.answers.warning_signs == {WarningSign.BLADDER_BOWEL}
    finally:
        store.close()


def test_a_plain_walk_without_a_terminal_tells_the_signs_on_stderr_and_walks(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "walk", "desk-break", "--plain", "--sound", "off"],
        env={**os.environ, "COACH_HOME": str(home), "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # the walk has started
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert first.startswith("[00:00:00] Stand up and ease in")
    assert err.startswith("Before your first walk today: any of these right now?\n")
    assert f"If so: {URGENT_ADVICE}" in err
