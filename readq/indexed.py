"""Views answered from the field index: choose the papers, then read only those.

``readq list --status read`` at 100,000 papers read every paper to print a
few. The field index (fields.py) holds what filters and sorts look at, so the
view's papers are chosen from it and only they are read, each found by seeking
(Library.open's ``only``): the cost follows the papers shown plus one scan of
the index. Views that need text (a search, the title sort), an index that
cannot answer, or a view that shows most of the library take the whole read.
A search's flags, numbers and dates (and authors, which the index keeps
folded) are answered by the index; its other words by the papers read.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Final

from readq.library import Library
from readq.query import View, by_fields_alone, candidate_rows, parsed, select_rows

# Past this share of the library, reading everything in order beats seeking.
_MOST: Final = 0.25


def chosen_ids(
    path: Path, view: View, *, limit: int | None = None, now: datetime | None = None
) -> list[int] | None:
    """The ids of the papers ``view`` shows, from the field index: with ``limit``,
    its first ``limit`` in its order; without, every paper it may show (a
    search's words are not in the index: the papers read are searched again).
    None when the whole library should be read instead. QueryError for a
    search that cannot be read, before anything is."""
    search = parsed(view)
    if limit is not None and not by_fields_alone(view):
        return None
    rows = Library.index_rows(path, search=search is not None)
    if rows is None:
        return None
    if search is None and view.sort != "title":
        ids = [row.id for row in select_rows(rows, view)[:limit]]
    else:
        ids = [row.id for row in candidate_rows(rows, view, now=now)]
    if limit is None and len(ids) > len(rows) * _MOST:
        return None
    return ids
