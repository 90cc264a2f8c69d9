"""`coach log`, `coach plan` and `coach programmes` as real processes; the dose across
week boundaries, daylight saving and a change of time zone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from coach.core.checkin import NOTES_MAX


def zone_where_it_is(hours: float) -> str:
    """A POSIX TZ under which the local time now is about `hours` past midnight."""
    now = datetime.now(UTC)
    past_midnight = now.hour * 60 + now.minute
    offset = round(hours * 60 - past_midnight) % (24 * 60)  # local = UTC + offset
    if offset > 12 * 60:
        offset -= 24 * 60
    sign = "-" if offset > 0 else "+"  # POSIX counts west of Greenwich as positive
    return f"LOCAL{sign}{abs(offset) // 60}:{abs(offset) % 60:02d}"


NOON = zone_where_it_is(12)  # a day's walks fit before now, whenever the tests run


def coach(
    home: Path, *args: str, tz: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "120"}
    if tz is not None:
        env["TZ"] = tz
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=cwd,
    )


def history(home: Path, tz: str | None = None) -> list[dict[str, object]]:
    proc = coach(home, "history", "--format", "json", tz=tz)
    assert proc.returncode == 0, proc.stderr
    rows: list[dict[str, object]] = json.loads(proc.stdout)
    return rows


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


# -- coach log ---------------------------------------------------------------------------

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["30 minutes"], "DURATION: `30 minutes` is not a duration"),
        (["0"], "DURATION must be more than 0"),
        (["13h"], "DURATION must be more than 0 and at most 12h"),
        (["30m", "--date", "2026-02-30"], "--date: '2026-02-30' is not a date"),
        (["30m", "--date", TOMORROW], f"--date {TOMORROW} is in the future"),
        (["30m", "--routine", "Gentle Back"], "--routine 'Gentle Back' is not a routine id"),
        (["30m", "--cadence", "300"], "--cadence must be a whole number of steps a minute"),
        (["30m", "--cadence", "fast"], "--cadence must be a whole number"),
        (["30m", "--pain-before", "11"], "--pain-before must be a whole number from 0 to 10"),
        (["30m", "--pain-after", "-1"], "--pain-after must be a whole number from 0 to 10"),
        (["30m", "--stiffness-before", "x"], "--stiffness-before must be a whole number"),
        (["30m", "--stiffness-after", "3.5"], "--stiffness-after must be a whole number"),
        (["30m", "--notes", "x" * (NOTES_MAX + 1)], "--notes: notes are"),
    ],
    ids=lambda value: value[0] if isinstance(value, list) and len(value) == 1 else None,
)
def test_log_refuses_a_bad_value_naming_it_and_saves_nothing(
    home: Path, args: list[str], message: str
) -> None:
    proc = coach(home, "log", *args)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"coach: {message}"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert history(home) == []


def test_a_logged_walk_is_marked_logged_with_its_checkins(home: Path) -> None:
    proc = coach(
        home,
        "log",
        "1h5m",
        "--date",
        "2026-03-10",
        "--routine",
        "gentle-back",
        "--cadence",
        "104",
        "--pain-before",
        "5",
        "--pain-after",
        "2",
        "--stiffness-after",
        "3",
        "--notes",
        "[b]park[/b]",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Logged walk #1: 1:05:00 on 2026-03-10, routine gentle-back")
    [row] = history(home)
    assert row["source"] == "logged"
    assert (row["routine"], row["routine_name"]) == ("gentle-back", "Gentle back loosener")
    assert (row["walked_seconds"], row["moderate_seconds"], row["easy_seconds"]) == (3900, 3900, 0)
    assert (row["pain_before"], row["pain_after"], row["stiffness_after"]) == (5, 2, 3)
    assert row["notes"] == "[b]park[/b]"
    assert str(row["date"]).startswith("2026-03-10T12:00:00")


def test_a_walk_logged_for_today_ends_now_and_begins_today(home: Path) -> None:
    zone = zone_where_it_is(0.5)  # about 00:30
    proc = coach(home, "log", "20m", tz=zone)
    assert proc.returncode == 0, proc.stderr
    [row] = history(home, zone)
    began = datetime.fromisoformat(str(row["date"]))
    assert began.time() >= time(0, 5)  # 20 minutes before about 00:30, the same day


def test_a_walk_longer_than_today_so_far_is_refused_for_today(home: Path) -> None:
    proc = coach(home, "log", "45m", tz=zone_where_it_is(0.5))
    assert proc.returncode == 1
    assert proc.stderr.startswith("coach: 45:00 is longer than today so far ("), proc.stderr
    assert " since midnight): " in proc.stderr
    assert proc.stderr.rstrip().endswith("give the day it began with --date YYYY-MM-DD")
    assert history(home) == []


def test_a_date_before_1970_is_refused(home: Path) -> None:
    proc = coach(home, "log", "30m", "--date", "0001-01-01")
    assert (proc.returncode, proc.stderr) == (
        1,
        "coach: --date 0001-01-01 is too long ago: from 1970-01-01 on\n",
    )
    assert history(home) == []


def test_a_logged_walk_without_a_cadence_counts_as_easy(home: Path) -> None:
    assert coach(home, "log", "20m", "--routine", "my-own-walk", tz=NOON).returncode == 0
    [row] = history(home)
    assert (row["routine"], row["routine_name"]) == ("my-own-walk", "my-own-walk")
    assert (row["moderate_seconds"], row["easy_seconds"]) == (0, 1200)


def test_the_history_table_marks_a_logged_walk(home: Path) -> None:
    coach(home, "log", "20m", tz=NOON)
    table = coach(home, "history", tz=NOON).stdout
    assert "logged" in table and "completed" not in table
    assert "Dose this week: 0 of 150 min moderate · 20 min easy" in table


def test_csv_ends_with_the_new_columns(home: Path) -> None:
    coach(home, "log", "20m", "--cadence", "110", tz=NOON)
    header, row = coach(home, "history", "--format", "csv").stdout.splitlines()
    assert header.endswith(",notes,source,moderate_seconds,easy_seconds")
    assert row.endswith(",logged,1200,0")


# -- the dose across weeks, daylight saving and time zones -------------------------------


DOSE = """\
import sys
from datetime import date
from coach.config import Config
from coach.planning import this_weeks_dose
from coach.store import Store
store = Store.open()
for day in sys.argv[1:]:
    dose = this_weeks_dose(store, date.fromisoformat(day), Config())
    print(f"{dose.week_start} {dose.moderate_minutes:g} {dose.easy_minutes:g}")
