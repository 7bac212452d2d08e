"""Papers as TF-IDF vectors: words and word pairs of the title and abstract,
authors, organisations and categories.

Each paper keeps its KEEP_PER_PAPER strongest features (a 1,300-character
abstract has about 200 words and pairs; the strongest carry what it is about),
so that 100,000 papers are a few million numbers, not tens of millions. The
vectors are rows of one sparse matrix in CSR form (indptr, indices, data),
each row of length one, so that a dot product of two rows is their cosine.

At 100,000 papers the Python work per term is what costs: tokens are counted
and given numbers by C-level calls (Counter, map, array), and everything after
(document frequencies, weights, the strongest per paper, lengths) is done by
numpy over all papers at once. Papers that arrive later are vectorised against
the vocabulary and IDFs of the last full build (``extended``): new words wait
for the next full build, which cache.py asks for once the library has grown.
"""

from __future__ import annotations

import itertools
import operator
import re
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from readq.collector import collector_paused
from readq.model import Paper, abstracts_of, fold

KEEP_PER_PAPER: Final = 48
TITLE_WEIGHT: Final = 2  # a title's words count twice: it says what the paper is about
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
    pairs of its title (counted twice) and abstract, ``author:…``, ``org:…``
    and ``cat:…``. ``abstract``: the paper's, when already read (abstracts_of);
    ``folded``: names already folded, shared across papers."""
    names = _Folded() if folded is None else folded
    counts: Counter[str] = Counter()
    text = paper.abstract if abstract is None else abstract
    for words, times in ((_words(paper.title), TITLE_WEIGHT), (_words(text), 1)):
        pairs = list(map(operator.add, words, map(" ".__add__, words[1:])))
        for _ in range(times):
            counts.update(words)
            counts.update(pairs)
    counts.update(map("author:".__add__, filter(None, map(names.__getitem__, paper.authors))))
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


def digest(paper: Paper, abstract: str) -> int:
    """A checksum of what the paper's vector is made of: a cached vector is used
    only while its paper still has it (an import may bring a new abstract)."""
    parts = [paper.title, abstract, *paper.authors, "", *paper.orgs, "", paper.category or ""]
    return zlib.crc32("\x1f".join([*parts, *paper.categories]).encode("utf-8", "replace"))


@dataclass
class Features:
    """The papers' vectors: row ``r`` is the paper ``ids[r]``."""

    vocabulary: list[str]
    idf: np.ndarray  # float32, one per term of the vocabulary
    ids: np.ndarray  # int64, the paper of each row
    indptr: np.ndarray  # int64, rows + 1
    indices: np.ndarray  # int32, the terms of each row
    data: np.ndarray  # float32, their weights (each row of length one)
    digests: np.ndarray  # uint32, digest() of each row's paper when it was vectorised
    # Rows the last full build made, and rows vectorised since against its
    # vocabulary: when the second grows past a share of the first, build anew.
    built_rows: int = 0
    added_rows: int = 0
    build_id: int = 0  # which full build the vocabulary is of (a model is tied to it)
    _rows: dict[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._rows = dict(zip(self.ids.tolist(), range(len(self.ids)), strict=True))

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, paper_id: int) -> int | None:
        return self._rows.get(paper_id)

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[row], self.indptr[row + 1]
        return self.indices[start:end], self.data[start:end]

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Each row's dot product with a dense vector over the vocabulary."""
        products = self.data * weights[self.indices]
        result = np.zeros(len(self.ids), dtype=np.float32)
        filled = self.indptr[:-1] < self.indptr[1:]  # reduceat gives an empty row a neighbour's
        if len(products):
            result[filled] = np.add.reduceat(products, self.indptr[:-1][filled])
        return result

    def dense(self, row: int) -> np.ndarray:
        vector = np.zeros(len(self.vocabulary), dtype=np.float32)
        indices, data = self.row(row)
        vector[indices] = data
        return vector


class Stopped(Exception):
    """The ranking was asked to stop (the app is quitting)."""


Stop = Callable[[], bool]


def never() -> bool:
    return False


