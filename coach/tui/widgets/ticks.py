"""Ticks and choices whose state shows without colour: `[x]` / `[ ]` and `(•)` / `( )`.

Textual's SelectionList and RadioButton draw the same mark for on and off and tell them
apart by colour alone, which NO_COLOR (or a colour-blind eye) loses.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widgets import OptionList, RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "[x]"
UNTICKED = "[ ]"
CHOSEN = "(•)"
NOT_CHOSEN = "( )"


class TickList(SelectionList[str]):
    """A SelectionList drawing `[x]` beside ticked lines and `[ ]` beside the others."""

    def render_line(self, y: int) -> Strip:
        # OptionList's line (the prompt), not SelectionList's (which adds its own box).
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        ticked = selection.value in self.selected
        component = "selection-list--button" + ("-selected" if ticked else "")
        if self.highlighted == index:
            component += "-highlighted"
        underlying = next(iter(line)).style or self.rich_style
        # The option's index in the meta makes a click on the mark tick it, as before.
        meta = Style(meta={"option": index})
        style = self.get_component_rich_style(component) + meta
        mark = Segment(TICKED if ticked else UNTICKED, style)
        return Strip([mark, Segment(" ", underlying + meta), *line])


class ChoiceButton(RadioButton):
    """A radio button drawn `(•)` when chosen and `( )` when not."""

    @property
    def _button(self) -> Content:
        return Content.styled(
            CHOSEN if self.value else NOT_CHOSEN, self.get_visual_style("toggle--button")
        )
