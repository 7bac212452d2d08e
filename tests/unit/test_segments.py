"""Segments (segments.py): a change writes what it changed, never the whole library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tinydb import TinyDB

from readq import backups, segments, storage
from readq.errors import LibraryDamaged, ReadqError
from readq.library import Library
from readq.model import ParsedPaper, Status

BASE_PAPERS = 100


def _papers(count: int, start: int = 0) -> list[ParsedPaper]:
    return [
        ParsedPaper(
            title=f"Paper number {n}",
            authors=[f"Author{n} Family{n}"],
            abstract=f"Abstract {n}. " + "words " * 80,
            published="2026-11-01",
            line=n + 1,
        )
        for n in range(start, start + count)
    ]


@pytest.fixture
def big(library_file: Path) -> Path:
    """A library whose base is large beside a few papers' change."""
    with Library.open(library_file) as library:
        library.add_many(_papers(BASE_PAPERS))
    return library_file


def _segment_files(path: Path) -> list[str]:
    found = segments.folder(path).glob("*.json")
    companions = (".identity.json", ".fields.json", ".search.json")
    return sorted(p.name for p in found if not p.name.endswith(companions))


def _state(path: Path) -> dict[int, tuple[str, int, str, str]]:
    with Library.open(path, writable=False) as library:
        return {p.id: (p.status.value, p.priority, p.notes, p.title) for p in library}


def test_an_import_of_a_few_papers_writes_them_alone(big: Path) -> None:
    (base,) = _segment_files(big)
    written = (segments.folder(big) / base).read_bytes()
    with Library.open(big) as library:
        library.set_status([3], Status.READ)
        summary = library.add_many(_papers(2, start=BASE_PAPERS))
    assert len(summary.added) == 2
    assert (segments.folder(big) / base).read_bytes() == written  # not written again
    (name,) = set(_segment_files(big)) - {base}
    # The new papers and the one the journal changed, nothing else.
    segment = TinyDB(segments.folder(big) / name, access_mode="r")
    assert sorted(doc.doc_id for doc in segment.table("papers").all()) == [3, 101, 102]
    manifest = TinyDB(big, access_mode="r").table("meta").all()
    assert manifest[0]["segments"] == [base, name] and manifest[0]["next_id"] == 103
    assert big.with_name(big.name + ".journal").read_bytes() == b""
    state = _state(big)
    assert len(state) == BASE_PAPERS + 2 and state[3][0] == "read"


def test_a_later_segment_wins_and_a_fold_writes_the_papers_it_touched(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "FOLD_AFTER_RECORDS", 2)
    with Library.open(big) as library:
        library.set_priority([5], 2)
        library.set_note(5, "first")
        library.set_note(7, "second")  # the third action: the fold is due at close
    _, first = _segment_files(big)
    with Library.open(big) as library:
        library.set_note(5, "later")
        library.set_status([5], Status.READ)
        library.add_many(_papers(1, start=BASE_PAPERS))
    assert len(_segment_files(big)) == 3
    state = _state(big)
    assert state[5] == ("read", 2, "later", "Paper number 4")
    assert state[7][2] == "second"
    segment = TinyDB(segments.folder(big) / first, access_mode="r")
    assert sorted(doc.doc_id for doc in segment.table("papers").all()) == [5, 7]


def test_compaction_writes_the_base_anew_and_retires_the_segments(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "COMPACT_AT_SHARE", 0.015)
    for start in range(BASE_PAPERS, BASE_PAPERS + 2):
        with Library.open(big) as library:
            library.add_many(_papers(1, start=start))
    # The second import's segment took the later ones past the share of the base:
    # it compacted on its way out, into one base of a new generation.
    assert _segment_files(big) == ["g2-000000.json"]
    # With its identity and field indexes, and nothing of the older generation left.
    kept = sorted(p.name for p in segments.folder(big).iterdir())
    assert kept == [
        *("g2-000000.fields.json", "g2-000000.identity.json", "g2-000000.json"),
        "g2-000000.search.json",
    ]
    meta = TinyDB(big, access_mode="r").table("meta").all()[0]
    assert meta["generation"] == 2 and meta["segments"] == ["g2-000000.json"]
    assert len(_state(big)) == BASE_PAPERS + 2


