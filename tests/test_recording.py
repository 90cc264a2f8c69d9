"""The recorder: one policy for when a walk is written, and nothing lost when writing fails.

A store that fails on demand stands in for a database that is locked or full (the
real processes are in test_saving_processes.py); `PRAGMA max_page_count` makes a real
database full.
"""

from __future__ import annotations

import itertools
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.core.checkin import Checkin
from coach.core.engine import WalkSession
from coach.core.records import CheckinKind, KeptCheckin, KeptWalk, WalkProgress, WalkStatus
from coach.core.routine import compile_timeline, load_text
from coach.core.routine.timeline import Timeline
from coach.recording import RecordKeeper, segments_done
from coach.store import HEARTBEAT_SECONDS, Store, StoreError
from coach.store.recovery import merge_recovery_file, read_line, recovery_path

ROUTINE_TEXT = """\
name: Short loop
cadence: 100
segments:
  - name: Walk
    duration: 2m
  - name: Slow
    duration: 1m
    cadence: 90
"""
QUICK = (0.01,)  # retry at once: these tests wait on outcomes, not on the clock


class FlakyStore(Store):
    """A real store whose writes of kept records fail while `broken` gives a reason."""

    broken: str | None = None
    attempts = 0

    def save_walk(self, walk: KeptWalk) -> int:
        self.attempts += 1
        if self.broken:
            raise StoreError(self.broken)
        return super().save_walk(walk)

    def save_checkin(self, checkin: KeptCheckin) -> int:
        self.attempts += 1
        if self.broken:
            raise StoreError(self.broken)
        return super().save_checkin(checkin)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FlakyStore]:
    opened = FlakyStore.open(tmp_path / "coach.db")
    assert isinstance(opened, FlakyStore)
    yield opened
    opened.close()


@pytest.fixture
def timeline() -> Timeline:
    result = load_text(ROUTINE_TEXT, "short-loop", "short-loop.yaml")
    assert result.routine is not None
    return compile_timeline(result.routine)


