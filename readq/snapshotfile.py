"""The library file's bytes: TinyDB's layout, written one paper per line.

    {"meta":{"1":{"schema_version":2,"seq":0,"next_id":3}},"papers":{
    "1":{...},
    "2":{...}
    }}

That is ordinary JSON, and TinyDB reads it as its own. The line breaks let
readq read the file a paper at a time instead of parsing it whole: at 100,000
papers a whole parse holds a 200 MB buffer and a dict per paper alongside the
papers made from them, and holds the GIL for over a second, freezing the app
while it loads in the background. orjson never writes a raw line break inside
a value, so every line but the first and the last is exactly one paper.

A file in any other layout (an older readq's, one edited by hand) is read
whole, as before; the next write puts it in this layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import IO, Any, Final

import orjson

from readq import sortedlines

META: Final = "meta"
PAPERS: Final = "papers"
_OPEN: Final = b'{"' + META.encode() + b'":{"1":'
_PAPERS_START: Final = b'},"' + PAPERS.encode() + b'":{\n'
_END: Final = b"}}\n"
_PAPERS_PER_WRITE: Final = 1000
_LONGEST_META_LINE: Final = 64 * 1024


class NotLineLayout(Exception):
    """The file is not (or not entirely) in the line layout: read it whole instead."""


# Makes the stand-in for a text left in the file, from its offset and length.
StoreText = Callable[[int, int], Any]
_ABSTRACT_KEY: Final = b',"abstract":'
_STORED_FROM: Final = 200  # characters: a shorter one costs less than its stand-in


def chunks(
    meta: Mapping[str, Any],
    records: Mapping[int, Mapping[str, Any]],
    on_record: Callable[[int, Mapping[str, Any]], None] = lambda paper_id, record: None,
) -> Iterator[bytes]:
    """The file's bytes, a thousand papers at a time (never the whole file in memory);
    ``on_record`` sees each record as it is written (for an index made with it)."""
    yield _OPEN + orjson.dumps(meta) + _PAPERS_START
    ids = sorted(records)  # in order: find_paper seeks a paper by its id

    def line(paper_id: int) -> bytes:
        record = records[paper_id]
        on_record(paper_id, record)
        return b'"%d":%s' % (paper_id, orjson.dumps(record))

    for start in range(0, len(ids), _PAPERS_PER_WRITE):
        lines = [line(paper_id) for paper_id in ids[start : start + _PAPERS_PER_WRITE]]
        yield (b",\n" if start else b"") + b",\n".join(lines)
    yield (b"\n" if ids else b"") + _END


def read_meta(file: IO[bytes]) -> dict[str, Any]:
    """The meta document from the first line; NotLineLayout if the file has another layout."""
    first = file.readline(_LONGEST_META_LINE)  # an older file is one long line
    if not (first.startswith(_OPEN) and first.endswith(_PAPERS_START)):
        raise NotLineLayout
    try:
        meta = orjson.loads(first[len(_OPEN) : -len(_PAPERS_START)])
    except orjson.JSONDecodeError:
        raise NotLineLayout from None
    if not isinstance(meta, dict):
        raise NotLineLayout
    return meta


def _paper_line(line: bytes) -> tuple[int, dict[str, Any], bool]:
    """(id, record, whether a comma ends it) of one paper line; NotLineLayout otherwise."""
    if not line.endswith(b"\n"):
        raise NotLineLayout  # cut short
    body = line[:-1]
    more = body.endswith(b",")
    key, colon, value = body.removesuffix(b",").partition(b":")
    digits = key[1:-1]
    if not (colon and key == b'"%s"' % digits and digits.isdigit()):
        raise NotLineLayout
    try:
        record = orjson.loads(value)
    except orjson.JSONDecodeError:
        raise NotLineLayout from None
    if type(record) is not dict:
        raise NotLineLayout
    return int(digits), record, more


def _leave_abstract(
    record: dict[str, Any], line: bytes, more: bool, at: int, stored: StoreText
) -> None:
    abstract = record.get("abstract")
    if type(abstract) is not str or len(abstract) < _STORED_FROM:
        return
    if next(reversed(record)) != "abstract":
        return  # written by an earlier readq: kept in memory
    end = len(line) - (3 if more else 2)  # the record's closing brace, then ",\n" or "\n"
    key = line.rfind(_ABSTRACT_KEY, 0, end)  # a string's quotes are escaped: the key
    start = key + len(_ABSTRACT_KEY)
    if key < 0 or line[start : start + 1] != b'"' or line[end - 1 : end] != b'"':
        return
    record["abstract"] = stored(at + start, end - start)


def find_paper(file: IO[bytes], paper_id: int, start: int, end: int) -> dict[str, Any] | None:
    """The record of ``paper_id`` in a file whose papers are in id order (``chunks``
    writes them so), found by bisecting the bytes from ``start`` (the first paper
    line) to ``end`` (the file's size): a few dozen reads, whatever the library's
    size. None when the file does not hold it; NotLineLayout at a line that is no
    paper's, or papers out of order."""
    line = sortedlines.bisect(
        file, start, end, lambda line: _paper_line(line)[0] - paper_id, (_END, _END[:-1], b"\n")
    )
    return _paper_line(line)[1] if line is not None else None


def read_papers(
    file: IO[bytes], stored: StoreText | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(id, record) for each paper line after read_meta; NotLineLayout at any surprise
    that would make the file something other than this exact, valid JSON.

    With ``stored``, a long abstract that ends its record (as Paper.to_record puts
    it) is left in the file: the record holds ``stored(offset, length)`` of its
    JSON string instead, read again when wanted (model.StoredText). It was parsed
    and checked here all the same."""
    more = False  # the previous paper line ended with a comma
    while line := file.readline():
        at = file.tell() - len(line) if stored is not None else 0
        if line in (_END, _END[:-1]):
            if more or file.read(1):
                raise NotLineLayout
            return
        paper_id, record, more = _paper_line(line)
        if stored is not None:
            _leave_abstract(record, line, more, at, stored)
        yield paper_id, record
        if not more:
            break
    line = file.readline()
    if line not in (_END, _END[:-1]) or file.read(1):
        raise NotLineLayout
