"""CSV as reference managers write it, read by readq and by the csv module; readq's own
CSV read back.

The corpus (tests/data/real/csv, sources in its LICENSES.md) holds real exports
from Zotero, Scopus (the old and the 2023 layout), Embase, PubMed, IEEE Xplore
and ASReview (comma, semicolon and tab separated). For each file this test
says which columns hold the title, the authors, the year and the DOI, and how
its author cells list people; the csv module reads the cells. readq must store
every titled row with the same title, the same people in order, year and DOI.
"""

from __future__ import annotations

import ast
import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readq import exporters, importers
from readq.exporters.csv_export import FORMULA_STARTS, unneutralise
from readq.importers import ParseResult, csv_import
from readq.importers.names import given_first, split_people
from readq.model import Paper
from tests.unit.test_ris_fidelity import (
    Report,
    assert_round_trip,
    libraries,
    plain_doi,
    year_in,
)
from tests.unit.test_ris_fidelity import compare_file as compare_ris_file

CORPUS = Path(__file__).resolve().parent.parent / "data" / "real" / "csv"
AS_OF = date(2026, 11, 29)


@dataclass(frozen=True)
class Layout:
    """Where one file keeps what the comparison needs (None: the file has no such column)."""

    delimiter: str
    title: str
    authors: str | None
    # How a cell lists people: a separator, or "list" for a Python list literal
    # (ASReview's files, written by pandas from rispy's lists).
    people: str
    year: str | None
    doi: str | None


ASREVIEW = {"title": "title", "authors": "first_authors", "people": "list"}
LAYOUTS = {
    "semantic_bibtool-zotero.csv": Layout(",", "Title", "Author", "; ", "Publication Year", "DOI"),
    "asreview-embase.csv": Layout(",", "Title", "Author Names", ", ", None, None),
    "asreview-generic.csv": Layout(",", **ASREVIEW, year="publication_year", doi=None),
    "asreview-generic_semicolon.csv": Layout(";", **ASREVIEW, year="publication_year", doi=None),
    "asreview-generic_tab.tsv": Layout("\t", **ASREVIEW, year="publication_year", doi=None),
    "asreview-missing_values.csv": Layout(",", "title", None, "", None, None),
    "colrev-ieee_csv.csv": Layout(",", "Title", "Authors", ", ", None, "DOI"),
    "colrev-pubmed-chatbot.csv": Layout(",", "Title", "Authors", ", ", "Publication Year", "DOI"),
    "litstudy-scopus.csv": Layout(",", "Title", "Authors", ", ", "Year", "DOI"),
    "litstudy-scopus_v2.csv": Layout(",", "Title", "Authors", "; ", "Year", "DOI"),
}


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".tsv"))


def _people(cell: str, how: str) -> list[str]:
    if not cell.strip():
        return []
    parts = ast.literal_eval(cell) if how == "list" else cell.split(how)
    return [part.strip() for part in parts if part.strip()]


def csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    delimiter = LAYOUTS[path.name].delimiter
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def expected_rows(path: Path) -> list[dict[str, Any]]:
    layout = LAYOUTS[path.name]
    expected = []
    for row in csv_rows(path):
        title = row.get(layout.title) or ""
        if not title.strip():
            continue
        expected.append(
            {
                "title": title,
                "authors": _people(row.get(layout.authors) or "", layout.people)
                if layout.authors
                else [],
                "year": year_in(row.get(layout.year)) if layout.year else None,
                "doi": plain_doi(row.get(layout.doi)) if layout.doi else None,
            }
        )
    return expected


def compare_file(path: Path) -> Report:
    return compare_ris_file(path, "csv", expected_rows)


def test_every_file_has_a_layout() -> None:
    assert sorted(LAYOUTS) == [p.name for p in corpus_files()]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_titled_row_the_csv_module_finds_is_stored_alike(path: Path) -> None:
    report = compare_file(path)
    assert report.mismatches == [], report.note
    assert report.exact == report.compared
    # No false errors: readq skips only the rows that have no title for the csv module.
    title = LAYOUTS[path.name].title
    untitled = sum(1 for row in csv_rows(path) if not (row.get(title) or "").strip())
    assert len(report.errors) == untitled, report.errors


