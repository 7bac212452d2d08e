r"""BibTeX files (.bib), split by bibtexparser 2 and decoded by pylatexenc.

bibtexparser splits the file into entries and fields; the values are read
here: ``@string`` macros and ``#`` concatenations resolved (BibTeX's month
macros too), outer braces or quotes removed, field names lower-cased, and
fields missing from an entry taken from its ``crossref`` parent. pylatexenc
then turns the LaTeX of titles, abstracts, venues, keywords, notes and names
into Unicode, as LaTeX means it: ``{\'e}`` is é, ``\ss`` ß, a bare ``&`` and
``\&`` are &, ``\texttt{numpy}`` and ``\mbox{...}`` keep their text, ``\TeX``
is TeX, ``\href{url}{text}`` the text, ``$\lambda$`` λ, ``$x^2$`` x², and
protecting braces (``{NeRFs}``) go. Links, DOIs and eprints are not decoded:
a ``%`` or ``~`` in them is data, not LaTeX.

What is read from each entry, whatever its type:

- the key as citation_key; ``title`` (an entry without one, even through its
  crossref, is skipped), with biblatex's ``subtitle`` after a colon;
  ``abstract``; ``annote`` (or biblatex's ``annotation``), a reference
  manager's note on the paper, as the note;
- ``author``: ``Family, Given and Given Family and others`` gives the names as
  ``Given Family``, and ``and others`` sets authors_truncated; a braced name
  (``{Center for History and New Media}``, ``{Others}``) is one name, and a
  name given twice is kept twice (two people may share ``S. Zhang``);
- biblatex's ``date``, else ``year``, ``month`` and ``day``, kept at the
  precision given: ``year = 2019`` is ``2019``, with ``month = mar`` it is
  ``2019-03`` (see ``fields.published``);
- ``eprint`` (with ``archivePrefix`` or ``eprinttype`` arXiv, or with neither
  when it reads as an arXiv id) as arxiv_id plus arxiv_version;
  ``primaryClass`` ``cs.CL`` as category ``CL`` and categories ``["cs.CL"]``,
  with the rest of readq's own ``categories`` field (other archives keep
  their prefix, as identifiers.short_category says); without an eprint, an
  ``arXiv:`` reference or arxiv.org link in doi, url, journal or note;
- ``doi``, also when given as a resolver link (``https://dx.doi.org/...``,
  ``http://doi.acm.org/...``, ``info:doi/...``); without one, a DOI link in
  url, or a ``doi:`` or DOI link in note or howpublished;
- ``url`` (http and https only), else a ``\url{...}`` or ``\href{...}`` in
  howpublished or note; ``keywords`` (comma or semicolon separated) as tags;
  ``journal``, ``journaltitle`` or ``booktitle`` (or, through a crossref, the
  parent's title) as venue, except a mere ``arXiv preprint arXiv:...``.

``@comment``, ``@preamble`` and text between entries are ignored. An entry
bibtexparser cannot read is an error at its first line, saying where a brace
is left open, and the rest is still imported; an entry whose closing brace
alone is missing is read with a warning. Two entries with one key are both
kept, with a warning; a field given twice keeps its first value, as BibTeX
does, with a warning.
"""

from __future__ import annotations

import html
import logging
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from bibtexparser.entrypoint import parse_string
from bibtexparser.exceptions import BlockAbortedException, ParsingException
from bibtexparser.library import Library
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

from readq.importers.base import OnPaper, ParseResult, Problem
from readq.importers.fields import (
    MONTHS,
    date_numbers,
    excerpt,
    find_arxiv,
    published,
    split_tags,
    venue_name,
    web_url,
)
from readq.importers.identifiers import clean_doi, short_category, split_arxiv_id
from readq.importers.latex import LATEX_SYNTAX, latex_to_text, stripped
from readq.model import ParsedPaper
from readq.sanitize import clean_block, clean_line, clean_text

# Both libraries log every recoverable oddity. With no handler anywhere, Python
# would print those records on stderr, over the app; they become Problems here.
for _logger in ("bibtexparser", "pylatexenc"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())


