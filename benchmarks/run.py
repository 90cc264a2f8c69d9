"""Measure every quality bar of SPEC §8 the way a person runs coach: in a real terminal.

    python benchmarks/run.py            the full benchmark (several minutes; a quiet machine)
    python benchmarks/run.py --json     the same, as JSON on stdout
    python benchmarks/run.py --quick    tiny sizes and 4-second walks (CI's smoke test)
    python benchmarks/run.py --profile  also write start-up diagnostics (not bars)

Every measured process is the program itself, unmodified: coach's console script and
the baseline apps beside this file, each started on a pseudo-terminal of 80×24
(TERM=xterm-256color) whose output is read as it comes and thrown away. A timing runs
from spawn until marker strings (text that is on the screen once that state is fully
drawn) have arrived in the output stream; then the program is quit with its own keys
and reaped with wait4, which gives its own CPU time. No hook, patch or headless mode
runs inside a measured process. Baselines run in the same invocation, interleaved
with coach; process figures are medians of the rounds. Children get a private
bytecode cache, warmed first, as an installed coach has. The benchmark reports; it
exits 0 whatever the verdicts, 1 only if a measurement itself broke.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import audio_check  # noqa: E402  (benchmarks/ is not a package)
import data  # noqa: E402
from terminal import CTRL_Q, Ended, PtyProcess, pump  # noqa: E402

TIMEOUT = 30.0  # seconds for any screen to be drawn; a miss is an error, not a figure

# -- what "fully drawn" means: markers, each a run of text the program writes whole ---------

MINIMAL_TEXT = "Hello from a minimal Textual app"  # baseline_app.TEXT (its Static)
MINIMAL_FOOTER = " palette"  # its footer's one key: "^p palette"
HOME_FOOTER = " Quit"  # the last key label in home's footer
HISTORY_SUMMARY = "This week:"  # the history's summary, filled once its data is read
HISTORY_TITLE = "does walking ease your back?"  # the history's header: its first frame
WALK_STEP = "0:02 · "  # the walk's "walked" row at 2 s (then its steps): under way
END_WALK = "End walk"  # the button of the walk's "end now?" question
WALK_ENDED = "Walk ended early"  # the summary's title, after the walk ends
TICKER_TEXT = "tick 3"


@dataclass
class Sizes:
    runs: int
    walk_seconds: float
    routines: int
    start_walks: int
    history_walks: int
    show_repeats: tuple[int, int, int]  # nested repeats of a 1 s segment for routines show
    show_runs: int

    @classmethod
    def full(cls) -> Sizes:
        return cls(5, 60.0, 50, 5000, 20000, (50, 20, 20), 3)

    @classmethod
    def quick(cls) -> Sizes:
        return cls(2, 4.0, 50, 200, 500, (5, 10, 10), 1)

    @property
    def show_segments(self) -> int:
        return math.prod(self.show_repeats)


@dataclass
class Bar:
    """One quality bar: its figure, the baseline it is compared with, and the verdict."""

    id: str
    name: str
    unit: str
    target: str
    figure: float | None = None
    baseline: float | None = None
    ratio: float | None = None
    passed: bool | None = None
    status: str = "n/a"  # pass | fail | n/a (not measured: the note says why)
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def judge(self, passed: bool) -> None:
        self.passed = passed
        self.status = "pass" if passed else "fail"

    def unavailable(self, why: str) -> None:
        self.status = "n/a"
        self.note = why


class ChildFailed(RuntimeError):
    def __init__(self, what: str, ended: Ended, text: str) -> None:
        super().__init__(f"{what} ended {ended.how} with status {ended.returncode}: {text[-400:]}")


class Runner:
    """Starts children on terminals with a clean environment and a private bytecode cache."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        dropped = ("COACH_", "PYTHON", "TEXTUAL")
        env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
        for name in ("NO_COLOR", "FORCE_COLOR", "COLORTERM", "COLUMNS", "LINES"):
            env.pop(name, None)
        env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
        env["PYTHONHASHSEED"] = "0"
        self.env = env
        script = Path(sys.executable).parent / "coach"
        # The console script a user types; `python -m coach` where it is not installed.
        self.coach_argv = (
            [str(script)] if os.access(script, os.X_OK) else [sys.executable, "-m", "coach"]
        )
        self.children: list[PtyProcess] = []

    def spawn(
        self,
        argv: Sequence[str],
        home: Path | None = None,
        extra_env: dict[str, str] | None = None,
        stdout: Path | None = None,
        stderr: Path | None = None,
        record: Path | None = None,
    ) -> PtyProcess:
        env = dict(self.env)
        if home is not None:
            env["COACH_HOME"] = str(home)
        env.update(extra_env or {})
        child = PtyProcess(argv, env, REPO, stdout=stdout, stderr=stderr, record=record)
        self.children.append(child)
        return child

    def coach(self, *args: str, home: Path, **kwargs: Any) -> PtyProcess:
        return self.spawn([*self.coach_argv, *args], home=home, **kwargs)

    def python(self, script: Path, *args: str, **kwargs: Any) -> PtyProcess:
        return self.spawn([sys.executable, str(script), *args], **kwargs)

    def plain_env(self, home: Path | None = None) -> dict[str, str]:
        env = dict(self.env)
        if home is not None:
            env["COACH_HOME"] = str(home)
        return env

    def cleanup(self) -> None:
        """Kill whatever a failed measurement left running."""
        for child in self.children:
            child.kill()
        self.children.clear()


