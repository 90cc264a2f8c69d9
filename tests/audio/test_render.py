"""`coach render`'s engine: the walk as a WAV file, timed to the sample, written safely."""

from __future__ import annotations

import errno
import os
import select
import shutil
import stat
import subprocess
import sys
import tracemalloc
import wave
from array import array
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from coach.audio.render import (
    COUNTDOWN_LATE,
    STALE_AFTER,
    RenderError,
    SpeechFailed,
    SpeechQueue,
    Utterance,
    kept_kinds,
    read_wav,
    render_walk,
    run_quietly,
    tts_wav_command,
)
from coach.core.announcements import spoken
from coach.core.beat import Clicks, scaled
from coach.core.engine import EventKind, WalkEvent, beat_times, events_between
from coach.core.routine import Timeline, compile_timeline, load_text


def timeline_of(text: str) -> Timeline:
    result = load_text(dedent(text), "t", "t.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


TEN_MINUTES = timeline_of(
    """
    name: Ten minutes
    cadence: 100
    cues:
      heel_strike: [Land softly, Roll through to the toes]
      rotate_every: 30s
    posture:
      every: 90s
      cues: [Stand tall, Shoulders down]
    segments:
      - name: Warm-up
        duration: 2m
        cadence: 90
        at:
          - after: 1m
            say: Halfway through the warm-up.
      - repeat: 3
        segments:
          - name: Brisk
            duration: 1m30s
            cadence: 118
          - name: Easy
            duration: 50s
            cadence: 97
      - name: Cool-down
        duration: 1m
        cadence: 85
    """
)

TWO_MINUTES = timeline_of(
    """
    name: Two minutes
    cadence: 100
    cues:
      heel_strike: [Land softly, Roll through to the toes]
      rotate_every: 30s
    segments:
      - name: Start
        duration: 1m
        at:
          - after: 45s
            say: Fifteen seconds to go.
      - name: Finish
        duration: 1m
        cadence: 120
    """
)

TWENTY_SECONDS = timeline_of(
    """
    name: Twenty seconds
    cadence: 100
    segments:
      - name: First
        duration: 10s
      - name: Second
        duration: 10s
    """
)

FAKE_TTS = """\
import struct, sys, wave
log, per_char, least, path, text = sys.argv[1:6]
with open(log, "a", encoding="utf-8") as out:
    out.write(text + "\\n")
rate = 16000
frames = int(rate * max(float(least), float(per_char) * len(text)))
writer = wave.open(path, "wb")
writer.setnchannels(1)
writer.setsampwidth(2)
writer.setframerate(rate)
writer.writeframes(struct.pack("<h", 6000) * frames)
writer.close()
"""


def fake_tts(folder: Path, per_char: float = 0.004, least: float = 0.1) -> tuple[str, Path]:
    """A TTS-to-WAV command template that writes a steady level (6000) and logs its text."""
    script = folder / "fake_tts.py"
    script.write_text(FAKE_TTS)
    log = folder / "spoken.log"
    return f"{sys.executable} {script} {log} {per_char} {least} {{file}} {{text}}", log


def wav_chunks(path: Path, frames: int = 2048) -> Iterator[array[int]]:
    with wave.open(str(path), "rb") as reader:
        while True:
            raw = reader.readframes(frames)
            if not raw:
                return
            chunk = array("h")
            chunk.frombytes(raw)
            if sys.byteorder == "big":
                chunk.byteswap()
            yield chunk


def wav_samples(path: Path) -> array[int]:
    out = array("h")
    for chunk in wav_chunks(path, 1 << 16):
        out.extend(chunk)
    return out


def expected_utterances(timeline: Timeline) -> list[tuple[float, str]]:
    """(moment, words) of the walk, from the engine's events: same-moment events joined."""
    groups: dict[float, list[WalkEvent]] = {}
    for event in events_between(timeline, -1.0, float(timeline.total)):
        if event.kind is not EventKind.FINISH:
            groups.setdefault(event.at, []).append(event)
    return [(at, ". ".join(spoken(timeline, e) for e in events)) for at, events in groups.items()]


def starts_of_level(samples: array[int], level: int) -> list[int]:
    return [
        i for i in range(len(samples)) if samples[i] == level and (i == 0 or samples[i - 1] == 0)
    ]


# -- timing to the sample --------------------------------------------------------------


@pytest.mark.parametrize("rate", [8000, 44100])
def test_every_click_is_on_its_scheduled_sample_and_left_accents_alternate(
    tmp_path: Path, rate: int, detect: Any
) -> None:
    out = tmp_path / "walk.wav"
    render_walk(TEN_MINUTES, out, sample_rate=rate, voice=False, volume=1.0)

    beats = [b for s in TEN_MINUTES.segments for b in beat_times(TEN_MINUTES, s.index)]
    assert min(b - a for a, b in pairwise(beats)) > 0.02  # every click stands alone
    heard = detect(wav_chunks(out), rate)
    assert len(heard) == len(beats)
    for onset, beat in zip(heard, beats, strict=True):
        assert abs(onset.frame - round(beat * rate)) <= 1, (onset, beat)
    loud = [o.peak > 0.72 * 32767 for o in heard]
    assert loud == [i % 2 == 0 for i in range(len(heard))]  # left (accent) on step 0


def test_phase_ticks_sound_softly_at_the_thirds_of_each_step(tmp_path: Path, detect: Any) -> None:
    out = tmp_path / "walk.wav"
    render_walk(TWENTY_SECONDS, out, sample_rate=8000, voice=False, phases=True, volume=1.0)
    heard = detect(wav_chunks(out), 8000)
    expected = [
        (round(at * 8000), third > 0)
        for segment in TWENTY_SECONDS.segments
        for beat in beat_times(TWENTY_SECONDS, segment.index)
        for third, at in enumerate((beat, beat + 0.2, beat + 0.4))  # a third of 0.6 s
        if at < segment.end
    ]
    assert [o.frame for o in heard] == pytest.approx([at for at, _ in expected], abs=1)
    assert [o.peak < 0.25 * 32767 for o in heard] == [soft for _, soft in expected]


def test_a_one_hour_render_ends_exactly_on_time_with_flat_memory(tmp_path: Path) -> None:
    hour = timeline_of(
        """
        name: Hour
        cadence: 180
        segments:
          - repeat: 6
            segments:
              - name: Brisk
                duration: 7m
              - name: Easy
                duration: 3m
                cadence: 131
        """
    )
    out = tmp_path / "hour.wav"
    tracemalloc.start()
    try:
        report = render_walk(hour, out, sample_rate=8000, voice=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    audio_bytes = 3600 * 8000 * 2
    assert report.frames == 3600 * 8000
    with wave.open(str(out), "rb") as reader:
        assert reader.getnframes() == 3600 * 8000
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, 8000)
    assert out.stat().st_size == 44 + audio_bytes
    assert peak < audio_bytes / 50  # about a megabyte, for 57.6 MB of audio


def test_progress_is_reported_from_zero_to_one(tmp_path: Path) -> None:
    seen: list[float] = []
    render_walk(
        TWENTY_SECONDS, tmp_path / "w.wav", sample_rate=8000, voice=False, progress=seen.append
    )
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen) and len(seen) > 10


