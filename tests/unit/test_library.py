"""The Library: identity, re-import, user actions, undo, durability on disk."""

from __future__ import annotations

import errno
from pathlib import Path

import orjson
import pytest

from readq.errors import LibraryDamaged, ReadqError, UnknownPaper
from readq.importers.listing import parse
from readq.library import Library
from readq.model import ParsedPaper, Status, identity_keys
from readq.storage import SCHEMA_VERSION, LibraryStore

from ..conftest import AS_OF


@pytest.fixture
def library(library_file: Path, sample_text: str) -> Library:
    lib = Library.open(library_file)
    lib.add_many(parse(sample_text, as_of=AS_OF).papers)
    return lib


def _reopen(library: Library) -> Library:
    library.close()
    return Library.open(library.path)


def test_import_is_one_write_and_assigns_short_ids(library: Library) -> None:
    assert sorted(library.papers) == list(range(1, 13))
    assert not library.path.with_name("library.json.journal").exists()


def test_reimport_keeps_state_and_adds_no_duplicates(library: Library, sample_text: str) -> None:
    library.set_status([1], Status.READ)
    library.set_priority([2], 3)
    library.set_note(3, "my note")
    library.change_tags([4], add=["ml"])
    before = library.path.read_bytes()
    summary = library.add_many(parse(sample_text, as_of=AS_OF).papers)
    assert (len(summary.added), len(summary.updated), len(summary.unchanged)) == (0, 0, 12)
    assert library.path.read_bytes() == before  # nothing changed: nothing written
    library = _reopen(library)
    assert len(library) == 12
    assert library.get(1).status is Status.READ
    assert library.get(2).priority == 3
    assert library.get(3).notes == "my note"
    assert library.get(4).tags == ["ml"]


def test_reimport_fills_missing_metadata_only(library: Library) -> None:
    paper = library.get(7)
    library.set_priority([7], 2)
    richer = ParsedPaper(
        title=paper.title.upper(),  # identity folds case
        authors=list(paper.authors),
        abstract="a different abstract",
        url="https://example.org/7",
        arxiv_id="2501.00001v2",
    )
    summary = library.add_many([richer])
    assert summary.updated == [7]
    paper = _reopen(library).get(7)
    assert paper.url == "https://example.org/7"
    assert paper.arxiv_id == "2501.00001v2"
    assert paper.abstract.startswith("A short note")  # present already: kept
    assert paper.priority == 2


def test_identity_prefers_arxiv_then_doi_then_title() -> None:
    keys = identity_keys("A Title!", ["Ada  Lovelace"], "2401.01234v3", "10.1/X")
    assert keys == ["arxiv:2401.01234", "doi:10.1/x", "title:a title|lovelace"]


def test_papers_met_again_by_arxiv_id_are_one_paper(library: Library) -> None:
    first = ParsedPaper(title="Alpha", authors=["Ada Lovelace"], arxiv_id="2401.00001v1")
    second = ParsedPaper(title="Alpha (revised)", authors=["Ada Lovelace"], arxiv_id="2401.00001v2")
    assert len(library.add_many([first]).added) == 1
    assert library.add_many([second]).added == []


def test_every_action_is_on_disk_before_it_returns(library: Library) -> None:
    library.set_status([1, 2], Status.READ)
    library.set_priority([5], 2)
    library.set_note(5, "line one\nline two  ")
    library.change_tags([5, 6], add=["To Read", "ml"], remove=["none"])
    reader = Library.open(library.path, writable=False)  # a second process's view
    assert reader.get(1).status is Status.READ and reader.get(1).read_at
    assert reader.get(5).priority == 2
    assert reader.get(5).notes == "line one\nline two"
    assert reader.get(6).tags == ["to-read", "ml"]


def test_undo_and_redo_restore_every_kind_of_change(library: Library) -> None:
    library.set_status([1, 2], Status.READ)
    library.set_priority([1], 3)
    library.set_note(1, "draft")
    library.change_tags([1], add=["x"])
    for _ in range(4):
        assert library.undo() is not None
    assert library.undo() is None
    paper = _reopen(library).get(1)
    assert (paper.status, paper.priority, paper.notes, paper.tags) == (Status.UNREAD, 0, "", [])


def test_redo_after_undo(library: Library) -> None:
    library.set_priority([3], 1)
    library.undo()
    library.redo()
    assert _reopen(library).get(3).priority == 1


def test_unknown_id_changes_nothing(library: Library) -> None:
    with pytest.raises(UnknownPaper):
        library.set_status([1, 999], Status.READ)
    assert library.get(1).status is Status.UNREAD


def test_bad_priority_is_refused(library: Library) -> None:
    with pytest.raises(ReadqError):
        library.set_priority([1], 4)


def test_journal_is_folded_on_import(library: Library) -> None:
    library.set_status([1], Status.READ)
    journal = library.path.with_name("library.json.journal")
    assert journal.stat().st_size > 0
    library.add_many([ParsedPaper(title="New One", authors=["Ada Lovelace"])])
    assert journal.stat().st_size == 0
    assert _reopen(library).get(1).status is Status.READ


def test_torn_journal_line_is_ignored_and_repaired(library: Library) -> None:
    library.set_priority([1], 2)
    library.close()
    journal = library.path.with_name("library.json.journal")
    # A write cut short by a crash: over the journal's closing "}}", half a line.
    journal.write_bytes(journal.read_bytes().removesuffix(b"}}\n") + b',"2":{"seq":2,"ops":[[1')
    library = Library.open(library.path)
    assert library.get(1).priority == 2
    library.set_priority([1], 3)  # must not be glued onto the torn line
    assert _reopen(library).get(1).priority == 3


