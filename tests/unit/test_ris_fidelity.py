"""RIS as it is really exported, read by readq and by rispy; readq's own RIS read back.

The corpus (tests/data/real/ris, sources in its LICENSES.md) holds real exports
from Zotero, Scopus, Embase, Ovid, ProQuest, PubMed (via Zotero and EndNote),
Web of Science, IEEE Xplore, JSTOR, PsycINFO, TRID and Rayyan. rispy, an
independent reader, says which records each file holds and what their fields
say; readq must store every titled one with the same title, authors in order,
year and DOI. Names are compared as the words they hold, so that rispy's
``Liu R.`` and readq's ``R. Liu`` are the same person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import rispy  # type: ignore[import-untyped]  # no type hints shipped
from hypothesis import given, settings
from hypothesis import strategies as st
from rispy.config import LIST_TYPE_TAGS  # type: ignore[import-untyped]

from readq import exporters, importers
from readq.importers import ParseResult, ris
from readq.model import Paper, ParsedPaper, Status, family_name

CORPUS = Path(__file__).resolve().parent.parent / "data" / "real" / "ris"
AS_OF = date(2026, 11, 29)
# How readq picks the title among the tags that can hold one (rispy's names).
TITLE_KEYS = ("title", "primary_title", "CT", "short_title", "BT")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_WORD = re.compile(r"\w+")
# Initials after a family name, as databases write them: ``R.``, ``D.G.``, ``K.-C.``, ``CWC``.
_INITIALS = re.compile(r"(?:[A-Z]\.-?)+|[A-Z]{1,3}")


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix == ".ris")


# --- comparison helpers (the CSV test uses them too) -----------------------------


def normal_text(text: str) -> str:
    """How two readers' strings are compared: NFC, whitespace folded."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def person_key(name: str) -> list[str]:
    """A name's words, in any order: ``Liu R.``, ``R. Liu`` and ``Liu, R`` agree."""
    return sorted(_WORD.findall(normal_text(name).casefold()))


def written_family(name: str) -> str:
    """The family name as a source writes it: before the comma, before trailing
    initials (``Liu R.``), else the last word; its last word, for the identity key."""
    if "," in name:
        family = name.split(",")[0]
    else:
        words = name.split()
        while len(words) > 1 and _INITIALS.fullmatch(words[-1]):
            words.pop()
        family = " ".join(words) if len(words) < len(name.split()) else name
    return family_name(family)


def same_people(expected: list[str], stored: list[str]) -> bool:
    """The same names in the same order, and readq knows each one's family name: the
    identity key that lets this copy of a paper meet its copy from another file."""
    if [person_key(n) for n in expected] != [person_key(n) for n in stored]:
        return False
    return [written_family(n) for n in expected] == [family_name(n) for n in stored]


def year_in(value: str | None) -> str | None:
    match = _YEAR.search(value or "")
    return match[1] if match else None


def plain_doi(value: str | None) -> str | None:
    doi = _DOI_PREFIX.sub("", (value or "").strip()).lower()
    return doi or None


@dataclass
class Report:
    compared: int = 0
    exact: int = 0
    mismatches: list[str] = field(default_factory=list)
    note: str = ""
    errors: list[str] = field(default_factory=list)  # readq's, for records it skipped


def compare_papers(
    expected: list[dict[str, Any]], papers: list[ParsedPaper], report: Report
) -> None:
    """Each expected record (title, authors, year, doi) against the paper readq stored.

    Records are matched in order by title, so that two records with one title
    (it happens) are matched one to one.
    """
    unused = list(papers)
    for want in expected:
        report.compared += 1
        title = normal_text(want["title"])
        found = next((p for p in unused if normal_text(p.title) == title), None)
        if found is None:
            report.mismatches.append(f"not stored: {title[:70]!r}")
            continue
        unused.remove(found)
        problems = []
        if not same_people(want["authors"], found.authors):
            problems.append(f"authors {want['authors'][:3]} != {found.authors[:3]}")
        if want["year"] and want["year"] != (found.published or "")[:4]:
            problems.append(f"year {want['year']} != {found.published}")
        if want["doi"] and want["doi"] != (found.doi or "").lower():
            problems.append(f"doi {want['doi']} != {found.doi}")
        if problems:
            report.mismatches.append(f"{title[:50]!r}: " + "; ".join(problems))
        else:
            report.exact += 1


