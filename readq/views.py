"""Saved views: named queries (with a sort, if wanted) from config.toml's [views].

    [views]
    inbox = { query = "is:new", sort = "added" }
    to-read = { query = "is:unread prio:>=2", sort = "added", reverse = true }

readq comes with ``inbox`` and ``to-read``; the file's views come after them,
and a view of the same name replaces it (``inbox = ""`` removes it). A table
without a query is every paper in its sort.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from readq.query import SORTS, View
from readq.querylang import QueryError, parse
from readq.sanitize import clean_line


@dataclass(frozen=True, slots=True)
class SavedView:
    name: str
    query: str
    sort: str | None = None  # None: the sort in use stays
    reverse: bool = False

    def view(self, current: View | None = None) -> View:
        """This view as the list shows it, after ``current`` (whose sort it keeps
        when it names none); the shorthand filters are cleared."""
        base = current or View()
        sort = self.sort or base.sort
        reverse = self.reverse if self.sort else base.reverse
        return View(
            search=self.query,
            sort=sort,
            reverse=reverse,
            name=self.name,
            new_since=base.new_since,
        )


DEFAULT_VIEWS: Final = {
    "inbox": SavedView("inbox", "is:new", "added", reverse=False),
    "to-read": SavedView("to-read", "is:unread prio:>=2"),
}
_KEYS: Final = ("query", "sort", "reverse")


def read_views(value: object, problems: list[str]) -> dict[str, SavedView]:
    """The views of a [views] table, readq's own first; a problem line for each
    one left out (a query that cannot be read, an unknown sort)."""
    views = dict(DEFAULT_VIEWS)
    if not isinstance(value, dict):
        problems.append("views must be a table ([views]); using readq's own views")
        return views
    for name, entry in value.items():
        shown = clean_line(json.dumps(name, ensure_ascii=False))
        if not name.strip():
            problems.append("a view needs a name ([views] holds one without); left out")
            continue
        if entry == "":
            views.pop(name, None)  # name = "" takes a view of readq's own away
            continue
        saved = _saved_view(name, entry, shown, problems)
        if saved is not None:
            views[name] = saved  # a table without a query: every paper, in its sort
    return views


def _saved_view(name: str, entry: object, shown: str, problems: list[str]) -> SavedView | None:
    if isinstance(entry, str):
        entry = {"query": entry}
    if not isinstance(entry, Mapping):
        problems.append(f"view {shown} must be a query in quotes or a table; left out")
        return None
    unknown = [key for key in entry if key not in _KEYS]
    query, sort, reverse = entry.get("query", ""), entry.get("sort"), entry.get("reverse", False)
    if unknown or not isinstance(query, str) or not isinstance(reverse, bool):
        problems.append(
            f"view {shown} may hold query (text), sort and reverse (true or false); left out"
        )
        return None
    if sort is not None and sort not in SORTS:
        problems.append(f"view {shown}: sort must be one of {', '.join(SORTS)}; left out")
        return None
    try:
        parse(query)
    except QueryError as error:
        problems.append(f"view {shown}: {clean_line(str(error))}; left out")
        return None
    return SavedView(name, query, sort, reverse)
