"""The stats screen: its plots render at 80x24 and 160x50, names stay literal, q leaves."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static
from textual_plotext import PlotextPlot

from readq.model import Paper, Status
from readq.readingstats import ReadingStats, reading_stats
from readq.tui.screens.stats import StatsScreen

from .conftest import AppFactory

AS_OF = date(2026, 11, 29)
HOSTILE_AUTHOR = "[red]Mallory[/red] Hacker"
HOSTILE_TAG = "[@click=app.quit]x"


def _stats() -> ReadingStats:
    papers = [
        Paper(
            id=1,
            title="Read",
            authors=[HOSTILE_AUTHOR],
            category="[b]CR",
            tags=[HOSTILE_TAG],
            added_at="2026-11-03T09:00:00Z",
            status=Status.READ,
            read_at="2026-11-05T09:00:00Z",
        ),
        Paper(id=2, title="Waiting", authors=["Ada Lovelace"], added_at="2026-11-20T09:00:00Z"),
    ]
    return reading_stats(papers, AS_OF, weeks=4)


class _Host(App[None]):
    """The smallest app to push the screen on: the screen needs nothing of readq's app."""


def _shown(widget: Widget) -> str:
    """What the widget draws, as text (the way the compositor asks it to)."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text for strip in strips)


@pytest.mark.parametrize(("size", "per_row"), [((80, 24), 1), ((160, 50), 2)])
async def test_the_plots_render_at_each_size(size: tuple[int, int], per_row: int) -> None:
    app = _Host()
    async with app.run_test(size=size) as pilot:
        app.push_screen(StatsScreen(_stats()))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        plots = list(screen.query(PlotextPlot))
        assert len(plots) == 3
        for plot in plots:
            assert plot.size.width >= 40 and plot.size.height >= 10
            assert "┤" in _shown(plot)  # an axis with its ticks: plotext drew it
        assert "week starting" in _shown(plots[0])
        panels = list(screen.query(".stats-panel"))
        rows = {panel.region.y for panel in panels}
        assert len(rows) == len(panels) // per_row
        captions = [str(s.render()) for s in screen.query(".stats-caption").results(Static)]
        assert captions[0] == "arrived 2 · triaged 1 · read 1 · last week 0 / 0 / 0"
        top = _shown(screen.query_one("#stats-top", Static))
        # Literal, never markup (a long name is cut to its column).
        assert "[red]Mallory[/red]" in top and HOSTILE_TAG in top and "[b]CR" in top
        assert "Ada Lovelace" in top
        assert app.is_running


async def test_escape_and_q_close_it() -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("escape", "q"):
            app.push_screen(StatsScreen(_stats()))
            await pilot.pause()
            await pilot.press("j")  # the pager scrolls; the screen stays
            assert isinstance(app.screen, StatsScreen)
            await pilot.press(key)
            assert not isinstance(app.screen, StatsScreen)


async def test_percent_opens_it_on_the_app_and_q_leaves_it_not_the_app(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("percent_sign")
        await app.workers.wait_for_complete()  # the stats are worked out in a thread
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert len(app.screen.query(PlotextPlot)) == 3
        assert f"({len(app.library)} papers)" in _shown(app.screen.query_one("#stats-heading"))
        await pilot.press("q")
        assert app.is_running and app.screen is app.main