# -- speech ----------------------------------------------------------------------------


def test_speech_from_the_tts_command_starts_on_each_events_sample(tmp_path: Path) -> None:
    template, log = fake_tts(tmp_path)
    out = tmp_path / "walk.wav"
    report = render_walk(TWO_MINUTES, out, sample_rate=8000, volume=0.0, tts_wav_template=template)
    expected = expected_utterances(TWO_MINUTES)
    # Each different text is synthesized once (the "3", "2", "1" of both segments too).
    distinct = list(dict.fromkeys(words for _, words in expected))
    assert log.read_text(encoding="utf-8").splitlines() == distinct
    assert starts_of_level(wav_samples(out), 6000) == [round(at * 8000) for at, _ in expected]
    assert report.notice is None and report.utterances == len(expected) and report.dropped == 0
    # Countdowns, the announcement and the segment start are all there.
    words = [w for _, w in expected]
    assert words[-3:] == ["3", "2", "1"] and "Fifteen seconds to go." in words
    assert any(w.startswith("Finish. 1 minute at 120 steps per minute") for w in words)


def test_speech_that_would_overlap_waits_and_late_countdowns_are_dropped(tmp_path: Path) -> None:
    template, log = fake_tts(tmp_path, per_char=0.0, least=3.0)  # every utterance 3 s long
    out = tmp_path / "walk.wav"
    report = render_walk(
        TWENTY_SECONDS, out, sample_rate=8000, volume=0.0, tts_wav_template=template
    )
    said = log.read_text(encoding="utf-8").splitlines()
    assert [line.split(".")[0] for line in said] == ["First", "3", "Second"]  # "3" is reused
    # The second segment start waits for the "3" to finish (3 s) and the gap (0.3 s).
    assert starts_of_level(wav_samples(out), 6000) == [0, 7 * 8000, 10 * 8000 + 2400, 17 * 8000]
    assert report.dropped == 4  # "2" and "1", twice


