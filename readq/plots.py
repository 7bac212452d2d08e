"""The reading stats' panels drawn with plotext: for the terminal
(``readq stats --plot``) and, through the same calls, for the app's stats
screen (textual-plotext's widget is a plotext figure).

A panel's ``draw`` takes the plotting object as an argument, the plotext
module or a widget's ``plt``, so the two faces draw one picture. plotext is
imported only inside ``terminal_report``: no other command pays for it.

Only numbers and dates go into a plot. plotext writes what it is given into
its ANSI text, which the app reads back with ``Text.from_ansi``: a tag or an
author's name there could drive the terminal. The top lists are plain text,
cleaned as every other value the CLI prints (render.py).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from readq.readingstats import ReadingStats
from readq.sanitize import clean_line

Plotter = Any  # the plotext module, or textual-plotext's Plot: the same methods

# The weekly series: (label, colour, marker). Markers tell them apart where
# there is no colour (a pipe, NO_COLOR); lines, unlike bars, stay readable at
# 52 weeks in 40 columns.
SERIES: Final = (
    ("arrived", "blue+", "dot"),
    ("triaged", "green+", "+"),
    ("read", "red+", "x"),
)
_BAR_COLOUR: Final = "cyan+"
_MOST_WEEK_LABELS: Final = 6  # "11-23" in 40 columns, with room between them
PLOT_HEIGHT: Final = 14
MIN_PLOT_WIDTH: Final = 40
_GAP: Final = 4  # columns between two panels side by side
TWO_UP_WIDTH: Final = 2 * 68 + _GAP  # from here on, two panels to a row


def weekly_caption(stats: ReadingStats) -> str:
    last = stats.last_week
    recent = ""
    if last is not None and len(stats.weeks) > 1:
        recent = f" · last week {last.arrived} / {last.triaged} / {last.read}"
    return f"arrived {stats.arrived} · triaged {stats.triaged} · read {stats.read}{recent}"


def draw_weekly(plt: Plotter, stats: ReadingStats, color: bool) -> None:
    x = list(range(len(stats.weeks)))
    columns = (
        [w.arrived for w in stats.weeks],
        [w.triaged for w in stats.weeks],
        [w.read for w in stats.weeks],
    )
    for values, (label, colour, marker) in zip(columns, SERIES, strict=True):
        plt.plot(x, values, label=label, marker=marker, color=colour if color else None)
    _week_ticks(plt, stats)
    _count_ticks(plt, max((max(c, default=0) for c in columns), default=0))


def backlog_caption(stats: ReadingStats) -> str:
    change = stats.backlog - stats.backlog_before
    ago = _weeks(len(stats.weeks))
    return f"{stats.backlog} unread now · {ago} ago: {stats.backlog_before} ({change:+d})"


def draw_backlog(plt: Plotter, stats: ReadingStats, color: bool) -> None:
    x = list(range(len(stats.weeks)))
    values = [week.backlog for week in stats.weeks]
    # Filled under the line: an area reads as "how much is waiting" at any width.
    plt.plot(x, values, fillx=True, marker="dot", color=_BAR_COLOUR if color else None)
    _week_ticks(plt, stats)
    _count_ticks(plt, max(values, default=0))


def delay_caption(stats: ReadingStats) -> str:
    median = stats.median_days_to_read
    these = "this week" if len(stats.weeks) == 1 else f"these {len(stats.weeks)} weeks"
    if median is None:
        return f"none read in {these}"
    read = len(stats.days_to_read)
    papers = "1 paper" if read == 1 else f"{read} papers"
    return f"median {median:.1f} days · {papers} read in {these}"


def draw_delays(plt: Plotter, stats: ReadingStats, color: bool) -> None:
    bins = stats.delay_histogram()
    x = list(range(len(bins)))
    counts = [n for _, n in bins]
    plt.bar(x, counts, color=_BAR_COLOUR if color else None, width=0.6)
    plt.xticks(x, [label for label, _ in bins])
    plt.xlim(-0.5, len(bins) - 0.5)  # plotext's own limits cut the first bar in half
    plt.xlabel("days")
    _count_ticks(plt, max(counts, default=0))


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    caption: Callable[[ReadingStats], str]  # the numbers beside the plot
    draw: Callable[[Plotter, ReadingStats, bool], None]  # (plt, stats, in colour)


PANELS: Final = (
    Panel("Papers per week", weekly_caption, draw_weekly),
    Panel("Unread backlog", backlog_caption, draw_backlog),
    Panel("Days from arrival to read", delay_caption, draw_delays),
)
TOP_TITLES: Final = ("Top categories", "Top tags", "Top authors")


def heading(stats: ReadingStats) -> str:
    """The report's first line: which weeks, and how many papers."""
    first = stats.weeks[0].start
    return (
        f"Reading stats: {_weeks(len(stats.weeks))}, {first.isoformat()} to "
        f"{stats.as_of.isoformat()} ({stats.papers} papers)"
    )


