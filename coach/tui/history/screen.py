"""History: does walking ease *your* back? Summary, chart, routines and every walk.

The store is read in a thread worker, so the screen paints at once and stays responsive
with tens of thousands of walks. The walks table receives rows a page at a time (the
newest first, more as you scroll): a DataTable measures every cell it is given, which
for 20,000 walks would block the screen for seconds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from coach.core.chart import ChartSeries, chart_series
from coach.core.estimates import Effects, band_estimates, effects_caption, routine_estimates
from coach.core.records import HistoryEntry
from coach.core.recurrence import Recurrence, summarize_recurrence
from coach.core.text import visible_text
from coach.core.trends import (
    Summary,
    day_range_utc,
    parse_day,
    summarize,
    summary_first_day,
)
from coach.core.wording import MARKS_LEGEND, plural
from coach.store import DamagedRow, Store, StoreError
from coach.tui.history.chart import PainChart
from coach.tui.history.record import RecordScreen
from coach.tui.history.summary import HistorySummary
from coach.tui.history.tables import (
    EntryNotes,
    RoutineTable,
    WalkTable,
    hidden_facts,
)
from coach.tui.widgets.key_footer import KeyFooter
from coach.tui.widgets.keys_help import ListsItsKeys

ALL_ROUTINES = ""  # the routine filter's value for "every routine"
PAGE_ROWS = 60
MORE_ROWS_WITHIN = 20  # add the next page when the cursor or view is this close to the end


@dataclass(frozen=True)
class HistoryFilter:
    """What the person asked to see: one routine (or all) and local days (inclusive)."""

    routine_id: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.routine_id or self.since or self.until)


@dataclass(frozen=True)
class EffectFigures:
    """The effect estimates of the walks matching the filters: by routine and by length."""

    routines: Effects
    lengths: Effects


@dataclass(frozen=True)
class HistoryFigures:
    """What one load works out from the entries, off the event loop."""

    summary: Summary | None  # None when only the filtered part was reloaded
    recurrence: Recurrence | None  # None also when the question has not been answered yet
    routine_ids: tuple[str, ...] | None
    total: int  # entries matching the filters (the table may hold only the first page)


class HistoryScreen(ListsItsKeys, Screen[None]):
    """The person's walks and check-ins, with what they say about their back."""

    CSS_PATH = ["history.tcss", "../widgets/keys_help.tcss"]
    BINDINGS = [
        Binding("escape,q", "back", "Back", tooltip="Back to home (from a date box: the table)"),
        Binding("s", "stiffness", "Stiffness", tooltip="Chart stiffness instead of pain, and back"),
        Binding("f", "filters", "Filters", tooltip="Go to the filters (Tab moves between them)"),
        Binding("r", "refresh", "Reload", tooltip="Read the history again"),
        Binding("v", "next_view", "View", tooltip="Next view: Walks, Chart, Routines"),
        Binding("question_mark", "app.toggle_help", "Help", tooltip="Show or hide these keys"),
        # Only on the Routines view (check_action), whose title line names the key: the
        # footer has no room left for it at 60 columns.
        Binding(
            "l",
            "effects_by_length(True)",
            "By length",
            show=False,
            tooltip="Effects by walk length",
        ),
        Binding(
            "l", "effects_by_length(False)", "By routine", show=False, tooltip="Effects by routine"
        ),
    ]
    KEYS_HELP = (
        ("Enter", "Open the highlighted walk or check-in (on Routines: its walks)"),
        ("↑ ↓ PgUp PgDn Home End", "Move in the table (the mouse wheel scrolls it)"),
    )

    def __init__(
        self, store: Store, today: date | None = None, weekly_target: float | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.today = today  # None: the local date at each load
        self.weekly_target = weekly_target  # the dose's; None: the default
        self.filters = HistoryFilter()
        self.entries: list[HistoryEntry] = []
        self._complete = False  # whether `entries` holds every entry or the first page
        self._total = 0
        self._loading_rest = False
        self.charts: dict[str, ChartSeries] = {}
        self.routine_ids: tuple[str, ...] = ()
        self._rows_shown = 0
        self._summary_stale = True
        self._effects_stale = True
        self.effects: EffectFigures | None = None
        self.effects_by_length = False
        self._chart_wanted = False  # the chart has been opened: work out its series too
        # Where the cursor goes when rows arrive: back to this entry, else to this row.
        self._keep_cursor: tuple[str | None, int] = (None, 0)
        self._painted = threading.Event()
        self.damaged: dict[str, DamagedRow] = {}  # entries that could not be read, by name

    def compose(self) -> ComposeResult:
        yield Header()
        yield HistorySummary(id="summary")
        with Horizontal(id="filters"):
            yield Select(
                [(Text("All routines"), ALL_ROUTINES)],
                value=ALL_ROUTINES,
                allow_blank=False,
                compact=True,
                id="routine-filter",
            )
            yield Label("Since", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="since", compact=True, max_length=10)
            yield Label("Until", classes="filter-label")
            yield Input(placeholder="YYYY-MM-DD", id="until", compact=True, max_length=10)
        yield Static("", id="filter-error", markup=False)
        with TabbedContent(id="views"):
            with TabPane("Walks", id="walks-pane"):
                yield WalkTable(id="walks")
                # The highlighted entry: what the columns that did not fit say, and
                # its notes in full.
                with Vertical(id="walk-preview"):
                    yield Static("", id="walk-facts")
                    yield EntryNotes(id="walk-notes")
                yield Static("", id="walks-status", markup=False)
                yield Static("", id="damaged", markup=False)
            with TabPane("Chart", id="chart-pane"):
                yield PainChart(id="chart-view")
            with TabPane("Routines", id="routines-pane"):
                yield Static("", id="effects-title", markup=False)
                yield RoutineTable(id="routine-effects", cursor_type="row")
                yield Static("", id="effects-caption", markup=False)
        yield KeyFooter(compact=True, show_command_palette=False)  # every view key fits at 60

    def on_mount(self) -> None:
        self.title = "History"
        self.sub_title = "does walking ease your back?"
        walks = self.query_one("#walks", WalkTable)
        self.watch(walks, "scroll_y", self._walks_scrolled, init=False)
        walks.focus()
        self.call_after_refresh(self._painted.set)
        self.reload()

    # -- loading ---------------------------------------------------------------------

    def reload(self, summary: bool = False) -> None:
        """Read the store again (off the event loop); `summary` also recomputes it."""
        self._summary_stale = self._summary_stale or summary
        self.query_one("#walks-status", Static).update("Loading…")
        self._load(self.filters, self._summary_stale)

    @work(thread=True, exclusive=True, group="history-load")
    def _load(self, filters: HistoryFilter, with_summary: bool) -> None:
        """Walks first (the table fills), then the count, the summary and the routine ids."""
        worker = get_current_worker()
        # The load holds the GIL for most of its run: let the screen paint first.
        self._painted.wait(timeout=0.05)
        since, until = day_range_utc(filters.since, filters.until)
        try:
            # The newest page first, so the table fills at once; then everything.
            first_page = self.store.history(since, until, filters.routine_id, limit=PAGE_ROWS)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._show_walks, first_page)
            total = self.store.entry_count(since, until, filters.routine_id)
            summary = None
            recurrence = None
            routine_ids = None
            if with_summary:
                # A month of walks, not all of them (the summary's windows are that long),
                # and the days walked for the streak.
                today = self.today or date.today()
                recent_since, _ = day_range_utc(summary_first_day(today), None)
                summary = summarize(
                    self.store.walk_outcomes(recent_since),
                    today,
                    self.store.flagged_count(),
                    walk_days=self.store.walk_days(),
                    target_minutes=self.weekly_target,
                )
                routine_ids = self.store.routine_ids()
                recurrence = summarize_recurrence(
                    [answer.answer() for answer in self.store.episode_answers()], today
                )
        except StoreError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_error, str(exc))
            return
        # The per-routine figures and the chart read every walk: they are worked out when
        # their view opens.
        figures = HistoryFigures(
            summary=summary, recurrence=recurrence, routine_ids=routine_ids, total=total
        )
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_figures, figures)

    def _need_everything(self) -> None:
        """Scrolling past the first page or opening the chart needs every entry."""
        if not self._complete and not self._loading_rest:
            self._loading_rest = True
            self._load_rest(self.filters)

    @work(thread=True, exclusive=True, group="history-rest")
    def _load_rest(self, filters: HistoryFilter) -> None:
        worker = get_current_worker()
        since, until = day_range_utc(filters.since, filters.until)
        try:
            entries = self.store.history(since, until, filters.routine_id)
        except StoreError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_error, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_more_entries, filters, entries)

    def _show_error(self, message: str) -> None:
        if not self.is_attached:
            return  # the person left the screen while it was loading
        self.query_one("#walks-status", Static).update(f"Cannot read your history: {message}")

    def _show_figures(self, figures: HistoryFigures) -> None:
        if not self.is_attached:
            return
        if figures.summary is not None:
            self._summary_stale = False
            self.query_one(HistorySummary).show(figures.summary, figures.recurrence)
        if figures.routine_ids is not None:
            self._set_routine_options(figures.routine_ids)
        self._total = figures.total
        self._show_walks_status()
        self._effects_stale = True
        if self.query_one("#views", TabbedContent).active == "routines-pane":
            self._load_effects(self.filters)
        self.charts = {}  # drawn when every entry has arrived (_show_more_entries)

    def _set_routine_options(self, routine_ids: tuple[str, ...]) -> None:
        chosen = self.filters.routine_id
        if chosen and chosen not in routine_ids:
            routine_ids = tuple(sorted((*routine_ids, chosen)))
        if routine_ids == self.routine_ids:
            return
        self.routine_ids = routine_ids
        select = self.query_one("#routine-filter", Select)
        with self.prevent(Select.Changed):
            select.set_options(
                [(Text("All routines"), ALL_ROUTINES)]
                + [(Text(visible_text(r)), r) for r in routine_ids]
            )
            select.value = chosen or ALL_ROUTINES

    def _show_damaged(self, entries: list[HistoryEntry]) -> None:
        """Name each entry that could not be read, on the line under the table."""
        for damaged in getattr(entries, "damaged", ()):
            self.damaged[damaged.entry] = damaged
        line = self.query_one("#damaged", Static)
        line.set_class(bool(self.damaged), "shown")
        line.update(
            "Left out, damaged: "
            + "; ".join(f"{d.entry} ({d.reason})" for d in self.damaged.values())
        )

    def _show_walks(self, entries: list[HistoryEntry]) -> None:
        if not self.is_attached:
            return
        self._show_damaged(entries)
        table = self.query_one("#walks", WalkTable)
        key, row = self._keep_cursor
        self._keep_cursor = (None, 0)
        table.show_entries([])
        self.entries = entries
        # A first page shorter than a page is everything there is.
        self._complete = len(entries) < PAGE_ROWS
        self._rows_shown = 0
        target = next((i for i, e in enumerate(entries) if _entry_key(e) == key), None)
        if target is None:  # gone (deleted) or never asked for: stay on the same row
            target = max(0, min(row, len(entries) - 1))
        self._add_rows(max(PAGE_ROWS, target + MORE_ROWS_WITHIN))
        if target:
            table.move_cursor(row=target, animate=False, scroll=True)
        self._show_preview()

    def _show_more_entries(self, filters: HistoryFilter, entries: list[HistoryEntry]) -> None:
        """The rest of the history arrived: keep what is shown, page on, draw the chart."""
        self._loading_rest = False
        if not self.is_attached or filters != self.filters:
            return
        self.entries = entries
        self._complete = True
        self._show_damaged(entries)
        self._add_rows()
        if self._chart_wanted:
            self._load_chart(entries)

    def _remember_cursor(self) -> None:
        """Keep the cursor on this entry (or row) through the next reload."""
        entry = self.current_entry()
        row = self.query_one("#walks", WalkTable).cursor_row
        self._keep_cursor = (_entry_key(entry) if entry else None, row)

    def _add_rows(self, count: int = PAGE_ROWS) -> None:
        """Give the table the next `count` entries (all at once, in one add_rows)."""
        start = self._rows_shown
        if start + count > len(self.entries):
            self._need_everything()
        page = self.entries[start : start + count]
        if start and not page:
            return
        table = self.query_one("#walks", WalkTable)
        table.add_entries(page)
        self._rows_shown += len(page)
        self._show_walks_status()

    def _show_walks_status(self) -> None:
        total = len(self.entries) if self._complete else max(self._total, len(self.entries))
        if total == 0:
            text = (
                "Nothing matches these filters."
                if self.filters.active
                else "No walks or check-ins yet. Walk a routine and they will show here."
            )
        else:
            text = plural(total, "row")
            if self._rows_shown < total:
                text += f" (newest {self._rows_shown:,} shown; scroll for more)"
            text += f" · {MARKS_LEGEND}"
        self.query_one("#walks-status", Static).update(text)

    def _walks_scrolled(self, scroll_y: float) -> None:
        table = self.query_one("#walks", WalkTable)
        if scroll_y >= table.max_scroll_y - MORE_ROWS_WITHIN:
            self._add_rows()

    @on(DataTable.RowHighlighted, "#walks")
    def _walk_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self._rows_shown - MORE_ROWS_WITHIN:
            self._add_rows()
        self._show_preview()

    def _show_preview(self) -> None:
        entry = self.current_entry()
        table = self.query_one("#walks", WalkTable)
        facts = hidden_facts(entry, table.columns_shown) if entry else Text("")
        self.query_one("#walk-facts", Static).update(facts)
        self.query_one("#walk-facts", Static).display = bool(facts)
        self.query_one("#walk-notes", EntryNotes).show(entry)

    def current_entry(self) -> HistoryEntry | None:
        """The entry under the walks table's cursor."""
        table = self.query_one("#walks", WalkTable)
        if table.row_count == 0 or not 0 <= table.cursor_row < len(self.entries):
            return None
        return self.entries[table.cursor_row]

    # -- the record ------------------------------------------------------------------

    @on(DataTable.RowSelected, "#walks")
    def _walk_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        self._remember_cursor()

        def closed(changed: bool | None) -> None:
            if changed:
                self.reload(summary=True)

        self.app.push_screen(RecordScreen(self.store, entry), closed)

    # -- filters ---------------------------------------------------------------------

    @on(Select.Changed, "#routine-filter")
    def _routine_chosen(self, event: Select.Changed) -> None:
        routine_id = event.value if isinstance(event.value, str) and event.value else None
        self._apply(replace(self.filters, routine_id=routine_id))

    @on(Input.Submitted, "#since,#until")
    @on(Input.Blurred, "#since,#until")
    def _dates_entered(self) -> None:
        errors = []
        days: dict[str, date | None] = {}
        for name in ("since", "until"):
            text = self.query_one(f"#{name}", Input).value.strip()
            try:
                days[name] = parse_day(text) if text else None
            except ValueError as exc:
                errors.append(f"{name.capitalize()}: {exc}")
        since, until = days.get("since"), days.get("until")
        if not errors and since and until and since > until:
            errors.append(f"Since ({since}) is after until ({until}); nothing could match.")
        error = self.query_one("#filter-error", Static)
        if errors:
            # Keep the previous filter: the table still shows what it showed.
            error.update(" ".join(errors))
            error.add_class("shown")
            return
        error.update("")
        error.remove_class("shown")
        self._apply(replace(self.filters, since=since, until=until))

    def _apply(self, filters: HistoryFilter) -> None:
        if filters == self.filters:
            return
        self.filters = filters
        self._keep_cursor = (None, 0)  # new filters: start from the newest
        self.reload()

    @on(DataTable.RowSelected, "#routine-effects")
    def _routine_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        routine_id = event.row_key.value
        if self.effects_by_length or routine_id is None:
            return
        if routine_id not in self.routine_ids:
            self._set_routine_options(tuple(sorted((*self.routine_ids, routine_id))))
        self.query_one("#routine-filter", Select).value = routine_id
        self.query_one("#views", TabbedContent).active = "walks-pane"
        self.query_one("#walks", WalkTable).focus()

    # -- chart -----------------------------------------------------------------------

    @on(TabbedContent.TabActivated, pane="#walks-pane")
    def _walks_shown(self) -> None:
        self.query_one("#walks", WalkTable).focus()  # so Enter opens a row at once

    @on(TabbedContent.TabActivated)
    def _view_changed(self) -> None:
        self.refresh_bindings()  # `l` belongs to the Routines view

    @on(TabbedContent.TabActivated, pane="#routines-pane")
    def _routines_shown(self) -> None:
        self.query_one("#routine-effects", RoutineTable).focus()
        if self._effects_stale:
            self._load_effects(self.filters)

    @work(thread=True, exclusive=True, group="history-effects")
    def _load_effects(self, filters: HistoryFilter) -> None:
        """The effect estimates, from every walk matching the filters (off the loop)."""
        worker = get_current_worker()
        since, until = day_range_utc(filters.since, filters.until)
        try:
            walks = self.store.walk_outcomes(since, until, filters.routine_id)
        except StoreError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_error, str(exc))
            return
        effects = EffectFigures(routine_estimates(walks), band_estimates(walks))
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_effects, filters, effects)

    def _show_effects(self, filters: HistoryFilter, effects: EffectFigures) -> None:
        if not self.is_attached or filters != self.filters:
            return
        self._effects_stale = False
        self.effects = effects
        self._draw_effects()

    def _draw_effects(self) -> None:
        if self.effects is None:
            return
        by_length = self.effects_by_length
        shown = self.effects.lengths if by_length else self.effects.routines
        self.query_one("#routine-effects", RoutineTable).show(shown, by_routine=not by_length)
        title = (
            "By walk length (walked minutes) · l: by routine"
            if by_length
            else "By routine · l: by walk length"
        )
        if not shown.groups:
            title += " · no walks match the filters"
        self.query_one("#effects-title", Static).update(title)
        self.query_one("#effects-caption", Static).update(effects_caption(shown))

    def action_effects_by_length(self, by_length: bool) -> None:
        """Group the effect estimates by walk length, or by routine."""
        self.effects_by_length = by_length
        self._draw_effects()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "effects_by_length":
            views = self.query("#views").first(TabbedContent) if self.query("#views") else None
            on_routines = views is not None and views.active == "routines-pane"
            return on_routines and parameters != (self.effects_by_length,)
        return True

    @on(TabbedContent.TabActivated, pane="#chart-pane")
    def _chart_shown(self) -> None:
        self._chart_wanted = True
        chart = self.query_one(PainChart)
        chart.mount_plot()
        if not self._complete:
            chart.working = True
            chart.show_caption()
            self._need_everything()  # the chart is drawn when every entry is in
        elif not self.charts and self.entries:
            self._load_chart(self.entries)

    @work(thread=True, exclusive=True, group="history-chart")
    def _load_chart(self, entries: list[HistoryEntry]) -> None:
        """The chart's series, worked out only once someone looks at it."""
        charts = chart_series(entries)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._chart_loaded, entries, charts)

    def _chart_loaded(self, entries: list[HistoryEntry], charts: dict[str, ChartSeries]) -> None:
        if self.is_attached and entries is self.entries:  # else a newer load will draw
            self.charts = charts
            self.query_one(PainChart).show(charts)

    def action_stiffness(self) -> None:
        """Switch the chart between pain and stiffness, and show it."""
        self.query_one(PainChart).toggle_measure()
        views = self.query_one("#views", TabbedContent)
        if views.active != "chart-pane":
            views.active = "chart-pane"  # TabActivated mounts or redraws the chart

    # -- keys ------------------------------------------------------------------------

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            # Escape in a date box leaves the box, not the screen.
            self.query_one("#walks", WalkTable).focus()
            return
        self.dismiss(None)

    def action_filters(self) -> None:
        self.query_one("#routine-filter", Select).focus()

    def action_refresh(self) -> None:
        self._remember_cursor()
        self.reload(summary=True)

    def action_next_view(self) -> None:
        views = self.query_one("#views", TabbedContent)
        panes = ["walks-pane", "chart-pane", "routines-pane"]
        views.active = panes[(panes.index(views.active) + 1) % len(panes)]

    def on_resize(self) -> None:
        compact = self.size.height < 24 or self.size.width < 80
        self.set_class(compact, "compact")
        self.query_one("#walk-notes", EntryNotes).max_lines = 2 if compact else 3


def _entry_key(entry: HistoryEntry) -> str:
    return f"walk-{entry.walk_id}" if entry.is_walk else f"checkin-{entry.checkin_id}"
