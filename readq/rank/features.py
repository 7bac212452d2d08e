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

import itertools
import operator
import re
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from readq.collector import collector_paused
from readq.model import Paper, abstracts_of, fold

KEEP_PER_PAPER: Final = 48
TITLE_WEIGHT: Final = 2  # a title's words count twice: it says what the paper is about
# An author counts twice: among a paper's hundred words one name was lost, and
# readers who follow authors (rank_eval.py) found 2 of their papers in 5 pages,
# not 13; readers of topics and categories lose nothing by it.
AUTHOR_WEIGHT: Final = 2
BUCKETS: Final = 1 << 20  # the features' numbers: 4 MB of weights per model
_WORD: Final = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
# Words that say nothing of a paper's topic: English, and how abstracts talk.
_STOPWORD_TEXT: Final = """a about above across after again against all almost along also
    although always am among an and another any are as at be because been before being below between
    both but by can could did do does doing done down during each either enough even
    every few for from further had has have having he her here hers him his how however
    i if in into is it its itself just least less like made make many may me might more
    most much must my neither no nor not now of off often on once one only or other our
    out over own per rather same she should show shown shows since so some such than
    that the their them then there these they this those though through thus to too
    two under until up upon us use used uses using very via was we well were what when
    where whether which while who whom whose why will with within without would yet you
    your paper papers propose proposed present presents approach approaches method
    methods result results new novel based work study find found also existing recent
    recently first second three four five furthermore moreover however several various
    significantly demonstrate demonstrates experiments experimental provide provides
    introduce introduces achieve achieves achieving significant state art"""
STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())


def terms(paper: Paper, abstract: str | None = None, folded: _Folded | None = None) -> Counter[str]:
    """The paper's features and how often it has each: words and adjacent word
    pairs of its title (counted twice) and abstract, ``author:…`` (twice),
    ``org:…`` and ``cat:…``. ``abstract``: the paper's, when already read (abstracts_of);
    ``folded``: names already folded, shared across papers."""
    names = _Folded() if folded is None else folded
    counts: Counter[str] = Counter()
    text = paper.abstract if abstract is None else abstract
    for words, times in ((_words(paper.title), TITLE_WEIGHT), (_words(text), 1)):
        pairs = list(map(operator.add, words, map(" ".__add__, words[1:])))
        for _ in range(times):
            counts.update(words)
            counts.update(pairs)
    authors = list(map("author:".__add__, filter(None, map(names.__getitem__, paper.authors))))
    for _ in range(AUTHOR_WEIGHT):
        counts.update(authors)
    counts.update(map("org:".__add__, filter(None, map(names.__getitem__, paper.orgs))))
    categories = {" ".join(c.lower().split()) for c in [*paper.categories, paper.category or ""]}
    categories.discard("")
    counts.update(f"cat:{category}" for category in categories)
    return counts


def _words(text: str) -> list[str]:
    return list(itertools.filterfalse(STOPWORDS.__contains__, _WORD.findall(text.lower())))


class _Folded(dict[str, str]):
    """Names folded once each: a library names the same authors thousands of times."""

    def __missing__(self, name: str) -> str:
        value = self[name] = fold(name)
        return value


def bucket(term: str) -> int:
    """The number of a feature (zlib's CRC-32: the same in every process)."""
    return zlib.crc32(term.encode("utf-8", "replace")) & (BUCKETS - 1)


def named(paper: Paper) -> dict[int, str]:
    """The paper's features by number, named by its own words (the most frequent
    of the paper's terms that share a number)."""
    names: dict[int, str] = {}
    for term, _ in terms(paper).most_common():
        names.setdefault(bucket(term), term)
    return names


def digest(paper: Paper, abstract: str) -> int:
    """A checksum of what the paper's vector is made of: a cached vector is used
    only while its paper still has it (an import may bring a new abstract)."""
    parts = [paper.title, abstract, *paper.authors, "", *paper.orgs, "", paper.category or ""]
    return zlib.crc32("\x1f".join([*parts, *paper.categories]).encode("utf-8", "replace"))


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
    folded = _Folded()
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


def centroid(features: Features, rows: Iterable[int]) -> np.ndarray:
    vector = np.zeros(BUCKETS, dtype=np.float32)
    chosen = np.array(list(rows), dtype=np.int64)
    at = spans(features.indptr, chosen)
    np.add.at(vector, features.indices[at], features.data[at])
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
