"""Papers as TF-IDF vectors: words and word pairs of the title and abstract,
authors, organisations and categories.

Each paper keeps its KEEP_PER_PAPER strongest features (a 1,300-character
abstract has about 200 words and pairs; the strongest carry what it is about),
so that 100,000 papers are a few million numbers, not tens of millions. The
vectors are rows of one sparse matrix in CSR form (indptr, indices, data),
each row of length one, so that a dot product of two rows is their cosine.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from readq.collector import collector_paused
from readq.model import Paper, fold

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


def terms(paper: Paper) -> Counter[str]:
    """The paper's features and how often it has each: words and adjacent word
    pairs of its title (counted twice) and abstract, ``author:…``, ``org:…``
    and ``cat:…``."""
    counts: Counter[str] = Counter()
    for text, weight in ((paper.title, TITLE_WEIGHT), (paper.abstract, 1)):
        words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
        for _ in range(weight):
            counts.update(words)
            counts.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    counts.update(f"author:{fold(name)}" for name in paper.authors if fold(name))
    counts.update(f"org:{fold(org)}" for org in paper.orgs if fold(org))
    categories = {c.lower() for c in [*paper.categories, paper.category or ""] if c}
    counts.update(f"cat:{category}" for category in categories)
    return counts


@dataclass
class Features:
    """The papers' vectors: row ``r`` is the paper ``ids[r]``."""

    vocabulary: list[str]
    idf: np.ndarray  # float32, one per term of the vocabulary
    ids: np.ndarray  # int64, the paper of each row
    indptr: np.ndarray  # int64, rows + 1
    indices: np.ndarray  # int32, the terms of each row
    data: np.ndarray  # float32, their weights (each row of length one)

    def __post_init__(self) -> None:
        self._rows = {int(paper_id): row for row, paper_id in enumerate(self.ids)}

    def row_of(self, paper_id: int) -> int | None:
        return self._rows.get(paper_id)

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[row], self.indptr[row + 1]
        return self.indices[start:end], self.data[start:end]

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Each row's dot product with a dense vector over the vocabulary."""
        products = self.data * weights[self.indices]
        sums = np.add.reduceat(products, self.indptr[:-1]) if len(products) else products
        empty = self.indptr[:-1] == self.indptr[1:]  # reduceat gives a neighbour's value there
        result = np.zeros(len(self.ids), dtype=np.float32)
        if len(products):
            result[~empty] = sums[~empty]
        return result

    def dense(self, row: int) -> np.ndarray:
        vector = np.zeros(len(self.vocabulary), dtype=np.float32)
        indices, data = self.row(row)
        vector[indices] = data
        return vector


def build(papers: Sequence[Paper], *, min_papers: int = 2) -> Features:
    """The vectors of ``papers``. A feature counts when ``min_papers`` papers have
    it (in a library of fewer than 50, every feature)."""
    with collector_paused():  # millions of small objects, none of them cyclic
        counts = [terms(paper) for paper in papers]
    frequency: Counter[str] = Counter()
    for found in counts:
        frequency.update(found.keys())
    floor = min_papers if len(papers) >= 50 else 1
    vocabulary = sorted(term for term, n in frequency.items() if n >= floor)
    index = {term: at for at, term in enumerate(vocabulary)}
    total = len(papers)
    idf = np.array(
        [math.log((1 + total) / (1 + frequency[term])) + 1 for term in vocabulary],
        dtype=np.float32,
    )
    indptr, indices, data = [0], [], []
    weights = idf.tolist()  # a numpy scalar per lookup costs ten times a float
    for found in counts:
        row = _row(found, index, weights)
        indices.extend(row[0])
        data.extend(row[1])
        indptr.append(len(indices))
    return Features(
        vocabulary=vocabulary,
        idf=idf,
        ids=np.array([paper.id for paper in papers], dtype=np.int64),
        indptr=np.array(indptr, dtype=np.int64),
        indices=np.array(indices, dtype=np.int32),
        data=np.array(data, dtype=np.float32),
    )


_LOG_WEIGHT: Final = [0.0, *(1 + math.log(n) for n in range(1, 64))]  # 1 + log(tf)


def _row(
    found: Counter[str], index: dict[str, int], idf: list[float]
) -> tuple[list[int], list[float]]:
    weighted = []
    for term, count in found.items():
        at = index.get(term)
        if at is not None:
            tf = _LOG_WEIGHT[count] if count < 64 else 1 + math.log(count)
            weighted.append((idf[at] * tf, at))
    weighted.sort(reverse=True)
    kept = sorted(weighted[:KEEP_PER_PAPER], key=lambda pair: pair[1])
    norm = math.sqrt(sum(weight * weight for weight, _ in kept)) or 1.0
    return [at for _, at in kept], [float(weight / norm) for weight, _ in kept]


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
