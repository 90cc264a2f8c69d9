"""Sound: finding a text-to-speech command, speaking without piling up, and the modes."""

from __future__ import annotations

import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.sound import TTS_CANDIDATES, Sound, SoundMode, Speaker, tts_command


def only_installed(*names: str) -> Callable[[str], str | None]:
    """A stand-in for shutil.which that finds just `names`."""
    return lambda name: f"/usr/bin/{name}" if name in names else None


@pytest.fixture
def which(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    def install(*names: str) -> None:
        monkeypatch.setattr("coach.sound.shutil.which", only_installed(*names))

    return install


def fake_tts(tmp_path: Path, pause: float = 0.0) -> tuple[Path, Path, Path]:
    """An executable that logs each text when it starts and when it has 'spoken' it."""
    started, spoken = tmp_path / "started.txt", tmp_path / "spoken.txt"
    script = tmp_path / "fake-tts"
    script.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{started}"\nsleep {pause}\n'
        f'printf "%s\\n" "$1" >> "{spoken}"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, started, spoken


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# -- finding a command ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("installed", "argv"),
    [
        (("say", "espeak"), ["say", "{text}"]),
        (("spd-say", "espeak-ng"), ["spd-say", "-w", "{text}"]),
        (("espeak-ng", "espeak"), ["espeak-ng", "{text}"]),
        (("espeak",), ["espeak", "{text}"]),
    ],
)
def test_the_first_available_candidate_is_used(
    which: Callable[..., None], installed: tuple[str, ...], argv: list[str]
) -> None:
    which(*installed)
    assert tts_command() == argv


def test_candidates_are_tried_in_the_documented_order() -> None:
    assert TTS_CANDIDATES == ("say", "spd-say", "espeak-ng", "espeak")


def test_no_candidate_means_no_command(which: Callable[..., None]) -> None:
    which()
    assert tts_command() is None


def test_a_template_is_split_like_a_shell_command(which: Callable[..., None]) -> None:
    which("mytts", "say")
    assert tts_command("mytts --fast {text}") == ["mytts", "--fast", "{text}"]
    assert tts_command("mytts --voice 'en gb' {text}") == ["mytts", "--voice", "en gb", "{text}"]
    assert tts_command("mytts --say={text}") == ["mytts", "--say={text}"]


def test_a_template_without_the_placeholder_gets_the_text_last(
    which: Callable[..., None],
) -> None:
    which("mytts")
    assert tts_command("mytts --fast") == ["mytts", "--fast", "{text}"]


@pytest.mark.parametrize("template", ["missing-tts {text}", "mytts 'unclosed {text}"])
def test_a_template_that_cannot_run_means_no_command(
    which: Callable[..., None], template: str
) -> None:
    which("mytts", "say")  # a candidate is there, but the user asked for their own
    assert tts_command(template) is None


# -- speaking -----------------------------------------------------------------------------


def test_speaker_speaks_each_text_through_the_command(tmp_path: Path) -> None:
    script, _, spoken = fake_tts(tmp_path)
    speaker = Speaker([str(script), "{text}"])
    try:
        speaker.say("Brisk. Three minutes at 115 steps per minute")
        wait_for(lambda: len(lines(spoken)) == 1)
        speaker.say("Stand tall; it's $HOME `not` a shell")
        wait_for(lambda: len(lines(spoken)) == 2)
    finally:
        speaker.close()
    assert lines(spoken) == [
        "Brisk. Three minutes at 115 steps per minute",
        "Stand tall; it's $HOME `not` a shell",
    ]


def test_speech_never_piles_up_only_the_newest_waiting_text_follows(tmp_path: Path) -> None:
    script, started, spoken = fake_tts(tmp_path, pause=0.3)
    speaker = Speaker([str(script), "{text}"])
    try:
        speaker.say("first")
        wait_for(lambda: lines(started) == ["first"])
        for n in range(1, 6):
            speaker.say(f"waiting {n}")
        began = time.monotonic()
        wait_for(lambda: len(lines(spoken)) == 2)
        time.sleep(0.5)  # room for anything else that was (wrongly) queued
    finally:
        speaker.close()
    assert lines(spoken) == ["first", "waiting 5"]
    assert time.monotonic() - began < 3


