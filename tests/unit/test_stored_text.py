"""Abstracts left on disk (Library.open's abstracts_on_disk): the app's papers read
them when shown or searched, and every reader and writer sees the same text."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from readq import segments
from readq.exporters import readq_json
from readq.library import Library
from readq.model import ParsedPaper, Status
from readq.query import View, select

LONG = 'A long abstract about hyperbolic embeddings, with "quotes", \\ and é. ' * 5


def _papers(count: int) -> list[ParsedPaper]:
    return [
        ParsedPaper(title=f"Paper {n}", abstract=f"{n}: {LONG}" if n % 3 else "short")
        for n in range(count)
    ]


@pytest.fixture
def stored(library_file: Path) -> Path:
    with Library.open(library_file) as library:
        library.add_many(_papers(40))
    return library_file


def _export(library: Library) -> bytes:
    return b"".join(readq_json.list_chunks(list(library)))


def test_long_abstracts_stay_on_disk_and_read_the_same(stored: Path) -> None:
    eager = Library.open(stored, writable=False)
    lazy = Library.open(stored, writable=False, abstracts_on_disk=True)
    kept = [paper for paper in lazy if paper.abstract_is_stored]
    assert len(kept) == 26 and not any(paper.abstract_is_stored for paper in eager)
    assert all(paper.abstract == eager.get(paper.id).abstract for paper in lazy)
    assert _export(lazy) == _export(eager)
    hits = View(search="hyperbolic embeddings")
    assert [p.id for p in select(lazy, hits)] == [p.id for p in select(eager, hits)]


def test_a_writer_with_abstracts_on_disk_compacts_them_whole(stored: Path) -> None:
    def texts(library: Library) -> dict[int, tuple[str, str]]:
        return {paper.id: (paper.title, paper.abstract) for paper in library}

    before = texts(Library.open(stored, writable=False))
    (old_base,) = segments.read_manifest(stored).segments  # type: ignore[union-attr]
    library = Library.open(stored, abstracts_on_disk=True)
    library.set_status([1, 2], Status.READ)
    library._write_all()  # a compaction: every paper into a new base, the old one removed
    assert not (segments.folder(stored) / old_base).exists()
    assert texts(library) == before  # read from the old base, still held open
    library.set_priority([3], 2)
    library.close()
    assert texts(Library.open(stored, writable=False)) == before
    assert texts(Library.open(stored, writable=False, abstracts_on_disk=True)) == before


def test_segments_of_an_earlier_readq_keep_abstracts_in_memory(stored: Path) -> None:
    # Earlier readq wrote the abstract among the other fields, not last.
    (base,) = segments.read_manifest(stored).segments  # type: ignore[union-attr]
    path = segments.folder(stored) / base
    lines = path.read_bytes().split(b"\n")
    for number, line in enumerate(lines):
        if line.startswith(b'"2":'):  # paper 2, the first with a long abstract
            record = orjson.loads(line.removeprefix(b'"2":').removesuffix(b","))
            first = {"abstract": record.pop("abstract"), **record}
            lines[number] = b'"2":' + orjson.dumps(first) + b","
    path.chmod(0o644)
    path.write_bytes(b"\n".join(lines))
    lazy = Library.open(stored, writable=False, abstracts_on_disk=True)
    assert not lazy.get(2).abstract_is_stored and lazy.get(3).abstract_is_stored
    assert lazy.get(2).abstract == f"1: {LONG}"


def test_an_import_that_meets_papers_leaves_their_abstracts_on_disk(stored: Path) -> None:
    library = Library.open(stored, abstracts_on_disk=True)
    summary = library.add_many([*_papers(40), ParsedPaper(title="One more")])
    assert len(summary.added) == 1 and len(summary.unchanged) == 40
    assert sum(paper.abstract_is_stored for paper in library) == 26
    library.close()
