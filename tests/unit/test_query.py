"""Search, filters and sorts: what a view shows, for the CLI and the app alike."""

from __future__ import annotations

from readq.model import Paper
from readq.query import View, rows_for, select


def _papers() -> list[Paper]:
    return [
        Paper(
            id=1,
            title="Hyperbolic Embeddings",
            authors=["Ada Lovelace"],
            abstract="We study TREES in curved space.",
            added_at="2026-01-01T00:00:00Z",
        ),
        Paper(
            id=2,
            title="Straße Networks",
            authors=["Jörg Weiß"],
            abstract="Routing on road graphs.",
            notes="Compare with the Hyperbolic paper",
            tags=["graphs"],
            added_at="2026-01-02T00:00:00Z",
        ),
        Paper(id=3, title="Unrelated", abstract="Nothing here.", added_at="2026-01-03T00:00:00Z"),
    ]


def _ids(papers: list[Paper]) -> list[int]:
    return sorted(p.id for p in papers)


def test_search_reaches_title_authors_abstract_notes_and_tags_case_folded() -> None:
    papers = _papers()
    assert _ids(select(papers, View(search="hyperbolic"))) == [1, 2]  # title, note
    assert _ids(select(papers, View(search="trees curved"))) == [1]  # abstract only
    assert _ids(select(papers, View(search="STRASSE weiss"))) == [2]  # casefold
    assert _ids(select(papers, View(search="graphs road"))) == [2]  # tag + abstract
    assert _ids(select(papers, View(search="trees road"))) == []  # every term must match


def test_narrowing_equals_selecting() -> None:
    papers = _papers()
    for search in ("hy", "in", "in curved", "ada", "nothing"):
        expected = select(papers, View(search=search))
        wider = View(search=search[:-1])
        # No papers to select from: the rows come from narrowing the wider search's.
        assert rows_for([], View(search=search), [(wider, select(papers, wider))]) == expected
