"""What the app shows of a ranking, in a file it reads without numpy:
``library.json.rank-shown``, written by every ranking beside the library.

The app's memory holds the list and its papers (180 MB at 100,000 papers);
numpy and the model's arrays would add 60 MB more. So the ranking writes, for
every paper, its relevance and the feature numbers that pushed it up most and
down most (WHY_TERMS each), and the app names those from the paper's own words
(terms.named) when its details are shown. The file: one line of JSON (format,
how sure, how many papers), then the ids (int64, in order: a paper's place is
found by bisection, as a dict of 100,000 would cost 10 MB), the relevance
(float32), and the features up and down (int32, -1 for none), in this
machine's byte order.
It is a cache like the others: a file that cannot be read whole reads as None.
"""

from __future__ import annotations

import bisect
import itertools
import json
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from readq.atomicfile import atomic_write_chunks
from readq.model import Paper
from readq.query import Relevance
from readq.rank.terms import named
from readq.sidefile import beside

FORMAT: Final = 1
WHY_TERMS: Final = 4


def shown_path(library: Path) -> Path:
    return beside(library, "rank-shown")


def write(
    path: Path, *, sureness: str, learned: bool, ids: bytes, scores: bytes, up: bytes, down: bytes
) -> None:
    """Replace the file (the arrays as bytes: int64, float32, int32 and int32)."""
    header = {
        "format": FORMAT,
        "sureness": sureness,
        "learned": learned,
        "papers": len(ids) // 8,
        "order": sys.byteorder,
    }
    chunks = [json.dumps(header).encode() + b"\n", ids, scores, up, down]
    atomic_write_chunks(path, chunks)


class _Scores:
    """Relevance by paper id, from the file's arrays."""

    __slots__ = ("_shown",)

    def __init__(self, shown: Shown) -> None:
        self._shown = shown

    def get(self, paper_id: int, default: float) -> float:
        found = self._shown.relevance_of(paper_id)
        return default if found is None else found


@dataclass(slots=True)
class Shown:
    sureness: str
    learned: bool
    ids: array[int]  # in order
    scores: array[float]
    up: array[int]
    down: array[int]

    def as_relevance(self) -> Relevance:
        return Relevance(_Scores(self), learned=self.learned, sureness=self.sureness)

    def _row(self, paper_id: int) -> int | None:
        row = bisect.bisect_left(self.ids, paper_id)
        return row if row < len(self.ids) and self.ids[row] == paper_id else None

    def relevance_of(self, paper_id: int) -> float | None:
        row = self._row(paper_id)
        return None if row is None else self.scores[row]

    def why(self, paper: Paper) -> tuple[list[str], list[str]]:
        """The names of the features that pushed ``paper`` up most, and down most."""
        row = self._row(paper.id)
        if row is None or not self.learned:
            return [], []
        names = named(paper)
        picked = slice(row * WHY_TERMS, (row + 1) * WHY_TERMS)
        up = [names[b] for b in self.up[picked] if b >= 0 and b in names]
        down = [names[b] for b in self.down[picked] if b >= 0 and b in names]
        return up, down


def read(path: Path) -> Shown | None:
    try:
        with path.open("rb") as file:
            header = json.loads(file.readline())
            count = int(header["papers"])
            if header["format"] != FORMAT or header["order"] != sys.byteorder or count < 0:
                return None
            ids, scores, up, down = array("q"), array("f"), array("i"), array("i")
            ids.fromfile(file, count)
            scores.fromfile(file, count)
            up.fromfile(file, count * WHY_TERMS)
            down.fromfile(file, count * WHY_TERMS)
            if file.read(1) or any(a >= b for a, b in itertools.pairwise(ids)):
                return None  # more than the header says, or out of order: not a file this wrote
        return Shown(
            sureness=str(header["sureness"]),
            learned=bool(header["learned"]),
            ids=ids,
            scores=scores,
            up=up,
            down=down,
        )
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return None
