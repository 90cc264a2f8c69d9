"""Every rule of routine format v1 (SPEC §2), each broken once, reported at its exact place.

A headline is `t.yaml:LINE:COL: error: KEY.PATH: message`; the tests pin the position and
key path exactly and the message by a fragment, so wording can improve without churn.
"""

from __future__ import annotations

from textwrap import dedent

import pytest
import yaml

from coach.core.routine import LoadResult, StridePhase, load_text
from coach.core.routine.model import PostureOverride

# -- helpers ---------------------------------------------------------------------------


def load(text: str) -> LoadResult:
    return load_text(dedent(text), "t", "t.yaml")


def headlines(text: str) -> list[str]:
    return load(text).report()


def error_headlines(text: str) -> list[str]:
    return [d.headline("t.yaml") for d in load(text).errors]


def only_error(text: str) -> str:
    """The file's one error headline (failing if there are none or several)."""
    errors = error_headlines(text)
    assert len(errors) == 1, errors
    return errors[0]


def assert_only_error(text: str, where: str, fragment: str) -> None:
    error = only_error(text)
    assert error.startswith(where + " "), error
    assert fragment in error, error


def assert_reports(text: str, where: str, fragment: str) -> None:
    """Among possibly several diagnostics, one starts at `where` and says `fragment`."""
    found = [h for h in headlines(text) if h.startswith(where + " ")]
    assert found, headlines(text)
    assert any(fragment in h for h in found), found


def segment_with(key: str, value: str) -> str:
    """A routine whose one segment sets `key: value` on line 5 (value at column 7 + len(key))."""
    return f"name: Walk\ncadence: 100\nsegments:\n  - name: A\n    {key}: {value}\n"


def duration_routine(value: str) -> str:
    # The value starts at line 5, column 15.
    return f"name: Walk\ncadence: 100\nsegments:\n  - name: A\n    duration: {value}\n"


def cadence_routine(value: str) -> str:
    # The value starts at line 5, column 14.
    return f"name: Walk\nsegments:\n  - name: A\n    duration: 5m\n    cadence: {value}\n"


def repeat_routine(value: str) -> str:
    # The value starts at line 4, column 13.
    return (
        "name: Walk\ncadence: 100\nsegments:\n"
        f"  - repeat: {value}\n    segments:\n      - name: A\n        duration: 1m\n"
    )


def cue_routine(value: str) -> str:
    # The value starts at line 4, column 16.
    return (
        "name: Walk\ncadence: 100\ncues:\n"
        f"  heel_strike: {value}\nsegments:\n  - name: A\n    duration: 1m\n"
    )


def at_routine(item: str) -> str:
    # The item starts at line 7, column 9; the segment lasts 2m.
    return (
        "name: Walk\ncadence: 100\nsegments:\n  - name: A\n    duration: 2m\n"
        f"    at:\n      - {item}\n"
    )


# -- durations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("45s", 45),
        ("5m", 300),
        ("1m30s", 90),
        ("1h", 3600),
        ("1h5m", 3900),
        ("2:30", 150),
        ("1:02:30", 3750),
        ("90", 90),
        ("'90'", 90),
        ("'2:30'", 150),
        ("4h", 4 * 3600),
    ],
)
def test_every_duration_form_is_accepted(written: str, seconds: int) -> None:
    result = load(duration_routine(written))
    assert result.ok, result.report()
    assert result.routine is not None
    assert result.routine.segments[0].duration == seconds


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("0", "duration must be greater than 0"),
        ("0s", "duration must be greater than 0"),
        ("0:00", "duration must be greater than 0"),
        ("-5", "duration must be greater than 0"),
        ("'-5m'", "`-5m` is not a duration; use `45s`"),
        ("5x", "`5x` is not a duration; use `45s`, `5m`"),
        ("1.5", "got a decimal number `1.5`"),
        ("1.5m", "`1.5m` is not a duration"),
        ("5 m", "`5 m` is not a duration"),
        ("2:60", "`2:60` is not a duration"),
        ("''", "duration is empty"),
        ("4h1s", "duration of 4h1s is too long; at most 4h"),
        ("14401", "duration of 4h1s is too long; at most 4h"),
        ("99999999999999999999", "is too long; at most 4h"),
        ("9" * 5000, "is too long; at most 4h"),
        ("true", "got true/false `true`"),
        ("[5m]", "got a list"),
        ("{m: 5}", "got a mapping"),
        ("~", "got nothing"),
        (".inf", "got a decimal number `.inf`"),
        (".nan", "got a decimal number `.nan`"),
    ],
)
def test_bad_segment_duration_is_an_error_at_its_value(written: str, fragment: str) -> None:
    assert_only_error(
        duration_routine(written), "t.yaml:5:15: error: segments[0].duration:", fragment
    )


