"""Identity: two different papers are never merged, one paper met twice is.

A key (arXiv id, DOI, title + first author) only proposes a match; two DOIs
that differ, or two arXiv ids without a DOI to settle it, prove two papers. An
arXiv id that two different papers carry finds neither. Duplicates within one
file are merged and listed in the summary.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readq import transfer
from readq.importers import listing
from readq.library import Library
from readq.model import ParsedPaper, Status, distinct_papers, identity_keys

from ..conftest import AS_OF, DATA

# The two papers a real import merged: one title, one first author, two DOIs.
PLOS = ParsedPaper(
    title="Comparison of Four Methods",
    authors=["Jun Wang", "Li Chen"],
    line=3,
    doi="10.1371/journal.pone.0086394",
)
JVIR = ParsedPaper(
    title="Comparison of four methods.",
    authors=["J. Wang"],
    line=19,
    doi="10.1016/j.jvir.2013.12.293",
)


@pytest.fixture
def library(library_file: Path) -> Library:
    return Library.open(library_file)


def test_two_dois_are_two_papers_whatever_else_they_share(library: Library) -> None:
    summary = library.add_many([PLOS, JVIR])
    assert len(summary.added) == 2 and summary.duplicates == []
    assert {p.doi for p in library} == {PLOS.doi, JVIR.doi}
    # Each is found again by its DOI, in either order, in a later import.
    assert library.add_many([JVIR, PLOS]).added == []


def test_a_paper_without_a_doi_is_found_by_its_title_and_gains_one(library: Library) -> None:
    (plain,) = library.add_many([ParsedPaper(title=PLOS.title, authors=["Jun Wang"])]).added
    summary = library.add_many([PLOS, JVIR])
    assert summary.updated == [plain]  # the listing's paper gained the first DOI
    assert len(summary.added) == 1  # the second DOI is another paper
    assert library.get(plain).doi == PLOS.doi


def test_a_listing_then_a_feed_is_one_paper(library: Library, sample_text: str) -> None:
    from readq.importers import arxiv

    feed = arxiv.parse_rss((DATA / "arxiv-rss.xml").read_text(encoding="utf-8"), as_of=AS_OF)
    listed = [
        ParsedPaper(title=p.title, authors=list(p.authors), category=p.category)
        for p in feed.papers
    ]
    assert len(library.add_many(listed).added) == len(listed)
    summary = library.add_many(feed.papers)
    assert summary.added == [] and len(summary.updated) == len(listed)
    assert all(p.arxiv_id for p in library)


def test_a_preprint_and_its_journal_version_are_one_paper(library: Library) -> None:
    preprint = ParsedPaper(
        title="Sparse Probes",
        authors=["Ada Lovelace"],
        arxiv_id="2401.00001v1",
        doi="10.48550/arXiv.2401.00001",
    )
    published = ParsedPaper(
        title="Sparse probes for language models",
        authors=["Ada Lovelace"],
        arxiv_id="2401.00001",
        doi="10.1145/3600000.3600001",
    )
    assert len(library.add_many([preprint]).added) == 1
    assert library.add_many([published]).added == []  # arXiv's DOI names no publication


def test_doi_case_does_not_make_two_papers(library: Library) -> None:
    first = ParsedPaper(title="A", authors=["X Y"], doi="10.1000/ABC")
    second = ParsedPaper(title="A different title", authors=["Z"], doi="10.1000/abc")
    summary = library.add_many([first, second])
    assert len(summary.added) == 1 and summary.duplicates == [[0, 0]]


def test_two_arxiv_ids_without_dois_are_two_papers(library: Library) -> None:
    one = ParsedPaper(title="Lecture Notes", authors=["Ada Lovelace"], arxiv_id="2401.00001")
    two = ParsedPaper(title="Lecture Notes", authors=["Ada Lovelace"], arxiv_id="2402.00002")
    assert len(library.add_many([one, two]).added) == 2


def test_identifiers_decide_in_this_order() -> None:
    assert distinct_papers("10.1000/a", None, "10.1000/B", None)
    assert not distinct_papers("10.1000/a", "2401.00001", "10.1000/A", "2402.00002")  # one DOI: one
    assert distinct_papers(None, "2401.00001v2", None, "2402.00002")
    assert not distinct_papers(None, "2401.00001v2", None, "2401.00001v5")  # versions
    assert not distinct_papers("10/fqd6hj", None, "10.1080/x", None)  # a shortDOI: unknown
    assert not distinct_papers("10.48550/arXiv.2401.00001", None, "10.1145/x", None)
    assert distinct_papers("10.48550/arXiv.2401.00001", None, None, "2402.00002")
    keys = identity_keys("T", [], None, "10.48550/ARXIV.2401.00001")
    assert keys[0] == "arxiv:2401.00001"  # arXiv's DOI finds the preprint by its id


# --- an arXiv id on two different papers (Mendeley's mix-up) ----------------------

SHARED = [
    {
        "title": "Dark Matter Halos",
        "author": [{"family": "Ito", "given": "K"}],
        "DOI": "10.1093/mnras/stt001",
        "number": "arXiv:1011.1669v3",
    },
    {
        "title": "Boundary Layers in Fluids",
        "author": [{"family": "Ruiz", "given": "P"}],
        "DOI": "10.1017/jfm.2012.002",
        "number": "arXiv:1011.1669v3",
    },
]


def _csl_file(tmp_path: Path, items: list[dict[str, object]]) -> Path:
    path = tmp_path / "mendeley.json"
    path.write_text(json.dumps(items, indent=1), encoding="utf-8")
    return path


def test_a_shared_arxiv_id_imports_both_and_warns_with_lines(
    library: Library, tmp_path: Path
) -> None:
    source = _csl_file(tmp_path, SHARED)
    parsed = transfer.read_and_parse(str(source), as_of=AS_OF)
    lines = [paper.line for paper in parsed.papers]
    (warning,) = [p for p in parsed.problems if "1011.1669" in p.reason]
    assert warning.severity == "warning" and warning.line == lines[1]
    assert (
        f"also on line {lines[0]}" in warning.reason and "another title and DOI" in warning.reason
    )
    report = transfer.commit(library, parsed)
    assert len(report.summary.added) == 2
    before = library.path.read_bytes()
    again = transfer.import_into(library, str(source), as_of=AS_OF)
    assert len(again.summary.unchanged) == 2 and library.path.read_bytes() == before


def test_a_shared_arxiv_id_finds_neither_paper(library: Library, tmp_path: Path) -> None:
    transfer.import_into(library, str(_csl_file(tmp_path, SHARED)), as_of=AS_OF)
    library.close()
    library = Library.open(library.path)  # the index rebuilt from the papers themselves
    feed = ParsedPaper(title="Boundary layers in fluids", authors=["P. Ruiz"], arxiv_id="1011.1669")
    summary = library.add_many([feed])
    (found,) = summary.unchanged  # by its title, not by the id the first paper also has
    assert library.get(found).doi == "10.1017/jfm.2012.002"


# --- duplicates within one file ---------------------------------------------------


def test_duplicates_within_a_file_are_merged_and_listed(library: Library, tmp_path: Path) -> None:
    items = [
        {"title": "Alpha", "DOI": "10.1000/a"},
        {"title": "Beta", "author": [{"family": "Li", "given": "W"}]},
        {"title": "alpha", "DOI": "10.1000/A"},
        {"title": "BETA!", "author": [{"family": "Li", "given": "Wei"}]},
        {"title": "Gamma"},
        {"title": "Alpha (again)", "DOI": "10.1000/a"},
    ]
    source = tmp_path / "dups.json"
    source.write_text("[\n" + ",\n".join(json.dumps(i) for i in items) + "\n]\n", "utf-8")
    report = transfer.import_into(library, str(source), as_of=AS_OF)
    assert report.summary.duplicates == [[2, 4, 7], [3, 5]]
    assert report.describe() == (
        f"{source}: 6 papers read (csl-json): 3 added, 0 updated, 0 unchanged; "
        "3 duplicates within the file merged: lines 2/4/7, 3/5."
    )
    before = library.path.read_bytes()
    again = transfer.import_into(library, str(source), as_of=AS_OF)
    assert (again.summary.added, again.summary.updated) == ([], [])
    assert library.path.read_bytes() == before


def test_a_long_list_of_duplicates_is_cut(library: Library) -> None:
    entries = [ParsedPaper(title=f"P{i % 12}", line=i + 1) for i in range(36)]
    text = library.add_many(entries).describe()
    assert text.startswith(
        "12 added, 0 updated, 0 unchanged; 24 duplicates within the file merged:"
    )
    assert text.endswith(", …") and text.count("/") == 20  # ten groups of three lines


def test_duplicates_never_change_the_users_state(library: Library, sample_text: str) -> None:
    papers = listing.parse(sample_text, as_of=AS_OF).papers
    library.add_many(papers)
    library.set_status([1], Status.READ)
    library.set_priority([1], 3)
    library.set_note(1, "mine")
    twice = [*papers, *papers]
    summary = library.add_many(twice)
    assert summary.added == [] and len(summary.duplicates) == len(papers)
    paper = library.get(1)
    assert (paper.status, paper.priority, paper.notes) == (Status.READ, 3, "mine")


def test_deleted_papers_stay_out_and_are_not_duplicates(library: Library) -> None:
    (gone,) = library.add_many([PLOS]).added
    library.delete([gone])
    summary = library.add_many([PLOS, PLOS, JVIR])
    assert summary.deleted == [gone] and len(summary.added) == 1
    assert summary.duplicates == []
    assert "1 deleted earlier and left out" in summary.describe()


def test_merge_puts_each_entry_on_its_own_paper(library: Library) -> None:
    first = ParsedPaper(**PLOS.metadata(), status=Status.READ, changed_at={"status": "2030-01-01"})
    second = ParsedPaper(**JVIR.metadata(), priority=2, changed_at={"priority": "2030-01-01"})
    library.add_many([PLOS, JVIR])
    summary = library.merge([first, second])
    by_doi = {p.doi: p for p in library}
    assert by_doi[PLOS.doi].status is Status.READ and by_doi[PLOS.doi].priority == 0
    assert by_doi[JVIR.doi].priority == 2 and by_doi[JVIR.doi].status is Status.UNREAD
    assert len(summary.updated) == 2


# --- a property: different DOIs never share a paper; a second import adds nothing ---

_DOIS = st.sampled_from([None, "10.1000/a", "10.1000/A", "10.1000/b", "10.48550/arXiv.2401.00001"])
_ARXIV = st.sampled_from([None, "2401.00001", "2401.00001v2", "2402.00002"])
_ENTRY = st.builds(
    ParsedPaper,
    title=st.sampled_from(["Alpha", "alpha!", "Beta"]),
    authors=st.sampled_from([[], ["Ada Lovelace"], ["A. Lovelace", "Bo Li"]]),
    doi=_DOIS,
    arxiv_id=_ARXIV,
)


@settings(
    max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(_ENTRY, max_size=8))
def test_different_dois_never_share_a_paper(entries: list[ParsedPaper]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "library.json", daily_backup=False)
        batch = library._batch()
        batch.add(entries)
        # Every entry went to a paper whose identifiers agree with its own.
        for entry, paper_id in zip(entries, batch.placed, strict=True):
            paper = batch.papers[paper_id]
            assert not distinct_papers(paper.doi, paper.arxiv_id, entry.doi, entry.arxiv_id)
        library.add_many(entries)
        second = library.add_many(entries)
        assert (second.added, second.updated) == ([], [])
        library.close()