_ENTRY_START: Final = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
# pylatexenc's run time grows faster than the text beyond some 100 KB, and no
# real field is near this long.
MAX_FIELD: Final = 100_000
VENUE_FIELDS: Final = ("journal", "journaltitle", "booktitle")
# The macros BibTeX predefines: `month = mar` is "March".
MONTH_MACROS: Final = {
    name[:3].lower(): name
    for name in (
        *("January", "February", "March", "April", "May", "June", "July", "August"),
        *("September", "October", "November", "December"),
    )
}
ARXIV_FIELDS: Final = ("doi", "url", "journal", "journaltitle", "note", "howpublished")
NOTE_FIELDS: Final = ("annote", "annotation")
# What a child entry takes from its crossref parent when it lacks them, as
# BibTeX copies them. Identifiers and notes are the parent's own: two papers
# of one proceedings that both took its DOI would be merged as one paper.
INHERITED: Final = (
    *("title", "author", "year", "month", "day", "date"),
    *("journal", "journaltitle", "booktitle"),
)
MAX_CROSSREF_DEPTH: Final = 8


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
    entries = _entries(split, _Source(text), result.problems)
    macros = _macros(split.strings)
    for parsed in entries:
        parsed.values = {name: _resolve(value, macros) for name, value in parsed.raw_values()}
    _inherit_crossrefs(entries)
    for parsed in entries:
        paper = _paper(parsed, result.problems)
        if paper is not None:
            result.add(paper)
    if not entries and not result.problems:
        result.problems.append(Problem(1, "no BibTeX entries (such as `@article{...}`) found"))
    return result.in_line_order()


# --- entries ------------------------------------------------------------------


@dataclass(slots=True)
class _Parsed:
    entry: Entry
    key: str
    line: int
    values: dict[str, _Value] = field(default_factory=dict)
    crossref_missing: str = ""  # the parent named in crossref, when it is not in the file

    def raw_values(self) -> Iterable[tuple[str, str]]:
        for one in self.entry.fields:
            yield one.key.lower(), str(one.value)


def _line(start_line: int | None) -> int:
    return (start_line or 0) + 1  # bibtexparser counts from 0


def _entries(library: Library, source: _Source, problems: list[Problem]) -> list[_Parsed]:
    """Every entry in file order, duplicates unwrapped; failed blocks as errors."""
    entries: list[_Parsed] = []
    first_line: dict[str, int] = {}
    for block in library.blocks:
        line = _line(block.start_line)
        # A repeated key or field still leaves a readable entry (or @string) inside.
        if isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
            inner = block.ignore_error_block
        elif isinstance(block, ParsingFailedBlock):
            inner = _mended(block, source, problems)
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
    return entries


def _reason(block: ParsingFailedBlock) -> str:
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    return clean_line(reason).rstrip(".")


def _drop_repeated_fields(entry: Entry, line: int, problems: list[Problem]) -> None:
    """Keep the first of fields whose names differ at most in case, as BibTeX does."""
    kept: dict[str, Field] = {}
    for one in entry.fields:
        kept.setdefault(one.key.lower(), one)
    if len(kept) < len(entry.fields):
        repeated = sorted({f.key.lower() for f in entry.fields if kept[f.key.lower()] is not f})
        reason = f"{', '.join(repeated)} given more than once; the first value is used"
        problems.append(Problem(line, reason, "warning"))
        entry.fields = list(kept.values())


# --- entries bibtexparser could not read -------------------------------------


_BRACED_ENTRY: Final = re.compile(r"\s*@\s*[A-Za-z]+\s*\{")
_FIELD_START: Final = re.compile(r"[ \t]*[A-Za-z][\w-]*[ \t]*=")