# --- what rispy reads ------------------------------------------------------------


def _title(record: dict[str, Any]) -> str:
    unknown = record.get("unknown_tag") or {}
    for key in TITLE_KEYS:
        values = unknown.get(key) if key.isupper() else record.get(key)
        value = values[0] if isinstance(values, list) else values
        if value and value.strip():
            return str(value)
    return ""


def _first(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if value and str(value).strip():
            return str(value)
    return None


def rispy_records(path: Path) -> list[dict[str, Any]]:
    # rispy.load opens the file as Python does: universal newlines, and utf-8-sig drops a BOM.
    records: list[dict[str, Any]] = rispy.load(path, encoding="utf-8-sig")
    return records


def expected_records(path: Path) -> list[dict[str, Any]]:
    """Every titled record rispy finds, as the fields the comparison needs."""
    expected = []
    for record in rispy_records(path):
        title = _title(record)
        if not title:
            continue
        authors = [*record.get("authors", []), *record.get("first_authors", [])]
        expected.append(
            {
                "title": title,
                "authors": [a for a in authors if a.strip()],
                "year": year_in(_first(record, "year", "publication_year", "date")),
                "doi": plain_doi(_first(record, "doi")),
            }
        )
    return expected


def compare_file(
    path: Path,
    fmt_expected: str = "ris",
    expected: Callable[[Path], list[dict[str, Any]]] = expected_records,
) -> Report:
    """readq's import of ``path`` against what an independent reader says
    (``expected``); the CSV test compares its files through this too."""
    text = path.read_bytes().decode("utf-8-sig")
    report = Report()
    fmt = importers.detect(text, path.name)
    result = importers.parse(text, fmt, as_of=AS_OF)
    report.errors = [str(p) for p in result.errors]
    report.note = f"[{fmt}] {len(result.papers)} stored, {len(report.errors)} errors"
    if fmt != fmt_expected:
        report.mismatches.append(f"detected as {fmt}")
        return report
    compare_papers(expected(path), result.papers, report)
    return report


# --- the corpus --------------------------------------------------------------------


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_titled_record_rispy_finds_is_stored_alike(path: Path) -> None:
    report = compare_file(path)
    assert report.mismatches == [], report.note
    assert report.exact == report.compared
    # No false errors: readq skips only the records that have no title for rispy either.
    untitled = sum(1 for record in rispy_records(path) if not _title(record))
    assert len(report.errors) == untitled, report.errors


# --- readq's own RIS, read back by readq and by rispy --------------------------------
#
# Papers as the library stores them (every text cleaned as an importer cleans it),
# with every field readq keeps. The strategy is shared with the CSV test.

given_names = st.sampled_from(["Ada", "Jörg", "Amélie", "Li", "Sa'id", "J.", "J. R.", "Zoë"])
families = st.sampled_from(
    ["Lovelace", "Weiß", "O'Neill", "McAllister", "Al-Sayed", "van der Berg", "Zhang", "Liu"]
)
people = st.one_of(
    st.builds(lambda g, f: f"{g} {f}", given_names, families),
    st.sampled_from(
        ["Plato", "The Consortium", "Martin Luther King Jr.", "S. Zhang", "Henry Ford II"]
    ),
)
title_chars = st.sampled_from(list("abcXYZ019 &%$#_{}~^\\,;\"'[]@=-+éλ·<>"))
texts = st.text(title_chars, min_size=1, max_size=40).map(lambda t: " ".join(t.split()))
note_line = st.one_of(
    texts,
    st.sampled_from(
        [
            "",
            "  indented code()",
            "\tTabbed",
            "- a bullet",
            "ER  - not the end",
            "AU  - Fake, Author",
            "TY - JOUR",
            "1.",
            "Provider: nobody",
            "<b>bold</b> & <i>x</i>",
            "'=SUM(A1)",
        ]
    ),
)


def _stored_note(lines: list[str]) -> str:
    """A note as the library keeps it (sanitize.clean_block's shape)."""
    return "\n".join(line.rstrip() for line in lines).strip("\n")


@st.composite
def papers(draw: st.DrawFn, key: int = 0) -> Paper:
    """One paper with every field readq keeps, as the library stores it."""
    arxiv = draw(
        st.one_of(
            st.none(),
            st.from_regex(r"2[0-5]0[1-9]\.[0-9]{5}", fullmatch=True),
            st.just("hep-th/9901001"),
        )
    )
    day = draw(st.dates(date(1990, 1, 1), date(2026, 11, 29))).isoformat()
    url = draw(
        st.sampled_from(
            [None, "https://example.org/p?id=1&x=%20", "https://arxiv.org/abs/2503.00042"]
        )
    )
    return Paper(
        id=key + 1,
        title=draw(texts.filter(bool)),
        authors=draw(st.lists(people, max_size=4)),  # repeats too: two people, one name
        authors_truncated=draw(st.booleans()),
        orgs=draw(st.lists(st.sampled_from(["MIT", "Google DeepMind", "ETH Zürich, D-INFK"]))),
        category=draw(st.sampled_from([None, "LG", "stat.ML"])),
        categories=draw(st.lists(st.sampled_from(["cs.LG", "stat.ML", "math.OC"]), unique=True)),
        published=draw(st.sampled_from([None, day, day[:7], day[:4]])),
        score=draw(st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))),
        has_code=draw(st.booleans()),
        abstract=draw(st.one_of(st.just(""), texts)),
        url=url,
        arxiv_id=arxiv,
        arxiv_version=draw(st.one_of(st.none(), st.integers(1, 9))) if arxiv else None,
        doi=draw(
            st.one_of(st.none(), st.from_regex(r"10\.[0-9]{4}/[a-z0-9]{1,12}", fullmatch=True))
        ),
        flags=draw(st.lists(st.sampled_from(["Code", "New", "Hot"]), unique=True)),
        announce_type=draw(st.sampled_from([None, "new", "cross", "replace"])),
        venue=draw(st.sampled_from([None, "Journal of Things & Stuff", "NeurIPS"])),
        citation_key=draw(st.sampled_from([None, f"key{key}"])),
        status=draw(st.sampled_from(list(Status))),
        priority=draw(st.integers(0, 3)),
        notes=_stored_note(draw(st.lists(note_line, max_size=6))),
        tags=draw(st.lists(st.sampled_from(["ml", "to-read", "c++", "a,b", "rl"]), unique=True)),
    )


