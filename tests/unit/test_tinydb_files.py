"""Every data file of a library is a TinyDB database that TinyDB alone opens."""

from __future__ import annotations

from pathlib import Path

from tinydb import TinyDB

from readq.drafts import Drafts
from readq.library import Library
from readq.model import Status


def _data_files(library: Path) -> list[Path]:
    """Every file readq keeps for the library, backups included (not the copies of
    damaged files it sets aside, which are kept byte for byte whatever they hold)."""
    return sorted(
        path
        for path in library.parent.rglob("*")
        if path.is_file() and ".corrupt-" not in path.name and not path.name.endswith(".md")
    )


def test_tinydb_opens_every_file_a_library_is_made_of(imported_library: Path) -> None:
    path = imported_library
    with Library.open(path) as library:
        library.backup("manual")
        library.set_status([1], Status.READ)
        library.set_priority([2], 3)
        Drafts(path).save(2, "half a thought")
    with Library.open(path) as library:
        library.change_tags([3], add=["later"])
        library.close(save_first_page=True)

    files = _data_files(path)
    names = {file.name for file in files}
    for expected in ("library.json", "library.json.journal", "library.json.drafts"):
        assert expected in names
    assert "library.json.firstpage" in names
    assert any(file.parent.name.endswith(".d") for file in files)
    assert any(".backups" in str(file) for file in files)
    for file in files:
        with TinyDB(file, access_mode="r") as db:
            for table in db.tables():
                db.table(table).all()


def test_drafts_of_the_earlier_layout_are_read_and_rewritten_as_tinydb(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    drafts_file = path.with_name("library.json.drafts")
    drafts_file.write_bytes(b'{"3": "an old draft"}')
    drafts = Drafts(path)
    assert drafts.get(3) == "an old draft"
    drafts.save(4, "a new one")
    with TinyDB(drafts_file, access_mode="r") as db:
        assert {doc.doc_id: doc["text"] for doc in db.all()} == {3: "an old draft", 4: "a new one"}
