"""Exporters: one module per format, chosen by name or by a file's extension."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from readq.errors import ReadqError
from readq.exporters import bibtex, csv_export, markdown, readq_json, ris
from readq.model import Paper

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
    return EXPORTERS[fmt](papers)
