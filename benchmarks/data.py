"""Data for the benchmark: user routines and years of walks in a temporary COACH_HOME.

Everything is generated from a fixed seed, so two runs measure the same data.
Walks go in by bulk SQL through `Store.open()` (so the schema is the real, migrated
one): one transaction, `executemany`, tens of thousands of rows in about a second.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 2024

_SEGMENT_NAMES = (
    "Warm-up",
    "Easy start",
    "Settle in",
    "Steady",
    "Brisk",
    "Easy",
    "Tall walk",
    "Long strides",
    "Recover",
    "Cool-down",
    "Slow finish",
)
_INTENSITY_FOR = {"Brisk": "brisk", "Long strides": "brisk", "Steady": "moderate"}
_CUES = {
    "heel_strike": (
        "Heel first, then roll softly through to the toes",
        "Feel each heel strike as a light tap up through the legs",
        "Easy, even steps at your own rhythm",
        "Let each landing be light and even",
    ),
    "hip_rotation": (
        "Let the hips turn gently with each step",
        "Belly soft, breath easy",
        "Small, smooth hip turns; let the lower back loosen",
        "If anything pinches, make the movement smaller",
    ),
    "arm_swing": (
        "Arms swing opposite the legs, elbows soft",
        "Swing from the shoulder, hands relaxed",
        "Drive the elbows back a little more",
        "Shoulders heavy and loose",
    ),
}
_POSTURE = (
    "Walk tall and easy, crown of the head reaching up",
    "Shoulders low and relaxed, away from your ears",
    "Breathe low into the belly, then out slowly",
    "Let your jaw and face soften",
)
_NOTES = (
    "",
    "",
    "",
    "",
    "felt loose afterwards",
    "walking pad, standing desk",
    "stiff morning, better by the end",
    "cold outside; [bold]kept[/bold] it short",
    "hip a bit sore",
)


@dataclass(frozen=True)
class GeneratedRoutine:
    id: str
    name: str
    text: str
    total_seconds: int


def _clock(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}m{secs}s" if secs else f"{minutes}m"


def routine_text(rng: random.Random, number: int) -> GeneratedRoutine:
    """One valid routine: a few segments, maybe a repeat block, cues, posture, announcements."""
    routine_id = f"my-walk-{number:02d}"
    name = f"My walk {number} - " + rng.choice(("lunch loop", "desk break", "pad", "evening"))
    cadence = rng.randrange(88, 122, 2)
    lines = [
        "version: 1",
        f"name: {name}",
        "description: >",
        f"  Generated routine {number} for the benchmark; {rng.randint(2, 9)} segments",
        "  with cues that rotate, posture prompts and announcements.",
        f"tags: [{rng.choice(('beginner', 'steady', 'brisk'))}, low-back]",
        f"cadence: {cadence}",
    ]
    if rng.random() < 0.8:
        lines.append("cues:")
        for phase, cues in _CUES.items():
            chosen = rng.sample(cues, rng.randint(1, len(cues)))
            lines.append(f"  {phase}:")
            lines.extend(f"    - {cue}" for cue in chosen)
        lines.append(f"  rotate_every: {rng.choice((20, 30, 45, 60))}s")
    if rng.random() < 0.7:
        lines += ["posture:", f"  every: {rng.choice((60, 90, 120, 180))}s", "  cues:"]
        lines.extend(f"    - {cue}" for cue in rng.sample(_POSTURE, rng.randint(1, 4)))
    lines.append("segments:")
    total = 0

    def segment(indent: str, label: str, seconds: int, last: bool = False) -> list[str]:
        seg_cadence = min(170, max(50, cadence + rng.randrange(-12, 16, 2)))
        out = [
            f"{indent}- name: {label}",
            f"{indent}  duration: {_clock(seconds)}",
            f"{indent}  cadence: {seg_cadence}",
            f"{indent}  intensity: {_INTENSITY_FOR.get(label, 'easy')}",
        ]
        if rng.random() < 0.3:
            out.append(f"{indent}  note: Keep {label.lower()} comfortable; breathe.")
        if rng.random() < 0.2:
            out += [f"{indent}  cues:", f"{indent}    arm_swing: [Let the arms hang and swing]"]
        if last and rng.random() < 0.5:
            out.append(f"{indent}  posture: false")
        if seconds >= 60 and rng.random() < 0.4:
            out += [
                f"{indent}  at:",
                f"{indent}    - before_end: 10s",
                f"{indent}      say: Ten seconds.",
            ]
        return out

    seconds = rng.choice((120, 180, 300))
    lines += segment("  ", "Warm-up", seconds)
    total += seconds
    if rng.random() < 0.5:
        times = rng.randint(2, 6)
        brisk, easy = rng.choice((60, 120, 180)), rng.choice((60, 90, 120))
        lines += ["  - repeat: " + str(times), "    segments:"]
        lines += segment("      ", "Brisk", brisk)
        lines += segment("      ", "Easy", easy)
        total += times * (brisk + easy)
    for _ in range(rng.randint(1, 5)):
        seconds = rng.choice((60, 120, 180, 300, 420))
        lines += segment("  ", rng.choice(_SEGMENT_NAMES[2:9]), seconds)
        total += seconds
    seconds = rng.choice((120, 180))
    lines += segment("  ", "Cool-down", seconds, last=True)
    total += seconds
    return GeneratedRoutine(routine_id, name, "\n".join(lines) + "\n", total)


def user_routines(count: int = 50, seed: int = SEED) -> list[GeneratedRoutine]:
    rng = random.Random(seed)
    return [routine_text(rng, number) for number in range(1, count + 1)]


def write_user_routines(home: Path, count: int = 50, check: bool = True) -> list[GeneratedRoutine]:
    """Write `count` valid routines to HOME/routines; with `check`, prove each is valid."""
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    routines = user_routines(count)
    for routine in routines:
        (folder / f"{routine.id}.yaml").write_text(routine.text, encoding="utf-8")
    if check:
        from coach.core.routine import load_text

        for routine in routines:
            result = load_text(routine.text, routine.id, routine.id)
            if not result.ok:
                raise AssertionError("\n".join([routine.text, *result.report()]))
    return routines


def write_walk_routine(home: Path, routine_id: str, cadence: int, seconds: int = 120) -> Path:
    """A one-segment routine at `cadence`, for the real-time walk benchmarks."""
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{routine_id}.yaml"
    path.write_text(
        f"name: Benchmark walk at {cadence} spm\n"
        f"cadence: {cadence}\n"
        "segments:\n"
        f"  - name: Steady\n    duration: {seconds}s\n",
        encoding="utf-8",
    )
    return path


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    (home / "config.yaml").write_text(text, encoding="utf-8")


def six_hour_routine() -> str:
    """A routine of the longest allowed length (6 h) with repeats, cues and posture prompts."""
    return """\
