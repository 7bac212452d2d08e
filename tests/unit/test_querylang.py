"""The query language (readq.querylang) by example: every field, ranges, negation,
OR's precedence, phrases, folding, relative dates and the one-line errors."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from readq.model import Paper, Status
from readq.querylang import QueryError, compile_query, parse, to_text
from readq.querylang.highlight import highlights_of
from readq.querylang.implication import narrows
from readq.querylang.terms import Compare, Flag, Match, Not, all_of, any_of

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)  # a Tuesday, noon UTC
SELECTED = {2, 4}


@pytest.fixture(autouse=True)
def utc() -> Iterator[None]:
    """Local time is UTC: dates (a day, today) are local days."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def library() -> list[Paper]:
    return [
        Paper(
            id=1,
            title="Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
            authors=["Albert Gu", "Tri Dao"],
            orgs=["Carnegie Mellon University"],
            category="cs.LG",
            categories=["cs.LG", "cs.AI"],
            abstract="Foundation models rest on attention. We propose selective state\n"
            "space models, and the  hardware-aware algorithm behind them.",
            tags=["ssm"],
            status=Status.READ,
            read_at="2026-11-20T10:00:00Z",
            priority=3,
            published="2023-12-01",
            added_at="2026-11-30T09:00:00Z",
            score=87.0,
            has_code=True,
            arxiv_id="2312.00752",
            url="https://arxiv.org/abs/2312.00752",
        ),
        Paper(
            id=2,
            title="Quantum Fields after Böhmer",
            authors=["Jörg Weiß", "Anna Böhmer"],
            orgs=["ETH Zürich"],
            category="quant-ph",
            categories=["quant-ph", "hep-th"],
            abstract="Lattice methods.",
            notes="Compare with the Dirac paper",
            tags=["Physics", "to-read"],
            priority=1,
            published="2019-06",
            added_at="2026-12-01T08:00:00Z",
            doi="10.1103/PhysRevD.99.123",
        ),
        Paper(
            id=3,
            title="The $\\lambda$-Calculus Revisited",
            authors=["Alonzo Church"],
            category="cs.LO",
            status=Status.READ,
            read_at="2025-06-01T00:00:00Z",
            priority=2,
            published="2021",
            added_at="2026-10-01T00:00:00Z",
            score=12.5,
        ),
        Paper(
            id=4,
            title="λ-Rings for Vision",
            authors=["Ada Lovelace"],
            category="cs.CV",
            categories=["cs.CV"],
            abstract="Convolutional networks on rings.",
            tags=["vision"],
            priority=0,
            published="2024-02-29",
            added_at="2026-11-24T11:00:00Z",  # 7 days and an hour ago
            arxiv_id="2402.01234v2",
        ),
        Paper(
            id=5,
            title="Road Networks and the Straße",
            authors=["Grace Hopper"],
            category="cs.LG",
            abstract="Routing on road graphs. Mamba snakes appear nowhere.",
            priority=2,
            published="2024-11",
            added_at="2026-11-29T12:00:00Z",
            doi="10.48550/arXiv.2411.00001",
            has_code=True,
        ),
    ]


def ids(query: str) -> list[int]:
    matcher = compile_query(parse(query), now=NOW, selected=SELECTED)
    return [paper.id for paper in matcher.select(library())]


def error(query: str) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse(query)
    return caught.value


# --- words and phrases -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("sequence", [1]),  # title
        ("lovelace", [4]),  # an author
        ("carnegie", [1]),  # an organisation
        ("quant-ph", [2]),  # the category
        ("hep-th", [2]),  # another category
        ("dirac", [2]),  # the note
        ("physics", [2]),  # a tag
        ("foundation", [1]),  # the abstract
        ("mamba", [1, 5]),  # title, abstract
        ("MAMBA", [1, 5]),
        ("mam", [1, 5]),  # a substring
        ("mamba road", [5]),  # every word
        ("mamba AND road", [5]),
        ("nothing-like-this", []),
    ],
)
def test_words_are_substrings_of_any_text(query: str, found: list[int]) -> None:
    assert ids(query) == found


