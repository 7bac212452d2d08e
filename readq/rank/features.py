"""Papers as TF-IDF vectors: words and word pairs of the title and abstract,
authors, organisations and categories.

Each paper keeps its KEEP_PER_PAPER strongest features (a 1,300-character
abstract has about 200 words and pairs; the strongest carry what it is about),
so that 100,000 papers are a few million numbers, not tens of millions. The
vectors are rows of one sparse matrix in CSR form (indptr, indices, data),
each row of length one, so that a dot product of two rows is their cosine.

Features are hashed into BUCKETS numbers (scikit-learn's HashingVectorizer
does the same): 100,000 real abstracts hold millions of distinct words and
word pairs, and a vocabulary of them would cost hundreds of megabytes to build
and keep. A paper's features are named again, when asked why, from its own
words (``named``). Two features rarely share a number, and those that do are
nearly always rare ones.

At 100,000 papers the Python work per term is what costs: tokens are counted
and hashed by C-level calls (Counter, map, zlib, array), and everything after
(document frequencies, weights, the strongest per paper, lengths) is done by
numpy, a slice of papers at a time. Papers that arrive later are vectorised
with the IDFs of the last full build (``vectorised``): cache.py builds anew
once the library has grown past a share of it.
"""

from __future__ import annotations

import operator
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from readq.collector import collector_paused
from readq.model import Paper, abstracts_of
from readq.rank.terms import BUCKETS, Folded, digest, terms

KEEP_PER_PAPER: Final = 48


class Stopped(Exception):
    """The ranking was asked to stop (the app is quitting)."""


Stop = Callable[[], bool]


def never() -> bool:
    return False


@dataclass
class Features:
    """The papers' vectors: row ``r`` is the paper ``ids[r]``."""

    idf: np.ndarray  # float32, one per bucket (0: no paper of the last build had it)
    ids: np.ndarray  # int64, the paper of each row
    indptr: np.ndarray  # int64, rows + 1
    indices: np.ndarray  # int32, the buckets of each row
    data: np.ndarray  # float32, their weights (each row of length one)
    digests: np.ndarray  # uint32, digest() of each row's paper when it was vectorised
    # Rows the last full build made, and rows vectorised since with its IDFs:
    # when the second grows past a share of the first, build anew.
    built_rows: int = 0
    added_rows: int = 0
    build_id: int = 0  # which full build the IDFs are of (a model is tied to it)
    # The rows in the order of their ids, to find a paper's row (a dict of 100,000
    # ints would cost ten times the memory).
    _by_id: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id = np.argsort(self.ids, kind="stable")

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, paper_id: int) -> int | None:
        row = int(self.rows_of(np.array([paper_id], dtype=np.int64))[0])
        return row if row >= 0 else None

    def rows_of(self, paper_ids: np.ndarray) -> np.ndarray:
        """The row of each paper id, -1 for those without one."""
        if not len(self.ids):
            return np.full(len(paper_ids), -1, dtype=np.int64)
        at = np.searchsorted(self.ids, paper_ids, sorter=self._by_id)
        rows = self._by_id[np.minimum(at, len(self.ids) - 1)]
        return np.where(self.ids[rows] == paper_ids, rows, -1)

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[row], self.indptr[row + 1]
        return self.indices[start:end], self.data[start:end]

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Each row's dot product with a dense vector over the buckets."""
        products = self.data * weights[self.indices]
        result = np.zeros(len(self.ids), dtype=np.float32)
        filled = self.indptr[:-1] < self.indptr[1:]  # reduceat gives an empty row a neighbour's
        if len(products):
            result[filled] = np.add.reduceat(products, self.indptr[:-1][filled])
        return result

    def dense(self, row: int) -> np.ndarray:
        vector = np.zeros(BUCKETS, dtype=np.float32)
        indices, data = self.row(row)
        np.add.at(vector, indices, data)
        return vector


