"""Where papers came from and when: feeds remembered per paper, ``feed:``, ``is:new``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readq import fields, visits
from readq.library import Library
from readq.model import Paper, ParsedPaper
from readq.querylang import compile_query, parse

from ..conftest import DATA, run


def _entry(title: str, arxiv_id: str, *feeds: str, version: int = 1) -> ParsedPaper:
    return ParsedPaper(
        title=title,
        authors=["Ada Lovelace"],
        arxiv_id=arxiv_id,
        arxiv_version=version,
        feeds=list(feeds),
        arrived_from=feeds[0] if feeds else None,
    )


def test_one_paper_from_two_feeds_remembers_both(library_file: Path) -> None:
    with Library.open(library_file) as library:
        first = library.add_many([_entry("Engines", "2612.00001", "cs.LG")])
        again = library.add_many([_entry("Engines", "2612.00001", "cs.LG")])
        second = library.add_many([_entry("Engines", "2612.00001v2", "mamba", version=2)])
    assert first.added == [1] and again.updated == [] and again.unchanged == [1]
    assert second.updated == [1] and second.replaced == [1]
    with Library.open(library_file, writable=False) as library:
        paper = library.get(1)
    assert paper.feeds == ["cs.LG", "mamba"]
    assert paper.arrived_from == "cs.LG"  # where it came from first


def test_a_file_import_remembers_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    listing = str(DATA / "listing-sample.txt")
    assert run(capsys, "import", listing, "--as-of", "2026-11-29")[0] == 0
    code, out, _ = run(capsys, "show", "1", "--json")
    assert code == 0 and json.loads(out)["arrived_from"] == listing


def _paper(paper_id: int, added_at: str, feeds: list[str]) -> Paper:
    return Paper(id=paper_id, title=f"P{paper_id}", added_at=added_at, feeds=feeds)


PAPERS = [
    _paper(1, "2026-12-01T08:00:00Z", ["cs.LG"]),
    _paper(2, "2026-12-02T08:00:00Z", ["cs.LG", "Mamba"]),
    _paper(3, "2026-12-02T09:00:00Z", []),
]


@pytest.mark.parametrize(
    ("query", "since", "expected"),
    [
        ("is:new", "", [1, 2, 3]),  # never closed: everything is new
        ("is:new", "2026-12-01T20:00:00Z", [2, 3]),
        ("-is:new", "2026-12-01T20:00:00Z", [1]),
        ("feed:cs.LG", "", [1, 2]),
        ("feed:mamba", "", [2]),  # names fold as tags do
        ("feeds:cs", "", []),  # a feed's whole name
        ("is:new feed:cs.LG", "2026-12-01T20:00:00Z", [2]),
    ],
)
def test_is_new_and_feed(query: str, since: str, expected: list[int]) -> None:
    matcher = compile_query(parse(query), new_since=since)
    assert [p.id for p in PAPERS if matcher.paper(p)] == expected
    # The search file's rows answer the same.
    rows = fields.search_rows(PAPERS)
    assert [r.id for r in rows if matcher.row(r)] == expected


def test_is_new_counts_from_the_apps_last_close(
    library_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = str(DATA / "listing-sample.txt")
    assert run(capsys, "import", listing, "--as-of", "2026-11-29")[0] == 0
    code, out, _ = run(capsys, "list", "--search", "is:new", "--json")
    assert code == 0 and len(json.loads(out)) == 12  # the whole listing
    visits.save_closed(library_file, "2999-01-01T00:00:00Z")
    code, out, _ = run(capsys, "list", "--view", "inbox", "--json")
    assert code == 0 and json.loads(out) == []
