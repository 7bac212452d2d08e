"""Exports and merges: lossless JSON, safe CSV and file names, idempotent merges."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readq.exporters import bibtex, csv_export, markdown, readq_json
from readq.exporters.naming import citation_keys, slug
from readq.importers import readq_json as readq_json_import
from readq.importers.listing import parse
from readq.library import Library
from readq.model import USER_FIELDS, Paper, Status
from readq.userstate import CONFLICT_START, state_of

from ..conftest import AS_OF

COMPARED = ("title", "authors", "authors_truncated", "orgs", "category", "published", "score")
COMPARED += ("has_code", "abstract", "url", "arxiv_id", "doi", *USER_FIELDS, "changed_at")


def _library(path: Path, text: str) -> Library:
    library = Library.open(path)
    library.add_many(parse(text, as_of=AS_OF).papers)
    return library


def _fields(library: Library) -> list[dict[str, object]]:
    """What each paper holds; its clocks as marks (userstate.state_of): an earlier
    readq's times and the marks they read as are one state."""
    papers = sorted(library, key=lambda p: p.title)
    fields = [{name: getattr(p, name) for name in COMPARED} for p in papers]
    for paper, values in zip(papers, fields, strict=True):
        values["changed_at"] = state_of(paper).marks
    return fields


def _roundtrip(source: Library, target: Path) -> Library:
    result = readq_json_import.parse(readq_json.dumps(list(source)).decode())
    assert result.problems == []
    copy = Library.open(target)
    copy.add_many(result.papers)
    return copy


def test_json_export_reimports_losslessly(tmp_path: Path, sample_text: str) -> None:
    library = _library(tmp_path / "a.json", sample_text)
    library.set_status([1, 2], Status.READ)
    library.set_priority([3], 2)
    library.set_note(4, "a *note*\nwith two lines")
    library.change_tags([5], add=["ml", "to-read"])
    copy = _roundtrip(library, tmp_path / "b.json")
    assert _fields(copy) == _fields(library)
    assert [p.read_at for p in sorted(copy, key=lambda p: p.title)] == [
        p.read_at for p in sorted(library, key=lambda p: p.title)
    ]


def test_csv_neutralises_formulas() -> None:
    paper = Paper(id=1, title='=HYPERLINK("http://evil")', notes="@SUM(A1)", tags=["-x"])
    cells = csv_export.row(paper)
    assert cells[0] == '\'=HYPERLINK("http://evil")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_bibtex_keys_are_stable_and_unique() -> None:
    twins = [
        Paper(id=i, title="Sparse Routers", authors=["Mara Ellison"], published="2025-03-03")
        for i in (1, 2, 3)
    ]
    assert citation_keys(twins) == ["ellison2025sparse", "ellison2025sparsea", "ellison2025sparseb"]
    assert citation_keys(twins) == citation_keys(twins)
    own = Paper(id=4, title="x", citation_key="bad key{}")
    assert citation_keys([own]) == ["anonx"]


def test_bibtex_escapes_specials_and_unbalanced_braces() -> None:
    paper = Paper(id=1, title="50% of {GPUs} & $x_1$ } broken", authors=["Hugo van der Berg"])
    text = bibtex.dumps([paper]).decode()
    # Braces as macros: BibTeX and other parsers count the brace of \{ and \} too.
    escaped = r"50\% of \textbraceleft{}GPUs\textbraceright{} \& \$x\_1\$ \textbraceright{} broken"
    assert escaped in text
    assert "pylatexenc" not in text
    assert "author = {van der Berg, Hugo}" in text


@pytest.mark.parametrize("title", ["../../etc/passwd", "/abs/path", "..", "CON", "ö" * 300])
def test_one_file_per_paper_stays_inside_the_folder(tmp_path: Path, title: str) -> None:
    folder = tmp_path / "notes"
    written = markdown.write_one_file_per_paper(
        [Paper(id=1, title=title), Paper(id=2, title=title)], folder, force=False
    )
    assert len(set(written)) == 2
    assert all(path.parent == folder and path.exists() for path in written)
    assert slug(title) == written[0].stem


def test_markdown_report_groups_by_priority(sample_text: str, tmp_path: Path) -> None:
    library = _library(tmp_path / "a.json", sample_text)
    library.set_priority([2], 3)
    library.set_note(2, "worth a read")
    text = markdown.report(sorted(library, key=lambda p: -p.priority))
    high = text.index("## Priority: high (1)")
    assert high < text.index("Curriculum Sampling") < text.index("worth a read")
    assert text.index("## Priority: none (11)") > high
    assert r"\[Re\] Reproducing" in text  # imported text is not Markdown


