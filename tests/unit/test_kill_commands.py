"""kill -9 during `readq mark`, `note`, `merge` and the TUI driven by keys.

After every kill the library loads and equals the state before the action
or after it, never a mix; the next writer clears what the dead one left.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readq import segments
from readq.exporters import readq_json
from readq.library import Library
from readq.model import Status

from ..tui.terminal import Terminal
from .test_crash import SEED, load_state, temp_files

READQ = [sys.executable, "-m", "readq"]


def _other_machine_export(library: Path, tmp_path: Path) -> Path:
    """An export in which every paper was read and given a note elsewhere."""
    with Library.open(library, writable=False) as source:
        papers = list(source)
    for paper in papers:
        paper.status, paper.notes, paper.read_at = (
            Status.READ,
            "from elsewhere",
            "2026-11-29T00:00:00Z",
        )
        paper.changed_at = {"status": "2099-01-01T00:00:00Z", "notes": "2099-01-01T00:00:00Z"}
    target = tmp_path / "other.json"
    target.write_bytes(readq_json.dumps(papers))
    return target


ACTIONS = {
    "mark": lambda db, other: ["--db", str(db), "mark", *map(str, range(1, 13)), "read"],
    "note": lambda db, other: ["--db", str(db), "note", "3", "--set", "x" * 3000],
    "merge": lambda db, other: ["--db", str(db), "merge", str(other)],
}


def _outcome(path: Path, action: str, before: dict[int, tuple[str, int, str]]) -> str:
    state, _ = load_state(path)
    if state == before:
        return "before"
    changed = {i for i in state if state[i] != before[i]}
    if action == "mark":
        assert changed == {i for i in before if before[i][0] == "unread"}, changed
    elif action == "note":
        assert changed == {3} and state[3][2] == "x" * 3000
    else:
        assert all(state[i][0] == "read" and "from elsewhere" in state[i][2] for i in state)
    return "after"


def _kill_loop(imported_library: Path, tmp_path: Path, rounds: int) -> dict[str, set[str]]:
    rng = random.Random(SEED)
    other = _other_machine_export(imported_library, tmp_path)
    seen: dict[str, set[str]] = {name: set() for name in ACTIONS}
    pristine = (
        imported_library.read_bytes(),
        imported_library.with_name("library.json.journal").read_bytes(),
    )
    kept_segments = tmp_path / "pristine-segments"
    shutil.copytree(segments.folder(imported_library), kept_segments)
    for round_ in range(rounds):
        action = list(ACTIONS)[round_ % len(ACTIONS)]
        # Each round starts from the same library: manifest, journal and segments.
        imported_library.write_bytes(pristine[0])
        imported_library.with_name("library.json.journal").write_bytes(pristine[1])
        shutil.rmtree(segments.folder(imported_library))
        shutil.copytree(kept_segments, segments.folder(imported_library))
        before, _ = load_state(imported_library)
        child = subprocess.Popen(
            [*READQ, *ACTIONS[action](imported_library, other)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 0.6))  # Python's start-up is ~0.1 s: kills land throughout
        child.send_signal(signal.SIGKILL)
        child.wait()
        seen[action].add(_outcome(imported_library, action, before))
        Library.open(imported_library).close()
        assert temp_files(imported_library) == []
    return seen


def test_kill_nine_during_commands(imported_library: Path, tmp_path: Path) -> None:
    _kill_loop(imported_library, tmp_path, rounds=9)


@pytest.mark.slow
def test_kill_nine_during_commands_many_times(imported_library: Path, tmp_path: Path) -> None:
    seen = _kill_loop(imported_library, tmp_path, rounds=90)
    assert all(outcomes == {"before", "after"} for outcomes in seen.values()), seen


def _tui_round(library: Path, rng: random.Random) -> None:
    before, _ = load_state(library)
    terminal = Terminal("--db", str(library), columns=100, lines=30)
    try:
        terminal.wait_for(b"unread")
        terminal.type(" 3")  # toggle read, set priority 3, on the paper under the cursor
        time.sleep(rng.uniform(0.0, 0.05))
        terminal.process.send_signal(signal.SIGKILL)
        terminal.process.wait()
    finally:
        terminal.close()
    state, _ = load_state(library)
    changed = [i for i in state if state[i] != before[i]]
    assert len(changed) <= 1, changed  # at most the paper under the cursor
    if changed:
        (paper,) = changed
        status, priority, _ = state[paper]
        assert status != before[paper][0] or priority == 3
    Library.open(library).close()
    assert temp_files(library) == []


def test_kill_nine_in_the_tui(imported_library: Path) -> None:
    rng = random.Random(SEED)
    for _ in range(4):
        _tui_round(imported_library, rng)


@pytest.mark.slow
def test_kill_nine_in_the_tui_many_times(imported_library: Path) -> None:
    rng = random.Random(SEED + 7)
    for _ in range(30):
        _tui_round(imported_library, rng)