def _mended(block: ParsingFailedBlock, source: _Source, problems: list[Problem]) -> Entry | None:
    """The entry of a failed block when one slip explains the failure, else None.

    The slips mended are a missing comma after the key (or a missing key, as
    EndNote writes), an empty field (``, ,``) and a missing closing brace.
    Either way the problem is reported: a warning saying what was mended, or
    an error saying which brace is never closed.
    """
    line = _line(block.start_line)
    reason = f"cannot read this entry ({_reason(block)})"
    whole = source.entry_at(block.start_line or 0)
    for mended, what in _slips_mended(whole) if whole else ():
        entry = _read_one(mended)
        if entry is not None:
            problems.append(Problem(line, what, "warning"))
            return Entry(entry.entry_type, entry.key, entry.fields, block.start_line, whole)
    raw = str(block.raw or "")
    opened, swallowing = _open_braces(raw)
    entry_brace = _BRACED_ENTRY.match(raw)
    only_entry_open = entry_brace is not None and opened == [entry_brace.end() - 1]
    # bibtexparser stopped at the next entry or the end of the file, not at a slip inside.
    ran_on = any(why in reason for why in ("block start", "end of file"))
    if swallowing is None and only_entry_open and ran_on:
        entry = _closed(raw)
        if entry is not None:
            last = line + raw.rstrip().count("\n")
            reason = f"this entry's closing }} is missing; read it up to line {last}"
            problems.append(Problem(line, reason, "warning"))
            return Entry(entry.entry_type, entry.key, entry.fields, block.start_line, raw)
        reason += ": its closing } is missing"
    else:
        field_braces = opened[1:] if entry_brace else opened
        brace = swallowing if swallowing is not None else next(iter(field_braces), None)
        if brace is not None:
            brace_line = line + raw.count("\n", 0, brace)
            reason += f": the {{ opened on line {brace_line} is never closed"
    problems.append(Problem(line, f"{reason}; skipped"))
    return None