def test_say_returns_at_once_while_speech_runs(tmp_path: Path) -> None:
    script, started, _ = fake_tts(tmp_path, pause=0.5)
    speaker = Speaker([str(script), "{text}"])
    try:
        speaker.say("first")
        wait_for(lambda: lines(started) == ["first"])
        began = time.monotonic()
        speaker.say("second")
        assert time.monotonic() - began < 0.1
    finally:
        speaker.close()


# -- modes ------------------------------------------------------------------------------------


def test_voice_without_a_tts_command_falls_back_to_the_bell_with_one_notice(
    which: Callable[..., None],
) -> None:
    which()
    notices: list[str] = []
    sound = Sound(SoundMode.VOICE, bell=lambda: None, notice=notices.append)
    assert sound.mode is SoundMode.BELL
    assert sound.set_mode(SoundMode.VOICE) is SoundMode.BELL
    for _ in range(4):
        assert sound.cycle() is not SoundMode.VOICE
    assert len(notices) == 1
    assert "text-to-speech" in notices[0] and "bell" in notices[0]


def test_a_missing_template_command_is_named_in_the_notice(which: Callable[..., None]) -> None:
    which("say")
    notices: list[str] = []
    Sound(SoundMode.VOICE, bell=lambda: None, tts_template="mytts {text}", notice=notices.append)
    assert len(notices) == 1
    assert "mytts {text}" in notices[0]


def test_cycle_goes_voice_bell_off_voice(tmp_path: Path) -> None:
    script, _, _ = fake_tts(tmp_path)
    sound = Sound(SoundMode.VOICE, bell=lambda: None, tts_template=f"{script} {{text}}")
    try:
        assert sound.mode is SoundMode.VOICE
        assert [sound.cycle() for _ in range(3)] == [
            SoundMode.BELL,
            SoundMode.OFF,
            SoundMode.VOICE,
        ]
    finally:
        sound.close()


def test_bell_mode_rings_only_when_asked() -> None:
    rings: list[None] = []
    sound = Sound(SoundMode.BELL, bell=lambda: rings.append(None))
    sound.announce("Brisk (1/3)", ring=True)
    sound.announce("3", ring=False)
    sound.announce("Stand tall", ring=False)
    sound.announce("Ten seconds.")
    assert len(rings) == 2


def test_off_mode_is_silent(tmp_path: Path) -> None:
    script, started, _ = fake_tts(tmp_path)
    rings: list[None] = []
    sound = Sound(SoundMode.OFF, bell=lambda: rings.append(None), tts_template=f"{script} {{text}}")
    sound.announce("Brisk", ring=True)
    time.sleep(0.2)
    assert rings == []
    assert lines(started) == []


def test_voice_mode_speaks_and_does_not_ring(tmp_path: Path) -> None:
    script, _, spoken = fake_tts(tmp_path)
    rings: list[None] = []
    sound = Sound(
        SoundMode.VOICE, bell=lambda: rings.append(None), tts_template=f"{script} {{text}}"
    )
    try:
        sound.announce("Cool-down. 5 minutes at 85 steps per minute", ring=True)
        wait_for(lambda: len(lines(spoken)) == 1)
    finally:
        sound.close()
    assert lines(spoken) == ["Cool-down. 5 minutes at 85 steps per minute"]
    assert rings == []


def test_voice_says_a_segment_note_at_the_segment_start(tmp_path: Path) -> None:
    from textwrap import dedent

    from coach.core.engine import events_between
    from coach.core.routine import compile_timeline, load_text

    result = load_text(
        dedent("""\
            name: Noted
            segments:
              - name: Warm-up
                duration: 1m
                cadence: 90
                note: |
                  Start slow
                  and let the back loosen.
            """),
        "noted",
        "noted.yaml",
    )
    assert result.routine is not None, result.report()
    timeline = compile_timeline(result.routine)
    script, _, spoken = fake_tts(tmp_path)
    sound = Sound(SoundMode.VOICE, bell=lambda: None, tts_template=f"{script} {{text}}")
    try:
        sound.announce_events(timeline, events_between(timeline, -1, 0))
        wait_for(lambda: len(lines(spoken)) == 1)
    finally:
        sound.close()
    # The note on one line, after what the segment is: it reaches the speech command whole.
    assert lines(spoken)[0].startswith(
        "Warm-up. 1 minute at 90 steps per minute. Start slow and let the back loosen."
    )
