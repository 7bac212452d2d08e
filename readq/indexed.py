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

from readq.library import Library
from readq.query import View, chosen_from_rows, parsed


def chosen_ids(
    path: Path, view: View, *, limit: int | None = None, now: datetime | None = None
) -> list[int] | None:
    """The ids of the papers to read for ``view``, from the field index (see
    query.chosen_from_rows); None when the whole library should be read instead.
    QueryError for a search that cannot be read, before anything is."""
    rows = Library.index_rows(path, search=parsed(view) is not None)
    return None if rows is None else chosen_from_rows(rows, view, limit=limit, now=now)
