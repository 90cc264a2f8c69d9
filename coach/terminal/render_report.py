"""`coach render`: the WAV render with a progress bar on a terminal, and what was written."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from coach.audio.render import RenderReport, render_walk
from coach.core.routine.durations import format_clock
from coach.core.routine.timeline import Timeline
from coach.core.text import visible_text


def render_with_progress(
    timeline: Timeline,
    out: Path,
    *,
    sample_rate: int,
    voice: bool,
    phases: bool,
    volume: float,
    force: bool,
    tts_wav_template: str | None,
) -> RenderReport:
    """`render_walk`, with a progress bar on stderr when it is a terminal (none on a pipe).

    SIGTERM and SIGHUP (a closed terminal) stop it as Ctrl+C does: the half-written
    file is removed. Raises RenderError.
    """

    def run(progress: Callable[[float], None] | None) -> RenderReport:
        return render_walk(
            timeline,
            out,
            sample_rate=sample_rate,
            voice=voice,
            phases=phases,
            volume=volume,
            force=force,
            tts_wav_template=tts_wav_template,
            progress=progress,
        )

    with _stops_unwind():
        if not sys.stderr.isatty():
            return run(None)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        with Progress(
            TextColumn("Rendering"),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("render", total=1.0)
            return run(lambda done: bar.update(task, completed=done))


@contextmanager
def _stops_unwind() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into SystemExit, so clean-up code runs on the way out."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def written(report: RenderReport, voice: bool) -> str:
    """The line that says what was written: the file, its length, what it holds."""
    parts = [f"{format_clock(report.seconds)} at {report.sample_rate} Hz"]
    if not voice:
        parts.append("the beat alone")
    else:
        parts.append(f"{report.utterances} utterance(s) spoken")
        if report.dropped:
            parts.append(f"{report.dropped} left out as too late to say")
        if report.tones:
            parts.append(f"{report.tones} tone(s)")
    return f"Wrote {visible_text(str(report.path))}: " + ", ".join(parts)
