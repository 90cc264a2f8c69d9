"""The back check-in: its scales and wording, warning signs, and what counts as a change.

Pure rules, no I/O: the screens, the CLI and the history all ask here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from coach.core.text import CONTROLS

SCORE_MIN, SCORE_MAX = 0, 10
NOTES_MAX = 4000
# A change in pain of at least this many points, or this share of the starting score,
# is meaningful: the usual threshold for a 0–10 pain rating.
MEANINGFUL_POINTS = 2
MEANINGFUL_SHARE = 0.30


@dataclass(frozen=True)
class Scale:
    """A 0–10 question with its anchors."""

    key: str
    question: str
    low: str
    high: str

    @property
    def hint(self) -> str:
        return f"0 = {self.low}, 10 = {self.high}"


PAIN = Scale("pain", "How much does your back hurt right now?", "no pain", "worst pain imaginable")
STIFFNESS = Scale("stiffness", "How stiff does your back feel?", "not at all", "extremely stiff")
EFFORT = Scale("effort", "How hard did this walk feel?", "resting", "maximal")


class Where(Enum):
    """Where the back hurts; any number may be ticked."""

    # Members are singletons: hashing by identity is correct, and a C slot, where
    # Enum's own hash is Python code run thousands of times for a long history.
    __hash__ = object.__hash__

    LOWER_BACK = "lower back"
    MID_BACK = "mid back"
    UPPER_BACK = "upper back"
    NECK = "neck"
    HIPS = "hips/buttocks"
    LEG = "down a leg"

    @property
    def key(self) -> str:
        """A short name for flags and exports: lower, mid, upper, neck, hips, leg."""
        return self.name.split("_")[0].lower()


WHERE_BY_KEY = {where.key: where for where in Where}


class Change(Enum):
    """After a walk: "Compared with before this walk, my back feels…"."""

    # Members are singletons: hashing by identity is correct, and a C slot, where
    # Enum's own hash is Python code run thousands of times for a long history.
    __hash__ = object.__hash__

    MUCH_WORSE = -3
    WORSE = -2
    LITTLE_WORSE = -1
    NO_CHANGE = 0
    LITTLE_BETTER = 1
    BETTER = 2
    MUCH_BETTER = 3

    @property
    def label(self) -> str:
        return {
            -3: "much worse",
            -2: "worse",
            -1: "a little worse",
            0: "no change",
            1: "a little better",
            2: "better",
            3: "much better",
        }[self.value]


CHANGE_QUESTION = "Compared with before this walk, my back feels…"


class WarningSign(Enum):
    """Symptoms that can need urgent medical care."""

    # Members are singletons: hashing by identity is correct, and a C slot, where
    # Enum's own hash is Python code run thousands of times for a long history.
    __hash__ = object.__hash__

    SADDLE_NUMBNESS = "numbness or tingling between the legs or around the buttocks"
    BLADDER_BOWEL = "new trouble controlling bladder or bowels"
    LEG_WEAKNESS = "new weakness in a leg, or legs that won't coordinate"
    BOTH_LEGS = "new pain or numbness down both legs"
    FEVER = "fever or feeling unwell with back pain"
    SEVERE_PAIN = "severe pain that doesn't ease with rest or at night"


URGENT_ADVICE = (
    "These symptoms can need urgent medical care. Stop the routine and contact a doctor "
    "or emergency services now."
)
# The same advice before a walk, when there is no routine yet to stop.
BEFORE_WALK_ADVICE = (
    "These symptoms can need urgent medical care. Don't start the walk: contact a doctor "
    "or emergency services now."
)
# Asked before the first walk of each day (SPEC §4), where they matter most.
WARNING_SIGNS_QUESTION = "Any of these right now?"


def warning_signs_due(answers_today: Sequence[frozenset[WarningSign]]) -> bool:
    """Whether to ask the warning signs before a walk, given today's answers (oldest first).

    Asked before the day's first walk; asked again before each later walk while the
    latest answer today ticked a sign (they may still be there).
    """
    return not answers_today or bool(answers_today[-1])


class Checkin(NamedTuple):
    """One check-in's answers; None means not answered.

    A named tuple (`_replace` for a changed copy): a history reads thousands, and a frozen
    dataclass's __init__, setting each field through object.__setattr__, is far slower.
    """

    pain: int | None = None
    stiffness: int | None = None
    where: frozenset[Where] = frozenset()
    change: Change | None = None
    effort: int | None = None
    warning_signs: frozenset[WarningSign] = frozenset()
    notes: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.warning_signs)

    @property
    def is_empty(self) -> bool:
        return (
            self.pain is None
            and self.stiffness is None
            and not self.where
            and self.change is None
            and self.effort is None
            and not self.warning_signs
            and not self.notes
        )


def check_score(scale: Scale, value: object) -> int:
    """An integer 0–10, or ValueError naming the scale and the range."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{scale.key} must be a whole number from 0 to 10")
    text = str(value).strip()
    if not (text.isascii() and text.isdecimal()) or not SCORE_MIN <= int(text) <= SCORE_MAX:
        raise ValueError(f"{scale.key} must be a whole number from 0 to 10, not {text!r}")
    return int(text)


def parse_where(text: str) -> frozenset[Where]:
    """`lower,neck` or `lower back, hips/buttocks` → the set; ValueError lists the choices."""
    found = set()
    for raw in text.split(","):
        part = raw.strip().lower()
        if not part:
            continue
        where = WHERE_BY_KEY.get(part) or next((w for w in Where if w.value == part), None)
        if where is None:
            choices = ", ".join(WHERE_BY_KEY)
            raise ValueError(f"where: unknown place {raw.strip()!r}; choose from {choices}")
        found.add(where)
    return frozenset(found)


_SURROGATES = re.compile("[\ud800-\udfff]")


def check_notes(text: str) -> str:
    """Notes as stored: control characters (but newlines and tabs) removed, length bounded.

    C1 controls count too (U+009B starts an escape sequence like ESC [). Bytes that were not
    UTF-8, which reach `--notes` as lone surrogates and cannot be stored, become U+FFFD.
    """
    cleaned = _SURROGATES.sub("\ufffd", CONTROLS.sub("", text)).strip()
    if len(cleaned) > NOTES_MAX:
        raise ValueError(f"notes are {len(cleaned)} characters; at most {NOTES_MAX}")
    return cleaned


def pain_change(before: int | None, after: int | None) -> int | None:
    """After − before (negative is relief), or None if either is missing."""
    if before is None or after is None:
        return None
    return after - before


def is_meaningful(before: int | None, after: int | None) -> bool:
    """A change of at least 2 points or at least 30% of the starting score."""
    change = pain_change(before, after)
    if change is None or change == 0:
        return False
    assert before is not None
    if abs(change) >= MEANINGFUL_POINTS:
        return True
    return before > 0 and abs(change) / before >= MEANINGFUL_SHARE - 1e-9


def meaningful_relief(before: int | None, after: int | None) -> bool:
    """Pain went down by a meaningful amount."""
    change = pain_change(before, after)
    return change is not None and change < 0 and is_meaningful(before, after)
