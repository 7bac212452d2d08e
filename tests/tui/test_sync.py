"""Syncing from the app: on start, with Y (and :sync), and on quit; the merge
passes the import's gate and the list keeps its cursor."""

from __future__ import annotations

from pathlib import Path

from readq.config import Settings
from readq.importers.listing import parse
from readq.library import Library
from readq.sync import files, machine
from readq.sync.run import sync_library
from readq.tui import launch
from readq.tui.app import ReadqApp

from ..conftest import AS_OF, DATA
from .conftest import on_disk

SIZE = (120, 30)


def _other_machine(tmp_path: Path, folder: Path) -> Library:
    """Another machine's library with the sample listing, one paper tagged, synced."""
    other = Library.open(tmp_path / "desktop" / "library.json")
    machine.rename(other.path, "desktop")
    text = (DATA / "listing-sample.txt").read_text(encoding="utf-8")
    other.add_many(parse(text, as_of=AS_OF).papers)
    other.change_tags([2], add=["from-desktop"])
    other.set_note(3, "the desktop's note")
    sync_library(other, folder)
    return other


async def test_the_app_syncs_as_it_starts(sample_library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir(exist_ok=True)
    _other_machine(tmp_path, folder).close()
    app = ReadqApp(sample_library, settings=Settings(sync_dir=folder))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        library = on_disk(app)
        assert any(p.tags == ["from-desktop"] for p in library)
        assert any(p.notes == "the desktop's note" for p in library)
        assert len(library) == len(sample_library)  # one listing on both: not doubled
        assert any("merged desktop" in str(n.message) for n in app._notifications)
        assert (folder / files.own_name(machine.this_machine(app.library.path))).exists()


async def test_y_syncs_this_machines_changes_out(sample_library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir(exist_ok=True)
    app = ReadqApp(sample_library, settings=Settings(sync_dir=folder))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("3", "Y")  # priority 3 on the first paper, then sync
        await app.workers.wait_for_complete()
        await pilot.pause()
        chosen = app.browse.current
        assert chosen is not None
    other = _other_machine(tmp_path, folder)
    sync_library(other, folder)
    assert any(p.priority == 3 and p.title == chosen.title for p in other)


async def test_without_a_sync_folder_y_says_how_to_set_one(sample_library: Library) -> None:
    app = ReadqApp(sample_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("Y")
        await pilot.pause()
        assert any("sync_dir" in str(n.message) for n in app._notifications)


def test_quitting_syncs_and_says_one_line_when_it_cannot(
    sample_library: Library, tmp_path: Path, capsys: object
) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir(exist_ok=True)
    sample_library.set_priority([4], 2)
    launch._sync_on_quit(sample_library, folder)
    assert (folder / files.own_name(machine.this_machine(sample_library.path))).exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    launch._sync_on_quit(sample_library, blocked)
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert err.startswith("readq: could not sync on quit") and len(err.splitlines()) == 1


async def test_a_tag_box_open_while_a_sync_merged_keeps_the_merged_tag(
    sample_library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir(exist_ok=True)
    other = _other_machine(tmp_path, folder)  # tags paper 2 "from-desktop"
    other.close()
    app = ReadqApp(sample_library)
    async with app.run_test(size=SIZE) as pilot:
        paper = next(p for p in app.library if p.title == sample_library.get(2).title)
        assert app.browse.go_to_paper(paper.id)
        app.main.show()
        await pilot.press("t")  # the box opens on no tags
        await pilot.pause()
        sync_library(app.library, folder)  # meanwhile a sync brings "from-desktop"
        await pilot.press(*"mine", "enter")
        await pilot.pause()
        assert set(on_disk(app).get(paper.id).tags) == {"from-desktop", "mine"}
