"""The programme JSON Schema agrees with the validator; every built-in programme is valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from coach.core.programme import load_file, load_text, programme_schema, schema_json

REPO = Path(__file__).resolve().parents[2]
BUILTINS = sorted((REPO / "programmes").glob("*.yaml"))
BUILTIN_ROUTINES = {path.stem for path in (REPO / "routines").glob("*.yaml")}

SCHEMA_VALIDATOR = Draft202012Validator(programme_schema())


def schema_errors(text: str) -> list[str]:
    instance: Any = yaml.safe_load(text)
    return [error.message for error in SCHEMA_VALIDATOR.iter_errors(instance)]


def validator_errors(text: str) -> list[str]:
    result = load_text(text, "t", "t.yaml", known_routines=BUILTIN_ROUTINES)
    return [d.headline("t.yaml") for d in result.errors]


def programme(week: str = "{sessions: 3, minutes: 10}", head: str = "") -> str:
    return f"name: Plan\n{head}weeks:\n  - {week}\n"


def test_the_walkback_and_desk_pad_programmes_are_built_in() -> None:
    assert {"walkback", "desk-pad"} <= {path.stem for path in BUILTINS}


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(programme_schema())


def test_schema_json_is_the_schema_as_json() -> None:
    assert json.loads(schema_json()) == programme_schema()


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_builtin_programme_loads_without_errors_or_warnings(path: Path) -> None:
    result = load_file(path, known_routines=BUILTIN_ROUTINES)
    assert result.diagnostics == (), result.report()
    assert result.programme is not None
    assert result.programme.id == path.stem


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_builtin_programme_matches_the_schema(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []


def test_walkback_goes_from_ten_minutes_on_three_days_to_thirty_on_five_over_twelve_weeks() -> None:
    walkback = load_file(REPO / "programmes" / "walkback.yaml").programme
    assert walkback is not None
    first, last = walkback.weeks[0], walkback.weeks[-1]
    assert (first.sessions, first.minutes) == (3, 10)
    assert (last.sessions, last.minutes) == (5, 30)
    assert len(walkback.weeks) == 12
    assert walkback.description is not None
    assert "modelled on, not a copy of" in " ".join(walkback.description.lower().split())


def test_desk_pad_plans_several_walks_a_day_using_built_in_routines() -> None:
    desk_pad = load_file(REPO / "programmes" / "desk-pad.yaml").programme
    assert desk_pad is not None
    assert all(week.per_day >= 2 for week in desk_pad.weeks)
    assert set(desk_pad.routine_ids) == {"desk-break", "walking-pad"}


BAD = {
    "unknown programme key": "name: P\nweek: []\nweeks: [{sessions: 3, minutes: 10}]\n",
    "unknown week key": programme("{sessions: 3, minutes: 10, colour: red}"),
    "unknown progression key": programme(head="progression: {on_flair: hold}\n"),
    "version 2": "version: 2\n" + programme(),
    "missing name": "weeks: [{sessions: 3, minutes: 10}]\n",
    "missing weeks": "name: P\n",
    "empty weeks": "name: P\nweeks: []\n",
    "105 weeks": "name: P\nweeks: [" + ", ".join(["{sessions: 1, minutes: 5}"] * 105) + "]\n",
    "weeks a mapping": "name: P\nweeks: {sessions: 3, minutes: 10}\n",
    "name 81": programme().replace("Plan", "n" * 81),
    "name empty": programme().replace("Plan", "''"),
    "description control": programme(head='description: "a\\x07"\n'),
    "tag 41": programme(head=f"tags: [{'t' * 41}]\n"),
    "missing sessions": programme("{minutes: 10}"),
    "sessions 0": programme("{sessions: 0, minutes: 10}"),
    "sessions 85": programme("{sessions: 85, per_day: 12, minutes: 10}"),
    "sessions decimal": programme("{sessions: 2.5, minutes: 10}"),
    "sessions quoted": programme("{sessions: '3', minutes: 10}"),
    "neither minutes nor routines": programme("{sessions: 3}"),
    "both minutes and routines": programme("{sessions: 3, minutes: 10, routines: [desk-break]}"),
    "minutes 0": programme("{sessions: 3, minutes: 0}"),
    "minutes 241": programme("{sessions: 3, minutes: 241}"),
    "minutes as a duration": programme("{sessions: 3, minutes: 10m}"),
    "per_day 0": programme("{sessions: 3, minutes: 10, per_day: 0}"),
    "per_day 13": programme("{sessions: 3, minutes: 10, per_day: 13}"),
    "routines empty": programme("{sessions: 3, routines: []}"),
    "routine id capitalised": programme("{sessions: 3, routines: [Desk-Break]}"),
    "routine id a path": programme("{sessions: 3, routines: ['../x']}"),
    "routine id a number": programme("{sessions: 3, routines: [5]}"),
    "21 routines": programme("{sessions: 3, routines: [" + ", ".join(["desk-break"] * 21) + "]}"),
    "note 201": programme(f"{{sessions: 3, minutes: 10, note: {'n' * 201}}}"),
    "on_flare unknown": programme(head="progression: {on_flare: pause}\n"),
    "flare_walks 0": programme(head="progression: {flare_walks: 0}\n"),
    "flare_walks 8": programme(head="progression: {flare_walks: 8}\n"),
    "progression text": programme(head="progression: gently\n"),
    "root a list": "- name: P\n",
}


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_bad_programme_is_rejected_by_the_validator(text: str) -> None:
    assert validator_errors(text)


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_bad_programme_is_rejected_by_the_schema_too(text: str) -> None:
    assert schema_errors(text)


GOOD = {
    "minimal": programme(),
    "version 1": "version: 1\n" + programme(),
    "everything": (
        "version: 1\nname: P\ndescription: >\n  Two\n  lines.\ntags: [a, b]\n"
        "progression: {on_flare: step_back, flare_walks: 7}\n"
        "weeks:\n  - {sessions: 84, per_day: 12, minutes: 240, note: Long.}\n"
        "  - {sessions: 1, routines: [desk-break, walking-pad]}\n"
    ),
    "a single routine id": programme("{sessions: 3, routines: desk-break}"),
    "sessions fill the week at one a day": programme("{sessions: 7, minutes: 5}"),
    "104 weeks": "name: P\nweeks: [" + ", ".join(["{sessions: 1, minutes: 5}"] * 104) + "]\n",
    "hold": programme(head="progression: {on_flare: hold}\n"),
    "unicode name": programme().replace("Plan", "Zurück 🚶"),
}


@pytest.mark.parametrize("text", GOOD.values(), ids=GOOD.keys())
def test_good_programme_is_accepted_by_the_validator(text: str) -> None:
    assert validator_errors(text) == []


@pytest.mark.parametrize("text", GOOD.values(), ids=GOOD.keys())
def test_good_programme_is_accepted_by_the_schema(text: str) -> None:
    assert schema_errors(text) == []


# Rules JSON Schema cannot state: the schema accepts these and the validator catches them.
# A case failing here means the schema learned the rule: move it to BAD.
VALIDATOR_ONLY = {
    "sessions that do not fit in 7 days": programme("{sessions: 8, minutes: 10}"),
    "more sessions than per_day allows": programme("{sessions: 15, per_day: 2, minutes: 10}"),
    "a routine that does not exist": programme("{sessions: 3, routines: [desk-brake]}"),
    "duplicate key": "name: P\nname: Q\nweeks: [{sessions: 3, minutes: 10}]\n",
}


@pytest.mark.parametrize("text", VALIDATOR_ONLY.values(), ids=VALIDATOR_ONLY.keys())
def test_rule_beyond_json_schema_is_left_to_the_validator(text: str) -> None:
    assert validator_errors(text)
    assert schema_errors(text) == []
