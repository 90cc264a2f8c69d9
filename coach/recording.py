"""Recording walks and check-ins so that none is lost and none is misreported.

One policy, one place. The walk screen and plain mode tell a walk's recorder how far the
walk has come at every wake (`WalkRecorder.observe`); the recorder decides when to write:
at each new segment and at least every HEARTBEAT_SECONDS of walking. One background
thread writes, so SQLite stays off the event loop and a walk may begin while another
program holds the database.

A record that cannot be written yet (the database locked, the disk full, the file
removed) stays in memory and is retried with backoff. The owner hears of it through
`on_notice`: once when saving fails, once when it works again. At exit
`RecordKeeper.close` retries for up to EXIT_RETRY_SECONDS, then appends whatever is
still unsaved to the recovery file beside the database (coach.store.recovery), which
the next start merges.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coach.core.dose import DEFAULT_MODERATE_CADENCE
from coach.core.records import (
    CheckinKind,
    KeptCheckin,
    KeptWalk,
    WalkProgress,
    WalkStatus,
)
from coach.core.routine.durations import format_clock
from coach.store import HEARTBEAT_SECONDS, Store, StoreError, local_offset, utc_now

if TYPE_CHECKING:
    from coach.core.checkin import Checkin
    from coach.core.engine import WalkSession
    from coach.core.routine.timeline import Timeline

EXIT_RETRY_SECONDS = 30.0
# Seconds between attempts while saving fails (the last one repeats). An attempt on a
# locked database itself waits for SQLite's busy timeout first.
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)
# While closing, try at least this often.
CLOSING_RETRY_MAX = 2.0

Notice = Callable[[str, bool], None]
"""Told something about saving: (text for the person, True if it is trouble)."""


def segments_done(timeline: Timeline, position: float) -> int:
    """How many segments of the timeline lie wholly before `position`.

    Asked at every wake of a walk: a binary search, however long the routine.
    """
    if position >= timeline.total:
        return len(timeline.segments)
    # Segments tile the walk in order: those before the one running are done.
    return timeline.segment_index_at(position)


def progress_of(
    session: WalkSession, now: float | None = None, moderate_cadence: int | None = None
) -> WalkProgress:
    """How far the session's walk has come, read at one moment of its clock; with
    `moderate_cadence`, the walked time split by cadence too (for the weekly dose)."""
    now = session.clock() if now is None else now
    split = None if moderate_cadence is None else session.cadence_seconds(moderate_cadence, now)
    return WalkProgress(
        walked=session.walked(now),
        paused=session.paused_seconds(now),
        segments_done=segments_done(session.timeline, session.position(now)),
        moderate_seconds=None if split is None else split.moderate_seconds,
        easy_seconds=None if split is None else split.easy_seconds,
    )


class WalkRecorder:
    """One walk's record, kept by a RecordKeeper: it decides when progress is written."""

    heartbeat_seconds = HEARTBEAT_SECONDS

    def __init__(
        self, keeper: RecordKeeper, key: str, moderate_cadence: int = DEFAULT_MODERATE_CADENCE
    ) -> None:
        self.keeper = keeper
        self.key = key
        self.moderate_cadence = moderate_cadence  # splits the walked time for the dose
        self.finished = False
        self._segment = -1
        self._written_at = -math.inf  # walked seconds at the last write asked for

    def observe(self, session: WalkSession, segment: int, now: float | None = None) -> None:
        """A wake of the walk, in segment `segment` (its index): its progress is written
        when a new segment starts and at least every `heartbeat_seconds` of walking."""
        if self.finished:
            return
        now = session.clock() if now is None else now
        walked = session.walked(now)
        if segment != self._segment or walked - self._written_at >= self.heartbeat_seconds:
            self._segment = segment
            self._written_at = walked
            self.keeper.update_walk(self.key, self.progress(session, now))

    def progress(self, session: WalkSession, now: float | None = None) -> WalkProgress:
        """The walk's progress now, as it is written (the cadence split included)."""
        return progress_of(session, now, self.moderate_cadence)

    def finish(self, status: WalkStatus, progress: WalkProgress) -> None:
        """Record how the walk ended; later calls do nothing. Returns at once: the keeper
        writes it (see `saved`, `RecordKeeper.wait_until_saved` and `close`)."""
        if self.finished:
            return
        self.finished = True
        self.keeper.update_walk(self.key, progress, status)

    @property
    def saved(self) -> bool:
        """Everything recorded of this walk so far is in the database."""
        return self.keeper.is_saved(self.key)

    @property
    def walk_id(self) -> int | None:
        """The walk's row id, once its row is written."""
        return self.keeper.row_id(self.key)


