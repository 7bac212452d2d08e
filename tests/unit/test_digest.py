"""The digest's Markdown: one item per paper, hostile text shown as written."""

from __future__ import annotations

from readq.exporters.digest import first_sentence, render_digest
from readq.model import Paper


def _paper(paper_id: int, **values: object) -> Paper:
    return Paper(id=paper_id, title=f"Paper {paper_id}", **values)  # type: ignore[arg-type]


def test_groups_follow_the_feeds_order_then_the_rest() -> None:
    papers = [
        _paper(1, feeds=["b"]),
        _paper(2, feeds=["a", "b"]),
        _paper(3),
        _paper(4, feeds=["c"]),
    ]
    text = render_digest(papers, "readq digest", feeds=["a", "b", "unused"])
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## a (1)", "## b (1)", "## imported (1)", "## c (1)"]


def test_an_abstract_cannot_open_a_block_or_an_entity() -> None:
    for abstract, shown in [
        ("- not a list. More.", "\\- not a list."),
        ("--- not a rule.", "\\--- not a rule."),
        ("1. not numbered. More.", "1\\. not numbered."),
        ("Fish &amp; chips ~~struck~~.", "Fish \\&amp; chips \\~\\~struck\\~\\~."),
    ]:
        text = render_digest([_paper(1, abstract=abstract)], "t")
        assert f"\n  {shown}\n" in text, (abstract, text)


def test_first_sentence() -> None:
    assert first_sentence("We do x. Then y.") == "We do x."
    assert first_sentence("e.g. the 3.5 model works. Yes.") == "e.g. the 3.5 model works."
    assert first_sentence("word " * 100).endswith(" …")
    assert first_sentence("") == ""


def test_nothing_arrived() -> None:
    assert render_digest([], "t") == "# t\n\nNothing arrived.\n"
