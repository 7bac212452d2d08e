"""The identity index file: a TinyDB database whose entries are found by bisecting."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tinydb import TinyDB

from readq import identityfile

KEYS = st.text(min_size=0, max_size=12)  # any text: quotes, colons, newlines, accents
ENTRIES = st.dictionaries(KEYS, st.integers(min_value=-1, max_value=2**53), max_size=40)


@given(entries=ENTRIES, absent=st.lists(KEYS, max_size=5))
def test_every_key_is_found_and_no_other(
    tmp_path_factory: pytest.TempPathFactory, entries: dict[str, int], absent: list[str]
) -> None:
    path = tmp_path_factory.mktemp("ids") / "g1-000000.identity.json"
    path.write_bytes(identityfile.dumps(entries))
    wanted = [*entries, *absent]
    assert identityfile.find(path, wanted) == {k: entries[k] for k in wanted if k in entries}
    assert identityfile.read_all(path.read_bytes()) == entries
    with TinyDB(path, access_mode="r") as db:
        assert db.table(identityfile.TABLE).all() == [entries]


def test_a_file_of_an_earlier_readq_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "g1-000000.identity.json"
    path.write_bytes(b'{"identity":{"1":{"doi:10.1/a":3,"title:x|y":4}}}\n')
    assert identityfile.find(path, ["doi:10.1/a", "nope"]) == {"doi:10.1/a": 3}


def test_a_damaged_line_makes_the_file_unusable_not_wrong(tmp_path: Path) -> None:
    path = tmp_path / "g1-000000.identity.json"
    data = identityfile.dumps({f"title:paper {n}": n for n in range(50)})
    path.write_bytes(data.replace(b'"title:paper 25":25', b"garbage here"))
    assert identityfile.find(path, [f"title:paper {n}" for n in range(50)]) is None