@dataclass
class _Entry:
    record: KeptWalk | KeptCheckin
    version: int = 0
    saved_version: int = -1
    row_id: int | None = None
    on_saved: Callable[[], None] | None = None

    @property
    def dirty(self) -> bool:
        return self.saved_version != self.version


@dataclass(frozen=True)
class KeepOutcome:
    """What `RecordKeeper.close` could not save, and where it went instead."""

    unsaved: tuple[str, ...] = ()  # each record, described for the person
    reason: str | None = None  # why the database could not take them
    recovery_file: Path | None = None  # where they were kept
    lost: tuple[str, ...] = ()  # the records as JSON, if even the file failed
    file_error: str | None = None
    meant_for: Path | None = None  # the recovery file that could not be written

    @property
    def saved(self) -> bool:
        return not self.unsaved

    def lines(self) -> list[str]:
        """The outcome for the person, one message a line (empty when all is saved)."""
        if self.saved:
            return []
        what = " and ".join(self.unsaved)
        it = "it" if len(self.unsaved) == 1 else "them"
        if self.recovery_file is not None:
            return [
                f"could not save {what}: {self.reason}. Kept in {self.recovery_file}; "
                f"coach adds {it} to your history the next time it starts"
            ]
        paste = (
            f" (once it can be written, add the lines to {self.meant_for} and coach adds "
            f"{it} to your history the next time it starts)"
            if self.meant_for is not None
            else ""
        )
        return [
            f"could not save {what}: {self.reason}; nor keep {it} in a recovery file: "
            f"{self.file_error}. Here {'it is' if it == 'it' else 'they are'}, to keep"
            f"{paste}:",
            *self.lost,
        ]