@st.composite
def libraries(draw: st.DrawFn) -> list[Paper]:
    count = draw(st.integers(1, 3))
    return [draw(papers(key=i)) for i in range(count)]


# Every field a RIS or CSV round trip carries: all but the library's own times
# and the import's source. (citation_key is compared where the paper has one:
# a paper without gets the key the export made for it.)
CARRIED = tuple(
    name
    for name in Paper.__dataclass_fields__
    if name not in {"id", "source", "added_at", "read_at", "updated_at", "changed_at"}
    and name not in {"deleted_at", "citation_key", "arrived_from", "feeds", "note_versions"}
)


def _as_stored(parsed: ParsedPaper, name: str) -> object:
    value = getattr(parsed, name)
    defaults: dict[str, object] = {"notes": "", "tags": [], "status": Status.UNREAD, "priority": 0}
    return defaults.get(name) if value is None and name in defaults else value


def assert_round_trip(fmt: str, library: list[Paper]) -> None:
    """Export ``library`` as ``fmt``, import it as the CLI would: the same papers come back."""
    text = exporters.export(library, fmt).decode("utf-8")
    assert importers.detect(text, f"export.{fmt}") == fmt
    result = importers.parse(text, fmt, as_of=AS_OF)
    assert result.errors == []
    assert len(result.papers) == len(library)
    for paper, back in zip(library, result.papers, strict=True):
        for name in CARRIED:
            assert _as_stored(back, name) == getattr(paper, name), name
        if paper.citation_key:
            assert back.citation_key == paper.citation_key


