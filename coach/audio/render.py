"""A whole guided walk as a WAV file: the engine of `coach render`.

The file is the walk at its planned timing (sample `round(position · rate)` is
`position` seconds from the start): the beat from `coach.core.beat`, and at each event
of the walk (segment starts, 3-2-1 countdowns, `at` announcements, posture prompts,
cue changes) the words voice mode would say, spoken by a text-to-speech command that
writes WAV files. Events at the same moment make one utterance, as in a live walk.

When speech would overlap (the voice is still busy with the last utterance), the new
utterance waits until the voice is free, and what has gone stale on the way is dropped:
a countdown number that can no longer be said on its second, a cue or posture prompt
more than `STALE_AFTER` seconds late. Segment starts and `at` announcements are never
dropped, only delayed. Speech still sounding at the end of the walk is cut there, so
the file is exactly as long as the routine. The beat is turned down (ducked) under
speech, never stopped.

Without a usable text-to-speech command the file gets the beat and short tones at
segment starts and announcements, and the caller gets a notice to show.

Everything is produced in chunks of one second: however long the walk, the file is
written as it is made. It is written to a temporary file beside the target and moved
into place at the end; on any failure the temporary file is removed.
"""

from __future__ import annotations

import errno
import math
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import wave
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from coach.core.announcements import spoken
from coach.core.beat import Clicks, Clip, iter_onsets, mix_chunks
from coach.core.engine import EventKind, WalkEvent, events_between
from coach.core.routine.timeline import Timeline

DEFAULT_SAMPLE_RATE = 44100
SAMPLE_RATES = (8000, 96000)  # the range accepted, inclusive
DEFAULT_VOLUME = 0.6
TTS_WAV_CANDIDATES = ("say", "espeak-ng", "espeak")
TTS_TIMEOUT = 30.0
# Seconds of quiet between one utterance and the next.
SPEECH_GAP = 0.3
# A cue or posture prompt later than this is dropped rather than said.
STALE_AFTER = 10.0
# A countdown number later than this is dropped: "2" said on "1" misleads.
COUNTDOWN_LATE = 0.25
# After this many failed TTS runs in a row, the rest of the walk gets tones.
TTS_GIVE_UP_AFTER = 3
# Speech quieter than this (of full scale) at either end of a clip is trimmed away, so
# the words start on the event's sample.
TRIM_LEVEL = 0.01
# Spoken clips are kept for reuse ("3", "2", "1", repeated cues) up to this many
# seconds of audio in all.
_CLIP_CACHE_SECONDS = 60
_WINDOW = 60.0  # seconds of events looked up at a time
_WAV_LIMIT = 2**32 - 64  # RIFF sizes are 32-bit


class RenderError(Exception):
    """Rendering failed; the message is one line for the user."""


class SpeechFailed(Exception):
    """One utterance could not be turned into samples."""


@dataclass(frozen=True)
class RenderReport:
    """What was written, for the CLI to report."""

    path: Path
    frames: int
    sample_rate: int
    utterances: int  # spoken clips placed
    dropped: int  # utterances left out because they went stale
    tones: int  # tones placed instead of speech
    notice: str | None  # something the user should know (no TTS, speech failures)

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


# -- text-to-speech ------------------------------------------------------------------


def tts_wav_command(template: str | None = None, rate: int = DEFAULT_SAMPLE_RATE) -> list[str]:
    """The speech-to-file command as argv with `{text}` and `{file}` placeholders.

    With a `template` (config `tts_wav_command`) that template; else the first found of
    `say`, `espeak-ng`, `espeak`. Raises SpeechFailed, saying why, when none is usable.
    """
    if template:
        try:
            argv = shlex.split(template)
        except ValueError as error:
            raise SpeechFailed(f"tts_wav_command {template!r} cannot be read: {error}") from None
        if not argv:
            raise SpeechFailed("tts_wav_command is empty")
        if not any("{file}" in part for part in argv):
            raise SpeechFailed(f"tts_wav_command {template!r} has no {{file}} placeholder")
        if shutil.which(argv[0]) is None:
            raise SpeechFailed(f"tts_wav_command program {argv[0]!r} was not found")
        if not any("{text}" in part for part in argv):
            argv.append("{text}")
        return argv
    for name in TTS_WAV_CANDIDATES:
        if shutil.which(name):
            if name == "say":
                return [name, "-o", "{file}", f"--data-format=LEI16@{rate}", "{text}"]
            return [name, "-w", "{file}", "{text}"]
    raise SpeechFailed(
        "no text-to-speech command that writes WAV files was found "
        f"({', '.join(TTS_WAV_CANDIDATES)}, or config tts_wav_command)"
    )