class _Source:
    """The text of the file, for the entries bibtexparser could not read."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None

    def entry_at(self, line: int) -> str | None:
        """The ``@type{...}`` starting on ``line`` (from 0), up to its matching brace."""
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        if line >= len(self._line_starts):
            return None
        start = self.text.find("@", self._line_starts[line])
        opening = _BRACED_ENTRY.match(self.text, start) if start >= 0 else None
        if opening is None:
            return None
        end = _delimited_end(self.text, opening.end() - 1)
        return self.text[start : end + 1] if end > 0 else None


# `@article{key  title = ...` and `@article{  author = ...`: no comma after
# the key, or no key at all.
_NO_KEY_COMMA: Final = re.compile(r"(\s*@\s*[A-Za-z]+\s*\{)([^\s,={}]*)(\s+)(?=[A-Za-z][\w-]*\s*=)")
_EMPTY_FIELD: Final = re.compile(r",(?:\s*,)+")


def _slips_mended(whole: str) -> Iterable[tuple[str, str]]:
    """``whole`` with one slip mended, and what was done."""
    if match := _NO_KEY_COMMA.match(whole):
        if match[2]:
            what = "no comma after this entry's key; read as if there were one"
        else:
            what = "this entry has no key; read without one"
        yield _NO_KEY_COMMA.sub(r"\1\2,\3", whole, count=1), what
    # Between fields only: in a value, ", ," is text.
    empty = [
        m for m in _EMPTY_FIELD.finditer(whole) if len(_open_braces(whole[: m.start()])[0]) == 1
    ]
    if empty:
        for m in reversed(empty):
            whole = whole[: m.start()] + "," + whole[m.end() :]
        yield whole, "an empty field (`, ,`) in this entry; read without it"


def _open_braces(raw: str) -> tuple[list[int], int | None]:
    """Where the braces of ``raw`` left open are, and the first brace of a value
    that runs on over a line starting ``name =`` (a field swallowed: that brace
    is never closed where it should be). ``\\{`` is no brace, as for bibtexparser.
    """
    opened: list[int] = []
    swallowing: int | None = None
    escaped = False
    for index, char in enumerate(raw):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            opened.append(index)
        elif char == "}" and opened:
            opened.pop()
        elif char == "\n" and len(opened) >= 2 and swallowing is None:
            swallowing = opened[1] if _FIELD_START.match(raw, index + 1) else None
    return opened, swallowing


def _read_one(text: str) -> Entry | None:
    try:
        blocks = parse_string(text, parse_stack=[]).blocks
    except ParsingException:
        return None
    if len(blocks) == 1 and isinstance(blocks[0], Entry):
        return blocks[0]
    return None


def _closed(raw: str) -> Entry | None:
    """``raw`` read again with the brace that closes the entry: at its end, else
    after its last braced value (text between entries may follow it)."""
    last_brace = raw.rfind("}")
    for text in (raw, raw[: last_brace + 1] if last_brace > 0 else ""):
        if entry := _read_one(text.rstrip() + "\n}"):
            return entry
    return None


# --- values: delimiters, @string macros, # concatenation ---------------------


@dataclass(frozen=True, slots=True)
class _Value:
    text: str
    complaint: str = ""  # why the value is kept as written, said when it is read


_NAME: Final = re.compile(r"[^\s\"#%'(),={}]+")


def _pieces(raw: str) -> list[tuple[bool, str]] | None:
    """``{a} # name # "b"`` as (is_literal, text) pieces; None if it is no such value."""
    pieces: list[tuple[bool, str]] = []
    index, end = 0, len(raw)
    while True:
        while index < end and raw[index].isspace():
            index += 1
        if index < end and raw[index] in '{"':
            close = _delimited_end(raw, index)
            if close < 0:
                return None
            pieces.append((True, raw[index + 1 : close]))
            index = close + 1
        elif match := _NAME.match(raw, index):
            pieces.append((False, match[0]))
            index = match.end()
        else:
            return None
        while index < end and raw[index].isspace():
            index += 1
        if index == end:
            return pieces
        if raw[index] != "#":
            return None
        index += 1


def _delimited_end(raw: str, start: int) -> int:
    """Where the ``{...}`` or ``"..."`` starting at ``start`` ends, or -1."""
    depth, index, escaped = 0, start, False
    quoted = raw[start] == '"'
    for index in range(start + 1 if quoted else start, len(raw)):
        char = raw[index]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and not quoted:
                return index
            if depth < 0:
                return -1
        elif char == '"' and quoted and depth == 0:
            return index
    return -1


def _resolve(raw: str, macros: dict[str, str]) -> _Value:
    pieces = _pieces(raw)
    if pieces is None:
        raw = raw.strip()
        if raw[:1] + raw[-1:] in ("{}", '""'):  # as bibtexparser delimited it
            return _Value(raw[1:-1])
        # Most often a } too many, which ends the entry early at that point.
        return _Value(raw, "is not one BibTeX value (a } too many?); kept as written")
    texts, undefined = [], False
    for literal, text in pieces:
        if literal or text.isdecimal():
            texts.append(text)
        elif (expansion := macros.get(text.lower())) is not None:
            texts.append(expansion)
        else:
            texts.append(text)
            undefined = True
    complaint = "is an undefined @string; kept as written" if undefined else ""
    return _Value("".join(texts), complaint)


def _macros(strings: Iterable[String]) -> dict[str, str]:
    """@string macros by lower-cased name, each able to use those before it."""
    macros: dict[str, str] = dict(MONTH_MACROS)
    for string in strings:
        macros[string.key.lower()] = _resolve(str(string.value), macros).text
    return macros


def _inherit_crossrefs(entries: list[_Parsed]) -> None:
    """Fields a child lacks, from its crossref parent (and that one's), as BibTeX does.

    As in biblatex, the parent's title is also the child's booktitle: the
    proceedings or book the child is part of.
    """
    by_key: dict[str, _Parsed] = {}
    for parsed in entries:
        by_key.setdefault(parsed.key.lower(), parsed)
    for parsed in entries:
        child, seen = parsed.values, {parsed.key.lower()}
        reference = child.get("crossref")
        for _ in range(MAX_CROSSREF_DEPTH):
            if reference is None:
                break
            name = clean_line(reference.text).lower()
            parent = by_key.get(name)
            if parent is None or name in seen:
                parsed.crossref_missing = "" if parent else clean_line(reference.text)
                break
            seen.add(name)
            if "title" in parent.values and "booktitle" not in child and "title" in child:
                child["booktitle"] = parent.values["title"]
            if "title" not in child and "title" in parent.values and "subtitle" in parent.values:
                # A title taken from the parent is taken whole.
                child.setdefault("subtitle", parent.values["subtitle"])
            for key in INHERITED:
                if key not in child and key in parent.values:
                    child[key] = parent.values[key]
            reference = parent.values.get("crossref")


# --- fields -------------------------------------------------------------------


# Some exporters write HTML entities (``Nutrition &amp; Metabolism``); no one
# means the entity's text. An escaped ``\&amp;`` is text, and stays.
_HTML_ENTITY: Final = re.compile(r"(?<!\\)&(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9A-Fa-f]{1,6});")

_LINE_BREAK: Final = re.compile(r"\\\\[ \t]*\n")
_WRAPPED_LINE: Final = re.compile(r"(?<!\n)[ \t]*\n(?!\n)[ \t]*")
_PARAGRAPH: Final = re.compile(r"[ \t]*\n\s*\n")


class _Reader:
    """The fields of one entry, with the problems met reading them."""

    def __init__(self, parsed: _Parsed, problems: list[Problem]) -> None:
        self.values = parsed.values
        self.line = parsed.line
        self.problems = problems
        self.reported: set[str] = set()  # fields already complained of, as some are read twice

    def warn(self, reason: str) -> None:
        self.problems.append(Problem(self.line, reason, "warning"))

    def raw(self, name: str) -> str:
        """The value as written, less its delimiters and any terminal controls; "" if absent.

        Controls go before the LaTeX decoder runs: it would read the ``\\`` of an
        ``ESC \\`` terminator as LaTeX and leave the sequence's payload as text.
        """
        value = self.values.get(name)
        if value is None:
            return ""
        # A month that no macro names (`sept`) is the month reader's to judge.
        if value.complaint and name not in self.reported and name != "month":
            self.warn(f"{name} = {excerpt(value.text)} {value.complaint}")
            self.reported.add(name)
        return clean_text(value.text)

    def text(self, name: str) -> str:
        """The value with its LaTeX decoded, on one line."""
        return clean_line(self.decode(name, self.raw(name)))

    def block(self, name: str) -> str:
        """The value with its LaTeX decoded, in lines and paragraphs (for notes).

        As in LaTeX, a line end is a space (a .bib wraps long values) and a
        blank line a paragraph; ``\\\\`` ends a line, as readq's export writes them.
        What the next line starts with is its text: a note's ``[x] done`` or
        ``[1]`` is not the optional argument of that ``\\\\`` (which would swallow it).
        """
        value = _LINE_BREAK.sub(r"\\\\{}", self.raw(name))
        value = _WRAPPED_LINE.sub(" ", _PARAGRAPH.sub("\n\n", value))
        return clean_block(self.decode(name, value))

    def decode(self, name: str, value: str) -> str:
        if len(value) > MAX_FIELD:
            self.warn(f"{name} is longer than {MAX_FIELD} characters; cut")
            value = value[:MAX_FIELD]
        if not LATEX_SYNTAX.search(value):
            return value
        value = _HTML_ENTITY.sub(lambda entity: html.unescape(entity[0]), value)
        try:
            return latex_to_text(value)
        except Exception:  # pylatexenc fails in many ways on odd input
            # (RecursionError on deep nesting, a macro short of its arguments,
            # ...): the entry is still worth having with the markup stripped.
            self.warn(f"could not decode the LaTeX in {name}; kept it as written")
            return stripped(value)


def _paper(parsed: _Parsed, problems: list[Problem]) -> ParsedPaper | None:
    fields = _Reader(parsed, problems)
    title = _title(fields)
    if not title:
        reason = "entry has no title"
        if parsed.crossref_missing:
            reason += f" (its crossref {excerpt(parsed.crossref_missing)} is not in the file)"
        problems.append(Problem(parsed.line, f"{reason}; skipped"))
        return None
    authors, truncated = _authors(fields)
    arxiv = _arxiv(fields)
    category, categories = _categories(fields)
    keywords = split_tags(fields.text("keywords"))
    note = next(filter(None, (fields.block(name) for name in NOTE_FIELDS)), "")
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
        notes=note or None,
        tags=keywords or None,
    )