def test_segment_of_exactly_four_hours_is_accepted() -> None:
    assert load(duration_routine("4:00:00")).ok


def test_routine_over_six_hours_through_a_repeat_is_an_error_at_its_segments() -> None:
    text = """\
        name: Walk
        cadence: 100
        segments:
          - repeat: 2
            segments:
              - name: Long
                duration: 3h1m
        """
    assert_only_error(text, "t.yaml:4:3: error: segments:", "the routine lasts 6h2m; at most 6h")


def test_routine_of_exactly_six_hours_is_accepted() -> None:
    text = """\
        name: Walk
        cadence: 100
        segments:
          - repeat: 2
            segments:
              - name: Long
                duration: 3h
        """
    assert load(text).ok


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        pytest.param(
            "name: W\ncadence: 100\ncues:\n  rotate_every: 0s\n"
            "segments:\n  - name: A\n    duration: 1m\n",
            "t.yaml:4:17: error: cues.rotate_every:",
            "duration must be greater than 0",
            id="rotate_every",
        ),
        pytest.param(
            "name: W\ncadence: 100\nposture:\n  every: soon\n  cues: [Tall]\n"
            "segments:\n  - name: A\n    duration: 1m\n",
            "t.yaml:4:10: error: posture.every:",
            "`soon` is not a duration",
            id="posture.every",
        ),
        pytest.param(
            at_routine("{after: 1x, say: Hi}"),
            "t.yaml:7:17: error: segments[0].at[0].after:",
            "`1x` is not an offset",
            id="at.after",
        ),
    ],
)
def test_bad_duration_is_an_error_wherever_a_duration_belongs(
    text: str, where: str, fragment: str
) -> None:
    assert_only_error(text, where, fragment)


# -- cadence ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("39", "cadence (steps per minute) must be from 40 to 180, got 39"),
        ("181", "must be from 40 to 180, got 181"),
        ("0", "must be from 40 to 180, got 0"),
        ("-100", "must be from 40 to 180, got -100"),
        ("9" * 5000, "must be from 40 to 180, got 999"),
        ("100.5", "must be a whole number, got a decimal number `100.5`"),
        ("100.0", "must be a whole number, got a decimal number `100.0`"),
        ("true", "must be a whole number, got true/false `true`"),
        ("yes", "must be a whole number, got true/false `yes`"),
        ("'100'", "must be a whole number, got text `100`"),
        ("fast", "must be a whole number, got text `fast`"),
        ("[100]", "must be a whole number, got a list"),
        ("~", "must be a whole number, got nothing"),
        (".nan", "must be a whole number, got a decimal number `.nan`"),
        ("-.inf", "must be a whole number, got a decimal number `-.inf`"),
    ],
)
def test_bad_segment_cadence_is_an_error_at_its_value(written: str, fragment: str) -> None:
    assert_only_error(
        cadence_routine(written), "t.yaml:5:14: error: segments[0].cadence:", fragment
    )


def test_bad_routine_cadence_is_an_error_at_its_value() -> None:
    text = "name: Walk\ncadence: 181\nsegments:\n  - name: A\n    duration: 5m\n"
    assert_only_error(text, "t.yaml:2:10: error: cadence:", "must be from 40 to 180")


@pytest.mark.parametrize(
    ("written", "fragment"),
    [("55", "cadence 55 is outside the usual walking range"), ("150", "that is a jog")],
)
def test_unusual_cadence_is_a_warning_not_an_error(written: str, fragment: str) -> None:
    result = load(cadence_routine(written))
    assert result.ok
    assert result.errors == ()
    [warning] = result.report()
    assert warning.startswith("t.yaml:5:14: warning: segments[0].cadence: ")
    assert fragment in warning


@pytest.mark.parametrize("written", ["40", "180"])
def test_cadence_limits_are_accepted_with_a_warning(written: str) -> None:
    result = load(cadence_routine(written))
    assert result.ok
    assert len(result.warnings) == 1


