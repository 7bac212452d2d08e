"""The ranking of a library: its papers' features, the model learned from the
user's decisions, and what they say of each paper (relevance, why, likeness)."""

from __future__ import annotations

import contextlib
import operator
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from readq.model import Paper
from readq.query import FOR_YOU, Relevance, View, in_order
from readq.rank import cache, shown
from readq.rank import features as feature_space
from readq.rank import model as learning
from readq.rank.decisions import decisions_of, is_kept, is_passed
from readq.rank.features import Stop, never
from readq.rank.terms import named


@dataclass(slots=True)
class Ranking:
    features: feature_space.Features
    model: learning.Model
    relevance: dict[int, float]  # paper id -> 0..1

    @property
    def sureness(self) -> str:
        return self.model.sureness

    @property
    def learned(self) -> bool:
        """Whether there were decisions to learn from (else: newest first)."""
        return self.model.how != "recency"

    def as_relevance(self) -> Relevance:
        """The scores as the for-you sort reads them (query.py)."""
        return Relevance(self.relevance, learned=self.learned, sureness=self.sureness)

    def ordered(self, papers: Iterable[Paper]) -> list[Paper]:
        """``papers``, the most relevant first (with no decisions: the newest)."""
        return in_order(list(papers), View(sort=FOR_YOU, relevance=self.as_relevance()))

    def explain(self, paper: Paper) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The paper's features that pushed it up most, and down most."""
        row = self.features.row_of(paper.id)
        if row is None or self.model.how == "recency":
            return [], []
        return learning.explain(self.features, self.model, row, named(paper))

    def similar(self, paper_id: int, limit: int = 10) -> list[tuple[int, float]]:
        """(paper id, cosine) of the papers most like ``paper_id``."""
        return feature_space.similar_papers(self.features, paper_id, limit)


def rank(papers: Sequence[Paper], *, library: Path | None = None, stop: Stop = never) -> Ranking:
    """Learn from ``papers`` (deleted ones included: a deletion is a pass) and
    score every one of them. ``library``: the library file beside which the
    vectors and the model are cached (cache.py), so that only what changed
    since the last ranking costs anything. ``stop``: asked now and then
    (features.Stopped is raised when it says so)."""
    cached = cache.load_features(cache.vectors_path(library)) if library else None
    space, changed = refreshed(papers, cached, stop)
    if library and changed:
        with contextlib.suppress(OSError):  # a cache: without it, the next ranking builds again
            cache.save_features(cache.vectors_path(library), space)
    decided = decisions_of(papers)
    # The newest decisions of each kind, at most MOST_DECISIONS: training follows
    # them, and taste drifts (a library triaged for years holds tens of thousands).
    kept, passed = _rows(space, _newest(decided.kept)), _rows(space, _newest(decided.passed))
    decisions = cache.fingerprint(space, kept, passed)
    saved = cache.load_model(cache.model_path(library), decisions) if library else None
    learned = saved or learning.train(space, kept, passed, stop)
    scores = learning.scores(space, learned)
    if library and (saved is None or changed or not shown.shown_path(library).exists()):
        with contextlib.suppress(OSError):
            cache.save_model(cache.model_path(library), learned, decisions)
            _save_shown(library, space, learned, scores)
    relevance = dict(zip(space.ids.tolist(), scores.tolist(), strict=True))
    return Ranking(space, learned, relevance)


# Papers vectorised with the last full build's IDFs, past this share of
# it: build anew (their new words, and the IDFs the new papers shift, count again).
GROWTH = 0.2


def refreshed(
    papers: Sequence[Paper], cached: feature_space.Features | None, stop: Stop = never
) -> tuple[feature_space.Features, bool]:
    """The vectors of ``papers``: ``cached``'s rows where their paper is unchanged,
    the others vectorised (or everything built anew, past GROWTH); True when
    that differs from ``cached``."""
    if cached is None or not len(cached):
        return feature_space.build(papers, build_id=_new_build_id(), stop=stop), True
    rows = cached.rows_of(np.array([paper.id for paper in papers], dtype=np.int64))
    digests = np.array(feature_space.digests_of(papers), dtype=np.uint32)
    same = (rows >= 0) & (cached.digests[np.maximum(rows, 0)] == digests)
    if same.all() and len(papers) == len(cached):
        return cached, False
    fresh = [paper for paper, unchanged in zip(papers, same.tolist(), strict=True) if not unchanged]
    if cached.added_rows + len(fresh) > GROWTH * cached.built_rows:
        return feature_space.build(papers, build_id=_new_build_id(), stop=stop), True
    added = feature_space.vectorised(fresh, cached, stop)
    return feature_space.joined(cached, rows[same], added), True


def _save_shown(
    library: Path, space: feature_space.Features, learned: learning.Model, scores: np.ndarray
) -> None:
    """What the app shows (shown.py): relevance, and each paper's strongest pushes."""
    up, down = learning.strongest_pushes(space, learned, shown.WHY_TERMS)
    order = np.argsort(space.ids, kind="stable")  # by id: the app finds papers by bisection
    shown.write(
        shown.shown_path(library),
        sureness=learned.sureness,
        learned=learned.how != "recency",
        ids=space.ids[order].astype(np.int64).tobytes(),
        scores=scores[order].astype(np.float32).tobytes(),
        up=up[order].astype(np.int32).tobytes(),
        down=down[order].astype(np.int32).tobytes(),
    )


def _rows(space: feature_space.Features, papers: list[Paper]) -> list[int]:
    rows = space.rows_of(np.array([paper.id for paper in papers], dtype=np.int64))
    return [int(row) for row in rows if row >= 0]


def _new_build_id() -> int:
    return secrets.randbits(31)


MOST_DECISIONS = 10_000


def _newest(papers: list[Paper]) -> list[Paper]:
    if len(papers) <= MOST_DECISIONS:
        return papers
    # (papers come in id order, which a stable sort keeps on ties)
    return sorted(papers, key=operator.attrgetter("updated_at"))[-MOST_DECISIONS:]


def undecided(papers: Iterable[Paper]) -> list[Paper]:
    """The papers the ranking orders: neither kept nor passed yet."""
    return [p for p in papers if p.deleted_at is None and not is_kept(p) and not is_passed(p)]