def test_what_no_manifest_names_is_ignored_and_removed(big: Path) -> None:
    with Library.open(big) as library:
        library.add_many(_papers(1, start=BASE_PAPERS))
    _, live = _segment_files(big)
    # A write cut short before its manifest: a segment nobody names.
    orphan = segments.folder(big) / "g1-000009.json"
    orphan.write_bytes((segments.folder(big) / live).read_bytes().replace(b"101", b"150"))
    stray = segments.folder(big) / "mine.txt"  # not readq's: left alone
    stray.write_text("keep", encoding="utf-8")
    assert len(_state(big)) == BASE_PAPERS + 1
    with Library.open(big):
        pass
    assert _segment_files(big) == ["g1-000000.json", live] and stray.exists()


def test_a_missing_or_damaged_segment_is_damage_kept_whole(big: Path) -> None:
    with Library.open(big) as library:
        library.add_many(_papers(1, start=BASE_PAPERS))
    _, live = _segment_files(big)
    (segments.folder(big) / live).chmod(0o644)
    (segments.folder(big) / live).write_bytes(b'{"meta":{"1":{}},"papers":{\n"101":{"ti')
    with pytest.raises(LibraryDamaged, match="segment"):
        Library.open(big, writable=False)
    with pytest.raises(LibraryDamaged, match="moved aside") as raised:
        Library.open(big)
    moved = next(big.parent.glob("library.json.corrupt-*[0-9]Z"))
    assert segments.read_manifest(moved) is not None and segments.folder(moved).is_dir()
    assert "segment" in str(raised.value)


def test_a_named_segment_that_is_gone_is_said_by_readers_and_writers(big: Path) -> None:
    with Library.open(big) as library:
        library.add_many(_papers(1, start=BASE_PAPERS))
    _, live = _segment_files(big)
    (segments.folder(big) / live).unlink()
    with pytest.raises(ReadqError, match="missing"):
        Library.open(big, writable=False)
    with pytest.raises(LibraryDamaged, match="missing"):
        Library.open(big)


def test_a_backup_links_the_segments_and_restores_whole(big: Path) -> None:
    with Library.open(big) as library:
        library.add_many(_papers(1, start=BASE_PAPERS))
        library.set_note(2, "kept in the journal")
        made = library.backup()
    for name in _segment_files(big):  # the base too: segments never change in place
        assert (segments.folder(made) / name).samefile(segments.folder(big) / name)
    assert not made.samefile(big)  # the manifest is copied
    with Library.open(big) as library:
        library.set_note(2, "changed later")
        library.restore(made)
    assert _state(big)[2][2] == "kept in the journal"
    assert len(_state(big)) == BASE_PAPERS + 1
    (listed,) = [b for b in backups.existing(big) if b.folder == made.parent]
    assert listed.own_bytes() < 2000  # the manifest and the journal


def test_ten_backups_take_little_more_than_the_library(big: Path) -> None:
    for start in range(BASE_PAPERS, BASE_PAPERS + 10):
        with Library.open(big) as library:
            library.add_many(_papers(1, start=start))  # a backup before each import
    kept = backups.existing(big)
    assert len(kept) == 10
    inodes: dict[int, int] = {}
    for path in backups.folder(big).rglob("*"):
        if path.is_file():
            inodes[path.stat().st_ino] = path.stat().st_size
    library_bytes = sum(p.stat().st_size for p in segments.folder(big).iterdir())
    assert sum(inodes.values()) <= 1.5 * library_bytes


@pytest.mark.parametrize("stage", ["segment", "mid-write"])
def test_a_writer_killed_while_writing_a_segment_or_manifest_loses_nothing(
    big: Path, tmp_path: Path, stage: str
) -> None:
    from .test_crash import run_blocked

    listing = tmp_path / "more.json"
    listing.write_text(
        '{"format": "readq", "version": 1, "papers": [{"title": "One more paper"}]}',
        encoding="utf-8",
    )
    before = _state(big)
    run_blocked(tmp_path, stage, "--db", str(big), "import", str(listing))
    assert _state(big) == before  # readers see the library as it was, whole
    with Library.open(big) as library:  # the next writer tidies up and goes on
        library.add_many(_papers(1, start=BASE_PAPERS))
    # No temporary file is left, of a segment or of the manifest.
    assert not [*segments.folder(big).glob(".*"), *big.parent.glob(".*tmp-*")]
    assert len(_segment_files(big)) == 2  # the base and one import's
    after = _state(big)
    assert len(after) == BASE_PAPERS + 1 and {**after, **before} == after


