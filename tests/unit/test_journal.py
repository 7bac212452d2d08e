"""The journal's layout: a TinyDB database between actions, one line per action."""

from __future__ import annotations

from pathlib import Path

from tinydb import TinyDB

from readq.journal import FOOTER, HEADER, Contents, Journal


def _tinydb_documents(path: Path) -> list[dict[str, object]]:
    with TinyDB(path, access_mode="r") as db:
        return [{"doc_id": doc.doc_id, **doc} for doc in db.all()]


def test_every_action_is_a_tinydb_document_and_a_line(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "library.json.journal")
    journal.append(1, [(3, {"status": "read"})])
    journal.append(2, [(4, {"priority": 2}), (5, {"tags": ["a"]})])
    data = journal.path.read_bytes()
    assert data.startswith(HEADER) and data.endswith(FOOTER)
    assert len(data.splitlines()) == 4  # opening, two actions, closing
    assert _tinydb_documents(journal.path) == [
        {"doc_id": 1, "seq": 1, "ops": [[3, {"status": "read"}]]},
        {"doc_id": 2, "seq": 2, "ops": [[4, {"priority": 2}], [5, {"tags": ["a"]}]]},
    ]
    assert list(journal.records()) == [
        (1, [(3, {"status": "read"})]),
        (2, [(4, {"priority": 2}), (5, {"tags": ["a"]})]),
    ]


def test_a_journal_of_the_old_layout_is_read_and_rewritten_by_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "library.json.journal"
    path.write_bytes(b'{"seq":1,"ops":[[1,{"notes":"kept"}]]}\n{"seq":2,"ops":[[2,{"pri')
    journal = Journal(path)
    contents = journal.read()
    assert contents.problem is None and list(contents.records()) == [(1, [(1, {"notes": "kept"})])]
    journal.repair()  # what a writer does on opening
    assert _tinydb_documents(path) == [{"doc_id": 1, "seq": 1, "ops": [[1, {"notes": "kept"}]]}]
    journal.append(3, [(2, {"priority": 1})])
    assert [seq for seq, _ in journal.records()] == [1, 3]


def test_an_append_after_a_lost_closing_never_writes_over_an_action(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "library.json.journal")
    journal.append(1, [(1, {"status": "read"})])
    # A failed write whose undo could not put the closing back (a full disk, say).
    journal.path.write_bytes(journal.path.read_bytes().removesuffix(FOOTER))
    journal.append(2, [(2, {"status": "read"})])
    assert [seq for seq, _ in journal.records()] == [1, 2]
    assert len(_tinydb_documents(journal.path)) == 2


def test_a_cleared_journal_is_an_empty_tinydb_database(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "library.json.journal")
    journal.append(1, [(1, {"status": "read"})])
    journal.clear()
    assert _tinydb_documents(journal.path) == []
    journal.append(2, [(1, {"status": "unread"})])
    assert [seq for seq, _ in journal.records()] == [2]


def _three_actions(tmp_path: Path) -> Journal:
    journal = Journal(tmp_path / "library.json.journal")
    for seq in (1, 2, 3):
        journal.append(seq, [(seq, {"status": "read"})])
    return journal


def test_a_damaged_opening_line_loses_no_action(tmp_path: Path) -> None:
    journal = _three_actions(tmp_path)
    data = bytearray(journal.path.read_bytes())
    data[0] = ord("X")  # one flipped byte in '{"_default":{'
    journal.path.write_bytes(bytes(data))
    contents = journal.read()
    assert contents.problem is not None  # reported...
    assert [seq for seq, _ in contents.records()] == [1, 2, 3]  # ...and every action kept
    journal.repair()  # what the writer after the one who kept a copy does
    assert [seq for seq, _ in journal.records()] == [1, 2, 3]
    assert len(_tinydb_documents(journal.path)) == 3


def test_a_damaged_first_line_of_the_old_layout_loses_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "library.json.journal"
    path.write_bytes(
        b'{"seq":1,"ops":[[1,{"st\xffatus":1}]]\n{"seq":2,"ops":[[2,{"status":"read"}]]}\n'
    )
    contents = Journal(path).read()
    assert contents.problem is not None and [seq for seq, _ in contents.records()] == [2]


def test_a_reader_during_an_append_sees_the_action_in_flight_not_damage(tmp_path: Path) -> None:
    journal = _three_actions(tmp_path)
    before = journal.path.read_bytes()
    journal.append(4, [(4, {"status": "read"})])
    after = journal.path.read_bytes()
    # What a read of the old size can see while the writer's line replaces the closing.
    for cut in range(len(before) - len(FOOTER), len(before) + 1):
        seen = after[:cut] if cut <= len(before) - len(FOOTER) else after[: len(before)]
        contents = _parse_bytes(journal, seen)
        assert contents.problem is None
        assert [seq for seq, _ in contents.records()] == [1, 2, 3]


def _parse_bytes(journal: Journal, data: bytes) -> Contents:
    copy = journal.path.with_name("seen.journal")
    copy.write_bytes(data)
    return Journal(copy).read()