def test_speech_neither_moves_nor_stops_a_click(tmp_path: Path) -> None:
    template, _ = fake_tts(tmp_path, per_char=0.02)  # 2 s for 100 characters
    out = tmp_path / "walk.wav"
    render_walk(TEN_MINUTES, out, sample_rate=8000, volume=1.0, tts_wav_template=template)
    samples = wav_samples(out)
    clicks = Clicks.make(8000, 1.0)
    beats = [b for s in TEN_MINUTES.segments for b in beat_times(TEN_MINUTES, s.index)]
    checked = {0: 0, 6000: 0}
    for step, beat in enumerate(beats):
        at = round(beat * 8000)
        shape = clicks.accent if step % 2 == 0 else clicks.heel
        level = samples[at - 1]
        if at == 0 or samples[at + len(shape)] != level:
            continue  # speech starts or ends under this click
        if level:
            shape = scaled(shape, 0.5)  # ducked under speech
        assert samples[at : at + len(shape)] == array("h", [level + v for v in shape]), step
        checked[level] += 1
    # Nearly every click checked, a hundred or so of them under speech.
    assert checked[6000] > 80 and checked[0] + checked[6000] > len(beats) - 30


def test_beat_goes_on_under_speech_at_half_level(tmp_path: Path) -> None:
    template, _ = fake_tts(tmp_path, per_char=0.0, least=3.0)
    out = tmp_path / "walk.wav"
    render_walk(TWENTY_SECONDS, out, sample_rate=8000, volume=1.0, tts_wav_template=template)
    samples = wav_samples(out)
    clear = max(abs(s) for s in samples[28800 : 28800 + 80])  # step 6 (left) at 3.6 s, alone
    under = max(abs(s - 6000) for s in samples[0:80])  # step 0 (left), under speech
    assert under == pytest.approx(clear / 2, rel=0.02)


def test_without_any_tts_the_file_gets_tones_and_the_caller_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, detect: Any
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "walk.wav"
    report = render_walk(TWO_MINUTES, out, sample_rate=8000, volume=0.0)
    assert report.notice is not None and "tones" in report.notice
    assert "\n" not in report.notice
    heard = detect(wav_chunks(out), 8000)
    # Segment starts (0 s, 60 s) and the announcement (45 s); nothing for cues or countdowns.
    assert [o.frame for o in heard] == pytest.approx([0, 45 * 8000, 60 * 8000], abs=1)
    assert report.tones == 3 and report.utterances == 0


def test_voice_off_gives_the_beat_alone(tmp_path: Path, detect: Any) -> None:
    template, log = fake_tts(tmp_path)
    out = tmp_path / "walk.wav"
    report = render_walk(TWO_MINUTES, out, sample_rate=8000, voice=False, tts_wav_template=template)
    assert not log.exists() and report.notice is None
    assert len(detect(wav_chunks(out), 8000)) == 100 + 120


def test_a_failing_tts_command_falls_back_to_tones_with_a_notice(tmp_path: Path) -> None:
    failing = f"{sys.executable} -c 'import sys; sys.exit(3)' {{file}} {{text}}"
    report = render_walk(
        TWO_MINUTES, tmp_path / "w.wav", sample_rate=8000, tts_wav_template=failing
    )
    assert report.notice is not None and "could not be spoken" in report.notice
    assert report.tones >= 2


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_speaks_into_the_file(tmp_path: Path) -> None:
    out = tmp_path / "walk.wav"
    report = render_walk(TWENTY_SECONDS, out, sample_rate=16000, volume=0.0)
    assert report.notice is None and report.utterances >= 2
    samples = wav_samples(out)
    assert max(abs(s) for s in samples[: 16000 * 2]) > 3000  # "First. 10 seconds at ..."