"""


def dose(home: Path, tz: str, *days: str) -> list[str]:
    env = {**os.environ, "COACH_HOME": str(home), "TZ": tz}
    proc = subprocess.run(
        [sys.executable, "-c", DOSE, *days], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_sunday_and_monday_fall_in_their_own_weeks(home: Path) -> None:
    coach(home, "log", "30m", "--date", "2026-05-10", "--cadence", "110", tz="Europe/London")
    coach(home, "log", "20m", "--date", "2026-05-11", tz="Europe/London")
    assert dose(home, "Europe/London", "2026-05-10", "2026-05-11") == [
        "2026-05-04 30 0",
        "2026-05-11 0 20",
    ]


def test_the_week_holds_across_the_change_to_summer_time(home: Path) -> None:
    # Europe/London's clocks went forward at 01:00 on Sunday 29 March 2026.
    for day in ("2026-03-23", "2026-03-29"):
        coach(home, "log", "30m", "--date", day, "--cadence", "100", tz="Europe/London")
    coach(home, "log", "15m", "--date", "2026-03-30", "--cadence", "100", tz="Europe/London")
    assert dose(home, "Europe/London", "2026-03-29", "2026-03-30") == [
        "2026-03-23 60 0",
        "2026-03-30 15 0",
    ]


def test_a_walk_stays_in_the_week_it_was_walked_after_a_change_of_time_zone(
    home: Path,
) -> None:
    # Monday noon in Tokyo is Sunday 20:00 in Los Angeles (the week before, there).
    coach(home, "log", "30m", "--date", "2026-05-11", "--cadence", "105", tz="Asia/Tokyo")
    assert dose(home, "America/Los_Angeles", "2026-05-10", "2026-05-11") == [
        "2026-05-04 0 0",
        "2026-05-11 30 0",
    ]


# -- coach plan --------------------------------------------------------------------------


def test_plan_without_a_plan_says_how_to_start_one(home: Path) -> None:
    proc = coach(home, "plan")
    assert proc.returncode == 0
    assert proc.stdout.startswith("No plan is active. Start one with: coach plan start walkback")


def test_plan_start_show_and_stop(home: Path) -> None:
    started = coach(home, "plan", "start", "walkback")
    assert started.returncode == 0, started.stderr
    lines = started.stdout.splitlines()
    assert lines[0] == f"Started Walk back (walkback) on {date.today().isoformat()}."
    assert lines[1] == "Starting at week 1: no walks in the last two weeks"
    assert lines[2] == "Today: 10 min"
    shown = coach(home, "plan").stdout.splitlines()
    assert shown[1] == "Week 1 of 12 · 0 of 1 session done · 0 min walked" or shown[1].startswith(
        "Week 1 of 12 · 0 of"
    )
    assert "Dose this week: 0 of 150 min moderate · 0 min easy" in shown
    again = coach(home, "plan", "start", "desk-pad")
    assert again.returncode == 1
    assert "a plan is already active (walkback); stop it first" in again.stderr
    stopped = coach(home, "plan", "stop")
    assert stopped.stdout == "Stopped Walk back (walkback) at week 1.\n"
    assert coach(home, "plan", "stop").returncode == 1


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def test_plan_lists_every_decision_newest_first(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.core.trends import week_start
    from coach.planning import start_plan
    from coach.store import Store

    monkeypatch.setenv("COACH_HOME", str(home))
    monday = week_start(date.today())
    started = monday - timedelta(days=12)  # the Wednesday two weeks ago
    store = Store.open()
    start_plan(store, "walkback", started)
    store.close()
    lines = coach(home, "plan").stdout.splitlines()
    at = lines.index("Decisions, newest first:")
    last_week = monday - timedelta(weeks=1)
    assert [re.split(r"\s{2,}", line.strip()) for line in lines[at + 1 :]] == [
        ["Week from", "Walked", "Done", "Decision"],
        [
            f"{short_date(last_week)} {last_week.year}",
            "week 1",
            "0 of 3",
            f"Held at week 1: no sessions done in the week of {short_date(last_week)}",
        ],
        [
            f"{short_date(started)} {started.year}",
            "week 1",
            "0 of 2",
            f"Held at week 1: the plan began on Wednesday {short_date(started)}, "
            "so week 1 runs again in full",
        ],
        [
            f"{short_date(started)} {started.year}",
            "Starting at week 1: no walks in the last two weeks",
        ],
    ]


def test_a_logged_walk_counts_for_the_plan(home: Path) -> None:
    coach(home, "plan", "start", "walkback")
    proc = coach(home, "log", "12m")
    assert "Plan: Week 1 of 12 · 1 of" in proc.stdout
    assert "✓ done" in coach(home, "plan").stdout


def test_plan_start_of_an_invalid_programme_names_its_errors(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nweeks:\n  - {sessions: 3, minuts: 10}\n", encoding="utf-8")
    proc = coach(home, "plan", "start", str(bad))
    assert proc.returncode == 1
    assert "bad.yaml has 2 error(s); fix them and start again" in proc.stderr
    assert "bad.yaml:3:19: error: weeks[0].minuts: unknown key" in proc.stdout
    assert "did you mean `minutes`" in proc.stdout


# -- coach plan ics ----------------------------------------------------------------------


def events(data: bytes) -> list:  # type: ignore[type-arg]
    return [c for c in Calendar.from_ical(data).walk() if c.name == "VEVENT"]


def ics(home: Path, *extra: str) -> bytes:
    env = {**os.environ, "COACH_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "plan", "ics", *extra],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_ics_lists_the_coming_sessions_at_the_preferred_time(home: Path) -> None:
    home.mkdir()
    (home / "config.yaml").write_text('plan_time: "18:15"\n', encoding="utf-8")
    coach(home, "plan", "start", "walkback")
    found = events(ics(home))
    today = date.today()
    days = [e.decoded("dtstart").date() for e in found]
    assert days[0] == today and days == sorted(days)
    assert days[-1] <= today + timedelta(weeks=5)
    first = found[0]
    start = first.decoded("dtstart")
    assert isinstance(start, datetime) and start.tzinfo is None  # floating local time
    assert (start.hour, start.minute) == (18, 15)
    assert first.decoded("dtend") - start == timedelta(minutes=10)
    assert str(first["summary"]) == "Walk: 10 min (Walk back, week 1)"
    assert str(first["uid"]) == f"walkback-{today.isoformat()}-1@coach.walking-plan"


def test_ics_uids_are_the_same_in_a_second_file(home: Path) -> None:
    coach(home, "plan", "start", "walkback")
    first = {str(e["uid"]) for e in events(ics(home))}
    second = {str(e["uid"]) for e in events(ics(home))}
    assert first == second and len(first) > 10


def test_ics_writes_a_file_with_o(home: Path, tmp_path: Path) -> None:
    coach(home, "plan", "start", "desk-pad")
    out = tmp_path / "plan.ics"
    proc = coach(home, "plan", "ics", "-o", str(out))
    assert proc.returncode == 0
    found = events(out.read_bytes())
    assert proc.stderr == f"Wrote {len(found)} session(s) to {out}\n"
    # Several sessions a day go three hours apart from the preferred time.
    times = sorted({e.decoded("dtstart").time().isoformat() for e in found})
    assert times[:2] == ["07:30:00", "10:30:00"]


def test_ics_without_a_plan_exits_1(home: Path) -> None:
    proc = coach(home, "plan", "ics")
    assert proc.returncode == 1
    assert proc.stderr == "coach: no plan is active; start one with: coach plan start ID\n"


# -- coach programmes --------------------------------------------------------------------


def test_programmes_list_shows_the_builtins(home: Path) -> None:
    rows = json.loads(coach(home, "programmes", "list", "--format", "json").stdout)
    assert [(r["id"], r["source"], r["valid"]) for r in rows] == [
        ("desk-pad", "built-in", True),
        ("walkback", "built-in", True),
    ]


def test_programmes_show_gives_each_week(home: Path) -> None:
    proc = coach(home, "programmes", "show", "desk-pad")
    assert proc.returncode == 0
    assert "desk-break" in proc.stdout and "Desk pad" in proc.stdout


def test_programmes_validate_checks_routine_ids(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: Mine\nweeks:\n  - {sessions: 2, routines: [desk-brake]}\n")
    proc = coach(home, "programmes", "validate", str(path), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{path}:3:")
    assert "desk-break" in proc.stdout  # did you mean
    assert "1 file(s): 0 valid, 1 with errors" in proc.stderr


def test_programmes_new_writes_a_valid_starter(home: Path) -> None:
    proc = coach(home, "programmes", "new", "my-plan")
    assert proc.returncode == 0
    path = Path(proc.stdout.strip())
    assert path == home / "programmes" / "my-plan.yaml"
    assert coach(home, "programmes", "validate", str(path)).returncode == 0
    assert coach(home, "programmes", "new", "my-plan").returncode == 1


def test_the_starter_says_what_counts_as_a_session_as_the_plan_counts_it(home: Path) -> None:
    from coach.core.progression import PlannedSession

    path = Path(coach(home, "programmes", "new", "my-plan").stdout.strip())
    [line] = [line for line in path.read_text().splitlines() if "minutes: 10 " in line]
    counts_from = PlannedSession(date(2026, 5, 4), 0, 0, 1, 10.0, None).counts_from
    assert f"a walk of 80% of them counts ({counts_from:.0f} of 10)" in line


def test_programmes_schema_is_json(home: Path) -> None:
    schema = json.loads(coach(home, "programmes", "schema").stdout)
    assert "weeks" in schema["properties"]


def test_the_history_footer_counts_against_the_configured_target(home: Path) -> None:
    home.mkdir()
    (home / "config.yaml").write_text("weekly_target: 90\nmoderate_cadence: 95\n")
    coach(home, "log", "20m", "--cadence", "96")
    assert "Dose this week: 20 of 90 min moderate · 0 min easy" in coach(home, "history").stdout