def finished(child: PtyProcess, ended: Ended, what: str) -> Ended:
    """`ended`, or ChildFailed unless the program exited by itself with status 0."""
    if ended.how != "exited" or ended.returncode != 0:
        raise ChildFailed(what, ended, child.text())
    return ended


# -- data ---------------------------------------------------------------------------------


@dataclass
class Homes:
    validate: Path
    start: Path
    history: Path
    walk: Path
    show: Path  # the routine file for `routines show`
    show_quarter: Path  # a quarter as many segments: does the time grow linearly?
    beat: Path  # 60 s at 180 spm, for `coach render`


@dataclass(frozen=True)
class HomeMarkers:
    """What home shows once fully drawn: its list, the highlighted routine, its footer."""

    list: tuple[str, ...]
    details: str
    footer: str = HOME_FOOTER

    @property
    def all(self) -> tuple[str, ...]:
        return (*self.list, self.details, self.footer)


WALK_120 = "bench-walk-120"
WALK_180 = "bench-walk-180"
GENTLE_BACK = REPO / "routines" / "gentle-back.yaml"


def walk_name(cadence: int) -> str:
    return f"Benchmark walk at {cadence} spm"  # as data.write_walk_routine names it


def prepare(workdir: Path, sizes: Sizes, say: Callable[[str], None]) -> Homes:
    began = time.perf_counter()
    homes = Homes(
        validate=workdir / "home-validate",
        start=workdir / "home-start",
        history=workdir / "home-history",
        walk=workdir / "home-walk",
        show=workdir / "many-segments.yaml",
        show_quarter=workdir / "quarter-segments.yaml",
        beat=workdir / "beat-180.yaml",
    )
    homes.validate.mkdir(mode=0o700)
    routines = data.write_user_routines(homes.start, sizes.routines)
    data.populate_walks(homes.start, sizes.start_walks, routines)
    data.write_user_routines(homes.history, sizes.routines, check=False)
    data.populate_walks(homes.history, sizes.history_walks, routines)
    walk_length = max(120, math.ceil(sizes.walk_seconds) + 60)  # never over before we quit
    data.write_walk_routine(homes.walk, WALK_120, 120, walk_length)
    data.write_walk_routine(homes.walk, WALK_180, 180, walk_length)
    data.write_config(homes.walk, 'sound: "off"\npre_walk_checkin: false\n')
    data.answer_warning_signs_today(homes.walk)  # the walk, not the question before it
    for home in (homes.start, homes.history, homes.walk):
        data.mark_welcomed(home)
    outer, middle, inner = sizes.show_repeats
    homes.show.write_text(data.nested_routine(outer, middle, inner), encoding="utf-8")
    quarter = (outer // 4, middle, inner) if outer >= 4 else (outer, middle, max(1, inner // 4))
    homes.show_quarter.write_text(data.nested_routine(*quarter), encoding="utf-8")
    homes.beat.write_text(data.beat_routine(180, 60), encoding="utf-8")
    say(f"data ready in {time.perf_counter() - began:.1f}s")
    return homes


def home_markers(home: Path) -> HomeMarkers:
    """The markers of HOME's home screen, from coach's own routine catalogue (read here)."""
    from coach.core.routine import load_file
    from coach.library.routines import Origin, list_routines

    saved = os.environ.get("COACH_HOME")
    os.environ["COACH_HOME"] = str(home)
    try:
        entries = list_routines()
    finally:
        if saved is None:
            os.environ.pop("COACH_HOME", None)
        else:
            os.environ["COACH_HOME"] = saved
    first = entries[0]  # highlighted at start: its details are shown
    mine = next((e for e in entries if e.origin is Origin.MINE), first)
    loaded = load_file(first.path)
    if loaded.routine is None:
        raise RuntimeError(f"{first.path} is not valid: its details would be an error")
    name = loaded.routine.name
    if len(name) > 30:  # a long name may wrap: its first words are on one line
        name = name[:30].rsplit(" ", 1)[0]
    return HomeMarkers(list=tuple(dict.fromkeys((first.id, mine.id))), details=name)


def newest_entry_text(home: Path) -> str:
    """The history table's first cell: the newest entry's local date and time."""
    from coach.core.localtime import local_minute
    from coach.store import Store

    store = Store.open(home / "coach.db")
    try:
        newest = store.history(limit=1)
    finally:
        store.close()
    if not newest:
        raise RuntimeError(f"{home}: no history to show")
    return local_minute(newest[0].at)


# -- process timings: baseline and coach, interleaved ----------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of values."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def minimal_app(runner: Runner) -> dict[str, float]:
    """The minimal app: spawn → Static and footer drawn; then ctrl+q; spawn → exit."""
    child = runner.python(HERE / "baseline_app.py")
    watch = child.watch("drawn", MINIMAL_TEXT, MINIMAL_FOOTER)
    drawn = child.wait_for("drawn", TIMEOUT)
    ended = finished(child, child.end([(CTRL_Q, None)]), "the minimal app")
    return {
        "drawn": drawn - child.spawned,
        "static": watch.found[MINIMAL_TEXT.encode()] - child.spawned,
        "exit": ended.wall,
    }


def validate(runner: Runner, homes: Homes) -> dict[str, float]:
    child = runner.coach("routines", "validate", str(GENTLE_BACK), home=homes.validate)
    ended = finished(child, child.end(grace=TIMEOUT), "coach routines validate")
    return {"exit": ended.wall}


def home_screen(runner: Runner, home: Path, markers: HomeMarkers) -> dict[str, float]:
    """`coach`: spawn → home fully drawn (list, details, footer); each part's arrival too."""
    child = runner.coach(home=home)
    watch = child.watch("drawn", *markers.all)
    drawn = child.wait_for("drawn", TIMEOUT)
    ended = finished(child, child.end([(b"q", None)]), "coach (home)")

    def at(*texts: str) -> float:
        return max(watch.found[t.encode()] for t in texts) - child.spawned

    return {
        "drawn": drawn - child.spawned,
        "list": at(*markers.list),
        "details": at(markers.details),
        "footer": at(markers.footer),
        "exit": ended.wall,
    }


def history_screen(
    runner: Runner, home: Path, markers: HomeMarkers, newest: str
) -> dict[str, float]:
    """From home (drawn, then quiet), press `h`: until the summary and first row are drawn."""
    child = runner.coach(home=home)
    child.watch("home", *markers.all)
    child.wait_for("home", TIMEOUT)
    child.settle(quiet=0.3, timeout=5.0)  # home's after-first-frame work is done
    opened = child.watch("opened", HISTORY_TITLE)
    child.watch("drawn", HISTORY_SUMMARY, newest)
    pressed = child.press(b"h")
    drawn = child.wait_for("drawn", TIMEOUT)
    # q: back to home (its footer again), q: quit.
    finished(child, child.end([(b"q", HOME_FOOTER), (b"q", None)]), "coach (history)")
    result = {"drawn": drawn - pressed}
    if opened.at is not None:
        result["first_frame"] = opened.at - pressed
    return result


def history_json(runner: Runner, home: Path) -> dict[str, float]:
    """`coach history --format json > FILE`, whole process; the rows are counted."""
    out = runner.workdir / "history.json"
    child = runner.coach("history", "--format", "json", home=home, stdout=out)
    ended = finished(child, child.end(grace=TIMEOUT), "coach history --format json")
    rows = len(json.loads(out.read_text(encoding="utf-8")))
    return {"exit": ended.wall, "rows": rows}


def routines_show(runner: Runner, homes: Homes, path: Path) -> dict[str, float]:
    """`coach routines show FILE` on the terminal, whole process."""
    child = runner.coach("routines", "show", str(path), home=homes.validate)
    ended = finished(child, child.end(grace=600.0), f"coach routines show {path.name}")
    return {"exit": ended.wall, "bytes": child.received}


def process_timings(
    runner: Runner, homes: Homes, sizes: Sizes, say: Callable[[str], None]
) -> dict[str, list[dict[str, float]]]:
    """Rounds of every whole-process measurement, baseline first in each; samples per name."""
    start_markers = home_markers(homes.start)
    history_markers = home_markers(homes.history)
    newest = newest_entry_text(homes.history)
    measures: dict[str, Callable[[], dict[str, float]]] = {
        "minimal": lambda: minimal_app(runner),
        "validate": lambda: validate(runner, homes),
        "home": lambda: home_screen(runner, homes.start, start_markers),
        "history_screen": lambda: history_screen(runner, homes.history, history_markers, newest),
        "history_json": lambda: history_json(runner, homes.history),
        "show": lambda: routines_show(runner, homes, homes.show),
        "show_quarter": lambda: routines_show(runner, homes, homes.show_quarter),
    }
    say("warming the bytecode cache")
    for name, measure in measures.items():
        if name != "show":  # the full-size show only costs time here
            measure()
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in measures}
    for number in range(sizes.runs):
        say(f"process timings, round {number + 1}/{sizes.runs}")
        for name, measure in measures.items():
            if name.startswith("show") and number >= sizes.show_runs:
                continue
            samples[name].append(measure())
    return samples


