"""Property tests for the query language (readq.querylang).

(a) to_text prints what parse reads back; (b) parse refuses only with a
QueryError placed inside the text; (c) the matcher agrees with a naive
evaluator written here from the documented semantics; (d) Matcher.select is
Matcher.paper applied in order, whatever the batch size; (e) narrows is sound;
(f) fold_with_positions folds as fold does.

Hypothesis runs derandomized (a fixed sequence of examples), as in
test_properties.py, so the suite is reproducible.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readq.querylang.evaluate as evaluate_module
from readq.fields import SearchRow, search_rows
from readq.model import Paper, Status
from readq.querylang import QueryError, compile_query, parse, to_text
from readq.querylang.folding import fold, fold_with_positions
from readq.querylang.implication import narrows
from readq.querylang.terms import (
    DATE_FIELDS,
    FLAGS,
    TEXT_FIELDS,
    WHOLE_FIELDS,
    Compare,
    Flag,
    Match,
    Not,
    Query,
    all_of,
    any_of,
)

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
# The AND and OR nodes, whatever terms.py names them.
AND = type(all_of([Match(None, "a"), Match(None, "b")]))
OR = type(any_of([Match(None, "a"), Match(None, "b")]))
SELECTED = frozenset({2, 3, 5})

PROPS = settings(
    derandomize=True,
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- typed queries ------------------------------------------------------------------

_AWKWARD = [*"ab AZ-:\"\\()é\tλ$/{}.,'ß", "\n", "\u00a0", "\u2028", "\u0301"]
_TRICKY = ["AND", "OR", "NOT", "-", "-a", "--", "a:b", "title:x", "http://x.org", ".."]
_TRICKY += ["is:read", "x)", '"', "\\", "and", "Or", "a OR b", "(a)", "é:x", "a\\"]


def _values() -> st.SearchStrategy[str]:
    """Values for a Match: awkward characters, keywords, any unicode."""
    return st.one_of(
        st.text(st.sampled_from(_AWKWARD), max_size=8),
        st.text(max_size=6),
        st.sampled_from(_TRICKY),
    )


def _match_leaves() -> st.SearchStrategy[Match]:
    fielded = st.builds(
        Match,
        st.sampled_from((*TEXT_FIELDS, *WHOLE_FIELDS)),
        # A value after a field's colon that starts with // is read as a link: see
        # test_field_value_starting_with_slashes_prints_back below.
        _values().filter(lambda v: v != "" and not v.startswith("//")),
    )
    return st.builds(Match, st.none(), _values()) | fielded


FLAG_TERMS = [Flag(field, value) for field, values in FLAGS.items() for value in values]


def _dates(*, safe: bool) -> st.SearchStrategy[str]:
    low = date(1900, 1, 1) if safe else date(1000, 1, 1)
    days = st.dates(min_value=low, max_value=date(9998, 11, 30))
    calendar = days.flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
    )
    ages = st.builds(
        lambda n, unit: f"{n}{unit}",
        st.integers(0, 99 if safe else 500),  # 500y: the oldest age readq reads
        st.sampled_from("hdwmyHDWMY"),
    )
    return calendar | ages | st.sampled_from(["today", "yesterday", "Today", "YESTERDAY"])


def _compared(field: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[Compare]:
    single = st.builds(
        lambda op, v: Compare(field, op, v), st.sampled_from(["=", "<", "<=", ">", ">="]), values
    )
    ranged = st.builds(lambda v, u: Compare(field, "..", v, u), values, values)
    return single | ranged


def _compare_leaves(*, safe: bool = False) -> st.SearchStrategy[Compare]:
    scores = st.floats(allow_nan=False, allow_infinity=False).map(repr)
    scores |= st.sampled_from(["1", "-2", "+3", ".5", "1e3", "007", "50"])
    years = st.integers(1900 if safe else 1000, 9998).map(str)
    return st.one_of(
        _compared("prio", st.integers(0, 3).map(str)),
        _compared("id", st.integers(0, 10**12).map(str)),
        _compared("score", scores),
        _compared("year", years),
        st.sampled_from(DATE_FIELDS).flatmap(lambda f: _compared(f, _dates(safe=safe))),
    )


def _trees(leaves: st.SearchStrategy[Query], max_leaves: int = 10) -> st.SearchStrategy[Query]:
    return st.recursive(
        leaves,
        lambda kids: st.one_of(
            st.lists(kids, min_size=2, max_size=4).map(all_of),
            st.lists(kids, min_size=2, max_size=4).map(any_of),
            kids.map(Not),
        ),
        max_leaves=max_leaves,
    )


QUERIES = _trees(st.one_of(_match_leaves(), st.sampled_from(FLAG_TERMS), _compare_leaves()))


@PROPS
@given(QUERIES)
def test_printed_query_parses_back_to_itself(query: Query) -> None:
    text = to_text(query)
    assert parse(text) == query, text


@pytest.mark.parametrize("query", [Match("title", "//x"), Match("author", "//")])
def test_field_value_starting_with_slashes_prints_back(query: Match) -> None:
    # parse('title:"//x"') gives Match('title', '//x'): a query the parser makes.
    assert parse(f'{query.field}:"{query.value}"') == query
    assert parse(to_text(query)) == query


# --- any text -----------------------------------------------------------------------

_FRAGMENTS = ['"', "(", ")", ":", "-", " ", " ", "\n", "\t", "\\", "OR", "AND", "NOT", "or"]
_FRAGMENTS += ["title:", "author:", "AUTHOR:", "org:", "abstract:", "note:", "tag:", "cat:"]
_FRAGMENTS += ["id:", "arxiv:", "doi:", "is:", "has:", "prio:", "score:", "year:", "read:"]
_FRAGMENTS += ["published:", "added:", "date:", "foo:", "read", "unread", "note", "code"]
_FRAGMENTS += [">=", "<", "<=", ">", "=", "..", "7d", "12h", "3m", "today", "yesterday"]
_FRAGMENTS += ["2026", "2026-11", "2026-11-31", "2021..2019", "3", "1.5", "x", "é", "λ"]
_FRAGMENTS += ["$", "{", "//", "http://", "ß", "İ", "\u0301", "\u00a0", "\u2028", "-x"]

RANDOM_TEXT = st.one_of(
    st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=3), max_size=14).map("".join),
    st.text(max_size=20),
)

_FEW_PAPERS = [
    Paper(id=1, title="State space models", authors=["Jörg Weiß"], tags=["ssm"], priority=2),
    Paper(
        id=2,
        title="$\\lambda$-calculus",
        abstract="line\nbreak",
        status=Status.READ,
        published="2021-03",
        added_at="2026-11-30T10:00:00Z",
        read_at="2026-11-30T11:00:00Z",
        category="cs.LG",
        doi="10.1145/1",
        arxiv_id="2401.00001v2",
        score=3.0,
    ),
]


@PROPS
@given(RANDOM_TEXT)
def test_parse_raises_only_a_placed_query_error(text: str) -> None:
    try:
        query = parse(text)
    except QueryError as error:
        assert 0 <= error.start <= error.end <= len(text), (error.start, error.end)
        assert error.start < len(text)
        assert error.message
        assert f"column {error.start + 1}" in str(error)
        return
    if query is None:
        assert not text.strip()
        return
    # What parses prints back, and compiles and runs.
    assert parse(to_text(query)) == query
    matcher = compile_query(query, now=NOW, selected=SELECTED)
    assert [p.id for p in matcher.select(_FEW_PAPERS)] == [
        p.id for p in _FEW_PAPERS if matcher.paper(p)
    ]


# --- a naive evaluator --------------------------------------------------------------
#
# Queries are generated with their meaning, written from the documented semantics
# with nothing from readq: a word or phrase is a substring, case and accents folded,
# spacing squeezed, of one of the paper's texts. Every text of the generated papers
# starts and ends with "|", which no query holds, so that a phrase cannot run from
# one text into the next (that readq allows it is a test in test_querylang.py).

LETTERS = "abABéÉß"
TAG_NAMES = ("theory", "to-read", "ml", "ÜNÏ", "zabz", "zBz")
CATEGORIES = ("cs.LG", "cs.CV", "math.ST", "hep-th", "q-bio.NC")
_SEPARATORS = st.sampled_from([" ", "  ", "\n", " \n "])
WORDS = st.text(st.sampled_from(LETTERS), min_size=1, max_size=3)

Meaning = Callable[[Paper], bool]
Node = tuple[str, Meaning, str]  # text, meaning, kind: "atom", "and", "or"


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _has(text: str, value: str) -> bool:
    return _folded(value) in _folded(text)


def _texts(paper: Paper) -> list[str]:
    return [
        paper.title,
        *paper.authors,
        *paper.orgs,
        paper.category or "",
        *paper.categories,
        paper.notes,
        *paper.tags,
        paper.abstract,
    ]


@st.composite
def _guarded_text(draw: st.DrawFn) -> str:
    text = "|"
    for word in draw(st.lists(WORDS, max_size=4)):
        text += draw(_SEPARATORS) + word
    return text + draw(_SEPARATORS) + "|"


def _published() -> st.SearchStrategy[str | None]:
    days = st.dates(min_value=date(2017, 1, 1), max_value=date(2025, 12, 31))
    return st.none() | days.flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])
    )


def _timestamps() -> st.SearchStrategy[str]:
    moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 1, 11))
    return moments.map(lambda m: m.strftime("%Y-%m-%dT%H:%M:%SZ"))


@st.composite
def libraries(draw: st.DrawFn, max_size: int = 8) -> list[Paper]:
    papers = []
    for number in range(draw(st.integers(0, max_size))):
        read = draw(st.booleans())
        papers.append(
            Paper(
                id=number + 1,
                title=draw(_guarded_text()),
                authors=draw(st.lists(_guarded_text(), max_size=3)),
                orgs=draw(st.lists(_guarded_text(), max_size=2)),
                category=draw(st.none() | st.sampled_from(CATEGORIES)),
                categories=draw(st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True)),
                notes=draw(st.just("") | _guarded_text()),
                tags=draw(st.lists(st.sampled_from(TAG_NAMES), max_size=2, unique=True)),
                abstract=draw(st.just("") | _guarded_text()),
                status=Status.READ if read else Status.UNREAD,
                read_at=draw(_timestamps()) if read else None,
                added_at=draw(_timestamps()),
                priority=draw(st.integers(0, 3)),
                published=draw(_published()),
                score=draw(st.none() | st.floats(-10, 100)),
                has_code=draw(st.booleans()),
                url=draw(st.none() | st.just("https://example.org/x")),
                arxiv_id=draw(st.none() | st.sampled_from(["2401.00001v2", "2312.12345"])),
                doi=draw(st.none() | st.sampled_from(["10.1145/1", "10.48550/arXiv.2402.1"])),
            )
        )
    return papers


def _word_node(word: str) -> Node:
    return word, lambda p: any(_has(t, word) for t in _texts(p)), "atom"


@st.composite
def _phrase_node(draw: st.DrawFn) -> Node:
    words = draw(st.lists(WORDS, min_size=0, max_size=3))
    inside = draw(st.sampled_from(["", " "]))
    for word in words:
        inside += word + draw(_SEPARATORS)
    if draw(st.booleans()):
        inside = inside.rstrip()
    return f'"{inside}"', lambda p: any(_has(t, inside) for t in _texts(p)), "atom"


@st.composite
def _author_node(draw: st.DrawFn) -> Node:
    name = draw(st.sampled_from(["author", "authors", "AUTHOR", "Author"]))
    words = draw(st.lists(WORDS, min_size=1, max_size=2))
    value = " ".join(words)
    written = value if len(words) == 1 else f'"{value}"'
    return f"{name}:{written}", lambda p: any(_has(a, value) for a in p.authors), "atom"


@st.composite
def _tag_node(draw: st.DrawFn) -> Node:
    name = draw(st.sampled_from(["tag", "tags", "TAG"]))
    tag = draw(st.sampled_from(TAG_NAMES))
    written = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in tag)
    wanted = _folded(written)
    return f"{name}:{written}", lambda p: any(_folded(t) == wanted for t in p.tags), "atom"


_IS: dict[str, Meaning] = {
    "is:read": lambda p: p.status is Status.READ,
    "is:seen": lambda p: p.status is Status.READ,
    "IS:READ": lambda p: p.status is Status.READ,
    "is:unread": lambda p: p.status is Status.UNREAD,
    "is:unseen": lambda p: p.status is Status.UNREAD,
    "is:selected": lambda p: p.id in SELECTED,
}
_COMPARISONS: dict[str, Callable[[int, int], bool]] = {
    "": lambda x, y: x == y,
    "=": lambda x, y: x == y,
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


@st.composite
def _number_node(draw: st.DrawFn, name: str, low: int, high: int) -> Node:
    """``prio:>=2``, ``year:2019..2022``: ``name``'s number compared."""
    number_of: Callable[[Paper], int | None] = (
        (lambda p: p.priority)
        if name in ("prio", "priority")
        else (lambda p: int(p.published[:4]) if p.published else None)
    )
    first = draw(st.integers(low, high))
    if draw(st.booleans()):
        second = draw(st.integers(low, high))
        lo, hi = sorted((first, second))

        def in_range(p: Paper) -> bool:
            n = number_of(p)
            return n is not None and lo <= n <= hi

        return f"{name}:{first}..{second}", in_range, "atom"
    op = draw(st.sampled_from(list(_COMPARISONS)))
    compare = _COMPARISONS[op]

    def compared(p: Paper) -> bool:
        n = number_of(p)
        return n is not None and compare(n, first)

    return f"{name}:{op}{first}", compared, "atom"