@pytest.mark.parametrize("written", ["60", "100", "140"])
def test_usual_cadence_gives_no_warning(written: str) -> None:
    result = load(cadence_routine(written))
    assert result.ok
    assert result.diagnostics == ()


def test_missing_cadence_at_both_levels_is_an_error_at_the_segment_mapping() -> None:
    text = "name: Walk\nsegments:\n  - name: A\n    duration: 5m\n"
    assert_only_error(
        text, "t.yaml:3:5: error: segments[0].cadence:", "give this segment or the routine"
    )


def test_missing_cadence_inside_a_repeat_is_an_error_at_that_segment() -> None:
    text = """\
        name: Walk
        segments:
          - repeat: 2
            segments:
              - name: A
                duration: 5m
                cadence: 100
              - name: B
                duration: 5m
        """
    assert_only_error(text, "t.yaml:8:9: error: segments[0].segments[1].cadence:", "no cadence")


def test_segment_without_cadence_takes_the_routines() -> None:
    text = "name: Walk\ncadence: 100\nsegments:\n  - name: A\n    duration: 5m\n"
    result = load(text)
    assert result.ok
    assert result.diagnostics == ()


# -- repeat ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("0", "repeat must be from 1 to 50, got 0"),
        ("51", "repeat must be from 1 to 50, got 51"),
        ("-1", "repeat must be from 1 to 50, got -1"),
        ("9" * 5000, "repeat must be from 1 to 50, got 999"),
        ("two", "repeat must be a whole number, got text `two`"),
        ("2.5", "repeat must be a whole number, got a decimal number `2.5`"),
        ("true", "repeat must be a whole number, got true/false `true`"),
        (".inf", "repeat must be a whole number, got a decimal number `.inf`"),
        ("~", "repeat must be a whole number, got nothing"),
    ],
)
def test_bad_repeat_count_is_an_error_at_its_value(written: str, fragment: str) -> None:
    assert_only_error(repeat_routine(written), "t.yaml:4:13: error: segments[0].repeat:", fragment)


@pytest.mark.parametrize("written", ["1", "50"])
def test_repeat_limits_are_accepted(written: str) -> None:
    assert load(repeat_routine(written)).ok


def test_repeat_with_empty_segments_is_an_error_at_the_list() -> None:
    text = "name: Walk\ncadence: 100\nsegments:\n  - repeat: 2\n    segments: []\n"
    assert_only_error(
        text, "t.yaml:5:15: error: segments[0].segments:", "needs at least one segment"
    )


def test_repeat_without_segments_is_an_error_at_the_block() -> None:
    text = "name: Walk\ncadence: 100\nsegments:\n  - repeat: 2\n"
    assert_only_error(
        text, "t.yaml:4:5: error: segments[0].segments:", "missing required key `segments`"
    )


def nested_repeats(depth: int) -> str:
    lines = ["name: Walk", "cadence: 100", "segments:"]
    indent = "  "
    for _ in range(depth):
        lines += [f"{indent}- repeat: 2", f"{indent}  segments:"]
        indent += "    "
    lines += [f"{indent}- name: A", f"{indent}  duration: 1m"]
    return "\n".join(lines) + "\n"


def test_repeats_nested_three_deep_are_accepted() -> None:
    assert load(nested_repeats(3)).ok


def test_repeats_nested_four_deep_are_an_error_at_the_innermost_repeat() -> None:
    assert_only_error(
        nested_repeats(4),
        "t.yaml:10:25: error: segments[0].segments[0].segments[0].segments[0].repeat:",
        "repeat blocks nest at most 3 deep",
    )


def test_repeat_block_with_a_segment_key_is_an_error() -> None:
    text = (
        "name: Walk\ncadence: 100\nsegments:\n"
        "  - {repeat: 2, name: B, segments: [{name: A, duration: 1m}]}\n"
    )
    assert_only_error(
        text, "t.yaml:4:17: error: segments[0].name:", "unknown key `name` in a repeat block"
    )


