"""Rows to records and back.

Every value read is checked: a row written by another program (a `started_at` that is
not a date, a pain of 11, a status coach doesn't know) raises `DamagedRow`, which names
the entry, so one damaged row never hides the rest of the history.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache

from coach.core.checkin import (
    SCORE_MAX,
    SCORE_MIN,
    WHERE_BY_KEY,
    Change,
    Checkin,
    WarningSign,
    Where,
)
from coach.core.records import (
    CheckinKind,
    CheckinRecord,
    EpisodeRecord,
    HistoryEntry,
    StoredPlan,
    WalkRecord,
    WalkSource,
    WalkStatus,
)

Row = tuple[object, ...]

ANSWER_COLUMNS = (
    "pain",
    "stiffness",
    "places",
    "change",
    "effort",
    "warning_signs",
    "flagged",
    "notes",
)
ANSWERS = ", ".join(ANSWER_COLUMNS)
WALK_COLUMNS = (
    "id, routine_id, routine_name, planned_seconds, started_at, ended_at, "
    "walked_seconds, paused_seconds, segments_done, status, "
    "source, moderate_seconds, easy_seconds, utc_offset"
)
# What a walk's history row adds after its check-ins' answers (see `walk_entry`).
WALK_EXTRAS = "w.source, w.moderate_seconds, w.easy_seconds, w.utc_offset"
# A UTC offset further than this from zero is no place on Earth (the widest is +14:00).
OFFSET_LIMIT = 18 * 3600


class DamagedRow(ValueError):
    """A stored row coach cannot read; `entry` names it ("walk #12"), the message says why."""

    def __init__(self, entry: str, reason: str) -> None:
        super().__init__(f"{entry}: {reason}")
        self.entry = entry
        self.reason = reason


def storable(params: tuple[object, ...]) -> tuple[object, ...]:
    """Parameters SQLite can take: text from a command line or a file name may carry
    bytes that were not UTF-8 (as lone surrogates), which it refuses; they become "?"."""
    if not any(isinstance(p, str) and not p.isascii() for p in params):
        return params
    return tuple(
        p.encode("utf-8", "replace").decode("utf-8") if isinstance(p, str) else p for p in params
    )


def answer_values(answers: Checkin) -> tuple[object, ...]:
    return (
        answers.pain,
        answers.stiffness,
        ",".join(sorted(w.key for w in answers.where)),
        answers.change.value if answers.change is not None else None,
        answers.effort,
        ",".join(sorted(s.name.lower() for s in answers.warning_signs)),
        int(answers.flagged),
        answers.notes,
    )


_SIGNS_BY_KEY = {sign.name.lower(): sign for sign in WarningSign}
_CHANGES = {change.value: change for change in Change}
_NOTHING: frozenset[Where] = frozenset()
_NO_SIGNS: frozenset[WarningSign] = frozenset()


def score(value: object, name: str) -> int | None:
    if value is None:
        return None
    if type(value) is int and SCORE_MIN <= value <= SCORE_MAX:
        return value
    raise ValueError(f"{name} {value!r} is not a score from {SCORE_MIN} to {SCORE_MAX}")


# Answers read before, by their stored values: most check-ins repeat a few scores with no
# notes, and a Checkin is immutable, so equal rows can share one. Bounded: cleared when full.
_READ: dict[Row, Checkin] = {}
_READ_MAX = 4096


def answers(row: Row) -> Checkin:
    """A check-in's answers from its ANSWER_COLUMNS; ValueError names a bad value."""
    known = _READ.get(row)
    if known is not None:
        return known
    checkin = _answers(row)
    if len(_READ) >= _READ_MAX:
        _READ.clear()
    _READ[row] = checkin
    return checkin


def _answers(row: Row) -> Checkin:
    pain, stiffness, places, change, effort, signs, _flagged, notes = row
    # This runs for every check-in of a history of thousands: keep it to lookups.
    if change is not None and (not isinstance(change, int) or change not in _CHANGES):
        raise ValueError(f"change {change!r} is not one of the answers")
    return Checkin(
        pain=score(pain, "pain"),
        stiffness=score(stiffness, "stiffness"),
        where=_places(str(places)) if places else _NOTHING,
        change=_CHANGES[change] if isinstance(change, int) else None,
        effort=score(effort, "effort"),
        warning_signs=_signs(str(signs)) if signs else _NO_SIGNS,
        notes=str(notes or ""),
    )


# Stored comma-separated keys as the set of what they name; unknown keys (written by a
# newer coach) are left out. Cached by the stored text: a few recur over a long history.
@lru_cache(maxsize=1024)
def _places(stored: str) -> frozenset[Where]:
    return frozenset(WHERE_BY_KEY[k] for k in stored.split(",") if k in WHERE_BY_KEY)