ORACLE_LEAVES: st.SearchStrategy[Node] = st.one_of(
    WORDS.map(_word_node),
    _phrase_node(),
    _author_node(),
    _tag_node(),
    st.sampled_from(sorted(_IS)).map(lambda t: (t, _IS[t], "atom")),
    st.sampled_from(["prio", "priority"]).flatmap(lambda n: _number_node(n, 0, 3)),
    _number_node("year", 2016, 2026),
)


def _grouped(draw: st.DrawFn, node: Node, *, needed: bool) -> str:
    text, _, _ = node
    return f"({text})" if needed or draw(st.integers(0, 5)) == 0 else text


@st.composite
def _and_node(draw: st.DrawFn, kids: list[Node]) -> Node:
    text = _grouped(draw, kids[0], needed=kids[0][2] == "and")
    for kid in kids[1:]:
        text += draw(st.sampled_from([" ", " AND ", "\n", "  "]))
        text += _grouped(draw, kid, needed=kid[2] == "and")
    meanings = [meaning for _, meaning, _ in kids]
    return text, lambda p: all(m(p) for m in meanings), "and"


@st.composite
def _or_node(draw: st.DrawFn, kids: list[Node]) -> Node:
    # OR binds tighter than AND: an AND inside an OR needs its parentheses.
    text = " OR ".join(_grouped(draw, kid, needed=kid[2] == "and") for kid in kids)
    meanings = [meaning for _, meaning, _ in kids]
    return text, lambda p: any(m(p) for m in meanings), "or"


