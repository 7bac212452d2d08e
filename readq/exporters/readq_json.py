"""readq's own JSON export: every paper with its metadata and the user's state."""

from __future__ import annotations

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
)


def paper_dict(paper: Paper) -> dict[str, Any]:
    record = paper.to_record()
    record["id"] = paper.id
    return {name: record[name] for name in FIELDS}


def dumps(papers: Iterable[Paper]) -> bytes:
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "papers": [paper_dict(p) for p in papers],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


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
        inside = orjson.dumps(chunk, option=orjson.OPT_INDENT_2)[1:-2]
        yield (b"," if start else b"") + inside
    yield b"\n]\n"