# -- cue text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "where", "fragment"),
    [
        ("['']", "t.yaml:4:17: error: cues.heel_strike[0]:", "text is empty"),
        ("['   ']", "t.yaml:4:17: error: cues.heel_strike[0]:", "text is empty"),
        ("[" + "a" * 201 + "]", "t.yaml:4:17:", "is 201 characters long; at most 200"),
        ('["Ring\\x07"]', "t.yaml:4:17:", "contains the control character U+0007"),
        ('["\\e[31mred"]', "t.yaml:4:17:", "contains the control character U+001B"),
        ('["del\\x7f"]', "t.yaml:4:17:", "contains the control character U+007F"),
        ('["a\\tb"]', "t.yaml:4:17:", "contains the control character U+0009"),
        ('"two\\nlines"', "t.yaml:4:16: error: cues.heel_strike:", "must be a single line"),
        ("[]", "t.yaml:4:16: error: cues.heel_strike:", "needs at least one cue"),
        ("[" + ", ".join(["x"] * 51) + "]", "t.yaml:4:16:", "has 51 items; at most 50"),
        ("[[nested]]", "t.yaml:4:17: error: cues.heel_strike[0]:", "expected text, got a list"),
        ("~", "t.yaml:4:16: error: cues.heel_strike:", "expected a list of cues, got nothing"),
    ],
)
def test_bad_cue_text_is_an_error_at_its_value(written: str, where: str, fragment: str) -> None:
    assert_only_error(cue_routine(written), where, fragment)


def test_cue_of_200_characters_is_accepted() -> None:
    assert load(cue_routine("a" * 200)).ok


def test_markup_in_cue_text_is_kept_literally() -> None:
    result = load(cue_routine("'[bold]Land[/] softly [@click=app.quit]'"))
    assert result.routine is not None
    assert result.routine.cues.lists[StridePhase.HEEL_STRIKE] == (
        "[bold]Land[/] softly [@click=app.quit]",
    )


def test_single_cue_text_counts_as_a_list_of_one() -> None:
    result = load(cue_routine("Soft landing"))
    assert result.routine is not None
    assert result.routine.cues.lists[StridePhase.HEEL_STRIKE] == ("Soft landing",)


def test_name_over_80_characters_is_an_error() -> None:
    text = f"name: {'n' * 81}\ncadence: 100\nsegments:\n  - name: A\n    duration: 1m\n"
    assert_only_error(text, "t.yaml:1:7: error: name:", "is 81 characters long; at most 80")


def test_segment_name_over_80_characters_is_an_error() -> None:
    text = f"name: W\ncadence: 100\nsegments:\n  - name: {'n' * 81}\n    duration: 1m\n"
    assert_only_error(text, "t.yaml:4:11: error: segments[0].name:", "at most 80")


def test_name_of_80_characters_is_accepted() -> None:
    text = f"name: {'n' * 80}\ncadence: 100\nsegments:\n  - name: A\n    duration: 1m\n"
    assert load(text).ok


def test_note_may_span_lines() -> None:
    result = load(segment_with("duration: 1m\n    note", "|\n      Line one\n      Line two"))
    assert result.routine is not None
    segment = result.routine.segments[0]
    assert segment.note == "Line one\nLine two"  # type: ignore[union-attr]


def test_text_over_its_limit_is_an_error_in_say() -> None:
    assert_only_error(
        at_routine(f"{{after: 1m, say: {'s' * 201}}}"),
        "t.yaml:7:26: error: segments[0].at[0].say:",
        "is 201 characters long; at most 200",
    )


@pytest.mark.parametrize(
    ("written", "fragment"),
    [("hard", "intensity must be one of easy, moderate, brisk"), ("Brisk", "did you mean `brisk`")],
)
def test_unknown_intensity_is_an_error_at_its_value(written: str, fragment: str) -> None:
    assert_only_error(
        segment_with("duration: 1m\n    intensity", written),
        "t.yaml:6:16: error: segments[0].intensity:",
        fragment,
    )


