"""Libraries written by older readq versions: stored fixture files, upgraded safely."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from readq import backups
from readq.library import Library
from readq.model import Status
from readq.storage import SCHEMA_VERSION

from ..conftest import DATA

V1 = DATA / "migrations" / "library-v1.json"  # written by readq's first commit


def _copy_v1(tmp_path: Path) -> Path:
    target = tmp_path / "library.json"
    shutil.copyfile(V1, target)
    return target


def test_readers_upgrade_in_memory_and_never_write(tmp_path: Path) -> None:
    path = _copy_v1(tmp_path)
    library = Library.open(path, writable=False)
    assert len(library) == 12
    assert library.get(1).status is Status.READ
    assert library.get(3).notes == "a v1 note"
    assert path.read_bytes() == V1.read_bytes()


def test_a_writer_backs_up_the_old_file_then_saves_the_new_schema(tmp_path: Path) -> None:
    path = _copy_v1(tmp_path)
    library = Library.open(path)
    assert "upgraded the library from schema 1" in library.notices[0]
    library.close()
    kept = [b for b in backups.existing(path) if b.reason == "before-migration-from-v1"]
    assert len(kept) == 1 and kept[0].path.read_bytes() == V1.read_bytes()
    saved = orjson.loads(path.read_bytes())
    assert saved["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    upgraded = Library.open(path, writable=False)
    assert set(upgraded.get(1).changed_at) == {"status"}  # user state got a clock
    assert set(upgraded.get(3).changed_at) == {"priority", "notes"}
    assert upgraded.get(5).changed_at == {}
    assert [p.title for p in upgraded] == [p.title for p in Library.open(V1, writable=False)]


def test_the_upgrade_happens_once(tmp_path: Path) -> None:
    path = _copy_v1(tmp_path)
    Library.open(path).close()
    again = Library.open(path)
    assert not any("upgraded" in notice for notice in again.notices)