@st.composite
def _not_node(draw: st.DrawFn, kid: Node) -> Node:
    prefix = draw(st.sampled_from(["-", "NOT ", "NOT\n"]))
    text = prefix + _grouped(draw, kid, needed=kid[2] != "atom")
    meaning = kid[1]
    return text, lambda p: not meaning(p), "atom"


ORACLE_QUERIES: st.SearchStrategy[Node] = st.recursive(
    ORACLE_LEAVES,
    lambda kids: st.one_of(
        st.lists(kids, min_size=2, max_size=3).flatmap(_and_node),
        st.lists(kids, min_size=2, max_size=3).flatmap(_or_node),
        kids.flatmap(_not_node),
    ),
    max_leaves=8,
)


@pytest.mark.slow  # 4-6 s each: the whole run (.ci/run) keeps them, the quick suite its 5 minutes
@PROPS
@given(library=libraries(), node=ORACLE_QUERIES)
def test_matcher_agrees_with_a_naive_evaluator(library: list[Paper], node: Node) -> None:
    text, meaning, _ = node
    matcher = compile_query(parse(text), now=NOW, selected=SELECTED)
    for paper in library:
        assert matcher.paper(paper) == meaning(paper), (text, paper)


# --- select, rows ------------------------------------------------------------------


class _Kept:
    """A KeptAbstracts: folded abstracts by paper id."""

    def __init__(self) -> None:
        self.folded: dict[int, str] = {}

    def get(self, paper: Paper) -> str | None:
        return self.folded.get(paper.id)

    def keep(self, paper: Paper, folded: str) -> None:
        self.folded[paper.id] = folded


