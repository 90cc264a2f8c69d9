"""Effect estimates: intervals that cover the truth, shrinkage, ranks and the words for them."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.core.estimates import (
    MIN_RATED_WALKS,
    WALK_BANDS,
    Effects,
    GroupEffect,
    band_estimates,
    effect_sentences,
    estimate_effects,
    routine_estimates,
    signed,
    t_quantile,
)
from coach.core.trends import WalkOutcome

SEEDS = range(300)
WALK_SD = 1.5  # how much one walk's pain change scatters, in points


def whole(x: float) -> int:
    """A rating rounds to a whole point (half up, unlike round())."""
    return math.floor(x + 0.5)


def changes_for(rng: random.Random, effect: float, walks: int, sd: float = WALK_SD) -> list[int]:
    return [whole(effect + rng.gauss(0, sd)) for _ in range(walks)]


def history(
    rng: random.Random, effects: dict[str, float], walks: dict[str, int]
) -> list[WalkOutcome]:
    """Walks with pain rated before (4–7) and after, the change scattered around `effects`."""
    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    outcomes: list[WalkOutcome] = []
    for routine_id, effect in effects.items():
        for change in changes_for(rng, effect, walks[routine_id]):
            before = rng.randint(4, 7)
            outcomes.append(
                WalkOutcome(
                    walk_id=len(outcomes) + 1,
                    routine_id=routine_id,
                    started=start + timedelta(days=len(outcomes)),
                    walked_seconds=rng.uniform(600, 1800),
                    pain_before=before,
                    pain_after=min(10, max(0, before + change)),
                )
            )
    rng.shuffle(outcomes)
    return outcomes


def coverage(estimated: list[tuple[GroupEffect, float]]) -> float:
    covered = sum(
        g.low is not None and g.high is not None and g.low <= true <= g.high
        for g, true in estimated
    )
    return covered / len(estimated)


# Coverage ------------------------------------------------------------------------------


def test_intervals_cover_effects_drawn_from_the_model_about_95_percent_of_the_time() -> None:
    found = []
    for seed in SEEDS:
        rng = random.Random(seed)
        truth = {f"r{i}": rng.gauss(-1, 0.8) for i in range(4)}
        changes = {
            key: changes_for(rng, effect, rng.randint(5, 30)) for key, effect in truth.items()
        }
        effects = estimate_effects(changes)
        found += [(effects.groups[i], truth[effects.groups[i].key]) for i in range(4)]
    assert len(found) == 4 * len(SEEDS)
    assert 0.90 <= coverage(found) <= 0.99


def test_intervals_cover_fixed_effects_of_none_one_and_two_points() -> None:
    truth = {"none": 0.0, "some": -1.0, "more": -1.0, "real": -2.0}
    found = []
    for seed in SEEDS:
        rng = random.Random(seed)
        changes = {
            key: changes_for(rng, effect, rng.randint(5, 12)) for key, effect in truth.items()
        }
        found += [(group, truth[group.key]) for group in estimate_effects(changes).groups]
    assert 0.90 <= coverage(found) <= 0.99


def test_intervals_cover_the_effect_with_only_two_routines() -> None:
    truth = {"none": 0.0, "real": -2.0}
    found = []
    for seed in SEEDS:
        rng = random.Random(seed)
        changes = {
            key: changes_for(rng, effect, rng.randint(5, 30)) for key, effect in truth.items()
        }
        found += [(group, truth[group.key]) for group in estimate_effects(changes).groups]
    assert 0.90 <= coverage(found) <= 0.99


# Shrinkage -----------------------------------------------------------------------------


def test_a_routine_with_few_walks_is_pulled_towards_the_overall_mean() -> None:
    for seed in SEEDS:
        rng = random.Random(seed)
        changes = {
            "few": changes_for(rng, -3.0, 5),
            **{f"many{i}": changes_for(rng, -1.0, 30) for i in range(4)},
        }
        effects = estimate_effects(changes)
        few = effects.get("few")
        assert few is not None and few.estimate is not None and few.raw_mean is not None
        assert effects.overall_mean is not None
        low, high = sorted((few.raw_mean, effects.overall_mean))
        assert low <= few.estimate <= high


def pulled_share(effects: Effects, key: str) -> float:
    """How far a group moved from its raw mean towards the overall mean, as a share."""
    group = effects.get(key)
    assert group is not None and group.estimate is not None and group.raw_mean is not None
    assert effects.overall_mean is not None
    if group.raw_mean == effects.overall_mean:
        return 1.0
    return (group.raw_mean - group.estimate) / (group.raw_mean - effects.overall_mean)


def test_few_walks_are_pulled_further_than_many() -> None:
    for seed in SEEDS:
        rng = random.Random(seed)
        changes = {
            "few": changes_for(rng, -2.0, 5),
            "lots": changes_for(rng, -2.0, 40),
            **{f"mid{i}": changes_for(rng, -0.5, 15) for i in range(3)},
        }
        effects = estimate_effects(changes)
        assert pulled_share(effects, "few") > pulled_share(effects, "lots")


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e", "f"]),
        st.lists(st.integers(-10, 10), max_size=25),
        min_size=1,
    )
)
def test_every_estimate_lies_between_its_raw_mean_and_the_overall_mean(
    changes: dict[str, list[int]],
) -> None:
    effects = estimate_effects(changes)
    for group in effects.groups:
        if group.estimate is None:
            continue
        assert group.raw_mean is not None and effects.overall_mean is not None
        low, high = sorted((group.raw_mean, effects.overall_mean))
        assert low - 1e-9 <= group.estimate <= high + 1e-9
        assert group.low is not None and group.high is not None
        assert -10 <= group.low < group.estimate < group.high <= 10


def test_one_routine_alone_gets_its_mean_and_a_t_interval() -> None:
    changes = [-3, -2, -2, -1, 0, -2]
    mean = sum(changes) / len(changes)
    sd = math.sqrt(sum((c - mean) ** 2 for c in changes) / (len(changes) - 1))
    (group,) = estimate_effects({"solo": changes}).groups
    assert group.estimate == pytest.approx(mean)
    half = t_quantile(5) * sd / math.sqrt(len(changes))
    assert (group.low, group.high) == pytest.approx((mean - half, mean + half))


def test_identical_changes_still_give_an_interval_with_width() -> None:
    (group,) = estimate_effects({"same": [-1] * 8}).groups
    assert group.low is not None and group.high is not None
    assert group.high - group.low > 0.5


def test_interval_bounds_stay_within_what_a_0_to_10_rating_can_change() -> None:
    (group,) = estimate_effects({"wild": [-10, -10, 10, -10, -10]}).groups
    assert group.low == -10


# Minimum walks -------------------------------------------------------------------------


def test_below_five_rated_walks_there_is_no_number_and_no_rank() -> None:
    effects = estimate_effects({"new": [-2, -3, -1], "old": [-1] * 10})
    new = effects.get("new")
    assert new == GroupEffect("new", 3, 3, None, None, None, None, 2, None)


def test_walks_without_both_ratings_do_not_count_towards_the_five() -> None:
    rng = random.Random(1)
    walks = history(rng, {"desk-break": -1.0}, {"desk-break": 4})
    unrated = [
        WalkOutcome(100 + i, "desk-break", walks[0].started, 600, 5 if i else None, None)
        for i in range(3)
    ]
    (group,) = routine_estimates(walks + unrated).groups
    assert (group.walks, group.rated_walks, group.needed_more) == (7, 4, 1)
    assert group.estimate is None


def test_walks_of_no_routine_are_in_no_routines_group_but_in_the_length_bands() -> None:
    rng = random.Random(2)
    walks = history(rng, {"desk-break": -1.0, "": -2.0}, {"desk-break": 6, "": 6})
    assert [group.key for group in routine_estimates(walks).groups] == ["desk-break"]
    assert sum(group.walks for group in band_estimates(walks).groups) == 12


def test_a_routine_walked_but_never_rated_needs_all_five() -> None:
    effects = estimate_effects({"a": [-1] * 6}, walks={"a": 6, "unrated": 3})
    assert effects.get("unrated") == GroupEffect("unrated", 3, 0, None, None, None, None, 5, None)


def test_nothing_is_estimated_and_no_overall_mean_until_a_group_has_five() -> None:
    effects = estimate_effects({"a": [-1, -2, -1, -2], "b": [0, 0]})
    assert not any(group.estimated for group in effects.groups)
    assert effects.overall_mean is None
    assert effects.rated_walks == 6


# Ranking -------------------------------------------------------------------------------


def test_with_twenty_walks_a_routine_without_effect_never_ranks_above_a_real_one() -> None:
    truth = {"no-effect": 0.0, "real": -2.0, "mild": -1.0, "also-none": 0.0}
    for seed in SEEDS:
        rng = random.Random(seed)
        walks = {key: rng.randint(20, 40) for key in truth}
        effects = routine_estimates(history(rng, truth, walks))
        ranks = {group.key: group.rank or 0 for group in effects.groups}
        assert all(ranks.values()), "every routine has 20+ rated walks, so every one is ranked"
        assert ranks["real"] < ranks["no-effect"], seed
        assert ranks["real"] < ranks["also-none"], seed


def test_most_relief_ranks_first_and_groups_are_listed_by_rank() -> None:
    effects = estimate_effects({"none": [0, 1, -1, 0, 0, 1], "best": [-3, -2, -3, -4, -2, -3]})
    assert [(group.key, group.rank) for group in effects.groups] == [("best", 1), ("none", 2)]


def test_estimates_equal_to_one_decimal_share_a_rank() -> None:
    same = [-2, -1, -2, -1, -2, -1]
    effects = estimate_effects({"a": same, "b": list(same), "c": [0, 0, 1, 0, 0, -1]})
    assert {group.key: group.rank for group in effects.groups} == {"a": 1, "b": 1, "c": 3}


def test_unestimated_groups_come_after_the_ranked_ones_fewest_needed_first() -> None:
    effects = estimate_effects({"x": [-1], "y": [-1, -1, -1], "z": [0] * 6})
    assert [group.key for group in effects.groups] == ["z", "y", "x"]


def test_each_group_names_the_others_whose_intervals_overlap_its_own() -> None:
    effects = estimate_effects(
        {
            "big": [-4, -3, -4, -3, -4, -3, -4, -3],
            "near": [-3, -4, -3, -3, -4, -3],
            "none": [0, 0, 1, 0, -1, 0, 0, 1],
        }
    )
    assert effects.get("big") is not None
    overlaps = {group.key: group.overlaps for group in effects.groups}
    assert overlaps == {"big": ("near",), "near": ("big",), "none": ()}


# Bands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (0, "under 10 min"),
        (599.9, "under 10 min"),
        (600, "10–20 min"),
        (1199, "10–20 min"),
        (1200, "20–30 min"),
        (1800, "30 min or more"),
        (36000, "30 min or more"),
    ],
)
def test_a_walk_falls_in_the_band_that_includes_its_lower_bound(seconds: float, label: str) -> None:
    (band,) = [band for band in WALK_BANDS if band.holds(seconds)]
    assert band.label == label


def test_bands_are_listed_shortest_first_whatever_their_rank() -> None:
    by_minutes = {35: [-3, -2, -3, -2, -3, -2], 5: [0, 0, 1, 0, -1, 0], 15: [-1, 0, -1, -2, -1, 0]}
    walks = [
        WalkOutcome(walk_id, "any", datetime(2026, 1, 5, tzinfo=UTC), minutes * 60, 5, 5 + change)
        for walk_id, (minutes, change) in enumerate(
            (minutes, change) for minutes, changes in by_minutes.items() for change in changes
        )
    ]
    effects = band_estimates(walks)
    assert [(group.key, group.rank) for group in effects.groups] == [
        ("under 10 min", 3),
        ("10–20 min", 2),
        ("30 min or more", 1),
    ]


# Words ---------------------------------------------------------------------------------


def _group(
    key: str,
    estimate: float,
    low: float,
    high: float,
    rated: int,
    rank: int,
    overlaps: tuple[str, ...] = (),
) -> GroupEffect:
    return GroupEffect(key, rated, rated, estimate, estimate, low, high, 0, rank, overlaps)


def _waiting(key: str, rated: int) -> GroupEffect:
    return GroupEffect(key, rated, rated, None, None, None, None, MIN_RATED_WALKS - rated, None)


def test_sentences_give_the_estimate_its_interval_and_the_walks_behind_it() -> None:
    effects = Effects(
        (
            _group("gentle-back", -1.42, -2.1, -0.66, 12, 1),
            _waiting("desk-break", 2),
            _waiting("walking-pad", 4),
        ),
        18,
        -1.0,
        1.5,
        0.3,
    )
    assert effect_sentences(effects) == [
        "gentle-back: pain −1.4 (95% interval −2.1 to −0.7) over 12 rated walks",
        "desk-break: 3 more rated walks to estimate",
        "walking-pad: 1 more rated walk to estimate",
    ]


def test_sentences_warn_when_intervals_overlap() -> None:
    effects = Effects(
        (
            _group("a", -2.0, -3.0, -1.0, 10, 1, ("b",)),
            _group("b", -1.5, -2.5, -0.5, 10, 2, ("a",)),
            _group("c", 0.5, -0.3, 1.3, 10, 3),
        ),
        30,
        -1.0,
        1.5,
        0.8,
    )
    assert (
        effect_sentences(effects)[-1]
        == "The intervals of a and b overlap, so their order may be chance."
    )


def test_sentences_say_when_every_interval_overlaps() -> None:
    effects = estimate_effects({"a": [-1, -2, 0, -1, -1], "b": [-1, 0, -2, -1, 0]})
    assert effect_sentences(effects)[-1] == (
        "All the intervals overlap, so the order may be chance: keep rating walks."
    )


def test_sentences_say_what_is_needed_when_nothing_is_estimated() -> None:
    assert effect_sentences(estimate_effects({"a": [-1]})) == [
        "a: 4 more rated walks to estimate",
        "No estimates yet: each needs 5 walks with pain rated before and after.",
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [(-1.44, "−1.4"), (0.26, "+0.3"), (-0.04, "0.0"), (0.0, "0.0")]
)
def test_a_change_is_shown_to_one_decimal_with_its_sign(value: float, shown: str) -> None:
    assert signed(value) == shown


# The t quantile ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "t"),
    [
        (1, 12.7062),
        (2, 4.3027),
        (4, 2.7764),
        (10, 2.2281),
        (30, 2.0423),
        (199, 1.9720),
        (200, 1.9719),
        (1000, 1.9623),
    ],
)
def test_t_quantile_matches_the_tables(df: int, t: float) -> None:
    assert t_quantile(df) == pytest.approx(t, abs=1e-4)


def test_t_quantile_needs_a_degree_of_freedom() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        t_quantile(0)