# --- readq's own CSV, read back by readq and by the csv module -----------------------


@settings(max_examples=40, derandomize=True, deadline=None)
@given(libraries())
def test_csv_round_trip_keeps_every_field(library: list[Paper]) -> None:
    assert_round_trip("csv", library)


@settings(max_examples=20, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(["Liu R.", "Kim, Bo", "Doe, Jane and Roe, Richard"]), min_size=1))
def test_csv_round_trip_keeps_names_as_the_library_holds_them(names: list[str]) -> None:
    """readq's own file is read without guessing: even a name an older readq kept in
    another shape comes back as it was."""
    assert_round_trip("csv", [Paper(id=1, title="T", authors=names)])


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(libraries())
def test_csv_round_trip_keeps_every_field_long(library: list[Paper]) -> None:
    assert_round_trip("csv", library)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(libraries())
def test_the_csv_module_reads_every_field_of_readq_csv(library: list[Paper]) -> None:
    """A spreadsheet or script sees one column per field, and no live formula."""
    text = exporters.export(library, "csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(library)
    for paper, row in zip(library, rows, strict=True):
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values())
        cells = {name: unneutralise(cell) for name, cell in row.items()}
        assert cells["title"] == paper.title
        assert cells["authors"] == "; ".join(paper.authors)
        assert cells["published"] == (paper.published or "")
        assert cells["notes"] == paper.notes
        assert cells["tags"] == "; ".join(paper.tags)
        assert cells["orgs"] == "; ".join(paper.orgs)
        assert cells["categories"] == "; ".join(paper.categories)
        assert cells["authors_truncated"] == ("yes" if paper.authors_truncated else "")
        assert cells["has_code"] == ("yes" if paper.has_code else "")
        assert cells["score"] == ("" if paper.score is None else repr(paper.score))
        assert (cells["status"], cells["priority"]) == (paper.status.value, str(paper.priority))
        version = f"v{paper.arxiv_version}" if paper.arxiv_version else ""
        assert cells["arxiv_id"] == (f"{paper.arxiv_id}{version}" if paper.arxiv_id else "")
        assert cells["venue"] == (paper.venue or "")


# --- CSV as reference managers write it: one behaviour each ---------------------------


def _csv(text: str) -> ParseResult:
    return csv_import.parse(text, as_of=AS_OF)


ZOTERO_HEADER = (
    '"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI","Url",'
    '"Abstract Note","Date","Date Added","Manual Tags","Automatic Tags","Notes","Extra"'
)


def test_zotero_columns() -> None:
    row = (
        '"ABCD1234","journalArticle","2022","Doe, Jane; De Boer, Jan Willem; Doe, Jane",'
        '"A Title","Journal of Things","10.1000/xyz","http://arxiv.org/abs/2202.11316",'
        '"An abstract.","2022-02-23","2022-03-01 10:00:00","Buildings, structures, etc; History",'
        '"auto","a note","arXiv: 2202.11316"'
    )
    result = _csv(f"\ufeff{ZOTERO_HEADER}\n{row}\n")
    (paper,) = result.papers
    assert paper.authors == ["Jane Doe", "Jan Willem De Boer", "Jane Doe"]
    assert (paper.title, paper.venue, paper.doi) == ("A Title", "Journal of Things", "10.1000/xyz")
    assert (paper.url, paper.arxiv_id) == ("http://arxiv.org/abs/2202.11316", "2202.11316")
    assert (paper.abstract, paper.notes) == ("An abstract.", "a note")
    assert paper.published == "2022-02-23"  # the Date column is more precise than the year
    assert paper.tags == ["Buildings, structures, etc", "History"]
    (warning,) = result.problems
    assert "'Key', 'Item Type', 'Date Added', 'Automatic Tags', 'Extra'" in warning.reason


