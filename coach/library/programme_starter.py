"""`coach programmes new`: write a commented starter programme (or a copy) to the user's folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from coach.library.programmes import ProgrammeNotFound, find_programme, list_programmes
from coach.library.routines import SAFE_ID, Origin
from coach.paths import HomeError, ensure_dir, user_programmes_dir


class ProgrammeStarterError(Exception):
    """The programme could not be created; the message says why in one line."""


@dataclass(frozen=True)
class CreatedProgramme:
    path: Path
    shadows_builtin: bool


STARTER = """\
# {id}.yaml: a coach walking programme (format version 1).
# Check it with `coach programmes validate {path}`;
# start it with `coach plan start {id}`. See the README for every key.
version: 1
name: {title}
description: >
  What this programme builds up to, in a sentence or two.
tags: [mine]
progression:                  # when a week counts as a flare and what happens then
  on_flare: hold              # hold | step_back (go back one week)
  flare_walks: 2              # walks in a week with pain up 2 points or 30% after
weeks:                        # walked in order; the plan moves on after a full week without a flare
  - sessions: 3               # sessions in the week (on Mon, Wed, Fri)
    minutes: 10               # minutes per session; a walk of 80% of them counts (8 of 10)
    note: An easy pace you could talk at.
  - sessions: 3
    minutes: 15
  - sessions: 4               # four days: Mon, Tue, Thu, Fri
    minutes: 15
  - sessions: 10
    per_day: 2                # two short walks a day on five days
    routines: [desk-break]    # ... or routines to walk, taken in turn (not minutes)
"""


def create_programme(name: str, from_programme: str | None = None) -> CreatedProgramme:
    """Create NAME.yaml in the user's programmes folder; never overwrite a file."""
    if not SAFE_ID.match(name):
        raise ProgrammeStarterError(
            f"{name!r} is not a usable programme name: use 1–64 lowercase letters, digits, "
            "'-' or '_', starting with a letter or digit (e.g. back-to-walking)"
        )
    try:
        folder = ensure_dir(user_programmes_dir())
    except HomeError as exc:
        raise ProgrammeStarterError(str(exc)) from None
    path = folder / f"{name}.yaml"
    if path.exists() or (folder / f"{name}.yml").exists():
        raise ProgrammeStarterError(f"{path} already exists; choose another name or edit that file")
    if from_programme is None:
        title = name.replace("-", " ").replace("_", " ").capitalize()
        if not isinstance(yaml.safe_load(title), str):
            title = f'"{title}"'  # `Null`, `Yes` or `2024` would not read back as text
        text = STARTER.format(id=name, path=path, title=title)
    else:
        try:
            source = find_programme(from_programme)
        except ProgrammeNotFound as exc:
            raise ProgrammeStarterError(str(exc)) from None
        try:
            text = source.path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProgrammeStarterError(f"cannot read {source.path}: {exc}") from None
        text = f"# {name}.yaml: copied from {source.id} ({source.path}).\n{text}"
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise ProgrammeStarterError(f"cannot write {path}: {exc.strerror or exc}") from None
    builtins = {e.id for e in list_programmes() if e.origin is Origin.BUILT_IN or e.shadows_builtin}
    return CreatedProgramme(path=path, shadows_builtin=name in builtins)