SAFE_QUERIES = _trees(
    st.one_of(
        _match_leaves(),
        WORDS.map(lambda w: Match(None, w)),
        st.builds(Match, st.sampled_from(TEXT_FIELDS), WORDS),
        st.builds(Match, st.just("tag"), st.sampled_from(TAG_NAMES)),
        st.builds(Match, st.just("cat"), st.sampled_from(["LG", "cs", "cs.LG", "hep-th", "ST"])),
        st.builds(Match, st.sampled_from(["arxiv", "doi"]), st.sampled_from(["2401", "10.1"])),
        st.sampled_from(FLAG_TERMS),
        _compare_leaves(safe=True),
    ),
    max_leaves=8,
)


@pytest.mark.slow  # 4-6 s each: the whole run (.ci/run) keeps them, the quick suite its 5 minutes
@PROPS
@given(library=libraries(max_size=8), query=SAFE_QUERIES, batch=st.integers(1, 4))
def test_select_is_paper_in_order(library: list[Paper], query: Query, batch: int) -> None:
    matcher = compile_query(query, now=NOW, selected=SELECTED)
    expected = [p for p in library if matcher.paper(p)]
    with mock.patch.object(evaluate_module, "_BATCH", batch):
        assert matcher.select(library) == expected
        kept = _Kept()
        assert matcher.select(library, kept) == expected
        assert set(kept.folded) <= {p.id for p in expected}
        assert matcher.select(library, kept) == expected  # with the abstracts kept


