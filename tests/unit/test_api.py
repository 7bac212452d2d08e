"""The scripting API: readq.open_library, readq.select, readq.View."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import readq
from readq.errors import ReadqError
from readq.importers.listing import parse

from ..conftest import AS_OF


@pytest.fixture
def seeded(library_file: Path, sample_text: str) -> Path:
    with readq.open_library(library_file, writable=True) as library:
        library.add_many(parse(sample_text, as_of=AS_OF).papers)
    return library_file


def test_query_change_close(seeded: Path) -> None:
    with readq.open_library(seeded) as library:
        unread = readq.select(library, readq.View(status="unread"))
    assert unread
    first = unread[0].id
    with readq.open_library(seeded, writable=True) as library:
        library.set_status([first], readq.Status.READ)
    with readq.open_library(seeded) as library:  # a new reader sees the change
        assert library.get(first).status is readq.Status.READ
        assert first not in [p.id for p in readq.select(library, readq.View(status="unread"))]


def test_a_folder_means_the_library_inside_it(seeded: Path) -> None:
    with readq.open_library(seeded.parent) as library:
        assert library.path == seeded


def test_a_reader_never_writes_and_a_second_writer_is_refused(seeded: Path) -> None:
    before = seeded.read_bytes()
    with readq.open_library(seeded) as library, pytest.raises(ReadqError):
        library.set_status([1], readq.Status.READ)
    assert seeded.read_bytes() == before
    with readq.open_library(seeded, writable=True), pytest.raises(ReadqError):
        readq.open_library(seeded, writable=True)


def test_importing_readq_stays_cheap() -> None:
    code = "import sys, readq; print(sorted(m for m in sys.modules if m.startswith('readq')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['readq']"
    assert readq.__getattr__("View") is readq.View
    with pytest.raises(AttributeError):
        readq.__getattr__("nothing")
