"""kill -9 at a random moment never loses or tears the library.

Each iteration starts a real writing readq process and SIGKILLs it after a
random delay (a seeded random.Random, 0-150 ms):

* even iterations run ``readq import`` of a listing with new papers: afterwards
  the library holds exactly the papers it held before, or exactly those plus
  all the new ones, and nobody's state changed;
* odd iterations run a child that opens ``Library`` and marks papers read and
  unread, sets priorities and notes as fast as it can, logging each action
  before and after it makes it. It also closes and reopens the library every
  few dozen actions with a low fold threshold, so that some kills land in a
  fold (the whole library rewritten, the journal emptied) or in an open
  (journal repair, stale temporary files removed). Afterwards every paper's
  state is the one the logged actions produce: all the finished ones, plus or
  minus the single action in flight.

After every kill the library must load read-only, and a writable open and
close must leave no ``.library.json.tmp-*`` file and no torn journal line.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tinydb import TinyDB

from readq.importers.listing import parse
from readq.library import Library
from readq.model import Status

from ..conftest import AS_OF, DATA

READQ = [sys.executable, "-m", "readq"]
SEED = 20261129
MAX_KILL_DELAY = 0.150
EXTRA_PAPERS = 250  # per import: enough that the import's write takes a moment
# The action child folds its journal when it closes with this many records
# (readq's own threshold is 5000, far more than a child writes before its kill).
CHILD_FOLD_AFTER = 400
CHILD_REOPEN_EVERY = 250

ACTION_CHILD = """\
import json
import os
import random
import sys
from pathlib import Path

import readq.storage
from readq.library import Library
from readq.model import Status

path, log_path = Path(sys.argv[1]), sys.argv[2]
seed, fold_after, reopen_every = (int(a) for a in sys.argv[3:6])
readq.storage.FOLD_AFTER_RECORDS = fold_after
rng = random.Random(seed)
log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)


def record(entry):
    os.write(log, json.dumps(entry).encode() + b"\\n")


library = Library.open(path)
ids = sorted(library.papers)
print("ready", flush=True)
number = 0
while True:
    number += 1
    kind = rng.choice(["read", "unread", "priority", "note"])
    chosen = rng.sample(ids, rng.choice([1, 1, 1, 2, 3]))
    if kind in ("read", "unread"):
        value = kind
    elif kind == "priority":
        value = rng.randint(0, 3)
    else:
        chosen = chosen[:1]
        value = f"note {seed}/{number}" + ("\\nsecond line" if rng.random() < 0.3 else "")
    record({"op": number, "kind": kind, "ids": chosen, "value": value})
    if kind in ("read", "unread"):
        library.set_status(chosen, Status(kind))
    elif kind == "priority":
        library.set_priority(chosen, value)
    else:
        library.set_note(chosen[0], value)
    record({"done": number})
    if number % reopen_every == 0:
        library.close()
        library = Library.open(path)