@lru_cache(maxsize=1024)
def _signs(stored: str) -> frozenset[WarningSign]:
    return frozenset(_SIGNS_BY_KEY[k] for k in stored.split(",") if k in _SIGNS_BY_KEY)


def instant(value: object, name: str) -> str:
    """A stored UTC ISO 8601 time, checked (ValueError if it is not one, or if it is so
    near the ends of the calendar that local time can't show it)."""
    if not isinstance(value, str):
        raise ValueError(f"{name} {value!r} is not a date and time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date and time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{name} {value!r} has no time zone")
    if parsed.year <= 1 or parsed.year >= 9999:
        try:
            parsed.astimezone()
        except (OverflowError, ValueError, OSError):
            raise ValueError(f"{name} {value!r} is out of the calendar's range") from None
    return value


def seconds(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} {value!r} is not a number of seconds")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} {value!r} is not a number of seconds")
    return float(value)


def whole(value: object, name: str) -> int:
    if type(value) is int and value >= 0:
        return value
    raise ValueError(f"{name} {value!r} is not a whole number")


def text(value: object, name: str) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"{name} {value!r} is not text")


def optional_seconds(value: object, name: str) -> float | None:
    return None if value is None else seconds(value, name)


# By stored value: a dict lookup, where calling the Enum runs Python code per row.
_SOURCES = {source.value: source for source in WalkSource}
_STATUSES = {status.value: status for status in WalkStatus}


def source(value: object) -> WalkSource:
    found = _SOURCES.get(value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"source {value!r} is neither guided nor logged")
    return found