class RecordKeeper:
    """Writes walks and check-ins from one background thread; keeps what it can't write.

    Thread-safe. `on_notice` is called from the writing thread.
    """

    def __init__(
        self,
        store: Store,
        on_notice: Notice = lambda _text, _trouble: None,
        retry_delays: tuple[float, ...] | None = None,
        on_written: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self._on_notice = on_notice
        self._on_written = on_written  # after a walk's end or a check-in is written
        self._retry_delays = retry_delays or RETRY_DELAYS
        self._entries: dict[str, _Entry] = {}  # in order: a walk before its check-ins
        self._changed = threading.Condition()
        self._failing: str | None = None  # why saving fails, while it does
        self._attempts = 0
        self._next_try = 0.0
        self._closing = False
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._outcome: KeepOutcome | None = None

    # -- what the screens record -------------------------------------------------------

    def begin_walk(
        self,
        timeline: Timeline,
        routine_path: str,
        routine_text: str,
        moderate_cadence: int = DEFAULT_MODERATE_CADENCE,
    ) -> WalkRecorder:
        """Start recording a walk (its row is written as soon as the database allows)."""
        now = utc_now()
        walk = KeptWalk(
            key=uuid.uuid4().hex,
            routine_id=timeline.routine_id,
            routine_name=timeline.name,
            routine_path=routine_path,
            routine_text=routine_text,
            planned_seconds=timeline.total,
            started_at=now,
            updated_at=now,
            ended_at=None,
            status=WalkStatus.IN_PROGRESS,
            progress=WalkProgress(0.0, 0.0, 0),
            utc_offset=local_offset(),
        )
        self._keep(walk)
        return WalkRecorder(self, walk.key, moderate_cadence)

    def add_checkin(
        self,
        kind: CheckinKind,
        answers: Checkin,
        walk: WalkRecorder | int | None = None,
        on_saved: Callable[[], None] | None = None,
    ) -> None:
        """Record a check-in, for a walk being recorded or one stored (by id), or alone.

        `on_saved` is called (from the writing thread) once it is in the database.
        """
        checkin = KeptCheckin(
            key=uuid.uuid4().hex,
            kind=kind,
            created_at=utc_now(),
            answers=answers,
            walk_key=walk.key if isinstance(walk, WalkRecorder) else None,
            walk_id=walk if isinstance(walk, int) else None,
        )
        self._keep(checkin, on_saved)

    def update_walk(
        self, key: str, progress: WalkProgress, status: WalkStatus | None = None
    ) -> None:
        with self._changed:
            entry = self._entries[key]
            walk = entry.record
            assert isinstance(walk, KeptWalk)
            now = utc_now()
            entry.record = replace(
                walk,
                progress=progress,
                updated_at=now,
                status=status or walk.status,
                ended_at=now if status is not None else walk.ended_at,
            )
            entry.version += 1
            self._changed.notify_all()

    def is_saved(self, key: str) -> bool:
        with self._changed:
            return not self._entries[key].dirty

    def row_id(self, key: str) -> int | None:
        with self._changed:
            return self._entries[key].row_id

    @property
    def failing(self) -> str | None:
        """Why saving fails, while it does (None when all is well)."""
        with self._changed:
            return self._failing

    @property
    def all_saved(self) -> bool:
        with self._changed:
            return not any(entry.dirty for entry in self._entries.values())

    def wait_until_saved(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for everything recorded to be written."""
        give_up = time.monotonic() + timeout
        with self._changed:
            while any(entry.dirty for entry in self._entries.values()):
                left = give_up - time.monotonic()
                if left <= 0 or self._stopped:
                    return False
                self._changed.wait(left)
            return True

    def close(
        self,
        timeout: float = EXIT_RETRY_SECONDS,
        on_retrying: Callable[[str], None] | None = None,
    ) -> KeepOutcome:
        """Save what is left, retrying for up to `timeout` seconds (telling `on_retrying`
        once if it has to), then keep what is still unsaved in the recovery file.

        Closing again returns the first outcome.
        """
        if self._outcome is not None:
            return self._outcome
        self._outcome = self._close(timeout, on_retrying)
        return self._outcome

    def _close(self, timeout: float, on_retrying: Callable[[str], None] | None) -> KeepOutcome:
        give_up = time.monotonic() + timeout
        told = False
        with self._changed:
            self._closing = True
            self._next_try = min(self._next_try, time.monotonic() + CLOSING_RETRY_MAX)
            self._changed.notify_all()
            while self._thread is not None and any(e.dirty for e in self._entries.values()):
                left = give_up - time.monotonic()
                if left <= 0:
                    break
                if self._failing is not None and not told and on_retrying is not None:
                    told = True
                    on_retrying(
                        f"not saved yet: {self._describe_unsaved()} ({self._failing}); "
                        f"retrying for up to {timeout:g} s"
                    )
                self._changed.wait(min(left, 0.25))
            self._stopped = True
            self._changed.notify_all()
            unsaved = [e.record for e in self._entries.values() if e.dirty]
            reason = self._failing or "the database could not be written"
            described = self._descriptions(unsaved)
        if not unsaved:
            return KeepOutcome()
        from coach.store.recovery import (
            checkin_line,
            keep_in_recovery_file,
            recovery_path,
            walk_line,
        )

        walks = [r for r in unsaved if isinstance(r, KeptWalk)]
        checkins = [r for r in unsaved if isinstance(r, KeptCheckin)]
        try:
            path = keep_in_recovery_file(self.store.path, walks, checkins)
        except OSError as exc:
            import json

            lines = [json.dumps(walk_line(w), ensure_ascii=False) for w in walks] + [
                json.dumps(checkin_line(c), ensure_ascii=False) for c in checkins
            ]
            error = exc.strerror or str(exc)
            return KeepOutcome(
                described, reason, None, tuple(lines), error, recovery_path(self.store.path)
            )
        return KeepOutcome(described, reason, path)

    # -- the writing thread --------------------------------------------------------------

    def _keep(
        self, record: KeptWalk | KeptCheckin, on_saved: Callable[[], None] | None = None
    ) -> None:
        with self._changed:
            self._entries[record.key] = _Entry(record, on_saved=on_saved)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="coach-recorder", daemon=True
                )
                self._thread.start()
            self._changed.notify_all()

    def _due(self) -> list[tuple[str, int, KeptWalk | KeptCheckin]]:
        """What to write now (under the lock): waits until something is due, or stopped."""
        while not self._stopped:
            dirty = [(k, e.version, e.record) for k, e in self._entries.items() if e.dirty]
            wait = self._next_try - time.monotonic()
            if dirty and wait <= 0:
                return dirty
            self._changed.wait(wait if dirty else None)
        return []

    def _run(self) -> None:
        while True:
            with self._changed:
                due = self._due()
                if not due:
                    return
            saved: list[Callable[[], None]] = []
            final = any(
                isinstance(record, KeptCheckin) or record.status is not WalkStatus.IN_PROGRESS
                for _, _, record in due
            )
            try:
                for key, version, record in due:
                    if isinstance(record, KeptWalk):
                        row_id = self.store.save_walk(record)
                    else:
                        row_id = self.store.save_checkin(record)
                    with self._changed:
                        entry = self._entries[key]
                        entry.row_id = row_id
                        entry.saved_version = max(entry.saved_version, version)
                        if not entry.dirty and entry.on_saved is not None:
                            saved.append(entry.on_saved)
                            entry.on_saved = None
                        self._changed.notify_all()
            except StoreError as exc:
                # coach keeps trying itself: the person need not "try again".
                self._failed(str(exc).removesuffix("; try again in a moment"))
                continue
            finally:
                for callback in saved:
                    callback()
            with self._changed:
                recovered = self._failing is not None and not any(
                    e.dirty for e in self._entries.values()
                )
                if recovered:
                    self._failing = None
                    self._attempts = 0
                    self._next_try = 0.0
            if recovered:
                self._on_notice("Saving works again: everything is saved.", False)
            if final:
                self._on_written()

    def _failed(self, reason: str) -> None:
        with self._changed:
            first = self._failing is None
            self._failing = reason
            delay = self._retry_delays[min(self._attempts, len(self._retry_delays) - 1)]
            if self._closing:
                delay = min(delay, CLOSING_RETRY_MAX)
            self._attempts += 1
            self._next_try = time.monotonic() + delay
            what = self._describe_unsaved()
            self._changed.notify_all()
        if first:
            self._on_notice(
                f"Not saved yet: {what} ({reason}). coach keeps it and tries again.", True
            )

    def _describe_unsaved(self) -> str:
        records = [e.record for e in self._entries.values() if e.dirty]
        walks = sum(isinstance(r, KeptWalk) for r in records)
        checkins = len(records) - walks
        parts = []
        if walks:
            parts.append("your walk" if walks == 1 else f"your {walks} walks")
        if checkins:
            parts.append("a check-in" if checkins == 1 else f"{checkins} check-ins")
        return " and ".join(parts) or "nothing"

    @staticmethod
    def _descriptions(records: list[KeptWalk | KeptCheckin]) -> tuple[str, ...]:
        out = []
        for record in records:
            if isinstance(record, KeptWalk):
                out.append(
                    f"the walk “{record.routine_name}” ({record.status.label}, "
                    f"{format_clock(record.progress.walked)} walked)"
                )
            else:
                out.append(f"a check-in ({record.kind.value})")
        return tuple(out)
