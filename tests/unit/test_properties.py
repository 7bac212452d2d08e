"""Property tests: the listing parser and the text cleaner on generated input.

Hypothesis runs derandomized (a fixed sequence of examples) so the suite is
reproducible; the example counts keep the whole file to a few seconds.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readq.importers.listing import HEADER, MAX_AUTHOR_TEXT, _split_candidates, parse
from readq.importers.names import (
    PARTICLES,
    PLAIN_NAME,
    SUFFIXES,
    is_initial,
    is_person_name_by_tokens,
    is_word,
)
from readq.model import ParsedPaper
from readq.sanitize import clean_line, clean_text

AS_OF = date(2026, 11, 29)
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
MONTH_ABBREVIATIONS += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

PROPERTY_SETTINGS = settings(
    derandomize=True,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow],
)

# --- what may never reach the library -------------------------------------------

C0 = {chr(c) for c in range(0x00, 0x20)}
C1 = {chr(c) for c in range(0x80, 0xA0)}
DEL = "\x7f"
ESC = "\x1b"
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def _surrogates(text: str) -> list[str]:
    return [c for c in text if 0xD800 <= ord(c) <= 0xDFFF]


def assert_clean_single_line(value: str, what: str) -> None:
    bad = [c for c in value if c in C0 or c in C1 or c == DEL or c in BIDI]
    assert not bad, f"{what} {value!r} holds control characters {bad!r}"
    assert ESC not in value
    assert not _surrogates(value), f"{what} {value!r} holds lone surrogates"
    assert unicodedata.is_normalized("NFC", value), f"{what} {value!r} is not NFC"


def fields_of(paper: ParsedPaper) -> list[tuple[str, str]]:
    values = [("title", paper.title), ("abstract", paper.abstract)]
    values += [("author", author) for author in paper.authors]
    values += [("org", org) for org in paper.orgs]
    values += [("flag", flag) for flag in paper.flags]
    if paper.category is not None:
        values.append(("category", paper.category))
    return values


# --- arbitrary and listing-like text ------------------------------------------------

FRAGMENTS = [
    # headers, whole and in pieces
    "74.9LGApr 14Code",
    "CLMar 3, 2025Code",
    "AIMay 31, 2017",
    "7AIApr 14",
    "0.5LGDec 31",
    "SEFeb 29",
    "CVFeb 29, 2023",
    "ROJan 0",
    "NEDec 99, 0000",
    "LG",
    "Sept 9",
    "Code",
    "Blog",
    "Video",
    "12.0",
    "٣LGApr ٤",  # non-ASCII digits match \d
    # titles glued to names
    "Sparse Routers Are Secretly DenseMara Ellison, Tobias Quint",
    "NeurIPS Reviews Are NoisyŁukasz Böhmer, Jean-Pierre Ñúñez",
    "Do GNNs Really Oversquash?Luisa M Zintgraf, J. R. Hartley",
    "Legged Locomotion from VideoHugo van der Berg",
    "GPT-2 Is Not EnoughMarcus O'Neill",
    "Robert Hale Jr., Luís da Silva",
    "Xi Chen, Li Na",
    "Anne LeBlanc",
    ", ",
    ",",
    " et al.",
    "et al",
    " · ",
    "·",
    " · deepmind, eth",
    " · UPPER",
    "$\\lambda$",
    "[bold]x[/bold]",
    # line structure
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\ufeff",
    " ",
    "\t",
    "\u2028",
    "\x85",
    # terminal control and bidi tricks
    "\x1b[31m",
    "\x1b]0;title\x07",
    "\x1b]52;c;aGk=\x1b\\",
    "\x1bP1;2q",
    "\x1b",
    "\x9b2J",
    "\x9d8;;http://x\x9c",
    "\x00",
    "\x07",
    "\x08",
    "\x7f",
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u061c",
    # normalisation
    "e\u0301",
    "\u0301",
    "A\u030a",
    "\u1100\u1161",
    "\uf900",
    "\u212b",
    "\ud800",
    "\udfff",
]

listing_like_text = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.sampled_from(FRAGMENTS),
        st.text(max_size=8),
    ),
    max_size=40,
).map("".join)

any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8", categories=None)),
    listing_like_text,
    st.lists(listing_like_text, max_size=6).map("\n".join),
)
surrogate = st.integers(0xD800, 0xDFFF).map(chr)
text_with_surrogates = st.lists(
    st.one_of(st.characters(), surrogate, st.sampled_from(FRAGMENTS)), max_size=40
).map("".join)


@PROPERTY_SETTINGS
@given(any_text)
def test_parse_never_raises_and_every_field_is_clean(text: str) -> None:
    result = parse(text, as_of=AS_OF)
    for paper in result.papers:
        for what, value in fields_of(paper):
            assert "\n" not in value and "\t" not in value, f"{what} {value!r} spans lines"
            assert_clean_single_line(value, what)
        assert paper.category is not None
        assert paper.published is not None
        date.fromisoformat(paper.published)
    for problem in result.problems:
        assert problem.line >= 1
        assert problem.severity in ("error", "warning")


@PROPERTY_SETTINGS
@given(st.one_of(any_text, text_with_surrogates))
def test_clean_text_leaves_no_control_and_is_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    bad = [c for c in cleaned if (c in C0 and c not in "\n\t") or c == DEL or c in C1]
    assert not bad, f"{cleaned!r} holds control characters {bad!r}"
    assert ESC not in cleaned
    assert not BIDI & set(cleaned)
    assert not _surrogates(cleaned)
    assert "\r" not in cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned


@PROPERTY_SETTINGS
@given(st.one_of(any_text, text_with_surrogates))
def test_clean_line_is_one_clean_line_and_idempotent(text: str) -> None:
    cleaned = clean_line(text)
    assert "\n" not in cleaned and "\t" not in cleaned
    assert cleaned == cleaned.strip()
    assert_clean_single_line(cleaned, "line")
    assert clean_line(cleaned) == cleaned


# --- fast paths agree with the thorough ones ----------------------------------------
#
# clean_text and clean_line return printable text untouched, and the listing
# parser takes shortcuts in the name test and in finding split points. These
# check, over every code point where that is cheap, that nothing changes.

EVERY_CHARACTER = [chr(c) for c in range(sys.maxunicode + 1)]


def test_cleaning_keeps_every_printable_character() -> None:
    # The newline makes clean_text take its thorough path for each character.
    changed = [
        c
        for c in EVERY_CHARACTER
        if c.isprintable()
        and unicodedata.is_normalized("NFC", c)
        and clean_text(c + "\n") != c + "\n"
    ]
    assert changed == []


def test_the_plain_space_is_the_only_printable_whitespace() -> None:
    assert [c for c in EVERY_CHARACTER if c.isspace() and c.isprintable()] == [" "]


def test_long_ascii_text_is_cleaned_like_any_other() -> None:
    # Long ASCII text is checked for printability another way; the newline
    # appended makes clean_text take its thorough path instead.
    for c in map(chr, range(128)):
        text = "word " * 20 + c + " word" * 20
        thorough = clean_text(text + "\n")[:-1]
        assert clean_text(text) == thorough, repr(c)
        assert clean_line(text) == " ".join(thorough.split()), repr(c)


LATIN_1 = [chr(c) for c in range(256)]


def test_every_plain_name_passes_the_token_test() -> None:
    # Every pair of Latin-1 characters as a word, an initial, and before a suffix.
    pairs = [f"{a}{b}" for a in LATIN_1 for b in LATIN_1]
    shapes = [f"{w}. {w}{w}" for w in pairs] + [f"{w[0]}. {w}{w[1]}" for w in pairs]
    shapes += [f"{w} {suffix}" for w in pairs for suffix in SUFFIXES]
    plain = [name for name in shapes if PLAIN_NAME.fullmatch(name)]
    assert len(plain) > 1000
    assert [name for name in plain if not is_person_name_by_tokens(name)] == []


@PROPERTY_SETTINGS
@given(st.from_regex(PLAIN_NAME, fullmatch=True))
def test_names_of_the_plain_shape_pass_the_token_test(name: str) -> None:
    assert is_person_name_by_tokens(name)


@PROPERTY_SETTINGS
@given(st.from_regex(r"[a-z]+[A-Z]", fullmatch=True), st.text(max_size=8))
def test_a_title_word_glued_to_a_name_is_no_part_of_a_name(glued: str, rest: str) -> None:
    token = glued + rest
    assert not (is_word(token) or is_initial(token) or token in PARTICLES or token in SUFFIXES)


def test_split_points_are_capitals_after_non_spaces() -> None:
    # Each character once as a possible split point, once just before one.
    text = "".join(f"x{c}{c}A" for c in EVERY_CHARACTER)
    for start in range(0, len(text), MAX_AUTHOR_TEXT):
        head = text[start : start + MAX_AUTHOR_TEXT]
        expected = [
            i for i in range(1, len(head)) if head[i].isupper() and not head[i - 1].isspace()
        ]
        assert list(_split_candidates(head)) == expected


# --- round trip: generated papers through a formatted listing --------------------

UPPER = "ABCDEFGHIJKLMNOPRSTUVWZÁÉÍÓÚÅÄÖØŁŚŽČÇÑ"
LOWER = "abcdefghijklmnoprstuvwyzáéíóúàèäöüåøłśžčçñß"

GIVEN_NAMES = [
    "Mara", "Tobias", "Ravi", "Junie", "Oskar", "Ingrid", "Chen", "Amélie", "Jörg",
    "Priya", "Li", "Xi", "Kwame", "Marcus", "Elena", "Ahmed", "Beatriz", "Sofia",
    "Anne", "Tomasz", "Ade", "Kai", "Noor", "Rosa", "Yuki", "Omar", "Łukasz",
    "Zoë", "Ángel", "Søren", "Ayşe", "Đorđe", "Björn", "Aoife", "Luís", "Chloé",
]  # fmt: skip
FAMILY_NAMES = [
    "Ellison", "Quint", "Anand", "Park", "Lind", "Solberg", "Wei", "Durand", "Weiß",
    "Haddad", "Natarajan", "Na", "Mensah", "Rossi", "Costa", "McAllister", "LeBlanc",
    "Nowak", "Okafor", "Brandt", "Jiménez", "Tanaka", "Farouk", "Böhmer", "Núñez",
    "Al-Sayed", "O'Neill", "Müller", "Øster", "Kowalczyk", "Şahin", "Đoković",
    "Rocktäschel", "Lindqvist", "Chen", "Ng", "MacLeod",
]  # fmt: skip
TITLE_WORDS = [
    "Sparse", "Routers", "Are", "Secretly", "Dense", "Curriculum", "Sampling", "For",
    "Offline", "Memory", "Probes", "Agents", "Seeing", "Through", "Fog", "With",
    "Polarized", "Scaling", "Laws", "Graph", "Transformers", "Reading", "Interfaces",
    "Über", "Élan", "Études", "Why", "Do", "Can",
]  # fmt: skip
ORG_SLUGS = ["deepmind", "eth", "stanford", "berkeley", "cmu", "mila", "amazon-science", "uw"]


def _capitalised_word(min_rest: int = 1) -> st.SearchStrategy[str]:
    return st.builds(
        str.__add__,
        st.sampled_from(UPPER),
        st.text(alphabet=LOWER, min_size=min_rest, max_size=9),
    )


lower_word = st.text(alphabet=LOWER, min_size=1, max_size=10)
given_name = st.one_of(st.sampled_from(GIVEN_NAMES), _capitalised_word())
# Generated family names avoid the suffixes a name may end in (Jr, Sr).
family_name = st.one_of(
    st.sampled_from(FAMILY_NAMES), _capitalised_word().filter(lambda w: w not in ("Jr", "Sr"))
)
author = st.builds(lambda g, f: f"{g} {f}", given_name, family_name)
org_slug = st.one_of(
    st.sampled_from(ORG_SLUGS),
    st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6})?", fullmatch=True),
)


@st.composite
def titles(draw: st.DrawFn) -> str:
    words = draw(
        st.lists(
            st.one_of(st.sampled_from(TITLE_WORDS), _capitalised_word()), min_size=1, max_size=7
        )
    )
    words.append(draw(lower_word))
    return " ".join(words) + draw(st.sampled_from(["", "?"]))


abstract_word = st.text(
    alphabet=st.characters(
        categories=["L", "N", "P", "S"],
        exclude_characters="\u00b7",
    ),
    min_size=1,
    max_size=12,
).map(lambda w: unicodedata.normalize("NFC", w))
abstracts = (
    st.lists(abstract_word, min_size=1, max_size=25)
    .map(" ".join)
    .filter(lambda a: a == clean_line(a) and a and HEADER.fullmatch(a) is None)
)


@dataclass
class Entry:
    title: str
    authors: list[str]
    truncated: bool
    orgs: list[str]
    score_text: str | None
    category: str
    published: date
    with_year: bool
    flags: list[str]
    abstract: str

    def header(self) -> str:
        day = f"{MONTH_ABBREVIATIONS[self.published.month - 1]} {self.published.day}"
        if self.with_year:
            day += f", {self.published.year}"
        return f"{self.score_text or ''}{self.category}{day}{''.join(self.flags)}"

    def title_line(self) -> str:
        line = self.title + ", ".join(self.authors)
        if self.truncated:
            line += " et al."
        if self.orgs:
            line += " · " + ", ".join(self.orgs)
        return line


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    with_year = draw(st.booleans())
    if with_year:
        published = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
    else:
        # Without a year the date must fall in the year up to the capture day.
        published = AS_OF - timedelta(days=draw(st.integers(0, 364)))
    score_text = draw(
        st.one_of(
            st.none(),
            st.integers(0, 999).map(str),
            st.integers(0, 9999).map(lambda n: f"{n / 10:.1f}"),
        )
    )
    return Entry(
        title=draw(titles()),
        authors=draw(st.lists(author, min_size=1, max_size=4)),
        truncated=draw(st.booleans()),
        orgs=draw(st.lists(org_slug, max_size=3)),
        score_text=score_text,
        category=draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=4)),
        published=published,
        with_year=with_year,
        flags=draw(st.lists(st.sampled_from(["Code", "Blog", "Video"]), unique=True, max_size=2)),
        abstract=draw(abstracts),
    )


@st.composite
def listings(draw: st.DrawFn) -> tuple[str, list[Entry]]:
    papers = draw(st.lists(entries(), min_size=1, max_size=5))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines: list[str] = []
    for entry in papers:
        for line in (entry.header(), entry.title_line(), entry.abstract):
            lines.append(line + draw(st.sampled_from(["", "", " ", "  "])))
        lines.extend([""] * draw(st.integers(0, 2)))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return bom + newline.join(lines) + draw(st.sampled_from(["", newline])), papers


@settings(derandomize=True, deadline=None, max_examples=200)
@given(listings())
def test_formatted_listing_parses_back_exactly(listing: tuple[str, list[Entry]]) -> None:
    text, papers = listing
    result = parse(text, as_of=AS_OF)
    assert result.problems == []
    assert len(result.papers) == len(papers)
    for got, want in zip(result.papers, papers, strict=True):
        assert got.title == want.title
        assert got.authors == want.authors
        assert got.authors_truncated is want.truncated
        assert got.orgs == want.orgs
        assert got.category == want.category
        assert got.published == want.published.isoformat()
        assert got.score == (None if want.score_text is None else float(want.score_text))
        assert got.has_code is ("Code" in want.flags)
        assert got.flags == want.flags
        assert got.abstract == want.abstract