def _row_of(paper: Paper) -> SearchRow:
    """The field index's search row for ``paper`` (as fields.columns_of makes it)."""
    (row,) = search_rows([paper])
    return row


@settings(PROPS, max_examples=100)
@given(library=libraries(max_size=6), query=SAFE_QUERIES)
def test_a_row_answers_only_what_the_paper_would(library: list[Paper], query: Query) -> None:
    matcher = compile_query(query, now=NOW, selected=SELECTED)
    for paper in library:
        answer = matcher.row(_row_of(paper))
        assert answer is None or answer == matcher.paper(paper), paper


# --- narrows ---------------------------------------------------------------------

NARROW_WORDS = st.text(st.sampled_from("abé"), min_size=0, max_size=3)
NARROW_LEAVES = st.one_of(
    NARROW_WORDS.map(lambda w: Match(None, w)),
    st.builds(Match, st.sampled_from(TEXT_FIELDS), NARROW_WORDS.filter(bool)),
    st.builds(Match, st.just("tag"), st.sampled_from(TAG_NAMES)),
    st.builds(Match, st.just("cat"), st.sampled_from(["LG", "cs"])),
    st.builds(Match, st.just("arxiv"), st.sampled_from(["2401", "2401.0", "2312.1"])),
    st.builds(Match, st.just("doi"), st.sampled_from(["10.1", "10.11", "10.48550"])),
    st.sampled_from([Flag("is", "read"), Flag("has", "note"), Compare("prio", ">=", "2")]),
)
NARROW_QUERIES = _trees(NARROW_LEAVES, max_leaves=5)