def test_an_empty_query_is_every_paper() -> None:
    assert parse("") is None
    assert parse("  \n ") is None
    assert ids("") == [1, 2, 3, 4, 5]


def test_a_phrase_is_found_across_a_line_break_and_a_double_space() -> None:
    assert ids('"state space models"') == [1]  # "state\nspace models" in the abstract
    assert ids('"the hardware-aware"') == [1]  # "the  hardware-aware"
    assert ids('"space state"') == []
    assert ids('"selective   state"') == [1]  # the phrase's spacing is squeezed too


def test_a_phrase_is_not_found_across_two_authors() -> None:
    assert ids('author:"gu tri"') == []  # Albert Gu, Tri Dao: two people
    assert ids('"spaces albert"') == []  # the title's end, the first author


def test_case_and_accents_fold_away() -> None:
    assert ids("bohmer") == [2]
    assert ids("BÖHMER") == [2]
    assert ids("weiss") == [2]  # Weiß
    assert ids("weiß") == [2]
    assert ids("zurich") == [2]
    assert ids("strasse") == [5]


def test_latex_and_greek_fold_to_the_letters_name() -> None:
    assert ids("lambda") == [3, 4]  # $\lambda$ and λ
    assert ids("λ") == [3, 4]
    assert ids("$\\lambda$-calculus") == [3]
    assert ids("λ-calculus") == [3]
    assert ids("lambda-rings") == [4]


def test_keywords_are_upper_case_and_lower_case_ones_are_words() -> None:
    assert parse("a or b") == all_of([Match(None, "a"), Match(None, "or"), Match(None, "b")])
    assert parse("a OR b") == any_of([Match(None, "a"), Match(None, "b")])
    assert parse("not a") == all_of([Match(None, "not"), Match(None, "a")])
    assert parse('"OR"') == Match(None, "OR")