def run_quietly(argv: list[str], timeout: float = TTS_TIMEOUT) -> int:
    """Run a command in its own process group; kill the group on timeout or Ctrl+C."""
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        raise SpeechFailed(f"{argv[0]}: {error.strerror or error}") from None
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise SpeechFailed(f"{argv[0]} took longer than {timeout:g} s") from None
    except BaseException:
        _kill_group(process)
        raise


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    killpg = getattr(os, "killpg", None)
    with suppress(OSError):
        if killpg is not None:
            killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5.0)


def synthesize(
    argv: list[str], text: str, rate: int, folder: Path, timeout: float = TTS_TIMEOUT
) -> array[int]:
    """`text` spoken by the command `argv`, as mono samples at `rate`, quiet ends trimmed."""
    target = folder / "utterance.wav"
    with suppress(FileNotFoundError):
        target.unlink()
    # A leading "-" would be read as an option by the TTS command.
    if text.startswith("-"):
        text = " " + text
    command = [part.replace("{file}", str(target)).replace("{text}", text) for part in argv]
    status = run_quietly(command, timeout)
    if status != 0:
        raise SpeechFailed(f"{argv[0]} exited with status {status}")
    return trim_quiet(read_wav(target, rate))


def read_wav(path: Path, rate: int) -> array[int]:
    """A WAV file's samples as 16-bit mono at `rate` (channels averaged, rate interpolated)."""
    try:
        with wave.open(str(path), "rb") as reader:
            channels = reader.getnchannels()
            width = reader.getsampwidth()
            source_rate = reader.getframerate()
            raw = reader.readframes(reader.getnframes())
    except (OSError, EOFError, wave.Error) as error:
        raise SpeechFailed(f"cannot read the speech file: {error}") from None
    samples = _to_int16(raw, width)
    if channels > 1:  # mono: the mean of the channels
        frames = len(samples) // channels
        samples = array(
            "h",
            [sum(samples[i * channels : (i + 1) * channels]) // channels for i in range(frames)],
        )
    return resample(samples, source_rate, rate)


def _to_int16(raw: bytes, width: int) -> array[int]:
    """Little-endian PCM of 1 to 4 bytes a sample as native 16-bit samples."""
    usable = len(raw) - len(raw) % width
    if width == 1:  # unsigned 8-bit
        return array("h", [(b - 128) << 8 for b in raw])
    if width == 2:
        little = raw[:usable]
    elif width in (3, 4):  # keep the top two bytes of each sample
        top = bytearray(2 * (usable // width))
        top[0::2] = raw[width - 2 : usable : width]
        top[1::2] = raw[width - 1 : usable : width]
        little = bytes(top)
    else:
        raise SpeechFailed(f"unsupported sample width {width}")
    samples = array("h")
    samples.frombytes(little)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def resample(samples: array[int], source_rate: int, rate: int) -> array[int]:
    """Linear interpolation from `source_rate` to `rate` (speech needs no better)."""
    if source_rate == rate or not samples:
        return samples
    count = len(samples) * rate // source_rate
    step = source_rate / rate
    last = len(samples) - 1
    out = array("h", bytes(2 * count))
    for i in range(count):
        x = i * step
        k = int(x)
        if k >= last:
            out[i] = samples[last]
            continue
        a = samples[k]
        out[i] = round(a + (samples[k + 1] - a) * (x - k))
    return out


def trim_quiet(samples: array[int], level: float = TRIM_LEVEL) -> array[int]:
    """Drop the near-silent stretches at both ends of a clip."""
    threshold = level * 32767
    start = 0
    end = len(samples)
    while start < end and abs(samples[start]) < threshold:
        start += 1
    while end > start and abs(samples[end - 1]) < threshold:
        end -= 1
    return samples[start:end]


# -- tones ---------------------------------------------------------------------------


def tone(notes: tuple[float, ...], rate: int, note_seconds: float = 0.14) -> array[int]:
    """A short chime: sine notes in turn, each faded in and out (no pops)."""
    length = round(note_seconds * rate)
    fade = max(1, round(0.01 * rate))
    level = 0.35 * 32767
    out = array("h")
    for frequency in notes:
        for i in range(length):
            edge = min(i + 1, length - i) / fade
            envelope = 1.0 if edge >= 1 else 0.5 * (1.0 - math.cos(math.pi * edge))
            out.append(round(level * envelope * math.sin(2 * math.pi * frequency * i / rate)))
    return out


SEGMENT_TONE = (660.0, 880.0)  # rising: something new starts
ANNOUNCEMENT_TONE = (880.0,)


# -- what is said when ---------------------------------------------------------------


@dataclass(frozen=True)
class Utterance:
    """The events at one moment of the walk, spoken as one."""

    at: float
    events: tuple[WalkEvent, ...]

    def words(self, timeline: Timeline, kinds: frozenset[EventKind] | None = None) -> str:
        chosen = [e for e in self.events if kinds is None or e.kind in kinds]
        return ". ".join(spoken(timeline, e) for e in chosen)

    @property
    def chime(self) -> tuple[float, ...] | None:
        """The tone standing in for speech: at segment starts and announcements only."""
        kinds = {e.kind for e in self.events}
        if EventKind.SEGMENT_START in kinds:
            return SEGMENT_TONE
        if EventKind.ANNOUNCEMENT in kinds:
            return ANNOUNCEMENT_TONE
        return None


def utterances(timeline: Timeline) -> Iterator[Utterance]:
    """Every utterance of the walk in order (the finish is not spoken), looked up lazily."""
    after = -1.0
    total = float(timeline.total)
    while after < total:
        until = min(after + _WINDOW, total)
        group: list[WalkEvent] = []
        for event in events_between(timeline, after, until):
            if event.kind is EventKind.FINISH:
                continue
            if group and event.at != group[0].at:
                yield Utterance(group[0].at, tuple(group))
                group = []
            group.append(event)
        if group:
            yield Utterance(group[0].at, tuple(group))
        after = until


_NEVER_DROPPED = frozenset({EventKind.SEGMENT_START, EventKind.ANNOUNCEMENT})


def kept_kinds(late: float) -> frozenset[EventKind]:
    """Which kinds of event are still worth saying `late` seconds after their moment."""
    kinds = set(_NEVER_DROPPED)
    if late <= COUNTDOWN_LATE:
        kinds.add(EventKind.COUNTDOWN)
    if late <= STALE_AFTER:
        kinds.update((EventKind.CUE, EventKind.POSTURE))
    return frozenset(kinds)


class SpeechQueue:
    """One voice: where each utterance starts, given how long the ones before lasted."""

    def __init__(self, rate: int, gap: float = SPEECH_GAP) -> None:
        self._rate = rate
        self._gap = round(gap * rate)
        self.free_at = 0  # the sample from which the voice is free again

    def start_of(self, utterance: Utterance) -> tuple[int, frozenset[EventKind]]:
        """(start sample, kinds still worth saying there) for the next utterance."""
        at = round(utterance.at * self._rate)
        start = max(at, self.free_at)
        return start, kept_kinds((start - at) / self._rate)

    def spoken(self, start: int, length: int) -> None:
        self.free_at = start + length + self._gap


# -- the walk as clips ---------------------------------------------------------------


class _Voice:
    """Turns utterances into clips: speech when it can, tones when it cannot."""

    def __init__(self, timeline: Timeline, rate: int, argv: list[str] | None, folder: Path) -> None:
        self.timeline = timeline
        self.rate = rate
        self.argv = argv
        self.folder = folder
        self.queue = SpeechQueue(rate)
        self.cache: OrderedDict[str, array[int]] = OrderedDict()
        self._cached_frames = 0
        self.spoken = 0
        self.dropped = 0
        self.tones = 0
        self.failures = 0
        self.failures_in_a_row = 0
        self.last_failure = ""
        self._tones: dict[tuple[float, ...], array[int]] = {}

    def clips(self) -> Iterator[Clip]:
        for utterance in utterances(self.timeline):
            clip = self._speech(utterance) if self.argv is not None else None
            if clip is None and (self.argv is None or self.failures_in_a_row):
                clip = self._tone(utterance)
            if clip is not None:
                yield clip

    def _speech(self, utterance: Utterance) -> Clip | None:
        start, kinds = self.queue.start_of(utterance)
        text = utterance.words(self.timeline, kinds)
        if not text:
            self.dropped += 1
            return None
        try:
            samples = self._say(text)
        except SpeechFailed as failure:
            self.failures += 1
            self.failures_in_a_row += 1
            self.last_failure = str(failure)
            if self.failures_in_a_row >= TTS_GIVE_UP_AFTER:
                self.argv = None
            return None
        self.failures_in_a_row = 0
        self.queue.spoken(start, len(samples))
        self.spoken += 1
        return Clip(start, samples, speech=True)

    def _say(self, text: str) -> array[int]:
        cached = self.cache.get(text)
        if cached is not None:
            self.cache.move_to_end(text)
            return cached
        assert self.argv is not None
        samples = synthesize(self.argv, text, self.rate, self.folder)
        self.cache[text] = samples
        self._cached_frames += len(samples)
        while self._cached_frames > _CLIP_CACHE_SECONDS * self.rate and len(self.cache) > 1:
            _, dropped = self.cache.popitem(last=False)
            self._cached_frames -= len(dropped)
        return samples

    def _tone(self, utterance: Utterance) -> Clip | None:
        notes = utterance.chime
        if notes is None:
            return None
        samples = self._tones.get(notes)
        if samples is None:
            samples = self._tones[notes] = tone(notes, self.rate)
        self.tones += 1
        return Clip(round(utterance.at * self.rate), samples, speech=False)


# -- the file ------------------------------------------------------------------------


def render_walk(
    timeline: Timeline,
    out: Path,
    *,
    sample_rate: int = DEFAULT_SAMPLE_RATE,
    voice: bool = True,
    phases: bool = False,
    volume: float = DEFAULT_VOLUME,
    force: bool = False,
    tts_wav_template: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> RenderReport:
    """Write the whole walk to `out` as a 16-bit mono WAV file; raise RenderError on failure.

    `voice` off gives the beat alone (no speech, no tones). `progress` is called with the
    fraction done (0..1) as the file is written.
    """
    low, high = SAMPLE_RATES
    if not low <= sample_rate <= high:
        raise RenderError(f"sample rate {sample_rate} is outside {low} to {high} Hz")
    if not 0.0 <= volume <= 1.0:
        raise RenderError(f"volume {volume:g} is outside 0 to 1")
    total_frames = timeline.total * sample_rate
    if 2 * total_frames > _WAV_LIMIT:
        raise RenderError(
            f"{out}: the walk is too long for a WAV file at {sample_rate} Hz; "
            "use a lower sample rate"
        )
    if out.is_dir():
        raise RenderError(f"{out} is a folder; give a file name such as walk.wav")
    if out.exists() and not force:
        raise RenderError(f"{out} already exists; use --force to replace it")

    notice: str | None = None
    argv: list[str] | None = None
    if voice:
        try:
            argv = tts_wav_command(tts_wav_template, sample_rate)
        except SpeechFailed as why:
            notice = f"No speech in the file: {why}. It has the beat and tones instead."

    folder = out.parent if str(out.parent) else Path(".")
    # The half-written file's name is known before it exists, so a stop (Ctrl+C, SIGTERM)
    # that lands the instant it is created still finds it to remove.
    part = folder / f".{out.name}.{os.getpid()}-{secrets.token_hex(4)}.part"
    speaker = _Voice(timeline, sample_rate, argv, folder)
    try:
        try:
            descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise RenderError(f"cannot write {out}: {_reason(error)}") from None
        with os.fdopen(descriptor, "wb") as file, ExitStack() as stack:
            if argv is not None:
                speaker.folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            clips: Iterator[Clip] = speaker.clips() if voice else iter(())
            _write_wav(
                file,
                mix_chunks(
                    iter_onsets(timeline, None, 0.0, float(timeline.total), phases),
                    Clicks.make(sample_rate, volume),
                    total_frames,
                    sample_rate,
                    clips,
                ),
                sample_rate,
                total_frames,
                progress,
            )
            file.flush()
            os.fsync(file.fileno())
        _share_like_a_new_file(part)
        os.replace(part, out)
    except OSError as error:
        _remove(part)
        raise RenderError(f"cannot write {out}: {_reason(error)}") from None
    except BaseException:
        _remove(part)
        raise
    if speaker.failures:
        notice = (
            f"{speaker.failures} utterance(s) could not be spoken ({speaker.last_failure}); "
            "tones stand in for segment starts and announcements."
        )
    return RenderReport(
        path=out,
        frames=total_frames,
        sample_rate=sample_rate,
        utterances=speaker.spoken,
        dropped=speaker.dropped,
        tones=speaker.tones,
        notice=notice,
    )


def _write_wav(
    file: BinaryIO,
    chunks: Iterator[array[int]],
    rate: int,
    total_frames: int,
    progress: Callable[[float], None] | None,
) -> None:
    # Not a with-block: closing patches the header, and after a failure that must not
    # raise over the first error.
    writer = wave.open(file, "wb")  # noqa: SIM115
    try:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.setnframes(total_frames)
        done = 0
        if progress is not None:
            progress(0.0)
        for chunk in chunks:
            if sys.byteorder == "big":
                chunk.byteswap()
            writer.writeframesraw(chunk.tobytes())
            done += len(chunk)
            if progress is not None:
                progress(done / total_frames if total_frames else 1.0)
    except BaseException:
        # Closing patches the header; on the way out of a failure that may fail too,
        # and must not hide the first error. The file is removed anyway.
        with suppress(Exception):
            writer.close()
        raise
    writer.close()


def _share_like_a_new_file(path: Path) -> None:
    """mkstemp makes the file private (0600); give it the mode a new file would get."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _remove(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ENOENT:
        return "the folder does not exist"
    if error.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return error.strerror or str(error)