def test_a_lone_comma_name_in_a_semicolon_column_is_one_person() -> None:
    rows = ["Doe, Jane; Roe, Richard", "De Boer, Jan Willem"]
    text = "Title,Author\n" + "".join(f'T{i},"{cell}"\n' for i, cell in enumerate(rows))
    assert [p.authors for p in _csv(text).papers] == [
        ["Jane Doe", "Richard Roe"],
        ["Jan Willem De Boer"],
    ]


@pytest.mark.parametrize(
    ("cell", "authors", "truncated"),
    [
        ("Doe, Jane; Roe, Richard", ["Jane Doe", "Richard Roe"], False),
        ("Doe, Jane and Roe, Richard", ["Jane Doe", "Richard Roe"], False),
        ("Jane Doe, Richard Roe", ["Jane Doe", "Richard Roe"], False),
        ("Jane Doe, Richard Roe and Ann Lee", ["Jane Doe", "Richard Roe", "Ann Lee"], False),
        ("Liu R., Adler D.G.", ["R. Liu", "D.G. Adler"], False),  # Embase, Scopus
        ("Lim SM, Shiau CWC, Lau Y.", ["SM Lim", "CWC Shiau", "Y. Lau"], False),  # PubMed
        ("Hao J.; High R.; Siu K.-C.", ["J. Hao", "R. High", "K.-C. Siu"], False),  # Scopus 2023
        ("ElKalaawy N., Wassal A.", ["N. ElKalaawy", "A. Wassal"], False),  # Scopus: no prefix
        ("Phillips, J.C., Braun, R.", ["J.C. Phillips", "R. Braun"], False),
        ("Murata T.", ["T. Murata"], False),
        ("Kim, Bo", ["Bo Kim"], False),
        ("King, Martin Luther, Jr.", ["Martin Luther King Jr."], False),
        ("['Marx, Karl', 'Lindgren, Astrid']", ["Karl Marx", "Astrid Lindgren"], False),
        ("S. Zhang, S. Zhang", ["S. Zhang", "S. Zhang"], False),
        ("Doe, Jane; Roe, Richard et al.", ["Jane Doe", "Richard Roe"], True),
        ("Jane Doe and others", ["Jane Doe"], True),
        ("[No author name available]", [], False),
    ],
)
def test_author_cells(cell: str, authors: list[str], truncated: bool) -> None:
    (paper,) = _csv(f'title,authors\nT,"{cell}"\n').papers
    assert (paper.authors, paper.authors_truncated) == (authors, truncated)


def test_springer_names_run_together_are_people() -> None:
    """Springer Link's export glues the names in its Authors cell (rows from litstudy's
    notebooks/data/springer.csv); a family name's prefix is no boundary."""
    header = (
        "Item Title,Publication Title,Book Series Title,Journal Volume,Journal Issue,"
        "Item DOI,Authors,Publication Year,URL,Content Type\n"
    )
    cells = [
        "Vivek K. PallipuramMohammad BhuiyanMelissa C. Smith",
        "Adrián CastellóAntonio J. PeñaEnrique S. Quintana-Ortí",
        "Richard DeFranciscoShenghsun Cho",
        "Feng WangYun-Fei DuJuan Chen",
        "DeHao ChenWenGuang Chen",
        "Dr. Martine De CockProf. Vladik Kreinovich",
        "Andy Smith",
    ]
    rows = "".join(
        f'"T{i}","J","","1","2","10.1007/{i}","{c}","2012","",""\n' for i, c in enumerate(cells)
    )
    assert [p.authors for p in _csv(header + rows).papers] == [
        ["Vivek K. Pallipuram", "Mohammad Bhuiyan", "Melissa C. Smith"],
        ["Adrián Castelló", "Antonio J. Peña", "Enrique S. Quintana-Ortí"],
        ["Richard DeFrancisco", "Shenghsun Cho"],
        ["Feng Wang", "Yun-Fei Du", "Juan Chen"],
        ["DeHao Chen", "WenGuang Chen"],
        ["Dr. Martine De Cock", "Prof. Vladik Kreinovich"],
        ["Andy Smith"],
    ]
    # Elsewhere a capital inside a name is no boundary.
    (paper,) = _csv('title,authors\nT,"Ronald McDonaldJean LeBlanc"\n').papers
    assert paper.authors == ["Ronald McDonaldJean LeBlanc"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("title;authors;year\nA;Doe, Jane;2014//\n", "export.csv"),
        ("Title\tAuthors\tYear\nA\tDoe, Jane\t2014//\n", "export.txt"),
        ('"Title";"Author Names";"Source title"\n"A";"Doe J.";"J"\n', "embase.csv"),
    ],
)
def test_semicolon_and_tab_files_are_recognised(text: str, name: str) -> None:
    assert importers.detect(text, name) == "csv"
    (paper,) = importers.parse(text, "csv", as_of=AS_OF).papers
    assert (paper.title, paper.authors) == ("A", ["Jane Doe"] if "Jane" in text else ["J. Doe"])