def build(
    papers: Sequence[Paper], *, min_papers: int = 2, build_id: int = 0, stop: Stop = never
) -> Features:
    """The vectors of ``papers``. A feature counts when ``min_papers`` papers have
    it (in a library of fewer than 50, every feature). ``stop``: asked now and
    then; when it says so, Stopped is raised."""
    with collector_paused():  # millions of small objects, none of them cyclic
        counted = _counted(papers, stop)
    frequency = np.bincount(counted.buckets, minlength=BUCKETS)
    floor = min_papers if len(papers) >= 50 else 1
    total = len(papers)
    idf = np.where(
        frequency >= max(floor, 1), np.log((1 + total) / (1 + frequency)) + 1, 0.0
    ).astype(np.float32)
    return _assembled(papers, idf, counted, build_id, stop)


def vectorised(papers: Sequence[Paper], like: Features, stop: Stop = never) -> Features:
    """The vectors of ``papers`` with ``like``'s IDFs (features no paper of its
    build had are left out), for papers that arrived after its build."""
    with collector_paused():
        counted = _counted(papers, stop)
    return _assembled(papers, like.idf, counted, like.build_id, stop)


ABSTRACTS_AT_ONCE: Final = 2048  # abstracts held at a time (the app keeps them on disk)


def in_slices(papers: Sequence[Paper]) -> Iterator[tuple[Paper, str]]:
    """Each paper with its abstract, read ABSTRACTS_AT_ONCE at a time."""
    for first in range(0, len(papers), ABSTRACTS_AT_ONCE):
        chunk = papers[first : first + ABSTRACTS_AT_ONCE]
        yield from zip(chunk, abstracts_of(chunk), strict=True)


def digests_of(papers: Sequence[Paper]) -> list[int]:
    return [digest(paper, abstract) for paper, abstract in in_slices(papers)]


@dataclass(slots=True)
class _Counted:
    """Every paper's features as bucket numbers and how often it has each (flat,
    in paper order), how many each paper has, and each paper's digest."""

    buckets: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray
    digests: np.ndarray


def _counted(papers: Sequence[Paper], stop: Stop) -> _Counted:
    hashes, counts, lengths, digests = array("I"), array("i"), array("i"), array("I")
    folded = Folded()
    encode, crc32 = operator.methodcaller("encode", "utf-8", "replace"), zlib.crc32
    for at, (paper, abstract) in enumerate(in_slices(papers)):
        if at % 1024 == 0 and stop():
            raise Stopped
        found = terms(paper, abstract, folded)
        hashes.extend(map(crc32, map(encode, found)))
        counts.extend(found.values())
        lengths.append(len(found))
        digests.append(digest(paper, abstract))
    buckets = np.frombuffer(hashes, dtype=np.uint32)
    buckets &= BUCKETS - 1  # in place: 60 MB at 100,000 papers, not twice that
    return _Counted(
        buckets.view(np.int32),
        np.frombuffer(counts, dtype=np.int32),
        np.frombuffer(lengths, dtype=np.int32),
        np.frombuffer(digests, dtype=np.uint32),
    )


_SORT_SPAN: Final = 1024.0  # above any weight: idf <= 1 + log(n), tf weight <= 1 + log(count)
_ROWS_AT_ONCE: Final = 8192  # papers weighed together: bounds the memory a build needs