@settings(max_examples=40, derandomize=True, deadline=None)
@given(libraries())
def test_ris_round_trip_keeps_every_field(library: list[Paper]) -> None:
    assert_round_trip("ris", library)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(libraries())
def test_ris_round_trip_keeps_every_field_long(library: list[Paper]) -> None:
    assert_round_trip("ris", library)


def _rispy_text(value: object) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value or "")


@settings(max_examples=40, derandomize=True, deadline=None)
@given(libraries())
def test_rispy_reads_every_field_of_readq_ris(library: list[Paper]) -> None:
    """Another RIS reader finds readq's fields where RIS and this export say they are."""
    text = exporters.export(library, "ris").decode("utf-8")
    records = rispy.loads(text, list_tags=[*LIST_TYPE_TAGS, "AD"])
    assert len(records) == len(library)
    for paper, record in zip(library, records, strict=True):
        unknown = record.get("unknown_tag", {})
        assert record["title"] == paper.title
        assert same_people(record.get("authors", []), paper.authors)
        assert record.get("year") == (paper.year or None)
        assert record.get("doi") == paper.doi
        assert record.get("journal_name") == paper.venue
        assert record.get("abstract", "") == paper.abstract
        assert record.get("keywords", []) == paper.tags
        assert record.get("author_address", []) == paper.orgs
        assert record["name_of_database"] == "readq"
        assert record.get("custom1") == ("et al." if paper.authors_truncated else None)
        assert record.get("custom2") == (None if paper.score is None else repr(paper.score))
        assert record.get("custom3") == ("code" if paper.has_code else None)
        assert record.get("custom4") == paper.category
        assert record.get("custom5", "") == "; ".join(paper.categories)
        assert record.get("custom6", "") == "; ".join(paper.flags)
        assert (record["custom7"], record["custom8"]) == (paper.status.value, str(paper.priority))
        assert unknown.get("U1", [None]) == [paper.announce_type]
        urls = [u for u in (paper.url,) if u]
        if paper.arxiv_id:
            version = f"v{paper.arxiv_version}" if paper.arxiv_version else ""
            urls.append(f"https://arxiv.org/abs/{paper.arxiv_id}{version}")
            assert unknown["U2"] == [paper.arxiv_id + version]
        assert record.get("urls", []) == urls
        # rispy strips each line; the escape before tag-like lines is invisible.
        note_lines = [line.strip() for line in paper.notes.split("\n")] if paper.notes else []
        assert [line.removeprefix("\u200b") for line in record.get("notes", [])] == note_lines


# --- RIS as exporters write it: one behaviour each ------------------------------------


def _ris(*lines: str) -> ParseResult:
    return ris.parse("\n".join(lines) + "\n", as_of=AS_OF)


OVID = (
    "1.",
    "TY  - JOUR",
    "T1  - Self-criticism and depression.",
    "A1  - Trindade, Ines A",
    "Y1  - 2019//",
    "ER  -",
    "NL  - Clin Psychol Psychother",
    "",
    "Link to the Ovid Full Text or citation: https://example.org/ovid",
    "",
    "2.",
    "TY  - JOUR",
    "T1  - Second",
    "ER  -",
    "NL  - J Health Psychol",
)


def test_ovid_record_numbers_and_fields_after_er_are_no_problem() -> None:
    text = "\n".join(OVID) + "\n"
    assert importers.detect(text, "export.txt") == "ris"
    result = ris.parse(text, as_of=AS_OF)
    assert [(p.title, p.authors, p.published) for p in result.papers] == [
        ("Self-criticism and depression.", ["Ines A Trindade"], "2019"),
        ("Second", [], None),
    ]
    assert result.problems == []


def test_headers_before_records_are_skipped_quietly() -> None:
    text = (
        "Record #1 of 2\nProvider: JSTOR http://www.jstor.org\nDatabase: JSTOR\n"
        'Content: text/plain; charset="UTF-8"\n\n\nTY  - JOUR\nTI  - T\nER  - \n'
    )
    assert ris.looks_like(text)
    result = ris.parse(text, as_of=AS_OF)
    assert [p.title for p in result.papers] == ["T"]
    assert result.problems == []


