"""Importers: one module per format, detection by content, and where input comes from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from readq.errors import ReadqError
from readq.importers import arxiv, bibtex, csl_json, csv_import, listing, readq_json, ris
from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.sources import read_source

__all__ = [
    "FORMATS",
    "Format",
    "OnPaper",
    "ParseResult",
    "Problem",
    "detect",
    "parse",
    "read_source",
]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    looks_like: Callable[[str], bool]
    parse: Callable[..., ParseResult]  # (text, *, as_of, on_paper=None) -> ParseResult
    extensions: tuple[str, ...] = ()


# In the order detection tries them: the most distinctive content first.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("readq-json", readq_json.looks_like, readq_json.parse, (".json",)),
        Format("bibtex", bibtex.looks_like, bibtex.parse, (".bib", ".bibtex")),
        Format("ris", ris.looks_like, ris.parse, (".ris",)),
        Format("csl-json", csl_json.looks_like, csl_json.parse, (".json",)),
        Format("arxiv-atom", arxiv.looks_like_atom, arxiv.parse_atom, (".atom", ".xml")),
        Format("arxiv-rss", arxiv.looks_like_rss, arxiv.parse_rss, (".rss", ".xml")),
        Format("listing", listing.looks_like_listing, listing.parse, (".txt",)),
        Format("csv", csv_import.is_csv, csv_import.parse, (".csv", ".tsv")),
    )
}


def detect(text: str, name: str) -> str:
    """The format of ``text``, judged by its content; the file name is only a tie-breaker."""
    matches = [f for f in FORMATS.values() if f.looks_like(text)]
    if not matches:
        raise ReadqError(
            f"{name} is not in a format readq knows ({', '.join(FORMATS)}); "
            "use --format to say which it is."
        )
    by_extension = [f for f in matches if any(name.lower().endswith(e) for e in f.extensions)]
    return (by_extension or matches)[0].name


def parse(text: str, fmt: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """``text`` read as ``fmt``; ``on_paper`` hears the count of papers now and then
    (base.REPORT_EVERY) and may raise to stop the parse."""
    try:
        chosen = FORMATS[fmt]
    except KeyError:
        raise ReadqError(f"unknown format {fmt!r}; readq reads: {', '.join(FORMATS)}.") from None
    return chosen.parse(text, as_of=as_of, on_paper=on_paper)
