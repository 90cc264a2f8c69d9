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
from coach.core.dose import CadenceSplit
from coach.core.engine import WalkSession
from coach.core.records import WalkStatus
from coach.core.routine import compile_timeline, load_file
from coach.core.routine.timeline import Timeline
from coach.plain import StopWalk, run_plain, stamp
from coach.recording import WalkRecorder
from coach.sound import Sound, SoundMode
from coach.store import Store

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


class FakeRecorder:
    """Collects what a WalkRecorder would be asked to write."""

    heartbeat_seconds = 10

    def __init__(self) -> None:
        self.progress_calls: list[tuple[float, float, int]] = []
        self.finished: tuple[WalkStatus, float, float, int] | None = None
        self.splits: list[CadenceSplit | None] = []

    def progress(
        self, walked: float, paused: float, segments_done: int, split: CadenceSplit | None = None
    ) -> None:
        self.progress_calls.append((walked, paused, segments_done))
        self.splits.append(split)

    def finish(
        self,
        status: WalkStatus,
        walked: float,
        paused: float,
        done: int,
        split: CadenceSplit | None = None,
    ) -> None:
        self.finished = (status, walked, paused, done)
        self.splits.append(split)


# -- output ---------------------------------------------------------------------------


def test_desk_break_prints_the_golden_transcript(desk_break: Timeline, clock: FakeClock) -> None:
    out = io.StringIO()
    status = run_plain(WalkSession(desk_break, clock), out, sleep=clock.sleep)
    assert status is WalkStatus.COMPLETED
    expected = (GOLDEN / "desk-break.plain.txt").read_text(encoding="utf-8")
    assert out.getvalue() == expected


def test_the_transcript_is_the_same_at_any_speed(desk_break: Timeline) -> None:
    transcripts = []
    for speed in (1, 7, 600):
        clock = FakeClock()
        out = io.StringIO()
        run_plain(WalkSession(desk_break, clock, speed=speed), out, sleep=clock.sleep)
        transcripts.append(out.getvalue())
    assert transcripts[0] == transcripts[1] == transcripts[2]


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
    status = run_plain(session, out, sleep=interrupt_at(clock, 200, error))
    assert status is WalkStatus.ENDED_EARLY
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
        recorder = WalkRecorder.begin(store, desk_break, str(DESK_BREAK), text)
        session = WalkSession(desk_break, clock)
        run_plain(session, io.StringIO(), interrupt_at(clock, 200, error), recorder)
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
        recorder = WalkRecorder.begin(store, desk_break, str(DESK_BREAK), "text")
        run_plain(WalkSession(desk_break, clock), io.StringIO(), clock.sleep, recorder)
        walk = store.walk(recorder.walk_id)
        assert walk is not None
        assert walk.status is WalkStatus.COMPLETED
        assert walk.walked_seconds == pytest.approx(600, abs=0.1)
        assert walk.segments_done == len(desk_break.segments)
    finally:
        store.close()


def test_progress_is_saved_at_every_segment_change_and_every_ten_seconds(
    desk_break: Timeline, clock: FakeClock
) -> None:
    recorder = FakeRecorder()
    session = WalkSession(desk_break, clock)
    run_plain(session, io.StringIO(), clock.sleep, recorder)  # type: ignore[arg-type]
    walked = [0.0] + [w for w, _, _ in recorder.progress_calls]
    gaps = [later - earlier for earlier, later in pairwise(walked)]
    assert max(gaps) <= recorder.heartbeat_seconds + 1
    for segment in desk_break.segments:
        assert any(abs(w - segment.start) <= 1 for w, _, _ in recorder.progress_calls)
    assert recorder.finished is not None
    assert recorder.finished[0] is WalkStatus.COMPLETED


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
    assert lines[-1] == "[00:10:00] Walk complete: Desk break, 10:00"
    store = Store.open()
    try:
        assert store.walks() == []  # previews at --speed are not walks
    finally:
        store.close()


def test_the_end_of_a_walk_is_recorded_with_its_time_split_by_cadence(
    desk_break: Timeline, clock: FakeClock
) -> None:
    recorder = FakeRecorder()
    run_plain(
        WalkSession(desk_break, clock),
        io.StringIO(),
        sleep=clock.sleep,
        recorder=recorder,  # type: ignore[arg-type]
        moderate_cadence=100,
    )
    split = recorder.splits[-1]
    assert split is not None and recorder.finished is not None
    assert split.moderate_seconds + split.easy_seconds == pytest.approx(recorder.finished[1])
    expected = sum(s.duration for s in desk_break.segments if s.cadence >= 100)
    assert split.moderate_seconds == pytest.approx(expected)
