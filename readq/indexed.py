"""Views answered from the field index: choose the papers, then read only those.

``readq list --status read`` at 100,000 papers read every paper to print a
few. The field index (fields.py) holds what filters and sorts look at, so the
view's papers are chosen from it and only they are read, each found by seeking
(Library.open's ``only``): the cost follows the papers shown plus one scan of
the index. Views that need text (a search, the title sort), an index that
cannot answer, or a view that shows most of the library take the whole read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from readq.library import Library
from readq.query import View, by_fields_alone, select_rows

# Past this share of the library, reading everything in order beats seeking.
_MOST: Final = 0.25


def chosen_ids(path: Path, view: View, *, limit: int | None = None) -> list[int] | None:
    """The ids of the papers ``view`` shows (its first ``limit``), in its order, from
    the field index; None when the whole library should be read instead."""
    if not by_fields_alone(view):
        return None
    rows = Library.index_rows(path)
    if rows is None:
        return None
    ids = [row.id for row in select_rows(rows, view)[:limit]]
    if limit is None and len(ids) > len(rows) * _MOST:
        return None
    return ids