def test_a_writer_killed_during_a_compaction_loses_nothing(big: Path, tmp_path: Path) -> None:
    from .test_crash import run_blocked

    before = _state(big)
    more = tmp_path / "more.json"
    many = [{"title": f"More {n}", "abstract": "words " * 80} for n in range(BASE_PAPERS // 3)]
    more.write_text(json.dumps({"format": "readq", "version": 1, "papers": many}))
    # The import writes its segment, a third of the base, then compacts on its way
    # out: killed there.
    run_blocked(tmp_path, "compaction", "--db", str(big), "import", str(more))
    after = _state(big)  # the import is made; the compaction was the action in flight
    assert len(after) == len(before) + len(many) and {**after, **before} == after
    with Library.open(big) as library:  # the half-written base goes, and it compacts
        assert len(library) == len(after)
    assert not list(segments.folder(big).glob(".*"))
    assert _segment_files(big) == ["g2-000000.json"]
    assert _state(big) == after


def _imports_one_by_one(library_file: Path, count: int, first: int = BASE_PAPERS) -> None:
    for start in range(first, first + count):
        with Library.open(library_file, only=()) as library:  # as `readq import` opens it
            library.add_many(_papers(1, start=start))


def test_many_small_segments_fold_into_one_and_the_base_is_not_rewritten(big: Path) -> None:
    (base,) = _segment_files(big)
    base_file = segments.folder(big) / base
    written = base_file.stat().st_mtime_ns
    _imports_one_by_one(big, storage.COMPACT_AT_SEGMENTS - 1)
    assert len(_segment_files(big)) == storage.COMPACT_AT_SEGMENTS  # the base and 15
    before = _state(big)
    _imports_one_by_one(big, 1, first=BASE_PAPERS + 15)  # one more: the 15 and itself
    names = _segment_files(big)  # its own segment, then on its way out the fold
    assert names == [base, segments.segment_name(1, storage.COMPACT_AT_SEGMENTS + 1)]
    assert base_file.stat().st_mtime_ns == written  # the base is as it was
    kept = {p.name for p in segments.folder(big).iterdir()}
    assert kept == {c for name in names for c in [name, *segments.companions(name)]}
    after = _state(big)
    assert len(after) == len(before) + 1 and {**after, **before} == after
    # The folded segment keeps every identity entry: importing them all again adds none.
    with Library.open(big, only=()) as library:
        summary = library.add_many(_papers(BASE_PAPERS + storage.COMPACT_AT_SEGMENTS))
    assert summary.added == [] and _state(big) == after
    rows = Library.index_rows(big)
    assert rows is not None and {row.id for row in rows} == set(after)


@pytest.mark.parametrize("opened_in_part", [True, False])
def test_segments_that_cannot_be_folded_are_compacted(big: Path, opened_in_part: bool) -> None:
    _imports_one_by_one(big, 3)
    # A segment without its identity index (an earlier readq, a lost file): no fold.
    (segments.folder(big) / segments.identity_name(_segment_files(big)[1])).unlink()
    first = BASE_PAPERS + 3
    _imports_one_by_one(big, storage.COMPACT_AT_SEGMENTS - 4, first=first)
    before = _state(big)
    with Library.open(big, only=() if opened_in_part else None) as library:
        library.add_many(_papers(1, start=BASE_PAPERS + storage.COMPACT_AT_SEGMENTS))
    assert _segment_files(big) == ["g2-000000.json"]  # written whole into a new base
    after = _state(big)
    assert len(after) == len(before) + 1 and {**after, **before} == after
    # With the whole identity index beside it: importing every paper again adds none.
    with Library.open(big, only=()) as library:
        again = library.add_many(_papers(BASE_PAPERS + storage.COMPACT_AT_SEGMENTS + 1))
    assert len(again.added) == 1  # only "Paper number 115", which none of the imports had
    assert len(_state(big)) == len(after) + 1


def test_a_writer_killed_while_folding_segments_loses_nothing(big: Path, tmp_path: Path) -> None:
    from .test_crash import run_blocked

    _imports_one_by_one(big, storage.COMPACT_AT_SEGMENTS - 1)
    before = _state(big)
    more = tmp_path / "more.json"
    more.write_text('{"format": "readq", "version": 1, "papers": [{"title": "Last"}]}')
    # The import writes its segment (the 16th after the base), then folds them all
    # into a 17th on its way out: killed there.
    run_blocked(tmp_path, "fold", "--db", str(big), "import", str(more))
    after = _state(big)  # the import is made; the fold was the action in flight
    assert len(after) == len(before) + 1 and {**after, **before} == after
    with Library.open(big) as library:  # the half-written segment goes; it folds
        assert len(library) == len(after)
    assert not list(segments.folder(big).glob(".*"))
    assert len(_segment_files(big)) == 2
    assert _state(big) == after


def test_a_writer_killed_while_making_a_backup_loses_nothing(big: Path, tmp_path: Path) -> None:
    from .test_crash import run_blocked

    before = _state(big)
    run_blocked(tmp_path, "backup", "--db", str(big), "backup")
    assert _state(big) == before
    half_made = [p for p in backups.folder(big).iterdir() if p.name.startswith(".")]
    assert half_made  # the dead writer's temporary backup folder
    with Library.open(big):
        pass  # the next writer removes it
    assert not [p for p in backups.folder(big).iterdir() if p.name.startswith(".")]
    assert all(b.path.is_file() for b in backups.existing(big))


# --- found in review --------------------------------------------------------------------


def test_after_a_restore_the_kept_identity_index_is_the_restored_papers(big: Path) -> None:
    with Library.open(big) as library:
        made = library.backup()
        library.add_many(_papers(2, start=BASE_PAPERS))  # ids 101 and 102
        library.restore(made)  # back to 100 papers: 101 and 102 are gone
    with Library.open(big, only=()) as library:  # as `readq import` opens it
        again = library.add_many(_papers(2, start=BASE_PAPERS))
    assert again.added == [101, 102]  # not "updated": they were not there
    state = _state(big)
    assert state[101][3] == f"Paper number {BASE_PAPERS}" and len(state) == BASE_PAPERS + 2


def test_an_index_entry_for_a_paper_that_is_not_there_is_no_match(big: Path) -> None:
    with Library.open(big) as library:
        library._identity_index()["title:ghost|nobody"] = 999  # a stale entry
        summary = library.add_many([ParsedPaper(title="Ghost", authors=["A Nobody"])])
    assert summary.added == [BASE_PAPERS + 1]


def test_segments_without_a_manifest_are_set_aside_never_deleted(big: Path) -> None:
    kept = {p.name: p.read_bytes() for p in segments.folder(big).iterdir()}
    big.rename(big.with_name("elsewhere.json"))  # library.json gone
    with Library.open(big) as library:
        assert len(library) == 0
        assert any("set aside" in notice for notice in library.notices)
        library.add_many(_papers(1))
    (aside,) = big.parent.glob("library.json.d.set-aside-*")
    assert {p.name: p.read_bytes() for p in aside.iterdir()} == kept
    assert len(_state(big)) == 1


def test_a_manifest_that_names_a_segment_twice_is_damage(big: Path) -> None:
    text = big.read_text(encoding="utf-8")
    big.write_text(text.replace('["g1-000000.json"]', '["g1-000000.json","g1-000000.json"]'))
    with pytest.raises(LibraryDamaged, match="list of segments"):
        Library.open(big, writable=False)


def test_the_migration_backup_keeps_the_journal_too(
    big: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ..conftest import as_one_file, run

    one_file = as_one_file(big)
    one_file.write_bytes(
        one_file.read_bytes().replace(b'"schema_version":3', b'"schema_version":2', 1)
    )
    journal = big.with_name(big.name + ".journal")
    journal.write_text('{"seq":1,"ops":[[1,{"status":"read","notes":"journal note"}]]}\n')
    assert run(capsys, "--db", str(big), "tag", "2", "+foo")[0] == 0  # migrates
    (kept,) = [b for b in backups.existing(big) if "migration" in b.reason]
    assert kept.folder is not None and (kept.folder / journal.name).exists()
    code, out, _ = run(capsys, "--db", str(big), "restore", kept.name)
    assert code == 0 and kept.name in out
    assert _state(big)[1][:3] == ("read", 0, "journal note")
