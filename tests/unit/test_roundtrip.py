"""Every re-importable export reads back to the same papers (hypothesis round trips)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from readq import exporters, importers
from readq.model import Paper, Status

CARRIED = {
    "json": (
        "title",
        "authors",
        "authors_truncated",
        "published",
        "doi",
        "url",
        "arxiv_id",
        "arxiv_version",
        "abstract",
        "tags",
        "venue",
        "status",
        "priority",
        "notes",
    ),
    "bibtex": (
        "title",
        "authors",
        "authors_truncated",
        "published",
        "doi",
        "url",
        "arxiv_id",
        "arxiv_version",
        "abstract",
        "tags",
    ),
    "csv": (
        "title",
        "authors",
        "published",
        "doi",
        "url",
        "arxiv_id",
        "abstract",
        "tags",
        "status",
        "priority",
        "notes",
    ),
    "ris": (
        "title",
        "authors",
        "published",
        "doi",
        "url",
        "arxiv_id",
        "arxiv_version",
        "abstract",
        "tags",
        "venue",
        "notes",
    ),
}
DETECTED = {"json": "readq-json", "bibtex": "bibtex", "csv": "csv", "ris": "ris"}

given_names = st.sampled_from(["Ada", "Jörg", "Amélie", "Li", "Sa'id", "Hugo", "Zoë"])
families = st.sampled_from(["Lovelace", "Weiß", "O'Neill", "McAllister", "Al-Sayed", "Durand"])
names = st.builds(lambda g, f: f"{g} {f}", given_names, families)
# Titles with the characters each format must escape: LaTeX specials, braces,
# quotes, commas, semicolons, markup, leading formula characters.
title_chars = st.sampled_from(list("abcXYZ019 &%$#_{}~^\\,;\"'[]@=-+éλ·"))
titles = st.text(title_chars, min_size=1, max_size=40).map(lambda t: " ".join(t.split()))
tag = st.sampled_from(["ml", "rl", "to-read", "nlp"])


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    title = draw(titles.filter(bool))
    published = draw(st.dates(date(1990, 1, 1), date(2026, 11, 29)))
    arxiv = draw(st.one_of(st.none(), st.from_regex(r"2[0-5]0[1-9]\.[0-9]{5}", fullmatch=True)))
    return Paper(
        id=1,
        title=title,
        authors=draw(st.lists(names, min_size=1, max_size=4, unique=True)),
        published=published.isoformat(),
        doi=draw(
            st.one_of(st.none(), st.from_regex(r"10\.[0-9]{4}/[a-z0-9]{1,12}", fullmatch=True))
        ),
        url=draw(st.one_of(st.none(), st.just("https://example.org/p?id=1&x=%20"))),
        arxiv_id=arxiv,
        arxiv_version=draw(st.integers(1, 9)) if arxiv else None,
        abstract=draw(titles),
        tags=draw(st.lists(tag, unique=True, max_size=3)),
        venue=draw(st.one_of(st.none(), st.just("Journal of Things & Stuff"))),
        status=draw(st.sampled_from(list(Status))),
        priority=draw(st.integers(0, 3)),
        notes=draw(st.one_of(st.just(""), titles)),
    )


def _reimport(paper: Paper, fmt: str) -> Paper:
    text = exporters.export([paper], fmt).decode("utf-8")
    detected = importers.detect(text, f"export.{fmt}")
    assert detected == DETECTED[fmt]
    result = importers.parse(text, detected, as_of=date(2026, 11, 29))
    assert [p for p in result.problems if p.severity == "error"] == []
    (parsed,) = result.papers
    return Paper(id=1, **{k: v for k, v in vars_of(parsed).items() if v is not None})


def vars_of(parsed: object) -> dict[str, object]:
    names_ = [n for n in Paper.__dataclass_fields__ if n != "id"]
    return {n: getattr(parsed, n) for n in names_ if hasattr(parsed, n)}


def _check(fmt: str, paper: Paper) -> None:
    back = _reimport(paper, fmt)
    for name in CARRIED[fmt]:
        assert getattr(back, name) == getattr(paper, name), (fmt, name)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(papers())
def test_json_round_trip(paper: Paper) -> None:
    _check("json", paper)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(papers())
def test_bibtex_round_trip(paper: Paper) -> None:
    _check("bibtex", paper)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(papers())
def test_csv_round_trip(paper: Paper) -> None:
    _check("csv", paper)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(papers())
def test_ris_round_trip(paper: Paper) -> None:
    _check("ris", paper)
