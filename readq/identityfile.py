"""An identity index file that a few keys can be looked up in without reading it.

The identity index (key -> paper id, see Library._identity_index) beside a base
of 100,000 papers holds 300,000 entries, 10 MB: parsing it whole cost a daily
import of 20 papers 60 ms of its 280. So the file is a TinyDB database whose
one document holds one entry per line, sorted by the key as JSON encodes it::

    {"identity":{"1":{
    "arxiv:2101.00001":12,
    "doi:10.1000/x":13
    }}}

and ``find`` bisects it for each key it is asked (a few dozen reads). Files of
an earlier readq (one line) are read whole.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import IO, Final

import orjson

from readq import sortedlines

TABLE: Final = "identity"
_OPEN: Final = b'{"identity":{"1":{\n'
_END: Final = b"}}}\n"


def dumps(entries: Mapping[str, int]) -> bytes:
    """The file's bytes: one entry per line, in the order of their encoded keys.

    Encoded keys never are a prefix of one another (each ends with an unescaped
    quote), so sorting the lines sorts the keys."""
    lines = sorted(b"%s:%d" % (orjson.dumps(key), value) for key, value in entries.items())
    if not lines:
        return orjson.dumps({TABLE: {"1": {}}}) + b"\n"
    return _OPEN + b",\n".join(lines) + b"\n" + _END


def read_all(data: bytes) -> dict[str, int] | None:
    """Every entry; None when the bytes are not an identity index."""
    try:
        (entries,) = orjson.loads(data)[TABLE].values()
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None
    return entries if isinstance(entries, dict) else None


def find(path: Path, keys: Collection[str]) -> dict[str, int] | None:
    """The entries of ``keys`` that the file holds; None when it is not an identity
    index (FileNotFoundError when there is none)."""
    with path.open("rb") as file:
        first = file.readline()
        if first != _OPEN:  # one line: an earlier readq's, or no entries at all
            entries = read_all(first + file.read())
            return None if entries is None else {k: entries[k] for k in keys if k in entries}
        start, end = file.tell(), os.fstat(file.fileno()).st_size
        found: dict[str, int] = {}
        try:
            for key in keys:
                value = _bisect(file, orjson.dumps(key), start, end)
                if value is not None:
                    found[key] = value
        except _Damaged:
            return None
        return found


class _Damaged(Exception):
    """A line that is no entry: the file is read no further."""


def _bisect(file: IO[bytes], want: bytes, start: int, end: int) -> int | None:
    """The value of the encoded key ``want`` between ``start`` (the first entry
    line) and ``end`` (the file's size), or None; _Damaged at a line that is no
    entry."""
    line = sortedlines.bisect(
        file, start, end, lambda line: _compare(_entry(line)[0], want), (_END,)
    )
    return _entry(line)[1] if line is not None else None


def _entry(line: bytes) -> tuple[bytes, int]:
    key, colon, value = line.rstrip(b",\n").rpartition(b":")
    if not (colon and key.startswith(b'"') and key.endswith(b'"')):
        raise _Damaged
    try:
        return key, int(value)
    except ValueError:
        raise _Damaged from None


def _compare(key: bytes, want: bytes) -> int:
    return (key > want) - (key < want)
