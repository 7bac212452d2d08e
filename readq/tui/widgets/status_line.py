"""The line under the list: page, counts, filter, sort, search, selection; or, while
the library is still being read, how far that has got."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from readq.tui.browse import Browse


def status_text(browse: Browse) -> Text:
    counts = browse.counts
    parts = [
        f"Page {browse.page + 1}/{browse.page_count}",
        f"{counts.shown} papers",
        f"{counts.shown_unread} unread",
        browse.view.describe(),
    ]
    if browse.selected:
        parts.append(f"{len(browse.selected)} selected (escape clears)")
    return Text(" · ".join(parts))  # Text, not markup: the search term is typed by the user


def loading_text(total: int, fraction: float | None) -> Text:
    done = "" if fraction is None else f" {fraction:.0%}"
    return Text(f"loading {total:,} papers…{done} · moving works now; changes wait for it")


class StatusLine(Static):
    pass