def utc_offset(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is int and -OFFSET_LIMIT <= value <= OFFSET_LIMIT:
        return value
    raise ValueError(f"utc_offset {value!r} is not an offset in seconds")


def status(value: object) -> WalkStatus:
    found = _STATUSES.get(value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"status {value!r} is not one coach knows")
    return found


def identifier(value: object, name: str = "id") -> int:
    if type(value) is int:
        return value
    raise ValueError(f"{name} {value!r} is not a number")


def walk_record(row: Row) -> WalkRecord:
    """A walk from WALK_COLUMNS, or DamagedRow."""
    walk_id = row[0]
    try:
        return WalkRecord(
            id=identifier(walk_id),
            routine_id=text(row[1], "routine_id"),
            routine_name=text(row[2], "routine_name"),
            planned_seconds=whole(row[3], "planned_seconds"),
            started_at=instant(row[4], "started_at"),
            ended_at=None if row[5] is None else instant(row[5], "ended_at"),
            walked_seconds=seconds(row[6], "walked_seconds"),
            paused_seconds=seconds(row[7], "paused_seconds"),
            segments_done=whole(row[8], "segments_done"),
            status=status(row[9]),
            source=source(row[10]),
            moderate_seconds=optional_seconds(row[11], "moderate_seconds"),
            easy_seconds=optional_seconds(row[12], "easy_seconds"),
            utc_offset=utc_offset(row[13]),
        )
    except ValueError as exc:
        raise DamagedRow(f"walk #{walk_id}", str(exc)) from None


def checkin_record(row: Row) -> CheckinRecord:
    """A check-in from `id, walk_id, kind, created_at, ANSWERS`, or DamagedRow."""
    checkin_id = row[0]
    try:
        kind = CheckinKind(row[2])
    except ValueError:
        raise DamagedRow(f"check-in #{checkin_id}", f"kind {row[2]!r} is unknown") from None
    try:
        return CheckinRecord(
            identifier(checkin_id),
            None if row[1] is None else identifier(row[1], "walk_id"),
            kind,
            instant(row[3], "created_at"),
            answers(row[4:]),
        )
    except ValueError as exc:
        raise DamagedRow(f"check-in #{checkin_id}", str(exc)) from None


WIDTH = len(ANSWER_COLUMNS)


def walk_entry(row: Row, damaged: list[DamagedRow] | None = None) -> HistoryEntry:
    """A walk with its latest check-ins: `id, started_at, routine_id, routine_name, status,
    walked_seconds, planned_seconds, before id, after id, before ANSWERS, after ANSWERS,
    WALK_EXTRAS`.

    A damaged check-in is left out of the walk and added to `damaged` (the walk still
    shows); a damaged walk raises DamagedRow.
    """
    walk_id = row[0]
    extras = 9 + 2 * WIDTH
    try:
        before_id, before = _checkin_of(row[7], row[9 : 9 + WIDTH], damaged)
        after_id, after = _checkin_of(row[8], row[9 + WIDTH : extras], damaged)
        return HistoryEntry(
            walk_id=identifier(walk_id),
            checkin_id=None,
            at=instant(row[1], "started_at"),
            routine_id=text(row[2], "routine_id"),
            routine_name=text(row[3], "routine_name"),
            status=status(row[4]),
            walked_seconds=seconds(row[5], "walked_seconds"),
            planned_seconds=whole(row[6], "planned_seconds"),
            before_id=before_id,
            after_id=after_id,
            before=before,
            after=after,
            source=source(row[extras]),
            moderate_seconds=optional_seconds(row[extras + 1], "moderate_seconds"),
            easy_seconds=optional_seconds(row[extras + 2], "easy_seconds"),
            utc_offset=utc_offset(row[extras + 3]),
        )
    except ValueError as exc:
        raise DamagedRow(f"walk #{walk_id}", str(exc)) from None


def _checkin_of(
    checkin_id: object, values: Row, damaged: list[DamagedRow] | None
) -> tuple[int | None, Checkin | None]:
    """A walk's check-in (id, answers), or (None, None) if it has none or it is damaged."""
    if checkin_id is None:
        return None, None
    try:
        return identifier(checkin_id), answers(values)
    except ValueError as exc:
        if damaged is None:
            raise
        damaged.append(DamagedRow(f"check-in #{checkin_id}", str(exc)))
        return None, None


def lone_entry(row: Row) -> HistoryEntry:
    """A check-in on its own: `id, created_at, ANSWERS`."""
    checkin_id = row[0]
    try:
        return HistoryEntry(
            walk_id=None,
            checkin_id=identifier(checkin_id),
            at=instant(row[1], "created_at"),
            routine_id=None,
            routine_name=None,
            status=None,
            walked_seconds=None,
            planned_seconds=None,
            before=None,
            after=answers(row[2:]),
            after_id=identifier(checkin_id),
        )
    except ValueError as exc:
        raise DamagedRow(f"check-in #{checkin_id}", str(exc)) from None


def stored_plan(row: Row, decisions: list[Row]) -> StoredPlan:
    """A plan from `plans` and its decisions, or DamagedRow."""
    from coach.core.progression import Decision, Outcome

    plan_id = row[0]
    try:
        return StoredPlan(
            id=identifier(plan_id),
            programme_id=text(row[1], "programme_id"),
            programme_name=text(row[2], "programme_name"),
            programme_path=text(row[3], "programme_path"),
            programme_text=text(row[4], "programme_text"),
            programme_hash=text(row[5], "programme_hash"),
            started=date.fromisoformat(text(row[6], "started_on")),
            start_week=whole(row[7], "start_week"),
            start_reason=text(row[8], "start_reason"),
            week=whole(row[9], "week"),
            decisions=tuple(
                Decision(
                    week_start=date.fromisoformat(text(d[0], "week_start")),
                    outcome=Outcome(d[1]),
                    week=whole(d[2], "week"),
                    next_week=whole(d[3], "next_week"),
                    sessions_done=whole(d[4], "sessions_done"),
                    sessions_planned=whole(d[5], "sessions_planned"),
                    reason=text(d[6], "reason"),
                )
                for d in decisions
            ),
            stopped_at=None if row[10] is None else instant(row[10], "stopped_at"),
        )
    except ValueError as exc:
        raise DamagedRow(f"plan #{plan_id}", str(exc)) from None


def signs_value(signs: frozenset[WarningSign]) -> str:
    """Warning signs as stored: their names, lower case, comma-separated, sorted."""
    return ",".join(sorted(sign.name.lower() for sign in signs))


def episode_record(row: Row) -> EpisodeRecord:
    """An answer to the recurrence question: `id, asked_at, answered_at, episode`."""
    episode_id = row[0]
    try:
        if row[3] not in (0, 1) or isinstance(row[3], bool | float):
            raise ValueError(f"episode {row[3]!r} is not 0 or 1")
        return EpisodeRecord(
            identifier(episode_id),
            instant(row[1], "asked_at"),
            instant(row[2], "answered_at"),
            bool(row[3]),
        )
    except ValueError as exc:
        raise DamagedRow(f"episode answer #{episode_id}", str(exc)) from None


def warning_signs(value: object) -> frozenset[WarningSign]:
    """Stored warning signs (`signs_value`); ValueError if it is not text."""
    if not isinstance(value, str):
        raise ValueError(f"warning signs {value!r} are not text")
    return frozenset(_SIGNS_BY_KEY[k] for k in value.split(",") if k in _SIGNS_BY_KEY)
