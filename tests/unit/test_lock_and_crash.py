"""Real processes: one writer at a time, and kill -9 at random moments never breaks the library."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readq.errors import LibraryLocked
from readq.library import Library
from readq.model import Status

from ..conftest import DATA

HOLD = """
import sys
from pathlib import Path
from readq.library import Library
library = Library.open(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.read()
"""

TRIAGE = """
import itertools, sys
from pathlib import Path
from readq.library import Library
from readq.model import Status
library = Library.open(Path(sys.argv[1]))
ids = sorted(library.papers)
for n in itertools.count():
    paper = ids[n % len(ids)]
    library.set_status([paper], Status.READ if n % 2 else Status.UNREAD)
    library.set_priority([paper], n % 4)
    library.set_note(paper, f"note {n}")
"""


def _readq(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "readq", "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _imported(tmp_path: Path) -> Path:
    db = tmp_path / "library.json"
    sample = str(DATA / "listing-sample.txt")
    assert _readq("import", sample, "--as-of", "2026-11-29", db=db).returncode == 0
    return db


def test_second_writer_is_refused_with_the_pid_and_readers_still_work(tmp_path: Path) -> None:
    db = _imported(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ready"
        before = db.read_bytes()
        with pytest.raises(LibraryLocked, match=str(holder.pid)):
            Library.open(db)
        refused = _readq("mark", "1", "read", db=db)
        assert refused.returncode == 2
        assert str(holder.pid) in refused.stderr and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        assert _readq("list", db=db).returncode == 0
        assert _readq("export", "--format", "json", db=db).returncode == 0
        assert db.read_bytes() == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with Library.open(db) as library:  # the kernel dropped the dead holder's lock
        library.set_status([1], Status.READ)


def _kill_loop(tmp_path: Path, rounds: int) -> None:
    db = _imported(tmp_path)
    chance = random.Random(20261129)
    extra = tmp_path / "more.txt"
    extra.write_text(
        "".join(
            f"CLMar 3, 2025\nGenerated Paper Number {n}Ada Lovelace, Alan Turing\nAbstract {n}.\n"
            for n in range(3000)
        )
    )
    for round_ in range(rounds):
        before = set(Library.open(db, writable=False).papers)
        if round_ % 2:
            args = [sys.executable, "-m", "readq", "--db", str(db), "import", str(extra)]
        else:
            args = [sys.executable, "-c", TRIAGE, str(db)]
        child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.05, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        after = Library.open(db, writable=False)  # always loads
        assert set(after.papers) in (before, before | set(range(13, 3013)))
        assert all(p.status in (Status.READ, Status.UNREAD) for p in after)
        assert all(0 <= p.priority <= 3 for p in after)
        Library.open(db).close()  # the next writer clears what the killed one left
        assert not list(tmp_path.glob(".library.json.tmp-*"))


def test_kill_9_during_writes_never_breaks_the_library(tmp_path: Path) -> None:
    _kill_loop(tmp_path, rounds=6)


@pytest.mark.slow
def test_kill_9_loop_many_times(tmp_path: Path) -> None:
    _kill_loop(tmp_path, rounds=30)
