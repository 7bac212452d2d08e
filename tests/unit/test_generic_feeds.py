"""Feeds other than arXiv's (a journal's RSS, a blog's Atom): detected, read,
their HTML descriptions as text, no arXiv warnings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readq import importers
from readq.importers.html_text import html_text

from ..conftest import AS_OF, DATA

FEEDS = DATA / "feeds"


def _read(name: str) -> importers.ParseResult:
    text = (FEEDS / name).read_text(encoding="utf-8")
    return importers.parse(text, importers.detect(text, name), as_of=AS_OF)


def test_a_journals_rss_feed() -> None:
    result = _read("journal.rss.xml")
    assert result.problems == []  # no "no arXiv id" for a journal's papers
    first, second = result.papers
    assert first.title == "A generic paper about learning"
    assert first.authors == ["Jane Doe"]  # RSS 2.0's author: "email (name)"
    assert first.doi == "10.1038/s42256-026-01234-5"  # from its guid
    assert first.published == "2026-12-01"
    assert second.abstract == "Another one."  # its HTML, as text


def test_a_blogs_atom_feed() -> None:
    result = _read("blog.atom.xml")
    assert result.problems == []
    (entry,) = result.papers
    assert (entry.title, entry.authors) == ("Atom-Powered Robots Run Amok", ["John Doe"])
    assert entry.url == "https://example.org/2026/12/01/atom03"
    assert entry.published == "2026-12-01"  # from <updated>: Atom's <published> is optional


def test_arxiv_abstracts_keep_their_mathematics() -> None:
    text = (DATA / "arxiv-api.atom.xml").read_text(encoding="utf-8")
    text = text.replace(
        "Offline reinforcement learning", "For $a &lt;b and c&gt; d$, offline RL", 1
    )
    (paper, *_) = importers.parse(text, "arxiv-atom", as_of=AS_OF).papers
    assert paper.abstract.startswith("For $a <b and c> d$, offline RL")


def test_html_text() -> None:
    assert (
        html_text("<p>We study <i>x</i> &amp; y.</p><p>Second.</p>") == "We study x & y.\nSecond."
    )
    assert html_text("a < b and c > d") == "a < b and c > d"  # no tag: as written
    assert html_text("<script>alert(1)</script>Kept") == "Kept"


@given(st.text())
def test_html_text_never_fails_and_leaves_no_tag(text: str) -> None:
    result = html_text(text)
    assert isinstance(result, str)
    if result != text:
        assert html_text(result) == result or "<" in result