@st.composite
def _narrowed(draw: st.DrawFn, query: Query, *, narrower: bool = True) -> Query:
    """``query`` changed so that it can only match fewer papers (``narrower``) or
    more: a word typed on, a term added, an alternative dropped; under a NOT, the
    other way round."""
    if isinstance(query, Not):
        return Not(draw(_narrowed(query.term, narrower=not narrower)))
    if isinstance(query, AND | OR):
        terms = [draw(_narrowed(term, narrower=narrower)) for term in query.terms]
        joined = all_of if isinstance(query, AND) else any_of
        if (isinstance(query, AND) == narrower) and draw(st.booleans()):
            terms.append(draw(NARROW_LEAVES))  # one more term
        elif len(terms) > 1 and draw(st.booleans()):
            terms.pop(draw(st.integers(0, len(terms) - 1)))  # one term fewer
        return joined(terms)
    extended = query
    if isinstance(query, Match) and query.field in (None, *TEXT_FIELDS, "arxiv", "doi"):
        if narrower:
            more = draw(st.sampled_from(["", "a", "b", "é", "1", "."]))
            field = query.field
            if field is None and draw(st.booleans()):
                field = draw(st.sampled_from(TEXT_FIELDS))
            extended = Match(field, query.value + more)
        elif query.value:
            cut = draw(st.integers(1 if query.field else 0, len(query.value)))
            extended = Match(query.field, query.value[:cut])
    if draw(st.booleans()):
        extra = draw(NARROW_LEAVES)
        return all_of([extended, extra]) if narrower else any_of([extended, extra])
    return extended


@pytest.mark.slow  # 4-6 s each: the whole run (.ci/run) keeps them, the quick suite its 5 minutes
@PROPS
@given(
    library=libraries(max_size=8),
    pair=NARROW_QUERIES.flatmap(lambda wider: st.tuples(_narrowed(wider), st.just(wider))),
    other=NARROW_QUERIES,
)
def test_narrows_only_when_every_match_still_matches(
    library: list[Paper], pair: tuple[Query, Query], other: Query
) -> None:
    narrower, wider = pair
    for a, b in ((narrower, wider), (other, wider), (wider, other)):
        if narrows(a, b):
            matches_a, matches_b = compile_query(a, now=NOW), compile_query(b, now=NOW)
            for paper in library:
                if matches_a.paper(paper):
                    assert matches_b.paper(paper), (to_text(a), to_text(b), paper)


@pytest.mark.parametrize(
    ("narrower", "wider", "paper"),
    [
        ("arxiv:arXiv:2401.1", "arxiv:arX", Paper(id=1, title="x", arxiv_id="2401.12345")),
        ("arxiv:2401.12v3", "arxiv:2401.12v", Paper(id=1, title="x", arxiv_id="2401.12345")),
        ("doi:https://doi.org/10.1", "doi:h", Paper(id=1, title="x", doi="10.1145/1")),
        ("doi:doi:10.1145", "doi:d", Paper(id=1, title="x", doi="10.1145/1")),
    ],
)
def test_narrows_arxiv_and_doi_prefixes_as_the_matcher_reads_them(
    narrower: str, wider: str, paper: Paper
) -> None:
    a, b = parse(narrower), parse(wider)
    found_by_a = compile_query(a, now=NOW).paper(paper)  # True
    found_by_b = compile_query(b, now=NOW).paper(paper)  # False
    assert not narrows(a, b) or not found_by_a or found_by_b  # narrows says True


# --- folding -------------------------------------------------------------------------

# Combining marks that fold keeps (outside the ranges it strips): Hebrew, Arabic,
# Devanagari, Thai. NFKD puts a run of them in canonical order, within a letter.
_KEPT_MARKS = "\u0591\u05b0\u05b4\u064b\u0650\u093c\u094d\u0e38\u0e48"


@PROPS
@given(st.text(max_size=30))
def test_fold_with_positions_folds_as_fold(text: str) -> None:
    folded, starts, ends = fold_with_positions(text)
    assert len(starts) == len(ends) == len(folded)
    assert starts == sorted(starts)
    assert all(0 <= at < end <= len(text) for at, end in zip(starts, ends, strict=True))
    assert folded == fold(text)


@PROPS
@given(st.text(st.sampled_from("aAéÉßẞλΛ$\\{}Σς\u0301\u0308İﬁ½ \n" + _KEPT_MARKS), max_size=12))
def test_fold_with_positions_folds_as_fold_with_accents_and_latex(text: str) -> None:
    folded, starts, _ = fold_with_positions(text)
    assert len(starts) == len(folded)
    assert folded == fold(text)


@pytest.mark.parametrize("text", ["a\u0591\u05b0", "\u0e01\u0e48\u0e38"])
def test_fold_with_positions_orders_kept_marks_as_fold(text: str) -> None:
    assert fold_with_positions(text)[0] == fold(text)
