"""Exporters: one module per format, chosen by name or by a file's extension."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from readq.errors import ReadqError
from readq.exporters import bibtex, csv_export, markdown, readq_json, ris
from readq.model import Paper
from readq.sanitize import clean_block, clean_line

EXPORTERS: dict[str, Callable[[Sequence[Paper]], bytes]] = {
    "json": readq_json.dumps,
    "bibtex": bibtex.dumps,
    "markdown": lambda papers: markdown.report(papers).encode("utf-8"),
    "csv": csv_export.dumps,
    "ris": ris.dumps,
}
EXTENSIONS = {".json": "json", ".bib": "bibtex", ".md": "markdown", ".csv": "csv", ".ris": "ris"}


def format_for(path: Path) -> str:
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(EXTENSIONS)
        raise ReadqError(f"cannot tell the format of {path.name}: use one of {known}.") from None


def export(papers: Sequence[Paper], fmt: str) -> bytes:
    if fmt == "json":  # readq's own JSON escapes control characters: it stays lossless
        return readq_json.dumps(papers)
    return EXPORTERS[fmt]([cleaned(paper) for paper in papers])


_BLOCKS = frozenset({"abstract", "notes"})  # fields whose line breaks mean something
_FIELDS = tuple(field.name for field in dataclasses.fields(Paper))


def cleaned(paper: Paper) -> Paper:
    """``paper`` with its text as imports store it: a library edited by hand may
    hold escape sequences, and an export is often read in a terminal (stdout, less).
    The paper itself when nothing needs cleaning, which is nearly always."""
    changes: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(paper, name)
        clean: str | list[str]
        if isinstance(value, str):
            clean = clean_block(value) if name in _BLOCKS else clean_line(value)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            clean = [clean_line(item) for item in value]
        else:
            continue
        if clean != value:
            changes[name] = clean
    return dataclasses.replace(paper, **changes) if changes else paper
