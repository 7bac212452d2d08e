"""The line under the list: page, counts, filter, sort, search, selection; or, while
the library is still being read, how far that has got."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from readq.loading import LoadProgress
from readq.querylang import QueryError
from readq.tui.browse import Browse


def status_text(browse: Browse, search_error: QueryError | None = None) -> Text:
    """The counts and the view; first, when the search typed cannot be read, why
    (the list still shows the last search that could be)."""
    counts = browse.counts
    parts = [
        f"Page {browse.page + 1}/{browse.page_count}",
        "1 paper" if counts.shown == 1 else f"{counts.shown} papers",
        f"{counts.shown_unread} unread",
        browse.view.describe(),
    ]
    if browse.selected:
        parts.append(f"{len(browse.selected)} selected (escape clears)")
    line = Text()
    if search_error is not None:
        line.append(f"⚠ {search_error}", style="bold red")
        line.append(" · ")
    line.append(" · ".join(parts))  # Text, not markup: the search term is typed by the user
    return line


def loading_text(total: int | None, progress: LoadProgress) -> Text:
    """``loading 100,000 papers… 45%``; without a saved first page the total is not
    known until the end, so the papers read so far are counted instead."""
    done = f" {progress.fraction:.0%}" if progress.total else ""
    if total is None:
        read = f" ({progress.papers:,} read)" if progress.papers else ""
        return Text(f"loading the library…{done}{read}")
    return Text(f"loading {total:,} papers…{done} · moving works now; changes wait for it")


class StatusLine(Static):
    pass