"""

GIVEN = ["Mara", "Tobias", "Amélie", "Jörg", "Priya", "Kwame", "Łukasz", "Zoë", "Noor", "Yuki"]
FAMILY = ["Ellison", "Quint", "Durand", "Weiß", "Natarajan", "Mensah", "Böhmer", "Haddad"]
TOPICS = ["Sparse Routers", "Offline Agents", "Graph Transformers", "Memory Probes", "Fog"]

State = dict[int, tuple[str, int, str]]  # id -> (status, priority, notes)


@dataclass
class Outcomes:
    """What the kills hit, for the failure messages and the summary line."""

    imports_before: int = 0
    imports_after: int = 0
    actions_applied: list[int] = field(default_factory=list)
    temp_files_seen: int = 0
    torn_journals_seen: int = 0


def generated_listing(iteration: int, rng: random.Random) -> str:
    """The shared sample (already known) plus EXTRA_PAPERS papers new to the library."""
    parts = [(DATA / "listing-sample.txt").read_text(encoding="utf-8")]
    for k in range(EXTRA_PAPERS):
        authors = ", ".join(
            f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(rng.randint(1, 4))
        )
        more = " et al." if rng.random() < 0.3 else ""
        orgs = " · mila, cmu" if rng.random() < 0.3 else ""
        score = f"{rng.randint(0, 999) / 10}" if rng.random() < 0.5 else ""
        parts.append(
            f"{score}LGMar {1 + k % 28}, 2025{'Code' if k % 2 else ''}\n"
            f"{rng.choice(TOPICS)} in Run {iteration} Part {k} for crash "
            f"testing{authors}{more}{orgs}\n"
            f"We study crash {iteration}/{k} and report that everything survives. "
            + "Padding sentence with $x^2$ and [brackets]. " * rng.randint(1, 6)
            + "\n"
        )
    return "\n".join(parts)


def load_state(path: Path) -> tuple[State, dict[int, str]]:
    """(state, titles) of the library as a reader sees it, checking each paper."""
    with Library.open(path, writable=False) as library:
        state: State = {}
        titles: dict[int, str] = {}
        for paper in library:
            assert paper.status in (Status.READ, Status.UNREAD), paper
            assert (paper.read_at is not None) == (paper.status is Status.READ), paper
            assert 0 <= paper.priority <= 3, paper
            state[paper.id] = (paper.status.value, paper.priority, paper.notes)
            titles[paper.id] = paper.title
    return state, titles


def on_disk(path: Path) -> dict[str, bytes | None]:
    files = [path, path.with_name(path.name + ".journal")]
    return {f.name: f.read_bytes() if f.exists() else None for f in files}


def temp_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.tmp-*"))


def apply(state: State, entry: dict[str, object]) -> State:
    """The state after one logged action of the child."""
    new = dict(state)
    ids = entry["ids"]
    assert isinstance(ids, list)
    for paper_id in ids:
        status, priority, notes = new[paper_id]
        if entry["kind"] in ("read", "unread"):
            status = str(entry["kind"])
        elif entry["kind"] == "priority":
            priority = int(str(entry["value"]))
        else:
            notes = str(entry["value"])
        new[paper_id] = (status, priority, notes)
    return new


def read_log(log: Path) -> tuple[list[dict[str, object]], set[int]]:
    """The child's intents and the numbers of the actions it finished (whole lines only)."""
    intents: list[dict[str, object]] = []
    done: set[int] = set()
    data = log.read_bytes() if log.exists() else b""
    for line in data.split(b"\n")[:-1]:
        entry = json.loads(line)
        if "done" in entry:
            done.add(entry["done"])
        else:
            intents.append(entry)
    return intents, done


def kill_after(child: subprocess.Popen[bytes], delay: float) -> tuple[bytes, bytes]:
    time.sleep(delay)
    if child.poll() is None:
        child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    return out, err