def test_detection_allows_a_few_stray_lines_but_not_a_document() -> None:
    assert ris.looks_like("% exported by something\n\nTY  - JOUR\nTI  - T\nER  - \n")
    assert ris.looks_like("TY - JOUR\nTI - One space, as Zotero accepts\nER - \n")
    assert not ris.looks_like("line\n" * 4 + "TY  - JOUR\n")
    assert not ris.looks_like("1.\nAU  - Orphan\nTY  - JOUR\n")


def test_fields_after_er_that_hold_a_title_are_a_lost_record() -> None:
    result = _ris("TY  - JOUR", "TI  - First", "ER  - ", "TI  - Orphan", "AU  - Lost, A", "")
    assert [(p.title, p.authors) for p in result.papers] == [("First", [])]
    assert [(p.line, p.severity) for p in result.problems] == [(4, "error")]


@pytest.mark.parametrize(
    ("lines", "title", "venue"),
    [
        (("TY  - JOUR", "ST  - Short only"), "Short only", None),
        (("TY  - JOUR", "T1  - Primary", "ST  - Short"), "Primary", None),
        (("TY  - CONF", "CT  - Conference title"), "Conference title", None),
        (("TY  - BOOK", "BT  - The Book", "ST  - Book"), "The Book", None),
        (("TY  - CHAP", "ST  - Chapter", "BT  - The Book"), "Chapter", "The Book"),
        (("TY  - CHAP", "BT  - Only a book title"), "Only a book title", None),
    ],
)
def test_every_tag_that_can_hold_a_title(lines: tuple[str, ...], title: str, venue: str) -> None:
    (paper,) = _ris(*lines, "ER  - ").papers
    assert (paper.title, paper.venue) == (title, venue)


def test_bom_crlf_and_lone_cr_line_ends() -> None:
    text = (
        "\ufeffTY  - JOUR\r\nTI  - Crlf\r\nER  - \r\n"
        "TY  - JOUR\rTI  - Cr\rAU  - Weiß, Jörg\rER  - \r"
    )
    assert ris.looks_like(text)
    result = ris.parse(text, as_of=AS_OF)
    assert [(p.title, p.authors) for p in result.papers] == [("Crlf", []), ("Cr", ["Jörg Weiß"])]
    assert result.problems == []


def test_continuation_lines_fold_values_split_lists_and_keep_note_lines() -> None:
    (paper,) = _ris(
        "TY  - JOUR",
        "TI  - A title",
        "  on two lines",
        "AB  - An abstract",
        "",
        "with a blank line",
        "KW  - Health Facility Administration",
        "Joint Commission",
        "Professional Practice; Evidence",
        "AU  - Smith, J",
        "Doe, K",
        "N1  - first line",
        "      * indented item",
        "",
        "after a blank line",
        "ER  - ",
    ).papers
    assert paper.title == "A title on two lines"
    assert paper.abstract == "An abstract with a blank line"
    assert paper.tags == [
        "Health Facility Administration",
        "Joint Commission",
        "Professional Practice",
        "Evidence",
    ]
    assert paper.authors == ["J Smith", "K Doe"]
    assert paper.notes == "first line\n      * indented item\n\nafter a blank line"


def test_names_given_first_and_repeats_kept() -> None:
    (paper,) = _ris(
        "TY  - JOUR",
        "TI  - T",
        "AU  - Liu R.",
        "AU  - Adler D.G.",
        "AU  - ElKalaawy N.",  # Scopus: a capital inside that no prefix explains
        "AU  - King, Martin Luther, Jr.",
        "AU  - S. Zhang",
        "AU  - S. Zhang",  # two people can share a name
        "AU  - van de Schoot, Rens",
        "AU  - World Health Organization",
        "ER  - ",
    ).papers
    assert paper.authors == [
        "R. Liu",
        "D.G. Adler",
        "N. ElKalaawy",
        "Martin Luther King Jr.",
        "S. Zhang",
        "S. Zhang",
        "Rens van de Schoot",
        "World Health Organization",
    ]