# -- at --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "where", "fragment"),
    [
        (
            "{after: 30s, before_end: 10s, say: Both}",
            "t.yaml:7:9: error: segments[0].at[0]:",
            "give exactly one of `after` or `before_end`, not both",
        ),
        (
            "{say: Neither}",
            "t.yaml:7:9: error: segments[0].at[0]:",
            "give exactly one of `after` or `before_end`",
        ),
        (
            "{after: 2m, say: Too late}",
            "t.yaml:7:17: error: segments[0].at[0].after:",
            "2m does not fall inside the segment, which lasts 2m",
        ),
        (
            "{before_end: 3m, say: Too early}",
            "t.yaml:7:22: error: segments[0].at[0].before_end:",
            "3m does not fall inside the segment",
        ),
        (
            "{before_end: 2m, say: At the very start}",
            "t.yaml:7:22: error: segments[0].at[0].before_end:",
            "does not fall inside the segment",
        ),
        (
            "{after: 0, say: Now}",
            "t.yaml:7:17: error: segments[0].at[0].after:",
            "offset must be greater than 0",
        ),
        (
            "{after: 30s}",
            "t.yaml:7:9: error: segments[0].at[0].say:",
            "missing required key `say`",
        ),
        (
            "{after: 30s, say: ''}",
            "t.yaml:7:27: error: segments[0].at[0].say:",
            "text is empty",
        ),
        (
            "{after: 30s, say: Hi, when: now}",
            "t.yaml:7:31: error: segments[0].at[0].when:",
            "unknown key `when` in an announcement",
        ),
        ("Hello", "t.yaml:7:9: error: segments[0].at[0]:", "expected an announcement as"),
    ],
)
def test_bad_announcement_is_an_error(item: str, where: str, fragment: str) -> None:
    assert_only_error(at_routine(item), where, fragment)


def test_announcements_not_in_a_list_are_an_error() -> None:
    text = segment_with("duration: 1m\n    at", "{after: 30s, say: Hi}")
    assert_only_error(text, "t.yaml:6:9: error: segments[0].at:", "expected a list of")


@pytest.mark.parametrize("item", ["{after: 1m59s, say: Last}", "{before_end: 1s, say: Now}"])
def test_announcement_just_inside_the_segment_is_accepted(item: str) -> None:
    assert load(at_routine(item)).ok


# -- posture ---------------------------------------------------------------------------


def posture_routine(routine_posture: str, segment_posture: str | None = None) -> str:
    text = f"name: Walk\ncadence: 100\nposture: {routine_posture}\nsegments:\n"
    text += "  - name: A\n    duration: 5m\n"
    if segment_posture is not None:
        text += f"    posture: {segment_posture}\n"
    return text


def test_posture_every_under_15s_is_an_error() -> None:
    assert_only_error(
        posture_routine("{every: 14s, cues: [Tall]}"),
        "t.yaml:3:18: error: posture.every:",
        "at least 15s between them",
    )


def test_posture_every_of_15s_is_accepted() -> None:
    assert load(posture_routine("{every: 15s, cues: [Tall]}")).ok


def test_segment_posture_every_under_15s_is_an_error() -> None:
    assert_only_error(
        posture_routine("{every: 1m, cues: [Tall]}", "{every: 10s}"),
        "t.yaml:7:22: error: segments[0].posture.every:",
        "at least 15s",
    )


def test_posture_false_on_a_segment_switches_prompts_off() -> None:
    result = load(posture_routine("{every: 1m, cues: [Tall]}", "false"))
    assert result.routine is not None
    assert result.routine.segments[0].posture is False  # type: ignore[union-attr]


def test_posture_true_on_a_segment_is_an_error() -> None:
    assert_only_error(
        posture_routine("{every: 1m, cues: [Tall]}", "true"),
        "t.yaml:7:14: error: segments[0].posture:",
        "expected false (prompts off here) or a mapping",
    )


def test_posture_true_on_the_routine_is_an_error() -> None:
    assert_only_error(posture_routine("true"), "t.yaml:3:10: error: posture:", "or false")


def test_routine_posture_without_cues_is_an_error_at_the_mapping() -> None:
    assert_only_error(
        posture_routine("{every: 1m}"),
        "t.yaml:3:10: error: posture.cues:",
        "missing required key `cues`",
    )


def test_segment_posture_mapping_without_routine_posture_needs_cues() -> None:
    text = segment_with("duration: 5m\n    posture", "{every: 30s}")
    assert_only_error(
        text,
        "t.yaml:6:14: error: segments[0].posture.cues:",
        "the routine has no posture prompts to take them from",
    )


def test_segment_posture_mapping_with_routine_posture_may_give_only_every() -> None:
    result = load(posture_routine("{every: 1m, cues: [Tall]}", "{every: 30s}"))
    assert result.routine is not None
    assert result.routine.segments[0].posture == PostureOverride(every=30)  # type: ignore[union-attr]


