"""A full disk: the library stays intact, the CLI says so in one line, nothing is lost in memory."""

from __future__ import annotations

import errno
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from readq.errors import NotSaved
from readq.journal import Journal
from readq.library import Library
from readq.model import Status

from ..conftest import DATA


def _full_disk(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_refused_action_stays_in_memory_until_the_disk_takes_it(
    imported_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library.open(imported_library)
    before = imported_library.with_name("library.json.journal").read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(Journal, "append", _full_disk)
        with pytest.raises(NotSaved, match="No space left"):
            library.set_status([1], Status.READ)
        with pytest.raises(NotSaved, match="2 changes"):
            library.set_priority([1], 3)
        assert library.get(1).status is Status.READ  # the screen may show it
        assert imported_library.with_name("library.json.journal").read_bytes() == before
    library.save_pending()
    saved = Library.open(imported_library, writable=False).get(1)
    assert (saved.status, saved.priority) == (Status.READ, 3)


def test_closing_with_refused_actions_saves_no_first_page_showing_them(
    imported_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readq import firstpage

    firstpage.discard(imported_library)
    library = Library.open(imported_library)
    with monkeypatch.context() as patch:
        patch.setattr(Journal, "append", _full_disk)
        with pytest.raises(NotSaved):
            library.set_status([1], Status.READ)
        library.close(save_first_page=True)  # quitting on a full disk, say
    assert firstpage.load(imported_library) is None


def _limited(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _readq_with_file_limit(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readq", *args],
        capture_output=True,
        text=True,
        preexec_fn=lambda: _limited(limit),
        check=False,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["mark", "1", "2", "3", "read"],
        ["note", "4", "--set", "x" * 5000],
        ["import", str(DATA / "listing-hard.txt"), "--as-of", "2026-11-29"],
        ["backup"],
    ],
)
def test_cli_on_a_full_disk_exits_2_and_leaves_the_library_intact(
    imported_library: Path, argv: list[str]
) -> None:
    Library.open(imported_library).close()  # today's backup exists, as on any usual day
    journal = imported_library.with_name("library.json.journal")
    before = imported_library.read_bytes(), journal.read_bytes()
    # Files may not grow past what the journal already holds: EFBIG on the next write.
    # A backup links the segments and copies only the small files: it needs less.
    limit = len(before[1]) if argv != ["backup"] else 10
    done = _readq_with_file_limit(limit, "--db", str(imported_library), *argv)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert (imported_library.read_bytes(), journal.read_bytes()) == before
    Library.open(imported_library, writable=False)  # still loads