class Clock:
    """A monotonic clock that moves when the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Notices(list[tuple[str, bool]]):
    def __call__(self, text: str, trouble: bool) -> None:
        self.append((text, trouble))


def progress(walked: float, done: int = 0) -> WalkProgress:
    return WalkProgress(walked=walked, paused=0.0, segments_done=done)


# -- when a walk is written ---------------------------------------------------------


def test_the_walk_row_is_written_when_the_walk_begins(store: Store, timeline: Timeline) -> None:
    keeper = RecordKeeper(store)
    recorder = keeper.begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT)
    assert keeper.wait_until_saved(10)
    assert recorder.walk_id is not None
    walk = store.walk(recorder.walk_id)
    assert walk is not None
    assert walk.status is WalkStatus.IN_PROGRESS
    assert walk.planned_seconds == timeline.total == 180
    keeper.close()


def test_progress_then_finish_writes_everything(store: Store, timeline: Timeline) -> None:
    clock = Clock()
    session = WalkSession(timeline, clock)
    keeper = RecordKeeper(store)
    recorder = keeper.begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT, moderate_cadence=95)
    clock.now += 30
    recorder.observe(session, segment=0)
    clock.now += 95
    recorder.observe(session, segment=1)
    clock.now += 55
    recorder.finish(WalkStatus.COMPLETED, recorder.progress(session))
    assert keeper.close().saved
    assert recorder.walk_id is not None
    walk = store.walk(recorder.walk_id)
    assert walk is not None
    assert (walk.status, walk.walked_seconds, walk.paused_seconds, walk.segments_done) == (
        WalkStatus.COMPLETED,
        180.0,
        0.0,
        2,
    )
    assert walk.ended_at is not None
    # The dose's split: "Walk" at 100 spm is moderate, "Slow" at 90 is not.
    assert (walk.moderate_seconds, walk.easy_seconds) == (120.0, 60.0)


def test_finish_is_final(store: Store, timeline: Timeline) -> None:
    keeper = RecordKeeper(store)
    recorder = keeper.begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT)
    recorder.finish(WalkStatus.ENDED_EARLY, progress(50.0))
    recorder.finish(WalkStatus.COMPLETED, progress(180.0, 2))
    clock = Clock()
    session = WalkSession(timeline, clock)
    clock.now += 99
    recorder.observe(session, segment=1)
    keeper.close()
    walk = store.walks()[0]
    assert (walk.status, walk.walked_seconds) == (WalkStatus.ENDED_EARLY, 50.0)


def test_progress_is_written_at_a_new_segment_and_every_heartbeat_not_every_wake(
    store: Store, timeline: Timeline
) -> None:
    written: list[float] = []

    class Counting(RecordKeeper):
        def update_walk(self, key: str, p: WalkProgress, s: WalkStatus | None = None) -> None:
            written.append(p.walked)
            super().update_walk(key, p, s)

    recorder = Counting(store).begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT)
    clock = Clock()
    session = WalkSession(timeline, clock)
    for _ in range(6 * 130):  # six wakes a second for 130 s
        recorder.observe(session, segment=session.state().segment.index)
        clock.now += 1 / 6
    # One at the first wake, one every 10 s of walking, one when "Slow" starts at 120 s.
    assert len(written) == 1 + 11 + 1
    # At most a heartbeat and one wake apart.
    assert max(b - a for a, b in itertools.pairwise(written)) <= HEARTBEAT_SECONDS + 0.2
    assert any(abs(w - 120) < 0.2 for w in written)
    recorder.keeper.close()


def test_segments_done_counts_segments_wholly_walked(timeline: Timeline) -> None:
    assert [segments_done(timeline, p) for p in (0, 119.9, 120, 179.9, 180)] == [0, 0, 1, 1, 2]


# -- when writing fails -------------------------------------------------------------


def test_a_walk_begun_while_the_database_refuses_writes_is_saved_when_it_accepts_them(
    store: FlakyStore, timeline: Timeline
) -> None:
    store.broken = "the database is locked by another program"
    notices = Notices()
    keeper = RecordKeeper(store, on_notice=notices, retry_delays=QUICK)
    recorder = keeper.begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT)
    recorder.finish(WalkStatus.ENDED_EARLY, progress(42.0))
    assert not keeper.wait_until_saved(0.3)
    assert not recorder.saved and recorder.walk_id is None
    assert store.walks() == []
    store.broken = None
    assert keeper.wait_until_saved(10)
    assert recorder.saved
    (walk,) = store.walks()
    assert (walk.status, walk.walked_seconds) == (WalkStatus.ENDED_EARLY, 42.0)
    keeper.close()


def test_the_person_is_told_once_when_saving_fails_and_once_when_it_works_again(
    store: FlakyStore, timeline: Timeline
) -> None:
    store.broken = "the disk holding coach.db is full"
    notices = Notices()
    keeper = RecordKeeper(store, on_notice=notices, retry_delays=QUICK)
    recorder = keeper.begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT)
    keeper.add_checkin(CheckinKind.BEFORE, Checkin(pain=4), recorder)
    while store.attempts < 5:  # several attempts fail, one notice
        keeper.wait_until_saved(0.05)
    ((text, trouble),) = notices
    # Whether the check-in was kept before the first attempt failed is a race.
    assert trouble and text.startswith("Not saved yet: your walk")
    assert text.endswith("(the disk holding coach.db is full). coach keeps it and tries again.")
    store.broken = None
    assert keeper.wait_until_saved(10)
    assert notices[1:] == [("Saving works again: everything is saved.", False)]
    keeper.close()
    assert len(notices) == 2


def test_a_full_disk_keeps_the_walk_until_there_is_room(tmp_path: Path, timeline: Timeline) -> None:
    store = Store.open(tmp_path / "coach.db")
    try:
        # SQLite's own limit on the file's size: a write that needs a new page fails
        # as on a full disk ("database or disk is full").
        pages = store._read("PRAGMA page_count")[0][0]
        store._read(f"PRAGMA max_page_count = {pages}")
        notices = Notices()
        keeper = RecordKeeper(store, on_notice=notices, retry_delays=QUICK)
        big = ROUTINE_TEXT + "# " + "x" * 100_000 + "\n"  # needs new pages
        recorder = keeper.begin_walk(timeline, "/r/short-loop.yaml", big)
        recorder.finish(WalkStatus.COMPLETED, progress(180.0, 2))
        assert not keeper.wait_until_saved(0.5)
        assert notices and "full" in notices[0][0] and notices[0][1]
        store._read("PRAGMA max_page_count = 1073741823")
        assert keeper.wait_until_saved(10)
        assert store.walks()[0].status is WalkStatus.COMPLETED
        keeper.close()
    finally:
        store.close()


def test_a_check_in_saved_with_its_walk_finds_the_walk(store: Store, timeline: Timeline) -> None:
    keeper = RecordKeeper(store)
    recorder = keeper.begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT)
    keeper.add_checkin(CheckinKind.BEFORE, Checkin(pain=5), recorder)
    keeper.add_checkin(CheckinKind.AFTER, Checkin(pain=3), recorder)
    recorder.finish(WalkStatus.COMPLETED, progress(180.0, 2))
    assert keeper.close().saved
    (entry,) = store.history()
    assert entry.before is not None and entry.before.pain == 5
    assert entry.after is not None and entry.after.pain == 3


def test_a_saved_check_in_calls_back_once(store: Store) -> None:
    calls: list[str] = []
    keeper = RecordKeeper(store)
    keeper.add_checkin(CheckinKind.ALONE, Checkin(pain=1), on_saved=lambda: calls.append("x"))
    assert keeper.wait_until_saved(10)
    keeper.close()
    assert calls == ["x"]


# -- at exit: retry, then the recovery file ------------------------------------------


def unsaved_walk_and_checkin(store: FlakyStore, timeline: Timeline) -> RecordKeeper:
    store.broken = "the database is locked by another program"
    keeper = RecordKeeper(store, retry_delays=QUICK)
    recorder = keeper.begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT)
    keeper.add_checkin(CheckinKind.AFTER, Checkin(pain=2, notes="[/x] easier"), recorder)
    recorder.finish(WalkStatus.ENDED_EARLY, WalkProgress(95.0, 3.0, 0))
    return keeper


def test_at_exit_it_retries_then_keeps_what_is_unsaved_in_the_recovery_file(
    store: FlakyStore, timeline: Timeline
) -> None:
    keeper = unsaved_walk_and_checkin(store, timeline)
    told: list[str] = []
    outcome = keeper.close(timeout=0.3, on_retrying=told.append)
    assert not outcome.saved
    assert len(told) == 1 and "retrying for up to 0.3 s" in told[0]
    path = recovery_path(store.path)
    assert outcome.recovery_file == path
    assert path.name == "coach.db.pending.jsonl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    walk, checkin = (read_line(line) for line in path.read_text().splitlines())
    assert isinstance(walk, KeptWalk) and isinstance(checkin, KeptCheckin)
    assert (walk.status, walk.progress.walked) == (WalkStatus.ENDED_EARLY, 95.0)
    assert checkin.walk_key == walk.key
    (line,) = outcome.lines()
    assert "could not save the walk “Short loop” (ended early, 1:35 walked)" in line
    assert str(path) in line and "next time it starts" in line


def test_the_next_start_merges_the_recovery_file_and_removes_it(
    store: FlakyStore, timeline: Timeline
) -> None:
    unsaved_walk_and_checkin(store, timeline).close(timeout=0)
    store.broken = None
    report = merge_recovery_file(store)
    assert report is not None
    assert report.lines() == ["recovered 1 walk and 1 check-in from coach.db.pending.jsonl"]
    assert not recovery_path(store.path).exists()
    (entry,) = store.history()
    assert entry.status is WalkStatus.ENDED_EARLY and entry.walked_seconds == 95.0
    assert entry.after is not None and entry.after.notes == "[/x] easier"
    assert merge_recovery_file(store) is None


def test_merging_the_same_records_again_changes_nothing(
    store: FlakyStore, timeline: Timeline
) -> None:
    unsaved_walk_and_checkin(store, timeline).close(timeout=0)
    kept = recovery_path(store.path).read_bytes()
    store.broken = None
    merge_recovery_file(store)
    recovery_path(store.path).write_bytes(kept)  # as if the first merge's removal failed
    report = merge_recovery_file(store)
    assert report is not None and report.lines() == []
    assert len(store.walks()) == 1 and len(store.checkins()) == 1


def test_a_walk_saved_after_its_copy_went_to_the_recovery_file_is_not_doubled(
    store: FlakyStore, timeline: Timeline
) -> None:
    keeper = unsaved_walk_and_checkin(store, timeline)
    keeper.close(timeout=0)
    store.broken = None
    # The write in flight at the deadline got through after all.
    walk, checkin = (read_line(x) for x in recovery_path(store.path).read_text().splitlines())
    assert isinstance(walk, KeptWalk) and isinstance(checkin, KeptCheckin)
    store.save_walk(walk)
    report = merge_recovery_file(store)
    assert report is not None and report.lines() == [
        "recovered 1 check-in from coach.db.pending.jsonl"
    ]
    assert len(store.walks()) == 1


def test_a_damaged_recovery_line_is_reported_and_kept(
    store: FlakyStore, timeline: Timeline
) -> None:
    unsaved_walk_and_checkin(store, timeline).close(timeout=0)
    path = recovery_path(store.path)
    with path.open("a") as handle:
        handle.write('{"type": "walk", "key": "k"}\nnot json\n')
    store.broken = None
    report = merge_recovery_file(store)
    assert report is not None
    lines = report.lines()
    assert lines[0] == (
        "coach.db.pending.jsonl:3: this line cannot be read (progress is missing); it is kept"
    )
    assert lines[1].startswith("coach.db.pending.jsonl:4: this line cannot be read (not JSON")
    assert lines[2] == "recovered 1 walk and 1 check-in from coach.db.pending.jsonl"
    assert path.read_text() == '{"type": "walk", "key": "k"}\nnot json\n'
    assert len(store.walks()) == 1


def test_a_recovery_file_that_cannot_be_merged_yet_is_kept_as_it_was(
    store: FlakyStore, timeline: Timeline
) -> None:
    unsaved_walk_and_checkin(store, timeline).close(timeout=0)
    path = recovery_path(store.path)
    kept = path.read_bytes()
    store.broken = None
    store._read("PRAGMA query_only = ON")  # the database refuses every write
    report = merge_recovery_file(store)
    assert report is not None and report.error is not None
    assert report.lines()[-1].endswith("it is kept for next time")
    assert path.read_bytes() == kept


def test_a_check_in_whose_walk_was_deleted_is_kept_on_its_own(store: Store) -> None:
    walk_id = store.start_walk("desk-break", "Desk break", "x.yaml", "name: x", 600)
    keeper = RecordKeeper(store)
    keeper.add_checkin(CheckinKind.AFTER, Checkin(pain=3), walk_id)
    store.delete_walk(walk_id)
    assert keeper.close().saved
    (checkin,) = store.checkins()
    assert (checkin.kind, checkin.walk_id, checkin.pain) == (CheckinKind.ALONE, None, 3)


def test_when_even_the_recovery_file_fails_the_records_are_given_to_the_person(
    store: FlakyStore, timeline: Timeline
) -> None:
    recovery_path(store.path).mkdir()  # nothing can be written there
    outcome = unsaved_walk_and_checkin(store, timeline).close(timeout=0)
    assert outcome.recovery_file is None and len(outcome.lost) == 2
    lines = outcome.lines()
    assert "nor keep them in a recovery file" in lines[0]
    # Where to put them, for the next start to add them: the file it tried to write.
    assert f"add the lines to {recovery_path(store.path)} and coach adds them" in lines[0]
    assert json.loads(lines[1])["type"] == "walk"
    assert json.loads(lines[2])["answers"]["notes"] == "[/x] easier"


def test_closing_with_everything_saved_writes_no_file(store: Store, timeline: Timeline) -> None:
    keeper = RecordKeeper(store)
    keeper.begin_walk(timeline, "/r/short-loop.yaml", ROUTINE_TEXT).finish(
        WalkStatus.COMPLETED, progress(180.0, 2)
    )
    assert keeper.close().lines() == []
    assert not recovery_path(store.path).exists()