# A title ending so takes its subtitle after a space, not after a colon.
_TITLE_END: Final = (".", ":", "?", "!")


def _title(fields: _Reader) -> str:
    """``title: subtitle``, as Crossref and Zotero write it. Two parts of one work
    (``Annoyingly Casual Titles``, Part 1 and Part 2) may differ only in their
    subtitle: without it they would be merged as one paper."""
    title, subtitle = fields.text("title"), fields.text("subtitle")
    # Some managers also keep the subtitle in the title: it is not said twice.
    if not title or not subtitle or subtitle.casefold() in title.casefold():
        return title
    return f"{title} {subtitle}" if title.endswith(_TITLE_END) else f"{title}: {subtitle}"


def _authors(fields: _Reader) -> tuple[list[str], bool]:
    """Names as ``Given von Family Jr``, and whether ``and others`` cut the list.

    Every name is kept, repeats too: two authors may share ``S. Zhang``.
    """
    authors, truncated = [], False
    for written in split_multiple_persons_names(fields.raw("author")):
        if written.strip().lower() == "others":  # braced, {Others} is a name
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


_CATEGORY: Final = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]{2,}(?:-[a-z]{2,})?)?")
_CATEGORY_SEPARATOR: Final = re.compile(r"[\s,;]+")


def _categories(fields: _Reader) -> tuple[str | None, list[str]]:
    """(``CL``, ``["cs.CL", "cs.LG"]``) from ``primaryClass = {cs.CL}`` and
    readq's own ``categories = {cs.CL, cs.LG}``."""
    written = clean_line(fields.raw("primaryclass") or fields.raw("eprintclass"))
    if not written:
        return None, []
    given = [term for term in _CATEGORY_SEPARATOR.split(written) if _CATEGORY.fullmatch(term)]
    if not given:
        fields.warn(f"primaryClass {excerpt(written)} is not an arXiv category; ignored")
        return None, []
    more = _CATEGORY_SEPARATOR.split(clean_line(fields.raw("categories")))
    if all(_CATEGORY.fullmatch(term) for term in more):  # else another tool's field
        given += more
    return short_category(given[0]), list(dict.fromkeys(filter(None, given)))


