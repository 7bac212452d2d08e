"""CSL-JSON as people's exports hold it: real files, and the CSL rules they rely on.

The real files (tests/data/real/csl, see LICENSES.md there) are imported and
compared with the JSON itself, read here the plain way: every titled item is
stored, in order, with its title (rich-text tags out), its authors in order and
its DOI; every titleless item is reported with its line and id.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from readq import importers
from readq.importers import ParseResult
from readq.library import Library

from ..conftest import AS_OF, DATA

CORPUS = sorted((DATA / "real" / "csl").glob("*.json"))
_TAGS = re.compile(r"</?(?:i|b|sub|sup|sc)>|<span[^>]*>|</span>")


def _parse(text: str) -> ParseResult:
    return importers.parse(text, "csl-json", as_of=AS_OF)  # the door every import goes through


def _title(item: dict[str, Any]) -> str:
    return " ".join(_TAGS.sub("", str(item.get("title") or "")).split())


def _is_east_asian(text: str) -> bool:
    return any(
        unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for c in text
    )


def _name(person: dict[str, Any]) -> str:
    if person.get("literal"):
        return str(person["literal"])
    family, given = person.get("family", ""), person.get("given", "")
    if _is_east_asian(family):
        return family + given
    return " ".join(part for part in (given, family) if part)


def _doi(item: dict[str, Any]) -> str | None:
    doi = str(item.get("DOI") or "").strip().lower()
    return doi.removeprefix("https://doi.org/") or None


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_every_titled_item_is_stored_as_the_json_says(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    items = json.loads(text)
    result = _parse(text)
    titled = [item for item in items if _title(item)]
    assert [paper.title for paper in result.papers] == [_title(item) for item in titled]
    for paper, item in zip(result.papers, titled, strict=True):
        assert paper.authors == [_name(p) for p in item.get("author", [])], paper.title
        assert (paper.doi.lower() if paper.doi else None) == _doi(item), paper.title
        assert paper.url is None or paper.url.startswith(("http://", "https://"))
    titleless = [item for item in items if not _title(item)]
    no_title = [p for p in result.problems if "has no title" in p.reason]
    assert len(no_title) == len(titleless)
    for problem, item in zip(no_title, titleless, strict=True):
        assert problem.severity == "error" and repr(item["id"]) in problem.reason


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_the_library_keeps_every_titled_item_of_a_real_file(path: Path, tmp_path: Path) -> None:
    parsed = _parse(path.read_text(encoding="utf-8")).papers
    with Library.open(tmp_path / "library.json") as library:
        summary = library.add_many(parsed)
        merged = sum(len(lines) - 1 for lines in summary.duplicates)
        assert len(summary.added) + merged == len(parsed)
        # Merged only where the records say nothing against it: no two DOIs (here,
        # a DVD and a broadcast of one episode; two titles that differ in a "-").
        by_line = {paper.line: paper for paper in parsed}
        for lines in summary.duplicates:
            assert len({by_line[line].doi for line in lines} - {None}) <= 1
        assert library.add_many(parsed).added == []  # the same file again: nothing new


# --- the rules, one at a time ----------------------------------------------------


def _one(item: dict[str, Any]) -> ParseResult:
    return _parse(json.dumps([item], ensure_ascii=False))


@pytest.mark.parametrize(
    ("person", "name"),
    [
        ({"family": "我妻", "given": "栄"}, "我妻栄"),  # CSL's own test: family first, no space
        ({"family": "毛", "given": "泽东"}, "毛泽东"),
        ({"family": "김", "given": "민준"}, "김민준"),
        ({"family": "Zhang", "given": "San"}, "San Zhang"),  # romanised: as Western names
        ({"family": "Hao 郝春文", "given": "Chunwen"}, "Chunwen Hao 郝春文"),
        ({"family": "Чайковский", "given": "Пётр Ильич"}, "Пётр Ильич Чайковский"),
        ({"literal": "World Health Organization"}, "World Health Organization"),
        ({"literal": "Doe, Jane and Roe, Rob"}, "Doe, Jane and Roe, Rob"),  # literal is whole
        ({"given": "Ludwig", "non-dropping-particle": "van", "family": "Beethoven"}, None),
        (
            {
                "given": "Jean",
                "dropping-particle": "de",
                "non-dropping-particle": "La",
                "family": "Fontaine",
            },
            "Jean de La Fontaine",
        ),
        ({"given": "Jean", "non-dropping-particle": "d'", "family": "Alembert"}, "Jean d'Alembert"),
        (
            {"given": "Martin Luther", "family": "King", "suffix": "Jr.", "comma-suffix": True},
            "Martin Luther King, Jr.",
        ),
        ({"given": "H. K.", "family": "Hall", "suffix": "Jr."}, "H. K. Hall Jr."),
        ({"family": "Aristotle"}, "Aristotle"),
        ({"family": "Nguyen", "given": "Van Anh", "static-ordering": True}, "Nguyen Van Anh"),
        ({"family": "<i>Smith</i>", "given": "Ann"}, "Ann Smith"),  # rich text is formatting
    ],
)
def test_names_are_written_as_csl_writes_them(person: dict[str, Any], name: str | None) -> None:
    (paper,) = _one({"title": "T", "author": [person]}).papers
    assert paper.authors == [name or "Ludwig van Beethoven"]


def test_two_authors_of_one_name_are_both_kept() -> None:
    people = [{"family": "Zhang", "given": "S."}, {"family": "Li", "given": "W."}]
    (paper,) = _one({"title": "T", "author": [people[0], people[1], people[0]]}).papers
    assert paper.authors == ["S. Zhang", "W. Li", "S. Zhang"]


@pytest.mark.parametrize(
    ("parts", "published"),
    [
        ([-100, 7, 13], "-100-07-13"),  # 100 BC, as CSL writes years BC
        ([-44, 3, 15], "-44-03-15"),
        (["-44"], "-44"),
        ([54, 10, 13], "0054-10-13"),
        ([800], "0800"),
        (["800", "5"], "0800-05"),
        ([999, 2, 29], "0999-02"),  # 999 had no 29 February: the day goes, with a warning
        ([1600, 2, 29], "1600-02-29"),
        ([2021, 8], "2021-08"),
    ],
)
def test_early_and_negative_years_are_kept_as_given(parts: list[Any], published: str) -> None:
    result = _one({"title": "T", "issued": {"date-parts": [parts]}})
    assert result.papers[0].published == published


def test_a_year_beyond_four_digits_is_dropped_with_a_warning() -> None:
    result = _one({"title": "T", "issued": {"date-parts": [[12345]]}})
    assert result.papers[0].published is None
    assert [p.severity for p in result.problems] == ["warning"]


def test_a_titleless_item_is_reported_with_its_line_and_id() -> None:
    text = '[\n  {"title": "Kept"},\n  {"id": "ITEM-7", "type": "book", "author": []},\n  {}\n]'
    result = _parse(text)
    assert [p.title for p in result.papers] == ["Kept"]
    assert [str(p) for p in result.errors] == [
        "line 3: item 'ITEM-7' (book) has no title; skipped",
        "line 4: item has no title; skipped",
    ]


def test_rich_text_is_formatting_not_title() -> None:
    title = 'A <span class="nocase">mRNA</span> view of <i>E. coli</i> (g<sub>1</sub>) <b>now</b>'
    (paper,) = _one({"title": title, "container-title": "<i>Nature</i>"}).papers
    assert (paper.title, paper.venue) == ("A mRNA view of E. coli (g1) now", "Nature")
    (paper,) = _one({"title": "a < b and c > d <em>kept</em>"}).papers
    assert paper.title == "a < b and c > d <em>kept</em>"  # only CSL's own tags go


@pytest.mark.parametrize(
    ("written", "url"),
    [
        ("https://example.org/x", "https://example.org/x"),
        ("doi:10.1000/xyz", "https://doi.org/10.1000/xyz"),
        ("arXiv:2401.00001v2", "https://arxiv.org/abs/2401.00001v2"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
    ],
)
def test_urls_are_web_links_or_nothing(written: str, url: str | None) -> None:
    result = _one({"title": "T", "URL": written})
    assert result.papers[0].url == url
    assert [p.severity for p in result.problems] == ([] if url else ["warning"])


def test_short_dois_are_dois() -> None:
    (paper,) = _one({"title": "T", "DOI": "10/fqd6hj"}).papers
    assert paper.doi == "10/fqd6hj"