name: Six hours
cadence: 100
cues:
  heel_strike: [Heel first, Light steps, Even steps]
  hip_rotation: [Hips turn gently, Belly soft]
  arm_swing: [Arms opposite the legs, Elbows soft, Shoulders loose]
  rotate_every: 40s
posture:
  every: 90s
  cues: [Walk tall and easy, Shoulders low and relaxed, Breathe low]
segments:
  - name: Warm-up
    duration: 10m
    cadence: 90
  - repeat: 23
    segments:
      - name: Brisk
        duration: 8m
        cadence: 117
        intensity: brisk
        at:
          - after: 4m
            say: Halfway.
      - name: Easy
        duration: 7m
        cadence: 97
  - name: Cool-down
    duration: 5m
    cadence: 83
"""


def nested_routine(outer: int, middle: int, inner: int) -> str:
    """A tiny routine whose nested repeats expand to outer × middle × inner 1-second segments."""
    return f"""\
name: Many short segments
cadence: 100
segments:
  - repeat: {outer}
    segments:
      - repeat: {middle}
        segments:
          - repeat: {inner}
            segments:
              - name: Step
                duration: 1s
"""


def beat_routine(cadence: int, seconds: int) -> str:
    """One segment at `cadence`, no cues or prompts: for rendering the beat alone."""
    return f"name: Beat at {cadence} spm\ncadence: {cadence}\nsegments:\n" + (
        f"  - name: Steady\n    duration: {seconds}s\n    posture: false\n"
    )


# -- walks ---------------------------------------------------------------------------

_STATUSES = (("completed", 0.82), ("ended_early", 0.13), ("interrupted", 0.05))
_PLACES = ("lower", "mid", "upper", "neck", "hips", "leg")
_SIGNS = ("saddle_numbness", "leg_weakness", "both_legs", "severe_pain")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _places(rng: random.Random) -> str:
    return ",".join(sorted(rng.sample(_PLACES, rng.choice((0, 1, 1, 1, 2, 3)))))


def _walk_rows(
    count: int, routines: list[GeneratedRoutine], now: datetime, seed: int
) -> Iterator[tuple[tuple[object, ...], list[tuple[object, ...]]]]:
    """(walk row, its check-in rows) for `count` walks over the last two years, oldest first."""
    import hashlib

    rng = random.Random(seed)
    hashes = {r.id: hashlib.sha256(r.text.encode()).hexdigest() for r in routines}
    span = timedelta(days=730).total_seconds()
    offsets = sorted(rng.uniform(0, span) for _ in range(count))
    weights = [1 / (rank + 1) for rank in range(len(routines))]  # some routines favoured
    statuses = [s for s, _ in _STATUSES]
    status_weights = [w for _, w in _STATUSES]
    for offset in offsets:
        routine = rng.choices(routines, weights)[0]
        started = now - timedelta(seconds=span - offset)
        status = rng.choices(statuses, status_weights)[0]
        planned = routine.total_seconds
        walked = planned if status == "completed" else round(rng.uniform(30, planned * 0.9), 1)
        paused = rng.choice((0.0, 0.0, 0.0, round(rng.uniform(5, 120), 1)))
        ended = started + timedelta(seconds=walked + paused)
        walk = (
            routine.id,
            routine.name,
            f"/home/walker/.config/coach/routines/{routine.id}.yaml",
            routine.text,
            hashes[routine.id],
            planned,
            _iso(started),
            _iso(ended),
            _iso(ended),
            walked,
            paused,
            status,
            None,
            1,  # check-in already offered: these are old walks
        )
        pain = rng.randint(1, 8)
        stiffness = min(10, max(0, pain + rng.randint(-2, 3)))
        checkins: list[tuple[object, ...]] = []
        if rng.random() < 0.85:
            note = rng.choice(_NOTES)
            checkins.append(
                ("before", _iso(started), pain, stiffness, _places(rng), None, None, "", 0, note)
            )
        if status == "completed" or rng.random() < 0.4:
            relief = rng.choice((-1, 0, 0, 1, 1, 2, 2, 3))
            after_pain = min(10, max(0, pain - relief))
            after_stiff = min(10, max(0, stiffness - rng.randint(-1, 3)))
            signs = ",".join(rng.sample(_SIGNS, 1)) if rng.random() < 0.005 else ""
            checkins.append(
                (
                    "after",
                    _iso(ended),
                    after_pain,
                    after_stiff,
                    _places(rng),
                    max(-3, min(3, relief)),
                    rng.randint(2, 8),
                    signs,
                    int(bool(signs)),
                    rng.choice(_NOTES),
                )
            )
        yield walk, checkins


_WALK_COLUMNS = (
    "routine_id, routine_name, routine_path, routine_text, routine_hash, planned_seconds, "
    "started_at, updated_at, ended_at, walked_seconds, paused_seconds, status, pid, "
    "checkin_offered"
)
_CHECKIN_COLUMNS = (
    "walk_id, kind, created_at, pain, stiffness, places, change, effort, warning_signs, "
    "flagged, notes"
)


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def populate_walks(
    home: Path,
    count: int,
    routines: list[GeneratedRoutine] | None = None,
    lone_checkins: int | None = None,
    seed: int = SEED,
) -> int:
    """Store `count` walks (with check-ins) and some lone check-ins in HOME's database.

    Returns how many check-ins were written. The database is created and migrated by
    `Store.open()`, so the rows fit whatever schema coach has today.
    """
    from coach.store import Store

    routines = routines or user_routines(50, seed)
    store = Store.open(home / "coach.db")
    db: sqlite3.Connection = store._db  # bulk SQL: the public API writes one row per call
    try:
        needed = {c.strip() for c in _WALK_COLUMNS.split(",")}
        missing = needed - _columns(db, "walks")
        if missing:
            raise RuntimeError(f"walks table lacks {sorted(missing)}; update benchmarks/data.py")
        now = datetime.now(UTC).replace(microsecond=0)
        walk_rows: list[tuple[object, ...]] = []
        checkin_rows: list[tuple[object, ...]] = []
        with db:  # one transaction
            first_id = (db.execute("SELECT coalesce(max(id), 0) FROM walks").fetchone()[0]) + 1
            for number, (walk, checkins) in enumerate(_walk_rows(count, routines, now, seed)):
                walk_rows.append(walk)
                checkin_rows.extend((first_id + number, *c) for c in checkins)
            db.executemany(
                f"INSERT INTO walks (id, {_WALK_COLUMNS}) VALUES (?, {', '.join('?' * 14)})",
                [(first_id + n, *row) for n, row in enumerate(walk_rows)],
            )
            rng = random.Random(seed + 1)
            lone = count // 10 if lone_checkins is None else lone_checkins
            span = timedelta(days=730).total_seconds()
            for _ in range(lone):
                at = now - timedelta(seconds=rng.uniform(0, span))
                pain = rng.randint(0, 9)
                checkin_rows.append(
                    (None, "alone", _iso(at), pain, rng.randint(0, 9), _places(rng), None, None,
                     "", 0, rng.choice(_NOTES))
                )  # fmt: skip
            db.executemany(
                f"INSERT INTO checkins ({_CHECKIN_COLUMNS}) VALUES ({', '.join('?' * 11)})",
                checkin_rows,
            )
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("ANALYZE")
    finally:
        store.close()
    return len(checkin_rows)


def mark_welcomed(home: Path) -> None:
    """Mark HOME as opened before, so the app skips its first-run welcome.

    The benchmark measures the app as it is used every day, not its first run.
    """
    try:
        from coach.tui.launch import WELCOMED_MARKER
    except ImportError:
        return  # a coach without a first-run welcome
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    (home / WELCOMED_MARKER).touch(mode=0o600)


def answer_warning_signs_today(home: Path) -> None:
    """Record today's warning signs as answered ("none of these"), as after the day's
    first walk: the walk benchmarks measure the walk, not the question before it."""
    from coach.store import Store

    store = Store.open(home / "coach.db")
    try:
        if hasattr(store, "add_warning_answer"):  # a coach that asks them
            store.add_warning_answer(frozenset(), walked=True)
    finally:
        store.close()


def make_home(home: Path, routines: int = 0, walks: int = 0, config: str | None = None) -> Path:
    """A COACH_HOME with `routines` user routines and `walks` walks; returns it."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    generated = write_user_routines(home, routines) if routines else None
    if walks:
        populate_walks(home, walks, generated or user_routines(50))
    if config is not None:
        write_config(home, config)
    mark_welcomed(home)
    return home


if __name__ == "__main__":
    import argparse
    import time

    parser = argparse.ArgumentParser(description="Fill a COACH_HOME with benchmark data.")
    parser.add_argument("home", type=Path)
    parser.add_argument("--routines", type=int, default=50)
    parser.add_argument("--walks", type=int, default=5000)
    args = parser.parse_args()
    began = time.perf_counter()
    make_home(args.home, args.routines, args.walks)
    print(f"{args.home}: {args.routines} routines, {args.walks} walks "
          f"in {time.perf_counter() - began:.2f}s")  # fmt: skip