_URL_MACRO: Final = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_LINK_SEPARATOR: Final = re.compile(r",?\s+")


def _url(fields: _Reader) -> str | None:
    written = fields.raw("url")
    if written:
        link = _URL_MACRO.search(written)
        url = web_url(link[1] if link else written)
        if url is None and len(links := _LINK_SEPARATOR.split(written)) > 1:
            url = web_url(links[0])  # some managers put several links in one field
        if url is None:
            fields.warn(f"ignored url {excerpt(written)}: not http(s)")
        return url
    for name in ("howpublished", "note"):
        for match in _URL_MACRO.finditer(fields.raw(name)):
            if url := web_url(match[1]):
                return url
    return None


# A DOI as resolvers and publishers link it: doi.org and the older dx.doi.org,
# doi.acm.org or doi.wiley.com, .../doi/abs/10..., OpenURL's info:doi/, and
# doi: or \doi{} in a note. (identifiers.clean_doi reads the bare DOI.)
_DOI_LINK: Final = re.compile(
    r"(?:https?://(?:[\w-]+\.)*doi(?:\.[\w-]+)+/|/doi/(?:abs/|full/|pdf/|epdf/)?"
    r"|\binfo:doi/|\burn:doi:|\bdoi\s*:\s*|\\doi\s*\{)"
    r"(?P<doi>10\.\d{4,9}/[^\s{}\"<>]+)",
    re.IGNORECASE,
)
_WEB_LINK: Final = re.compile(r"\s*https?://", re.IGNORECASE)
_DOI_ESCAPE: Final = re.compile(r"\\([_%&#$])")


def _doi(fields: _Reader) -> str | None:
    """The ``doi`` field's DOI; else a DOI link in url, or one in note or howpublished."""
    written = fields.raw("doi")
    if written:
        plain = _DOI_ESCAPE.sub(r"\1", written).replace("{", "").replace("}", "")
        doi = clean_doi(plain) or _linked_doi(plain)
        if doi is not None:
            return doi
        fields.warn(f"ignored doi {excerpt(written)}: not a DOI")
    for name in ("url", "note", "howpublished"):
        if doi := _linked_doi(fields.raw(name)):
            return doi
    return None


def _linked_doi(text: str) -> str | None:
    if "%" in text and _WEB_LINK.match(text):
        text = urllib.parse.unquote(text)  # a link may encode the / as %2F
    match = _DOI_LINK.search(text)
    return clean_doi(match["doi"]) if match else None
