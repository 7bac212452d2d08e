"""What the app keeps of a ranking the worker made (worker.py): the relevance of
every paper, the model's weights and the IDFs, read from the cache files. Not
the vectors (45 MB at 100,000 papers): why a paper ranks where it does is
worked out from the paper itself, and the papers like one are found from the
vectors file, read for that and let go."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from readq.model import Paper
from readq.query import Relevance
from readq.rank import cache
from readq.rank import features as feature_space
from readq.rank import model as learning

Pushes = list[tuple[str, float]]


@dataclass(slots=True)
class Learned:
    model: learning.Model
    idf: np.ndarray
    relevance: dict[int, float]

    @property
    def sureness(self) -> str:
        return self.model.sureness

    @property
    def learned(self) -> bool:
        return self.model.how != "recency"

    def as_relevance(self) -> Relevance:
        return Relevance(self.relevance, learned=self.learned, sureness=self.sureness)

    def explain(self, paper: Paper) -> tuple[Pushes, Pushes]:
        """The paper's features that pushed it up most, and down most: its vector
        made again (a millisecond) with the IDFs the model was trained with."""
        if not self.learned:
            return [], []
        like = feature_space.Features(
            idf=self.idf,
            ids=np.zeros(0, dtype=np.int64),
            indptr=np.zeros(1, dtype=np.int64),
            indices=np.zeros(0, dtype=np.int32),
            data=np.zeros(0, dtype=np.float32),
            digests=np.zeros(0, dtype=np.uint32),
        )
        own = feature_space.vectorised([paper], like)
        return learning.explain(own, self.model, 0, feature_space.named(paper))


def load(library: Path) -> Learned | None:
    """The ranking saved beside ``library``; None when there is none whole."""
    learned = cache.load_model(cache.model_path(library), None, None)
    scores = cache.load_scores(cache.model_path(library))
    idf = cache.load_idf(cache.vectors_path(library))
    if learned is None or scores is None or idf is None:
        return None
    ids, values = scores
    return Learned(learned, idf, dict(zip(ids.tolist(), values.tolist(), strict=True)))


def similar(library: Path, paper: Paper, limit: int) -> list[tuple[int, float]] | None:
    """(paper id, cosine) of the papers most like ``paper``, from the vectors
    file; None when there is none."""
    space = cache.load_features(cache.vectors_path(library))
    if space is None:
        return None
    row = space.row_of(paper.id)
    if row is None:
        return []
    return [(int(space.ids[r]), cosine) for r, cosine in feature_space.similar(space, row, limit)]
