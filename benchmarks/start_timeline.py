"""Diagnostic, not a bar: when each part of coach's start-up happens, from inside the app.

    python benchmarks/start_timeline.py REPORT [COACH ARGUMENTS...]

Wraps (in this process only) the steps of start-up with timers and runs `coach`: the
config, the store, the routine list, Textual's stylesheet parsing and applying, home's
compose and mount, the details of the highlighted routine, the footer's recompose,
layout passes, and every frame the app writes (with the marker strings it contains).
`run.py --profile` starts it on a terminal like `coach` and quits it once home is drawn;
REPORT gets one line per event, in milliseconds from this process's start. The wrappers
cost a little time themselves: these are for finding where time goes, never for bars.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BEGAN = time.perf_counter()
EVENTS: list[tuple[float, float, str]] = []  # (start ms, duration ms, what)
FRAME_TEXTS = (" Quit", "Brisk", "my-walk-01", "Last walk", " palette", "Loading")


def _ms(at: float) -> float:
    return (at - BEGAN) * 1000


def timed(owner: Any, name: str, label: str | None = None) -> None:
    """Replace owner.name (a function or method) with one that logs its start and length."""
    original = getattr(owner, name)
    what = label or f"{getattr(owner, '__name__', owner)}.{name}"

    def log(start: float) -> None:
        EVENTS.append((_ms(start), (time.perf_counter() - start) * 1000, what))

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            log(start)

    @functools.wraps(original)
    async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            log(start)

    setattr(owner, name, async_wrapper if inspect.iscoroutinefunction(original) else wrapper)


def when_imported(module: str, then: Callable[[Any], None]) -> None:
    """Call then(module) once `module` has been imported (by coach, in its own order)."""

    class Finder:
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != module:
                return None
            sys.meta_path.remove(self)
            from importlib.machinery import PathFinder

            spec = PathFinder.find_spec(fullname, path)
            if spec is None or spec.loader is None:
                return spec
            exec_module = spec.loader.exec_module

            def exec_and_wrap(loaded: Any) -> None:
                exec_module(loaded)
                then(loaded)

            spec.loader.exec_module = exec_and_wrap  # type: ignore[method-assign,assignment]
            return spec

    sys.meta_path.insert(0, Finder())


def frames(driver_module: Any) -> None:
    write = driver_module.LinuxDriver.write

    def logged(self: Any, data: str) -> None:
        if len(data) > 200:
            seen = [t.strip() for t in FRAME_TEXTS if t in data]
            EVENTS.append((_ms(time.perf_counter()), 0.0, f"frame {len(data)} chars {seen}"))
        write(self, data)

    driver_module.LinuxDriver.write = logged


def callers(owner: Any, name: str, depth: int = 4) -> None:
    """Log each call of owner.name with the functions that led to it (nearest first)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        frame = sys._getframe(1)
        chain: list[str] = []
        while frame is not None and len(chain) < depth:
            chain.append(frame.f_code.co_qualname)
            frame = frame.f_back  # type: ignore[assignment]
        EVENTS.append((_ms(time.perf_counter()), 0.0, f"{name} ← {' ← '.join(chain)}"))
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def timed_all(owner: Any, names: tuple[str, ...], prefix: str) -> None:
    for name in names:
        timed(owner, name, f"{prefix}.{name}")


def screen_hooks(module: Any) -> None:
    timed(module.Screen, "_refresh_layout", "layout")
    callers(module.Screen, "refresh_bindings")


def main(report: Path, args: list[str]) -> None:
    when_imported("coach.tui.launch", lambda m: timed(m, "run_app"))
    when_imported("coach.config", lambda m: timed(m, "load_config"))
    when_imported("coach.store.database", lambda m: timed(m.Store, "open", "Store.open"))
    when_imported("coach.library.routines", lambda m: timed(m, "list_routines"))
    when_imported("textual.drivers.linux_driver", frames)
    when_imported(
        "textual.css.stylesheet",
        lambda m: timed_all(m.Stylesheet, ("parse", "reparse", "apply", "update"), "Stylesheet"),
    )
    when_imported("textual.screen", screen_hooks)
    when_imported(
        "textual.widgets._footer", lambda m: timed(m.Footer, "recompose", "Footer.recompose")
    )
    when_imported(
        "coach.tui.screens.home",
        lambda m: timed_all(
            m.HomeScreen,
            ("compose", "on_mount", "reload", "_show_details", "_show_recent"),
            "home",
        ),
    )
    from coach.cli import main as coach  # imports count from BEGAN

    EVENTS.append((_ms(time.perf_counter()), 0.0, "coach.cli imported"))
    try:
        with contextlib.suppress(SystemExit):
            coach.main(args=args, prog_name="coach", standalone_mode=False)
    finally:
        report.write_text("\n".join([*summary(EVENTS), "", *timeline(EVENTS)]) + "\n")


def timeline(events: list[tuple[float, float, str]]) -> list[str]:
    return [f"{start:8.1f} ms {length:7.1f} ms  {what}" for start, length, what in sorted(events)]


def summary(events: list[tuple[float, float, str]]) -> list[str]:
    """Totals per timed step (count, sum) and the frames that first showed each marker."""
    totals: dict[str, list[float]] = {}
    first_shown: dict[str, float] = {}
    for start, length, what in sorted(events):
        if what.startswith("frame "):
            for text in FRAME_TEXTS:
                if repr(text.strip()) in what:
                    first_shown.setdefault(text.strip(), start)
        elif "←" not in what:
            totals.setdefault(what, []).append(length)
    lines = ["totals (count × step = ms):"]
    for what, lengths in sorted(totals.items(), key=lambda item: -sum(item[1])):
        lines.append(f"  {len(lengths):3d} × {what:40s} {sum(lengths):8.1f} ms")
    lines.append("first frame showing (ms from start):")
    lines += [
        f"  {text!r}: {at:.1f}" for text, at in sorted(first_shown.items(), key=lambda i: i[1])
    ]
    return lines


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