def test_dates_as_ris_writes_them_and_the_most_precise_of_several() -> None:
    text = "title,publication_year,date\nA,2014//,\nB,2021,2021-08\nC,2021,soon\n"
    result = _csv(text)
    assert [p.published for p in result.papers] == ["2014", "2021-08", "2021"]
    assert [(p.line, p.reason) for p in result.problems] == [
        (4, "'soon' is not a date (YYYY-MM-DD); left unset")
    ]


def test_readq_fields_beyond_the_reading_list_columns() -> None:
    text = (
        "title,authors_truncated,orgs,score,has_code,categories,flags,venue\n"
        "A,yes,MIT; ETH Zürich,74.9,yes,cs.LG; stat.ML,Code,NeurIPS\n"
        "B,maybe,,high,,,,\n"
    )
    a, b = _csv(text).papers
    assert (a.authors_truncated, a.orgs, a.score, a.has_code) == (
        True,
        ["MIT", "ETH Zürich"],
        74.9,
        True,
    )
    assert (a.categories, a.flags, a.venue) == (["cs.LG", "stat.ML"], ["Code"], "NeurIPS")
    assert (b.authors_truncated, b.score) == (False, None)


def test_unknown_columns_are_named_up_to_a_limit() -> None:
    header = ",".join(["title", *(f"extra{i}" for i in range(15))])
    (warning,) = _csv(f"{header}\nA\n").problems
    assert "'extra9' and 5 more (readq reads:" in warning.reason


def test_formula_cells_that_start_with_an_apostrophe_survive_a_round_trip() -> None:
    paper = Paper(id=1, title="'=not a formula", notes="''+also not")
    (back,) = _csv(exporters.export([paper], "csv").decode()).papers
    assert (back.title, back.notes) == (paper.title, paper.notes)


# --- the name parsers, on any input -------------------------------------------------

name_words = st.sampled_from(
    ["Ann", "Lee", "O'Neill", "Weiß", "van", "der", "J.", "R.", "SM", "Jr.", "de", "Liu", "Zoë"]
)
written_names = st.lists(name_words, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(st.sampled_from(list("Ab .,;-'[]\"andetl")), max_size=60))
def test_split_people_reads_any_cell(cell: str) -> None:
    people = split_people(cell)
    assert all(person and ";" not in person and person == person.strip() for person in people)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(written_names)
def test_given_first_is_settled_after_one_pass(name: str) -> None:
    once = given_first(name)
    assert given_first(once) == once
    assert sorted(once.split()) == sorted(name.split())  # the same words, none lost


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(written_names.map(given_first), min_size=2, max_size=5))
def test_people_joined_with_semicolons_split_back(names: list[str]) -> None:
    assert split_people("; ".join(names)) == [given_first(name) for name in names]
