"""Home: the routines (built-in and mine), what the highlighted one is like, and how
recent walks went. Enter walks; every other action has a key in the footer or the help
(`?`): copy, rename and delete a routine among them."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from coach.core.routine.durations import format_clock
from coach.core.text import visible_text
from coach.library.outlines import Outlines
from coach.library.routines import Origin, RoutineEntry, list_routines
from coach.store import StoreError
from coach.tui.routine_views import CadenceProfile, IntensityLegend, TimelineBar
from coach.tui.typed import coach_app
from coach.tui.widgets.key_footer import KeyFooter
from coach.tui.widgets.keys_help import ListsItsKeys
from coach.tui.widgets.pain_trend import PainTrend

if TYPE_CHECKING:
    from coach.core.records import HistoryEntry
    from coach.core.routine.outline import Outline
    from coach.tui.widgets.plan_panel import PlanPanel

RECENT_WALKS = 12


class RoutineList(OptionList):
    """The routines: a click highlights one; a double click (or Enter) walks it."""

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # OptionList's own click would walk at once
        clicked = event.style.meta.get("option")
        if not isinstance(clicked, int) or self.get_option_at_index(clicked).disabled:
            return
        self.highlighted = clicked
        if event.chain >= 2:
            self.action_select()


class HomeScreen(ListsItsKeys, Screen[None]):
    """Lists every routine; Enter starts the highlighted one."""

    CSS_PATH = ["home.tcss", "../widgets/keys_help.tcss"]
    # Focused as home is shown, before its footer first lists the keys: one footer
    # build, with the list's keys, in home's first frame.
    AUTO_FOCUS = "#routines"

    BINDINGS = [
        Binding("enter", "walk", "Walk", priority=True, tooltip="Walk the highlighted routine"),
        Binding("e", "edit", "Edit", tooltip="Edit it (a built-in: saving makes your copy)"),
        Binding("n", "app.new_routine", "New", tooltip="New routine from a commented starter"),
        # Footer room is for the everyday keys; these three are in the help and palette.
        Binding("p", "copy", "Copy", show=False, tooltip="Copy it (a built-in too), new name"),
        Binding("r", "rename", "Rename", show=False, tooltip="Rename one of yours"),
        Binding("d", "delete", "Delete", show=False, tooltip="Delete one of yours (asks first)"),
        Binding("h", "app.history", "History", tooltip="Your walks and check-ins"),
        Binding("c", "app.checkin", "Check in", tooltip="How your back feels now, no walk"),
        Binding("t", "walk_today", "Today's session", show=False, tooltip="Walk today's session"),
        Binding("slash", "filter", "Filter", show=False, tooltip="Filter the routines by id"),
        Binding("question_mark", "app.toggle_help", "Help", tooltip="Show or hide these keys"),
        Binding("q", "app.quit", "Quit", tooltip="Quit coach"),
    ]
    KEYS_HELP = (
        ("↑ ↓", "Choose a routine (a click does too; a double click walks)"),
        ("Esc", "Clear the filter"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[RoutineEntry] = []
        self.shown: list[RoutineEntry] = []
        self._details_of: RoutineEntry | None = None  # whose details are shown
        self._outlines = Outlines()  # what earlier starts drew: no file read for those

    def compose(self) -> ComposeResult:
        yield Header()
        # The plan panel (#plan-panel) and the monthly question (#recurrence) come above
        # #home once the first frame is out: both are hidden until their data is read.
        with Horizontal(id="home"):
            with Vertical(id="home-left"):
                yield Input(placeholder="/ to filter routines", id="filter", compact=True)
                yield RoutineList(id="routines")
            with VerticalScroll(id="details-pane"):
                yield Static("", id="details-head", markup=False)
                yield TimelineBar(id="timeline-bar")
                yield IntensityLegend(id="legend")
                yield Static("", id="cadence-label", markup=False)
                yield CadenceProfile(id="cadence")
                yield Static("", id="details-body", markup=False)
                yield Static("", id="recent", markup=False)
                yield PainTrend(id="pain-trend")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "coach"
        self.sub_title = "walk tall, walk easy"
        self.reload()

    def on_screen_resume(self) -> None:
        # Also when home is first shown. After the frame: the loads' threads would
        # compete with drawing it for the GIL.
        app = coach_app(self)
        app.after_first_frame(self, self.load_recent)
        app.after_first_frame(self, self._plan_and_question)

    def _plan_and_question(self) -> None:
        """Reload the plan panel; the first time, mount it and the monthly question.

        Neither shows in home's first frame (each reads the store first, in a thread), so
        neither they nor the plan's modules are loaded before that frame."""
        panel = self._plan_panel()
        if panel is not None:
            panel.reload()
            return
        from coach.tui.widgets.plan_panel import PlanPanel
        from coach.tui.widgets.recurrence_prompt import RecurrencePrompt

        panel = PlanPanel(id="plan-panel")
        # Hidden unless the monthly question is due.
        self.mount(panel, RecurrencePrompt(id="recurrence"), before="#home")
        panel.reload()

    def _plan_panel(self) -> PlanPanel | None:
        """The plan panel, once mounted."""
        # By id: bindings are checked before the first frame, and the panel's module
        # (with the plan's) loads after it.
        return cast("PlanPanel | None", self.query_one_optional("#plan-panel"))

    def reload(self, select: str | None = None) -> None:
        """Re-read the routine folders (after a new routine, a save, a rename…).

        The highlight stays on the same routine, or moves to `select` (one just made),
        clearing the filter if it would hide that one.
        """
        self.entries = list_routines()
        box = self.query_one("#filter", Input)
        if select is not None and box.value:
            query = box.value.strip().lower()
            if query not in select.lower():
                with self.prevent(Input.Changed):
                    box.value = ""
        self._show_matching(box.value, keep=select)

    def _show_matching(self, query: str, keep: str | None = None) -> None:
        """List the routines whose id contains `query`, highlighting `keep` (by default
        the one highlighted now) if it is among them, else the first."""
        if keep is None:
            current = self._highlighted_entry()
            keep = current.id if current is not None else None
        query = query.strip().lower()
        self.shown = [e for e in self.entries if query in e.id.lower()]
        routines = self.query_one("#routines", OptionList)
        routines.clear_options()
        options = []
        for entry in self.shown:
            label = Text(entry.id, no_wrap=True, overflow="ellipsis")
            if entry.origin is Origin.MINE:
                mine = "  mine" + (" · hides built-in" if entry.shadows_builtin else "")
                label.append(mine, style="dim")
            options.append(Option(label, id=entry.id))
        routines.add_options(options)
        if options:
            ids = [entry.id for entry in self.shown]
            routines.highlighted = ids.index(keep) if keep in ids else 0
            if self._details_of is None:
                # Home's first frame shows the highlighted routine too: one frame, whole.
                self._show_details(self.shown[routines.highlighted])
        else:
            self._clear_details("No routine matches the filter." if query else "No routines.")

    # -- filter ----------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._show_matching(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#routines", OptionList).focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus or box.value:
            box.value = ""
            self.query_one("#routines", OptionList).focus()

    # -- details ---------------------------------------------------------------------

    def _clear_details(self, message: str) -> None:
        self._details_of = None  # the next highlight draws its routine, even the same one
        self.query_one("#details-head", Static).update(Text(message))
        for selector in ("#cadence-label", "#details-body"):
            self.query_one(selector, Static).update("")
        self.query_one("#timeline-bar", TimelineBar).show(None)
        self.query_one("#cadence", CadenceProfile).show(None)

    @on(OptionList.OptionHighlighted, "#routines")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.shown[event.option_index]
        if entry is self._details_of:
            return  # drawn already (the first, as the list was filled)
        # Moving through the list: the highlight moves at once, the file is read after.
        self.call_after_refresh(self._show_details, entry)

    def _show_details(self, entry: RoutineEntry) -> None:
        if entry not in self.shown:
            return  # filtered away meanwhile
        self._details_of = entry
        outline = self._outlines.get(entry.path)
        if outline is None:
            outline = self._read_outline(entry)
            if outline is None:
                return
        source = {Origin.BUILT_IN: "built-in", Origin.MINE: "mine", Origin.FILE: "file"}
        count = len(outline.ends)
        head = Text()
        head.append(outline.name, style="bold")
        head.append(
            f"\n{format_clock(outline.total)} · {count} segment{'' if count == 1 else 's'} "
            f"· {source[entry.origin]}",
            style="dim",
        )
        if entry.shadows_builtin:
            head.append(
                f"\nYours hides the built-in {entry.id}; deleting yours (d) brings it back.",
                style="dim italic",
            )
        self.query_one("#details-head", Static).update(head)
        self.query_one("#timeline-bar", TimelineBar).show(outline)
        low, high = min(outline.cadences), max(outline.cadences)
        cadence_range = str(low) if low == high else f"{low}–{high}"
        self.query_one("#cadence-label", Static).update(
            Text(f"Cadence {cadence_range} steps/min", style="dim")
        )
        self.query_one("#cadence", CadenceProfile).show(outline)
        body = Text(outline.description)
        if outline.tags:
            body.append("\ntags: " + ", ".join(outline.tags), style="dim")
        self.query_one("#details-body", Static).update(body)

    def _read_outline(self, entry: RoutineEntry) -> Outline | None:
        """Read the routine's file for its outline, kept for the next start; or show its
        errors and return None."""
        from coach.core.routine import compile_timeline, load_file  # not needed for the list
        from coach.core.routine.outline import outline_of
        from coach.library.outlines import stamp

        when_read = stamp(entry.path)
        result = load_file(entry.path)
        if result.routine is None:
            self._clear_details(f"{entry.id} has errors (e to edit):")
            self.query_one("#details-body", Static).update(
                Text(visible_text("\n".join(result.report())), style="red")
            )
            return None
        outline = outline_of(result.routine, compile_timeline(result.routine))
        self._outlines.keep(entry.path, when_read, outline)
        coach_app(self).after_first_frame(self, self._outlines.save)
        return outline

    # -- recent walks ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="recent")
    def load_recent(self) -> None:
        store = coach_app(self).store
        if store is None:
            return
        try:
            walks = store.history(walks_only=True, limit=RECENT_WALKS)
        except StoreError:
            return
        # A newer load (after another write) has replaced this one: its result is older.
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_recent, walks)

    def _show_recent(self, walks: list[HistoryEntry]) -> None:
        from coach.core.wording import pain_mark, walk_status

        recent = self.query_one("#recent", Static)
        damaged = [d.entry for d in getattr(walks, "damaged", ())]
        left_out = Text(
            f"\nLeft out, damaged: {', '.join(damaged)} (see history)" if damaged else "",
            style="dim",
        )
        if not walks:
            recent.update(
                Text("No walks yet: pick a routine and press Enter.", style="dim") + left_out
            )
            self.query_one("#pain-trend", PainTrend).display = False
            return
        last = walks[0]
        when = last.started.astimezone().strftime("%a %d %b %H:%M")
        text = Text()
        text.append("\nLast walk ", style="bold")
        text.append(f"{when}\n")
        text.append(visible_text(last.routine_name or ""))
        text.append(f" · {format_clock(last.walked_seconds or 0)} · {walk_status(last)}")
        if (
            last.before
            and last.after
            and last.before.pain is not None
            and last.after.pain is not None
        ):
            text.append(f" · pain {last.before.pain} → {last.after.pain}")
            mark = pain_mark(last)
            if mark is not None:
                text.append(f" {mark.symbol}")
        text.append_text(left_out)
        pains = [w.after.pain for w in reversed(walks) if w.after and w.after.pain is not None]
        trend = self.query_one("#pain-trend", PainTrend)
        if pains:
            text.append(f"\nPain after your last {len(pains)} walks (0–10):", style="dim")
            trend.show(pains)
            trend.display = True
        else:
            trend.display = False
        recent.update(text)

    # -- actions ---------------------------------------------------------------------

    def _highlighted_entry(self) -> RoutineEntry | None:
        routines = self.query_one("#routines", OptionList)
        if routines.highlighted is None or not self.shown:
            return None
        return self.shown[routines.highlighted]

    @on(OptionList.OptionSelected, "#routines")
    def _selected(self) -> None:
        self.action_walk()

    def action_walk(self) -> None:
        panel = self._plan_panel()
        if panel is not None and panel.has_focus:
            panel.action_walk_today()
            return
        entry = self._highlighted_entry()
        if entry is not None:
            # Back from the walk, the keys work on the list, not in the filter box.
            self.query_one("#routines", OptionList).focus()
            coach_app(self).start_walk(entry)

    def action_edit(self) -> None:
        entry = self._highlighted_entry()
        if entry is not None:
            coach_app(self).edit_routine(entry)

    # -- the plan ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "walk_today":  # only with a session due today (and in the keys panel)
            panel = self._plan_panel()
            today = panel.today if panel is not None else None
            return today is not None and today.routine is not None
        return True

    def action_walk_today(self) -> None:
        panel = self._plan_panel()
        if panel is not None:
            panel.action_walk_today()

    def on_plan_panel_walk_today(self, event: PlanPanel.WalkToday) -> None:
        coach_app(self).start_walk(event.routine)

    def key_down(self) -> None:
        panel = self._plan_panel()
        if self.query_one("#filter", Input).has_focus or (panel is not None and panel.has_focus):
            self.query_one("#routines", OptionList).focus()

    def action_copy(self) -> None:
        entry = self._highlighted_entry()
        if entry is not None:
            from coach.tui import routine_actions

            routine_actions.copy_routine(coach_app(self), entry)

    def action_rename(self) -> None:
        entry = self._highlighted_entry()
        if entry is not None:
            from coach.tui import routine_actions

            routine_actions.rename_routine(coach_app(self), entry)

    def action_delete(self) -> None:
        entry = self._highlighted_entry()
        if entry is not None:
            from coach.tui import routine_actions

            routine_actions.delete_routine(coach_app(self), entry)