# -- the speech policy -----------------------------------------------------------------


def test_countdowns_go_stale_at_once_cues_after_a_while_announcements_never() -> None:
    assert EventKind.COUNTDOWN in kept_kinds(0.0)
    assert EventKind.COUNTDOWN not in kept_kinds(COUNTDOWN_LATE + 0.01)
    assert {EventKind.CUE, EventKind.POSTURE} <= kept_kinds(STALE_AFTER)
    assert not {EventKind.CUE, EventKind.POSTURE} & kept_kinds(STALE_AFTER + 0.01)
    assert {EventKind.SEGMENT_START, EventKind.ANNOUNCEMENT} <= kept_kinds(3600.0)


def test_the_speech_queue_starts_an_utterance_when_the_voice_is_free() -> None:
    queue = SpeechQueue(rate=1000, gap=0.5)
    first = Utterance(1.0, (WalkEvent(1.0, EventKind.CUE, "Heel: x", 0),))
    start, _ = queue.start_of(first)
    assert start == 1000
    queue.spoken(start, 4000)  # says it for 4 s
    second = Utterance(2.0, (WalkEvent(2.0, EventKind.ANNOUNCEMENT, "Hi", 0),))
    assert queue.start_of(second) == (5500, kept_kinds(3.5))


# -- reading speech files --------------------------------------------------------------


def write_wav(path: Path, rate: int, width: int, channels: int, frames: bytes) -> None:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(frames)


def test_stereo_24_bit_speech_is_read_as_mono_16_bit(tmp_path: Path) -> None:
    path = tmp_path / "s.wav"
    left = (1000 << 8).to_bytes(3, "little", signed=True)
    right = (3000 << 8).to_bytes(3, "little", signed=True)
    write_wav(path, 8000, 3, 2, (left + right) * 100)
    assert read_wav(path, 8000) == array("h", [2000] * 100)


def test_8_bit_speech_at_another_rate_is_resampled(tmp_path: Path) -> None:
    path = tmp_path / "s.wav"
    write_wav(path, 22050, 1, 1, bytes([128 + 10]) * 22050)
    samples = read_wav(path, 44100)
    assert len(samples) == 44100 and set(samples) == {10 << 8}


def test_a_file_that_is_not_a_wav_is_a_speech_failure(tmp_path: Path) -> None:
    path = tmp_path / "s.wav"
    path.write_text("not a wav")
    with pytest.raises(SpeechFailed):
        read_wav(path, 8000)


# -- commands --------------------------------------------------------------------------


def test_a_user_template_needs_a_file_placeholder_and_gets_text_appended() -> None:
    with pytest.raises(SpeechFailed, match="no \\{file\\}"):
        tts_wav_command(f"{sys.executable} {{text}}")
    assert tts_wav_command(f"{sys.executable} -o {{file}}") == [
        sys.executable,
        "-o",
        "{file}",
        "{text}",
    ]


def test_say_is_asked_for_16_bit_at_the_render_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "say"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tts_wav_command(None, 22050) == [
        "say",
        "-o",
        "{file}",
        "--data-format=LEI16@22050",
        "{text}",
    ]


GRANDCHILD = 'exec 3>"$1"\necho r >&3\nexec sleep 60\n'
PARENT = 'sh "$(dirname "$0")/grandchild.sh" "$1" &\nexec sleep 60\n'


def spawn_family(tmp_path: Path) -> tuple[list[str], int]:
    """A command that starts a grandchild holding a FIFO open; and the FIFO's read end."""
    (tmp_path / "grandchild.sh").write_text(GRANDCHILD)
    (tmp_path / "parent.sh").write_text(PARENT)
    fifo = tmp_path / "alive"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    return ["sh", str(tmp_path / "parent.sh"), str(fifo)], reader


