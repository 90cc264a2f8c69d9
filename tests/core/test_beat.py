"""The beat stream: onsets where the engine puts the stride, shaped clicks, a chunked mixer."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator
from itertools import pairwise
from textwrap import dedent

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.core.beat import (
    ACCENT_RECIPE,
    HEEL_RECIPE,
    PHASE_RECIPE,
    Clicks,
    Clip,
    Mixer,
    Onset,
    OnsetKind,
    click_shape,
    iter_onsets,
    mix_chunks,
    onsets_between,
)
from coach.core.engine import Foot, Tempo, WalkSession, beat_times, state_at
from coach.core.routine import Timeline, compile_timeline, load_text
from coach.core.routine.model import StridePhase

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def timeline_of(text: str) -> Timeline:
    result = load_text(dedent(text), "t", "t.yaml")
    assert result.routine is not None, result.report()
    return compile_timeline(result.routine)


def routine_text(segments: list[tuple[int, int]]) -> str:
    lines = ["name: Generated", "cadence: 100", "segments:"]
    for number, (duration, cadence) in enumerate(segments):
        lines += [f"  - name: S{number}", f"    duration: {duration}", f"    cadence: {cadence}"]
    return "\n".join(lines) + "\n"


THREE = timeline_of(
    """
    name: Three
    cadence: 100
    segments:
      - name: A
        duration: 20s
        cadence: 97
      - name: B
        duration: 13s
        cadence: 131
      - name: C
        duration: 30s
        cadence: 60
    """
)

segments_strategy = st.lists(
    st.tuples(st.integers(3, 90), st.integers(40, 180)), min_size=1, max_size=5
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def tempo_at(timeline: Timeline, position: float, delta: int) -> Tempo | None:
    """The Tempo the engine makes when the walker presses +/- at `position`."""
    clock = Clock()
    session = WalkSession(timeline, clock)
    clock.now = position
    session.adjust_cadence(delta)
    return session.tempo


# -- onsets agree with the engine ------------------------------------------------------


@PROPERTIES
@given(
    segments=segments_strategy,
    window=st.tuples(st.floats(0, 1), st.floats(0, 1)),
    change=st.one_of(st.none(), st.tuples(st.floats(0, 0.999), st.integers(-60, 60))),
)
def test_every_onset_is_where_the_engine_shows_that_step_and_phase(
    segments: list[tuple[int, int]],
    window: tuple[float, float],
    change: tuple[float, int] | None,
) -> None:
    timeline = timeline_of(routine_text(segments))
    total = timeline.total
    tempo = tempo_at(timeline, change[0] * total, change[1]) if change else None
    start, end = sorted(w * total for w in window)
    for onset in onsets_between(timeline, tempo, start, end, phases=True):
        assert start <= onset.position < end
        state = state_at(timeline, onset.position, tempo)
        assert (state.step, state.foot, state.phase) == (onset.step, onset.foot, onset.phase)
        assert state.phase_progress < 1e-6
        heel = onset.kind is not OnsetKind.PHASE
        assert heel == (onset.phase is StridePhase.HEEL_STRIKE)


@PROPERTIES
@given(segments=segments_strategy)
def test_heel_onsets_are_the_engines_beat_times_exactly(segments: list[tuple[int, int]]) -> None:
    timeline = timeline_of(routine_text(segments))
    expected = [b for s in timeline.segments for b in beat_times(timeline, s.index)]
    onsets = onsets_between(timeline, None, 0.0, float(timeline.total))
    assert [o.position for o in onsets] == expected


@PROPERTIES
@given(segments=segments_strategy, cuts=st.lists(st.floats(0, 1), max_size=8))
def test_windows_that_meet_give_every_onset_exactly_once(
    segments: list[tuple[int, int]], cuts: list[float]
) -> None:
    timeline = timeline_of(routine_text(segments))
    total = float(timeline.total)
    edges = [0.0, *sorted(c * total for c in cuts), total]
    pieces = [o for a, b in pairwise(edges) for o in onsets_between(timeline, None, a, b, True)]
    assert pieces == onsets_between(timeline, None, 0.0, total, phases=True)


def test_steps_count_on_across_segments_and_feet_alternate_left_first() -> None:
    onsets = onsets_between(THREE, None, 0.0, float(THREE.total))
    assert [o.step for o in onsets] == list(range(len(onsets)))
    assert onsets[0].kind is OnsetKind.ACCENT and onsets[0].foot is Foot.LEFT
    for earlier, later in pairwise(onsets):
        assert {earlier.kind, later.kind} == {OnsetKind.ACCENT, OnsetKind.HEEL}


def test_each_segment_restarts_its_beats_at_its_start() -> None:
    onsets = onsets_between(THREE, None, 0.0, float(THREE.total))
    for segment in THREE.segments:
        first = next(o for o in onsets if o.position >= segment.start)
        assert first.position == segment.start
        assert first.step == segment.steps_before


def test_phases_add_two_soft_ticks_inside_every_step() -> None:
    onsets = onsets_between(THREE, None, 0.0, 20.0, phases=True)
    kinds = [o.kind for o in onsets]
    heels = [i for i, k in enumerate(kinds) if k is not OnsetKind.PHASE]
    for a, b in pairwise(heels):
        assert b - a == 3
        assert [onsets[a + 1].phase, onsets[a + 2].phase] == [
            StridePhase.HIP_ROTATION,
            StridePhase.ARM_SWING,
        ]
    # A third of the step period (97 spm) apart, as the engine's next_change_after has it.
    assert math.isclose(onsets[1].position - onsets[0].position, 20 / 97)


def test_a_tempo_change_moves_the_beats_of_its_own_segment_only() -> None:
    tempo = tempo_at(THREE, 5.1, +20)
    assert tempo is not None and tempo.segment == 0
    changed = onsets_between(THREE, tempo, 5.1, float(THREE.total))
    planned = onsets_between(THREE, None, 5.1, float(THREE.total))
    in_a = [o for o in changed if o.position < 20]
    # From the next step on, beats come at the new cadence (117 spm) ...
    assert in_a[0].position == tempo.anchor + 60.0 / 117
    assert all(math.isclose(b.position - a.position, 60 / 117) for a, b in pairwise(in_a))
    assert in_a[0].step == state_at(THREE, 5.1).step + 1
    # ... and segment B starts on its own plan.
    assert [o for o in changed if o.position >= 20] == [o for o in planned if o.position >= 20]


def test_no_onsets_in_an_empty_or_reversed_window_or_past_the_end() -> None:
    assert onsets_between(THREE, None, 5.0, 5.0) == []
    assert onsets_between(THREE, None, 6.0, 5.0) == []
    assert onsets_between(THREE, None, float(THREE.total), THREE.total + 10.0) == []


def test_onsets_are_made_lazily() -> None:
    onsets = iter_onsets(THREE, None, 0.0, 1e9)
    assert isinstance(onsets, Iterator)
    assert next(onsets).position == 0.0


# -- click shapes ----------------------------------------------------------------------


def crossings(samples: array[int]) -> int:
    signs = [s > 0 for s in samples if s != 0]
    return sum(1 for a, b in pairwise(signs) if a != b)


def test_clicks_are_a_few_milliseconds_and_start_and_end_at_silence() -> None:
    rate = 44100
    for recipe in (ACCENT_RECIPE, HEEL_RECIPE, PHASE_RECIPE):
        shape = click_shape(recipe, rate)
        peak = max(abs(s) for s in shape)
        assert len(shape) <= 0.010 * rate
        assert shape[-1] == 0
        assert 0 < abs(shape[0]) < 0.02 * peak  # a nonzero onset sample, but no step
        # Raised-cosine attack: the level only grows over the first samples.
        assert abs(shape[1]) < 0.1 * peak


def test_the_left_accent_is_louder_and_higher_than_the_right_click_and_the_tick_softest() -> None:
    clicks = Clicks.make(48000)
    peak = {kind: max(abs(s) for s in clicks.shape(kind)) for kind in OnsetKind}
    assert peak[OnsetKind.ACCENT] > 1.4 * peak[OnsetKind.HEEL] > 1.4 * peak[OnsetKind.PHASE]
    pitch = {kind: crossings(clicks.shape(kind)) / len(clicks.shape(kind)) for kind in OnsetKind}
    assert pitch[OnsetKind.ACCENT] > 1.3 * pitch[OnsetKind.HEEL]


def test_volume_scales_the_clicks_and_zero_is_silence() -> None:
    full = Clicks.make(44100, 1.0).accent
    half = Clicks.make(44100, 0.5).accent
    assert math.isclose(max(half), max(full) / 2, rel_tol=0.01)
    assert not any(Clicks.make(44100, 0.0).accent)


# -- mixing ----------------------------------------------------------------------------


def flat(chunks: Iterator[array[int]]) -> array[int]:
    out = array("h")
    for chunk in chunks:
        out.extend(chunk)
    return out


@settings(max_examples=25, deadline=None)
@given(chunk=st.integers(1, 5000))
def test_the_chunk_size_changes_nothing_in_the_samples(chunk: int) -> None:
    clicks = Clicks.make(8000)
    total = 8000 * 12
    reference = flat(mix_chunks(iter_onsets(THREE, None, 0, 12, True), clicks, total, 8000))
    mixed = flat(mix_chunks(iter_onsets(THREE, None, 0, 12, True), clicks, total, chunk))
    assert mixed == reference


def test_chunks_add_up_to_exactly_the_frames_asked_for() -> None:
    chunks = list(mix_chunks(iter(()), Clicks.make(8000), 8000 * 3 + 17, 1000))
    assert [len(c) for c in chunks] == [1000] * 24 + [17]
    assert not any(any(c) for c in chunks)


def test_a_click_sits_at_round_position_times_rate() -> None:
    clicks = Clicks.make(8000)
    onset = Onset(0.61856, 1, OnsetKind.HEEL, StridePhase.HEEL_STRIKE)
    samples = flat(mix_chunks([onset], clicks, 8000, 333))
    at = round(0.61856 * 8000)
    assert samples[at - 1] == 0
    assert samples[at : at + len(clicks.heel)] == clicks.heel


def test_a_click_crossing_a_chunk_boundary_carries_its_tail_over() -> None:
    clicks = Clicks.make(8000)
    onset = Onset(0.1, 0, OnsetKind.ACCENT, StridePhase.HEEL_STRIKE)
    chunks = list(mix_chunks([onset], clicks, 2000, 810))  # the click starts at 800
    assert chunks[0][800:] == clicks.accent[:10]
    assert chunks[1][: len(clicks.accent) - 10] == clicks.accent[10:]


def test_overlapping_sounds_saturate_instead_of_wrapping() -> None:
    loud = array("h", [30000, -30000, 20000] * 10)
    mixer = Mixer(Clicks.make(8000))
    mixer.add_clip(Clip(0, loud, speech=False))
    mixer.add_clip(Clip(0, loud, speech=False))
    out = mixer.render(0, 30)
    assert list(out[:3]) == [32767, -32768, 32767]


def test_the_beat_is_ducked_by_half_under_speech_only() -> None:
    clicks = Clicks.make(8000)
    speech = Clip(1000, array("h", [1] * 2000))
    onsets = [
        Onset(0.05, 0, OnsetKind.ACCENT, StridePhase.HEEL_STRIKE),  # before the speech
        Onset(0.2, 1, OnsetKind.HEEL, StridePhase.HEEL_STRIKE),  # inside it
    ]
    samples = flat(mix_chunks(onsets, clicks, 8000, 512, clips=[speech]))
    before = samples[400 : 400 + len(clicks.accent)]
    inside = samples[1600 : 1600 + len(clicks.heel)]
    assert before == clicks.accent
    assert max(inside) - 1 == round(max(clicks.heel) * 0.5)


def test_a_cut_fades_a_playing_click_quickly_and_drops_later_ones() -> None:
    clicks = Clicks.make(48000)
    mixer = Mixer(clicks)
    mixer.add_click(0, OnsetKind.ACCENT)
    mixer.add_click(300, OnsetKind.HEEL)
    mixer.cut(100, fade=48)
    out = mixer.render(0, 1000)
    assert out[:100] == clicks.accent[:100]
    assert all(abs(out[i]) <= abs(clicks.accent[i]) for i in range(100, 148))
    assert not any(out[148:])


def test_mixing_pulls_onsets_and_clips_lazily() -> None:
    def endless() -> Iterator[Onset]:
        step = 0
        while True:
            yield Onset(step * 0.5, step, OnsetKind.ACCENT, StridePhase.HEEL_STRIKE)
            step += 1

    pulled = mix_chunks(endless(), Clicks.make(8000), 8000 * 10**6, 8000)
    assert len(next(pulled)) == 8000
