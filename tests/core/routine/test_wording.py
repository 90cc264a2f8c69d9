"""What the built-in routines, default cues and starter say: accurate, and never fragile-back talk.

SPEC §10 "Wording": walking is safe and helpful for most back pain; no "protect your back",
no mechanism stated as fact where the evidence is weak, posture as comfort and variety, and
a note for people whose legs ache or tingle when they stand tall.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from coach.core.routine import StridePhase, load_text
from coach.core.routine.model import DEFAULT_CUES
from coach.library.starter import STARTER
from coach.paths import builtin_routines_dir

BUILTINS = sorted(builtin_routines_dir().glob("*.yaml"))
STARTER_TEXT = STARTER.format(id="lunch-loop", path="lunch-loop.yaml", title="Lunch loop")

# Fragile-back messages and mechanisms stated as fact (the review of issue 18).
UNSUPPORTED = re.compile(
    r"protect|decompress|spinal load|load on the spine|before it reaches|doesn't have to"
    r"|absorb|share the load|zip|set the beat|legs will follow|arms make quick"
    r"|balances? your spine|space between|core lightly|lightly engaged",
    re.IGNORECASE,
)
STANDING_TALL = re.compile(r"\b(stand|walk|walking|stay|staying) tall\b|\btall spine\b", re.I)
LEGS_NOTE = re.compile(r"legs ache or tingle.*tell a clinician", re.IGNORECASE)


def texts(node: object) -> Iterator[str]:
    """Every string in a parsed YAML document."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


def routine_texts(text: str) -> list[str]:
    return [" ".join(t.split()) for t in texts(yaml.safe_load(text))]


README = Path(__file__).resolve().parents[3] / "README.md"


def readme_example() -> str:
    """The README's complete example routine, after `<!-- example: lunch-loop.yaml -->`."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- example: lunch-loop.yaml -->\n```\w*\n(.*?)\n```", text, re.S)
    assert match, "README has no example routine"
    return match.group(1)


SOURCES = {path.stem: path.read_text(encoding="utf-8") for path in BUILTINS} | {
    "starter": STARTER_TEXT,
    "readme-example": readme_example(),
}


def test_the_starters_cues_load_as_exactly_the_sentences_written() -> None:
    result = load_text(STARTER_TEXT, "lunch-loop")
    assert result.routine is not None and not result.diagnostics
    assert result.routine.cues.lists == {
        StridePhase.HEEL_STRIKE: (
            "Land softly on your heel and roll through to the toes",
            "Feel each heel strike as a light tap travelling up through legs and hips",
        ),
        StridePhase.HIP_ROTATION: (
            "Let the hips turn gently with each step; belly soft, breath easy",
        ),
        StridePhase.ARM_SWING: ("Swing your arms opposite to your legs, elbows soft",),
    }
    assert result.routine.posture is not None
    assert result.routine.posture.cues == (
        "Walk tall and easy, crown of the head reaching up",
        "Shoulders low and relaxed, away from your ears",
        "Legs ache or tingle when you stand tall? Ease forward, slow down, sit if needed, "
        "and tell a clinician",
    )


def test_there_are_built_in_routines_to_check() -> None:
    assert len(BUILTINS) >= 5


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_no_fragile_back_talk_or_mechanism_stated_as_fact(name: str) -> None:
    found = [text for text in routine_texts(SOURCES[name]) if UNSUPPORTED.search(text)]
    assert found == []


def test_the_default_cues_say_nothing_unsupported() -> None:
    found = [cue for cues in DEFAULT_CUES.values() for cue in cues if UNSUPPORTED.search(cue)]
    assert found == []


def test_the_readme_lists_the_default_cues_as_they_are() -> None:
    listed = " ".join(README.read_text(encoding="utf-8").split())
    for cue in (cue for cues in DEFAULT_CUES.values() for cue in cues):
        assert f"*{cue}*" in listed


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_routine_that_asks_you_to_walk_tall_says_what_to_do_if_legs_ache_or_tingle(
    name: str,
) -> None:
    said = routine_texts(SOURCES[name])
    if any(STANDING_TALL.search(text) for text in said):
        assert any(LEGS_NOTE.search(text) for text in said)


def test_no_built_in_routine_id_names_a_mechanism() -> None:
    assert not [path.stem for path in BUILTINS if UNSUPPORTED.search(path.stem)]
