"""The library file's line layout: exact JSON, read back a paper at a time."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readq import snapshotfile

SETTINGS = settings(
    derandomize=True, deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
RECORDS = st.dictionaries(
    st.integers(1, 10**6), st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=4), max_size=6
)
META = {"schema_version": 2, "seq": 3, "next_id": 9}


def written(records: dict[int, dict[str, Any]]) -> bytes:
    return b"".join(snapshotfile.chunks(META, records))


def read(data: bytes) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    file = io.BytesIO(data)
    meta = snapshotfile.read_meta(file)
    return meta, dict(snapshotfile.read_papers(file))


@SETTINGS
@given(RECORDS)
def test_the_file_is_tinydb_json_and_reads_back_line_by_line(
    records: dict[int, dict[str, Any]],
) -> None:
    data = written(records)
    assert orjson.loads(data) == {
        "meta": {"1": META},
        "papers": {str(i): r for i, r in records.items()},
    }
    assert read(data) == (META, records)


@SETTINGS
@given(RECORDS, st.data())
def test_a_cut_or_damaged_file_is_never_read_as_a_smaller_library(
    records: dict[int, dict[str, Any]], data: st.DataObject
) -> None:
    """Whatever the line reader accepts is valid JSON with the same content."""
    whole = written(records)
    cut = data.draw(st.integers(0, len(whole)))
    flip = data.draw(st.integers(0, len(whole)))
    damaged = whole[:cut] if flip % 2 else whole[:flip] + b"x" + whole[flip + 1 :]
    try:
        meta, papers = read(damaged)
    except snapshotfile.NotLineLayout:
        return
    parsed = orjson.loads(damaged)  # raises if the line reader accepted invalid JSON
    assert parsed["meta"]["1"] == meta
    assert parsed["papers"] == {str(i): r for i, r in papers.items()}


def test_a_file_in_another_layout_is_refused_for_a_whole_read() -> None:
    compact = orjson.dumps({"meta": {"1": META}, "papers": {"1": {"title": "x"}}})
    with pytest.raises(snapshotfile.NotLineLayout):
        read(compact)
