"""`coach walk --plain`: one line per event, driven by a fake clock; recorded unless previewing."""

from __future__ import annotations

import io
import signal
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import main
from coach.core.engine import WalkSession
from coach.core.records import WalkProgress, WalkStatus
from coach.core.routine import compile_timeline, load_file
from coach.core.routine.timeline import Timeline
from coach.plain import StopWalk, run_plain, stamp
from coach.recording import RecordKeeper
from coach.sound import Sound, SoundMode
from coach.store import HEARTBEAT_SECONDS, Store

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
DESK_BREAK = REPO / "routines" / "desk-break.yaml"


class FakeClock:
    """A monotonic clock that moves only when the fake `sleep` says so."""

    def __init__(self, now: float = 5000.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def desk_break() -> Timeline:
    result = load_file(DESK_BREAK)
    assert result.routine is not None
    return compile_timeline(result.routine)


def interrupt_at(clock: FakeClock, seconds: float, error: type[BaseException]) -> Callable:
    """A fake sleep that raises `error` once `seconds` of fake time have passed."""
    start = clock.now

    def sleep(wait: float) -> None:
        if clock.now - start >= seconds:
            raise error
        clock.sleep(wait)

    return sleep


class WritesSeen(RecordKeeper):
    """A keeper that notes each write a walk's recorder asks of it."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.writes: list[tuple[WalkProgress, WalkStatus | None]] = []

    def update_walk(
        self, key: str, progress: WalkProgress, status: WalkStatus | None = None
    ) -> None:
        self.writes.append((progress, status))
        super().update_walk(key, progress, status)


# -- output ---------------------------------------------------------------------------


def test_desk_break_prints_the_golden_transcript(desk_break: Timeline, clock: FakeClock) -> None:
    out = io.StringIO()
    outcome = run_plain(WalkSession(desk_break, clock), out, sleep=clock.sleep)
    assert outcome.status is WalkStatus.COMPLETED
    expected = (GOLDEN / "desk-break.plain.txt").read_text(encoding="utf-8")
    assert out.getvalue() == expected


def test_the_transcript_is_the_same_at_any_speed(desk_break: Timeline) -> None:
    transcripts = []
    for speed in (1, 7, 600):
        clock = FakeClock()
        out = io.StringIO()
        run_plain(WalkSession(desk_break, clock, speed=speed), out, sleep=clock.sleep)
        transcripts.append(out.getvalue().splitlines())
    # The same, but that a preview (a speed above 1) ends as one, never "Walk complete".
    assert transcripts[0][:-1] == transcripts[1][:-1] == transcripts[2][:-1]
    assert transcripts[0][-1] == "[00:10:00] Walk complete: Desk break, 10:00"
    assert (
        transcripts[1][-1]
        == transcripts[2][-1]
        == ("[00:10:00] Preview over: Desk break, 10:00 (not recorded)")
    )


def test_the_walk_takes_its_planned_time_and_never_sleeps_long(
    desk_break: Timeline, clock: FakeClock
) -> None:
    start = clock.now
    run_plain(WalkSession(desk_break, clock), io.StringIO(), sleep=clock.sleep)
    assert clock.now - start == pytest.approx(desk_break.total, abs=0.01)
    assert max(clock.slept) <= 1.0  # stays responsive to Ctrl+C and heartbeats


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "[00:00:00]"), (59.9, "[00:00:59]"), (3725, "[01:02:05]")]
)
def test_stamps_are_hours_minutes_seconds(seconds: float, text: str) -> None:
    assert stamp(seconds) == text


# -- ending early ----------------------------------------------------------------------


@pytest.mark.parametrize("error", [KeyboardInterrupt, StopWalk])
def test_ctrl_c_or_a_signal_ends_the_walk_early_with_a_line_saying_so(
    desk_break: Timeline, clock: FakeClock, error: type[BaseException]
) -> None:
    out = io.StringIO()
    session = WalkSession(desk_break, clock)
    outcome = run_plain(session, out, sleep=interrupt_at(clock, 200, error))
    assert outcome.status is WalkStatus.ENDED_EARLY
    lines = out.getvalue().splitlines()
    assert lines[-1] == "[00:03:20] Ended early after 3:20"
    assert "[00:03:00] posture: Shoulders down, away from your ears" in lines
    assert not any("Walk complete" in line for line in lines)


@pytest.mark.parametrize("error", [KeyboardInterrupt, StopWalk])
def test_a_walk_ended_early_is_recorded_with_the_time_walked(
    desk_break: Timeline, clock: FakeClock, tmp_path: Path, error: type[BaseException]
) -> None:
    store = Store.open(tmp_path / "coach.db")
    try:
        text = DESK_BREAK.read_text(encoding="utf-8")
        recorder = RecordKeeper(store).begin_walk(desk_break, str(DESK_BREAK), text)
        session = WalkSession(desk_break, clock)
        outcome = run_plain(session, io.StringIO(), interrupt_at(clock, 200, error), recorder)
        assert outcome.saved
        assert recorder.walk_id is not None
        walk = store.walk(recorder.walk_id)
        assert walk is not None
        assert walk.status is WalkStatus.ENDED_EARLY
        assert walk.walked_seconds == pytest.approx(200, abs=1)
        assert walk.segments_done == 1  # the 2:30 warm-up
        assert walk.ended_at is not None
    finally:
        store.close()


def test_a_completed_walk_is_recorded_as_completed(
    desk_break: Timeline, clock: FakeClock, tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "coach.db")
    try:
        recorder = RecordKeeper(store).begin_walk(desk_break, str(DESK_BREAK), "text")
        run_plain(WalkSession(desk_break, clock), io.StringIO(), clock.sleep, recorder)
        assert recorder.walk_id is not None
        walk = store.walk(recorder.walk_id)
        assert walk is not None
        assert walk.status is WalkStatus.COMPLETED
        assert walk.walked_seconds == pytest.approx(600, abs=0.1)
        assert walk.segments_done == len(desk_break.segments)
    finally:
        store.close()


def test_progress_is_saved_at_every_segment_change_and_every_ten_seconds(
    desk_break: Timeline, clock: FakeClock, tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "coach.db")
    keeper = WritesSeen(store)
    recorder = keeper.begin_walk(desk_break, str(DESK_BREAK), "text")
    run_plain(WalkSession(desk_break, clock), io.StringIO(), clock.sleep, recorder)
    store.close()
    walked = [progress.walked for progress, _ in keeper.writes]
    gaps = [later - earlier for earlier, later in pairwise(walked)]
    assert max(gaps) <= HEARTBEAT_SECONDS + 1
    assert len(walked) < desk_break.total / 5  # not at every beat
    for segment in desk_break.segments:
        assert any(abs(w - segment.start) <= 1 for w in walked)
    assert keeper.writes[-1][1] is WalkStatus.COMPLETED


# -- sound ------------------------------------------------------------------------------


def test_bell_rings_at_segment_changes_and_announcements_only(
    desk_break: Timeline, clock: FakeClock
) -> None:
    rings: list[float] = []
    sound = Sound(SoundMode.BELL, bell=lambda: rings.append(clock.now - 5000.0))
    run_plain(WalkSession(desk_break, clock), io.StringIO(), clock.sleep, sound=sound)
    segment_starts = {float(s.start) for s in desk_break.segments}
    announcements = {float(a.at) for a in desk_break.announcements}
    assert len(rings) == len(segment_starts) + len(announcements)
    for at in rings:
        assert any(abs(at - t) <= 1 for t in segment_starts | announcements)


# -- the command ------------------------------------------------------------------------


@pytest.fixture
def restore_signals() -> Iterator[None]:
    """`coach walk --plain` installs SIGTERM/SIGHUP handlers; keep them out of pytest."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_walk_plain_at_speed_prints_the_walk_and_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_signals: None
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    result = CliRunner().invoke(
        main,
        ["walk", "desk-break", "--plain", "--speed", "600", "--sound", "off"],
        prog_name="coach",
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[00:00:00] Stand up and ease in")
    end = lines.index("[00:10:00] Preview over: Desk break, 10:00 (not recorded)")
    assert lines[end + 1] == "Summary: Preview over, not recorded"  # then the summary
    store = Store.open()
    try:
        assert store.walks() == []  # previews at --speed are not walks
    finally:
        store.close()


def test_the_end_of_a_walk_is_recorded_with_its_time_split_by_cadence(
    desk_break: Timeline, clock: FakeClock, tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "coach.db")
    try:
        keeper = WritesSeen(store)
        recorder = keeper.begin_walk(desk_break, str(DESK_BREAK), "text", moderate_cadence=100)
        run_plain(WalkSession(desk_break, clock), io.StringIO(), clock.sleep, recorder)
        ended, status = keeper.writes[-1]
        assert status is WalkStatus.COMPLETED
        assert ended.moderate_seconds is not None and ended.easy_seconds is not None
        assert ended.moderate_seconds + ended.easy_seconds == pytest.approx(ended.walked)
        expected = sum(s.duration for s in desk_break.segments if s.cadence >= 100)
        assert ended.moderate_seconds == pytest.approx(expected)
        assert recorder.walk_id is not None
        walk = store.walk(recorder.walk_id)
        assert walk is not None and walk.moderate_seconds == pytest.approx(expected)
    finally:
        store.close()


# -- stops, keys, and a database that refuses the walk --------------------------------


def stopping_once(clock: FakeClock, at: float, seconds: float) -> Callable[[float], None]:
    """A fake sleep that, once `at` seconds have passed, takes `seconds` (a SIGSTOP)."""
    start = clock.now
    stopped = False

    def sleep(wait: float) -> None:
        nonlocal stopped
        clock.sleep(wait)
        if not stopped and clock.now - start >= at:
            stopped = True
            clock.now += seconds

    return sleep


def test_a_stop_is_told_and_not_walked_and_nothing_is_replayed(
    desk_break: Timeline, clock: FakeClock
) -> None:
    out = io.StringIO()
    session = WalkSession(desk_break, clock)
    run_plain(session, out, sleep=stopping_once(clock, 100, 20))
    lines = out.getvalue().splitlines()
    (resumed,) = [line for line in lines if "stop" in line]
    # The last wake came up to a second before the stop: the walk resumes from there.
    assert resumed in (
        "[00:01:39] Resumed after a 21 s stop",
        "[00:01:40] Resumed after a 20 s stop",
    )
    # The transcript is the walk's own, the stop line aside: no event replayed or lost.
    expected = (GOLDEN / "desk-break.plain.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line != resumed] == expected
    assert session.walked() == pytest.approx(desk_break.total, abs=1)
    assert session.paused_seconds() == pytest.approx(20, abs=1)


class Keys:
    """Key presses at given walk times, as a terminal would deliver them."""

    def __init__(self, clock: FakeClock, presses: dict[float, str]) -> None:
        self.clock = clock
        self.start = clock.now
        self.presses = dict(sorted(presses.items()))

    def __call__(self, timeout: float) -> str:
        for at, keys in list(self.presses.items()):
            if self.clock.now - self.start + timeout >= at:
                self.clock.now = self.start + at
                del self.presses[at]
                return keys
        self.clock.sleep(timeout)
        return ""


def test_keys_are_confirmed_by_a_line_each(desk_break: Timeline, clock: FakeClock) -> None:
    out = io.StringIO()
    session = WalkSession(desk_break, clock)
    keys = Keys(clock, {10: " ", 40: " ", 50: "n", 60: "b", 70: "k", 80: "+", 90: "q"})
    outcome = run_plain(session, out, keys=keys)
    lines = out.getvalue().splitlines()
    assert outcome.status is WalkStatus.ENDED_EARLY
    assert "[00:00:10] Paused" in lines
    assert "[00:00:10] Resumed" in lines  # 30 s paused: the walk stayed at 0:10
    second = desk_break.segments[1]
    assert any(line.startswith(f"[00:02:30] Next: {second.label} — 1:30 at") for line in lines)
    assert any(line.startswith(f"[00:02:30] Back: {second.label} — 1:30") for line in lines)
    assert "[00:02:40] Beat: not available" in lines
    assert f"[00:02:50] Cadence: {second.cadence + 2} spm" in lines
    assert lines[-1].startswith("[00:03:00] Ended early after")


def test_the_beat_key_asks_the_beat(desk_break: Timeline, clock: FakeClock) -> None:
    out = io.StringIO()
    keys = Keys(clock, {5: "k", 6: "q"})
    run_plain(WalkSession(desk_break, clock), out, keys=keys, toggle_beat=lambda: "Beat: off")
    assert "[00:00:05] Beat: off" in out.getvalue().splitlines()


def test_a_walk_the_database_never_takes_is_not_called_complete(
    desk_break: Timeline, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coach.plain.EXIT_RETRY_SECONDS", 0.2)
    store = Store.open(tmp_path / "coach.db")
    store._read("PRAGMA query_only = ON")  # every write refused
    told: list[str] = []
    try:
        recorder = RecordKeeper(store, retry_delays=(0.01,)).begin_walk(
            desk_break, str(DESK_BREAK), "text"
        )
        out = io.StringIO()
        outcome = run_plain(
            WalkSession(desk_break, clock), out, clock.sleep, recorder, tell=told.append
        )
    finally:
        store.close()
    assert not outcome.saved and outcome.status is WalkStatus.COMPLETED
    last = out.getvalue().splitlines()[-1]
    assert (
        last == "[00:10:00] Not saved: Desk break, 10:00 walked (completed); see the message above"
    )
    assert "Walk complete" not in out.getvalue()
    assert "retrying for up to 0.2 s" in told[0]
    assert told[-1].startswith("could not save the walk “Desk break” (completed, 10:00 walked)")
    assert (tmp_path / "coach.db.pending.jsonl").exists()
