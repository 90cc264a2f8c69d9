"""The check-in's rules: scores, places, notes, and what counts as a meaningful change."""

from __future__ import annotations

import pytest

from coach.core.checkin import (
    PAIN,
    Checkin,
    WarningSign,
    Where,
    check_notes,
    check_score,
    is_meaningful,
    meaningful_relief,
    pain_change,
    parse_where,
)


@pytest.mark.parametrize("value", [0, 10, "0", "7", " 3 "])
def test_scores_from_0_to_10_are_accepted(value: object) -> None:
    assert check_score(PAIN, value) == int(str(value).strip())


@pytest.mark.parametrize("value", [-1, 11, "11", "x", "3.5", "", "²", True, None, 2.0])
def test_other_scores_are_refused_naming_the_scale(value: object) -> None:
    with pytest.raises(ValueError, match=r"^pain must be a whole number from 0 to 10"):
        check_score(PAIN, value)


def test_where_takes_short_keys_or_full_names() -> None:
    assert parse_where("lower, neck") == {Where.LOWER_BACK, Where.NECK}
    assert parse_where("hips/buttocks,down a leg") == {Where.HIPS, Where.LEG}
    assert parse_where("") == frozenset()


def test_unknown_place_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="unknown place 'knee'; choose from lower, mid"):
        parse_where("lower,knee")


def test_notes_keep_text_and_drop_control_characters() -> None:
    assert check_notes("  [bold]x[/x]\x1b[31m red\x07\n second line ") == (
        "[bold]x[/x][31m red\n second line"
    )


def test_notes_over_the_limit_are_refused() -> None:
    with pytest.raises(ValueError, match="at most 4000"):
        check_notes("x" * 4001)


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        (6, 4, True),  # 2 points
        (6, 5, False),  # 1 point, 17%
        (3, 2, True),  # 1 point is 33% of 3
        (4, 3, False),  # 1 point is 25% of 4
        (10, 7, True),  # 3 points, 30%
        (1, 0, True),  # 1 point is 100%
        (0, 1, False),  # no percentage of 0; 1 point
        (0, 2, True),  # 2 points
        (5, 5, False),
        (2, 4, True),  # worse counts too
        (None, 4, False),
    ],
)
def test_meaningful_change_is_2_points_or_30_percent(before, after, meaningful) -> None:  # type: ignore[no-untyped-def]
    assert is_meaningful(before, after) is meaningful


def test_relief_is_a_meaningful_drop_only() -> None:
    assert meaningful_relief(6, 4)
    assert not meaningful_relief(4, 6)
    assert not meaningful_relief(6, 5)
    assert pain_change(6, 4) == -2
    assert pain_change(None, 4) is None


def test_any_warning_sign_flags_the_checkin() -> None:
    assert not Checkin(pain=3).flagged
    assert Checkin(warning_signs=frozenset({WarningSign.FEVER})).flagged


def test_an_unanswered_checkin_is_empty() -> None:
    assert Checkin().is_empty
    assert not Checkin(notes="x").is_empty
