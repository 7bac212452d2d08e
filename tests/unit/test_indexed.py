"""Views answered from the field index choose exactly the papers a whole read does."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from readq import fields, indexed, segments
from readq.library import Library
from readq.model import ParsedPaper, Status
from readq.query import View, select

from ..conftest import run

VIEWS = [
    View(status=status, min_priority=prio, tag=tag, sort=sort, reverse=reverse)
    for status, prio, tag, sort, reverse in itertools.product(
        ("all", "unread", "read"),
        (0, 2),
        (None, "later"),
        ("priority", "published", "added", "score"),
        (False, True),
    )
] + [View(category="LG"), View(category="CL", status="read")]


@pytest.fixture
def triaged(imported_library: Path, sample_text: str) -> Path:
    """Papers in a base and a later segment, with actions still in the journal."""
    filler = [
        ParsedPaper(title=f"Filler {n}", abstract="words " * 200, published=f"2025-0{n % 9 + 1}-01")
        for n in range(60)
    ]
    with Library.open(imported_library) as library:
        library.add_many(filler)  # a base large beside the change, so it is not compacted
    with Library.open(imported_library) as library:
        library.set_status([1, 4, 5], Status.READ)
        library.change_tags([2, 4, 7], add=["later"])
        library._write_changes([1, 2, 4, 5, 7])  # a later segment, as a fold makes
        library.set_priority([4, 6], 3)
        library.set_status([5], Status.UNREAD)
        library.change_tags([7], remove=["later"])
        library.delete([2])
    return imported_library


def _whole(path: Path, view: View) -> list[int]:
    with Library.open(path, writable=False) as library:
        return [paper.id for paper in select(library, view)]


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view.describe())
def test_the_index_chooses_what_a_whole_read_shows(triaged: Path, view: View) -> None:
    assert len(segments.read_manifest(triaged).segments) == 2  # type: ignore[union-attr]
    assert indexed.chosen_ids(triaged, view, limit=1000) == _whole(triaged, view)


def test_views_that_need_text_or_most_papers_are_read_whole(triaged: Path) -> None:
    assert indexed.chosen_ids(triaged, View(search="agent")) is None
    assert indexed.chosen_ids(triaged, View(sort="title")) is None
    assert indexed.chosen_ids(triaged, View()) is None  # every paper: read in order
    assert indexed.chosen_ids(triaged, View(), limit=3) == _whole(triaged, View())[:3]


@pytest.mark.parametrize("damage", [b"", b"{}", b'{"fields": {"1": {"ids": [1]}}}', b"\xff"])
def test_a_missing_or_damaged_index_means_a_whole_read(
    triaged: Path, capsys: pytest.CaptureFixture[str], damage: bytes
) -> None:
    manifest = segments.read_manifest(triaged)
    assert manifest is not None
    index = segments.folder(triaged) / fields.name_for(manifest.segments[0])
    index.chmod(0o644)
    index.write_bytes(damage)
    assert indexed.chosen_ids(triaged, View(status="read"), limit=10) is None
    code, out, err = run(capsys, "list", "--status", "read")
    assert (code, err) == (0, "")
    assert [int(line.split()[0]) for line in out.splitlines()] == _whole(
        triaged, View(status="read")
    )


def test_readq_list_with_a_filter_reads_only_the_papers_it_shows(
    triaged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    real_open = Library.open.__func__  # type: ignore[attr-defined]

    def spying_open(cls: type[Library], path: Path, **kwargs: object) -> Library:
        opened.append(kwargs.get("only"))
        return real_open(cls, path, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Library, "open", classmethod(spying_open))
    code, out, _ = run(capsys, "list", "--min-priority", "3")
    assert code == 0 and [int(line.split()[0]) for line in out.splitlines()] == [6, 4]
    assert opened == [[6, 4]]


def test_a_new_import_is_in_the_index(triaged: Path) -> None:
    with Library.open(triaged) as library:
        paper = ParsedPaper(title="A later paper", published="2026-11-30")
        (new,) = library.add_many([paper]).added
    assert indexed.chosen_ids(triaged, View(sort="published"), limit=1) == [new]


def test_an_index_of_another_segment_of_the_same_name_is_not_used(triaged: Path) -> None:
    manifest = segments.read_manifest(triaged)
    assert manifest is not None
    base = segments.folder(triaged) / manifest.segments[0]
    index = segments.folder(triaged) / fields.name_for(manifest.segments[0])
    data = index.read_bytes()
    size = str(base.stat().st_size).encode()
    index.chmod(0o644)
    index.write_bytes(data.replace(b'"segment_bytes":' + size, b'"segment_bytes":1', 1))
    assert indexed.chosen_ids(triaged, View(status="read"), limit=10) is None


def test_the_first_page_from_the_index_is_the_one_a_whole_read_shows(triaged: Path) -> None:
    page = Library.indexed_first_page(triaged)
    assert page is not None
    with Library.open(triaged, writable=False) as whole:
        assert [paper.id for paper in page.papers] == _whole(triaged, View())
        assert (page.total, page.unread) == (len(whole), whole.unread_count)
        assert all(paper == whole.get(paper.id) for paper in page.papers)


def test_a_whole_writer_indexes_segments_that_have_no_index_of_their_own(triaged: Path) -> None:
    manifest = segments.read_manifest(triaged)
    assert manifest is not None
    index = segments.folder(triaged) / fields.name_for(manifest.segments[0])
    index.unlink()  # a segment of a readq before the field index
    with Library.open(triaged, only=[1]):
        pass  # a quick CLI command does not pay for it
    assert not index.exists() and Library.index_rows(triaged) is None
    with Library.open(triaged):
        pass  # the app, on quit
    assert index.exists()
    assert indexed.chosen_ids(triaged, View(status="read"), limit=100) == _whole(
        triaged, View(status="read")
    )
