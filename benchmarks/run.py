"""Measure every quality bar of SPEC §8 on this machine, against baselines run alongside.

    python benchmarks/run.py            the full benchmark (a few minutes)
    python benchmarks/run.py --json     the same, as JSON on stdout
    python benchmarks/run.py --quick    tiny sizes and 5-second walks (a smoke test)

Each bar is a ratio to a baseline measured in the same invocation, or an absolute
figure. Process timings are medians of several runs, baseline and coach interleaved,
each a fresh `python` process (`sys.executable`) with its own temporary COACH_HOME.
Children get a private bytecode cache (PYTHONPYCACHEPREFIX), warmed before measuring,
so every run sees compiled bytecode as an installed coach would.
The benchmark reports; it never fails on a missed bar (exit status 0 unless it broke).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402  (benchmarks/ is not a package)


@dataclass
class Sizes:
    runs: int
    walk_seconds: float
    routines: int
    start_walks: int
    history_walks: int

    @classmethod
    def full(cls) -> Sizes:
        return cls(runs=5, walk_seconds=60.0, routines=50, start_walks=5000, history_walks=20000)

    @classmethod
    def quick(cls) -> Sizes:
        return cls(runs=2, walk_seconds=5.0, routines=50, start_walks=200, history_walks=500)


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
    status: str = "n/a"  # pass | fail | n/a (could not be measured: see note)
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def judge(self, passed: bool) -> None:
        self.passed = passed
        self.status = "pass" if passed else "fail"

    def unavailable(self, why: str) -> None:
        self.status = "n/a"
        self.note = why


@dataclass
class ChildRun:
    """One finished child process: its exit code, wall time and its own resource use."""

    returncode: int
    wall: float
    user: float
    system: float
    maxrss_mb: float  # ru_maxrss: on Linux at least the parent's size at the fork
    stdout: str
    stderr: str
    peak_rss_mb: float | None = None  # the child's own VmHWM, when it reports it
    spawned: float = 0.0  # time.monotonic() just before the child was started

    @property
    def cpu(self) -> float:
        return self.user + self.system


class Runner:
    """Starts children with a clean environment and a private, warm bytecode cache."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.pycache = workdir / "pycache"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "PYTHON"))}
        env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        env["PYTHONHASHSEED"] = "0"
        env.pop("TEXTUAL", None)
        self.env = env

    def run(
        self,
        args: Sequence[str],
        home: Path | None = None,
        extra_env: dict[str, str] | None = None,
        timeout: float = 300.0,
        cwd: Path = REPO,
    ) -> ChildRun:
        env = dict(self.env)
        if home is not None:
            env["COACH_HOME"] = str(home)
        env.update(extra_env or {})
        # Unique names: two children may run at once (the walk CPU bar runs its pair so).
        tag = f"{os.getpid()}-{threading.get_ident()}"
        out_path = self.workdir / f"child-{tag}.out"
        err_path = self.workdir / f"child-{tag}.err"
        with open(out_path, "w+b") as out, open(err_path, "w+b") as err:
            began = time.perf_counter()
            spawned = time.monotonic()
            process = subprocess.Popen(
                [sys.executable, *args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env,
                cwd=cwd,
            )
            killer = threading.Timer(timeout, process.kill)
            killer.start()
            try:
                # wait4, not wait: the child's own CPU time and peak memory.
                _, status, usage = os.wait4(process.pid, 0)
            finally:
                killer.cancel()
            wall = time.perf_counter() - began
            process.returncode = os.waitstatus_to_exitcode(status)
        return ChildRun(
            returncode=process.returncode,
            wall=wall,
            user=usage.ru_utime,
            system=usage.ru_stime,
            maxrss_mb=usage.ru_maxrss / 1024,  # Linux: kilobytes
            stdout=out_path.read_text(errors="replace"),
            stderr=err_path.read_text(errors="replace"),
            spawned=spawned,
        )

    def checked(self, args: Sequence[str], **kwargs: Any) -> ChildRun:
        result = self.run(args, **kwargs)
        if result.returncode != 0:
            raise ChildFailed(args, result)
        return result


class ChildFailed(RuntimeError):
    def __init__(self, args: Sequence[str], result: ChildRun) -> None:
        tail = (result.stderr or result.stdout).strip().splitlines()[-8:]
        super().__init__(f"{' '.join(args)} exited {result.returncode}:\n  " + "\n  ".join(tail))
        self.result = result


# -- the machine ---------------------------------------------------------------------


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


# -- measurements --------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of values."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Homes:
    validate: Path
    start: Path
    history: Path
    walk: Path


WALK_120 = "bench-walk-120"
WALK_180 = "bench-walk-180"
GENTLE_BACK = REPO / "routines" / "gentle-back.yaml"
CLI_IMPORT = (
    "import sys, time\n"
    "began = time.perf_counter()\n"
    "import coach.cli\n"
    "seconds = time.perf_counter() - began\n"
    "from click.testing import CliRunner\n"
    "CliRunner().invoke(coach.cli.main, ['routines', 'validate', sys.argv[1]])\n"
    "print(seconds, 'textual' in sys.modules)\n"
)


def prepare(workdir: Path, sizes: Sizes, say: Callable[[str], None]) -> Homes:
    began = time.perf_counter()
    homes = Homes(
        validate=workdir / "home-validate",
        start=workdir / "home-start",
        history=workdir / "home-history",
        walk=workdir / "home-walk",
    )
    homes.validate.mkdir(mode=0o700)
    routines = data.write_user_routines(homes.start, sizes.routines)
    data.populate_walks(homes.start, sizes.start_walks, routines)
    data.write_user_routines(homes.history, sizes.routines, check=False)
    data.populate_walks(homes.history, sizes.history_walks, routines)
    data.write_walk_routine(homes.walk, WALK_120, 120)
    data.write_walk_routine(homes.walk, WALK_180, 180)
    data.write_config(homes.walk, 'sound: "off"\npre_walk_checkin: false\n')
    data.answer_warning_signs_today(homes.walk)
    for home in (homes.start, homes.history, homes.walk):
        data.mark_welcomed(home)
    say(f"data ready in {time.perf_counter() - began:.1f}s")
    return homes


def history_screen_available() -> tuple[bool, str]:
    if (REPO / "coach" / "tui" / "screens" / "history.py").exists():
        return True, ""
    return False, "coach/tui/screens/history.py (HistoryScreen) does not exist yet"


def history_command_available(runner: Runner) -> tuple[bool, str]:
    probe = runner.run(["-m", "coach", "history", "--help"], home=runner.workdir / "probe")
    if probe.returncode == 0:
        return True, ""
    return False, "`coach history` does not exist yet"


def process_timings(
    runner: Runner, homes: Homes, sizes: Sizes, say: Callable[[str], None]
) -> dict[str, Any]:
    """Interleaved runs of the baseline and every whole-process command; medians."""
    history_ok, history_why = history_command_available(runner)
    screen_ok, screen_why = history_screen_available()
    screen_result = runner.workdir / "history-screen.json"
    commands: dict[str, Callable[[], float | None]] = {}
    extras: dict[str, list[Any]] = {"import": [], "screen": []}

    def first_frame(result: ChildRun, seen: Path) -> float:
        """Seconds from spawning the child to its first frame (which it timestamps)."""
        return json.loads(seen.read_text())["first_frame"] - result.spawned

    def baseline() -> float:
        seen = runner.workdir / "baseline.json"
        seen.unlink(missing_ok=True)
        result = runner.checked([str(HERE / "baseline_app.py"), str(seen)])
        extras.setdefault("baseline_frame", []).append(first_frame(result, seen))
        return result.wall

    def validate() -> float:
        args = ["-m", "coach", "routines", "validate", str(GENTLE_BACK.relative_to(REPO))]
        return runner.checked(args, home=homes.validate).wall

    def start() -> float:
        seen = runner.workdir / "home.json"
        seen.unlink(missing_ok=True)
        args = [str(HERE / "coach_app.py"), "home", str(seen)]
        result = runner.checked(args, home=homes.start)
        expect_screen(seen, "HomeScreen")
        extras.setdefault("start_exit", []).append(result.wall)
        return first_frame(result, seen)

    def history_json() -> float:
        args = ["-m", "coach", "history", "--format", "json"]
        result = runner.checked(args, home=homes.history)
        entries = json.loads(result.stdout)
        extras.setdefault("history_rows", []).append(len(entries))
        return result.wall

    def history_screen() -> float | None:
        screen_result.unlink(missing_ok=True)
        args = [str(HERE / "coach_app.py"), "history-screen", str(screen_result)]
        runner.checked(args, home=homes.history)
        outcome = json.loads(screen_result.read_text())
        if outcome.get("available", True) and outcome.get("screen", "HistoryScreen") != (
            "HistoryScreen"
        ):
            raise RuntimeError(f"expected HistoryScreen, saw {outcome}")
        extras["screen"].append(outcome)
        return outcome.get("seconds")

    def cli_import() -> float:
        result = runner.checked(["-c", CLI_IMPORT, str(GENTLE_BACK)], home=homes.validate)
        seconds, textual = result.stdout.split()
        extras["import"].append(textual == "True")
        return float(seconds)

    commands["baseline"] = baseline
    commands["validate"] = validate
    commands["start"] = start
    commands["cli_import"] = cli_import
    if history_ok:
        commands["history_json"] = history_json
    if screen_ok:
        commands["history_screen"] = history_screen

    say("warming the bytecode cache")
    for command in commands.values():
        command()
    extras["screen"].clear()
    extras["import"].clear()
    for warm_up in ("history_rows", "baseline_frame", "start_exit"):
        extras.pop(warm_up, None)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(sizes.runs):
        say(f"process timings, round {round_number + 1}/{sizes.runs}")
        for name, command in commands.items():
            value = command()
            if value is not None:
                samples[name].append(value)
    return {
        "samples": samples,
        "medians": {name: median(v) if v else None for name, v in samples.items()},
        "history_ok": history_ok,
        "history_why": history_why,
        "screen_ok": screen_ok,
        "screen_why": screen_why,
        "extras": extras,
    }


def expect_screen(seen: Path, screen: str, walking: bool = False) -> dict[str, Any]:
    """What the driver saw at its exit; RuntimeError unless it was measuring `screen`."""
    if not seen.exists():
        raise RuntimeError(f"the app never reached {screen} (no report from the driver)")
    report = json.loads(seen.read_text())
    if report["screen"] != screen or (walking and not report.get("walking")):
        raise RuntimeError(f"expected {screen}{' walking' if walking else ''}, saw {report}")
    return report


def walk_for(runner: Runner, home: Path, routine: str, seconds: float, **kwargs: Any) -> ChildRun:
    """Walk `routine` headless in real time for `seconds`; RuntimeError if no walk ran."""
    seen = runner.workdir / "walk.json"
    seen.unlink(missing_ok=True)
    args = [str(HERE / "coach_app.py"), "walk", routine, str(seconds), str(seen)]
    result = runner.checked(args, home=home, timeout=seconds + 120, **kwargs)
    report = expect_screen(seen, "WalkScreen", walking=True)
    result.peak_rss_mb = report.get("peak_rss_mb")
    return result


def walk_cpu(runner: Runner, homes: Homes, sizes: Sizes, say: Callable[[str], None]) -> dict:
    """The ticker baseline and a real-time walk at 120 spm, side by side.

    Both use a few percent of one core, so on two cores they do not compete; running
    them over the same minute exposes both to the same machine (a shared machine's
    speed drifts by a factor of two between minutes, which one-after-the-other runs
    turned into noise in the ratio).
    """
    seconds = sizes.walk_seconds
    say(f"baseline (one Static updated 6×/s) and a walk at 120 spm, together for {seconds:g}s")
    outcome: dict[str, Any] = {}

    def ticker() -> None:
        try:
            outcome["baseline"] = runner.checked(
                [str(HERE / "baseline_ticker.py"), str(seconds)], timeout=seconds + 120
            )
        except Exception as exc:  # reported by the main thread
            outcome["baseline_error"] = exc

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        walk = walk_for(runner, homes.walk, WALK_120, seconds)
    finally:
        thread.join()
    if "baseline_error" in outcome:
        raise outcome["baseline_error"]
    return {"baseline": outcome["baseline"], "walk": walk}


def beat_lateness(runner: Runner, homes: Homes, sizes: Sizes, say: Callable[[str], None]) -> dict:
    """A real-time walk at 180 spm with COACH_TRACE; lateness of every phase change."""
    seconds = sizes.walk_seconds
    trace = runner.workdir / "trace.jsonl"
    trace.unlink(missing_ok=True)
    say(f"walk at 180 spm for {seconds:g}s with COACH_TRACE")
    walk = walk_for(runner, homes.walk, WALK_180, seconds, extra_env={"COACH_TRACE": str(trace)})
    records = [json.loads(line) for line in trace.read_text().splitlines() if line.strip()]
    return {"walk": walk, **lateness(records, cadence=180)}


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


def engine_runs(runner: Runner, sizes: Sizes, say: Callable[[str], None]) -> dict[str, Any]:
    """The 6-hour simulation in fresh processes (no state left by the runner); median time."""
    say(f"6-hour routine through the engine, {sizes.runs} runs")
    outcomes = []
    for _ in range(sizes.runs):
        result = runner.checked([str(HERE / "engine_six_hours.py")])
        outcomes.append(json.loads(result.stdout))
    times = [o["seconds"] for o in outcomes]
    return {**outcomes[-1], "seconds": median(times), "samples": times}


# -- the bars ------------------------------------------------------------------------


def build_bars(
    sizes: Sizes,
    timings: dict[str, Any] | None,
    cpu: dict[str, Any] | None,
    beats: dict[str, Any] | None,
    engine: dict[str, Any] | None,
    errors: dict[str, str],
) -> list[Bar]:
    walk_s = f"{sizes.walk_seconds:g} s"
    bars = {
        "validate": Bar(
            "validate",
            "coach routines validate gentle-back.yaml (process)",
            "s",
            "≤ 0.5× minimal app",
        ),
        "start": Bar(
            "start",
            f"app start → home first frame ({sizes.routines} routines, "
            f"{sizes.start_walks:,} walks)",
            "s",
            "≤ 1.3× minimal app",
        ),
        "walk_cpu": Bar("walk_cpu", f"CPU, walk {walk_s} at 120 spm", "s", "≤ 1.0× ticker"),
        "beat_p99": Bar("beat_p99", f"beat lateness p99, {walk_s} at 180 spm", "ms", "≤ 15 ms"),
        "beat_last": Bar("beat_last", "last beat offset from schedule", "ms", "within 15 ms"),
        "engine_time": Bar("engine_time", "6-hour routine through the engine", "s", "< 1 s"),
        "engine_drift": Bar("engine_drift", "engine drift over 6 hours", "s", "= 0"),
        "history_json": Bar(
            "history_json",
            f"coach history --format json ({sizes.history_walks:,} walks, process)",
            "s",
            "≤ 1 s",
        ),
        "history_screen": Bar(
            "history_screen",
            f"history screen first frame ({sizes.history_walks:,} walks)",
            "s",
            "≤ 0.5 s",
        ),
        "walk_memory": Bar("walk_memory", "peak memory during a walk (RSS)", "MB", "≤ 100 MB"),
    }

    if timings is not None:
        medians = timings["medians"]
        base = medians["baseline"]
        # validate: whole process against the minimal app's start-to-exit; start: spawn to
        # the first frame of home against spawn to the minimal app's first frame.
        frames = timings["extras"]["baseline_frame"]
        for key, limit, against, base_samples in (
            ("validate", 0.5, base, timings["samples"]["baseline"]),
            ("start", 1.3, median(frames), frames),
        ):
            bar = bars[key]
            bar.figure, bar.baseline = medians[key], against
            bar.ratio = bar.figure / against
            bar.judge(bar.ratio <= limit)
            bar.details["samples"] = timings["samples"][key]
            bar.details["baseline_samples"] = base_samples
        bars["start"].details["to exit, s (median)"] = median(timings["extras"]["start_exit"])
        bars["start"].details["minimal app to exit, s (median)"] = base
        imports = timings["extras"]["import"]
        bars["validate"].details["coach.cli import s (median)"] = medians["cli_import"]
        bars["validate"].details["textual imported by routines validate"] = any(imports)
        bars["start"].details["coach.cli import s (median)"] = medians["cli_import"]
        bar = bars["history_json"]
        if timings["history_ok"]:
            bar.figure = medians["history_json"]
            bar.judge(bar.figure <= 1.0)
            bar.details["samples"] = timings["samples"]["history_json"]
            bar.details["rows"] = timings["extras"].get("history_rows", [None])[-1]
        else:
            bar.unavailable(timings["history_why"])
        bar = bars["history_screen"]
        if not timings["screen_ok"]:
            bar.unavailable(timings["screen_why"])
        else:
            outcomes = timings["extras"]["screen"]
            if outcomes and not outcomes[-1].get("available", True):
                bar.unavailable(outcomes[-1].get("reason", "HistoryScreen not importable"))
            elif medians.get("history_screen") is None:
                bar.unavailable(f"not measured: {outcomes[-1] if outcomes else 'no result'}")
            else:
                bar.figure = medians["history_screen"]
                bar.judge(bar.figure <= 0.5)
                bar.details["samples"] = timings["samples"]["history_screen"]
                bar.details["first_frame_before_data_s"] = median(
                    [o["first_frame_seconds"] for o in outcomes if "first_frame_seconds" in o]
                    or [math.nan]
                )
                rows = [o["rows_frame_seconds"] for o in outcomes if o.get("rows_frame_seconds")]
                if rows:
                    bar.details["first_frame_with_table_rows_s"] = median(rows)
                bar.details["last"] = outcomes[-1]
    if cpu is not None:
        walk, ticker = cpu["walk"], cpu["baseline"]
        bar = bars["walk_cpu"]
        bar.figure, bar.baseline = walk.cpu, ticker.cpu
        bar.ratio = walk.cpu / ticker.cpu
        bar.judge(bar.ratio <= 1.0)
        bar.details = {
            "walk_user_s": walk.user,
            "walk_sys_s": walk.system,
            "walk_wall_s": walk.wall,
            "ticker_user_s": ticker.user,
            "ticker_sys_s": ticker.system,
            "ticker_wall_s": ticker.wall,
        }
        bar = bars["walk_memory"]
        # The walk's own high-water mark (VmHWM); ru_maxrss only where that is unknown.
        own = walk.peak_rss_mb
        bar.figure = own if own is not None else walk.maxrss_mb
        bar.judge(bar.figure <= 100)
        bar.details = {
            "source": "VmHWM" if own is not None else "ru_maxrss",
            "walk_ru_maxrss_mb": walk.maxrss_mb,
            "ticker_ru_maxrss_mb": ticker.maxrss_mb,
        }
    if beats is not None:
        details = {k: v for k, v in beats.items() if k != "walk"}
        bar = bars["beat_p99"]
        if "p99_ms" in beats:
            bar.figure = beats["p99_ms"]
            bar.judge(bar.figure <= 15)
            bar.details = details
        else:
            bar.unavailable("no phase changes in the trace")
        bar = bars["beat_last"]
        if "last_beat_offset_ms" in beats:
            bar.figure = beats["last_beat_offset_ms"]
            bar.judge(abs(bar.figure) <= 15)
            bar.details = details
        else:
            bar.unavailable("fewer than two beats in the trace")
    if engine is not None:
        bar = bars["engine_time"]
        bar.figure = engine["seconds"]
        bar.judge(bar.figure < 1.0)
        bar.details = engine
        bar = bars["engine_drift"]
        engine = {k: v for k, v in engine.items() if k != "samples"}
        drift = max(
            engine["max_beat_drift_s"],
            engine["max_boundary_drift_s"],
            engine["end_drift_s"],
            engine["last_beat_drift_s"],
        )
        bar.figure = drift
        bar.judge(drift == 0 and engine["wrong_beat_states"] == 0)
        bar.details = engine
    for key, message in errors.items():
        for bar_id in ERROR_BARS.get(key, ()):
            if bars[bar_id].figure is None and bars[bar_id].status == "n/a":
                skipped = message == "not run (--only)"
                bars[bar_id].unavailable(message if skipped else f"error: {message}")
    return list(bars.values())


ERROR_BARS = {
    "timings": ("validate", "start", "history_json", "history_screen"),
    "cpu": ("walk_cpu", "walk_memory"),
    "beats": ("beat_p99", "beat_last"),
    "engine": ("engine_time", "engine_drift"),
}


# -- output --------------------------------------------------------------------------


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:+.1f} ms" if value < 0 else f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "s" and value != 0 and abs(value) < 0.001:
        return f"{value:.2e} s"
    return f"{value:.3f} s"


