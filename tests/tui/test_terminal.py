"""The TUI as a real process on a pseudo-terminal: signals and the bytes it writes."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from readq.cli import main
from readq.library import Library
from readq.model import Status

from ..conftest import DATA
from .terminal import Terminal, wait_until_file_contains

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGTERM"), reason="needs a POSIX pseudo-terminal"
)

HOSTILE_LISTING = (
    "CLMar 3, 2025\n"
    "Title \x1b]0;PWNED\x07with \x1b]52;c;SEVMTE8=\x07escapes\x1b[6n\x9b2J\x1bP+q6b64\x1b\\"
    "Ada Lovelace\n"
    "Abstract with \x1b[31mred\x1b[0m text and \u202eoverride.\n"
)


@pytest.fixture
def library(library_file: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["import", str(DATA / "listing-sample.txt"), "--as-of", "2026-11-29"]) == 0
    capsys.readouterr()
    return library_file


def test_sigterm_loses_nothing(library: Path) -> None:
    terminal = Terminal("--db", str(library))
    try:
        terminal.wait_for(b"unread")
        # Mark the first paper read, open the note and type, all in one burst.
        terminal.type(" nhalf-written thought")
        wait_until_file_contains(library.with_name("library.json.drafts"), "half-written thought")
        terminal.process.send_signal(signal.SIGTERM)
        terminal.process.wait(timeout=30)
    finally:
        terminal.close()
    reopened = Library.open(library)  # the lock is free again
    assert sum(p.status is Status.READ for p in reopened) == 1
    assert "half-written thought" in library.with_name("library.json.drafts").read_text()


def test_no_imported_escape_sequence_reaches_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE_LISTING, encoding="utf-8")
    only_hostile = tmp_path / "hostile-library.json"
    assert main(["--db", str(only_hostile), "import", str(hostile)]) == 0
    terminal = Terminal("--db", str(only_hostile))
    try:
        terminal.wait_for(b"Title with escapes")  # the detail pane shows the whole title
        terminal.type("n")  # the note editor's title shows it too
        terminal.wait_for(b"ctrl+s")
        output = terminal.output
    finally:
        terminal.close()
    forbidden = [b"PWNED", b"]52;", b"SEVMTE8", b"\x1b[6n", b"\xc2\x9b", b"\x1bP+q"]
    forbidden.append("\u202e".encode())
    assert [f for f in forbidden if f in output] == []


def test_keys_typed_in_one_burst_after_slash_go_to_the_search(library: Path) -> None:
    terminal = Terminal("--db", str(library))
    try:
        terminal.wait_for(b"unread")
        terminal.type("/fog/nerf")  # as a paste or tmux send-keys delivers it: one read
        terminal.wait_for(b'search: "fog/nerf"')
    finally:
        terminal.close()


def test_a_burst_that_opens_a_dialog_and_ends_in_enter_lands_whole(library: Path) -> None:
    terminal = Terminal("--db", str(library))
    try:
        terminal.wait_for(b"unread")
        terminal.type("tml\r")  # tags for the current paper, typed and confirmed at once
        wait_until_file_contains(library.with_name("library.json.journal"), '"tags":["ml"]')
    finally:
        terminal.close()
    assert any(p.tags == ["ml"] for p in Library.open(library))