def test_segment_posture_mapping_with_its_own_cues_needs_no_routine_posture() -> None:
    assert load(segment_with("duration: 5m\n    posture", "{cues: [Tall]}")).ok


# -- keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        pytest.param(
            "name: W\ncadense: 100\nsegments:\n  - name: A\n    duration: 1m\n",
            "t.yaml:2:1: error: cadense:",
            "unknown key `cadense`; did you mean `cadence`?",
            id="routine",
        ),
        pytest.param(
            segment_with("duration: 1m\n    intensty", "easy"),
            "t.yaml:6:5: error: segments[0].intensty:",
            "did you mean `intensity`?",
            id="segment",
        ),
        pytest.param(
            segment_with("duration: 1m\n    Duration", "2m"),
            "t.yaml:6:5: error: segments[0].Duration:",
            "did you mean `duration`?",
            id="capitalised",
        ),
        pytest.param(
            segment_with("duration: 1m\n    colour", "red"),
            "t.yaml:6:5: error: segments[0].colour:",
            "unknown key `colour` in a segment; expected one of: name, duration, cadence",
            id="no-close-match",
        ),
        pytest.param(
            cue_routine("[x]").replace("heel_strike", "heel-strike"),
            "t.yaml:4:3: error: cues.heel-strike:",
            "did you mean `heel_strike`?",
            id="cues",
        ),
        pytest.param(
            posture_routine("{evry: 1m, cues: [Tall]}"),
            "t.yaml:3:11: error: posture.evry:",
            "did you mean `every`?",
            id="posture",
        ),
        pytest.param(
            at_routine("{after: 1m, sey: Hi}"),
            "t.yaml:7:21: error: segments[0].at[0].sey:",
            "did you mean `say`?",
            id="announcement",
        ),
        pytest.param(
            "name: W\ncadence: 100\nsegments:\n  - repeats: 2\n    segments: []\n",
            "t.yaml:4:5: error: segments[0].repeats:",
            "did you mean `repeat`?",
            id="repeat-block",
        ),
    ],
)
def test_unknown_key_is_an_error_with_a_suggestion_when_one_is_close(
    text: str, where: str, fragment: str
) -> None:
    assert_reports(text, where, fragment)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name: A\nname: B\ncadence: 100\nsegments: [{name: A, duration: 1m}]\n", "t.yaml:2:1:"),
        (segment_with("duration: 1m\n    duration", "2m"), "t.yaml:6:5:"),
    ],
    ids=["routine", "segment"],
)
def test_duplicate_key_is_an_error_naming_the_first(text: str, where: str) -> None:
    error = only_error(text)
    assert error.startswith(where)
    assert "duplicate key (first given on line" in error


@pytest.mark.parametrize(
    ("key_line", "column"),
    [("~: nothing", 1), ("[a, b]: list", 1), ("? {a: 1}\n: mapping", 3)],
    ids=["null", "list", "mapping"],
)
def test_key_that_is_not_a_word_is_an_error(key_line: str, column: int) -> None:
    text = f"name: W\ncadence: 100\n{key_line}\nsegments: [{{name: A, duration: 1m}}]\n"
    assert_only_error(text, f"t.yaml:3:{column}: error: (root):", "keys must be plain words")


def test_number_key_is_an_unknown_key() -> None:
    text = "name: W\ncadence: 100\n1: one\nsegments: [{name: A, duration: 1m}]\n"
    assert_only_error(text, "t.yaml:3:1: error: 1:", "unknown key `1` in a routine")


def test_control_characters_in_a_key_never_reach_the_headline() -> None:
    text = '"\\e[2J\\e[31mboom": 1\nname: W\ncadence: 100\nsegments: [{name: A, duration: 1m}]\n'
    error = only_error(text)
    assert "\x1b" not in error
    assert error.startswith("t.yaml:1:1: error: ?[2J?[31mboom: unknown key")


def test_very_long_unknown_key_is_clipped_in_the_headline() -> None:
    text = f"name: W\ncadence: 100\n{'k' * 5000}: 1\nsegments: [{{name: A, duration: 1m}}]\n"
    assert len(only_error(text)) < 300


