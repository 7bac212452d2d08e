"""The ranking of a library: its papers' features, the model learned from the
user's decisions, and what they say of each paper (relevance, why, likeness)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from readq.model import Paper
from readq.rank import features as feature_space
from readq.rank import model as learning
from readq.rank.decisions import decisions_of, is_kept, is_passed


@dataclass(slots=True)
class Ranking:
    features: feature_space.Features
    model: learning.Model
    relevance: dict[int, float]  # paper id -> 0..1

    @property
    def sureness(self) -> str:
        return self.model.sureness

    def ordered(self, papers: Iterable[Paper]) -> list[Paper]:
        """``papers``, the most relevant first (with no decisions: the newest)."""
        chosen = list(papers)
        if self.model.how == "recency":
            return sorted(chosen, key=lambda p: (p.added_at, p.id), reverse=True)
        return sorted(chosen, key=lambda p: (-self.relevance.get(p.id, 0.0), -p.id))

    def explain(self, paper_id: int) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        row = self.features.row_of(paper_id)
        if row is None or self.model.how == "recency":
            return [], []
        return learning.explain(self.features, self.model, row)

    def similar(self, paper_id: int, limit: int = 10) -> list[tuple[int, float]]:
        """(paper id, cosine) of the papers most like ``paper_id``."""
        row = self.features.row_of(paper_id)
        if row is None:
            return []
        found = feature_space.similar(self.features, row, limit)
        return [(int(self.features.ids[r]), cosine) for r, cosine in found]


def rank(papers: Sequence[Paper]) -> Ranking:
    """Learn from ``papers`` (deleted ones included: a deletion is a pass) and
    score every one of them."""
    space = feature_space.build(papers)
    decided = decisions_of(papers)
    rows = space.row_of
    # The newest decisions of each kind, at most MOST_DECISIONS: training follows
    # them, and taste drifts (a library triaged for years holds tens of thousands).
    kept = [r for p in _newest(decided.kept) if (r := rows(p.id)) is not None]
    passed = [r for p in _newest(decided.passed) if (r := rows(p.id)) is not None]
    learned = learning.train(space, kept, passed)
    scores = learning.scores(space, learned)
    relevance = {
        int(paper_id): float(score) for paper_id, score in zip(space.ids, scores, strict=True)
    }
    return Ranking(space, learned, relevance)


MOST_DECISIONS = 10_000


def _newest(papers: list[Paper]) -> list[Paper]:
    if len(papers) <= MOST_DECISIONS:
        return papers
    return sorted(papers, key=lambda p: (p.updated_at, p.id))[-MOST_DECISIONS:]


def undecided(papers: Iterable[Paper]) -> list[Paper]:
    """The papers the ranking orders: neither kept nor passed yet."""
    return [p for p in papers if p.deleted_at is None and not is_kept(p) and not is_passed(p)]
