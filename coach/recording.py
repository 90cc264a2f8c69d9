"""Recording a walk as it happens, so no way of stopping loses it.

The row is written when the walk starts; progress is queued to one background thread
(SQLite stays off the event loop) and `finish` waits until everything is written.
"""

from __future__ import annotations

import queue
import threading

from coach.core.dose import CadenceSplit
from coach.core.records import WalkStatus
from coach.core.routine.timeline import Timeline
from coach.store import HEARTBEAT_SECONDS, Store, StoreError

_Job = tuple[WalkStatus | None, float, float, int, CadenceSplit | None]


class WalkRecorder:
    """Keeps one walk's row current: progress at segment changes and every few seconds."""

    heartbeat_seconds = HEARTBEAT_SECONDS

    def __init__(self, store: Store, walk_id: int) -> None:
        self.store = store
        self.walk_id = walk_id
        self.error: str | None = None
        self.finished = False
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="coach-recorder", daemon=True)
        self._thread.start()

    @classmethod
    def begin(
        cls, store: Store, timeline: Timeline, routine_path: str, routine_text: str
    ) -> WalkRecorder:
        """Write the walk's row (in progress) and return its recorder."""
        walk_id = store.start_walk(
            timeline.routine_id, timeline.name, routine_path, routine_text, timeline.total
        )
        return cls(store, walk_id)

    def progress(
        self,
        walked: float,
        paused: float,
        segments_done: int,
        split: CadenceSplit | None = None,
    ) -> None:
        if not self.finished:
            self._jobs.put((None, walked, paused, segments_done, split))

    def finish(
        self,
        status: WalkStatus,
        walked: float,
        paused: float,
        segments_done: int,
        split: CadenceSplit | None = None,
    ) -> None:
        """Record the end of the walk and wait until it is written. Later calls do nothing.

        `split`: the walked time by cadence (`WalkSession.cadence_seconds`), for the dose.
        """
        if self.finished:
            return
        self.finished = True
        self._jobs.put((status, walked, paused, segments_done, split))
        self._jobs.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            status, walked, paused, done, split = job
            cadence = (
                (None, None) if split is None else (split.moderate_seconds, split.easy_seconds)
            )
            try:
                if status is None:
                    self.store.update_walk(self.walk_id, walked, paused, done, *cadence)
                else:
                    self.store.finish_walk(self.walk_id, status, walked, paused, done, *cadence)
            except StoreError as exc:
                self.error = str(exc)


def segments_done(timeline: Timeline, position: float) -> int:
    """How many segments of the timeline lie wholly before `position`."""
    return sum(1 for segment in timeline.segments if segment.end <= position)
