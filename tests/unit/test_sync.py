"""`readq sync`: libraries on two and three machines sharing one sync folder.

Each machine is its own library (its own machine file beside it) and its own
clock, which a test may set far off; edits on each, synced in different
orders, end with the same papers and every change.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from readq import hlc
from readq.library import Library
from readq.sync import files

from ..conftest import DATA, run

Runner = Callable[..., tuple[int, str, str]]
USER = ("title", "status", "priority", "tags", "notes")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "Sync" / "readq"
    made.mkdir(parents=True)
    return made


@pytest.fixture
def machines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Runner]:
    """``machines["laptop"]("tag", "2", "+x")`` runs readq as that machine: its own
    library, its clock skewed as ``skew[name]`` says (milliseconds)."""
    real = hlc.wall_clock_ms
    skew = {"laptop": 0, "desktop": -3_600_000, "server": 7_200_000}  # an hour behind, two ahead

    def machine(name: str) -> Runner:
        def readq(*argv: str) -> tuple[int, str, str]:
            monkeypatch.setattr(hlc, "wall_clock_ms", lambda: real() + skew[name])
            command, *rest = argv
            return run(capsys, command, "--db", str(tmp_path / name / "library.json"), *rest)

        return readq

    runners = {name: machine(name) for name in skew}
    for name, readq in runners.items():
        assert readq("sync", "--name", name)[0] == 0
    return runners


def papers(readq: Runner) -> list[dict[str, Any]]:
    code, out, _ = readq("list", "--json", "--sort", "title")
    assert code == 0
    return [{name: paper[name] for name in USER} for paper in json.loads(out)]


def sync(readq: Runner, folder: Path) -> str:
    code, out, err = readq("sync", str(folder))
    assert code == 0, err
    return out


def imported(readq: Runner) -> None:
    """The sample listing imported on that machine."""
    assert readq("import", str(DATA / "listing-sample.txt"), "--as-of", "2026-11-29")[0] == 0


def shared_start(first: Runner, second: Runner, folder: Path) -> None:
    """The listing imported on ``first`` and synced into ``second``."""
    imported(first)
    sync(first, folder)
    sync(second, folder)


def conflicted_note(machines: dict[str, Runner], folder: Path) -> tuple[Runner, Runner]:
    """Paper 3's note set on the laptop and on the desktop, neither having seen
    the other's, then synced both ways."""
    laptop, desktop = machines["laptop"], machines["desktop"]
    shared_start(laptop, desktop, folder)
    laptop("note", "3", "--set", "laptop idea")
    desktop("note", "3", "--set", "desktop idea")
    sync_all(machines, folder, ["laptop", "desktop"])
    return laptop, desktop


def sync_all(machines: dict[str, Runner], folder: Path, order: list[str]) -> None:
    for name in order + order:  # twice round: everyone has read everyone
        sync(machines[name], folder)


def test_tags_from_two_machines_are_all_kept(machines: dict[str, Runner], folder: Path) -> None:
    laptop, desktop = machines["laptop"], machines["desktop"]
    listing = str(DATA / "listing-sample.txt")
    for readq in (laptop, desktop):
        assert readq("import", listing, "--as-of", "2026-11-29")[0] == 0
    laptop("tag", "2", "+moe", "+nvidia", "+to-read")
    desktop("tag", "2", "+from-laptop")
    sync_all(machines, folder, ["laptop", "desktop"])
    for readq in (laptop, desktop):
        listed = papers(readq)
        assert len(listed) == 12  # one listing imported on both is not doubled
        tagged = [p for p in listed if "moe" in p["tags"]]
        assert set(tagged[0]["tags"]) == {"moe", "nvidia", "to-read", "from-laptop"}
    assert papers(laptop) == papers(desktop)


