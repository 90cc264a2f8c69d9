"""Compiling a routine to its flat timeline: repeats, inheritance, cues, announcements, posture."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.core.routine import StridePhase, Timeline, compile_timeline, load_file, load_text
from coach.core.routine.model import DEFAULT_CUES, RepeatBlock, Routine, Segment
from coach.core.routine.timeline import CueRotation

BUILTIN_DIR = Path(__file__).resolve().parents[3] / "routines"
BUILTINS = sorted(BUILTIN_DIR.glob("*.yaml"))


def timeline_of(text: str) -> Timeline:
    result = load_text(dedent(text), "t", "t.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


INTERVALS = """\
    name: Intervals
    cadence: 100
    segments:
      - name: Warm-up
        duration: 5m
        cadence: 90
      - repeat: 3
        segments:
          - name: Brisk
            duration: 3m
            cadence: 115
          - name: Easy
            duration: 2m
      - name: Cool-down
        duration: 5m
        cadence: 85
    """


# -- tiling ----------------------------------------------------------------------------


def assert_tiles(timeline: Timeline) -> None:
    segments = timeline.segments
    assert segments[0].start == 0
    for before, after in pairwise(segments):
        assert before.end == after.start
    assert all(s.duration > 0 for s in segments)
    assert timeline.total == segments[-1].end
    assert [s.index for s in segments] == list(range(len(segments)))


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_builtin_routine_segments_tile_the_walk_without_gaps_or_overlaps(path: Path) -> None:
    result = load_file(path)
    assert result.routine is not None, result.report()
    assert_tiles(compile_timeline(result.routine))


def segments_strategy(depth: int = 0) -> st.SearchStrategy[tuple[Segment | RepeatBlock, ...]]:
    segment = st.builds(
        Segment,
        name=st.sampled_from(["A", "B", "C"]),
        duration=st.integers(min_value=1, max_value=600),
        cadence=st.integers(min_value=40, max_value=180),
    )
    if depth >= 3:
        part: st.SearchStrategy[Segment | RepeatBlock] = segment
    else:
        part = st.one_of(
            segment,
            st.builds(
                RepeatBlock,
                times=st.integers(min_value=1, max_value=4),
                segments=st.deferred(lambda: segments_strategy(depth + 1)),
            ),
        )
    return st.lists(part, min_size=1, max_size=3).map(tuple)


def expected_total(parts: tuple[Segment | RepeatBlock, ...]) -> int:
    return sum(
        p.duration if isinstance(p, Segment) else p.times * expected_total(p.segments)
        for p in parts
    )


@settings(max_examples=200, deadline=None)
@given(segments_strategy())
def test_any_routine_tiles_its_total_length(parts: tuple[Segment | RepeatBlock, ...]) -> None:
    timeline = compile_timeline(Routine(id="r", name="R", segments=parts))
    assert_tiles(timeline)
    assert timeline.total == expected_total(parts)


def test_segment_index_at_finds_the_running_segment_and_clamps() -> None:
    timeline = timeline_of(INTERVALS)
    assert timeline.segment_index_at(0) == 0
    assert timeline.segment_index_at(299.9) == 0
    assert timeline.segment_index_at(300) == 1
    assert timeline.segment_index_at(-5) == 0
    assert timeline.segment_index_at(timeline.total + 100) == len(timeline.segments) - 1


# -- repeats ---------------------------------------------------------------------------


def test_repeats_expand_in_order_with_counters_in_their_labels() -> None:
    assert [s.label for s in timeline_of(INTERVALS).segments] == [
        "Warm-up",
        "Brisk (1/3)",
        "Easy (1/3)",
        "Brisk (2/3)",
        "Easy (2/3)",
        "Brisk (3/3)",
        "Easy (3/3)",
        "Cool-down",
    ]


def test_nested_repeats_show_outer_then_inner_counter() -> None:
    timeline = timeline_of(
        """\
        name: Nested
        cadence: 100
        segments:
          - repeat: 2
            segments:
              - repeat: 3
                segments:
                  - name: X
                    duration: 1m
              - name: Rest
                duration: 1m
        """
    )
    assert [s.label for s in timeline.segments] == [
        "X (1/2 · 1/3)",
        "X (1/2 · 2/3)",
        "X (1/2 · 3/3)",
        "Rest (1/2)",
        "X (2/2 · 1/3)",
        "X (2/2 · 2/3)",
        "X (2/2 · 3/3)",
        "Rest (2/2)",
    ]
    assert timeline.total == 8 * 60


def test_segments_start_where_the_previous_ends() -> None:
    timeline = timeline_of(INTERVALS)
    assert [(s.start, s.end) for s in timeline.segments[:3]] == [(0, 300), (300, 480), (480, 600)]
    assert timeline.total == 5 * 60 + 3 * (3 + 2) * 60 + 5 * 60


# -- inheritance -----------------------------------------------------------------------


def test_segment_without_cadence_takes_the_routines_and_others_keep_their_own() -> None:
    cadences = [s.cadence for s in timeline_of(INTERVALS).segments]
    assert cadences == [90, 115, 100, 115, 100, 115, 100, 85]


def test_segment_cues_override_the_routines_for_that_phase_only() -> None:
    timeline = timeline_of(
        """\
        name: Cues
        cadence: 100
        cues:
          heel_strike: [Routine heel]
          hip_rotation: [Routine hip]
          arm_swing: [Routine arm]
        segments:
          - name: Plain
            duration: 1m
          - name: Drive
            duration: 1m
            cues:
              arm_swing: [Drive the elbows back]
        """
    )
    plain, drive = timeline.segments
    assert drive.rotation(StridePhase.ARM_SWING).cues == ("Drive the elbows back",)
    assert drive.rotation(StridePhase.HEEL_STRIKE).cues == ("Routine heel",)
    assert drive.rotation(StridePhase.HIP_ROTATION).cues == ("Routine hip",)
    assert plain.rotation(StridePhase.ARM_SWING).cues == ("Routine arm",)


def test_phase_without_cues_anywhere_gets_the_default_cues() -> None:
    timeline = timeline_of("name: Bare\ncadence: 100\nsegments: [{name: A, duration: 1m}]\n")
    for phase in StridePhase:
        assert timeline.segments[0].rotation(phase).cues == DEFAULT_CUES[phase]


def test_intensity_and_note_carry_through() -> None:
    timeline = timeline_of(
        """\
        name: Notes
        cadence: 100
        segments:
          - {name: A, duration: 1m, intensity: brisk, note: Quick steps}
          - {name: B, duration: 1m}
        """
    )
    first, second = timeline.segments
    assert (first.intensity.value, first.note) == ("brisk", "Quick steps")
    assert (second.intensity.value, second.note) == ("moderate", None)


# -- cue rotation ----------------------------------------------------------------------

ROTATING = """\
    name: Rotating
    cadence: 100
    cues:
      heel_strike: [H1, H2, H3]
      arm_swing: [A1, A2]
      rotate_every: 30s
    segments:
      - name: First
        duration: 100s
      - name: Second
        duration: 100s
        cues:
          arm_swing: [Own1, Own2, Own3]
      - name: Third
        duration: 100s
        cues:
          rotate_every: 20s
    """


def test_inherited_cue_list_keeps_rotating_across_segments_from_the_walk_start() -> None:
    second = timeline_of(ROTATING).segments[1]
    heel = second.rotation(StridePhase.HEEL_STRIKE)
    assert heel.anchor == 0
    # 100 s into the walk, three 30 s turns have passed: H1 H2 H3, now H1 again.
    assert heel.cue_at(100) == "H1"
    assert heel.cue_at(120) == "H2"


def test_segments_own_cue_list_starts_at_its_first_cue_when_the_segment_starts() -> None:
    second = timeline_of(ROTATING).segments[1]
    arm = second.rotation(StridePhase.ARM_SWING)
    assert arm.anchor == 100
    assert [arm.cue_at(t) for t in (100, 129.9, 130, 160, 190)] == [
        "Own1",
        "Own1",
        "Own2",
        "Own3",
        "Own1",
    ]


def test_segments_own_rotate_every_restarts_its_rotation_at_the_segment_start() -> None:
    third = timeline_of(ROTATING).segments[2]
    heel = third.rotation(StridePhase.HEEL_STRIKE)
    assert (heel.every, heel.anchor) == (20, 200)
    assert [heel.cue_at(t) for t in (200, 220, 240, 260)] == ["H1", "H2", "H3", "H1"]


def test_cue_rotation_next_change_is_the_next_multiple_after_the_anchor() -> None:
    rotation = CueRotation(cues=("a", "b"), every=30, anchor=100)
    assert rotation.next_change_after(100) == 130
    assert rotation.next_change_after(129.5) == 130
    assert rotation.next_change_after(130) == 160


def test_single_cue_never_changes() -> None:
    assert CueRotation(cues=("only",), every=30, anchor=0).next_change_after(5) == float("inf")


# -- announcements ---------------------------------------------------------------------


def test_announcements_are_at_absolute_seconds_of_the_walk() -> None:
    timeline = timeline_of(
        """\
        name: Talk
        cadence: 100
        segments:
          - name: Warm-up
            duration: 5m
          - name: Cool-down
            duration: 5m
            at:
              - before_end: 10s
                say: Ten seconds.
              - after: 4m
                say: One minute left.
        """
    )
    assert [(a.at, a.say, a.segment) for a in timeline.announcements] == [
        (540, "One minute left.", 1),
        (590, "Ten seconds.", 1),
    ]


def test_announcements_inside_a_repeat_are_made_on_every_pass() -> None:
    timeline = timeline_of(
        """\
        name: Talk
        cadence: 100
        segments:
          - name: Warm-up
            duration: 1m
          - repeat: 2
            segments:
              - name: Brisk
                duration: 3m
                at:
                  - after: 1m30s
                    say: Halfway.
              - name: Easy
                duration: 2m
                at:
                  - before_end: 30s
                    say: Brisk again soon.
        """
    )
    assert [(a.at, a.say) for a in timeline.announcements] == [
        (150, "Halfway."),
        (330, "Brisk again soon."),
        (450, "Halfway."),
        (630, "Brisk again soon."),
    ]
    assert [a.segment for a in timeline.announcements] == [1, 2, 3, 4]


# -- posture prompts -------------------------------------------------------------------


def test_posture_prompts_fall_on_multiples_of_every_from_the_walk_start() -> None:
    timeline = timeline_of(
        """\
        name: Posture
        cadence: 100
        posture:
          every: 90s
          cues: [P1, P2]
        segments:
          - name: A
            duration: 100s
          - name: B
            duration: 200s
        """
    )
    assert [(p.at, p.text, p.segment) for p in timeline.posture_prompts] == [
        (0, "P1", 0),
        (90, "P2", 0),
        (180, "P1", 1),
        (270, "P2", 1),
    ]


def test_posture_prompt_at_the_walk_start_but_not_at_its_end() -> None:
    timeline = timeline_of(
        "name: P\ncadence: 100\nposture: {every: 1m, cues: [P]}\n"
        "segments: [{name: A, duration: 3m}]\n"
    )
    assert [p.at for p in timeline.posture_prompts] == [0, 60, 120]


def test_posture_false_segment_gets_no_prompts_and_the_cycle_carries_on_after() -> None:
    timeline = timeline_of(
        """\
        name: Posture
        cadence: 100
        posture:
          every: 1m
          cues: [P1, P2, P3, P4]
        segments:
          - name: A
            duration: 2m
          - name: Quiet
            duration: 2m
            posture: false
          - name: C
            duration: 2m
        """
    )
    assert timeline.segments[1].posture is None
    # The quiet segment skips no cue: the list carries on where it stopped.
    assert [(p.at, p.text) for p in timeline.posture_prompts] == [
        (0, "P1"),
        (60, "P2"),
        (240, "P3"),
        (300, "P4"),
    ]


def test_segments_own_posture_every_counts_from_the_walk_start() -> None:
    timeline = timeline_of(
        """\
        name: Posture
        cadence: 100
        posture:
          every: 1m
          cues: [P1, P2, P3]
        segments:
          - name: A
            duration: 100s
          - name: Focus
            duration: 200s
            posture:
              every: 75s
        """
    )
    focus = timeline.segments[1]
    assert focus.posture is not None
    assert (focus.posture.every, focus.posture.cues) == (75, ("P1", "P2", "P3"))
    # Multiples of 75 s inside [100, 300): 150 and 225; inherited cues keep cycling.
    assert [(p.at, p.text) for p in timeline.posture_prompts] == [
        (0, "P1"),
        (60, "P2"),
        (150, "P3"),
        (225, "P1"),
    ]


def test_segments_own_posture_cues_start_at_its_first_cue() -> None:
    timeline = timeline_of(
        """\
        name: Posture
        cadence: 100
        posture:
          every: 1m
          cues: [P1, P2]
        segments:
          - name: A
            duration: 15m
          - name: Exhale
            duration: 3m
            posture:
              every: 45s
              cues: [Own1, Own2, Own3]
        """
    )
    prompts = [(p.at, p.text) for p in timeline.posture_prompts if p.segment == 1]
    assert prompts == [(900, "Own1"), (945, "Own2"), (990, "Own3"), (1035, "Own1")]


def test_segment_posture_without_routine_posture_prompts_only_there() -> None:
    timeline = timeline_of(
        """\
        name: Posture
        cadence: 100
        segments:
          - name: A
            duration: 2m
          - name: B
            duration: 2m
            posture:
              cues: [Tall]
        """
    )
    assert timeline.segments[0].posture is None
    # Without a routine `every`, the default of 2m applies.
    assert [(p.at, p.text) for p in timeline.posture_prompts] == [(120, "Tall")]
