"""Finding one line of a file whose lines are sorted, by bisecting its bytes.

Segments keep their papers in id order and identity index files their entries
in key order, one per line, so that one paper or one key is found with a few
dozen reads whatever the file's size (snapshotfile.find_paper, identityfile.find).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import IO


def bisect(
    file: IO[bytes],
    start: int,
    end: int,
    order: Callable[[bytes], int],
    ends: Collection[bytes] = (),
) -> bytes | None:
    """The line between ``start`` (the first sorted line) and ``end`` (past the last)
    for which ``order`` is 0, or None. ``order(line)`` is negative for a line
    before the one wanted and positive for one after (it raises for a line that
    is none of the file's); ``ends`` are lines that close the sorted ones."""
    low, high = start, end
    while low < high:
        middle = (low + high) // 2
        file.seek(middle - 1)
        file.readline()  # the rest of the line that holds byte middle - 1
        at = file.tell()
        if at >= high:
            high = middle
            continue
        line = file.readline()
        if line in ends:
            high = at  # past the sorted lines
            continue
        found = order(line)
        if found == 0:
            return line
        if found < 0:
            low = at + len(line)
        else:
            high = at
    return None
