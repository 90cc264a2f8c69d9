"""`coach render` as a real process: the file, the line saying what was written, refusals."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
import wave
from array import array
from pathlib import Path

import pytest

SHORT = """\
name: Short
cadence: 100
cues:
  heel_strike: Land softly
  hip_rotation: Let the hips turn
  arm_swing: Swing the arms
segments:
  - name: First
    duration: 10s
  - name: Second
    duration: 10s
    cadence: 120
"""

# A text-to-speech command that writes a WAV file of a steady level, and logs what it said.
FAKE_TTS = """\
import struct, sys, time, wave
log, pause, path, text = sys.argv[1:5]
with open(log, "a", encoding="utf-8") as out:
    out.write(text + "\\n")
time.sleep(float(pause))
writer = wave.open(path, "wb")
writer.setnchannels(1)
writer.setsampwidth(2)
writer.setframerate(16000)
writer.writeframes(struct.pack("<h", 6000) * 8000)
writer.close()
"""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    (tmp_path / "short.yaml").write_text(SHORT)
    (tmp_path / "out").mkdir()
    return folder


def fake_tts(home: Path, pause: float = 0.0) -> Path:
    """Make the config's tts_wav_command the fake; the log of what it said."""
    script = home.parent / "fake_tts.py"
    script.write_text(FAKE_TTS)
    log = home.parent / "spoken.log"
    (home / "config.yaml").write_text(
        f"tts_wav_command: {sys.executable} {script} {log} {pause} {{file}} {{text}}\n"
    )
    return log


