"""The domain records: a walk, a check-in, one entry of the history.

Plain values that every layer may use: the store reads and writes them, the history,
the exports and the screens show them. Times are UTC ISO 8601 strings as stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from coach.core.checkin import Checkin, is_meaningful, pain_change

if TYPE_CHECKING:
    from coach.core.progression import Decision, PlanState
    from coach.core.recurrence import EpisodeAnswer
    from coach.core.trends import WalkOutcome


class WalkStatus(Enum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    INTERRUPTED = "interrupted"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class WalkSource(Enum):
    """Where a walk came from: walked in coach, or logged afterwards (`coach log`)."""

    GUIDED = "guided"
    LOGGED = "logged"


class CheckinKind(Enum):
    BEFORE = "before"
    AFTER = "after"
    ALONE = "alone"


@dataclass(frozen=True)
class WalkRecord:
    id: int
    routine_id: str
    routine_name: str
    planned_seconds: int
    started_at: str
    ended_at: str | None
    walked_seconds: float
    paused_seconds: float
    segments_done: int
    status: WalkStatus
    source: WalkSource = WalkSource.GUIDED
    # Seconds at moderate or higher cadence and below it; None for walks recorded before
    # coach kept them (`coach.core.dose`).
    moderate_seconds: float | None = None
    easy_seconds: float | None = None
    utc_offset: int | None = None  # seconds east of UTC where the walk started


@dataclass(frozen=True)
class CheckinRecord:
    id: int
    walk_id: int | None
    kind: CheckinKind
    created_at: str
    answers: Checkin

    @property
    def pain(self) -> int | None:
        return self.answers.pain

    @property
    def stiffness(self) -> int | None:
        return self.answers.stiffness

    @property
    def notes(self) -> str:
        return self.answers.notes


@dataclass(frozen=True)
class EpisodeRecord:
    """One answer to the monthly recurrence question (`coach.core.recurrence`)."""

    id: int
    asked_at: str  # when the question was put (UTC ISO 8601)
    answered_at: str
    episode: bool  # True: back pain stopped the usual activities for a day or more

    def answer(self) -> EpisodeAnswer:
        """As the recurrence rules see it: the local day it was answered."""
        from coach.core.recurrence import EpisodeAnswer  # the rules: not needed to store

        return EpisodeAnswer(
            datetime.fromisoformat(self.answered_at).astimezone().date(), self.episode
        )


class HistoryEntry(NamedTuple):
    """One row of the history: a walk with its check-ins, or a lone check-in.

    A lone check-in's reading is its `after` (the state of the back at that moment).
    A named tuple (`_replace` for a changed copy): a history is thousands of them, and a
    frozen dataclass's __init__ sets each of its 16 fields through object.__setattr__,
    four times as slow.
    """

    walk_id: int | None
    checkin_id: int | None  # the lone check-in's id
    at: str  # UTC ISO 8601: the walk's start or the check-in's time
    routine_id: str | None
    routine_name: str | None
    status: WalkStatus | None
    walked_seconds: float | None
    planned_seconds: int | None
    before: Checkin | None
    after: Checkin | None
    before_id: int | None = None
    after_id: int | None = None
    source: WalkSource | None = None  # None for a lone check-in
    moderate_seconds: float | None = None
    easy_seconds: float | None = None
    utc_offset: int | None = None

    @property
    def is_walk(self) -> bool:
        return self.walk_id is not None

    # These are read for every row of a history export: plain tests, no generators.
    @property
    def flagged(self) -> bool:
        before, after = self.before, self.after
        return (before is not None and before.flagged) or (after is not None and after.flagged)

    @property
    def pain_change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return pain_change(self.before.pain, self.after.pain)

    @property
    def meaningful(self) -> bool:
        if self.before is None or self.after is None:
            return False
        return is_meaningful(self.before.pain, self.after.pain)

    @property
    def notes(self) -> str:
        before = self.before.notes if self.before is not None else ""
        after = self.after.notes if self.after is not None else ""
        return f"{before} / {after}" if before and after else before or after

    @property
    def logged(self) -> bool:
        """A walk logged with `coach log`, not walked in coach."""
        return self.source is WalkSource.LOGGED

    @property
    def started(self) -> datetime:
        return datetime.fromisoformat(self.at)

    def outcome(self) -> WalkOutcome | None:
        """The walk as the trends see it (None for a lone check-in)."""
        if self.walk_id is None or self.routine_id is None:
            return None
        from coach.core.localtime import walk_start
        from coach.core.trends import WalkOutcome

        return WalkOutcome(
            walk_id=self.walk_id,
            routine_id=self.routine_id,
            started=walk_start(self.at, self.utc_offset),
            walked_seconds=self.walked_seconds or 0.0,
            pain_before=self.before.pain if self.before else None,
            pain_after=self.after.pain if self.after else None,
            flagged=self.flagged,
            moderate_seconds=self.moderate_seconds,
            easy_seconds=self.easy_seconds,
            source=self.source or WalkSource.GUIDED,
        )


@dataclass(frozen=True)
class StoredPlan:
    """A plan as the store keeps it: the programme as it was at the start, and progress."""

    id: int
    programme_id: str
    programme_name: str
    programme_path: str
    programme_text: str
    programme_hash: str
    started: date  # the local day the plan started
    start_week: int
    start_reason: str
    week: int  # the programme week being walked now
    decisions: tuple[Decision, ...]
    stopped_at: str | None = None

    def state(self) -> PlanState:
        from coach.core.progression import PlanState

        return PlanState(self.programme_id, self.started, self.week, self.decisions)


@dataclass(frozen=True)
class WalkProgress:
    """How far a walk has come: what its row is brought up to at each write."""

    walked: float  # seconds walked, pauses (and stops) excluded
    paused: float  # seconds paused, stops included
    segments_done: int
    # The walked time split by cadence (`WalkSession.cadence_seconds`), for the dose;
    # None when not worked out.
    moderate_seconds: float | None = None
    easy_seconds: float | None = None


@dataclass(frozen=True)
class KeptWalk:
    """A walk as coach keeps it until it is saved: everything needed to insert or update
    its row, under a key that makes saving it twice the same as saving it once."""

    key: str
    routine_id: str
    routine_name: str
    routine_path: str
    routine_text: str
    planned_seconds: int
    started_at: str
    updated_at: str
    ended_at: str | None
    status: WalkStatus
    progress: WalkProgress
    utc_offset: int | None = None  # seconds east of UTC where the walk started


@dataclass(frozen=True)
class KeptCheckin:
    """A check-in as coach keeps it until it is saved; it finds its walk by the walk's
    key (`walk_key`) or, for a walk saved long ago, by its row id (`walk_id`)."""

    key: str
    kind: CheckinKind
    created_at: str
    answers: Checkin
    walk_key: str | None = None
    walk_id: int | None = None