def test_three_machines_in_any_order_end_equal_with_every_change(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, desktop, server = machines["laptop"], machines["desktop"], machines["server"]
    shared_start(laptop, desktop, folder)
    sync(server, folder)
    assert len(papers(server)) == 12  # they arrived from the laptop's file
    laptop("mark", "1", "read")
    desktop("priority", "2", "3")
    server("tag", "3", "+survey")
    desktop("delete", "4")
    server("note", "5", "--set", "from the server")
    sync_all(machines, folder, ["server", "laptop", "desktop"])
    result = papers(laptop)
    assert result == papers(desktop) == papers(server)
    by_id = {p["title"]: p for p in result}
    assert len(result) == 11  # the deleted one, deleted everywhere
    assert any(p["status"] == "read" for p in by_id.values())
    assert any(p["priority"] == 3 for p in by_id.values())
    assert any(p["tags"] == ["survey"] for p in by_id.values())
    assert any(p["notes"] == "from the server" for p in by_id.values())


def test_a_change_made_after_seeing_another_wins_with_a_clock_an_hour_behind(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, desktop = machines["laptop"], machines["desktop"]
    imported(laptop)
    laptop("tag", "1", "+moe")
    laptop("priority", "1", "2")
    sync(laptop, folder)
    sync(desktop, folder)
    desktop("tag", "1", "-moe")  # the desktop's clock says this was an hour earlier
    desktop("priority", "1", "0")
    sync(desktop, folder)
    sync(laptop, folder)
    mine = next(p for p in papers(laptop) if p["title"] == _title(desktop, 1))
    assert mine["tags"] == [] and mine["priority"] == 0


def _title(readq: Runner, paper_id: int) -> str:
    _code, out, _ = readq("list", "--json")
    return next(p["title"] for p in json.loads(out) if p["id"] == paper_id)


def test_notes_changed_on_both_sides_name_each_side_from_where_they_are_read(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, desktop = conflicted_note(machines, folder)
    here = laptop("show", "3")[1]
    there = desktop("show", "3")[1]
    assert "this machine" in here and "the machine called desktop" in here
    assert "this machine" in there and "the machine called laptop" in there
    for shown in (here, there):
        assert "laptop idea" in shown and "desktop idea" in shown
    # In one order on both: by their stamps (the desktop's clock is an hour behind).
    assert here.index("desktop idea") < here.index("laptop idea")
    assert there.index("desktop idea") < there.index("laptop idea")
    laptop("note", "3", "--set", "one idea")  # edited after seeing both: one text again
    sync_all(machines, folder, ["laptop", "desktop"])
    assert "one idea" in desktop("show", "3")[1]
    assert "desktop idea" not in desktop("show", "3")[1]


def test_a_paper_changed_after_it_was_deleted_elsewhere_comes_back(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, server = machines["laptop"], machines["server"]
    shared_start(laptop, server, folder)
    laptop("delete", "5")
    sync(laptop, folder)
    sync(server, folder)
    assert len(papers(server)) == 11  # the tombstone travelled
    laptop("undelete", "5")
    laptop("priority", "5", "3")  # after the deletion on the laptop's clock
    server("delete", "6")
    sync_all(machines, folder, ["laptop", "server"])
    assert papers(laptop) == papers(server)
    assert len(papers(laptop)) == 11
    assert any(p["priority"] == 3 for p in papers(server))


def test_conflict_copies_a_sync_tool_made_are_merged_too(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, desktop = machines["laptop"], machines["desktop"]
    imported(desktop)
    desktop("tag", "7", "+only-in-the-copy")
    sync(desktop, folder)
    (own,) = folder.glob("readq-*.base.json")
    for copy_name in (
        own.name.replace(".json", ".sync-conflict-20261202-101500-ABCDEFG.json"),
        own.name.replace(".json", " (1).json"),
    ):
        shutil.copy(own, folder / copy_name)
    own.unlink()  # what the desktop wrote survives only in the copies
    out = sync(laptop, folder)
    assert "merged desktop" in out
    assert any(p["tags"] == ["only-in-the-copy"] for p in papers(laptop))
    assert "merged too" in laptop("sync", str(folder), "--status")[1]


def test_a_damaged_file_is_skipped_in_one_line_and_the_rest_syncs(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, desktop, server = machines["laptop"], machines["desktop"], machines["server"]
    imported(desktop)
    imported(server)
    sync(desktop, folder)
    server("tag", "1", "+from-server")
    sync(server, folder)
    desktop_file = next(p for p in folder.glob("readq-*.base.json") if '"desktop"' in p.read_text())
    desktop_file.write_bytes(desktop_file.read_bytes()[:3000])  # cut short mid-way
    newer = json.loads(next(f for f in folder.glob("*.base.json") if f != desktop_file).read_text())
    newer["sync"]["version"] = 99
    newer["sync"]["machine"] = "0123456789abcdef"
    (folder / "readq-0123456789abcdef.json").write_text(json.dumps(newer))
    code, _out, err = laptop("sync", str(folder))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any("damaged or cut short" in line and desktop_file.name in line for line in lines)
    assert any("newer readq" in line for line in lines)
    assert "Traceback" not in err
    assert any("from-server" in p["tags"] for p in papers(laptop))  # the good one merged
    assert (folder / files.own_name(_machine(laptop))).exists()  # and its own file written
    # Nothing of the damaged file was used: the laptop has the server's papers only.
    assert len(papers(laptop)) == 12


def _machine(readq: Runner) -> Any:
    from readq.sync.machine import read_machine

    _code, out, _ = readq("path")
    return read_machine(Path(out.strip()))


def test_hostile_text_from_another_machine_is_cleaned(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, desktop = machines["laptop"], machines["desktop"]
    imported(desktop)
    sync(desktop, folder)
    (path,) = folder.glob("readq-*.base.json")
    document = json.loads(path.read_text())
    document["sync"]["name"] = "\x1b]0;owned\x07evil"
    document["papers"][0]["title"] = "Evil \x1b[31mred\x1b[0m [bold]title[/bold]"
    document["papers"][0]["note_versions"] = [
        {"stamp": "2026-12-02T10:00:00.000Z 0000 abcdef12", "text": "\x1b]52;c;x\x07note",
         "seen": {"abcdef12": "2026-12-02T10:00:00.000Z 0000 abcdef12"}}
    ]  # fmt: skip
    path.write_text(json.dumps(document))
    sync(laptop, folder)
    _code, out, _ = laptop("list", "--json")
    text = json.dumps(json.loads(out))
    assert "\\u001b" not in text and "\x1b" not in text
    assert "[bold]title[/bold]" in text  # shown literally, never as markup


def test_a_machine_file_grows_with_its_changes_not_the_library(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, server = machines["laptop"], machines["server"]
    shared_start(laptop, server, folder)
    server("mark", "2", "read")
    assert "wrote 1 paper (1 in this machine's file)" in sync(server, folder)
    out = sync(server, folder)
    assert "wrote 0 papers" in out and "nothing new" in out  # a second sync changes nothing


def test_syncing_twice_changes_nothing_the_second_time(
    machines: dict[str, Runner], folder: Path, tmp_path: Path
) -> None:
    laptop, desktop = machines["laptop"], machines["desktop"]
    imported(laptop)
    imported(desktop)
    laptop("tag", "1", "+a")
    desktop("tag", "1", "+b")
    sync_all(machines, folder, ["laptop", "desktop"])
    before = papers(laptop)
    with Library.open(tmp_path / "laptop" / "library.json", writable=False) as library:
        state = [(p.changed_at, p.note_versions) for p in library]
    sync_all(machines, folder, ["desktop", "laptop"])
    assert papers(laptop) == before
    with Library.open(tmp_path / "laptop" / "library.json", writable=False) as library:
        assert [(p.changed_at, p.note_versions) for p in library] == state


def test_status_names_each_machine_and_when_it_wrote(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, desktop = machines["laptop"], machines["desktop"]
    shared_start(laptop, desktop, folder)
    code, out, _ = desktop("sync", str(folder), "--status")
    assert code == 0
    assert "This machine: desktop" in out
    assert "laptop (" in out and "12 papers" in out and "this machine (" in out


def test_no_folder_and_a_bad_name_are_one_line_errors(machines: dict[str, Runner]) -> None:
    code, _, err = machines["laptop"]("sync")
    assert code == 2 and "no sync folder" in err and len(err.strip().splitlines()) == 1
    code, _, err = machines["laptop"]("sync", "--name", "my laptop\x1b")
    assert code == 2 and "one word" in err


def test_sync_dir_from_config(machines: dict[str, Runner], folder: Path, tmp_path: Path) -> None:
    config = tmp_path / "config" / "readq" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'sync_dir = "{folder}"\n')
    imported(machines["laptop"])
    code, out, _ = machines["laptop"]("sync")
    assert code == 0 and str(folder) in out
    assert list(folder.glob("readq-*.json"))


def test_a_library_copied_with_its_id_is_noticed_and_nothing_is_lost(
    machines: dict[str, Runner],
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def run_at(library: Path, command: str, *argv: str) -> tuple[int, str, str]:
        return run(capsys, command, "--db", str(library), *argv)

    laptop = machines["laptop"]
    imported(laptop)
    sync(laptop, folder)
    shutil.copytree(tmp_path / "laptop", tmp_path / "copy")  # the machine file too
    copy = tmp_path / "copy" / "library.json"
    code, _, _ = laptop("tag", "1", "+from-original")
    assert code == 0
    sync(laptop, folder)
    code, out, err = run_at(copy, "tag", "2", "+from-copy")
    code, out, err = run_at(copy, "sync", str(folder))
    assert code == 1 and "another machine with this machine's id" in err
    assert "--new-id" in err
    code, out, err = run_at(copy, "list", "--json")
    tags = {tag for paper in json.loads(out) for tag in paper["tags"]}
    assert tags == {"from-original", "from-copy"}  # the original's change merged first
    code, out, _ = run_at(copy, "sync", "--new-id", str(folder))
    assert code == 0 and "now" in out
    code, _, err = laptop("sync", str(folder))  # the original notices the copy wrote too
    assert code == 1 and "another machine with this machine's id" in err
    sync(laptop, folder)  # and from then on each writes its own
    code, out, _ = laptop("list", "--json")
    assert {tag for paper in json.loads(out) for tag in paper["tags"]} == tags


def test_a_stamp_far_in_the_future_orders_its_paper_and_no_other(
    machines: dict[str, Runner], folder: Path, tmp_path: Path
) -> None:
    laptop, desktop = machines["laptop"], machines["desktop"]
    imported(desktop)
    desktop("tag", "1", "+x")
    sync(desktop, folder)
    (path,) = folder.glob("readq-*.base.json")
    document = json.loads(path.read_text())
    future = "2999-01-01T00:00:00.000Z 0000 ffffffff"
    document["papers"][0]["changed_at"] = {"tag:x": future}  # a clock gone very wrong
    path.write_text(json.dumps(document))
    sync(laptop, folder)
    laptop("tag", "1", "-x")  # still wins: later than anything the paper holds
    laptop("priority", "2", "3")
    with Library.open(tmp_path / "laptop" / "library.json", writable=False) as library:
        first, second = library.get(1), library.get(2)
    assert first.tags == [] and first.changed_at["untag:x"] > future
    assert all(stamp < "2100" for stamp in second.changed_at.values())  # its own time


def test_a_sync_folder_that_is_not_there_is_an_error_not_a_new_folder(
    machines: dict[str, Runner], tmp_path: Path
) -> None:
    missing = tmp_path / "not-mounted" / "readq"
    code, _, err = machines["laptop"]("sync", str(missing))
    assert code == 2 and "does not exist" in err and not missing.exists()


@pytest.mark.parametrize(
    "marks",
    [
        {"status:bogus": "2026-12-02T10:00:00.000Z 0000 abcdef12"},
        {"priority:\u00b2": "2026-12-02T10:00:00.000Z 0000 abcdef12"},
        {"tag:Two Words": "2026-12-02T10:00:00.000Z 0000 abcdef12"},
        {"tag:x": "9999-12-31T23:59:59.999Z ffff abcdef12"},
        {"tag:x": "not a time"},
    ],
)
def test_marks_no_readq_makes_are_damage_in_one_line(
    machines: dict[str, Runner], folder: Path, marks: dict[str, str]
) -> None:
    laptop, desktop = machines["laptop"], machines["desktop"]
    imported(desktop)
    sync(desktop, folder)
    (path,) = folder.glob("readq-*.base.json")
    document = json.loads(path.read_text())
    document["papers"][0]["changed_at"] = marks
    path.write_text(json.dumps(document))
    code, _, err = laptop("sync", str(folder))
    assert code == 1 and "damaged at paper 1" in err and len(err.strip().splitlines()) == 1
    assert papers(laptop) == []
    imported(laptop)
    assert laptop("tag", "1", "+mine")[0] == 0  # and the library goes on working


def _pair(tmp_path: Path) -> tuple[Library, Library, Path]:
    """Two machines' libraries (their own folders), the sample listing on the
    first, synced into the second."""
    from readq.importers.listing import parse
    from readq.sync.run import sync_library

    from ..conftest import AS_OF

    folder = tmp_path / "Shared"
    folder.mkdir()
    one = Library.open(tmp_path / "one" / "library.json")
    two = Library.open(tmp_path / "two" / "library.json")
    text = (DATA / "listing-sample.txt").read_text(encoding="utf-8")
    one.add_many(parse(text, as_of=AS_OF).papers)
    sync_library(one, folder)
    sync_library(two, folder)
    return one, two, folder


def _same(one: Library, two: Library, title: str) -> tuple[Any, Any]:
    first = next(p for p in one if p.title == title)
    second = next(p for p in two if p.title == title)
    return first, second


def test_undo_after_a_sync_takes_back_only_what_it_did(tmp_path: Path) -> None:
    from readq.sync.run import sync_library

    one, two, folder = _pair(tmp_path)
    title = one.get(1).title
    one.change_tags([1], add=["from-one"])
    paper = next(p for p in two if p.title == title)
    two.change_tags([paper.id], add=["from-two"])
    two.set_priority([paper.id], 2)
    sync_library(two, folder)
    sync_library(one, folder)
    assert set(one.get(1).tags) == {"from-one", "from-two"}
    one.undo()  # the tag this machine added goes; the other machine's stays
    assert one.get(1).tags == ["from-two"] and one.get(1).priority == 2
    sync_library(one, folder)
    sync_library(two, folder)
    first, second = _same(one, two, title)
    assert first.tags == second.tags == ["from-two"]


def test_a_note_edited_while_a_sync_merged_another_keeps_both(tmp_path: Path) -> None:
    from readq.sync.run import sync_library
    from readq.userstate import note_versions_of

    one, two, folder = _pair(tmp_path)
    title = one.get(3).title
    opened_on = note_versions_of(one.get(3))  # the editor opens on no note
    paper = next(p for p in two if p.title == title)
    two.set_note(paper.id, "the other machine's note")
    sync_library(two, folder)
    sync_library(one, folder)  # merged while the editor was open
    one.set_note(3, "typed in the editor", based_on=opened_on)
    note = one.get(3).notes
    assert "typed in the editor" in note and "the other machine's note" in note
    sync_library(one, folder)
    sync_library(two, folder)
    first, second = _same(one, two, title)
    assert first.note_versions == second.note_versions and len(first.note_versions) == 2


def test_changes_a_compaction_folded_away_still_travel(tmp_path: Path) -> None:
    from readq.exporters import readq_json
    from readq.importers import readq_json as readq_json_import
    from readq.sync.run import sync_library

    one, two, folder = _pair(tmp_path)
    title = one.get(2).title
    outside = Library.open(tmp_path / "outside" / "library.json")
    outside.merge(readq_json_import.parse(readq_json.dumps([one.get(2)]).decode()).papers)
    outside.set_note(next(iter(outside.papers)), "from an export")
    export = readq_json_import.parse(readq_json.dumps(list(outside)).decode()).papers
    one.merge(export)  # readq merge: a change that carries no stamp of this machine
    one._write_all(carry=True)  # a compaction before the next sync
    report = sync_library(one, folder)
    assert report.written == 1  # what the compaction folded away, not every paper again
    sync_library(two, folder)
    first, second = _same(one, two, title)
    assert first.notes == second.notes == "from an export"


def test_a_file_holding_fewer_papers_than_it_says_is_damage(
    machines: dict[str, Runner], folder: Path
) -> None:
    imported(machines["desktop"])
    sync(machines["desktop"], folder)
    (path,) = folder.glob("readq-*.base.json")
    document = json.loads(path.read_text())
    document["papers"] = document["papers"][:1]  # a sync tool that copied a part
    path.write_text(json.dumps(document))
    code, _, err = machines["laptop"]("sync", str(folder))
    assert code == 1 and "says it holds 12 papers and holds 1" in err
    assert papers(machines["laptop"]) == []


def test_sync_all_writes_every_paper_for_a_new_folder(
    machines: dict[str, Runner], folder: Path, tmp_path: Path
) -> None:
    laptop, server = machines["laptop"], machines["server"]
    imported(laptop)
    sync(laptop, folder)
    sync(server, folder)  # the server's papers all came from the laptop
    moved = tmp_path / "New"
    moved.mkdir()
    code, out, _ = server("sync", str(moved), "--all")
    assert code == 0 and "wrote 12 papers" in out
    assert len(papers(machines["desktop"])) == 0
    sync(machines["desktop"], moved)
    assert len(papers(machines["desktop"])) == 12


def test_a_note_saved_with_its_sides_still_named_reads_right_elsewhere(
    machines: dict[str, Runner], folder: Path
) -> None:
    laptop, desktop = conflicted_note(machines, folder)
    laptop("note", "3", "--append", "and one more")  # the lines stay in the text
    sync_all(machines, folder, ["laptop", "desktop"])
    there = desktop("show", "3")[1]
    assert "the machine called laptop" in there and "and one more" in there
    assert "the machine called desktop" in there and "this machine" not in there  # as text
    here = laptop("show", "3")[1]
    assert "the machine called laptop" in here and "this machine," not in here


def test_a_name_another_machine_has_is_refused(machines: dict[str, Runner], folder: Path) -> None:
    imported(machines["laptop"])
    sync(machines["laptop"], folder)
    sync(machines["desktop"], folder)  # the desktop now knows the laptop's name
    code, _, err = machines["desktop"]("sync", "--name", "laptop")
    assert code == 2 and "another machine" in err
