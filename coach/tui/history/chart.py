"""The history's chart: pain (or stiffness) before and after each walk, over time.

textual-plotext costs about 0.15 s to import: the plot is mounted the first time someone
opens the chart, never at start.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from coach.core.chart import ChartSeries, date_ticks

BEFORE_MARK = "●"  # the reading before a walk
AFTER_MARK = "◆"  # and after it
INSTALL_CHARTS = "The chart needs textual-plotext, which is missing: pip install textual-plotext"


class PainChart(Vertical):
    """A caption saying what is drawn and which mark is which, over the plot."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.measure = "pain"
        self.series: dict[str, ChartSeries] = {}
        self.working = False  # the series are being worked out
        self._mounted_plot = False

    def compose(self) -> ComposeResult:
        yield Static("", id="chart-caption", markup=False)
        yield Vertical(id="chart-box")

    def on_mount(self) -> None:
        self.show_caption()

    def show(self, series: dict[str, ChartSeries]) -> None:
        self.series = series
        self.working = False
        self.show_caption()
        self.draw()

    def toggle_measure(self) -> None:
        self.measure = "stiffness" if self.measure == "pain" else "pain"
        self.show_caption()
        self.draw()

    def show_caption(self) -> None:
        other = "stiffness" if self.measure == "pain" else "pain"
        series = self.series.get(self.measure)
        if series is not None and series.empty:
            what = "No walks with a check-in to chart yet"
        elif series is None and self.working:
            what = "Working out the chart…"
        else:
            period = f", {series.period}" if series else ""
            marks = f"{BEFORE_MARK} before, {AFTER_MARK} after"
            what = f"{self.measure.capitalize()} 0–10{period}: {marks}"
        self.query_one("#chart-caption", Static).update(f"{what} · s: {other}")

    def mount_plot(self) -> None:
        """Mount the plot (once), then draw it."""
        if self._mounted_plot:
            self.draw()
            return
        self._mounted_plot = True
        box = self.query_one("#chart-box", Vertical)
        try:
            from textual_plotext import PlotextPlot
        except ImportError:
            box.mount(Static(INSTALL_CHARTS, id="chart-missing", markup=False))
            return
        box.mount(PlotextPlot(id="chart"))
        self.call_after_refresh(self.draw)

    def draw(self) -> None:
        plots = self.query("#chart")
        if not plots:
            return
        chart: Widget = plots.first()
        plt = chart.plt  # type: ignore[attr-defined]  # PlotextPlot's plotext module
        series = self.series.get(self.measure)
        plt.clear_figure()
        plt.ylim(0, 10)
        plt.yticks(list(range(0, 11, 2)))
        # No title or legend: the caption says what is drawn and which mark is which.
        if series is not None and not series.empty:
            for points, marker, colour in (
                (series.before, BEFORE_MARK, "red"),
                (series.after, AFTER_MARK, "green"),
            ):
                if points:
                    # A thin line for the trend; the points carry a shape as well as a colour.
                    xs, ys = zip(*points, strict=True)
                    plt.plot(xs, ys, marker="braille", color=colour)
                    plt.scatter(xs, ys, marker=marker, color=colour)
            days = [x for x, _ in series.before + series.after]
            ticks = date_ticks(min(days), max(days), max(2, chart.size.width // 16))
            plt.xticks([x for x, _ in ticks], [label for _, label in ticks])
        chart.refresh()