def read_until_every_writer_is_gone(reader: int) -> bytes:
    got = b""
    while True:
        ready, _, _ = select.select([reader], [], [], 10.0)
        assert ready, "a process of the group is still alive"
        data = os.read(reader, 64)
        if not data:
            return got
        got += data


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_a_tts_command_that_hangs_is_killed_with_its_whole_group(tmp_path: Path) -> None:
    argv, reader = spawn_family(tmp_path)
    try:
        with pytest.raises(SpeechFailed, match="longer than"):
            run_quietly(argv, timeout=1.0)
        assert read_until_every_writer_is_gone(reader) == b"r\n"
    finally:
        os.close(reader)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_ctrl_c_during_speech_kills_the_group_and_goes_on_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv, reader = spawn_family(tmp_path)
    real_wait = subprocess.Popen.wait
    interrupted: list[bool] = []

    def wait(self: subprocess.Popen[bytes], timeout: float | None = None) -> int:
        if not interrupted:
            interrupted.append(True)
            # The "Ctrl+C" comes once the grandchild is running (it has written).
            select.select([reader], [], [], 10.0)
            raise KeyboardInterrupt
        return real_wait(self, timeout)

    monkeypatch.setattr(subprocess.Popen, "wait", wait)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_quietly(argv, timeout=30.0)
        assert read_until_every_writer_is_gone(reader) == b"r\n"
    finally:
        os.close(reader)


# -- writing safely --------------------------------------------------------------------


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "walk.wav"
    out.write_bytes(b"keep me")
    with pytest.raises(RenderError, match="already exists; use --force"):
        render_walk(TWENTY_SECONDS, out, sample_rate=8000, voice=False)
    assert out.read_bytes() == b"keep me"
    render_walk(TWENTY_SECONDS, out, sample_rate=8000, voice=False, force=True)
    assert out.stat().st_size == 44 + 20 * 8000 * 2
    assert os.listdir(tmp_path) == ["walk.wav"]


def test_a_path_under_a_regular_file_is_refused_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    with pytest.raises(RenderError) as caught:
        render_walk(TWENTY_SECONDS, blocker / "walk.wav", sample_rate=8000, voice=False)
    assert "\n" not in str(caught.value) and "walk.wav" in str(caught.value)
    assert os.listdir(tmp_path) == ["notes.txt"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(RenderError, match="permission denied"):
            render_walk(TWENTY_SECONDS, folder / "walk.wav", sample_rate=8000, voice=False)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert os.listdir(folder) == []


def test_a_full_disk_leaves_no_file_behind_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "walk.wav"
    out.write_bytes(b"the old walk")
    calls: list[int] = []
    real = wave.Wave_write.writeframesraw

    def fill_up(self: wave.Wave_write, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, data)

    monkeypatch.setattr(wave.Wave_write, "writeframesraw", fill_up)
    with pytest.raises(RenderError, match="disk is full") as caught:
        render_walk(TWENTY_SECONDS, out, sample_rate=8000, voice=False, force=True)
    assert "\n" not in str(caught.value)
    assert os.listdir(tmp_path) == ["walk.wav"]
    assert out.read_bytes() == b"the old walk"


def test_ctrl_c_while_rendering_leaves_no_file_behind(tmp_path: Path) -> None:
    def interrupt(fraction: float) -> None:
        if fraction > 0.3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_walk(TWENTY_SECONDS, tmp_path / "w.wav", sample_rate=8000, progress=interrupt)
    assert os.listdir(tmp_path) == []


def test_the_written_file_has_an_ordinary_mode(tmp_path: Path) -> None:
    out = tmp_path / "walk.wav"
    render_walk(TWENTY_SECONDS, out, sample_rate=8000, voice=False)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("rate", [7999, 96001])
def test_a_sample_rate_outside_8_to_96_khz_is_refused(tmp_path: Path, rate: int) -> None:
    with pytest.raises(RenderError, match="sample rate"):
        render_walk(TWENTY_SECONDS, tmp_path / "w.wav", sample_rate=rate)
    assert os.listdir(tmp_path) == []


def test_a_folder_as_the_output_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="is a folder"):
        render_walk(TWENTY_SECONDS, tmp_path, sample_rate=8000)