def build(
    papers: Sequence[Paper], *, min_papers: int = 2, build_id: int = 0, stop: Stop = never
) -> Features:
    """The vectors of ``papers``. A feature counts when ``min_papers`` papers have
    it (in a library of fewer than 50, every feature). ``stop``: asked now and
    then; when it says so, Stopped is raised."""
    abstracts = abstracts_of(papers)
    index: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    with collector_paused():  # millions of small objects, none of them cyclic
        counted = _counted(papers, abstracts, index.__getitem__, stop)
    terms_of, counts, lengths = counted
    frequency = np.bincount(terms_of, minlength=len(index))
    floor = min_papers if len(papers) >= 50 else 1
    kept = frequency >= floor
    vocabulary = list(itertools.compress(index, kept.tolist()))
    renumbered = np.cumsum(kept, dtype=np.int64) - 1
    total = len(papers)
    idf = (np.log((1 + total) / (1 + frequency[kept])) + 1).astype(np.float32)
    rows = np.repeat(np.arange(total), lengths)
    wanted = kept[terms_of]
    return _assembled(
        papers,
        abstracts,
        vocabulary,
        idf,
        (rows[wanted], renumbered[terms_of[wanted]], counts[wanted]),
        build_id=build_id,
    )


def vectorised(papers: Sequence[Paper], like: Features, stop: Stop = never) -> Features:
    """The vectors of ``papers`` in ``like``'s vocabulary and IDFs (words it does
    not know are left out), for papers that arrived after its build."""
    abstracts = abstracts_of(papers)
    known = _Known(zip(like.vocabulary, range(len(like.vocabulary)), strict=True))
    with collector_paused():
        terms_of, counts, lengths = _counted(papers, abstracts, known.__getitem__, stop)
    rows = np.repeat(np.arange(len(papers)), lengths)
    wanted = terms_of >= 0
    return _assembled(
        papers,
        abstracts,
        like.vocabulary,
        like.idf,
        (rows[wanted], terms_of[wanted], counts[wanted]),
        build_id=like.build_id,
    )


class _Known(dict[str, int]):
    """The vocabulary's numbers; -1 for a word it does not have."""

    def __missing__(self, term: str) -> int:
        return -1


def _counted(
    papers: Sequence[Paper], abstracts: Sequence[str], number: Callable[[str], int], stop: Stop
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every paper's terms as numbers (``number`` gives each term's), how often
    it has each, and how many terms each paper has: flat arrays, in paper order."""
    numbered, counts, lengths = array("i"), array("i"), array("i")
    folded = _Folded()
    for at, (paper, abstract) in enumerate(zip(papers, abstracts, strict=True)):
        if at % 1024 == 0 and stop():
            raise Stopped
        found = terms(paper, abstract, folded)
        numbered.extend(map(number, found))
        counts.extend(found.values())
        lengths.append(len(found))
    as_int = np.int32
    return (
        np.frombuffer(numbered, dtype=as_int).astype(np.int64),
        np.frombuffer(counts, dtype=as_int),
        np.frombuffer(lengths, dtype=as_int),
    )


_SORT_SPAN: Final = 1024.0  # above any weight: idf <= 1 + log(n), tf weight <= 1 + log(count)


def _assembled(
    papers: Sequence[Paper],
    abstracts: Sequence[str],
    vocabulary: list[str],
    idf: np.ndarray,
    entries: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    build_id: int,
) -> Features:
    """Features from (row, term, count) entries, in row order: each weighted
    idf × (1 + log count), the KEEP_PER_PAPER strongest of each row kept, each
    row scaled to length one."""
    rows, term_numbers, counts = entries
    weights = idf[term_numbers] * (1 + np.log(counts.astype(np.float32)))
    # Rows are already in order; within each, strongest first: one sort of one key.
    order = np.argsort(rows * _SORT_SPAN + (_SORT_SPAN - weights), kind="stable")
    rows, term_numbers, weights = rows[order], term_numbers[order], weights[order]
    starts = np.searchsorted(rows, np.arange(len(papers)))
    strongest = np.arange(len(rows)) - starts[rows] < KEEP_PER_PAPER
    rows, term_numbers, weights = rows[strongest], term_numbers[strongest], weights[strongest]
    lengths = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=len(papers)))
    lengths[lengths == 0] = 1.0
    indptr = np.zeros(len(papers) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(papers)), out=indptr[1:])
    return Features(
        vocabulary=vocabulary,
        idf=idf,
        ids=np.array([paper.id for paper in papers], dtype=np.int64),
        indptr=indptr,
        indices=term_numbers.astype(np.int32),
        data=(weights / lengths[rows]).astype(np.float32),
        digests=np.array(
            [digest(p, a) for p, a in zip(papers, abstracts, strict=True)], dtype=np.uint32
        ),
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
    """``old``'s rows ``keep`` followed by ``new``'s rows (in old's vocabulary)."""
    at = spans(old.indptr, keep)
    lengths = np.concatenate((np.diff(old.indptr)[keep], np.diff(new.indptr)))
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return Features(
        vocabulary=old.vocabulary,
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
    vector = np.zeros(len(features.vocabulary), dtype=np.float32)
    for row in rows:
        indices, data = features.row(row)
        vector[indices] += data
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