def test_web_of_science_sici_dois_keep_their_bracket() -> None:
    """Web of Science spaces the bracket of an old DOI: cut at the space, the DOIs of
    one volume's papers were one and merged them (ESHackathon/CiteSource's
    WoS_early.ris). Mendeley left ``<br />`` after a DOI."""
    dois = ["024 [ 0141:SPOCMP]2.0.CO;2", "024 [ 0096:RGDAIH]2.0.CO;2"]
    records = [
        ("TY  - JOUR", f"TI  - T{i}", f"DO  - 10.1659/0276-4741(2004){d}", "ER  - ")
        for i, d in enumerate(dois)
    ]
    result = _ris(
        *(line for record in records for line in record),
        "TY  - JOUR",
        "TI  - M",
        "DO  - http://dx.doi.org/10.1186/2047-2382-3-19<br />",
        "ER  - ",
    )
    assert [p.doi for p in result.papers] == [
        "10.1659/0276-4741(2004)024[0141:SPOCMP]2.0.CO;2",
        "10.1659/0276-4741(2004)024[0096:RGDAIH]2.0.CO;2",
        "10.1186/2047-2382-3-19",
    ]
    assert result.problems == []


def test_dates_with_month_names_take_the_year_of_py() -> None:
    result = _ris(
        *("TY  - JOUR", "TI  - A", "DA  - Jun", "PY  - 2011", "ER  - "),
        *("TY  - JOUR", "TI  - B", "DA  - MAR 1", "PY  - 2018", "ER  - "),
        *("TY  - CONF", "TI  - C", "PY  - 2019", "Y1  - 24-27 Sept. 2019", "ER  - "),
        *("TY  - JOUR", "TI  - D", "Y1  - Jan. 2016", "ER  - "),
        *("TY  - JOUR", "TI  - E", "DA  - Jun", "ER  - "),  # no year anywhere: no date
    )
    assert [p.published for p in result.papers] == [
        "2011-06",
        "2018-03-01",
        "2019-09-24",
        "2016-01",
        None,
    ]
    assert result.problems == []


def test_several_links_in_one_ur() -> None:
    (paper,) = _ris("TY  - JOUR", "TI  - T", "UR  - ftp://x; https://b.org/p", "ER  - ").papers
    assert paper.url == "https://b.org/p"


def test_custom_tags_of_other_exporters_are_not_readq_fields() -> None:
    (paper,) = _ris(
        "TY  - JOUR",
        "TI  - JSTOR",
        "C1  - Full publication date: July-August 2016",
        "C2  - 12",
        "C7  - read",
        "AD  - Department of Things, Some University",
        "N1  - <p>HTML from <b>Zotero</b></p>",
        "ER  - ",
    ).papers
    assert (paper.orgs, paper.score, paper.status, paper.authors_truncated) == (
        [],
        None,
        None,
        False,
    )
    assert paper.notes == "HTML from Zotero"


def test_readq_note_rewritten_as_html_by_zotero_keeps_its_lines() -> None:
    paper = Paper(id=1, title="T", notes="first\nsecond")
    text = exporters.export([paper], "ris").decode("utf-8")
    zotero = re.sub(r"N1  - first\r\nsecond", "N1  - <p>first<br/>second</p>", text)
    (back,) = ris.parse(zotero, as_of=AS_OF).papers
    assert back.notes == "first\nsecond"


def test_readq_note_that_mentions_tags_is_kept_as_written() -> None:
    notes = "use <T> generics\n<b>not bold</b>\nER  - still the note"
    (back,) = ris.parse(
        exporters.export([Paper(id=1, title="T", notes=notes)], "ris").decode(), as_of=AS_OF
    ).papers
    assert back.notes == notes


def test_names_in_older_shapes_are_written_for_other_tools() -> None:
    paper = Paper(
        id=1, title="T", authors=["Liu R.", "Martin Luther King Jr.", "Hugo van der Berg"]
    )
    text = exporters.export([paper], "ris").decode()
    assert [line for line in text.split("\r\n") if line.startswith("AU")] == [
        "AU  - Liu, R.",
        "AU  - King, Martin Luther, Jr.",
        "AU  - van der Berg, Hugo",
    ]
    (back,) = ris.parse(text, as_of=AS_OF).papers
    assert back.authors == ["R. Liu", "Martin Luther King Jr.", "Hugo van der Berg"]
