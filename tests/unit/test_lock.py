"""One writer at a time: a second writer is refused while another process holds the library.

The holder is a real child process, so the lock is tested across processes the
way people meet it (the TUI open in one terminal, ``readq mark`` in another).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readq.errors import LibraryLocked
from readq.library import Library
from readq.model import Status

from ..conftest import DATA

HOLDER = """\
import sys
from pathlib import Path

from readq.library import Library

library = Library.open(Path(sys.argv[1]))
print("ready", flush=True)
for command in sys.stdin:  # block until the test speaks or closes stdin
    if command.strip() == "mark":
        library.set_status([2], "read")
        print("marked", flush=True)
library.close()
"""


def readq(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readq", "--db", str(library), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def on_disk(library: Path) -> dict[str, bytes | None]:
    """The library file and its journal, byte for byte (None when absent)."""
    files = [library, library.with_name(library.name + ".journal")]
    return {f.name: f.read_bytes() if f.exists() else None for f in files}


@pytest.fixture
def library(imported_library: Path) -> Path:
    return imported_library


@pytest.fixture
def holder(library: Path, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A child process that holds the library open for writing until killed."""
    script = tmp_path / "holder.py"
    script.write_text(HOLDER, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), str(library)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if line != "ready\n":
            child.kill()
            _, err = child.communicate(timeout=30)
            pytest.fail(f"the holder did not start: {line!r} {err}")
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        for stream in (child.stdin, child.stdout, child.stderr):
            if stream is not None:
                stream.close()


def test_second_writer_is_refused_with_the_holders_pid(
    library: Path, holder: subprocess.Popen[str]
) -> None:
    before = on_disk(library)
    with pytest.raises(LibraryLocked) as refused:
        Library.open(library)
    message = str(refused.value)
    assert f"PID {holder.pid}" in message
    assert str(library) in message
    assert "\n" not in message
    assert on_disk(library) == before


@pytest.mark.parametrize(
    "command",
    [
        ["mark", "1", "read"],
        ["priority", "1", "3"],
        ["note", "1", "--set", "refused"],
        ["tag", "1", "+refused"],
        ["import", str(DATA / "listing-hard.txt"), "--as-of", "2026-11-29"],
    ],
    ids=["mark", "priority", "note", "tag", "import"],
)
def test_cli_write_is_refused_in_one_line_and_changes_nothing(
    library: Path, holder: subprocess.Popen[str], command: list[str]
) -> None:
    before = on_disk(library)
    done = readq(library, *command)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    # import reports the entries it could not read before it opens the library;
    # the refusal itself is the last line, and the only one for the other commands.
    lines = done.stderr.splitlines()
    if command[0] != "import":
        assert len(lines) == 1, done.stderr
    assert lines[-1].startswith("readq: ")
    assert f"PID {holder.pid}" in lines[-1]
    assert on_disk(library) == before
    # The refused writer left the lock file naming the holder.
    with pytest.raises(LibraryLocked, match=f"PID {holder.pid}"):
        Library.open(library)


def test_read_only_commands_work_while_locked(library: Path, holder: subprocess.Popen[str]) -> None:
    before = on_disk(library)
    listed = readq(library, "list")
    assert listed.returncode == 0, listed.stderr
    assert "Curriculum Sampling" in listed.stdout

    as_json = readq(library, "list", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert len(json.loads(as_json.stdout)) == 12

    exported = readq(library, "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    papers = json.loads(exported.stdout)["papers"]
    assert [p["id"] for p in papers] == list(range(1, 13))
    assert papers[2]["priority"] == 2  # the journal is replayed for readers too

    for command in (["show", "1"], ["stats"]):
        done = readq(library, *command)
        assert done.returncode == 0, done.stderr

    with Library.open(library, writable=False) as lib:
        assert len(lib) == 12
    assert on_disk(library) == before


def test_refused_writers_do_not_disturb_the_holder(
    library: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(LibraryLocked):
        Library.open(library)
    assert readq(library, "mark", "1", "read").returncode == 2
    assert holder.stdin is not None and holder.stdout is not None
    holder.stdin.write("mark\n")
    holder.stdin.flush()
    assert holder.stdout.readline() == "marked\n"
    with Library.open(library, writable=False) as lib:
        assert lib.get(2).status is Status.READ
        assert lib.get(1).status is Status.UNREAD


def test_killed_holder_releases_the_lock(library: Path, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(LibraryLocked):
        Library.open(library)
    holder.kill()  # SIGKILL: no chance to clean up
    holder.wait(timeout=30)

    with Library.open(library) as lib:
        lib.set_status([1], Status.READ)
    lock_file = library.with_name(library.name + ".lock")
    assert lock_file.read_text(encoding="ascii").strip() == ""  # released on close

    done = readq(library, "mark", "4", "read")
    assert done.returncode == 0, done.stderr
    with Library.open(library, writable=False) as lib:
        assert lib.get(1).status is Status.READ
        assert lib.get(4).status is Status.READ
        assert lib.get(3).priority == 2


def test_holder_closing_normally_releases_the_lock(
    library: Path, holder: subprocess.Popen[str]
) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0
    done = readq(library, "mark", "1", "read")
    assert done.returncode == 0, done.stderr
