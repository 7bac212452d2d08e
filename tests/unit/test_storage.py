"""The library file: written by readq in TinyDB's layout, read back by TinyDB."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from readq import segments
from readq.storage import META, PAPERS, SCHEMA_VERSION, write_snapshot


def _records(count: int) -> dict[int, dict[str, object]]:
    # Ids out of order and with gaps: the file keeps the order it was given.
    return {(n * 7) % (count + 3) + 1: {"title": f"Paper {n}", "tags": ["x"]} for n in range(count)}


@pytest.mark.parametrize("count", [0, 1, 2500])
def test_the_file_is_the_layout_with_one_paper_per_line(tmp_path: Path, count: int) -> None:
    path = tmp_path / "library.json"
    records = _records(count)
    write_snapshot(path, records, next_id=count + 4, seq=5)
    meta = {"schema_version": SCHEMA_VERSION, "seq": 5, "next_id": count + 4, "sorted": True}
    layout = {META: {"1": meta}, PAPERS: {str(i): r for i, r in records.items()}}
    data = path.read_bytes()
    assert orjson.loads(data) == layout
    lines = data.splitlines()
    assert len(lines) == count + 2  # the meta line, a line per paper, the closing line
    # In id order, whatever order they were given in: a reader can seek one (find_paper).
    assert [orjson.loads(line.rstrip(b",").partition(b":")[2]) for line in lines[1:-1]] == [
        records[i] for i in sorted(records)
    ]


def test_a_library_in_the_older_one_line_layout_still_opens(tmp_path: Path) -> None:
    from readq.library import Library

    path = tmp_path / "library.json"
    meta = {"schema_version": SCHEMA_VERSION, "seq": 0, "next_id": 2}
    paper = {"title": "Old layout", "added_at": "2026-01-01T00:00:00Z"}
    path.write_bytes(orjson.dumps({META: {"1": meta}, PAPERS: {"1": paper}}))
    with Library.open(path, writable=False) as library:
        assert [p.title for p in library] == ["Old layout"]


def test_tinydb_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    records = _records(1500)
    write_snapshot(path, records, next_id=9, seq=0)
    with TinyDB(path, storage=JSONStorage, access_mode="r") as db:
        (meta,) = db.table(META).all()
        papers = {doc.doc_id: dict(doc) for doc in db.table(PAPERS).all()}
    assert meta == {"schema_version": SCHEMA_VERSION, "seq": 0, "next_id": 9, "sorted": True}
    assert papers == records


def test_a_writer_moves_an_older_one_line_file_into_segments(tmp_path: Path) -> None:
    from readq.library import Library

    path = tmp_path / "library.json"
    meta = {"schema_version": SCHEMA_VERSION, "seq": 0, "next_id": 3}
    papers = {"1": {"title": "One", "added_at": "2026-01-01T00:00:00Z"}}
    papers["2"] = {"title": "Two", "added_at": "2026-01-02T00:00:00Z"}
    path.write_bytes(orjson.dumps({META: {"1": meta}, PAPERS: papers}))
    with Library.open(path, writable=False):
        pass
    assert path.read_bytes().count(b"\n") == 0  # a reader leaves it alone
    with Library.open(path) as library:
        titles = sorted(p.title for p in library)
    # Into segments: the manifest, and a base with a meta line, two papers, a closing line.
    manifest = segments.read_manifest(path)
    assert manifest is not None and path.read_bytes().count(b"\n") == 1
    assert (segments.folder(path) / manifest.segments[0]).read_bytes().count(b"\n") == 4
    with Library.open(path, writable=False) as library:
        assert sorted(p.title for p in library) == titles == ["One", "Two"]
