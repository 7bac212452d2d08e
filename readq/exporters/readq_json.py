"""readq's own JSON export: every paper with its metadata and the user's state.

The JSON is safe to print: characters a terminal acts on are written as ``\\u``
escapes, which read back as the same text (a lossless export stays lossless).
JSON escapes C0 controls and ESC itself; this adds what it leaves raw: DEL, the
8-bit C1 controls (CSI, OSC as one character), bidi overrides and the other
invisible characters sanitize.py removes on import, and U+2028/U+2029.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

import orjson

from readq.model import Paper

FORMAT_NAME: Final = "readq"
FORMAT_VERSION: Final = 1
# The listing fields first, in the order listing-sample.expected.json uses, then
# identifiers and the user's state.
FIELDS: Final = (
    "id",
    "title",
    "authors",
    "orgs",
    "category",
    "published",
    "score",
    "has_code",
    "abstract",
    "authors_truncated",
    "url",
    "arxiv_id",
    "doi",
    "source",
    "flags",
    "categories",
    "arxiv_version",
    "announce_type",
    "venue",
    "citation_key",
    "status",
    "priority",
    "notes",
    "tags",
    "added_at",
    "read_at",
    "updated_at",
    "changed_at",
    "arrived_from",
    "feeds",
    "note_versions",
    "deleted_at",
)


# Those characters as UTF-8, byte patterns that can only match whole characters.
# Outside its strings orjson writes ASCII alone, so each match is inside a string.
_UNSAFE: Final = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe1\xa0\x8e|\xe2\x80[\x8b\x8e\x8f\xa8-\xae]"
    rb"|\xe2\x81[\xa0-\xa4\xa6-\xaf]|\xef\xbb\xbf|\xef\xbf[\xb9-\xbb]|\xf3\xa0[\x80\x81][\x80-\xbf]"
)


def _escaped(match: re.Match[bytes]) -> bytes:
    code = ord(match[0].decode())
    if code > 0xFFFF:  # JSON spells a character beyond the BMP as a surrogate pair
        code -= 0x10000
        return b"\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
    return b"\\u%04x" % code


def _terminal_safe(data: bytes) -> bytes:
    return _UNSAFE.sub(_escaped, data)


def paper_dict(paper: Paper) -> dict[str, Any]:
    record = paper.to_record()
    record["id"] = paper.id
    return {name: record[name] for name in FIELDS}


def dumps(papers: Iterable[Paper | dict[str, Any]], *, sync: dict[str, Any] | None = None) -> bytes:
    """The export; ``sync``: the header of a machine's sync file (readq/sync)."""
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    if sync is not None:
        document["sync"] = sync
    document["papers"] = [paper_dict(p) if isinstance(p, Paper) else p for p in papers]
    return _terminal_safe(orjson.dumps(document, option=orjson.OPT_INDENT_2)) + b"\n"


def dumps_list(papers: Sequence[Paper]) -> bytes:
    """A bare JSON array of papers, for ``readq list --json``."""
    return b"".join(list_chunks(papers))


_PAPERS_PER_CHUNK = 1000


def list_chunks(papers: Sequence[Paper]) -> Iterator[bytes]:
    """dumps_list's bytes a thousand papers at a time, so that listing 100,000
    papers never holds them all as dicts and text at once."""
    if not papers:
        yield b"[]\n"
        return
    yield b"["
    for start in range(0, len(papers), _PAPERS_PER_CHUNK):
        chunk = [paper_dict(p) for p in papers[start : start + _PAPERS_PER_CHUNK]]
        # An indented array is "[\n  {...},\n  {...}\n]": its inside is what we need.
        inside = _terminal_safe(orjson.dumps(chunk, option=orjson.OPT_INDENT_2)[1:-2])
        yield (b"," if start else b"") + inside
    yield b"\n]\n"