# --- fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("title:mamba", [1]),
        ("title:gu", []),  # Gu is an author
        ("TITLE:mamba", [1]),
        ('title:"state spaces"', [1]),
        ("author:gu", [1]),
        ("authors:church", [3]),
        ('author:"tri dao"', [1]),
        ("author:bohmer", [2]),
        ("author:mamba", []),
        ("org:zurich", [2]),
        ("affiliation:carnegie", [1]),
        ("organisation:mellon", [1]),
        ("abstract:foundation", [1]),
        ("abstract:mamba", [5]),  # the title of 1 does not count
        ("note:dirac", [2]),
        ("notes:dirac", [2]),
        ("note:mamba", []),
    ],
)
def test_text_fields(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("tag:physics", [2]),  # whole tag, case-insensitive
        ("tag:PHYSICS", [2]),
        ("tag:phys", []),  # not a substring
        ("tag:to-read", [2]),
        ("tags:ssm", [1]),
        ("tag:vision", [4]),
    ],
)
def test_tags_are_compared_whole(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("cat:LG", [1, 5]),
        ("cat:lg", [1, 5]),
        ("cat:cs.LG", [1, 5]),
        ("cat:CS.lg", [1, 5]),
        ("cat:cs", [1, 3, 4, 5]),
        ("cat:AI", [1]),  # among the other categories
        ("cat:cs.AI", [1]),
        ("cat:hep-th", [2]),
        ("cat:quant-ph", [2]),
        ("cat:quant", []),  # no dot: the whole category
        ("cat:L", []),
        ("category:CV", [4]),
        ("cat:math.LG", []),
    ],
)
def test_categories(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("id:3", [3]),
        ("id:>=4", [4, 5]),
        ("id:2..3", [2, 3]),
        ("id:3..2", [2, 3]),
        ("arxiv:2312", [1]),  # by its start
        ("arxiv:2312.00752", [1]),
        ("arxiv:2312.00752v1", [1]),  # the version does not count
        ("arxiv:arXiv:2312.00752", [1]),
        ("arxiv:2402.01234", [4]),  # stored with a version
        ("arxiv:2411", [5]),  # from arXiv's own DOI
        ("arxiv:00752", []),
        ("doi:10.1103", [2]),
        ("doi:10.1103/physrevd", [2]),  # DOIs ignore case
        ("doi:https://doi.org/10.1103/PhysRevD", [2]),
        ("doi:10.48550", [5]),
    ],
)
def test_identifiers(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("is:read", [1, 3]),
        ("is:seen", [1, 3]),
        ("is:unread", [2, 4, 5]),
        ("is:unseen", [2, 4, 5]),
        ("IS:Unread", [2, 4, 5]),
        ("is:selected", [2, 4]),
        ("has:note", [2]),
        ("has:notes", [2]),
        ("has:tags", [1, 2, 4]),
        ("has:tag", [1, 2, 4]),
        ("has:code", [1, 5]),
        ("has:doi", [2, 5]),
        ("has:arxiv", [1, 4, 5]),  # 5 by arXiv's DOI
        ("has:abstract", [1, 2, 4, 5]),
        ("has:url", [1]),
        ("has:score", [1, 3]),
    ],
)
def test_flags(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("prio:2", [3, 5]),
        ("prio:=2", [3, 5]),
        ("priority:3", [1]),
        ("prio:>=2", [1, 3, 5]),
        ("prio:>2", [1]),
        ("prio:<2", [2, 4]),
        ("prio:<=1", [2, 4]),
        ("prio:0", [4]),
        ("prio:1..2", [2, 3, 5]),
        ("prio:2..1", [2, 3, 5]),
        ("score:>50", [1]),
        ("score:<=87", [1, 3]),
        ("score:12.5", [3]),
        ("score:10..90", [1, 3]),
        ("score:>-1", [1, 3]),  # no score is not a score
    ],
)
def test_numbers(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("year:2021", [3]),
        ("year:2024", [4, 5]),
        ("year:2019..2021", [2, 3]),
        ("year:2021..2019", [2, 3]),
        ("year:>=2023", [1, 4, 5]),
        ("year:>2023", [4, 5]),
        ("year:<2020", [2]),  # 2019-06
        ("year:<=2021", [2, 3]),
        ("published:>=2024-02", [4, 5]),
        ("published:2019-06", [2]),
        ("published:2024-02-29", [4]),
        ("published:2024-02-28", []),
        ("published:2023-12", [1]),
        ("published:<2021-01-01", [2]),
        ("published:2021-01-01", [3]),  # a year's date counts as its first day
        ("published:2021-02", []),
        ("date:2021", [3]),
        ("published:2023-12..2024-02", [1, 4]),
    ],
)
def test_publication_dates(query: str, found: list[int]) -> None:
    assert ids(query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("added:<7d", [1, 2, 5]),  # 4 came 7 days and an hour ago
        ("added:7d", [1, 2, 5]),
        ("added:>7d", [3, 4]),
        ("added:<8d", [1, 2, 4, 5]),
        ("added:<1w", [1, 2, 5]),
        ("added:<12h", [2]),
        ("added:<48h", [1, 2, 5]),
        ("added:today", [2]),
        ("added:TODAY", [2]),
        ("added:yesterday", [1]),
        ("added:2026-11", [1, 4, 5]),
        ("added:2026-11-29", [5]),
        ("added:>=2026-11-30", [1, 2]),
        ("added:>30d", [3]),
        ("added:<1m", [1, 2, 4, 5]),
        ("added:2w..1w", [4]),  # between two and one week ago
        ("added:>1y", []),
        ("read:<30d", [1]),
        ("read:>1y", [3]),
        ("read:2025", [3]),
        ("read:today", []),
    ],
)
def test_relative_dates(query: str, found: list[int]) -> None:
    assert ids(query) == found


