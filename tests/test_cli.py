"""The `coach` command line: every routines command and flag, exit codes, and import cost."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coach import __version__
from coach.cli import main

REPO = Path(__file__).resolve().parent.parent
BUILTIN_IDS = sorted(p.stem for p in (REPO / "routines").glob("*.yaml"))
HEADLINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>error|warning): \S+: .+$"
)

VALID = """\
name: Short loop
cadence: 100
segments:
  - name: Walk
    duration: 2m
"""

# Three mistakes on known lines, plus a warning.
INVALID = """\
name: Broken loop
cadense: 100
segments:
  - name: Warm-up
    duration: 5 minutes
    cadence: 150
  - name: Brisk
    duration: 10m
    cadence: 115
    intensity: fast
"""

UNKNOWN_KEY = "unknown key `cadense`; did you mean `cadence`?"

WARNING_ONLY = """\
name: Slow shuffle
cadence: 50
segments:
  - name: Shuffle
    duration: 1m
"""


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty COACH_HOME, a wide plain console, and the test's own folder as cwd."""
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)
    return home


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="coach", catch_exceptions=False)


def write_mine(home: Path, routine_id: str, text: str) -> Path:
    """Put a routine in the user's routines folder under COACH_HOME."""
    folder = home / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{routine_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def listing(home: Path) -> dict[str, dict]:
    result = run("routines", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


# -- list ----------------------------------------------------------------------------


def test_list_table_names_every_builtin(cli_home: Path) -> None:
    result = run("routines", "list")
    assert result.exit_code == 0
    for routine_id in BUILTIN_IDS:
        assert routine_id in result.stdout
    assert "Gentle back loosener" in result.stdout
    assert "20:00" in result.stdout
    assert "built-in" in result.stdout


def test_list_json_gives_one_valid_builtin_row_per_file(cli_home: Path) -> None:
    rows = listing(cli_home)
    assert sorted(rows) == BUILTIN_IDS
    gentle = rows["gentle-back"]
    assert gentle["name"] == "Gentle back loosener"
    assert gentle["duration_seconds"] == 20 * 60
    assert gentle["segments"] == 5
    assert gentle["source"] == "built-in"
    assert gentle["shadows_builtin"] is False
    assert gentle["valid"] is True
    assert gentle["errors"] == 0
    assert Path(gentle["path"]).name == "gentle-back.yaml"


def test_list_includes_user_routines_from_coach_home(cli_home: Path) -> None:
    write_mine(cli_home, "short-loop", VALID)
    row = listing(cli_home)["short-loop"]
    assert row["source"] == "mine"
    assert row["valid"] is True
    assert row["duration_seconds"] == 120
    table = run("routines", "list").stdout
    assert "short-loop" in table
    assert "Short loop" in table


def test_list_says_when_a_user_routine_shadows_a_builtin(cli_home: Path) -> None:
    write_mine(cli_home, "gentle-back", VALID)
    row = listing(cli_home)["gentle-back"]
    assert row["source"] == "mine"
    assert row["shadows_builtin"] is True
    assert row["name"] == "Short loop"
    table = run("routines", "list").stdout
    assert "mine (shadows built-in)" in table
    assert "Gentle back loosener" not in table


def test_list_shows_an_invalid_user_routine_as_invalid(cli_home: Path) -> None:
    write_mine(cli_home, "broken", INVALID)
    result = run("routines", "list")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if "broken" in line)
    assert "invalid: 3 error(s)" in line
    row = listing(cli_home)["broken"]
    assert row["valid"] is False
    assert row["errors"] == 3
    assert row["name"] is None
    assert row["duration_seconds"] is None


# -- show ----------------------------------------------------------------------------


def test_show_prints_each_segment_with_start_and_totals(cli_home: Path) -> None:
    result = run("routines", "show", "gentle-back")
    assert result.exit_code == 0
    out = result.stdout
    assert "Gentle back loosener" in out
    for name in ("Easy start", "Settle in", "Steady middle", "Wind down", "Slow finish"):
        assert name in out
    assert re.search(r"18:00 .*Slow finish .*2:00 .*90 .*easy", out)
    assert "total" in out
    assert "5 segments · 20:00" in out


def test_show_labels_repeated_segments_with_their_pass(cli_home: Path) -> None:
    out = run("routines", "show", "brisk-circulation").stdout
    for n in range(1, 5):
        assert f"Brisk ({n}/4)" in out
        assert f"Easy ({n}/4)" in out
    assert "12 segments · 30:00" in out


def test_show_labels_nested_repeats_outer_count_first(cli_home: Path) -> None:
    path = cli_home.parent / "nested.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            name: Nested
            cadence: 100
            segments:
              - repeat: 2
                segments:
                  - repeat: 3
                    segments:
                      - name: Brisk
                        duration: 1m
            """
        ),
        encoding="utf-8",
    )
    out = run("routines", "show", str(path)).stdout
    assert "Brisk (1/2 · 1/3)" in out
    assert "Brisk (2/2 · 3/3)" in out
    assert "6 segments · 6:00" in out


def test_show_accepts_a_file_path(cli_home: Path) -> None:
    (cli_home.parent / "short-loop.yaml").write_text(VALID, encoding="utf-8")
    result = run("routines", "show", "short-loop.yaml")
    assert result.exit_code == 0
    assert "Short loop" in result.stdout
    assert "file" in result.stdout


def test_show_prefers_the_users_routine_over_the_builtin(cli_home: Path) -> None:
    write_mine(cli_home, "gentle-back", VALID)
    out = run("routines", "show", "gentle-back").stdout
    assert "Short loop" in out
    assert "shadows a built-in" in out


def test_show_prints_user_text_literally(cli_home: Path) -> None:
    write_mine(cli_home, "markup", VALID.replace("Short loop", "'[bold]Loud[/bold] [/x]'"))
    result = run("routines", "show", "markup")
    assert result.exit_code == 0
    assert "[bold]Loud[/bold] [/x]" in result.stdout


def test_show_unknown_routine_exits_1_with_a_suggestion(cli_home: Path) -> None:
    result = run("routines", "show", "gentle-bak")
    assert result.exit_code == 1
    assert "no routine or file named 'gentle-bak'" in result.stderr
    assert "did you mean gentle-back" in result.stderr
    assert "Traceback" not in result.output


def test_show_unknown_routine_without_close_match_points_to_list(cli_home: Path) -> None:
    result = run("routines", "show", "zzzzzzzz")
    assert result.exit_code == 1
    assert "coach routines list" in result.stderr


def test_show_invalid_routine_exits_1_with_its_diagnostics(cli_home: Path) -> None:
    write_mine(cli_home, "broken", INVALID)
    result = run("routines", "show", "broken")
    assert result.exit_code == 1
    assert f"2:1: error: cadense: {UNKNOWN_KEY}" in result.stdout
    assert "5:15: error: segments[0].duration" in result.stdout
    assert "has 3 error(s)" in result.stderr
    assert "total" not in result.stdout


# -- validate ------------------------------------------------------------------------


def test_validate_all_builtins_exits_0(cli_home: Path) -> None:
    paths = [str(REPO / "routines" / f"{r}.yaml") for r in BUILTIN_IDS]
    result = run("routines", "validate", *paths)
    assert result.exit_code == 0
    assert result.stdout == ""
    n = len(BUILTIN_IDS)
    assert f"{n} file(s): {n} valid, 0 with errors" in result.stderr


def test_validate_reports_every_error_in_headline_form(cli_home: Path) -> None:
    Path("broken.yaml").write_text(INVALID, encoding="utf-8")
    result = run("routines", "validate", "broken.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"broken.yaml:2:1: error: cadense: {UNKNOWN_KEY}",
        "broken.yaml:5:15: error: segments[0].duration: `5 minutes` is not a duration; use "
        "`45s`, `5m`, `1m30s`, `1h5m`, `2:30`, `1:02:30` or whole seconds",
        "broken.yaml:6:14: warning: segments[0].cadence: cadence 150 is outside the usual "
        "walking range 60–140: that is a jog",
        "broken.yaml:10:16: error: segments[1].intensity: intensity must be one of easy, "
        "moderate, brisk, got text `fast`",
    ]
    assert "1 file(s): 0 valid, 1 with errors (3 error(s), 1 warning(s))" in result.stderr


def test_validate_without_a_terminal_prints_no_source_excerpt(cli_home: Path) -> None:
    Path("broken.yaml").write_text(INVALID, encoding="utf-8")
    out = run("routines", "validate", "broken.yaml").stdout
    assert all(HEADLINE.match(line) for line in out.splitlines())
    assert "^" not in out


def test_validate_warnings_alone_do_not_fail(cli_home: Path) -> None:
    Path("shuffle.yaml").write_text(WARNING_ONLY, encoding="utf-8")
    result = run("routines", "validate", "shuffle.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "shuffle.yaml:2:10: warning: cadence: cadence 50 is outside the usual walking range "
        "60–140: that is a shuffle"
    ]
    assert "1 valid, 0 with errors (0 error(s), 1 warning(s))" in result.stderr


def test_validate_several_paths_fails_if_any_has_an_error(cli_home: Path) -> None:
    Path("good.yaml").write_text(VALID, encoding="utf-8")
    Path("broken.yaml").write_text(INVALID, encoding="utf-8")
    result = run("routines", "validate", "good.yaml", "broken.yaml", "good.yaml")
    assert result.exit_code == 1
    assert {HEADLINE.match(line)["path"] for line in result.stdout.splitlines()} == {"broken.yaml"}
    assert "3 file(s): 2 valid, 1 with errors" in result.stderr


def test_validate_missing_file_exits_1(cli_home: Path) -> None:
    result = run("routines", "validate", "missing.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("missing.yaml:1:1: error: (root): cannot read the file")


def test_validate_directory_exits_1(cli_home: Path) -> None:
    Path("folder").mkdir()
    result = run("routines", "validate", "folder")
    assert result.exit_code == 1
    assert "folder:1:1: error: (root): is a directory, not a routine file" in result.stdout


def test_validate_yaml_syntax_error_gives_parser_position(cli_home: Path) -> None:
    Path("syntax.yaml").write_text("name: [unclosed\ncadence: 100\n", encoding="utf-8")
    result = run("routines", "validate", "syntax.yaml")
    assert result.exit_code == 1
    match = HEADLINE.match(result.stdout.splitlines()[0])
    assert match and match["kind"] == "error"
    assert "YAML syntax" in result.stdout


def test_validate_empty_file_exits_1(cli_home: Path) -> None:
    Path("empty.yaml").write_text("", encoding="utf-8")
    result = run("routines", "validate", "empty.yaml")
    assert result.exit_code == 1
    assert "empty.yaml:1:1: error: (root): the file is empty" in result.stdout


def test_validate_without_paths_is_a_usage_error(cli_home: Path) -> None:
    result = run("routines", "validate")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


# -- new -----------------------------------------------------------------------------


def test_new_writes_a_starter_in_the_users_folder_and_prints_its_path(cli_home: Path) -> None:
    result = run("routines", "new", "lunch-walk")
    assert result.exit_code == 0
    path = Path(result.stdout.strip())
    assert path == cli_home / "routines" / "lunch-walk.yaml"
    assert path.is_file()
    assert listing(cli_home)["lunch-walk"]["source"] == "mine"


def test_new_starter_validates_without_warnings(cli_home: Path) -> None:
    path = run("routines", "new", "lunch-walk").stdout.strip()
    result = run("routines", "validate", path)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "(0 error(s), 0 warning(s))" in result.stderr


def test_new_refuses_to_overwrite(cli_home: Path) -> None:
    path = Path(run("routines", "new", "lunch-walk").stdout.strip())
    path.write_text(VALID, encoding="utf-8")
    result = run("routines", "new", "lunch-walk")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert path.read_text(encoding="utf-8") == VALID


@pytest.mark.parametrize("name", ["../escape", "a/b", "Lunch", "lunch walk", "-x", ".hidden", ""])
def test_new_rejects_unsafe_names(cli_home: Path, name: str) -> None:
    result = run("routines", "new", "--", name)
    assert result.exit_code == 1
    assert "is not a usable routine name" in result.stderr
    assert not any(cli_home.parent.rglob("*.yaml"))


def test_new_from_copies_a_builtin(cli_home: Path) -> None:
    result = run("routines", "new", "my-gentle", "--from", "gentle-back")
    assert result.exit_code == 0
    copy = Path(result.stdout.strip()).read_text(encoding="utf-8")
    original = (REPO / "routines" / "gentle-back.yaml").read_text(encoding="utf-8")
    assert copy.endswith(original)
    assert copy.startswith("# my-gentle.yaml: copied from gentle-back")
    assert listing(cli_home)["my-gentle"]["name"] == "Gentle back loosener"


def test_new_from_a_file_path_copies_it(cli_home: Path) -> None:
    Path("short-loop.yaml").write_text(VALID, encoding="utf-8")
    result = run("routines", "new", "copy", "--from", "short-loop.yaml")
    assert result.exit_code == 0
    assert Path(result.stdout.strip()).read_text(encoding="utf-8").endswith(VALID)


def test_new_from_unknown_routine_exits_1(cli_home: Path) -> None:
    result = run("routines", "new", "copy", "--from", "gentle-bak")
    assert result.exit_code == 1
    assert "did you mean gentle-back" in result.stderr
    assert not (cli_home / "routines" / "copy.yaml").exists()


def test_new_with_a_builtins_id_notes_the_shadowing(cli_home: Path) -> None:
    result = run("routines", "new", "gentle-back", "--from", "gentle-back")
    assert result.exit_code == 0
    assert "shadows the built-in" in result.stderr
    assert listing(cli_home)["gentle-back"]["shadows_builtin"] is True


# -- schema --------------------------------------------------------------------------


def test_schema_is_a_json_schema_the_builtins_satisfy(cli_home: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    yaml = pytest.importorskip("yaml")
    result = run("routines", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for routine_id in BUILTIN_IDS:
        text = (REPO / "routines" / f"{routine_id}.yaml").read_text(encoding="utf-8")
        assert not list(validator.iter_errors(yaml.safe_load(text))), routine_id


# -- global options ------------------------------------------------------------------


def test_version_prints_the_package_version(cli_home: Path) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"coach, version {__version__}"


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_commands_and_says_not_medical_advice(cli_home: Path, flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert "routines" in result.stdout
    assert "not medical advice" in " ".join(result.stdout.split())


@pytest.mark.parametrize("command", ["list", "show", "validate", "new", "schema"])
def test_every_routines_command_has_help(cli_home: Path, command: str) -> None:
    result = run("routines", command, "--help")
    assert result.exit_code == 0
    assert f"coach routines {command}" in result.stdout


def test_home_option_puts_user_routines_under_dir(
    cli_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --home sets COACH_HOME for the process; monkeypatch restores it afterwards.
    monkeypatch.setenv("COACH_HOME", str(cli_home))
    other = tmp_path / "other-home"
    result = run("--home", str(other), "routines", "new", "lunch-walk")
    assert result.exit_code == 0
    assert Path(result.stdout.strip()) == other / "routines" / "lunch-walk.yaml"
    assert not (cli_home / "routines").exists()


def test_home_option_is_read_by_list(
    cli_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_HOME", str(cli_home))
    other = tmp_path / "other-home"
    write_mine(other, "elsewhere", VALID)
    result = run("--home", str(other), "routines", "list", "--format", "json")
    assert "elsewhere" in {row["id"] for row in json.loads(result.stdout)}


def test_coach_home_env_holds_the_users_routines(cli_home: Path) -> None:
    path = Path(run("routines", "new", "lunch-walk").stdout.strip())
    assert path.parent == cli_home / "routines"
    assert listing(cli_home)["lunch-walk"]["path"] == str(path)


@pytest.mark.parametrize(
    "args",
    [
        ["walkies"],
        ["--bogus"],
        ["routines", "frobnicate"],
        ["routines", "list", "--bogus"],
        ["routines", "list", "--format", "xml"],
        ["routines", "show"],
        ["routines", "new"],
    ],
)
def test_usage_errors_exit_2(cli_home: Path, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr
    assert "Traceback" not in result.output


# -- README --------------------------------------------------------------------------


def _readme_block(marker: str) -> str:
    """The fenced block that follows `<!-- marker -->` in the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {re.escape(marker)} -->\n```\w*\n(.*?)\n```", readme, re.S)
    assert match, f"README has no block after <!-- {marker} -->"
    return match.group(1) + "\n"


def test_readme_example_routine_is_valid_without_warnings(cli_home: Path) -> None:
    Path("lunch-loop.yaml").write_text(_readme_block("example: lunch-loop.yaml"), "utf-8")
    result = run("routines", "validate", "lunch-loop.yaml")
    assert result.exit_code == 0
    assert "(0 error(s), 0 warning(s))" in result.stderr
    assert "8 segments · 25:00" in run("routines", "show", "lunch-loop.yaml").stdout


def test_readme_error_example_matches_real_output(cli_home: Path) -> None:
    Path("my-walk.yaml").write_text(_readme_block("example: my-walk.yaml"), "utf-8")
    shown = _readme_block("output: coach routines validate my-walk.yaml").splitlines()
    headlines = [line for line in shown if HEADLINE.match(line)]
    result = run("routines", "validate", "my-walk.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == headlines
    assert shown[-1] == result.stderr.strip()


# -- real processes ------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "COACH_HOME": str(home), "NO_COLOR": "1"}


def test_python_m_coach_validate_reports_and_exits_1(cli_home: Path) -> None:
    Path("broken.yaml").write_text(INVALID, encoding="utf-8")
    Path("good.yaml").write_text(VALID, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "routines", "validate", "good.yaml", "broken.yaml"],
        capture_output=True,
        text=True,
        env=_env(cli_home),
        timeout=60,
    )
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == f"broken.yaml:2:1: error: cadense: {UNKNOWN_KEY}"
    assert all(HEADLINE.match(line) for line in lines)
    assert "2 file(s): 1 valid, 1 with errors" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_python_m_coach_validate_valid_file_exits_0(cli_home: Path) -> None:
    Path("good.yaml").write_text(VALID, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "routines", "validate", "good.yaml"],
        capture_output=True,
        text=True,
        env=_env(cli_home),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""


NO_TEXTUAL = """\
import sys
from coach.cli import main

def call(*args):
    try:
        main(list(args), standalone_mode=False)
    except SystemExit:
        pass

call("--version")
call("--help")
call("routines", "--help")
call("routines", "list")
call("routines", "list", "--format", "json")
call("routines", "show", "gentle-back")
call("routines", "show", "brisk-circulation")
call("routines", "validate", sys.argv[1], sys.argv[2])
call("routines", "new", "fresh")
call("routines", "new", "copied", "--from", "gentle-back")
call("routines", "schema")
call("programmes", "list")
call("programmes", "show", "walkback")
call("programmes", "schema")
call("plan", "start", "walkback")
call("log", "20m", "--date", "2026-01-05", "--pain-before", "3", "--pain-after", "2")
call("plan")
call("plan", "ics")
call("plan", "stop")
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, loaded
print("no textual")
"""


def test_routines_commands_do_not_import_textual(cli_home: Path) -> None:
    Path("good.yaml").write_text(VALID, encoding="utf-8")
    Path("broken.yaml").write_text(INVALID, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", NO_TEXTUAL, "good.yaml", "broken.yaml"],
        capture_output=True,
        text=True,
        env=_env(cli_home),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("no textual")
    assert (cli_home / "routines" / "fresh.yaml").is_file()
    assert (cli_home / "routines" / "copied.yaml").is_file()


def test_the_app_collects_garbage_again_from_its_first_frame() -> None:
    # `_run_app` turns collection off for start-up; the first frame turns it back on,
    # with what start-up built frozen out of later collections.
    import gc

    from coach.tui.launch import YOUNG_COLLECTION_THRESHOLD, _collect_from_now_on

    thresholds = gc.get_threshold()
    gc.disable()
    try:
        _collect_from_now_on()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == YOUNG_COLLECTION_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        gc.enable()
