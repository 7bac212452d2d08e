"""``readq rank`` and ``readq similar`` as text: a relevance bar, the paper, why."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from readq.model import Paper
from readq.rank.bars import bar, readable
from readq.rank.ranking import Ranking
from readq.sanitize import clean_line


def paper_line(paper: Paper) -> str:
    year = f" ({paper.year})" if paper.year else ""
    author = clean_line(paper.authors_short())
    return f"#{paper.id}  {clean_line(paper.title)}" + (f" — {author}" if author else "") + year


def ranked_lines(ranking: Ranking, papers: Sequence[Paper]) -> Iterator[str]:
    yield f"For you ({ranking.sureness}):"
    for paper in papers:
        if ranking.model.how == "recency":  # nothing learned: no relevance to show
            yield f"  {paper_line(paper)}"
            continue
        relevance = ranking.relevance.get(paper.id, 0.0)
        yield f"  {relevance:4.2f} {bar(relevance)} {paper_line(paper)}"


def explanation_lines(ranking: Ranking, paper: Paper) -> Iterator[str]:
    relevance = ranking.relevance.get(paper.id, 0.0)
    yield paper_line(paper)
    yield f"relevance {relevance:.2f} {bar(relevance)} ({ranking.sureness})"
    up, down = ranking.explain(paper)
    if not up and not down:
        yield "nothing it learned says more of this paper than of others."
        return
    if up:
        yield "pushed up by:   " + ", ".join(f"{readable(t)} (+{w:.2f})" for t, w in up)
    if down:
        yield "pushed down by: " + ", ".join(f"{readable(t)} ({w:.2f})" for t, w in down)


def similar_lines(paper: Paper, found: Sequence[tuple[Paper, float]]) -> Iterator[str]:
    yield f"Papers most like {paper_line(paper)}:"
    if not found:
        yield "  none shares its words, authors or categories."
    for other, cosine in found:
        yield f"  {cosine:4.2f} {bar(cosine)} {paper_line(other)}"
