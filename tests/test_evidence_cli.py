"""`coach history --effects` and `coach checkin --episode`: your own evidence, by command."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coach.cli import main
from coach.core.checkin import Checkin
from coach.core.estimates import band_estimates, routine_estimates
from coach.core.records import CheckinKind, WalkStatus
from coach.store import Store

# (routine, walked minutes, pain before, pain after); None: not rated after.
WALKS: list[tuple[str, int, int, int | None]] = [
    *[("gentle-back", 20, 6, 6 + change) for change in (-2, -3, -1, -2, -2, -3, -1, -2)],
    *[("desk-break", 10, 4, 4 + change) for change in (0, 1, 0, -1, 0, 1)],
    ("walk-tall", 22, 5, 4),
    ("walk-tall", 22, 5, 5),
    ("walk-tall", 25, 5, None),
]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    return home


@pytest.fixture
def rated(home: Path) -> Path:
    """The walks above, one a day over the last weeks."""
    store = Store.open(home / "coach.db")
    db = sqlite3.connect(home / "coach.db", isolation_level=None)
    start = datetime.now(UTC) - timedelta(days=len(WALKS) + 1)
    for day, (routine, minutes, before, after) in enumerate(WALKS):
        walk_id = store.start_walk(routine, routine, "", "x", minutes * 60)
        store.finish_walk(walk_id, WalkStatus.COMPLETED, minutes * 60, 0, 1)
        store.add_checkin(CheckinKind.BEFORE, Checkin(pain=before), walk_id)
        if after is not None:
            store.add_checkin(CheckinKind.AFTER, Checkin(pain=after), walk_id)
        started = (start + timedelta(days=day)).isoformat(timespec="seconds")
        db.execute("UPDATE walks SET started_at = ? WHERE id = ?", (started, walk_id))
    db.close()
    store.close()
    return home


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="coach")


def expected(home: Path):  # type: ignore[no-untyped-def]
    store = Store.open(home / "coach.db")
    try:
        walks = store.walk_outcomes()
    finally:
        store.close()
    return routine_estimates(walks), band_estimates(walks)


# -- --effects ----------------------------------------------------------------------------


def test_effects_table_ranks_estimates_and_says_how_many_more_the_rest_need(rated: Path) -> None:
    result = run("history", "--effects")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    routines, _ = expected(rated)
    gentle = routines.get("gentle-back")
    assert gentle is not None and gentle.low is not None and gentle.high is not None
    row = next(line for line in lines if "gentle-back" in line)
    assert row.split()[:2] == ["1", "gentle-back"]
    assert row.split()[-2:] == ["8", "8"]
    assert f"({gentle.low:.1f} to ".replace("-", "−") in row
    assert next(line for line in lines if "desk-break" in line).split()[0] == "2"
    waiting = next(line for line in lines if "walk-tall" in line)
    assert " ".join(waiting.split()) == "walk-tall 3 more rated walks to estimate 3 2"  # no rank


def test_effects_table_has_walk_lengths_too(rated: Path) -> None:
    lines = run("history", "--effects").stdout.splitlines()
    start = lines.index("By walk length (walked minutes)")
    assert any(line.split()[1:3] == ["10–20", "min"] for line in lines[start:])
    assert any("20–30 min" in line for line in lines[start:])


def test_effects_table_says_what_the_numbers_are(rated: Path) -> None:
    text = " ".join(run("history", "--effects").stdout.split())
    assert "after − before" in text
    assert "95% interval" in text
    assert "Where intervals overlap, the order may be chance." in text


def test_effects_table_fits_80_columns(rated: Path) -> None:
    assert max(len(line) for line in run("history", "--effects").stdout.splitlines()) <= 80


def test_effects_json_has_every_figure_of_both_fits(rated: Path) -> None:
    result = run("history", "--effects", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    routines, lengths = expected(rated)
    assert document["level"] == 0.95
    assert document["min_rated_walks"] == 5
    assert document["routines"]["rated_walks"] == routines.rated_walks == 16
    assert document["routines"]["overall_mean"] == pytest.approx(routines.overall_mean, abs=1e-3)
    gentle = document["routines"]["groups"][0]
    truth = routines.groups[0]
    assert gentle == {
        "routine": "gentle-back",
        "walks": 8,
        "rated_walks": 8,
        "raw_mean": -2.0,
        "estimate": pytest.approx(truth.estimate, abs=1e-3),
        "low": pytest.approx(truth.low, abs=1e-3),
        "high": pytest.approx(truth.high, abs=1e-3),
        "needed_more": 0,
        "rank": 1,
        "overlaps": list(truth.overlaps),
    }
    waiting = document["routines"]["groups"][2]
    assert (waiting["routine"], waiting["estimate"], waiting["rank"], waiting["needed_more"]) == (
        "walk-tall",
        None,
        None,
        3,
    )
    band = document["walk_lengths"]["groups"][0]
    assert (band["band"], band["shortest_minutes"], band["longest_minutes"]) == (
        "10–20 min",
        10,
        20,
    )
    assert len(document["walk_lengths"]["groups"]) == len(lengths.groups)


def test_effects_follow_the_routine_filter(rated: Path) -> None:
    document = json.loads(
        run("history", "--effects", "--format", "json", "--routine", "walk-tall").stdout
    )
    assert [g["routine"] for g in document["routines"]["groups"]] == ["walk-tall"]


def test_effects_as_csv_is_a_usage_error(home: Path) -> None:
    result = run("history", "--effects", "--format", "csv")
    assert result.exit_code == 2
    assert "--effects gives --format table or json" in result.stderr


def test_effects_without_walks_says_how_to_start(home: Path) -> None:
    result = run("history", "--effects")
    assert result.exit_code == 0
    assert result.stdout.startswith("No walks yet.")


# -- --episode ----------------------------------------------------------------------------


def coach(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COACH_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80"},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def episodes(home: Path) -> list[bool]:
    store = Store.open(home / "coach.db")
    try:
        return [answer.episode for answer in store.episode_answers()]
    finally:
        store.close()


def test_episode_yes_is_saved_and_said(home: Path) -> None:
    proc = coach(home, "checkin", "--episode", "yes")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(
        "Saved for the past month: back pain stopped your usual activities for a day or more."
    )
    assert episodes(home) == [True]


def test_episode_no_alone_saves_no_checkin(home: Path) -> None:
    proc = coach(home, "checkin", "--episode", "no")
    assert proc.returncode == 0, proc.stderr
    assert episodes(home) == [False]
    store = Store.open(home / "coach.db")
    try:
        assert store.checkins() == []
    finally:
        store.close()


def test_episode_with_other_flags_saves_both(home: Path) -> None:
    proc = coach(home, "checkin", "--pain", "4", "--episode", "no")
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.splitlines()
    assert first.startswith("Saved check-in #1")
    assert second.startswith("Saved for the past month: no day")
    assert episodes(home) == [False]


def test_an_unknown_episode_answer_is_a_usage_error_and_saves_nothing(home: Path) -> None:
    proc = coach(home, "checkin", "--episode", "maybe", "--pain", "3")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert not (home / "coach.db").exists()


def test_history_footer_shows_days_since_the_last_episode(rated: Path) -> None:
    assert coach(rated, "checkin", "--episode", "yes").returncode == 0
    proc = coach(rated, "history")
    assert proc.returncode == 0, proc.stderr
    footer = " ".join(proc.stdout.split()[-20:])
    assert "Back-pain episodes: last reported today · 20" in footer
