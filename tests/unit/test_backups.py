"""Backups in rotation, on demand, before imports and merges; restore round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from readq import backups
from readq.importers.listing import parse
from readq.library import Library
from readq.model import ParsedPaper, Status

from ..conftest import AS_OF, DATA, run

SAMPLE = str(DATA / "listing-sample.txt")


def test_import_and_merge_back_up_first(library_file: Path, sample_text: str) -> None:
    library = Library.open(library_file)
    library.add_many(parse(sample_text, as_of=AS_OF).papers)  # nothing to lose yet
    assert backups.existing(library_file) == []
    library.set_status([1], Status.READ)
    library.add_many([ParsedPaper(title="Another One", authors=["Ada Lovelace"])])
    (before_import,) = backups.existing(library_file)
    assert before_import.reason == "before-import"
    saved = Library.open(before_import.path, writable=False)
    assert len(saved) == 12 and saved.get(1).status is Status.READ  # journal folded in


def test_rotation_keeps_the_newest(library_file: Path, sample_text: str) -> None:
    library = Library.open(library_file, keep_backups=3)
    library.add_many(parse(sample_text, as_of=AS_OF).papers)
    made = [library.backup() for _ in range(5)]
    assert [b.path for b in backups.existing(library_file)] == made[::-1][:3]


def test_a_daily_backup_when_the_last_is_old(library_file: Path, sample_text: str) -> None:
    with Library.open(library_file) as library:
        library.add_many(parse(sample_text, as_of=AS_OF).papers)
    Library.open(library_file).close()
    (first,) = backups.existing(library_file)
    assert first.reason == "daily"
    Library.open(library_file).close()
    assert len(backups.existing(library_file)) == 1  # not again the same day
    old = datetime.now(UTC) - timedelta(days=2)
    first.path.rename(backups.folder(library_file) / f"{old:%Y%m%dT%H%M%S%f}Z-daily.json")
    Library.open(library_file).close()
    assert len(backups.existing(library_file)) == 2


def test_backup_and_restore_round_trip_through_the_cli(
    library_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", SAMPLE, "--as-of", "2026-11-29")[0] == 0
    run(capsys, "note", "2", "--set", "precious")
    code, out, _ = run(capsys, "backup")
    assert code == 0 and "backed up 12 papers" in out
    run(capsys, "note", "2", "--set", "overwritten by mistake")
    run(capsys, "mark", "1", "read")
    code, out, _ = run(capsys, "restore", "--list")
    assert code == 0 and "manual" in out
    code, out, _ = run(capsys, "restore", "--latest")
    assert code == 0 and "restored 12 papers" in out
    library = Library.open(library_file, writable=False)
    assert library.get(2).notes == "precious"
    assert library.get(1).status is Status.UNREAD
    reasons = [b.reason for b in backups.existing(library_file)]
    assert reasons[0] == "before-restore"  # the mistaken state is kept too


def test_restore_refuses_a_damaged_backup_and_changes_nothing(
    library_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", SAMPLE, "--as-of", "2026-11-29")[0] == 0
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"meta": ')
    before = library_file.read_bytes()
    code, _, err = run(capsys, "restore", str(bad))
    assert code == 2 and "damaged" in err
    assert library_file.read_bytes() == before
    assert run(capsys, "restore", "no-such-backup")[0] == 2


def test_damage_message_offers_the_newest_backup(
    library_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", SAMPLE, "--as-of", "2026-11-29")[0] == 0
    assert run(capsys, "backup")[0] == 0
    library_file.write_bytes(library_file.read_bytes()[:100])  # truncated
    code, _, err = run(capsys, "mark", "1", "read")
    assert code == 2 and "moved aside" in err and "readq restore --latest" in err
    assert run(capsys, "restore", "--latest")[0] == 0
    assert len(Library.open(library_file, writable=False)) == 12
    assert list(library_file.parent.glob("library.json.corrupt-*"))
