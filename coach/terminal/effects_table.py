"""`coach history --effects` for people: the effect estimates by routine and by walk length.

The numbers and words come from `coach.core.estimates`, as on the history screen; user
text (routine ids) stays literal.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from coach.core.estimates import (
    OVERLAP_MAY_BE_CHANCE,
    Effects,
    caution,
    effects_explained,
    estimate_words,
    rank_words,
)
from coach.core.text import visible_text
from coach.core.wording import one_line

KEY_WIDTH = 24


def effects_table(effects: Effects, key_title: str) -> Table:
    """One row per group: rank, routine (or walk length), estimate, walks, rated walks."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column(Text("rank"), justify="right", no_wrap=True)
    table.add_column(Text(key_title), no_wrap=True, max_width=KEY_WIDTH)
    table.add_column(Text("pain change (95% interval)"))
    table.add_column(Text("walks"), justify="right", no_wrap=True)
    table.add_column(Text("rated"), justify="right", no_wrap=True)
    for group in effects.groups:
        table.add_row(
            Text(rank_words(effects, group)),
            Text(one_line(visible_text(group.key), KEY_WIDTH)),
            Text(estimate_words(group), style="" if group.estimated else "italic"),
            Text(f"{group.walks:,}"),
            Text(f"{group.rated_walks:,}"),
        )
    return table


def print_effects(routines: Effects, lengths: Effects, filtered: bool) -> None:
    """Both tables, each with its caution, then what the numbers are."""
    console = Console(highlight=False)
    if not routines.groups:
        message = (
            "No walks match these filters."
            if filtered
            else "No walks yet. Start one with: coach walk desk-break"
        )
        console.print(message, markup=False)
        return
    for title, key_title, effects in (
        ("By routine", "routine", routines),
        ("By walk length (walked minutes)", "walk length", lengths),
    ):
        console.print(Text(title, style="bold"))
        console.print(effects_table(effects, key_title))
        said = caution(effects)
        if said is not None and not said.startswith("No estimates"):
            console.print(said, markup=False)
        console.print()
    console.print(f"{effects_explained(routines)} {OVERLAP_MAY_BE_CHANCE}", markup=False)
