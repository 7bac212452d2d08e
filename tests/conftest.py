"""Shared fixtures: every test gets its own library and never sees the user's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readq.cli import main

DATA = Path(__file__).parent / "data"
AS_OF = date(2026, 11, 29)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``readq ARGV``; argparse's exits count too."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point READQ_DB and the platform folders into tmp_path."""
    monkeypatch.setenv("READQ_DB", str(tmp_path / "library.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def library_file(tmp_path: Path) -> Path:
    return tmp_path / "library.json"


@pytest.fixture
def imported_library(library_file: Path, sample_text: str) -> Path:
    """A closed library holding the sample listing and one journal record."""
    from readq.importers.listing import parse
    from readq.library import Library

    with Library.open(library_file) as library:
        library.add_many(parse(sample_text, as_of=AS_OF).papers)
        library.set_priority([3], 2)
    return library_file


@pytest.fixture
def sample_text() -> str:
    return (DATA / "listing-sample.txt").read_text(encoding="utf-8")


def as_one_file(path: Path) -> Path:
    """The library at ``path`` written again as one library file, the layout before
    segments (readq still reads it, and its next writer moves it into segments):
    a file a test can edit by hand, as a user might."""
    import shutil

    from readq import segments
    from readq.library import Library
    from readq.storage import write_snapshot

    with Library.open(path, writable=False) as library:
        papers = [*library.papers.values(), *library.deleted.values()]
        next_id = library._next_id
    shutil.rmtree(segments.folder(path), ignore_errors=True)
    path.with_name(path.name + ".journal").unlink(missing_ok=True)
    write_snapshot(path, {p.id: p.to_record() for p in papers}, next_id, seq=0)
    return path
