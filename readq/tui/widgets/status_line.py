"""The line under the list: page, counts, filter, sort, search, selection."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from readq.query import View


def status_text(page: int, pages: int, shown: int, unread: int, view: View, selected: int) -> Text:
    parts = [f"Page {page + 1}/{max(pages, 1)}", f"{shown} papers", f"{unread} unread"]
    parts.append(view.describe())
    if selected:
        parts.append(f"{selected} selected")
    return Text(" · ".join(parts))  # Text, not markup: the search term is typed by the user


class StatusLine(Static):
    pass