@pytest.mark.parametrize(
    ("missing", "text", "where"),
    [
        ("name", "cadence: 100\nsegments: [{name: A, duration: 1m}]\n", "t.yaml:1:1: error: name:"),
        ("segments", "name: W\ncadence: 100\n", "t.yaml:1:1: error: segments:"),
        ("duration", segment_with("cadence", "100"), "t.yaml:4:5: error: segments[0].duration:"),
    ],
)
def test_missing_required_key_is_an_error_at_its_mapping(
    missing: str, text: str, where: str
) -> None:
    assert_only_error(text, where, f"missing required key `{missing}`")


# -- YAML itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param(
            "name: W\ncadence: 100\nsegments:\n  - name: A\n    duration: 2m\n   bad: indent\n",
            "t.yaml:6:4:",
            id="indentation",
        ),
        pytest.param("name: W\ncadence: [100\nsegments: []\n", "t.yaml:3:9:", id="unclosed-flow"),
        pytest.param('name: "W\ncadence: 100\n', "t.yaml:3:1:", id="unclosed-quote"),
        pytest.param("name: W\n- item\n", "t.yaml:2:1:", id="mapping-then-list"),
        pytest.param("name: W: X\n", "t.yaml:1:8:", id="colon-in-plain-value"),
    ],
)
def test_yaml_syntax_error_is_reported_at_the_parsers_line_and_column(
    text: str, where: str
) -> None:
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.safe_load(text)
    mark = raised.value.problem_mark
    assert mark is not None
    assert where == f"t.yaml:{mark.line + 1}:{mark.column + 1}:"
    assert_only_error(text, f"{where} error: (root):", "YAML syntax: ")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name: W\ncadence: 100\nsegments:\n\t- name: A\n", "t.yaml:4:1:"),
        ("name: W\ncadence:\t100\n", "t.yaml:2:9:"),
    ],
    ids=["indent", "separator"],
)
def test_tab_is_an_error_saying_to_use_spaces(text: str, where: str) -> None:
    assert_only_error(text, f"{where} error: (root):", "a tab cannot indent or separate YAML")


def test_anchor_and_alias_are_refused_where_written() -> None:
    text = "name: &n Walk\ncadence: 100\nsegments:\n  - name: *n\n    duration: 1m\n"
    assert_reports(text, "t.yaml:1:7: error: (root):", "anchors (`&name`) are not supported")
    assert_reports(text, "t.yaml:4:11: error: (root):", "aliases (`*name`) are not supported")
    assert not load(text).ok


def test_merge_key_with_alias_is_refused() -> None:
    text = "base: &b {duration: 1m}\nname: W\ncadence: 100\nsegments:\n  - <<: *b\n    name: A\n"
    result = load(text)
    assert not result.ok
    assert any("aliases" in h for h in result.report())


@pytest.mark.parametrize(
    ("value_line", "where", "tag"),
    [
        ("name: !!python/object:os.system W", "t.yaml:1:7: error: name:", "!!python/object:os"),
        (
            "name: !!python/object/apply:os.system [echo hi]",
            "t.yaml:1:7: error: name:",
            "!!python/object/apply:os.system",
        ),
        ("name: !!binary aGVsbG8=", "t.yaml:1:7: error: name:", "!!binary"),
        ("name: !custom W", "t.yaml:1:7: error: name:", "!custom"),
        ("name: W\ncadence: !custom 90", "t.yaml:2:10: error: cadence:", "!custom"),
        ("name: W\ntags: !!set {a, b}", "t.yaml:2:7: error: tags:", "!!set"),
    ],
)
def test_explicit_tag_is_refused(value_line: str, where: str, tag: str) -> None:
    text = value_line + "\n"
    if "cadence" not in text:
        text += "cadence: 100\n"
    text += "segments: [{name: A, duration: 1m}]\n"
    assert_only_error(text, where, f"the tag `{tag}")


def test_second_document_is_an_error_at_its_start() -> None:
    text = "name: W\ncadence: 100\nsegments: [{name: A, duration: 1m}]\n---\nname: Other\n"
    assert_only_error(text, "t.yaml:4:1: error: (root):", "one YAML document")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "the file is empty"),
        ("  \n\n", "the file is empty"),
        ("# only a comment\n", "the file holds only comments"),
    ],
    ids=["empty", "blank", "comment"],
)
def test_file_without_content_is_an_error(text: str, fragment: str) -> None:
    assert_only_error(text, "t.yaml:1:1: error: (root):", fragment)