# -- real-time walks ----------------------------------------------------------------------


def walk_flags(runner: Runner) -> list[str]:
    """`--sound off` and, once `coach walk` has it, `--no-beat` (beat audio off)."""
    probe = subprocess.run(
        [*runner.coach_argv, "walk", "--help"],
        env=runner.plain_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return ["--no-checkin", "--sound", "off"] + (
        ["--no-beat"] if "--no-beat" in probe.stdout else []
    )


def end_walk(child: PtyProcess, others: Sequence[PtyProcess] = ()) -> Ended:
    """`q` (end the walk), `y` (yes, end it), Enter (past its summary): with --no-checkin
    the app then exits."""
    ended = child.end([(b"q", END_WALK), (b"y", WALK_ENDED), (b"\r", None)], others=others)
    return finished(child, ended, "coach walk")


def walk_cpu(
    runner: Runner, homes: Homes, sizes: Sizes, flags: list[str], say: Callable[[str], None]
) -> dict[str, Any]:
    """The ticker and a real-time walk at 120 spm side by side over the same seconds.

    Each uses a few percent of one core, so on two cores they do not compete, and both
    see the same machine (a shared machine's speed drifts between minutes).
    """
    seconds = sizes.walk_seconds
    say(f"the ticker (a Static updated 6×/s) and a walk at 120 spm, together for {seconds:g}s")
    ticker = runner.python(HERE / "baseline_ticker.py")
    walk = runner.coach("walk", WALK_120, *flags, home=homes.walk)
    ticker.watch("drawn", TICKER_TEXT)
    walk.watch("drawn", walk_name(120), WALK_STEP)
    began = time.perf_counter()
    pump([ticker, walk], until=lambda: time.perf_counter() - began >= seconds, timeout=seconds)
    walk.wait_for("drawn", TIMEOUT, others=[ticker])
    ticker.wait_for("drawn", TIMEOUT, others=[walk])
    peak = walk.peak_rss_mb()  # just before it ends
    ticker.press(CTRL_Q)  # both asked to quit at once
    walk_ended = end_walk(walk, others=[ticker])
    ticker_ended = finished(ticker, ticker.end(), "the ticker")
    return {"walk": walk_ended, "ticker": ticker_ended, "peak_rss_mb": peak}


def beat_lateness(
    runner: Runner, homes: Homes, sizes: Sizes, flags: list[str], say: Callable[[str], None]
) -> dict[str, Any]:
    """A real-time walk at 180 spm with COACH_TRACE (the app's own trace of phase changes)."""
    seconds = sizes.walk_seconds
    trace = runner.workdir / "trace.jsonl"
    trace.unlink(missing_ok=True)
    say(f"a walk at 180 spm for {seconds:g}s with COACH_TRACE")
    walk = runner.coach(
        "walk", WALK_180, *flags, home=homes.walk, extra_env={"COACH_TRACE": str(trace)}
    )
    walk.watch("drawn", walk_name(180), WALK_STEP)
    began = time.perf_counter()
    pump([walk], until=lambda: time.perf_counter() - began >= seconds, timeout=seconds)
    walk.wait_for("drawn", TIMEOUT)
    end_walk(walk)
    records = [json.loads(line) for line in trace.read_text().splitlines() if line.strip()]
    return lateness(records, cadence=180)


def lateness(records: list[dict[str, Any]], cadence: int) -> dict[str, Any]:
    """Lateness (actual − scheduled) of phase changes, and the last beat against the plan.

    The plan is independent of the app's own scheduling: beat k is due at T0 + 60·k/cadence,
    with T0 fitted (median) from the first beats' scheduled times, so drift accumulated
    over the walk shows in the last beat's offset.
    """
    timed = [r for r in records if r.get("scheduled") is not None]
    late_ms = [(r["actual"] - r["scheduled"]) * 1000 for r in timed]
    beats = [r for r in timed if r["phase"] == "heel_strike"]
    period = 60.0 / cadence
    result: dict[str, Any] = {"changes": len(timed), "beats": len(beats)}
    if late_ms:
        result.update(
            first_change_ms=late_ms[0],
            p50_ms=percentile(late_ms, 0.50),
            p99_ms=percentile(late_ms, 0.99),
            max_ms=max(late_ms),
            early_ms=min(late_ms),
        )
    if len(beats) >= 2:
        origin = median([b["scheduled"] - b["step"] * period for b in beats[:10]])
        last = beats[-1]
        planned = origin + last["step"] * period
        result.update(
            last_beat_step=last["step"],
            last_beat_offset_ms=(last["actual"] - planned) * 1000,
            last_beat_schedule_drift_ms=(last["scheduled"] - planned) * 1000,
        )
    return result


# -- the pure engine (a diagnostic process, not a terminal) --------------------------------


def engine_runs(runner: Runner, sizes: Sizes, say: Callable[[str], None]) -> dict[str, Any]:
    """The 6-hour simulation in fresh processes (no state left by the runner); median time."""
    say(f"6-hour routine through the engine, {sizes.runs} runs")
    outcomes = []
    for _ in range(sizes.runs):
        done = subprocess.run(
            [sys.executable, str(HERE / "engine_six_hours.py")],
            env=runner.plain_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        outcomes.append(json.loads(done.stdout))
    times = [o["seconds"] for o in outcomes]
    return {**outcomes[-1], "seconds": median(times), "samples": times}


# -- rendered audio (once `coach render` exists) -------------------------------------------


def render_help(runner: Runner) -> str | None:
    """`coach render --help`'s text, or None while the command does not exist."""
    probe = subprocess.run(
        [*runner.coach_argv, "render", "--help"],
        env=runner.plain_env(runner.workdir / "home-validate"),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return probe.stdout if probe.returncode == 0 else None


def rate_option(help_text: str) -> str | None:
    return next((o for o in ("--sample-rate", "--rate") if o in help_text), None)


def render(runner: Runner, routine: Path, out: Path, rate: int, help_text: str) -> Ended:
    """`coach render ROUTINE -o OUT`, the beat alone (--no-voice) where it can be asked for."""
    args = ["render", str(routine), "-o", str(out)]
    option = rate_option(help_text)
    if option is not None:
        args += [option, str(rate)]
    args += [flag for flag in ("--no-voice",) if flag in help_text]
    child = runner.coach(*args, home=runner.workdir / "home-validate")
    return finished(child, child.end(grace=600.0), "coach render")


def scheduled_beats(routine: Path) -> list[float]:
    """Every beat the routine schedules, in seconds, from coach's own engine (pure)."""
    from coach.core.engine import beat_times
    from coach.core.routine import compile_timeline, load_file

    loaded = load_file(routine)
    if loaded.routine is None:
        raise RuntimeError("\n".join(loaded.report()))
    timeline = compile_timeline(loaded.routine)
    return [t for s in timeline.segments for t in beat_times(timeline, s.index)]


def rendered_audio(
    runner: Runner, homes: Homes, sizes: Sizes, help_text: str, say: Callable[[str], None]
) -> dict[str, Any]:
    """Render 60 s at 180 spm at 44.1 kHz: its CPU, and its click onsets against the plan."""
    say("coach render: 60 s at 180 spm")
    option = rate_option(help_text)
    wav = runner.workdir / "beat.wav"
    probe = runner.coach("render", "--help", home=homes.validate)
    startup = finished(probe, probe.end(grace=TIMEOUT), "coach render --help")
    ended = render(runner, homes.beat, wav, 44100, help_text)
    audio = audio_check.read_wav(wav)
    scheduled = audio_check.scheduled_samples(
        scheduled_beats(homes.beat), audio.rate, len(audio.samples)
    )
    report = audio_check.compare(audio_check.onsets(audio), scheduled)
    result: dict[str, Any] = {
        "render_cpu_s": ended.cpu,
        "startup_cpu_s": startup.cpu,
        "audio_seconds": audio.seconds,
        "rate": audio.rate,
        "onsets_60s": asdict(report),
    }
    if option is None or sizes.runs < 3:  # the 6-hour check: full runs with a rate option
        result["six_hours"] = "skipped: " + (
            "`coach render` has no sample-rate option" if option is None else "--quick"
        )
        return result
    say("coach render: the 6-hour routine at 8 kHz")
    long_routine = runner.workdir / "six-hours.yaml"
    long_routine.write_text(data.six_hour_routine(), encoding="utf-8")
    long_wav = runner.workdir / "six-hours.wav"
    render(runner, long_routine, long_wav, 8000, help_text)
    audio = audio_check.read_wav(long_wav)
    scheduled = audio_check.scheduled_samples(
        scheduled_beats(long_routine), audio.rate, len(audio.samples)
    )
    result["onsets_6h"] = asdict(audio_check.compare(audio_check.onsets(audio), scheduled))
    long_wav.unlink()
    return result


# -- diagnostics (not bars) ----------------------------------------------------------------


def diagnostics(
    runner: Runner, homes: Homes, out_dir: Path, say: Callable[[str], None]
) -> dict[str, str]:
    """Start-up profiles and import times, written to files: diagnostics, not bars.

    These processes are modified (a profiler, -X importtime), which is why no bar uses them.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    markers = home_markers(homes.start)
    say("diagnostic: python -X importtime -m coach --help")
    log = out_dir / "importtime-help.txt"
    subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "coach", "--help"],
        env=runner.plain_env(homes.start),
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        timeout=TIMEOUT,
    )
    written["importtime of `coach --help`"] = str(log)
    say("diagnostic: python -X importtime -m coach (home, on a terminal)")
    # Textual draws on stderr, where -X importtime writes too: its lines are picked out
    # of the terminal's stream.
    stream = runner.workdir / "importtime-home.stream"
    child = runner.spawn(
        [sys.executable, "-X", "importtime", "-m", "coach"], home=homes.start, record=stream
    )
    child.watch("drawn", *markers.all)
    child.wait_for("drawn", TIMEOUT)
    child.end([(b"q", None)])
    log = out_dir / "importtime-home.txt"
    lines = re.findall(rb"import time:[^\r\n\x1b]*", stream.read_bytes())
    log.write_bytes(b"\n".join(lines) + b"\n")
    written["importtime of `coach` to home"] = str(log)
    say("diagnostic: a profile of `coach` from start until home is drawn")
    report = out_dir / "profile-home"
    child = runner.python(HERE / "profile_start.py", str(report), home=homes.start)
    child.watch("drawn", *markers.all)
    child.wait_for("drawn", TIMEOUT)
    child.end([(b"q", None)])
    made = sorted(str(p) for p in out_dir.glob("profile-home*"))
    say("diagnostic: a timeline of `coach` start-up steps until home is drawn")
    report = out_dir / "timeline-home.txt"
    child = runner.python(HERE / "start_timeline.py", str(report), home=homes.start)
    child.watch("drawn", *markers.all)
    child.wait_for("drawn", TIMEOUT)
    child.settle(quiet=0.3, timeout=3.0)
    child.end([(b"q", None)])
    written["timeline of start-up steps to home"] = str(report)
    written["profile of start-up to home"] = ", ".join(made) or "(none written)"
    for name, path in (
        ("importtime of `coach --help`", out_dir / "importtime-help.txt"),
        ("importtime of `coach` to home", out_dir / "importtime-home.txt"),
    ):
        written[name] += "; slowest: " + slowest_imports(path)
    return written


def slowest_imports(log: Path, count: int = 8) -> str:
    """The top-level imports with the largest cumulative time in an -X importtime log."""
    rows = []
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        if not cumulative.isdigit():
            continue
        depth = (len(name) - len(name.lstrip())) // 2
        if depth == 0:
            rows.append((int(cumulative), name.strip()))
    rows.sort(reverse=True)
    return ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in rows[:count])


# -- the bars ------------------------------------------------------------------------------


def build_bars(
    sizes: Sizes, results: dict[str, Any], errors: dict[str, str]
) -> tuple[list[Bar], list[str]]:
    """Every bar of SPEC §8 with its verdict, and lines of diagnostics beside them."""
    walk_s = f"{sizes.walk_seconds:g} s"
    bars = {
        "validate": Bar(
            "validate", "coach routines validate (process)", "s", "≤ 0.5× minimal app to exit"
        ),
        "start": Bar(
            "start",
            f"spawn → home fully drawn ({sizes.routines} routines, {sizes.start_walks:,} walks)",
            "s",
            "≤ 1.3× minimal app drawn",
        ),
        "walk_cpu": Bar("walk_cpu", f"CPU, walk {walk_s} at 120 spm", "s", "≤ 1.0× ticker"),
        "beat_cpu": Bar("beat_cpu", "CPU of the beat stream, 60 s at 180 spm", "%", "≤ 2% core"),
        "beat_p99": Bar("beat_p99", f"beat lateness p99, {walk_s} at 180 spm", "ms", "≤ 15 ms"),
        "beat_last": Bar("beat_last", "last beat offset from schedule", "ms", "within 15 ms"),
        "onsets": Bar("onsets", "click onsets in rendered audio", "samples", "±1, zero drift"),
        "engine_time": Bar("engine_time", "6-hour routine through the engine", "s", "< 1 s"),
        "engine_drift": Bar("engine_drift", "engine drift over 6 hours", "s", "= 0"),
        "history_screen": Bar(
            "history_screen",
            f"`h` → history fully drawn ({sizes.history_walks:,} walks)",
            "s",
            "≤ 0.5 s",
        ),
        "history_json": Bar(
            "history_json",
            f"coach history --format json ({sizes.history_walks:,} walks)",
            "s",
            "≤ 1 s",
        ),
        "show": Bar("show", f"coach routines show, {sizes.show_segments:,} segments", "s", "≤ 2 s"),
        "walk_memory": Bar("walk_memory", "peak memory during a walk (VmHWM)", "MB", "≤ 100 MB"),
    }
    info: list[str] = []

    def figure(bar_id: str, value: float, limit: float, baseline: float | None = None) -> Bar:
        bar = bars[bar_id]
        bar.figure = value
        if baseline is not None:
            bar.baseline, bar.ratio = baseline, value / baseline
            bar.judge(bar.ratio <= limit)
        else:
            bar.judge(value <= limit)
        return bar

    timings = results.get("timings")
    if timings is not None:

        def med(name: str, key: str) -> float:
            return median([s[key] for s in timings[name]])

        def spread(name: str, key: str) -> str:
            values = [s[key] for s in timings[name]]
            return f"{min(values):.3f}–{max(values):.3f}"

        figure("validate", med("validate", "exit"), 0.5, med("minimal", "exit"))
        figure("start", med("home", "drawn"), 1.3, med("minimal", "drawn"))
        figure("history_screen", med("history_screen", "drawn"), 0.5)
        figure("history_json", med("history_json", "exit"), 1.0)
        bar = figure("show", med("show", "exit"), 2.0)
        growth = bar.figure / med("show_quarter", "exit") if bar.figure else math.nan
        bar.details["time at 1/4 the segments, s"] = med("show_quarter", "exit")
        bar.details["growth for 4× the segments"] = growth
        for bar_id, name, key in (
            ("validate", "validate", "exit"),
            ("start", "home", "drawn"),
            ("history_screen", "history_screen", "drawn"),
            ("history_json", "history_json", "exit"),
            ("show", "show", "exit"),
        ):
            bars[bar_id].details["samples"] = [s[key] for s in timings[name]]
        bars["history_json"].details["rows"] = timings["history_json"][-1]["rows"]
        info += [
            "spread of runs (s): "
            + "; ".join(
                f"{label} {spread(name, key)}"
                for label, name, key in (
                    ("minimal drawn", "minimal", "drawn"),
                    ("home drawn", "home", "drawn"),
                    ("minimal to exit", "minimal", "exit"),
                    ("validate", "validate", "exit"),
                    ("history screen", "history_screen", "drawn"),
                    ("history json", "history_json", "exit"),
                )
            ),
            f"home, medians from spawn: list {med('home', 'list'):.3f} s, details "
            f"{med('home', 'details'):.3f} s, footer {med('home', 'footer'):.3f} s, fully drawn "
            f"{med('home', 'drawn'):.3f} s (list alone "
            f"{med('home', 'list') / med('minimal', 'drawn'):.2f}× the minimal app drawn); "
            f"to exit after q {med('home', 'exit'):.3f} s",
            f"minimal app, medians from spawn: Static {med('minimal', 'static'):.3f} s, footer "
            f"(fully drawn) {med('minimal', 'drawn'):.3f} s, to exit after ctrl+q "
            f"{med('minimal', 'exit'):.3f} s",
            f"routines show: {bars['show'].figure:.3f} s for {sizes.show_segments:,} segments, "
            f"{med('show_quarter', 'exit'):.3f} s for a quarter as many: ×{growth:.1f} "
            "(×4 is linear, ×16 quadratic)",
        ]
        if all("first_frame" in s for s in timings["history_screen"]):
            info.append(
                "history screen, medians from `h`: first frame "
                f"{med('history_screen', 'first_frame'):.3f} s, summary and first row "
                f"{med('history_screen', 'drawn'):.3f} s"
            )
    cpu = results.get("cpu")
    if cpu is not None:
        walk, ticker = cpu["walk"], cpu["ticker"]
        bar = figure("walk_cpu", walk.cpu, 1.0, ticker.cpu)
        bar.details = {"walk": asdict(walk), "ticker": asdict(ticker)}
        info.append(
            f"walk CPU user {walk.user:.2f} s + sys {walk.system:.2f} s over {walk.wall:.1f} s "
            f"wall; ticker user {ticker.user:.2f} s + sys {ticker.system:.2f} s over "
            f"{ticker.wall:.1f} s (both from spawn, start-up included)"
        )
        if cpu["peak_rss_mb"] is not None:
            bar = figure("walk_memory", cpu["peak_rss_mb"], 100.0)
            bar.details = {"source": "VmHWM", "ru_maxrss_mb": walk.maxrss_mb}
        else:
            bars["walk_memory"].unavailable("no /proc/PID/status (VmHWM) on this system")
    beats = results.get("beats")
    if beats is not None:
        if "p99_ms" in beats:
            figure("beat_p99", beats["p99_ms"], 15.0).details = beats
            info.append(
                f"beat lateness over {beats['changes']} phase changes: p50 {beats['p50_ms']:.1f} "
                f"ms, p99 {beats['p99_ms']:.1f} ms, max {beats['max_ms']:.1f} ms (first change "
                f"{beats['first_change_ms']:.1f} ms)"
            )
        else:
            bars["beat_p99"].unavailable("no phase changes in the trace")
        if "last_beat_offset_ms" in beats:
            bar = bars["beat_last"]
            bar.figure = beats["last_beat_offset_ms"]
            bar.judge(abs(bar.figure) <= 15.0)
            bar.details = beats
        else:
            bars["beat_last"].unavailable("fewer than two beats in the trace")
    engine = results.get("engine")
    if engine is not None:
        bar = bars["engine_time"]
        bar.figure = engine["seconds"]
        bar.judge(bar.figure < 1.0)
        bar.details = engine
        drift = max(
            engine["max_beat_drift_s"],
            engine["max_boundary_drift_s"],
            engine["end_drift_s"],
            engine["last_beat_drift_s"],
        )
        bar = bars["engine_drift"]
        bar.figure = drift
        bar.judge(drift == 0 and engine["wrong_beat_states"] == 0)
        bar.details = {k: v for k, v in engine.items() if k != "samples"}
        info.append(
            f"engine: {engine['states']:,} states over {engine['routine_seconds']:,} s, "
            f"{engine['segments']} segments, {engine['beats']:,} beats; "
            f"{engine['seconds'] / engine['states'] * 1e6:.1f} µs per step (diagnostic process)"
        )
    audio = results.get("audio")
    if audio is None:
        why = results.get("audio_missing", "not run")
        bars["beat_cpu"].unavailable(why)
        bars["onsets"].unavailable(why)
    else:
        net = max(0.0, audio["render_cpu_s"] - audio["startup_cpu_s"])
        bar = figure("beat_cpu", 100 * net / audio["audio_seconds"], 2.0)
        bar.details = {k: v for k, v in audio.items() if not k.startswith("onsets")}
        reports = [audio["onsets_60s"], *([audio["onsets_6h"]] if "onsets_6h" in audio else [])]
        bar = bars["onsets"]
        bar.figure = max(r["max_offset"] for r in reports)
        bar.judge(bar.figure <= 1 and all(r["missing"] == 0 and r["extra"] == 0 for r in reports))
        bar.details = {k: v for k, v in audio.items() if k.startswith(("onsets", "six"))}
    for key, message in errors.items():
        for bar_id in PART_BARS.get(key, ()):
            if bars[bar_id].figure is None:
                bars[bar_id].unavailable(
                    message if message.startswith("not run") else f"error: {message}"
                )
    return list(bars.values()), info


PART_BARS = {
    "timings": ("validate", "start", "history_screen", "history_json", "show"),
    "cpu": ("walk_cpu", "walk_memory"),
    "beats": ("beat_p99", "beat_last"),
    "engine": ("engine_time", "engine_drift"),
    "audio": ("beat_cpu", "onsets"),
}


# -- output --------------------------------------------------------------------------------


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:+.1f} ms" if value < 0 else f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "samples":
        return f"{value:g} samples"
    if value != 0 and abs(value) < 0.001:
        return f"{value:.2e} s"
    return f"{value:.3f} s"


def table(bars: list[Bar], info: list[str], machine_info: dict[str, Any]) -> str:
    rows = [("bar", "target", "figure", "baseline", "ratio", "result")]
    for bar in bars:
        rows.append(
            (
                bar.name,
                bar.target,
                _number(bar.figure, bar.unit),
                _number(bar.baseline, bar.unit),
                f"{bar.ratio:.2f}×" if bar.ratio is not None else "—",
                bar.status.upper() if bar.status != "n/a" else "n/a",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i in (0, 1, 5) else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"  {bar.id}: {bar.note}" for bar in bars if bar.note]
    if notes:
        lines += ["", "not measured:", *notes]
    m = machine_info
    lines += [
        "",
        *info,
        f"machine: {m['platform']} · {m['cpu']} · {m['cores']} cores · {m['implementation']} "
        f"{m['python']} · Textual {m['textual']} · load average at start "
        f"{m['load_average_at_start']}, at end {m.get('load_average_at_end')}",
    ]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "textual": package("textual"),
        "coach": package("coach"),
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, 4-second walks")
    parser.add_argument("--runs", type=int, help="rounds of process timings (default 5; quick 2)")
    parser.add_argument("--walk-seconds", type=float, help="length of each real-time walk")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--profile",
        metavar="DIR",
        nargs="?",
        const="benchmark-diagnostics",
        help="also write start-up diagnostics (profile, -X importtime) to DIR: not bars",
    )
    parser.add_argument(
        "--only",
        metavar="PARTS",
        help=f"comma-separated subset of: {', '.join(PART_BARS)} (default: all)",
    )
    args = parser.parse_args(argv)
    parts = set(args.only.split(",")) if args.only else set(PART_BARS)
    if unknown := parts - set(PART_BARS):
        parser.error(f"--only: unknown part(s) {', '.join(sorted(unknown))}")
    sizes = Sizes.quick() if args.quick else Sizes.full()
    if args.runs:
        sizes.runs = args.runs
    if args.walk_seconds:
        sizes.walk_seconds = args.walk_seconds

    def say(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    began = time.perf_counter()
    machine_info = machine()
    workdir = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    errors: dict[str, str] = {}
    results: dict[str, Any] = {}
    diagnostic_files: dict[str, str] = {}
    runner = Runner(workdir)
    try:
        homes = prepare(workdir, sizes, say)

        def attempt(key: str, measure: Callable[[], Any]) -> None:
            try:
                results[key] = measure()
            except (ChildFailed, OSError, ValueError, KeyError, RuntimeError) as exc:
                errors[key] = str(exc)
                say(f"{key} failed: {exc}")
            finally:
                runner.cleanup()

        flags = walk_flags(runner)
        if "timings" in parts:
            attempt("timings", lambda: process_timings(runner, homes, sizes, say))
        if "cpu" in parts:
            attempt("cpu", lambda: walk_cpu(runner, homes, sizes, flags, say))
        if "beats" in parts:
            attempt("beats", lambda: beat_lateness(runner, homes, sizes, flags, say))
        if "engine" in parts:
            attempt("engine", lambda: engine_runs(runner, sizes, say))
        if "audio" in parts:
            help_text = render_help(runner)
            if help_text is None:
                results["audio_missing"] = "`coach render` does not exist yet (n/a until it does)"
            else:
                attempt("audio", lambda: rendered_audio(runner, homes, sizes, help_text, say))
        for part in set(PART_BARS) - parts:
            errors[part] = "not run (--only)"
        if args.profile:
            try:
                diagnostic_files = diagnostics(runner, homes, Path(args.profile).resolve(), say)
            except (ChildFailed, OSError, RuntimeError) as exc:
                diagnostic_files = {"error": str(exc)}
            finally:
                runner.cleanup()
    finally:
        runner.cleanup()
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if hasattr(os, "getloadavg"):
        machine_info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    bars, info = build_bars(sizes, results, errors)
    for name, where in diagnostic_files.items():
        info.append(f"diagnostic, not a bar: {name}: {where}")
    info.append(
        f"sizes: {sizes.runs} rounds of process timings (medians), walks of "
        f"{sizes.walk_seconds:g} s; took {time.perf_counter() - began:.0f} s"
    )
    errors = {k: v for k, v in errors.items() if not v.startswith("not run")}
    if args.json:
        report = {
            "machine": machine_info,
            "sizes": asdict(sizes),
            "seconds": time.perf_counter() - began,
            "errors": errors,
            "bars": [asdict(bar) for bar in bars],
            "info": info,
            "diagnostics": diagnostic_files,
        }
        print(json.dumps(report, indent=2, default=str))
    else:
        print(table(bars, info, machine_info))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
