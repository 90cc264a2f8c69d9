"""The warning signs before the day's first walk, in `--plain` mode: asked in lines.

With a terminal on stdin the same question as the app's screen is asked, one line at a
time: Enter for none of these, `y` and the signs' numbers otherwise, then the urgent-care
advice and "Walk anyway?" (Enter: no). Without a terminal nobody can answer and the walk
must not wait: the list and the advice are printed on stderr once the walk has started,
and nothing is recorded (the question stays due until someone answers it).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from coach.core.checkin import (
    BEFORE_WALK_ADVICE,
    URGENT_ADVICE,
    WARNING_SIGNS_QUESTION,
    Checkin,
    WarningSign,
    warning_signs_due,
)
from coach.core.records import CheckinKind
from coach.core.trends import day_range_utc
from coach.store import Store, StoreError

SIGNS = tuple(WarningSign)


class NoAnswer(Exception):
    """End of input or Ctrl+C while asking."""


def _listed() -> list[str]:
    return [f"  {number}. {sign.value}" for number, sign in enumerate(SIGNS, 1)]


def _numbers(text: str) -> frozenset[WarningSign] | None:
    """`1 3` or `1,3` → those signs; None if anything else was typed."""
    words = [word for word in re.split(r"[\s,]+", text.strip()) if word]
    if not words or not all(word.isdecimal() and 1 <= int(word) <= len(SIGNS) for word in words):
        return None
    return frozenset(SIGNS[int(word) - 1] for word in words)


def ask_in_lines(
    ask: Callable[[str], str], say: Callable[[str], None], first_today: bool = True
) -> tuple[frozenset[WarningSign], bool]:
    """Ask the question; return the signs ticked and whether to walk. NoAnswer if none came."""
    say(
        ("Before your first walk today: " if first_today else "Before you walk again: ")
        + WARNING_SIGNS_QUESTION.lower()
    )
    for line in _listed():
        say(line)
    signs: frozenset[WarningSign] | None = None
    while signs is None:
        reply = ask("[Enter] none / [y] yes: ").strip().lower()
        if reply in ("", "n", "no", "none"):
            return frozenset(), True
        if reply in ("y", "yes"):
            while signs is None:
                signs = _numbers(ask(f"Which? Their numbers, e.g. 1 3 (1–{len(SIGNS)}): "))
        else:
            signs = _numbers(reply)  # their numbers at once are a yes too
    say(BEFORE_WALK_ADVICE)
    walk = ask("Walk anyway? [y] yes / [Enter] no: ").strip().lower() in ("y", "yes")
    return signs, walk


def tell_warning_signs(err: TextIO = sys.stderr) -> None:
    """Without a terminal: the list and the advice, for whoever reads stderr."""
    print(f"Before your first walk today: {WARNING_SIGNS_QUESTION.lower()}", file=err)
    for line in _listed():
        print(line, file=err)
    print(f"If so: {URGENT_ADVICE}", file=err, flush=True)


@dataclass(frozen=True)
class BeforeWalk:
    """What the warning signs decided: whether to walk, and whether to tell them (no
    terminal to ask on) once the walk has started."""

    walk: bool
    tell: bool = False


def warning_signs_before_walk(
    store: Store, today: date, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> BeforeWalk:
    """Ask the warning signs when due (on a terminal); say whether to walk."""
    since, until = day_range_utc(today, today)
    assert since is not None
    try:
        answers = store.warning_answers(since, until)
    except StoreError:
        return BeforeWalk(walk=True)  # the walk's own saving will say what is wrong
    if not warning_signs_due(answers):
        return BeforeWalk(walk=True)
    if not stdin.isatty():
        # Told once the walk has started, so a walk that cannot start says only why.
        return BeforeWalk(walk=True, tell=True)

    def ask(prompt: str) -> str:
        out.write(prompt)
        out.flush()
        line = stdin.readline()
        if not line:
            raise NoAnswer
        return line

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    try:
        signs, walk = ask_in_lines(ask, say, first_today=not answers)
    except (NoAnswer, KeyboardInterrupt):
        say("\nNo answer: the walk has not started.")
        return BeforeWalk(walk=False)
    try:
        store.add_warning_answer(signs, walked=walk)
        if signs:  # flagged in history, like any check-in with a warning sign
            store.add_checkin(CheckinKind.ALONE, Checkin(warning_signs=signs))
    except StoreError as exc:
        say(f"coach: your answer was not saved: {exc}")
    if not walk:
        say("The walk has not started. Your answer is flagged in your history.")
    return BeforeWalk(walk=walk)
