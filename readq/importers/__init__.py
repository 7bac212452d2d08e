"""Importers: one module per format, detection by content, and where input comes from.

``parse`` is the one door every import's papers pass (files, standard input,
URLs, ``readq merge``): whatever the format, it keeps only web links as a
paper's URL (identifiers.web_link) and warns of an arXiv id that two papers of the file
carry, before any of them reaches a library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from readq.errors import ReadqError
from readq.importers import arxiv, bibtex, csl_json, csv_import, listing, readq_json, ris
from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.fields import excerpt
from readq.importers.identifiers import web_link
from readq.importers.sources import read_source
from readq.model import ParsedPaper, arxiv_base, distinct_papers, fold

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
    return vetted(chosen.parse(text, as_of=as_of, on_paper=on_paper))


def vetted(result: ParseResult) -> ParseResult:
    """``result`` with only web links as URLs and a warning for each arXiv id that
    two different papers of the input share; problems in line order."""
    for paper in result.papers:
        if paper.url is not None:
            link = web_link(paper.url)
            if link is None:
                result.problems.append(
                    _warning(
                        paper,
                        f"ignored URL {excerpt(paper.url)}: "
                        "only http(s), doi: and arXiv: links are kept",
                    )
                )
            paper.url = link
    _warn_of_shared_arxiv_ids(result)
    return result.in_line_order()


def _warn_of_shared_arxiv_ids(result: ParseResult) -> None:
    """Two papers (different DOIs) with one arXiv id: a reference manager's mix-up
    (Mendeley gave two papers ``eprint = {1011.1669v3}``). The library keeps both
    and finds neither by that id; the user hears where."""
    first_with: dict[str, ParsedPaper] = {}
    for paper in result.papers:
        key = arxiv_base(paper.arxiv_id, paper.doi)
        if key is None:
            continue
        first = first_with.setdefault(key, paper)
        if first is paper or not distinct_papers(
            first.doi, first.arxiv_id, paper.doi, paper.arxiv_id
        ):
            continue
        other = "another DOI" if fold(first.title) == fold(paper.title) else "another title and DOI"
        where = f"line {first.line}" if first.line else excerpt(first.title, 40)
        result.problems.append(
            _warning(
                paper,
                f"arXiv id {key} is also on {where}, a paper with {other}: "
                "both are imported, and neither is found by that id",
            )
        )


def _warning(paper: ParsedPaper, reason: str) -> Problem:
    """A warning on the paper's line; readq's own JSON has none, so it names the title."""
    if paper.line:
        return Problem(paper.line, reason, "warning")
    return Problem(1, f"{excerpt(paper.title, 40)}: {reason}", "warning")
