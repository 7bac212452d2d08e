"""Damaged or odd files beside the library never lose data and never crash (issue 12).

The rule for every file readq cannot trust: it is reported in one line (the CLI:
``readq: ...`` and exit code 2), kept byte for byte, never written over and never
skipped in silence; a permission problem says so and changes nothing.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from readq import backups
from readq.drafts import Drafts
from readq.errors import LibraryDamaged, LibraryUnreadable, NotSaved, ReadqError
from readq.library import Library
from readq.model import Status

from ..conftest import DATA, as_one_file, run

SAMPLE = str(DATA / "listing-sample.txt")
HARD = str(DATA / "listing-hard.txt")
AS_OF = "2026-11-29"


@pytest.fixture
def library(library_file: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The sample's 12 papers, ids 1 to 12, in a closed library of one file (the
    layout before segments, which readq still reads), to damage by hand."""
    assert run(capsys, "import", SAMPLE, "--as-of", AS_OF)[0] == 0
    return as_one_file(library_file)


def _one_line_refusal(result: tuple[int, str, str]) -> str:
    code, _, err = result
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.startswith("readq: ")
    return err


def _edit_meta(path: Path, **values: Any) -> None:
    """Change the meta document on the first line of a line-layout library file."""
    first, rest = path.read_bytes().split(b"\n", 1)
    meta = orjson.loads(first[len(b'{"meta":{"1":') : -len(b'},"papers":{')])
    meta.update(values)
    path.write_bytes(b'{"meta":{"1":' + orjson.dumps(meta) + b'},"papers":{\n' + rest)


def _moved_aside(library_file: Path) -> Path:
    (moved,) = library_file.parent.glob(f"{library_file.name}.corrupt-*")
    return moved


def _refused_and_kept(library_file: Path, capsys: pytest.CaptureFixture[str], match: str) -> None:
    """Readers and writers refuse the file in one line; the writer keeps it aside whole."""
    content = library_file.read_bytes()
    assert match in _one_line_refusal(run(capsys, "list"))
    assert library_file.read_bytes() == content  # a reader moves nothing
    err = _one_line_refusal(run(capsys, "import", HARD, "--as-of", AS_OF))
    assert match in err and "moved aside" in err
    assert _moved_aside(library_file).read_bytes() == content


# --- next_id ------------------------------------------------------------------------


@pytest.mark.parametrize("next_id", [2, 12, 0, -5, 2**62, 10**23])
def test_a_next_id_that_would_reuse_or_break_ids_is_damage(
    library: Path, capsys: pytest.CaptureFixture[str], next_id: int
) -> None:
    if next_id >= 2**63:  # beyond what orjson writes: edit the bytes by hand
        _edit_meta(library, next_id=7777)
        library.write_bytes(library.read_bytes().replace(b"7777", str(next_id).encode(), 1))
    else:
        _edit_meta(library, next_id=next_id)
    _refused_and_kept(library, capsys, "damaged")


def test_a_paper_id_of_zero_is_damage(library: Path) -> None:
    library.write_bytes(library.read_bytes().replace(b'\n"1":', b'\n"0":', 1))
    with pytest.raises(LibraryDamaged, match="paper id 0"):
        Library.open(library, writable=False)


# --- a paper id twice -------------------------------------------------------------------


