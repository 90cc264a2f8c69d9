"""Every rule of programme format v1, each broken once, reported at its exact place.

A headline is `t.yaml:LINE:COL: error: KEY.PATH: message`; the tests pin the position and
key path exactly and the message by a fragment, as the routine format's tests do.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from coach.core.programme import FlareAction, ProgrammeLoadResult, Week, load_file, load_text

KNOWN = {"desk-break", "walking-pad", "gentle-back"}


def load(text: str, known: set[str] | None = KNOWN) -> ProgrammeLoadResult:
    return load_text(dedent(text), "t", "t.yaml", known_routines=known)


def error_headlines(text: str, known: set[str] | None = KNOWN) -> list[str]:
    return [d.headline("t.yaml") for d in load(text, known).errors]


def assert_only_error(text: str, where: str, fragment: str) -> None:
    errors = error_headlines(text)
    assert len(errors) == 1, errors
    assert errors[0].startswith(where + " "), errors[0]
    assert fragment in errors[0], errors[0]


def week_with(lines: str) -> str:
    """A programme whose one week starts on line 3 (`  - sessions: 3` at column 5)."""
    body = "".join(f"    {line}\n" for line in lines.splitlines())
    return f"name: Mine\nweeks:\n  - sessions: 3\n{body}"


# -- a valid file ----------------------------------------------------------------------


def test_full_programme_loads_as_written() -> None:
    result = load(
        """\
        version: 1
        name: Back to walking
        description: Ten minutes to thirty.
        tags: [beginner]
        progression: {on_flare: step_back, flare_walks: 3}
        weeks:
          - sessions: 3
            minutes: 10
            note: Easy pace.
          - sessions: 15
            per_day: 3
            routines: [desk-break, walking-pad]
        """
    )
    assert result.errors == (), result.report()
    programme = result.programme
    assert programme is not None
    assert programme.id == "t"
    assert programme.name == "Back to walking"
    assert programme.tags == ("beginner",)
    assert programme.progression.on_flare is FlareAction.STEP_BACK
    assert programme.progression.flare_walks == 3
    assert programme.weeks == (
        Week(sessions=3, minutes=10, note="Easy pace."),
        Week(sessions=15, routines=("desk-break", "walking-pad"), per_day=3),
    )
    assert programme.routine_ids == ("desk-break", "walking-pad")


def test_progression_defaults_to_hold_after_two_walks() -> None:
    programme = load("name: M\nweeks: [{sessions: 3, minutes: 10}]\n").programme
    assert programme is not None
    assert programme.progression.on_flare is FlareAction.HOLD
    assert programme.progression.flare_walks == 2


def test_a_single_routine_id_counts_as_a_list_of_one() -> None:
    programme = load(week_with("routines: desk-break")).programme
    assert programme is not None
    assert programme.weeks[0].routines == ("desk-break",)


def test_routines_take_turns_across_the_week() -> None:
    week = Week(sessions=5, routines=("a", "b"))
    assert [week.routine_for(i) for i in range(5)] == ["a", "b", "a", "b", "a"]


def test_any_routine_id_is_accepted_when_the_routines_are_not_known() -> None:
    assert error_headlines(week_with("routines: [someone-elses]"), known=None) == []


def test_programme_week_numbers_count_from_one() -> None:
    programme = load("name: M\nweeks: [{sessions: 3, minutes: 10}, {sessions: 4, minutes: 10}]\n")
    assert programme.programme is not None
    assert programme.programme.week(2).sessions == 4
    with pytest.raises(IndexError):
        programme.programme.week(0)


# -- each rule, broken -------------------------------------------------------------------


def test_unknown_top_level_key_suggests_the_close_one() -> None:
    assert_only_error(
        "name: M\nweek: []\nweeks: [{sessions: 3, minutes: 10}]\n",
        "t.yaml:2:1: error: week:",
        "did you mean `weeks`?",
    )


def test_unknown_week_key_suggests_the_close_one() -> None:
    assert_only_error(
        week_with("minutes: 10\nper_dya: 2"), "t.yaml:5:5: error: weeks[0].per_dya:", "`per_day`?"
    )


def test_unknown_key_far_from_any_lists_the_keys() -> None:
    assert_only_error(
        week_with("minutes: 10\ncolour: red"),
        "t.yaml:5:5: error: weeks[0].colour:",
        "expected one of: sessions, minutes, routines, per_day, note",
    )


def test_unknown_progression_key() -> None:
    assert_only_error(
        "name: M\nprogression: {on_flair: hold}\nweeks: [{sessions: 3, minutes: 10}]\n",
        "t.yaml:2:15: error: progression.on_flair:",
        "did you mean `on_flare`?",
    )


def test_duplicate_key_names_the_first_line() -> None:
    assert_only_error(
        week_with("minutes: 10\nsessions: 4"),
        "t.yaml:5:5: error: weeks[0].sessions:",
        "duplicate key (first given on line 3)",
    )


def test_missing_name() -> None:
    assert_only_error(
        "weeks: [{sessions: 3, minutes: 10}]\n", "t.yaml:1:1: error: name:", "missing required"
    )


def test_missing_weeks() -> None:
    assert_only_error("name: M\n", "t.yaml:1:1: error: weeks:", "missing required key `weeks`")


def test_empty_weeks() -> None:
    assert_only_error("name: M\nweeks: []\n", "t.yaml:2:8: error: weeks:", "at least one week")


def test_too_many_weeks() -> None:
    weeks = ", ".join(["{sessions: 1, minutes: 5}"] * 105)
    assert_only_error(f"name: M\nweeks: [{weeks}]\n", "t.yaml:2:8: error: weeks:", "at most 104")


def test_weeks_as_a_mapping() -> None:
    assert_only_error(
        "name: M\nweeks: {sessions: 3}\n", "t.yaml:2:8: error: weeks:", "expected a list of weeks"
    )


def test_week_as_text() -> None:
    assert_only_error(
        "name: M\nweeks: [three]\n", "t.yaml:2:9: error: weeks[0]:", "expected a week as"
    )


def test_missing_sessions() -> None:
    assert_only_error(
        "name: M\nweeks:\n  - minutes: 10\n",
        "t.yaml:3:5: error: weeks[0].sessions:",
        "missing required key `sessions`",
    )


def test_neither_minutes_nor_routines() -> None:
    assert_only_error(
        "name: M\nweeks:\n  - sessions: 3\n",
        "t.yaml:3:5: error: weeks[0]:",
        "give `minutes` (per session) or `routines`",
    )


def test_both_minutes_and_routines() -> None:
    assert_only_error(
        week_with("minutes: 10\nroutines: [desk-break]"), "t.yaml:3:5: error: weeks[0]:", "not both"
    )


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("0", "from 1 to 84, got 0"),
        ("85", "from 1 to 84, got 85"),
        ("2.5", "whole number, got a decimal number `2.5`"),
        ("three", "whole number, got text `three`"),
        ("'3'", "whole number, got text `3`"),
    ],
)
def test_sessions_out_of_range_or_not_a_number(value: str, fragment: str) -> None:
    assert_only_error(
        f"name: M\nweeks:\n  - minutes: 10\n    sessions: {value}\n",
        "t.yaml:4:15: error: weeks[0].sessions:",
        fragment,
    )


def test_sessions_that_do_not_fit_in_seven_days() -> None:
    assert_only_error(
        "name: M\nweeks:\n  - sessions: 15\n    per_day: 2\n    minutes: 5\n",
        "t.yaml:3:15: error: weeks[0].sessions:",
        "15 sessions do not fit in 7 days at 2 a day",
    )


@pytest.mark.parametrize(("value", "fragment"), [("0", "got 0"), ("13", "got 13")])
def test_per_day_out_of_range(value: str, fragment: str) -> None:
    assert_only_error(
        week_with(f"minutes: 5\nper_day: {value}"),
        "t.yaml:5:14: error: weeks[0].per_day:",
        f"from 1 to 12, {fragment}",
    )


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("0", "from 1 to 240, got 0"), ("241", "got 241"), ("10m", "whole number, got text `10m`")],
)
def test_minutes_out_of_range_or_not_a_number(value: str, fragment: str) -> None:
    assert_only_error(
        week_with(f"minutes: {value}"), "t.yaml:4:14: error: weeks[0].minutes:", fragment
    )


def test_routine_id_that_names_no_routine_suggests_a_close_one() -> None:
    assert_only_error(
        week_with("routines: [desk-brake]"),
        "t.yaml:4:16: error: weeks[0].routines[0]:",
        "no routine `desk-brake`; did you mean `desk-break`?",
    )


def test_routine_id_that_names_nothing_close_points_to_the_list() -> None:
    assert_only_error(
        week_with("routines: [zzz]"), "t.yaml:4:16: error: weeks[0].routines[0]:", "routines list"
    )


@pytest.mark.parametrize("value", ["Desk-Break", "desk break", "../desk-break", "-x"])
def test_routine_id_that_is_not_a_file_stem(value: str) -> None:
    assert_only_error(
        week_with(f"routines: ['{value}']"),
        "t.yaml:4:16: error: weeks[0].routines[0]:",
        "is not a routine id",
    )


def test_routine_id_that_is_not_text() -> None:
    assert_only_error(
        week_with("routines: [{id: x}]"),
        "t.yaml:4:16: error: weeks[0].routines[0]:",
        "expected a routine id",
    )


def test_empty_routines() -> None:
    assert_only_error(
        week_with("routines: []"), "t.yaml:4:15: error: weeks[0].routines:", "at least one"
    )


def test_too_many_routines() -> None:
    ids = ", ".join(["desk-break"] * 21)
    assert_only_error(
        week_with(f"routines: [{ids}]"), "t.yaml:4:15: error: weeks[0].routines:", "at most 20"
    )


def test_on_flare_misspelt_suggests_the_choice() -> None:
    assert_only_error(
        "name: M\nprogression: {on_flare: step back}\nweeks: [{sessions: 3, minutes: 10}]\n",
        "t.yaml:2:25: error: progression.on_flare:",
        "did you mean `step_back`?",
    )


@pytest.mark.parametrize("value", ["0", "8", "two"])
def test_flare_walks_out_of_range(value: str) -> None:
    assert_only_error(
        f"name: M\nprogression: {{flare_walks: {value}}}\nweeks: [{{sessions: 3, minutes: 10}}]\n",
        "t.yaml:2:28: error: progression.flare_walks:",
        "flare_walks must be",
    )


def test_progression_as_text() -> None:
    assert_only_error(
        "name: M\nprogression: gently\nweeks: [{sessions: 3, minutes: 10}]\n",
        "t.yaml:2:14: error: progression:",
        "expected a progression mapping",
    )


def test_version_other_than_one() -> None:
    assert_only_error(
        "version: 2\nname: M\nweeks: [{sessions: 3, minutes: 10}]\n",
        "t.yaml:1:10: error: version:",
        "only version 1 of the programme format",
    )


def test_name_too_long() -> None:
    assert_only_error(
        f"name: {'n' * 81}\nweeks: [{{sessions: 3, minutes: 10}}]\n",
        "t.yaml:1:7: error: name:",
        "at most 80",
    )


def test_week_note_too_long() -> None:
    assert_only_error(
        week_with(f"minutes: 10\nnote: {'n' * 201}"),
        "t.yaml:5:11: error: weeks[0].note:",
        "at most 200",
    )


def test_tag_that_is_not_plain_data_is_refused() -> None:
    assert_only_error(
        "name: !!python/object:os.system M\nweeks: [{sessions: 3, minutes: 10}]\n",
        "t.yaml:1:7: error: name:",
        "tag `!!python/object:os.system` is not allowed",
    )


def test_yaml_syntax_error_has_the_parser_position() -> None:
    errors = error_headlines("name: M\nweeks: [{sessions: 3\n")
    assert len(errors) == 1
    assert errors[0].startswith("t.yaml:3:1: error: (root): YAML syntax:")


def test_empty_file() -> None:
    assert_only_error("", "t.yaml:1:1: error: (root):", "a programme needs `name` and `weeks`")


def test_comments_only() -> None:
    assert_only_error("# nothing\n", "t.yaml:1:1: error: (root):", "holds only comments")


def test_root_as_a_list() -> None:
    assert_only_error("- name: M\n", "t.yaml:1:1: error: (root):", "expected a programme as")


def test_every_error_in_the_file_is_reported_at_once() -> None:
    text = """\
        name: M
        progression: {on_flare: pause}
        weeks:
          - sessions: 0
            minutes: 10
          - sessions: 3
            routines: [desk-brake]
          - sessions: 3
        """
    assert [h.split(": error: ")[0] for h in error_headlines(text)] == [
        "t.yaml:2:25",
        "t.yaml:4:15",
        "t.yaml:7:16",
        "t.yaml:8:5",
    ]


def test_excerpt_shows_the_line_and_a_caret_under_the_column() -> None:
    result = load(week_with("minutes: 500"))
    assert result.report(excerpts=True) == [
        "t.yaml:4:14: error: weeks[0].minutes: minutes (per session) must be from 1 to 240, "
        "got 500\n"
        "   4 |     minutes: 500\n"
        "     |              ^"
    ]


def test_a_steep_step_up_is_a_warning_not_an_error() -> None:
    result = load(
        "name: M\nweeks:\n  - {sessions: 3, minutes: 10}\n  - {sessions: 5, minutes: 20}\n"
    )
    assert result.ok
    assert [d.headline("t.yaml") for d in result.warnings] == [
        "t.yaml:4:5: warning: weeks[1]: a week of 100 minutes after one of 30 is a steep step; "
        "a gentler rise is easier on a back"
    ]


def test_doubling_is_not_a_steep_step() -> None:
    result = load(
        "name: M\nweeks:\n  - {sessions: 3, minutes: 10}\n  - {sessions: 3, minutes: 20}\n"
    )
    assert result.diagnostics == ()


# -- files -------------------------------------------------------------------------------


def test_file_stem_is_the_programme_id(tmp_path: Path) -> None:
    path = tmp_path / "my-plan.yaml"
    path.write_text("name: M\nweeks: [{sessions: 3, minutes: 10}]\n", encoding="utf-8")
    result = load_file(path)
    assert result.programme is not None
    assert result.programme.id == "my-plan"
    assert result.display_path == str(path)


def test_unreadable_file_is_a_diagnostic_not_an_exception(tmp_path: Path) -> None:
    result = load_file(tmp_path / "missing.yaml", "missing.yaml")
    assert not result.ok
    assert result.report()[0].startswith("missing.yaml:1:1: error: (root): cannot read the file")


def test_binary_file_is_refused_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"name: M\nweeks: \xff\n")
    assert load_file(path, "bad.yaml").report() == [
        "bad.yaml:2:8: error: (root): not UTF-8 text (byte 0xff); save it as UTF-8"
    ]
