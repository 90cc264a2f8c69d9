"""The monthly recurrence question: when it is asked, and what its answers say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coach.core.checkin import WarningSign, warning_signs_due
from coach.core.recurrence import (
    ASK_EVERY_DAYS,
    EpisodeAnswer,
    QuarterCount,
    episode_days,
    recurrence_due,
    summarize_recurrence,
)
from coach.core.trends import Summary, Totals
from coach.core.wording import summary_lines

TODAY = date(2026, 5, 20)


def yes(day: date) -> EpisodeAnswer:
    return EpisodeAnswer(day, True)


def no(day: date) -> EpisodeAnswer:
    return EpisodeAnswer(day, False)


# -- when to ask ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_since", "due"), [(0, False), (1, False), (29, False), (30, True), (400, True)]
)
def test_asked_again_30_days_after_the_last_answer(days_since: int, due: bool) -> None:
    last = TODAY - timedelta(days=days_since)
    assert recurrence_due(last, date(2025, 1, 1), TODAY) is due


def test_never_asked_before_coach_has_been_used() -> None:
    assert recurrence_due(None, None, TODAY) is False


def test_not_asked_on_the_first_day_of_use() -> None:
    assert recurrence_due(None, TODAY, TODAY) is False


def test_asked_from_the_second_day_of_use() -> None:
    assert recurrence_due(None, TODAY - timedelta(days=1), TODAY) is True


# -- what the answers say ---------------------------------------------------------------


def test_no_answers_say_nothing() -> None:
    assert summarize_recurrence([], TODAY) is None


def test_days_since_the_last_episode_count_from_the_day_it_was_reported() -> None:
    answers = [yes(date(2026, 3, 1)), no(date(2026, 4, 2)), yes(date(2026, 5, 10))]
    recurrence = summarize_recurrence(answers, TODAY)
    assert recurrence is not None
    assert recurrence.last_episode == date(2026, 5, 10)
    assert recurrence.days_since_last_episode == 10


def test_only_no_answers_have_no_last_episode() -> None:
    recurrence = summarize_recurrence([no(date(2026, 4, 2)), no(date(2026, 5, 3))], TODAY)
    assert recurrence is not None
    assert recurrence.last_episode is None
    assert recurrence.days_since_last_episode is None
    assert recurrence.answers == 2


def test_two_yes_answers_within_a_month_are_one_episode() -> None:
    answers = [yes(date(2026, 4, 1)), yes(date(2026, 4, 20)), yes(date(2026, 5, 1))]
    assert episode_days(answers) == [date(2026, 4, 1), date(2026, 5, 1)]


def test_yes_answers_a_month_apart_are_two_episodes() -> None:
    first = date(2026, 1, 10)
    answers = [yes(first), yes(first + timedelta(days=ASK_EVERY_DAYS))]
    assert len(episode_days(answers)) == 2


def test_episodes_per_quarter_cover_the_last_four_quarters() -> None:
    answers = [
        yes(date(2025, 2, 1)),  # Q1 2025: older than the four quarters shown
        no(date(2025, 6, 1)),
        yes(date(2025, 8, 1)),  # Q3
        yes(date(2025, 11, 1)),  # Q4
        yes(date(2025, 12, 15)),  # Q4, a new month's episode
        no(date(2026, 2, 1)),  # Q1 2026: none
        yes(date(2026, 4, 5)),  # Q2, this quarter
    ]
    recurrence = summarize_recurrence(answers, TODAY)
    assert recurrence is not None
    assert recurrence.quarters == (
        QuarterCount(2025, 3, 1),
        QuarterCount(2025, 4, 2),
        QuarterCount(2026, 1, 0),
        QuarterCount(2026, 2, 1),
    )


def test_quarters_before_the_first_answer_are_not_shown_as_zero() -> None:
    recurrence = summarize_recurrence([no(date(2026, 3, 30))], TODAY)
    assert recurrence is not None
    assert [q.label for q in recurrence.quarters] == ["2026 Q1", "2026 Q2"]


# -- how the history words it -----------------------------------------------------------

SUMMARY = Summary(Totals(1, 20), Totals(2, 40), 1, None, None, 0)


def test_the_summary_says_days_since_the_last_episode_and_per_quarter() -> None:
    answers = [no(date(2026, 3, 30)), yes(date(2026, 4, 20))]
    lines = summary_lines(SUMMARY, recurrence=summarize_recurrence(answers, TODAY))
    assert lines[2] == ("Back-pain episodes: last reported 30 days ago · 2026 Q1: 0, Q2: 1")


def test_the_summary_says_when_none_were_reported() -> None:
    answers = [no(date(2026, 4, 20))]
    lines = summary_lines(SUMMARY, recurrence=summarize_recurrence(answers, TODAY))
    assert lines[2] == ("Back-pain episodes: none (1 answer since 2026-04-20) · 2026 Q2: 0")


def test_the_summary_has_no_episode_line_before_the_first_answer() -> None:
    assert not any("episodes" in line for line in summary_lines(SUMMARY))


# -- the warning signs before a walk -----------------------------------------------------


def test_warning_signs_are_asked_before_the_days_first_walk() -> None:
    assert warning_signs_due([]) is True


def test_warning_signs_are_not_asked_again_after_none_of_these() -> None:
    assert warning_signs_due([frozenset()]) is False


def test_warning_signs_are_asked_again_while_todays_last_answer_ticked_one() -> None:
    assert warning_signs_due([frozenset(), frozenset({WarningSign.FEVER})]) is True
    assert warning_signs_due([frozenset({WarningSign.FEVER}), frozenset()]) is False