def coach_command(home: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "COACH_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    return [sys.executable, "-m", "coach", *args], env


def coach(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    argv, environment = coach_command(home, *args)
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        env={**environment, **env},
        cwd=home.parent,
        timeout=120,
    )


def samples(path: Path) -> array[int]:
    with wave.open(str(path), "rb") as reader:
        out = array("h")
        out.frombytes(reader.readframes(reader.getnframes()))
    if sys.byteorder == "big":
        out.byteswap()
    return out


def test_the_walk_is_written_with_speech_and_one_line_says_so(home: Path) -> None:
    log = fake_tts(home)
    result = coach(home, "render", "short.yaml", "-o", "out/walk.wav", "--sample-rate", "8000")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar on a pipe, and nothing to warn about
    spoken = log.read_text().splitlines()
    assert spoken[0].startswith("First")
    # Said once each, reused when said again ("3", "2", "1", repeated cues).
    said = re.fullmatch(
        r"Wrote out/walk\.wav: 0:20 at 8000 Hz, (\d+) utterance\(s\) spoken\n", result.stdout
    )
    assert said is not None and int(said[1]) >= len(spoken)
    with wave.open(str(home.parent / "out" / "walk.wav"), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, 8000)
        assert reader.getnframes() == 20 * 8000
    assert os.listdir(home.parent / "out") == ["walk.wav"]  # no temporary file left


def test_no_voice_writes_the_beat_alone_and_runs_no_speech(home: Path) -> None:
    log = fake_tts(home)
    result = coach(home, "render", "short.yaml", "-o", "out/walk.wav", "--no-voice")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Wrote out/walk.wav: 0:20 at 44100 Hz, the beat alone\n"
    assert not log.exists()


def test_without_any_speech_command_a_notice_says_tones_stand_in(home: Path) -> None:
    empty = home.parent / "no-programs"
    empty.mkdir()
    result = coach(home, "render", "short.yaml", "-o", "out/walk.wav", PATH=str(empty))
    assert result.returncode == 0, result.stderr
    [notice] = result.stderr.splitlines()
    assert notice.startswith("coach: No speech in the file:")
    assert "tone(s)" in result.stdout


def test_the_configs_volume_and_phases_are_used_and_flags_win(home: Path) -> None:
    (home / "config.yaml").write_text("beat: phases\nbeat_volume: 30\n")
    out = home.parent / "out"
    assert coach(home, "render", "short.yaml", "-o", "out/a.wav", "--no-voice").returncode == 0
    quiet = samples(out / "a.wav")
    result = coach(home, "render", "short.yaml", "-o", "out/b.wav", "--no-voice", "--volume", "90")
    assert result.returncode == 0
    loud = samples(out / "b.wav")
    assert max(loud) == pytest.approx(3 * max(quiet), rel=0.01)
    (home / "config.yaml").write_text("beat: on\n")
    assert coach(home, "render", "short.yaml", "-o", "out/c.wav", "--no-voice").returncode == 0
    assert (
        coach(home, "render", "short.yaml", "-o", "out/d.wav", "--no-voice", "--phases").returncode
        == 0
    )
    # Phase ticks: more of the file is sound.
    heard = [sum(1 for s in samples(out / name) if s) for name in ("c.wav", "d.wav")]
    assert heard[1] > heard[0]


def test_an_existing_file_is_kept_unless_forced(home: Path) -> None:
    target = home.parent / "out" / "walk.wav"
    target.write_bytes(b"my old walk")
    result = coach(home, "render", "short.yaml", "-o", "out/walk.wav", "--no-voice")
    assert result.returncode == 1
    assert result.stderr == "coach: out/walk.wav already exists; use --force to replace it\n"
    assert target.read_bytes() == b"my old walk"
    forced = coach(home, "render", "short.yaml", "-o", "out/walk.wav", "--no-voice", "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_bytes().startswith(b"RIFF")


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("notes.txt/walk.wav", "a part of the path is a file, not a folder"),
        ("missing/walk.wav", "the folder does not exist"),
    ],
)
def test_an_unwritable_path_is_one_line_and_leaves_nothing(
    home: Path, target: str, reason: str
) -> None:
    (home.parent / "notes.txt").write_text("mine")
    before = sorted(os.listdir(home.parent))
    result = coach(home, "render", "short.yaml", "-o", target, "--no-voice")
    assert result.returncode == 1
    assert result.stderr == f"coach: cannot write {target}: {reason}\n"
    assert sorted(os.listdir(home.parent)) == before


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_render_stopped_half_way_leaves_no_file_behind(home: Path, signum: int) -> None:
    fake_tts(home, pause=0.3)  # slow speech: the render takes a few seconds
    argv, env = coach_command(home, "render", "short.yaml", "-o", "out/walk.wav")
    process = subprocess.Popen(
        argv, env=env, cwd=home.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out = home.parent / "out"
    deadline = time.monotonic() + 30
    while not os.listdir(out) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert os.listdir(out), "the render never started writing"
    process.send_signal(signum)
    process.communicate(timeout=30)
    assert process.returncode != 0
    assert os.listdir(out) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--sample-rate", "7999"],
        ["--sample-rate", "96001"],
        ["--sample-rate", "nan"],
        ["--volume", "101"],
        ["--volume", "-1"],
        ["--volume", "loud"],
        ["-o", ""],
        ["-o", "out/walk.mp3"],  # it would be WAV audio under another name
        [],  # no -o at all
    ],
    ids=str,
)
def test_bad_values_are_usage_errors(home: Path, args: list[str]) -> None:
    if args and "-o" not in args:
        args = [*args, "-o", "out/walk.wav"]
    result = coach(home, "render", "short.yaml", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert os.listdir(home.parent / "out") == []


def test_a_routine_with_errors_is_refused(home: Path) -> None:
    (home.parent / "broken.yaml").write_text("name: Broken\nsegments: []\n")
    result = coach(home, "render", "broken.yaml", "-o", "out/walk.wav")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("coach: broken.yaml has")


def test_on_a_terminal_a_progress_bar_is_drawn(home: Path) -> None:
    argv, env = coach_command(home, "render", "short.yaml", "-o", "out/walk.wav", "--no-voice")
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            argv,
            env={**env, "TERM": "xterm-256color", "COLUMNS": "80"},
            cwd=home.parent,
            stdout=subprocess.PIPE,
            stderr=follower,
        )
        os.close(follower)
        drawn = b""
        while True:
            ready, _, _ = select.select([leader], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the process closed its end
                break
            if not chunk:
                break
            drawn += chunk
        stdout, _ = process.communicate(timeout=30)
    finally:
        os.close(leader)
    assert process.returncode == 0
    assert b"Rendering" in drawn and b"100%" in drawn
    assert stdout.decode().startswith("Wrote out/walk.wav")