def run_import(
    path: Path, tmp_path: Path, iteration: int, rng: random.Random, outcomes: Outcomes
) -> None:
    before, before_titles = load_state(path)
    listing = tmp_path / f"listing-{iteration}.txt"
    listing.write_text(generated_listing(iteration, rng), encoding="utf-8")
    known = set(before_titles.values())
    new_titles = [p.title for p in parse(listing.read_text(encoding="utf-8"), as_of=AS_OF).papers]
    new_titles = [t for t in new_titles if t not in known]
    assert len(new_titles) == EXTRA_PAPERS
    first_new = max(before, default=0) + 1

    child = subprocess.Popen(
        [*READQ, "--db", str(path), "import", str(listing), "--as-of", AS_OF.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # The delay counts from the start: a kill may land in start-up, parsing, the
    # open, the write, or after the import finished.
    _, err = kill_after(child, rng.uniform(0, MAX_KILL_DELAY))
    assert child.returncode in (0, -signal.SIGKILL), err.decode()
    assert b"Traceback" not in err, err.decode()

    after, after_titles = check_after_kill(path, outcomes)
    if set(after) == set(before):
        assert child.returncode != 0, "the import finished but wrote nothing"
        assert after_titles == before_titles
        outcomes.imports_before += 1
    else:
        new_ids = range(first_new, first_new + EXTRA_PAPERS)
        assert set(after) == set(before) | set(new_ids), "a partial import"
        assert [after_titles[i] for i in new_ids] == new_titles
        assert all(after[i] == ("unread", 0, "") for i in new_ids)
        outcomes.imports_after += 1
    assert {i: after[i] for i in before} == before, "an import changed the user's state"


def run_actions(
    path: Path, tmp_path: Path, iteration: int, rng: random.Random, outcomes: Outcomes
) -> None:
    before, before_titles = load_state(path)
    script = tmp_path / "action_child.py"
    if not script.exists():
        script.write_text(ACTION_CHILD, encoding="utf-8")
    log = tmp_path / f"actions-{iteration}.log"
    child_args = [str(rng.randrange(2**31)), str(CHILD_FOLD_AFTER), str(CHILD_REOPEN_EVERY)]
    child = subprocess.Popen(
        [sys.executable, str(script), str(path), str(log), *child_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    ready = child.stdout.readline()  # the delay counts from the open, not the start-up
    if ready != b"ready\n":
        child.kill()
        _, err = child.communicate(timeout=60)
        pytest.fail(f"the action child did not start: {ready!r} {err.decode()}")
    _, err = kill_after(child, rng.uniform(0, MAX_KILL_DELAY))
    assert child.returncode == -signal.SIGKILL, err.decode()

    after, after_titles = check_after_kill(path, outcomes)
    assert after_titles == before_titles

    intents, done = read_log(log)
    assert [e["op"] for e in intents] == list(range(1, len(intents) + 1))
    assert done >= set(range(1, len(intents))), "the child logged an action before the last"
    finished = before
    for entry in intents:
        if entry["op"] in done:
            finished = apply(finished, entry)
    allowed = [finished]
    if intents and intents[-1]["op"] not in done:
        allowed.append(apply(finished, intents[-1]))
    assert after in allowed, (
        f"iteration {iteration}: the library matches neither the {len(done)} finished "
        f"actions nor those plus the one in flight; differing papers: "
        f"{ {i: (after[i], finished[i]) for i in after if after[i] != finished[i]} }"
    )
    outcomes.actions_applied.append(len(done))


def check_after_kill(path: Path, outcomes: Outcomes) -> tuple[State, dict[int, str]]:
    """The common checks after a kill; returns the state a reader sees."""
    files = on_disk(path)
    state, titles = load_state(path)
    assert on_disk(path) == files, "a read-only open changed the library"

    outcomes.temp_files_seen += bool(temp_files(path))
    journal = path.with_name(path.name + ".journal")
    if journal.exists() and journal.read_bytes() and not journal.read_bytes().endswith(b"\n"):
        outcomes.torn_journals_seen += 1

    with Library.open(path) as library:  # writable: cleans up after the dead writer
        assert len(library) == len(state)
    assert temp_files(path) == []
    if journal.exists():
        data = journal.read_bytes()
        assert data == b"" or data.endswith(b"\n"), "a torn journal line was not cut"
    assert load_state(path) == (state, titles), "a writable open and close changed papers"
    return state, titles


def kill_loop(tmp_path: Path, iterations: int, seed: int) -> Outcomes:
    rng = random.Random(seed)
    path = tmp_path / "library.json"
    # A first import that nobody interrupts, so the action child has papers.
    setup = tmp_path / "listing-setup.txt"
    setup.write_text(generated_listing(-1, rng), encoding="utf-8")
    done = subprocess.run(
        [*READQ, "--db", str(path), "import", str(setup), "--as-of", AS_OF.isoformat()],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()

    outcomes = Outcomes()
    for iteration in range(iterations):
        if iteration % 2 == 0:
            run_import(path, tmp_path, iteration, rng, outcomes)
        else:
            run_actions(path, tmp_path, iteration, rng, outcomes)
        (tmp_path / f"listing-{iteration}.txt").unlink(missing_ok=True)
    return outcomes


def _summary(outcomes: Outcomes) -> str:
    return (
        f"imports killed before their write: {outcomes.imports_before}, after it: "
        f"{outcomes.imports_after}; actions finished per kill: {outcomes.actions_applied}; "
        f"kills that left temporary files: {outcomes.temp_files_seen}, torn journals: "
        f"{outcomes.torn_journals_seen}"
    )


def test_kill_nine_quick(tmp_path: Path) -> None:
    outcomes = kill_loop(tmp_path, iterations=8, seed=SEED)
    print(_summary(outcomes))


@pytest.mark.slow
def test_kill_nine_loop(tmp_path: Path) -> None:
    outcomes = kill_loop(tmp_path, iterations=150, seed=SEED + 1)
    print(_summary(outcomes))
    assert outcomes.imports_before + outcomes.imports_after == 75


# --- kills at chosen moments -------------------------------------------------------
#
# A random kill rarely lands inside the few milliseconds of a file write, so
# these tests make a child block at the exact point (it says "blocked" on
# stdout) and kill it there: half-way through writing the new library to its
# temporary file, after the temporary file is complete but before the rename,
# and half-way through appending a journal line.

BLOCKING_CHILD = """\
import os
import pathlib
import sys
import time

stage, argv = sys.argv[1], sys.argv[2:]


def block():
    print("blocked", flush=True)
    while True:
        time.sleep(60)


if stage == "before-rename":
    real_replace = pathlib.Path.replace

    def replace(self, target):
        # The library's own manifest, not a backup's copy of it.
        if self.name.startswith(".library.json.tmp-") and ".backups" not in str(self):
            block()
        return real_replace(self, target)

    pathlib.Path.replace = replace
else:
    marker = {
        "mid-write": ".library.json.tmp-",
        "segment": ".g1-",  # a segment being written (segments.py)
        "compaction": ".g2-000000.json.tmp-",  # the new base of a compaction
        "fold": ".g1-000017.json.tmp-",  # sixteen segments after the base folded into one
        "backup": ".library.json.tmp-",  # the manifest of a backup being made
    }.get(stage, ".journal")
    in_backups = stage == "backup"
    real_open, real_write, real_pwrite = os.open, os.write, os.pwrite
    watched = set()

    def open_(path, flags, *args, **kwargs):
        fd = real_open(path, flags, *args, **kwargs)
        # Only writes: a read's fd is closed unseen, and its number reused by other files.
        name = os.path.basename(os.fspath(path))
        # The journal itself, not a backup's copy of it; any temporary library file.
        ours = name.endswith(marker) if marker == ".journal" else marker in name
        # The library's own files, or (stage "backup") only a backup's.
        ours = ours and (".backups" in os.fspath(path)) == in_backups
        if ours and flags & (os.O_WRONLY | os.O_RDWR):
            watched.add(fd)
        return fd

    def write(fd, data):
        if fd in watched:
            real_write(fd, memoryview(data)[: max(1, len(data) // 2)])
            block()
        return real_write(fd, data)

    def pwrite(fd, data, offset):
        if fd in watched:
            real_pwrite(fd, memoryview(data)[: max(1, len(data) // 2)], offset)
            block()
        return real_pwrite(fd, data, offset)

    os.open, os.write, os.pwrite = open_, write, pwrite

from readq.cli import main

sys.exit(main(argv))
"""


def run_blocked(tmp_path: Path, stage: str, *args: str) -> None:
    script = tmp_path / "blocking_child.py"
    script.write_text(BLOCKING_CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), stage, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    _, err = child.communicate(timeout=60)
    assert line == b"blocked\n", err.decode()
    assert child.returncode == -signal.SIGKILL


@pytest.fixture
def small_library(imported_library: Path) -> Path:
    return imported_library


@pytest.mark.parametrize("stage", ["mid-write", "before-rename"])
def test_kill_inside_the_library_write(tmp_path: Path, small_library: Path, stage: str) -> None:
    path = small_library
    before = load_state(path)
    listing = tmp_path / "listing.txt"
    listing.write_text(generated_listing(1, random.Random(SEED)), encoding="utf-8")
    import_args = ["--db", str(path), "import", str(listing), "--as-of", AS_OF.isoformat()]

    run_blocked(tmp_path, stage, *import_args)
    (temp,) = temp_files(path)  # the dead writer's half-done work
    assert temp.stat().st_size > 0
    assert load_state(path) == before  # readers see the old library, whole

    with Library.open(path) as library:
        assert len(library) == 12
    assert temp_files(path) == []
    assert load_state(path) == before

    done = subprocess.run([*READQ, *import_args], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    state, _ = load_state(path)
    assert set(state) == set(range(1, 13 + EXTRA_PAPERS))
    assert state[3] == ("unread", 2, "")


def test_kill_inside_a_journal_append(tmp_path: Path, small_library: Path) -> None:
    path = small_library
    journal = path.with_name(path.name + ".journal")
    before = load_state(path)
    complete = journal.read_bytes()

    run_blocked(tmp_path, "journal", "--db", str(path), "note", "1", "--set", "in flight")
    torn = journal.read_bytes()
    actions = complete.removesuffix(b"}}\n")  # the line was written over the closing
    assert torn.startswith(actions) and len(torn) > len(actions)
    assert not torn.endswith(b"\n")
    assert load_state(path) == before  # the torn action is not there, the rest is

    with Library.open(path) as library:  # a writer cuts the torn line...
        library.set_status([2], Status.READ)  # ...so this record starts on a fresh line
    assert journal.read_bytes().startswith(actions)
    TinyDB(journal, access_mode="r").close()  # and TinyDB reads it again
    assert b"in flight" not in journal.read_bytes()
    state, _ = load_state(path)
    assert state[1] == ("unread", 0, "")
    assert state[2] == ("read", 0, "")
    assert state[3] == ("unread", 2, "")