def test_a_library_from_a_newer_readq_is_refused_untouched(library_file: Path) -> None:
    meta = {"1": {"schema_version": SCHEMA_VERSION + 1, "seq": 0, "next_id": 1}}
    library_file.write_bytes(orjson.dumps({"meta": meta, "papers": {}}))
    before = library_file.read_bytes()
    with pytest.raises(ReadqError, match="newer readq"):
        Library.open(library_file)
    assert library_file.read_bytes() == before


@pytest.mark.parametrize(
    "content", [b'{"meta": {"1": {"schema_', b"[1, 2]", b"\xef\xbb\xbf{}", b'{"a": 1} trailing']
)
def test_damaged_library_is_moved_aside_never_overwritten(
    library_file: Path, content: bytes
) -> None:
    library_file.write_bytes(content)
    with pytest.raises(LibraryDamaged, match="moved aside"):
        Library.open(library_file)
    (moved,) = library_file.parent.glob("library.json.corrupt-*")
    assert moved.read_bytes() == content
    assert not library_file.exists()


@pytest.mark.parametrize(
    "record", [{"title": "x", "status": "bogus"}, {"title": "x", "priority": 9}, {"authors": 3}]
)
def test_a_record_with_invalid_values_is_damage_and_frees_the_lock(
    library_file: Path, record: dict[str, object]
) -> None:
    meta = {"1": {"schema_version": SCHEMA_VERSION, "seq": 0, "next_id": 2}}
    content = orjson.dumps({"meta": meta, "papers": {"1": record}})
    library_file.write_bytes(content)
    with pytest.raises(LibraryDamaged, match="paper 1"):
        Library.open(library_file, writable=False)
    with pytest.raises(LibraryDamaged, match="moved aside"):
        Library.open(library_file)
    Library.open(library_file).close()  # the lock was released: a new library starts
    (moved,) = library_file.parent.glob("library.json.corrupt-*")
    assert moved.read_bytes() == content


def test_damaged_library_is_left_alone_by_readers(library_file: Path) -> None:
    library_file.write_bytes(b"garbage")
    with pytest.raises(LibraryDamaged):
        Library.open(library_file, writable=False)
    assert library_file.read_bytes() == b"garbage"


def test_empty_library_file_is_set_aside_and_a_new_library_started(library_file: Path) -> None:
    library_file.write_bytes(b"")
    library = Library.open(library_file)
    assert len(library) == 0
    assert "moved aside" in library.notices[0]
    assert list(library_file.parent.glob("library.json.corrupt-*"))


def test_stale_temporary_files_are_removed_by_the_next_writer(library: Library) -> None:
    library.close()
    stale = library.path.with_name(".library.json.tmp-123-abcd")
    stale.write_bytes(b"half a write")
    Library.open(library.path).close()
    assert not stale.exists()


def test_a_newer_arxiv_version_brings_its_metadata(library: Library) -> None:
    v1 = ParsedPaper(
        title="Old Title",
        authors=["Ada Lovelace"],
        arxiv_id="2401.00001",
        arxiv_version=1,
        abstract="old",
    )
    v2 = ParsedPaper(
        title="New Title",
        authors=["Ada Lovelace"],
        arxiv_id="2401.00001",
        arxiv_version=2,
        abstract="new",
    )
    (paper_id,) = library.add_many([v1]).added
    library.set_priority([paper_id], 3)
    assert library.add_many([v2]).updated == [paper_id]
    paper = library.get(paper_id)
    assert (paper.title, paper.abstract, paper.arxiv_version, paper.priority) == (
        "New Title",
        "new",
        2,
        3,
    )
    assert library.add_many([v1]).updated == []  # an older version changes nothing


def test_a_version_does_not_overwrite_a_paper_met_without_one(library: Library) -> None:
    known = library.get(1)
    feed = ParsedPaper(
        title=known.title,
        authors=list(known.authors),
        arxiv_id="2503.00042",
        arxiv_version=1,
        abstract="short",
    )
    library.add_many([feed])
    paper = library.get(1)
    assert paper.abstract.startswith("We revisit") and paper.abstract != "short"
    assert (paper.arxiv_id, paper.arxiv_version) == ("2503.00042", 1)


def _refuse_to_write(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_an_import_the_disk_refuses_changes_no_paper_in_memory(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = library.get(7)
    before = paper.to_record()
    richer = ParsedPaper(title=paper.title, authors=list(paper.authors), url="https://x.org/7")
    monkeypatch.setattr(LibraryStore, "write_all", _refuse_to_write)
    monkeypatch.setattr(LibraryStore, "write_changes", _refuse_to_write)
    with pytest.raises(OSError):
        library.add_many([richer, ParsedPaper(title="New", authors=["Ada Lovelace"])])
    assert library.get(7) is paper and paper.to_record() == before
    assert len(library) == 12


def test_a_merge_the_disk_refuses_changes_no_paper_in_memory(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = library.get(3)
    before = paper.to_record()
    theirs = ParsedPaper(
        title=paper.title,
        authors=list(paper.authors),
        priority=3,
        notes="from the other machine",
        changed_at={"priority": "2099-01-01T00:00:00Z", "notes": "2099-01-01T00:00:00Z"},
    )
    monkeypatch.setattr(LibraryStore, "write_all", _refuse_to_write)
    monkeypatch.setattr(LibraryStore, "write_changes", _refuse_to_write)
    with pytest.raises(OSError):
        library.merge([theirs])
    assert library.get(3) is paper and paper.to_record() == before