def _assembled(
    papers: Sequence[Paper], idf: np.ndarray, counted: _Counted, build_id: int, stop: Stop
) -> Features:
    """Features from every paper's (bucket, count) entries: each weighted
    idf × (1 + log count), the KEEP_PER_PAPER strongest of each row kept, each
    row scaled to length one."""
    buckets, counts, lengths = counted.buckets, counted.counts, counted.lengths
    ends = np.cumsum(lengths, dtype=np.int64)
    kept_lengths = np.zeros(len(papers), dtype=np.int64)
    indices, data = [], []
    for first in range(0, len(papers), _ROWS_AT_ONCE):
        if stop():
            raise Stopped
        last = min(first + _ROWS_AT_ONCE, len(papers))
        start = int(ends[first - 1]) if first else 0
        chunk = slice(start, int(ends[last - 1]) if last else 0)
        rows = np.repeat(np.arange(last - first), lengths[first:last])
        chunk_buckets = buckets[chunk]
        weights = idf[chunk_buckets] * (1 + np.log(counts[chunk].astype(np.float32)))
        # Within each row, strongest first (rows stay in order): one sort of one key.
        order = np.argsort(rows * _SORT_SPAN + (_SORT_SPAN - weights), kind="stable")
        rows, chunk_buckets, weights = rows[order], chunk_buckets[order], weights[order]
        starts = np.searchsorted(rows, np.arange(last - first))
        strongest = (np.arange(len(rows)) - starts[rows] < KEEP_PER_PAPER) & (weights > 0)
        rows, chunk_buckets, weights = rows[strongest], chunk_buckets[strongest], weights[strongest]
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=last - first))
        norms[norms == 0] = 1.0
        indices.append(chunk_buckets)
        data.append((weights / norms[rows]).astype(np.float32))
        kept_lengths[first:last] = np.bincount(rows, minlength=last - first)
    indptr = np.zeros(len(papers) + 1, dtype=np.int64)
    np.cumsum(kept_lengths, out=indptr[1:])
    return Features(
        idf=idf,
        ids=np.array([paper.id for paper in papers], dtype=np.int64),
        indptr=indptr,
        indices=np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32),
        data=np.concatenate(data) if data else np.zeros(0, dtype=np.float32),
        digests=counted.digests.copy(),
        built_rows=len(papers),
        build_id=build_id,
    )


def spans(indptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The positions in indices/data of the entries of ``rows``, row after row."""
    starts, ends = indptr[rows], indptr[rows + 1]
    lengths = ends - starts
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return offsets + np.arange(int(lengths.sum()))


def joined(old: Features, keep: np.ndarray, new: Features) -> Features:
    """``old``'s rows ``keep`` followed by ``new``'s rows (made with old's IDFs)."""
    at = spans(old.indptr, keep)
    lengths = np.concatenate((np.diff(old.indptr)[keep], np.diff(new.indptr)))
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return Features(
        idf=old.idf,
        ids=np.concatenate((old.ids[keep], new.ids)),
        indptr=indptr,
        indices=np.concatenate((old.indices[at], new.indices)),
        data=np.concatenate((old.data[at], new.data)),
        digests=np.concatenate((old.digests[keep], new.digests)),
        built_rows=old.built_rows,
        added_rows=old.added_rows + len(new),
        build_id=old.build_id,
    )


def similar(features: Features, row: int, limit: int) -> list[tuple[int, float]]:
    """The rows most like ``row`` (cosine), most alike first, itself left out."""
    cosines = features.dot(features.dense(row))
    cosines[row] = -1.0
    count = min(limit, len(cosines) - 1)
    if count <= 0:
        return []
    best = np.argpartition(-cosines, count - 1)[:count]
    best = best[np.argsort(-cosines[best], kind="stable")]
    return [(int(r), float(cosines[r])) for r in best if cosines[r] > 0]


def similar_papers(features: Features, paper_id: int, limit: int) -> list[tuple[int, float]]:
    """(paper id, cosine) of the papers most like ``paper_id``, most alike first."""
    row = features.row_of(paper_id)
    if row is None:
        return []
    return [(int(features.ids[r]), cosine) for r, cosine in similar(features, row, limit)]


def centroid(features: Features, rows: Iterable[int]) -> np.ndarray:
    vector = np.zeros(BUCKETS, dtype=np.float32)
    chosen = np.array(list(rows), dtype=np.int64)
    at = spans(features.indptr, chosen)
    np.add.at(vector, features.indices[at], features.data[at])
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
