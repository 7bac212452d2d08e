"""The stats screen: the reading stats' panels (plots.py) drawn by
textual-plotext widgets, the numbers beside each plot, and the top lists.

It is built from a ReadingStats the opener worked out (readingstats.py) and
reads no library. Two panels to a row once there is room for both, one under
another at 80 columns; the whole scrolls like a pager.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from readq.plots import PANELS, TOP_TITLES, heading, top_lists
from readq.readingstats import ReadingStats
from readq.sanitize import clean_line
from readq.tui.screens.dialog import AnnouncesReady
from readq.tui.widgets.pager import Pager

# The narrowest a panel may be: two of them side by side from 120 columns.
PANEL_MIN_WIDTH = 60


class StatsScreen(AnnouncesReady, Screen[None]):
    """Reading stats: ``StatsScreen(reading_stats(papers, as_of))``; escape or q closes it."""

    AUTO_FOCUS = "Pager"
    BINDINGS = [Binding("escape,q", "close", "Close", id="stats_close", priority=True)]
    # Here rather than in app.tcss: the screen is whole on any app (tests push it alone).
    DEFAULT_CSS = """
    StatsScreen #stats-heading {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    StatsScreen #stats-body {
        height: 1fr;
    }
    /* A grid of fixed rows: Textual's ItemGrid measured its own height short
       inside a scrolling pane, and cut the second row off. */
    StatsScreen #stats-panels {
        layout: grid;
        grid-size: 1;
        grid-rows: 18;
        height: auto;
    }
    StatsScreen.-wide #stats-panels {
        grid-size: 2;
    }
    StatsScreen .stats-panel {
        height: 18;
        padding: 0 1;
        border: round $foreground 30%;
        background: $surface;  /* what the plots' own theme paints behind them */
    }
    StatsScreen .stats-caption {
        height: auto;
        color: $text-muted;
    }
    StatsScreen PlotextPlot {
        height: 1fr;
    }
    StatsScreen #stats-keys {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(self, stats: ReadingStats) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        yield Static(Text(heading(self.stats), style="bold"), id="stats-heading")
        with Pager(id="stats-body"), Container(id="stats-panels"):
            for panel in PANELS:
                box = Vertical(classes="stats-panel")
                box.border_title = Content(panel.title)
                with box:
                    yield Static(Text(panel.caption(self.stats)), classes="stats-caption")
                    plot = PlotextPlot()
                    # The data only: the widget sizes the plot and follows the app's theme.
                    panel.draw(plot.plt, self.stats, True)
                    yield plot
            top = Vertical(classes="stats-panel")
            top.border_title = Content("Top")
            with top:
                yield Static(self._top_table(), id="stats-top")
        yield Static(Text("j/k, space/b scroll · escape/q: close", style="dim"), id="stats-keys")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= 2 * PANEL_MIN_WIDTH, "-wide")

    def _top_table(self) -> Table:
        """The top lists side by side; names as Text, never markup (they are the papers')."""
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        lists = top_lists(self.stats)
        for title in TOP_TITLES:
            table.add_column(justify="right", style="bold", no_wrap=True)
            table.add_column(Text(title, style="bold"), ratio=1, no_wrap=True, overflow="ellipsis")
        for row in range(max((len(entries) for entries in lists), default=0)):
            cells: list[Text] = []
            for entries in lists:
                name, count = entries[row] if row < len(entries) else ("", None)
                cells += [Text("" if count is None else str(count)), Text(clean_line(name))]
            table.add_row(*cells)
        if not any(lists):
            table.add_row(*([Text(""), Text("(none)", style="dim")] * len(TOP_TITLES)))
        return table

    def action_close(self) -> None:
        self.dismiss()
