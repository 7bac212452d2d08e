"""Real .bib files (tests/data/real/bibtex, sources in its LICENSES.md) against an
independent reader: bibtexparser's own model, with its own LaTeX decoding.

The point is that no file is refused, no entry with a title is lost or merged
and nothing raises; and that each title, DOI and year readq reads is the one
bibtexparser reads. Titles are compared after a plain normalisation (letters
and digits only, accents and case folded). Where bibtexparser's decoder loses
text (it drops ``\\TeX`` and the argument of ``\\mbox``), the title readq must
read is written out below, checked by hand against the LaTeX.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import middlewares
from bibtexparser.model import Entry

from readq.importers import bibtex
from readq.importers.base import ParseResult
from readq.model import ParsedPaper

CORPUS = Path(__file__).parent.parent / "data" / "real" / "bibtex"
FILES = sorted(CORPUS.glob("*.bib"))
AS_OF = date(2026, 11, 29)
# The corpus's figures (README, "Real-world fidelity"): entries with a title in
# bibtexparser's reading; readq reads every one of their titles, DOIs and years.
ENTRIES = 404
DOIS = 175
YEARS = 392
# (file, key): the title as LaTeX means it, where bibtexparser's decoder loses text.
CHECKED_BY_HAND = {
    ("biblatex-examples.bib", "knuth:ct:a"): "The TeXbook",  # The {\TeX book}
    ("biblatex-examples.bib", "knuth:ct:b"): "TeX: The Program",
    ("cobib-literature.bib", "latexcompanion"): "The LaTeX Companion",  # The \LaTeX\ Companion
    # Radix-2\({}^{\mbox{k}}\)
    ("dblp-jabref-excerpt.bib", "GarridoGrajalMarcosEtAl2013"): (
        "Pipelined Radix-2^k Feedforward FFT Architectures"
    ),
    ("dblp-jabref-excerpt.bib", "QureshiGustafsson2010"): (
        "Twiddle factor memory switching activity analysis of radix-2² and equivalent FFT"
        " algorithms"
    ),
    ("dblp-jabref-excerpt.bib", "KoppLohmann2013"): (
        "Proceedings of the 5th Central-European Workshop on Services and their Composition,"
        " Rostock, Germany, February 21-22, 2013"
    ),
    ("dblp-jabref-excerpt.bib", "KoppWielandLeymann2009"): (
        "External and Internal Events in EPCs: e²EPCs"
    ),
    # 200\,{\mbox{$\mu$}}{J}
    ("math-markup.bib", "test_citation1"): (
        "Test Title With 100 μJ, 200 μJ Energy, and ±0.1% Accuracy, 0.2 mm² Size,"
        " and -50 dB Attenuation"
    ),
}


@dataclass(frozen=True)
class _Read:
    result: ParseResult
    reference: list[Entry]


@functools.cache
def _read(name: str) -> _Read:
    text = (CORPUS / name).read_text(encoding="utf-8")
    result = bibtex.parse(text, as_of=AS_OF)
    # bibtexparser's default stack (macros, delimiters) plus its own decoder.
    stack = [
        middlewares.NormalizeFieldKeys(),
        middlewares.LatexDecodingMiddleware(keep_math_mode=False),
    ]
    one_kind_of_line_end = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    library = bibtexparser.parse_string(one_kind_of_line_end, append_middleware=stack)
    return _Read(result, [e for e in library.entries if _field(e, "title").strip()])


def _field(entry: Entry, name: str) -> str:
    field = entry.fields_dict.get(name)
    return str(field.value) if field is not None else ""


def _year(entry: Entry) -> str | None:
    match = re.match(r"\s*(\d{4})", _field(entry, "date") or _field(entry, "year"))
    return match[1] if match else None


def _title(entry: Entry) -> str:
    """The title with biblatex's subtitle, as the importer joins them."""
    title, subtitle = _field(entry, "title"), _field(entry, "subtitle")
    return title if subtitle.casefold() in title.casefold() else f"{title} {subtitle}"


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in folded if c.isalnum() and not unicodedata.combining(c))


def test_the_corpus_is_small_and_every_file_has_a_licence_line() -> None:
    assert len(FILES) >= 20 and sum(f.stat().st_size for f in FILES) < 400_000
    licences = (CORPUS / "LICENSES.md").read_text(encoding="utf-8")
    for path in FILES:
        assert f"`{path.name}`" in licences, path.name


def _pairs(path: Path) -> list[tuple[Entry, ParsedPaper]]:
    """Each entry of the reference with the paper readq read at its line (or fail)."""
    read = _read(path.name)
    by_line = {paper.line: paper for paper in read.result.papers}
    assert len(by_line) == len(read.result.papers)  # one paper per entry, none merged
    pairs = []
    for entry in read.reference:
        paper = by_line.get((entry.start_line or 0) + 1)
        assert paper is not None, f"{path.name}: {entry.key} lost"
        assert (paper.citation_key or "") == entry.key.strip()
        pairs.append((entry, paper))
    return pairs


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_file_is_refused_and_no_titled_entry_lost(path: Path) -> None:
    read = _read(path.name)
    assert not any("could not read the file" in p.reason for p in read.result.problems)
    assert len(_pairs(path)) == len(read.reference)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_titles_dois_and_years_agree(path: Path) -> None:
    for entry, paper in _pairs(path):
        expected = CHECKED_BY_HAND.get((path.name, entry.key))
        if expected is not None:
            assert paper.title == expected
        else:
            assert _normal(paper.title) == _normal(_title(entry)), entry.key
        doi = _field(entry, "doi").replace("\\_", "_").lower()
        if "10." in doi:  # given through an old resolver or not, it is the same DOI
            assert paper.doi is not None and paper.doi.lower() in doi, entry.key
        year = _year(entry)
        if year is not None:
            assert paper.published is not None and paper.published[:4] == year, entry.key


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_titles_keep_no_latex_syntax(path: Path) -> None:
    for paper in _read(path.name).result.papers:
        assert not re.search(r"[\\{}$]", paper.title), paper.title


def test_fidelity_figures() -> None:
    entries = {(path.name, entry.key): entry for path in FILES for entry, _ in _pairs(path)}
    assert len(entries) == ENTRIES
    assert sum("10." in _field(entry, "doi") for entry in entries.values()) == DOIS
    assert sum(_year(entry) is not None for entry in entries.values()) == YEARS
    assert set(CHECKED_BY_HAND) <= set(entries)  # each is still in the corpus
