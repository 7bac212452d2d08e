"""Random histories on three libraries that sync through one folder, with skewed
clocks: whatever was done and in whatever order they synced, after everyone
has synced twice round they hold the same papers in the same state."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readq import hlc
from readq.importers.listing import parse
from readq.library import Library
from readq.sync.run import sync_library

from ..conftest import AS_OF, DATA

SKEWS = (0, -3_600_000, 5_400_000)  # milliseconds: an hour behind, an hour and a half ahead
LISTING = parse((DATA / "listing-sample.txt").read_text(encoding="utf-8"), as_of=AS_OF).papers

ops = st.one_of(
    st.tuples(st.just("tag"), st.integers(0, 11), st.sampled_from(["moe", "rl", "x"])),
    st.tuples(st.just("untag"), st.integers(0, 11), st.sampled_from(["moe", "rl", "x"])),
    st.tuples(st.just("priority"), st.integers(0, 11), st.integers(0, 3)),
    st.tuples(st.just("read"), st.integers(0, 11), st.booleans()),
    st.tuples(st.just("note"), st.integers(0, 11), st.sampled_from(["a", "b", ""])),
    st.tuples(st.just("delete"), st.integers(0, 11), st.booleans()),
    st.tuples(st.just("import"), st.integers(0, 11), st.integers(1, 4)),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("do"), st.integers(0, 2), ops),
        st.tuples(st.just("sync"), st.integers(0, 2), st.none()),
    ),
    max_size=14,
)


def _apply(library: Library, op: tuple[str, int, Any]) -> None:
    what, index, value = op
    title = LISTING[index].title
    if what == "import":
        library.add_many(LISTING[index : index + value])
        return
    found = [p for p in [*library.papers.values(), *library.deleted.values()] if p.title == title]
    if not found:
        return
    paper = found[0]
    if what == "delete":
        if value and paper.deleted_at is None:
            library.delete([paper.id])
        elif not value and paper.deleted_at is not None:
            library.undelete([paper.id])
        return
    if paper.deleted_at is not None:
        return
    if what == "tag":
        library.change_tags([paper.id], add=[value])
    elif what == "untag":
        library.change_tags([paper.id], remove=[value])
    elif what == "priority":
        library.set_priority([paper.id], value)
    elif what == "read":
        library.set_status([paper.id], "read" if value else "unread")  # type: ignore[arg-type]
    else:
        library.set_note(paper.id, value)


def _state(library: Library) -> list[tuple[Any, ...]]:
    papers = [*library.papers.values(), *library.deleted.values()]
    return sorted(
        (p.title, p.status.value, p.priority, tuple(p.tags), p.deleted_at is None,
         tuple(v["stamp"] for v in p.note_versions), p.read_at)
        for p in papers
    )  # fmt: skip


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=steps)
def test_three_synced_libraries_end_equal(
    history: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = hlc.wall_clock_ms
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        folder = root / "Sync"
        folder.mkdir()
        libraries = [Library.open(root / f"m{n}" / "library.json") for n in range(3)]

        def on(machine: int) -> Library:
            monkeypatch.setattr(hlc, "wall_clock_ms", lambda: real() + SKEWS[machine])
            return libraries[machine]

        libraries[0].add_many(LISTING[:6])  # a start the others learn by syncing
        for step in history:
            if step[0] == "do":
                _apply(on(step[1]), step[2])
            else:
                sync_library(on(step[1]), folder)
        for machine in itertools.chain(range(3), range(3)):
            sync_library(on(machine), folder)
        states = [_state(library) for library in libraries]
        for library in libraries:
            library.close()
        assert states[0] == states[1] == states[2]
        titles = [title for title, *_ in states[0]]
        assert len(titles) == len(set(titles))  # one paper imported twice is one paper