def top_lists(stats: ReadingStats) -> tuple[tuple[tuple[str, int], ...], ...]:
    """The top lists in TOP_TITLES' order."""
    return stats.top_categories, stats.top_tags, stats.top_authors


def terminal_report(stats: ReadingStats, width: int, *, color: bool) -> str:
    """Everything ``readq stats --plot`` prints, ``width`` columns wide; ANSI
    colour only with ``color`` (never into a pipe)."""
    import plotext

    width = max(width, MIN_PLOT_WIDTH)
    two_up = width >= TWO_UP_WIDTH
    panel_width = (width - _GAP) // 2 if two_up else width
    blocks = []
    for panel in PANELS:
        plotext.clf()
        plotext.plotsize(panel_width, PLOT_HEIGHT)
        plotext.theme("clear")  # the terminal's own colours: no painted background
        panel.draw(plotext, stats, color)
        text = plotext.build()
        if not color:
            text = plotext.uncolorize(text)  # plotext ends its lines in a reset even so
        caption = textwrap.wrap(f"{panel.title}: {panel.caption(stats)}", panel_width)
        blocks.append([*caption, *text.rstrip("\n").split("\n")])
    blocks.append(_top_columns(stats, panel_width))
    lines = [*textwrap.wrap(heading(stats), width), ""]
    step = 2 if two_up else 1
    for start in range(0, len(blocks), step):
        row = blocks[start : start + step]
        lines += _side_by_side(row, panel_width, plotext.uncolorize) if two_up else row[0]
        lines.append("")
    return "\n".join(line.rstrip() for line in lines).rstrip("\n")


def _side_by_side(
    blocks: Sequence[list[str]], width: int, plain: Callable[[str], str]
) -> list[str]:
    """Blocks of lines next to each other, each padded to ``width`` by what shows."""
    height = max(len(block) for block in blocks)
    lines = []
    for number in range(height):
        parts = [block[number] if number < len(block) else "" for block in blocks]
        padded = [part + " " * max(width - len(plain(part)), 0) for part in parts[:-1]]
        lines.append((" " * _GAP).join([*padded, parts[-1]]))
    return lines


def _top_columns(stats: ReadingStats, width: int) -> list[str]:
    """The three top lists as columns of ``count name``; one under another when narrow."""
    columns = zip(TOP_TITLES, top_lists(stats), strict=True)
    lists = [[title, *_entries(entries)] for title, entries in columns]
    if width < 3 * 20:
        stacked = [line for cell in lists for line in [*cell, ""]][:-1]
        return [_fit(line, width) for line in stacked]
    column = (width - 2 * 2) // 3
    height = max(len(cell) for cell in lists)
    return [
        "  ".join(_fit(cell[n] if n < len(cell) else "", column) for cell in lists)
        for n in range(height)
    ]


def _entries(entries: Sequence[tuple[str, int]]) -> list[str]:
    if not entries:
        return ["  (none)"]
    digits = len(str(entries[0][1]))
    return [f"{count:>{digits + 2}} {clean_line(name)}" for name, count in entries]


def _fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells, cut with … or padded: a CJK name's
    characters take two cells each."""
    from rich.cells import cell_len, set_cell_size  # the CLI starts without rich

    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def _week_ticks(plt: Plotter, stats: ReadingStats) -> None:
    """Some weeks' first days under the x axis, the last week's always among them."""
    count = len(stats.weeks)
    step = max(math.ceil(count / _MOST_WEEK_LABELS), 1)
    shown = list(range(count - 1, -1, -step))[::-1]
    form = "%m-%d" if count <= 26 else "%Y-%m"
    plt.xticks(shown, [stats.weeks[i].start.strftime(form) for i in shown])
    plt.xlim(-0.5, count - 0.5)
    plt.xlabel("week starting")


def _count_ticks(plt: Plotter, most: int) -> None:
    """Whole numbers on the y axis (plotext would say 3.3 papers)."""
    step = max(math.ceil(most / 4), 1)
    top = step * max(math.ceil(most / step), 1)  # at least 1: plotext divides by the span
    plt.yticks(list(range(0, top + 1, step)))
    plt.ylim(0, top)


def _weeks(count: int) -> str:
    return "1 week" if count == 1 else f"{count} weeks"