def test_relative_dates_count_from_now() -> None:
    later = datetime(2026, 12, 2, 12, tzinfo=UTC)
    matcher = compile_query(parse("added:today"), now=later)
    assert [p.id for p in matcher.select(library())] == []
    matcher = compile_query(parse("added:yesterday"), now=later)
    assert [p.id for p in matcher.select(library())] == [2]


# --- NOT, OR, AND, parentheses ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("-tag:ssm", [2, 3, 4, 5]),
        ("NOT tag:ssm", [2, 3, 4, 5]),
        ("-mamba", [2, 3, 4]),
        ('-"state space"', [2, 3, 4, 5]),
        ("--mamba", [1, 5]),
        ("NOT -mamba", [1, 5]),
        ("cat:LG -is:read", [5]),
        ("-(cat:LG OR cat:CV)", [2, 3]),
        ("-cat:LG -cat:CV", [2, 3]),
        ("a-b", [2]),  # a dash inside a word is the word's (a hyphen: "a b")
        ("lambda-rings", [4]),
    ],
)
def test_negation(query: str, found: list[int]) -> None:
    assert ids(query) == found


def test_or_binds_tighter_than_and() -> None:
    # unread and (LG or CV): not 1 (read, LG), but 4 (unread, CV) and 5 (unread, LG)
    assert ids("is:unread cat:LG OR cat:CV") == [4, 5]
    assert ids("cat:LG OR cat:CV is:unread") == [4, 5]
    assert ids("(is:unread cat:LG) OR cat:CV") == [4, 5]
    assert ids("(is:read cat:LG) OR cat:CV") == [1, 4]
    assert ids("is:read (cat:LG OR cat:CV)") == [1]
    assert ids("is:read cat:LG OR cat:CV") == [1]
    assert ids("mamba OR lambda road") == [5]
    assert ids("mamba OR lambda OR physics") == [1, 2, 3, 4, 5]
    assert ids("(mamba OR lambda) AND (road OR rings)") == [4, 5]
    assert ids("-mamba OR road") == [2, 3, 4, 5]  # NOT binds tighter than OR


def test_the_parse_tree() -> None:
    assert parse("is:unread cat:LG OR cat:CV") == all_of(
        [Flag("is", "unread"), any_of([Match("cat", "LG"), Match("cat", "CV")])]
    )
    assert parse("-(a OR b) c") == all_of(
        [Not(any_of([Match(None, "a"), Match(None, "b")])), Match(None, "c")]
    )
    assert parse("a (b c)") == all_of([Match(None, "a"), Match(None, "b"), Match(None, "c")])
    assert parse("((a))") == Match(None, "a")
    assert parse("prio:>=2") == Compare("prio", ">=", "2")
    assert parse("year:2019..2022") == Compare("year", "..", "2019", "2022")
    assert parse("added:<7d") == Compare("added", "<", "7d")
    assert parse("authors:kurin") == Match("author", "kurin")
    assert parse("has:notes") == Flag("has", "note")
    assert parse('"a \\"b\\" \\\\c"') == Match(None, 'a "b" \\c')
    assert parse('title:"a b"c') == all_of([Match("title", "a b"), Match(None, "c")])
    assert parse("http://x.org/a:b") == Match(None, "http://x.org/a:b")  # a link, not a field


@pytest.mark.parametrize(
    "text",
    [
        "is:unread cat:LG OR cat:CV",
        "-(cat:CV OR cat:RO) year:>=2024",
        '"state space" author:"de la Cruz"',
        'mamba OR (a b) -"x y"',
        "prio:>=2 year:2019..2022 added:<7d",
        'title:"a:b" "c:d" "-e" "OR"',
        "--a",
    ],
)
def test_to_text_prints_what_parses_back(text: str) -> None:
    query = parse(text)
    assert query is not None
    assert parse(to_text(query)) == query


