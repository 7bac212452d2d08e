"""The line under the list: page, counts, filter, sort, search, selection; or, while
the library is still being read, how far that has got."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from readq.loading import LoadProgress
from readq.tui.browse import Browse


def status_text(browse: Browse) -> Text:
    counts = browse.counts
    parts = [
        f"Page {browse.page + 1}/{browse.page_count}",
        "1 paper" if counts.shown == 1 else f"{counts.shown} papers",
        f"{counts.shown_unread} unread",
        browse.view.describe(),
    ]
    if browse.selected:
        parts.append(f"{len(browse.selected)} selected (escape clears)")
    return Text(" · ".join(parts))  # Text, not markup: the search term is typed by the user


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