def test_a_paper_id_twice_is_damage_and_no_backup_goes_without_it(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = library.read_bytes().split(b"\n")
    lines.insert(2, lines[1].replace(b'"1":', b'"2":', 1))  # paper 1's line as paper 2
    library.write_bytes(b"\n".join(lines))
    with pytest.raises(LibraryDamaged, match="paper 2 appears twice"):
        Library.open(library, writable=False)
    _refused_and_kept(library, capsys, "paper 2 appears twice")
    assert not list(backups.folder(library).glob("*before-import*"))


def test_a_paper_id_twice_in_a_file_read_whole_is_damage(library_file: Path) -> None:
    meta = b'{"1": {"schema_version": 2, "seq": 0, "next_id": 3}}'
    paper = b'{"title": "T", "authors": []}'
    library_file.write_bytes(
        b'{"meta": ' + meta + b', "papers": {"1": ' + paper + b', "1": ' + paper + b"}}"
    )
    with pytest.raises(LibraryDamaged, match="paper 1 appears twice"):
        Library.open(library_file, writable=False)


def test_a_library_read_whole_without_repeats_still_opens(library_file: Path) -> None:
    # A title that looks like a paper key must not be counted as one.
    record = {"title": 'x,"5":{y', "authors": [], "notes": '{"7":{}'}
    meta = {"1": {"schema_version": 2, "seq": 0, "next_id": 2}}
    library_file.write_bytes(orjson.dumps({"meta": meta, "papers": {"1": record}}))
    assert Library.open(library_file, writable=False).get(1).title == 'x,"5":{y'


# --- schema version -------------------------------------------------------------------------


@pytest.mark.parametrize("version", [0, -1])
def test_a_schema_version_no_readq_wrote_is_damage(
    library: Path, capsys: pytest.CaptureFixture[str], version: int
) -> None:
    _edit_meta(library, schema_version=version)
    _refused_and_kept(library, capsys, f"schema version {version}")


# --- stray files in the backups folder -------------------------------------------------------


def test_a_stray_file_among_the_backups_is_named_and_left_alone(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "backup")[0] == 0
    folder = backups.folder(library)
    strays = [folder / "99999999T999999999999Z-daily.json", folder / "notes.txt"]
    for stray in strays:
        stray.write_bytes(b"mine")
    assert run(capsys, "mark", "1", "read")[0] == 0
    code, out, err = run(capsys, "restore", "--list")
    assert code == 0 and len(out.splitlines()) == len(backups.existing(library)) == 2
    assert all(f"readq: {stray.name} is not a readq backup" in err for stray in strays)
    with Library.open(library, keep_backups=1) as opened:
        opened.backup()  # the rotation drops older backups, never the strays
        opened.backup_if_due()
    assert all(stray.read_bytes() == b"mine" for stray in strays)
    assert run(capsys, "restore", "--latest")[0] == 0


# --- a damaged journal ------------------------------------------------------------------------


def _journal(library_file: Path) -> Path:
    return library_file.with_name(library_file.name + ".journal")


def _marked(library_file: Path, capsys: pytest.CaptureFixture[str], *ids: int) -> None:
    for paper_id in ids:
        assert run(capsys, "mark", str(paper_id), "read")[0] == 0


def _read_ids(library_file: Path) -> set[int]:
    opened = Library.open(library_file, writable=False)
    return {paper.id for paper in opened if paper.status is Status.READ}


def _flip_a_byte_in_action_2(journal: Path) -> None:
    data = bytearray(journal.read_bytes())  # line 1 opens the TinyDB document
    data[data.index(b"\n", data.index(b"\n") + 1) + 5] = 0xFF
    journal.write_bytes(bytes(data))


def _zero_fill(journal: Path) -> None:
    journal.write_bytes(bytes(journal.stat().st_size))


@pytest.mark.parametrize(
    ("damage", "readable"), [(_flip_a_byte_in_action_2, {1, 3}), (_zero_fill, set())]
)
def test_a_damaged_journal_is_copied_aside_and_never_dropped_in_silence(
    library: Path,
    capsys: pytest.CaptureFixture[str],
    damage: Callable[[Path], None],
    readable: set[int],
) -> None:
    journal = _journal(library)
    _marked(library, capsys, 1, 2, 3)
    damage(journal)
    damaged = journal.read_bytes()

    code, _, err = run(capsys, "list", "--status", "read")  # readers still read, and say so
    (notice,) = [line for line in err.splitlines() if line.startswith("readq: ")]
    assert code == 0 and "journal" in notice and "damaged" in notice
    assert _read_ids(library) == readable

    # The first writer keeps a copy and refuses: nothing of the journal is lost yet.
    err = _one_line_refusal(run(capsys, "mark", "4", "read"))
    assert "damaged" in err and "run readq again" in err
    (copy,) = library.parent.glob("library.json.journal.corrupt-*")
    assert copy.read_bytes() == damaged and journal.read_bytes() == damaged

    # The next one, told already, goes on with what the journal still holds.
    code, _, err = run(capsys, "mark", "4", "read")
    assert code == 0 and copy.name in err and len(err.splitlines()) == 1
    assert _read_ids(library) == readable | {4}
    assert copy.read_bytes() == damaged
    assert b"\xff" not in journal.read_bytes() and b"\0" not in journal.read_bytes()
    assert run(capsys, "mark", "5", "read")[2] == ""  # and the damage is behind it


def test_a_torn_last_journal_line_is_still_an_action_in_flight(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _marked(library, capsys, 1)
    journal = _journal(library)  # half a line written over the closing "}}"
    journal.write_bytes(journal.read_bytes().removesuffix(b"}}\n") + b',"2":{"seq":2,"ops":[[2')
    code, _, err = run(capsys, "mark", "3", "read")
    assert (code, err) == (0, "")
    assert _read_ids(library) == {1, 3}
    assert not list(library.parent.glob("library.json.journal.corrupt-*"))


# --- a damaged drafts file ---------------------------------------------------------------------


def _drafts_file(library_file: Path) -> Path:
    return library_file.with_name(library_file.name + ".drafts")


@pytest.mark.parametrize("content", [b'{"3": "half a dra', b'["x"]', b'{"3": 7}'])
def test_a_damaged_drafts_file_is_moved_aside_with_a_notice(library: Path, content: bytes) -> None:
    _drafts_file(library).write_bytes(content)
    with Library.open(library) as opened:
        assert any("drafts" in notice for notice in opened.notices)
        drafts = Drafts(library)  # what the app makes once the library is open
        drafts.save(3, "a new draft")
    (moved,) = library.parent.glob("library.json.drafts.corrupt-*")
    assert moved.read_bytes() == content
    assert Drafts(library).get(3) == "a new draft"


def test_drafts_never_write_over_a_damaged_file(library: Path) -> None:
    _drafts_file(library).write_bytes(b"\x00garbage")
    drafts = Drafts(library)  # before any writer looked at it
    drafts.save(3, "first keystroke")
    (moved,) = library.parent.glob("library.json.drafts.corrupt-*")
    assert moved.read_bytes() == b"\x00garbage"


def test_drafts_never_write_over_a_file_they_could_not_read(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _drafts_file(library)
    path.write_bytes(b'{"3": "precious"}')
    with monkeypatch.context() as patch:
        _refuse_reading(patch, path)
        drafts = Drafts(library)
        with pytest.raises(PermissionError):
            drafts.save(3, "first keystroke")
        with Library.open(library) as opened:  # the writer says so, and moves nothing
            assert any("cannot read the drafts" in notice for notice in opened.notices)
    assert path.read_bytes() == b'{"3": "precious"}'


# --- symbolic links ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".lock", ".journal"])
def test_a_lock_or_journal_that_is_a_symbolic_link_is_refused(
    library: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    target = library.parent / "elsewhere.txt"
    target.write_bytes(b"precious\n")
    link = library.with_name(library.name + suffix)
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    before = library.read_bytes()
    err = _one_line_refusal(run(capsys, "mark", "1", "read"))
    assert "symbolic link" in err
    assert target.read_bytes() == b"precious\n" and library.read_bytes() == before
    assert link.is_symlink()


def test_a_library_that_is_a_symbolic_link_stays_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "synced" / "real.json"
    target.parent.mkdir()
    link = tmp_path / "library.json"
    link.symlink_to(target)
    assert run(capsys, "import", SAMPLE, "--as-of", AS_OF)[0] == 0
    assert run(capsys, "import", HARD, "--as-of", AS_OF)[0] == 0
    assert link.is_symlink() and target.is_file()
    assert len(Library.open(target, writable=False)) == 52
    assert not list(target.parent.glob(".*tmp-*"))


# --- permissions -------------------------------------------------------------------------------


def _refuse_reading(monkeypatch: pytest.MonkeyPatch, refused: Path) -> None:
    """Reading ``refused`` fails as a file without read permission does (even for root)."""
    real_open = Path.open

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == refused:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)


def test_an_unreadable_library_is_left_where_it_is(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = library.read_bytes()
    with monkeypatch.context() as patch:
        _refuse_reading(patch, library)
        with pytest.raises(LibraryUnreadable, match="Permission denied"):
            Library.open(library)
        err = _one_line_refusal(run(capsys, "import", HARD, "--as-of", AS_OF))
        assert "Permission denied" in err and "nothing was changed" in err
    assert library.read_bytes() == before
    assert not list(library.parent.glob("library.json.corrupt-*"))
    assert len(Library.open(library, writable=False)) == 12  # the next import finds it


def test_a_library_without_read_permission_is_left_where_it_is(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = library.read_bytes()
    library.chmod(0)
    try:
        result = run(capsys, "import", HARD, "--as-of", AS_OF)
    finally:
        library.chmod(0o600)
    if os.geteuid() == 0:
        pytest.skip("root reads files without read permission; the monkeypatched test covers it")
    assert "Permission denied" in _one_line_refusal(result)
    assert library.read_bytes() == before
    assert not list(library.parent.glob("library.json.corrupt-*"))


# --- a full disk -------------------------------------------------------------------------------


def _fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write of data and every new file fails as on a full disk (ENOSPC)."""
    real_open, real_write = os.open, os.write

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and not Path(path).exists():
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, flags, *args, **kwargs)

    def write(fd: int, data: Any) -> int:
        if fd > 2:  # the terminal still takes what readq prints
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "write", write)


def test_on_a_full_disk_reading_works_and_writes_are_one_line(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Library.open(library).close()  # the lock file and today's backup exist, as any day
    before = library.read_bytes()
    _fill_the_disk(monkeypatch)
    code, out, err = run(capsys, "list")
    assert code == 0 and len(out.splitlines()) == 12 and err == ""
    err = _one_line_refusal(run(capsys, "mark", "1", "read"))
    assert "No space left" in err

    # The app's start: the lock first, then the whole library, then a key.
    lock = Library.take_writer_lock(library)
    try:
        opened = Library.open(library, lock=lock, daily_backup=False)
        assert len(opened) == 12
        with pytest.raises(NotSaved, match="No space left"):
            opened.set_status([1], Status.READ)
        opened.close(save_first_page=True)
    finally:
        lock.release()
    assert library.read_bytes() == before


# --- temporary files left by a killed writer ---------------------------------------------------


def test_a_killed_writers_temporary_backups_go_at_the_next_writers_open(library: Path) -> None:
    with Library.open(library) as opened:
        opened.backup()
    folder = backups.folder(library)
    left = folder / ".20261129T093000123456Z-daily.json.tmp-4242-0badcafe"
    mine = [folder / ".hidden.tmp-notes", folder / "keep.tmp-1-ab"]
    for path in [left, *mine]:
        path.write_bytes(b"half a backup")
    Library.open(library, writable=False)
    assert left.exists()  # readers touch nothing
    Library.open(library, daily_backup=False).close()
    assert not left.exists()
    assert all(path.exists() for path in mine)


def test_the_next_writer_is_not_refused_for_a_read_only_open(library: Path) -> None:
    with pytest.raises(ReadqError, match="read-only"):
        Library.open(library, writable=False).set_status([1], Status.READ)