def test_to_text_is_the_typed_text_when_that_is_plain() -> None:
    for text in ("is:unread cat:LG OR cat:CV", "-(a OR b) c", "(a b) OR c", "prio:>=2"):
        query = parse(text)
        assert query is not None
        assert to_text(query) == text


# --- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says", "where"),
    [
        ("prio:>=x", "prio needs a number", (0, 8)),
        ("mamba prio:>=x", "prio needs a number", (6, 14)),
        ("prio:4", "prio goes from 0 to 3", (0, 6)),
        ("score:abc", "score needs a number", (0, 9)),
        ("score:nan", "score needs a number", (0, 9)),
        ("id:x", "id needs a number", (0, 4)),
        ("year:21", "year needs a year, 1000 to 9998", (0, 7)),
        ("added:soon", "added needs a date", (0, 10)),
        ("published:2026-13", "published needs a date", (0, 17)),
        ("read:<7x", "read needs a date", (0, 8)),
        ('a "state space', "a phrase needs its closing quote", (2, 14)),
        ('title:"state', "a phrase needs its closing quote", (6, 12)),
        ("foo:bar", "foo: is not a field", (0, 4)),
        ("ratio:1:2", "ratio: is not a field", (0, 6)),
        ("author:", "author: needs a value", (0, 7)),
        ('author:""', "author: needs a value", (0, 9)),
        ("is:", "is: needs a value", (0, 3)),
        ("is:maybe", "is: takes read, unread, selected or new, not maybe", (0, 8)),
        ("has:pdf", "has: takes note, tags, code", (0, 7)),
        ("a OR", "OR needs a term after it", (2, 4)),
        ("OR a", "OR needs a term before it", (0, 2)),
        ("a OR OR b", "OR needs a term after it", (2, 4)),
        ("(a OR) b", "OR needs a term after it", (3, 5)),
        ("a AND", "AND needs a term after it", (2, 5)),
        ("AND a", "AND needs a term before it", (0, 3)),
        ("NOT", "NOT needs a term after it", (0, 3)),
        ("a -)", "- needs a term after it", (2, 3)),
        ("(a b", "a ( without its )", (0, 1)),
        ("((a) b", "a ( without its )", (0, 1)),
        ("a b)", "a ) without its (", (3, 4)),
        (")", "a ) without its (", (0, 1)),
        ("a () b", "( ) holds no term", (2, 4)),
    ],
)
def test_errors_say_what_and_where_in_one_line(
    text: str, says: str, where: tuple[int, int]
) -> None:
    mistake = error(text)
    assert says in mistake.message
    assert (mistake.start, mistake.end) == where
    assert "\n" not in str(mistake)
    assert str(mistake).endswith(f"(at column {where[0] + 1})")


def test_an_unknown_field_says_how_to_search_for_a_colon() -> None:
    mistake = error("ratio:1:2")
    assert 'put a word with a colon in quotes: "ratio:1:2"' in mistake.message
    assert "title, author" in mistake.message  # the fields it knows
    assert parse('"ratio:1:2"') == Match(None, "ratio:1:2")


def test_an_error_with_a_line_break_in_its_value_is_one_line() -> None:
    assert "\n" not in error('is:"re\nad"').message


def test_a_dash_alone_is_a_mistake() -> None:
    assert "- needs a term after it" in error("mamba -").message
    assert ids("mamba linear time") == ids('mamba "linear-time"')  # hyphens are spaces


def test_year_9999_is_not_refused_for_its_digits() -> None:
    try:
        parse("year:9999")
    except QueryError as mistake:
        assert "four digits" not in mistake.message


def test_a_long_priority_is_a_query_error() -> None:
    with pytest.raises(QueryError):
        parse("prio:" + "9" * 5000)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("(" * 400 + "a" + ")" * 400, id="400 parentheses"),
        pytest.param("-" * 1200 + "a", id="1200 dashes"),
        pytest.param("NOT " * 1200 + "a", id="1200 NOTs"),
    ],
)
def test_deep_nesting_is_parsed_or_refused(text: str) -> None:
    out_of_stack = False
    try:
        parse(text)
    except QueryError:
        pass
    except RecursionError:
        out_of_stack = True  # asserted outside: a 1000-frame traceback takes seconds to show
    assert not out_of_stack