def _export(library: Library) -> list[object]:
    return readq_json_import.parse(readq_json.dumps(list(library)).decode()).papers


def test_merge_takes_the_newer_change_per_field_and_is_idempotent(
    tmp_path: Path, sample_text: str
) -> None:
    a = _library(tmp_path / "a.json", sample_text)
    b = _roundtrip(a, tmp_path / "b.json")
    a.set_priority([1], 3)
    b.set_status([1], Status.READ)  # the copy got the same ids, in the same order
    b.set_note(2, "from b")
    summary = a.merge(_export(b))
    assert sorted(summary.updated) == [1, 2]
    assert a.get(1).priority == 3 and a.get(1).status is Status.READ
    assert a.get(2).notes == "from b"
    before = a.path.read_bytes()
    again = a.merge(_export(b))
    assert (again.added, again.updated, again.conflicts) == ([], {}, [])
    assert a.path.read_bytes() == before


def test_merge_keeps_both_notes_when_both_sides_changed_them(
    tmp_path: Path, sample_text: str
) -> None:
    a = _library(tmp_path / "a.json", sample_text)
    b = _roundtrip(a, tmp_path / "b.json")
    a.set_note(3, "idea from the laptop")
    b.set_note(3, "idea from the desktop")
    summary = a.merge(_export(b))
    assert summary.conflicts == [3]
    note = a.get(3).notes
    assert "idea from the laptop" in note and "idea from the desktop" in note
    assert CONFLICT_START in note and "this machine" in note
    assert a.merge(_export(b)).conflicts == []  # already holds both


def test_merge_adds_papers_with_their_state(tmp_path: Path, sample_text: str) -> None:
    a = Library.open(tmp_path / "a.json")
    b = _library(tmp_path / "b.json", sample_text)
    b.set_priority([4], 2)
    summary = a.merge(_export(b))
    assert len(summary.added) == 12
    assert [p.priority for p in a if p.title == b.get(4).title] == [2]


states = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["read", "unread"]),
        "priority": st.integers(0, 3),
        "tags": st.lists(st.sampled_from(["ml", "rl", "nlp"]), unique=True, max_size=2),
        "time": st.integers(0, 5),
    }
)


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(mine=states, theirs=states)
def test_merge_is_commutative_without_note_conflicts(
    tmp_path_factory: pytest.TempPathFactory,
    sample_text: str,
    mine: dict[str, object],
    theirs: dict[str, object],
) -> None:
    folder = tmp_path_factory.mktemp("merge")
    a = _library(folder / "a.json", sample_text)
    b = _roundtrip(a, folder / "b.json")
    for library, state in ((a, mine), (b, theirs)):
        paper = library.get(1)
        stamp = f"2026-11-2{state['time']}T00:00:00Z"
        paper.status = Status(str(state["status"]))
        paper.priority = int(state["priority"])  # type: ignore[call-overload]
        paper.tags = list(state["tags"])  # type: ignore[call-overload]
        paper.changed_at = dict.fromkeys(("status", "priority", "tags"), stamp)
        library._write_all()
    export_a, export_b = _export(a), _export(b)
    a.merge(export_b)
    b.merge(export_a)
    assert _fields(a) == _fields(b)


def test_merge_keeps_tags_from_both_machines(tmp_path: Path, sample_text: str) -> None:
    a = _library(tmp_path / "a.json", sample_text)
    b = _roundtrip(a, tmp_path / "b.json")
    a.change_tags([2], add=["moe", "nvidia", "to-read"])
    b.change_tags([2], add=["from-laptop"])
    a.merge(_export(b))
    b.merge(_export(a))
    assert set(a.get(2).tags) == {"moe", "nvidia", "to-read", "from-laptop"}
    assert a.get(2).tags == b.get(2).tags
    b.change_tags([2], remove=["moe"])  # later than the add: wins
    a.merge(_export(b))
    assert "moe" not in a.get(2).tags


def test_merge_carries_deletions_and_brings_back_papers_changed_later(
    tmp_path: Path, sample_text: str
) -> None:
    a = _library(tmp_path / "a.json", sample_text)
    b = _roundtrip(a, tmp_path / "b.json")
    a.delete([5])
    deleted = [a.deleted[5]]
    b.merge(readq_json_import.parse(readq_json.dumps(deleted).decode()).papers)
    assert 5 in b.deleted and 5 not in b.papers
    b.undelete([5])
    b.set_priority([5], 3)  # after the delete
    a.merge(_export(b))
    assert a.get(5).priority == 3 and 5 not in a.deleted
    a.close()
    assert Library.open(a.path, writable=False).get(5).priority == 3