def table(bars: list[Bar], info: dict[str, Any]) -> str:
    rows = [("bar", "figure", "baseline", "ratio", "target", "result")]
    for bar in bars:
        rows.append(
            (
                bar.name,
                _number(bar.figure, bar.unit),
                _number(bar.baseline, bar.unit),
                f"{bar.ratio:.2f}×" if bar.ratio is not None else "—",
                bar.target,
                bar.status.upper() if bar.status != "n/a" else "n/a",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i in (0, 4, 5) else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"  {bar.id}: {bar.note}" for bar in bars if bar.note]
    if notes:
        lines += ["", "not measured:", *notes]
    lines += ["", *info_lines(bars, info)]
    return "\n".join(lines)


def info_lines(bars: list[Bar], info: dict[str, Any]) -> list[str]:
    by_id = {bar.id: bar for bar in bars}
    out = []
    spreads = [
        f"{bar.id} {min(bar.details['samples']):.3f}–{max(bar.details['samples']):.3f}"
        for bar in bars
        if len(bar.details.get("samples", ())) > 1
    ]
    base = by_id["validate"].details.get("baseline_samples")
    if base:
        spreads.insert(0, f"minimal app to exit {min(base):.3f}–{max(base):.3f}")
    frames = by_id["start"].details.get("baseline_samples")
    if frames:
        spreads.insert(1, f"minimal app to first frame {min(frames):.3f}–{max(frames):.3f}")
    if spreads:
        out.append("spread of runs (s): " + "; ".join(spreads))
    start = by_id["start"].details
    if "to exit, s (median)" in start:
        out.append(
            "start to exit, for comparison (not the bar): "
            f"home {start['to exit, s (median)']:.3f} s, "
            f"minimal app {start['minimal app to exit, s (median)']:.3f} s"
        )
    if "coach.cli import s (median)" in start:
        textual = by_id["validate"].details.get("textual imported by routines validate")
        out.append(
            f"import coach.cli: {start['coach.cli import s (median)'] * 1000:.0f} ms (median); "
            f"Textual imported by `routines validate`: {'YES' if textual else 'no'}"
        )
    beat = by_id["beat_p99"].details
    if "p50_ms" in beat:
        last = beat.get("last_beat_offset_ms", float("nan"))
        schedule = beat.get("last_beat_schedule_drift_ms", float("nan"))
        out.append(
            f"beat lateness over {beat['changes']} phase changes: p50 {beat['p50_ms']:.1f} ms, "
            f"p99 {beat['p99_ms']:.1f} ms, max {beat['max_ms']:.1f} ms (first change, during "
            f"start-up: {beat['first_change_ms']:.1f} ms); last beat (step "
            f"{beat.get('last_beat_step')}) {last:+.1f} ms from plan "
            f"(its schedule {schedule:+.2f} ms)"
        )
    screen = by_id["history_screen"].details
    if "first_frame_before_data_s" in screen:
        rows = screen.get("first_frame_with_table_rows_s")
        out.append(
            f"history screen (medians): first frame (still loading) "
            f"{screen['first_frame_before_data_s']:.3f} s; first frame with table rows "
            + (f"{rows:.3f} s" if rows is not None else "—")
            + f"; first frame after its data worker finished {by_id['history_screen'].figure:.3f} s"
        )
    engine = by_id["engine_time"].details
    if engine:
        out.append(
            f"engine: {engine['states']:,} states over {engine['routine_seconds']:,} s, "
            f"{engine['segments']} segments, {engine['beats']:,} beats; "
            f"{engine['seconds'] / engine['states'] * 1e6:.1f} µs per step"
        )
    cpu = by_id["walk_cpu"].details
    if cpu:
        out.append(
            f"walk CPU user {cpu['walk_user_s']:.2f} s + sys {cpu['walk_sys_s']:.2f} s over "
            f"{cpu['walk_wall_s']:.1f} s wall; ticker user {cpu['ticker_user_s']:.2f} s + sys "
            f"{cpu['ticker_sys_s']:.2f} s over {cpu['ticker_wall_s']:.1f} s"
        )
    m = info["machine"]
    out.append(
        f"machine: {m['platform']} · {m['cpu']} · {m['cores']} cores · "
        f"{m['implementation']} {m['python']} · Textual {m['textual']} · "
        f"load at start {m['load_average_at_start']}"
    )
    out.append(
        f"sizes: {info['sizes']['runs']} runs per process timing (medians), "
        f"walks of {info['sizes']['walk_seconds']:g} s; took {info['seconds']:.0f} s"
    )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, 5-second walks")
    parser.add_argument("--runs", type=int, help="runs per process timing (default 5; quick 2)")
    parser.add_argument("--walk-seconds", type=float, help="length of each real-time walk")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--only",
        metavar="PARTS",
        help="comma-separated subset of: timings, cpu, beats, engine (default: all)",
    )
    args = parser.parse_args(argv)
    parts = set(args.only.split(",")) if args.only else set(ERROR_BARS)
    unknown = parts - set(ERROR_BARS)
    if unknown:
        parser.error(f"--only: unknown part(s) {', '.join(sorted(unknown))}")
    sizes = Sizes.quick() if args.quick else Sizes.full()
    if args.runs:
        sizes.runs = args.runs
    if args.walk_seconds:
        sizes.walk_seconds = args.walk_seconds

    def say(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    began = time.perf_counter()
    info: dict[str, Any] = {"machine": machine(), "sizes": asdict(sizes)}
    workdir = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    errors: dict[str, str] = {}
    timings = cpu = beats = engine = None
    try:
        runner = Runner(workdir)
        homes = prepare(workdir, sizes, say)

        def attempt(key: str, measure: Callable[[], Any]) -> Any:
            try:
                return measure()
            except (ChildFailed, OSError, ValueError, KeyError, RuntimeError) as exc:
                errors[key] = str(exc)
                say(f"{key} failed: {exc}")
                return None

        if "timings" in parts:
            timings = attempt("timings", lambda: process_timings(runner, homes, sizes, say))
        if "cpu" in parts:
            cpu = attempt("cpu", lambda: walk_cpu(runner, homes, sizes, say))
        if "beats" in parts:
            beats = attempt("beats", lambda: beat_lateness(runner, homes, sizes, say))
        if "engine" in parts:
            engine = attempt("engine", lambda: engine_runs(runner, sizes, say))
        for part in set(ERROR_BARS) - parts:
            errors[part] = "not run (--only)"
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    info["seconds"] = time.perf_counter() - began
    bars = build_bars(sizes, timings, cpu, beats, engine, errors)
    errors = {k: v for k, v in errors.items() if v != "not run (--only)"}
    if args.json:
        print(
            json.dumps(
                {"machine": info["machine"], "sizes": info["sizes"], "seconds": info["seconds"],
                 "errors": errors, "bars": [asdict(bar) for bar in bars]},
                indent=2,
                default=str,
            )
        )  # fmt: skip
    else:
        print(table(bars, info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