@pytest.mark.parametrize("text", ["added:<3000y", "added:<999999d", "read:>99999m"])
def test_a_long_age_is_refused_or_matches(text: str) -> None:
    try:
        query = parse(text)
    except QueryError:
        return
    compile_query(query, now=NOW).select(library())


@pytest.mark.parametrize("text", ["year:0001", "published:0001-01-01", "added:>=0001"])
def test_the_year_one_is_refused_or_matches(text: str) -> None:
    try:
        query = parse(text)
    except QueryError:
        return
    compile_query(query, now=NOW).select(library())


# --- narrows, highlights ------------------------------------------------------------


@pytest.mark.parametrize(
    ("narrower", "wider", "expected"),
    [
        ("mamba", "mamb", True),  # one more letter typed
        ("mamb", "mamba", False),
        ("mamba x", "mamba", True),  # one more term
        ("mamba", "mamba x", False),
        ("title:mamba", "mamba", True),
        ("mamba", "title:mamba", False),
        ("-mamb", "-mamba", True),
        ("-mamba", "-mamb", False),
        ("cat:LG", "cat:LG OR cat:CV", True),
        ("cat:LG OR cat:CV", "cat:LG", False),
        ("tag:ml", "tag:ml", True),
        ("tag:mlx", "tag:ml", False),  # a whole tag: a longer one is another tag
        ("cat:cs.LG", "cat:cs", False),
        ("arxiv:2401.1", "arxiv:2401", True),
        ("doi:10.1145/3", "doi:10.1145", True),
        ("prio:>=2", "prio:>=1", False),  # conservative
        ('"state space"', "state", True),
    ],
)
def test_narrows(narrower: str, wider: str, expected: bool) -> None:
    assert narrows(parse(narrower), parse(wider)) is expected


def test_narrows_with_empty_queries() -> None:
    assert narrows(parse("mamba"), None)
    assert narrows(None, None)
    assert not narrows(None, parse("mamba"))


def test_highlights_map_folded_matches_back_to_the_text_shown() -> None:
    highlights = highlights_of(parse("bohmer title:quantum -fields author:weiss"))
    title = "Quantum Fields after Böhmer"
    assert highlights.spans("title", title) == [(0, 7), (21, 27)]
    assert highlights.spans("authors", "Jörg Weiß, Anna Böhmer") == [(5, 9), (16, 22)]
    assert highlights.spans("abstract", "no match here") == []
    lam = highlights_of(parse("lambda"))
    assert lam.spans("title", "The $\\lambda$-Calculus") == [(6, 12)]  # the letters
    assert lam.spans("title", "λ-Rings") == [(0, 1)]


# --- through readq.query --------------------------------------------------------------


def test_view_search_selects_with_the_query_language() -> None:
    from readq.query import View, select

    found = select(library(), View(search="is:unread cat:LG OR cat:CV"), now=NOW)
    assert sorted(p.id for p in found) == [4, 5]
    found = select(library(), View(search="is:selected"), now=NOW, selected=SELECTED)
    assert sorted(p.id for p in found) == [2, 4]
    with pytest.raises(QueryError):
        select(library(), View(search="prio:>=x"), now=NOW)


def test_typing_an_arxiv_prefix_on_finds_the_paper() -> None:
    from readq.query import View, rows_for, select

    papers = library()
    shown = []
    for end in range(len("arxiv:a"), len("arxiv:arXiv:2312") + 1):
        view = View(search="arxiv:arXiv:2312"[:end])
        shown = [(view, rows_for(papers, view, shown, now=NOW))]
    assert [p.id for p in select(papers, view, now=NOW)] == [1]
    assert [p.id for p in shown[0][1]] == [1]
