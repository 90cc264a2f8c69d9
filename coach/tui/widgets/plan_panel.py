"""Home's plan panel: today's plan session (Enter walks it), the week, and the dose.

Self-contained: it reads the plan and the dose itself, off the event loop, whenever it
is told to `reload` (home does so when it shows). Without an active plan it shows only
this week's dose.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList, Static

from coach.core.dose import WeeklyDose
from coach.core.wording import dose_text
from coach.library.routines import RoutineEntry
from coach.tui.typed import coach_app

# After the latest decision: `coach plan` lists every one (the panel has room for one).
OTHER_DECISIONS = " · the rest: coach plan"


@dataclass(frozen=True)
class PlanToday:
    """What the panel shows, worked out in its thread."""

    dose: WeeklyDose | None
    name: str | None = None  # the plan's programme; None without an active plan
    week: str = ""
    next: str = ""
    latest: str | None = None
    routine: RoutineEntry | None = None  # what Enter walks today, if anything
    problem: str | None = None


class PlanPanel(Static, can_focus=True):
    """Today's session of the active plan and this week's dose, for the top of home."""

    BINDINGS = [Binding("enter", "walk_today", "Walk today's session", show=False)]

    class WalkToday(Message):
        """Walk this routine for today's plan session."""

        def __init__(self, routine: RoutineEntry) -> None:
            super().__init__()
            self.routine = routine

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.today: PlanToday | None = None
        self._focus_when_loaded = True

    def on_mount(self) -> None:
        self.display = False  # until there is something to show

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="plan-panel")
    def _load(self) -> None:
        app = coach_app(self)
        store = app.store
        if store is None:
            return
        from coach.planning import PlanError, open_plan, session_routine, this_weeks_dose
        from coach.store import StoreError

        day = app.today()
        try:
            opened = open_plan(store, day, app.config)
            if opened is None:
                dose = this_weeks_dose(store, day, app.config)
                # Without a plan, the dose shows once there is a walk this week.
                shown = PlanToday(dose=dose if dose.walks else None)
            else:
                from coach.core.plan_summary import latest_line, next_line, week_line

                report = opened.report
                session = report.todays_session
                routine = session_routine(session, app.config) if session else None
                shown = PlanToday(
                    dose=report.dose,
                    name=opened.stored.programme_name,
                    week=week_line(report),
                    next=next_line(report),
                    latest=latest_line(report),
                    routine=routine,
                )
        except (PlanError, StoreError) as exc:
            shown = PlanToday(dose=None, problem=f"Plan: {exc}")
        self.app.call_from_thread(self._show, shown)

    def _show(self, shown: PlanToday) -> None:
        self.today = shown
        self.screen.refresh_bindings()  # `t` (today's session) applies or not
        lines = self._lines(shown)
        self.update(Text("\n").join(lines))
        self.display = bool(lines)
        self.can_focus = shown.routine is not None
        # Today's session takes the focus from the routines list home gave it, never from
        # what took it meanwhile (the monthly question waiting for its answer, the filter).
        if (
            self._focus_when_loaded
            and shown.routine is not None
            and isinstance(self.screen.focused, OptionList)
        ):
            self.focus()
        self._focus_when_loaded = False

    def _lines(self, shown: PlanToday) -> list[Text]:
        lines: list[Text] = []
        if shown.problem is not None:
            lines.append(Text(shown.problem, style="red"))
        if shown.name is not None:
            head = Text(shown.name, style="bold")
            head.append(f" · {shown.week}")
            lines.append(head)
            next_text = Text(shown.next, style="bold" if shown.routine else "")
            if shown.routine is not None:
                next_text.append(f" · Enter: {shown.routine.id}", style="dim")
            lines.append(next_text)
            if shown.latest:
                lines.append(self._latest(shown.latest))
        if shown.dose is not None:
            dose = Text("Dose this week: ", style="bold")
            dose.append(dose_text(shown.dose))
            lines.append(dose)
        return lines

    def _latest(self, reason: str) -> Text:
        """The newest decision, cut to leave room for where the others are listed."""
        latest = Text(reason, style="italic")
        room = self.content_size.width - cell_len(OTHER_DECISIONS)
        if room > 0:  # 0 before the panel is first laid out; `on_resize` draws it again
            latest.truncate(room, overflow="ellipsis")
        latest.append(OTHER_DECISIONS, style="dim")
        return latest

    def on_resize(self) -> None:
        if self.today is not None:
            self.update(Text("\n").join(self._lines(self.today)))

    def action_walk_today(self) -> None:
        if self.today is not None and self.today.routine is not None:
            self.post_message(self.WalkToday(self.today.routine))