@pytest.mark.parametrize(
    ("text", "where", "got"),
    [
        ("- name: A\n", "t.yaml:1:1:", "got a list"),
        ("just some words\n", "t.yaml:1:1:", "got text `just some words`"),
        ("42\n", "t.yaml:1:1:", "got a number `42`"),
        ("~\n", "t.yaml:1:1:", "got nothing"),
        ("---\n", "t.yaml:2:1:", "got nothing"),
    ],
)
def test_root_that_is_not_a_mapping_is_an_error(text: str, where: str, got: str) -> None:
    error = only_error(text)
    assert error.startswith(f"{where} error: (root): expected a routine as `key: value` pairs")
    assert got in error


def test_yaml_control_character_is_an_error_at_its_position() -> None:
    text = "name: W\ncadence: 100\nsegments: a\x00b\n"
    assert_only_error(text, "t.yaml:3:12: error: (root):", "does not allow the character U+0000")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("version: 2\n", "t.yaml:1:10: error: version:"),
        ("version: '1'\n", "t.yaml:1:10: error: version:"),
        ("version: true\n", "t.yaml:1:10: error: version:"),
        ("version: 1.0\n", "t.yaml:1:10: error: version:"),
        ("version: {a: 1}\n", "t.yaml:1:10: error: version:"),
        ("version: [1]\n", "t.yaml:1:10: error: version:"),
    ],
)
def test_version_other_than_1_is_an_error(text: str, where: str) -> None:
    text += "name: W\ncadence: 100\nsegments: [{name: A, duration: 1m}]\n"
    assert_only_error(text, where, "only version 1 of the routine format exists")


def test_version_1_is_accepted() -> None:
    assert load("version: 1\nname: W\ncadence: 100\nsegments: [{name: A, duration: 1m}]\n").ok


@pytest.mark.parametrize("name", ["123", "true", "2024-05-01"])
def test_yaml_scalar_that_is_not_a_string_counts_as_its_text_in_a_name(name: str) -> None:
    result = load(f"name: {name}\ncadence: 100\nsegments: [{{name: A, duration: 1m}}]\n")
    assert result.routine is not None
    assert result.routine.name == name


# -- all together ----------------------------------------------------------------------


def test_every_error_of_a_file_is_reported_together_in_source_order() -> None:
    text = """\
        name: Five mistakes
        cadence: 300
        segments:
          - name: Warm-up
            duration: 5x
          - name: Brisk
            duration: 3m
            intensty: brisk
          - repeat: 0
            segments:
              - name: Easy
                duration: 2m
                at:
                  - after: 5m
                    say: Never said
        """
    assert error_headlines(text) == [
        "t.yaml:2:10: error: cadence: cadence (steps per minute) must be from 40 to 180, got 300",
        "t.yaml:5:15: error: segments[0].duration: `5x` is not a duration; "
        "use `45s`, `5m`, `1m30s`, `1h5m`, `2:30`, `1:02:30` or whole seconds",
        "t.yaml:8:5: error: segments[1].intensty: unknown key `intensty`; "
        "did you mean `intensity`?",
        "t.yaml:9:13: error: segments[2].repeat: repeat must be from 1 to 50, got 0",
        "t.yaml:14:20: error: segments[2].segments[0].at[0].after: "
        "5m does not fall inside the segment, which lasts 2m",
    ]


def test_warnings_and_errors_are_reported_together_in_source_order() -> None:
    text = "name: W\ncadence: 55\nsegments:\n  - name: A\n    duration: 0\n"
    assert [d.severity.value for d in load(text).diagnostics] == ["warning", "error"]


def test_warnings_do_not_make_a_routine_invalid() -> None:
    result = load(cadence_routine("150"))
    assert result.ok
    assert result.routine is not None
    assert result.errors == ()
    assert len(result.warnings) == 1


def test_excerpt_shows_the_source_line_with_a_caret_under_the_column() -> None:
    result = load(cadence_routine("181"))
    assert result.report(excerpts=True) == [
        "t.yaml:5:14: error: segments[0].cadence: "
        "cadence (steps per minute) must be from 40 to 180, got 181\n"
        "   5 |     cadence: 181\n"
        "     |              ^"
    ]
