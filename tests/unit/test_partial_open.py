"""Opening a library for a few papers: found by seeking, never written whole."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readq import backups, firstpage, segments, snapshotfile, storage
from readq.errors import ReadqError
from readq.library import Library
from readq.model import ParsedPaper, Status

from ..conftest import as_one_file
from .test_segments import BASE_PAPERS, _papers, _state


@given(st.sets(st.integers(1, 500), max_size=60), st.integers(0, 520))
def test_find_paper_finds_every_paper_and_only_those(ids: set[int], wanted: int) -> None:
    records = {i: {"title": f"t{i}", "n": "x" * (i % 7)} for i in ids}
    data = b"".join(snapshotfile.chunks({"schema_version": 2}, records))
    file = io.BytesIO(data)
    snapshotfile.read_meta(file)
    found = snapshotfile.find_paper(file, wanted, file.tell(), len(data))
    assert found == records.get(wanted)


@pytest.fixture
def big(library_file: Path) -> Path:
    with Library.open(library_file) as library:
        library.add_many(_papers(BASE_PAPERS))
        library.set_note(10, "in the journal")
        library.add_many(_papers(1, start=BASE_PAPERS))  # a segment
        library.set_status([20], Status.READ)  # and the journal
    return library_file


def test_only_the_papers_asked_for_are_read(big: Path) -> None:
    with Library.open(big, writable=False, only=[10, 20, 101, 5000]) as library:
        assert library.partial
        assert sorted(library.papers) == [10, 20, 101]
        assert library.get(10).notes == "in the journal"
        assert library.get(20).status is Status.READ
        assert library.get(101).title == f"Paper number {BASE_PAPERS}"


def test_changes_of_a_partial_writer_are_the_librarys(big: Path) -> None:
    with Library.open(big, only=[3]) as library:
        library.set_priority([3], 2)
        library.set_note(3, "cheap")
        with pytest.raises(ReadqError, match="in part"):
            library._write_all()
    state = _state(big)
    assert state[3][1:3] == (2, "cheap") and len(state) == BASE_PAPERS + 1


def test_a_partial_fold_writes_the_papers_the_journal_touched_too(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "FOLD_AFTER_RECORDS", 2)
    before = _state(big)
    with Library.open(big, only=[4]) as library:  # 20 was changed by an earlier writer
        library.set_status([4], Status.READ)
    assert big.with_name(big.name + ".journal").read_bytes() == b""  # folded
    after = _state(big)
    assert after[4][0] == "read" and after[20][0] == "read" and after[10][2] == "in the journal"
    assert {**after, 4: before[4]} == before


def test_the_first_page_is_patched_or_dropped(big: Path) -> None:
    with Library.open(big) as library:
        library.save_first_page()  # as the app does on quit
    page = firstpage.load(big)
    assert page is not None and page.papers
    first = page.papers[0].id
    with Library.open(big, only=[first]) as library:
        library.set_status([first], Status.READ)
    patched = firstpage.load(big)  # still valid after the change
    assert patched is not None and patched.papers[0].is_read
    assert patched.unread == page.unread - (not page.papers[0].is_read)
    with Library.open(big, only=[first]) as library:
        library.set_priority([first], 3)  # it may move: the page goes
    assert firstpage.load(big) is None


def test_a_library_of_one_file_is_read_whole_then_moved_into_segments(big: Path) -> None:
    one_file = as_one_file(big)  # the layout before segments, as readq wrote it (schema 2)
    older = one_file.read_bytes().replace(b'"schema_version":3', b'"schema_version":2', 1)
    one_file.write_bytes(older)
    with Library.open(big, writable=False, only=[3]) as library:
        assert not library.partial  # nothing to seek in: read whole
    with Library.open(big, only=[3]):
        pass  # a writer moves it into segments (keeping the old file as a backup)
    assert segments.read_manifest(big) is not None
    assert any("before-migration" in b.name for b in backups.existing(big))
    with Library.open(big, writable=False, only=[3]) as library:
        assert library.partial and list(library.papers) == [3]
    assert len(_state(big)) == BASE_PAPERS + 1


def test_the_one_paper_commands_read_only_their_papers(
    big: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from readq.cli import main

    opened: list[bool] = []
    real_open = Library.open

    def spy(*args: object, **kwargs: object) -> Library:
        library = real_open(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(library.partial)
        return library

    monkeypatch.setattr(Library, "open", spy)
    db = ["--db", str(big)]
    for argv in (
        ["show", "3"],
        ["mark", "3", "4", "read"],
        ["priority", "3", "1"],
        ["note", "3", "--append", "x"],
        ["tag", "3", "+t"],
        ["delete", "4"],
        ["undelete", "4"],
    ):
        assert main([*db, *argv]) == 0, capsys.readouterr().err
    assert opened == [True] * 7
    state = _state(big)
    assert state[3][:3] == ("read", 1, "x") and state[4][0] == "read"


def test_a_partial_open_of_an_empty_library_is_an_empty_library(library_file: Path) -> None:
    with Library.open(library_file, only=[1]) as library:
        assert len(library) == 0
        library.add_many([ParsedPaper(title="First")])  # a whole library after all
    assert _state(library_file)[1][3] == "First"


def test_a_partial_library_refuses_what_needs_the_whole(big: Path) -> None:
    with Library.open(big, only=[3]) as library:
        with pytest.raises(ReadqError, match="in part"):
            library.restore(big)
        # An import reads the papers it meets: paper 5 is found, not added again.
        summary = library.add_many([ParsedPaper(title="Paper number 4", authors=["Family4"])])
        assert summary.unchanged == [5] and 5 in library.papers
    assert len(_state(big)) == BASE_PAPERS + 1


# --- imports into a library opened in part ------------------------------------------------

_TITLES = ["Alpha study", "Beta study", "Gamma study", "Delta study"]
entries_strategy = st.lists(
    st.builds(
        lambda title, author, doi, arxiv, priority: ParsedPaper(
            title=title, authors=[author], doi=doi, arxiv_id=arxiv, priority=priority
        ),
        st.sampled_from(_TITLES),
        st.sampled_from(["Ada Lovelace", "Alan Turing"]),
        st.one_of(st.none(), st.sampled_from(["10.1000/a", "10.1000/b", "10.1000/c"])),
        st.one_of(st.none(), st.sampled_from(["2401.00001", "2401.00002"])),
        st.one_of(st.none(), st.integers(0, 3)),
    ),
    min_size=1,
    max_size=6,
)


def _everything(path: Path) -> list[dict[str, object]]:
    with Library.open(path, writable=False) as library:
        papers = [*library.papers.values(), *library.deleted.values()]
        return sorted(
            ({"id": p.id, **p.to_record()} for p in papers), key=lambda r: int(str(r["id"]))
        )


@settings(max_examples=15, deadline=None)
@given(st.lists(entries_strategy, min_size=1, max_size=4))
def test_an_import_in_part_is_the_import_of_the_whole(
    tmp_path_factory: pytest.TempPathFactory, batches: list[list[ParsedPaper]]
) -> None:
    folder = tmp_path_factory.mktemp("imports")
    whole, part = folder / "whole" / "library.json", folder / "part" / "library.json"
    for path in (whole, part):
        with Library.open(path) as library:
            library.add_many(_papers(BASE_PAPERS))
    for batch in batches:
        with Library.open(whole) as library:
            expected = library.add_many(copy.deepcopy(batch))
        with Library.open(part, only=()) as library:
            got = library.add_many(copy.deepcopy(batch))
            assert library.partial  # the kept identity index sufficed
        assert (got.added, got.updated, got.unchanged, got.duplicates) == (
            expected.added,
            expected.updated,
            expected.unchanged,
            expected.duplicates,
        )
    mine, theirs = _everything(part), _everything(whole)
    for record in (*mine, *theirs):  # written at the moment of each import
        record.pop("added_at"), record.pop("updated_at")
    assert mine == theirs


def test_an_import_in_part_keeps_the_saved_first_page_true(big: Path) -> None:
    from readq.query import View, select

    with Library.open(big) as library:
        library.save_first_page()
    news = [
        ParsedPaper(title="Brand new and important", authors=["Ada Lovelace"], priority=3),
        ParsedPaper(title="Brand new", authors=["Ada Lovelace"], published="2030-01-01"),
    ]
    with Library.open(big, only=()) as library:
        library.add_many(news)
    page = firstpage.load(big)
    assert page is not None
    with Library.open(big, writable=False) as library:
        shown = select(library, View())[: firstpage.ROWS]
        assert [p.id for p in page.papers] == [p.id for p in shown]
        assert (page.total, page.unread) == (len(library), library.unread_count)
