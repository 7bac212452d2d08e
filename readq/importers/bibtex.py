r"""BibTeX files (.bib), split by bibtexparser 2 and decoded by pylatexenc.

bibtexparser's middlewares lower-case field names, resolve ``@string`` macros
and remove the outer braces or quotes; months (``mar``, ``March``, ``3``) are
read here, as bibtexparser's month middleware raises on ``month = {²}``.
pylatexenc then turns the LaTeX of titles, abstracts, venues, keywords and
names into Unicode: ``{\'e}`` becomes é, ``\ss`` ß, ``$\lambda$`` λ, and
protecting braces (``{NeRFs}``) go. Links, DOIs and eprints are not decoded:
a ``%`` or ``~`` in them is data, not LaTeX.

What is read from each entry, whatever its type:

- the key as citation_key; ``title`` (an entry without one is skipped);
  ``abstract``;
- ``author``: ``Family, Given and Given Family and others`` gives the names as
  ``Given Family``, and ``and others`` sets authors_truncated;
- biblatex's ``date``, else ``year``, ``month`` and ``day``, kept at the
  precision given: ``year = 2019`` is ``2019``, with ``month = mar`` it is
  ``2019-03`` (see ``ris.published``);
- ``eprint`` (with ``archivePrefix`` or ``eprinttype`` arXiv, or with neither
  when it reads as an arXiv id) as arxiv_id plus arxiv_version;
  ``primaryClass`` ``cs.CL`` as category ``CL`` and categories ``["cs.CL"]``
  (other archives keep their prefix, as identifiers.short_category says);
  without an eprint, an ``arXiv:`` reference or arxiv.org link in doi, url,
  journal or note;
- ``doi``; ``url`` (http and https only), else a ``\url{...}`` in
  howpublished or note; ``keywords`` (comma or semicolon separated) as tags;
  ``journal``, ``journaltitle`` or ``booktitle`` as venue, except a mere
  ``arXiv preprint arXiv:...``.

``@comment``, ``@preamble`` and text between entries are ignored. An entry
bibtexparser cannot read is an error at its first line and the rest is still
imported. Two entries with one key are both kept, with a warning; a field
given twice keeps its first value, as BibTeX does, with a warning.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException, ParsingException
from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import Middleware
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    ParsingFailedBlock,
    String,
)
from pylatexenc.latex2text import (  # type: ignore[import-untyped]
    LatexNodes2Text,
    MacroTextSpec,
    get_default_latex_context_db,
)

from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.fields import (
    date_numbers,
    excerpt,
    find_arxiv,
    published,
    split_tags,
    venue_name,
    web_url,
)
from readq.importers.identifiers import clean_doi, short_category, split_arxiv_id
from readq.importers.listing import MONTHS as LISTING_MONTHS
from readq.model import ParsedPaper
from readq.sanitize import clean_line, clean_text

# Both libraries log every recoverable oddity. With no handler anywhere, Python
# would print those records on stderr, over the app; they become Problems here.
for _logger in ("bibtexparser", "pylatexenc"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

_ENTRY_START: Final = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
# A value holding none of these is plain text, and skips the (slow) LaTeX decoder.
_LATEX_SYNTAX: Final = re.compile(r"[\\{}$~%^_&#]|--|``|''")
# In a .bib value a bare % is nearly always a percentage, never a comment.
_BARE_PERCENT: Final = re.compile(r"(?<!\\)%")
_URL_MACRO: Final = re.compile(r"\\url\{([^{}]*)\}")
_CATEGORY: Final = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]{2,})?")
# pylatexenc's run time grows faster than the text beyond some 100 KB, and no
# real field is near this long.
MAX_FIELD: Final = 100_000
VENUE_FIELDS: Final = ("journal", "journaltitle", "booktitle")
# jan ... dec are the macros BibTeX predefines; full names and "sept" as people write them.
MONTHS: Final = {name.lower(): number for name, number in LISTING_MONTHS.items()}
ARXIV_FIELDS: Final = ("doi", "url", "journal", "journaltitle", "note", "howpublished")


def _latex_decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    # \url{x} is the link itself, not "<x>" (bibtexparser's decoder does the same).
    context.add_context_category(
        "readq-bibtex",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%s"),
            # The ASCII characters themselves, as readq's BibTeX export writes them.
            MacroTextSpec("textasciicircum", simplify_repl="^"),
            MacroTextSpec("textasciitilde", simplify_repl="~"),
        ],
    )
    return LatexNodes2Text(latex_context=context, math_mode="text", keep_braced_groups=False)


_DECODER: Final = _latex_decoder()


def _parse_stack() -> list[Middleware]:
    return [
        middlewares.NormalizeFieldKeys(),
        middlewares.ResolveStringReferencesMiddleware(),
        middlewares.RemoveEnclosingMiddleware(),
    ]


def looks_like(text: str) -> bool:
    """True when a line of the first 4 KB starts an ``@type{`` block."""
    return _ENTRY_START.search(text[:4096]) is not None


def parse(text: str, *, as_of: date, on_paper: OnPaper | None = None) -> ParseResult:
    """Read every entry; ``as_of`` is unused, as BibTeX dates are absolute."""
    del as_of
    result = ParseResult(on_paper=on_paper)
    # One kind of line end, so that bibtexparser's line numbers are the editor's.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        split = parse_string(text, parse_stack=[])
    except ParsingException as error:  # bibtexparser's own "invalid state"
        result.problems.append(Problem(1, f"bibtexparser could not read the file: {error}"))
        return result
    entries = _entries(split, result.problems)
    for parsed in _transformed(split.strings, entries, result.problems):
        paper = _paper(parsed, result.problems)
        if paper is not None:
            result.add(paper)
    if not entries and not result.problems:
        result.problems.append(Problem(1, "no BibTeX entries (such as `@article{...}`) found"))
    return result.in_line_order()


@dataclass(slots=True)
class _Parsed:
    entry: Entry
    key: str
    line: int


def _line(start_line: int | None) -> int:
    return (start_line or 0) + 1  # bibtexparser counts from 0


def _entries(library: Library, problems: list[Problem]) -> list[_Parsed]:
    """Every entry in file order, duplicates unwrapped; failed blocks as errors."""
    entries: list[_Parsed] = []
    first_line: dict[str, int] = {}
    for block in library.blocks:
        line = _line(block.start_line)
        # A repeated key or field still leaves a readable entry (or @string) inside.
        if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
            inner = block.ignore_error_block
        else:
            inner = block
        if isinstance(inner, Entry):
            if inner.key in first_line:
                reason = f"key {excerpt(inner.key)} is also used at line {first_line[inner.key]}"
                problems.append(Problem(line, f"{reason}; both entries kept", "warning"))
            first_line.setdefault(inner.key, line)
            _drop_repeated_fields(inner, line, problems)
            entries.append(_Parsed(inner, inner.key, line))
        elif isinstance(block, DuplicateBlockKeyBlock) and isinstance(inner, String):
            reason = f"@string {excerpt(inner.key)} defined again; the first definition is used"
            problems.append(Problem(line, reason, "warning"))
        elif isinstance(block, ParsingFailedBlock):
            problems.append(Problem(line, f"cannot read this entry ({_reason(block)}); skipped"))
    return entries


def _reason(block: ParsingFailedBlock) -> str:
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    return clean_line(reason).rstrip(".")


def _drop_repeated_fields(entry: Entry, line: int, problems: list[Problem]) -> None:
    """Keep the first of fields whose names differ at most in case, as BibTeX does."""
    kept: dict[str, Field] = {}
    for field in entry.fields:
        kept.setdefault(field.key.lower(), field)
    if len(kept) < len(entry.fields):
        repeated = sorted({f.key.lower() for f in entry.fields if kept[f.key.lower()] is not f})
        reason = f"{', '.join(repeated)} given more than once; the first value is used"
        problems.append(Problem(line, reason, "warning"))
        entry.fields = list(kept.values())


def _transformed(
    strings: list[String], entries: list[_Parsed], problems: list[Problem]
) -> list[_Parsed]:
    """The entries after the parse stack: macros resolved, delimiters gone, months numbers.

    A Library holds one entry per key, so during the run each entry wears its
    index as a stand-in key; the real one is kept in its ``_Parsed``.
    """
    for index, parsed in enumerate(entries):
        parsed.entry.key = str(index)
    library = Library([*strings, *(parsed.entry for parsed in entries)])
    for middleware in _parse_stack():
        library = middleware.transform(library)
    transformed = []
    for block in library.blocks:
        if isinstance(block, Entry):
            parsed = entries[int(block.key)]
            transformed.append(_Parsed(block, parsed.key, parsed.line))
        elif isinstance(block, ParsingFailedBlock) and isinstance(block.ignore_error_block, Entry):
            # None of the stack's middlewares fails an entry today; if one does, say so.
            line = entries[int(block.ignore_error_block.key)].line
            problems.append(Problem(line, f"cannot read this entry ({_reason(block)}); skipped"))
    return transformed


class _Reader:
    """The fields of one entry, with the problems met reading them."""

    def __init__(self, parsed: _Parsed, problems: list[Problem]) -> None:
        self.fields = {field.key: field for field in parsed.entry.fields}
        self.line = parsed.line
        self.problems = problems
        self.undefined: set[str] = set()  # fields already reported, as some are read twice

    def warn(self, reason: str) -> None:
        self.problems.append(Problem(self.line, reason, "warning"))

    def raw(self, name: str) -> str:
        """The value as written, less its delimiters and any terminal controls; "" if absent.

        Controls go before the LaTeX decoder runs: it would read the ``\\`` of an
        ``ESC \\`` terminator as LaTeX and leave the sequence's payload as text.
        """
        field = self.fields.get(name)
        if field is None:
            return ""
        value = field.value
        if field.enclosing == "no-enclosing" and name not in self.undefined | {"month"}:
            # RemoveEnclosing marks a bare word that no @string resolved (or a
            # `#` concatenation, which bibtexparser does not join).
            self.warn(f"{name} = {excerpt(str(value))} is an undefined @string; kept as written")
            self.undefined.add(name)
        return clean_text(str(value))

    def text(self, name: str) -> str:
        """The value with its LaTeX decoded, on one line."""
        return clean_line(self.decode(name, self.raw(name)))

    def decode(self, name: str, value: str) -> str:
        if len(value) > MAX_FIELD:
            self.warn(f"{name} is longer than {MAX_FIELD} characters; cut")
            value = value[:MAX_FIELD]
        if not _LATEX_SYNTAX.search(value):
            return value
        try:
            return str(_DECODER.latex_to_text(_BARE_PERCENT.sub(r"\\%", value)))
        except Exception:  # pylatexenc fails in many ways on odd input
            # (IndexError on \href without its arguments, RecursionError on deep
            # nesting, ...): the entry is still worth having with braces stripped.
            self.warn(f"could not decode the LaTeX in {name}; kept it as written")
            return value.replace("{", "").replace("}", "")


def _paper(parsed: _Parsed, problems: list[Problem]) -> ParsedPaper | None:
    fields = _Reader(parsed, problems)
    title = fields.text("title")
    if not title:
        problems.append(Problem(parsed.line, "entry has no title; skipped"))
        return None
    authors, truncated = _authors(fields)
    arxiv = _arxiv(fields)
    category, categories = _categories(fields)
    keywords = split_tags(fields.text("keywords"))
    return ParsedPaper(
        title=title,
        authors=authors,
        authors_truncated=truncated,
        category=category,
        published=_published(fields),
        abstract=fields.text("abstract"),
        url=_url(fields),
        arxiv_id=arxiv[0] if arxiv else None,
        doi=_doi(fields),
        source="bibtex",
        categories=categories,
        arxiv_version=arxiv[1] if arxiv else None,
        venue=next(filter(None, (venue_name(fields.text(f)) for f in VENUE_FIELDS)), None),
        citation_key=clean_line(parsed.key) or None,
        line=parsed.line,
        tags=keywords or None,
    )


def _authors(fields: _Reader) -> tuple[list[str], bool]:
    """Names as ``Given von Family Jr``, and whether ``and others`` cut the list."""
    authors, truncated = [], False
    for written in split_multiple_persons_names(fields.raw("author")):
        if written.strip().lower() == "others":
            truncated = True
            continue
        # Split on the LaTeX, before decoding: {Barnes and Noble} is one name.
        merged = parse_single_name_into_parts(written, strict=False).merge_first_name_first
        name = clean_line(fields.decode("author", merged))
        if name:
            authors.append(name)
    return authors, truncated


def _published(fields: _Reader) -> str | None:
    written = fields.raw("date")
    parts = date_numbers(written) if written else None
    if written and parts is None:
        fields.warn(f"date {excerpt(written)} is not a date; used year and month")
    if parts is None:
        year = fields.raw("year")
        if not year:
            return None
        year_parts = date_numbers(year)
        if year_parts is None:
            fields.warn(f"year {excerpt(year)} is not a year; no date kept")
            return None
        parts = (year_parts[0], _month(fields), _day(fields))
    date_text, complaint = published(*parts)
    if complaint:
        fields.warn(complaint)
    return date_text


def _month(fields: _Reader) -> int | None:
    """``month = mar`` (a macro BibTeX predefines), ``{March}``, ``{Sept.}`` or ``{3}``."""
    written = fields.raw("month")
    if not written:
        return None
    word = clean_line(written).lower().removesuffix(".")
    if word in MONTHS:
        return MONTHS[word]
    if word.isdecimal() and 1 <= int(word) <= 12:
        return int(word)
    fields.warn(f"month {excerpt(written)} is not a month; ignored")
    return None


def _day(fields: _Reader) -> int | None:
    day = fields.raw("day").strip()
    if not day:
        return None
    if day.isdecimal() and len(day) <= 2:
        return int(day)
    fields.warn(f"day {excerpt(day)} is not a day; ignored")
    return None


def _arxiv(fields: _Reader) -> tuple[str, int | None] | None:
    eprint = fields.raw("eprint")
    archive = clean_line(fields.raw("archiveprefix") or fields.raw("eprinttype")).lower()
    if eprint and archive in ("", "arxiv"):
        arxiv = split_arxiv_id(eprint)
        if arxiv is not None:
            return arxiv
        if archive:
            fields.warn(f"eprint {excerpt(eprint)} is not an arXiv id; ignored")
    return find_arxiv(fields.raw(name) for name in ARXIV_FIELDS)


def _categories(fields: _Reader) -> tuple[str | None, list[str]]:
    """(``CL``, ``["cs.CL"]``) from ``primaryClass = {cs.CL}``."""
    written = clean_line(fields.raw("primaryclass") or fields.raw("eprintclass"))
    if not written:
        return None, []
    if not _CATEGORY.fullmatch(written):
        fields.warn(f"primaryClass {excerpt(written)} is not an arXiv category; ignored")
        return None, []
    return short_category(written), [written]


def _url(fields: _Reader) -> str | None:
    written = fields.raw("url")
    if written:
        url = web_url(written)
        if url is None:
            fields.warn(f"ignored url {excerpt(written)}: not http(s)")
        return url
    for name in ("howpublished", "note"):
        for match in _URL_MACRO.finditer(fields.raw(name)):
            if url := web_url(match[1]):
                return url
    return None


def _doi(fields: _Reader) -> str | None:
    written = fields.raw("doi")
    if not written:
        return None
    doi = clean_doi(written)
    if doi is None:
        fields.warn(f"ignored doi {excerpt(written)}: not a DOI")
    return doi
