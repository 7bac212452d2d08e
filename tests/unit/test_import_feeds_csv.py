"""The arXiv Atom and RSS importers and the CSV importer: samples, hostile input, properties."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readq.importers import arxiv, csv_import
from readq.importers.base import ParseResult
from readq.model import ParsedPaper, Status

DATA = Path(__file__).parent.parent / "data"
AS_OF = date(2026, 11, 29)


def _sample(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _atom(name: str = "arxiv-api.atom.xml") -> ParseResult:
    return arxiv.parse_atom(_sample(name), as_of=AS_OF)


def _rss() -> ParseResult:
    return arxiv.parse_rss(_sample("arxiv-rss.xml"), as_of=AS_OF)


def _csv(text: str) -> ParseResult:
    return csv_import.parse(text, as_of=AS_OF)


def _problems(result: ParseResult) -> list[tuple[int, str]]:
    return [(p.line, p.severity) for p in result.problems]


# --- the arXiv API Atom sample ------------------------------------------------------------


def test_atom_sample_fields() -> None:
    result = _atom()
    assert result.problems == []
    first, second, third = result.papers
    assert (first.arxiv_id, first.arxiv_version) == ("2611.01234", 2)
    assert first.title == "Curriculum Sampling for Offline RL"
    assert first.authors == ["Junie Park", "Oskar Lind"]
    assert first.category == "LG"
    assert first.categories == ["cs.LG", "cs.AI"]
    assert first.published == "2026-10-02"  # <published>, not <updated>
    assert first.url == "https://arxiv.org/abs/2611.01234v2"
    assert first.abstract.startswith("Offline reinforcement learning agents are trained on fixed")
    assert "quality varies widely" in first.abstract  # the line break and indent folded
    assert first.doi is None
    assert first.announce_type is None
    assert first.source == "arxiv"
    assert first.line == 10

    assert (second.arxiv_id, second.arxiv_version) == ("2503.00042", 1)
    assert second.title == "Sparse Routers Are Secretly Dense: A Study of Token Choice"
    assert second.authors == ["Mara Ellison", "Tobias Quint", "Ravi Anand", "Lena Brandt"]
    assert second.orgs == ["DeepMind"]  # the affiliation is not an author
    assert (second.category, second.categories) == ("CL", ["cs.CL"])
    assert second.published == "2025-03-03"
    assert second.doi == "10.5555/fictional.2025.042"
    assert second.line == 27

    assert (third.arxiv_id, third.arxiv_version) == ("2611.09999", 1)
    assert third.authors == ["Sebastián Ruiz"]
    assert (third.category, third.categories) == ("LG", ["cs.LG", "math.OC"])
    assert third.published == "2026-11-26"
    assert third.url == "https://arxiv.org/abs/2611.09999v1"


def _entry(body: str, *, head: str = "") -> str:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'
        ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
        f"{head}<entry>\n{body}\n</entry>\n</feed>\n"
    )


def test_atom_old_style_id_and_non_cs_primary_category() -> None:
    feed = _entry(
        "<id>http://arxiv.org/abs/hep-th/9901001v3</id><title>Strings</title>"
        '<arxiv:primary_category term="hep-th"/><category term="hep-th"/>'
        '<category term="stat.ML"/><category term="I.2.7"/><category term="68T05"/>'
        "<published>1999-01-04T00:00:00Z</published>"
    )
    result = arxiv.parse_atom(feed, as_of=AS_OF)
    assert result.problems == []
    (paper,) = result.papers
    assert (paper.arxiv_id, paper.arxiv_version) == ("hep-th/9901001", 3)
    assert paper.category == "hep-th"
    assert paper.categories == ["hep-th", "stat.ML"]  # ACM and MSC codes are not categories
    assert paper.url == "http://arxiv.org/abs/hep-th/9901001v3"  # no alternate link: the id


def test_atom_entry_without_title_is_skipped_and_bad_values_warned() -> None:
    feed = _entry(
        "<id>http://arxiv.org/abs/2501.00001v1</id><title> </title>\n</entry>\n<entry>\n"
        "<id>urn:something-else</id><title>Kept</title><published>soon</published>"
    )
    result = arxiv.parse_atom(feed, as_of=AS_OF)
    assert [p.title for p in result.papers] == ["Kept"]
    assert result.papers[0].arxiv_id is None
    assert _problems(result) == [(2, "error"), (5, "warning"), (5, "warning")]


def test_atom_api_error_feed_is_an_error() -> None:
    feed = _entry(
        "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title>"
        "<summary>incorrect id format for 1234</summary>"
    )
    result = arxiv.parse_atom(feed, as_of=AS_OF)
    assert result.papers == []
    (problem,) = result.problems
    assert problem.severity == "error"
    assert "incorrect id format for 1234" in problem.reason


def test_atom_page_of_a_longer_result_warns() -> None:
    head = "<opensearch:totalResults>120</opensearch:totalResults>\n"
    head += "<opensearch:startIndex>0</opensearch:startIndex>\n"
    feed = _entry("<id>http://arxiv.org/abs/2501.00001v1</id><title>T</title>", head=head)
    result = arxiv.parse_atom(feed, as_of=AS_OF)
    assert len(result.papers) == 1
    (problem,) = result.problems
    assert problem.severity == "warning"
    assert "start=1" in problem.reason


def test_atom_parser_refuses_rss_and_vice_versa() -> None:
    wrong = arxiv.parse_atom(_sample("arxiv-rss.xml"), as_of=AS_OF)
    assert wrong.papers == []
    assert _problems(wrong) == [(1, "error")]
    wrong = arxiv.parse_rss(_sample("arxiv-api.atom.xml"), as_of=AS_OF)
    assert wrong.papers == []
    assert _problems(wrong) == [(1, "error")]


# --- the arXiv RSS sample -----------------------------------------------------------------


def test_rss_sample_fields() -> None:
    result = _rss()
    assert result.problems == []
    new, replace, cross = result.papers

    assert (new.arxiv_id, new.arxiv_version) == ("2611.09999", 1)
    assert new.announce_type == "new"
    assert new.title == "Monotone Operators for Stable Equilibrium Models"
    assert new.authors == ["Sebastián Ruiz"]
    assert new.abstract.startswith("Implicit-depth networks can fail")  # prefix stripped
    assert (new.category, new.categories) == ("LG", ["cs.LG", "math.OC"])
    assert new.published == "2026-11-27"
    assert new.url == "https://arxiv.org/abs/2611.09999"
    assert new.source == "arxiv"
    assert new.line == 17

    assert (replace.arxiv_id, replace.arxiv_version) == ("2611.01234", 2)
    assert replace.announce_type == "replace"
    assert replace.authors == ["Junie Park", "Oskar Lind"]  # dc:creator split on commas
    assert replace.abstract.startswith("Offline reinforcement learning agents")
    assert replace.published is None  # the replacement day is not the publication day
    assert replace.categories == ["cs.LG", "cs.AI"]
    assert replace.line == 30

    assert (cross.arxiv_id, cross.arxiv_version) == ("2611.10101", 1)
    assert cross.announce_type == "cross"
    assert cross.authors == ["Wen Li", "Marta Kowalczyk", "Tariq Aziz"]
    # Cross-listed into cs.LG: the primary is the category the feed is not about.
    assert (cross.category, cross.categories) == ("stat.ML", ["cs.LG", "stat.ML"])
    assert cross.published == "2026-11-27"
    for paper in result.papers:
        assert "Announce Type" not in paper.abstract
        assert not paper.abstract.startswith("arXiv:")


def test_rss_without_feed_category_leaves_cross_primary_unset() -> None:
    rss = (
        '<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom"><channel><title>x</title>'
        "<item><title>T</title><link>https://arxiv.org/abs/2611.10101</link>"
        "<description>arXiv:2611.10101v4 Announce Type: replace-cross \nAbstract: A.</description>"
        "<category>cs.LG</category><category>stat.ML</category>"
        "<pubDate>not a date</pubDate></item></channel></rss>"
    )
    result = arxiv.parse_rss(rss, as_of=AS_OF)
    (paper,) = result.papers
    assert paper.announce_type == "replace-cross"  # from the description when no element
    assert (paper.arxiv_id, paper.arxiv_version) == ("2611.10101", 4)
    assert paper.category is None
    assert paper.abstract == "A."
    assert paper.published is None
    assert result.problems == []  # a replacement's date is not read, so not warned about


# --- hostile and broken XML -----------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry><id>http://arxiv.org/abs/2501.00001v1</id><title>&lol9;</title></entry>
</feed>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom"><channel>
<link>http://rss.arxiv.org/rss/cs.LG</link>
<item><title>&xxe;</title><description>&xxe;</description></item>
</channel></rss>
"""

# No DOCTYPE: an entity reference alone is simply undefined, so malformed.
BARE_ENTITY_REFERENCE = (
    '<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>'
)


@pytest.mark.parametrize(
    ("text", "parse"),
    [
        (BILLION_LAUGHS, arxiv.parse_atom),
        (BILLION_LAUGHS, arxiv.parse_rss),
        (EXTERNAL_ENTITY, arxiv.parse_rss),
        (EXTERNAL_ENTITY, arxiv.parse_atom),
    ],
)
def test_entities_and_dtds_are_refused_with_one_clear_error(text: str, parse: object) -> None:
    assert callable(parse)
    result: ParseResult = parse(text, as_of=AS_OF)
    assert result.papers == []
    (problem,) = result.problems
    assert problem.severity == "error"
    assert problem.reason.startswith("refused: the XML declares entities")
    assert problem.line == 2  # the DOCTYPE
    assert "root:" not in str(problem)


def test_hostile_feeds_are_still_recognised_so_the_refusal_is_shown() -> None:
    assert arxiv.looks_like_atom(BILLION_LAUGHS)
    assert arxiv.looks_like_rss(EXTERNAL_ENTITY)


def test_undefined_entity_is_malformed() -> None:
    result = arxiv.parse_rss(BARE_ENTITY_REFERENCE, as_of=AS_OF)
    assert result.papers == []
    (problem,) = result.problems
    assert problem.severity == "error"
    assert "undefined entity" in problem.reason


def test_malformed_xml_reports_the_line_of_the_parse_error() -> None:
    lines = _sample("arxiv-api.atom.xml").split("\n")
    assert lines[29].startswith("  Token Choice</title>")  # line 30
    lines[29] = "  Token Choice</titel>"
    result = arxiv.parse_atom("\n".join(lines), as_of=AS_OF)
    assert result.papers == []
    (problem,) = result.problems
    assert (problem.line, problem.severity) == (30, "error")
    assert "mismatched tag" in problem.reason


@pytest.mark.parametrize("text", ["", "   ", "<feed", "not xml at all", "<a></b>", "\ud800<a/>"])
def test_broken_xml_is_one_error(text: str) -> None:
    for parse in (arxiv.parse_atom, arxiv.parse_rss):
        result = parse(text, as_of=AS_OF)
        assert result.papers == []
        assert [p.severity for p in result.problems] == ["error"]


def test_truncated_feed_is_one_error() -> None:
    text = _sample("arxiv-rss.xml")
    result = arxiv.parse_rss(text[: len(text) // 2], as_of=AS_OF)
    assert result.papers == []
    assert [p.severity for p in result.problems] == ["error"]


def test_feed_links_that_are_not_web_links_are_dropped() -> None:
    rss = (
        '<rss version="2.0"><channel><link>http://rss.arxiv.org/rss/cs.LG</link>'
        "<item><title>T</title><link>javascript:alert(1)</link>"
        "<guid>oai:arXiv.org:2611.00001v1</guid></item></channel></rss>"
    )
    (paper,) = arxiv.parse_rss(rss, as_of=AS_OF).papers
    assert paper.url is None
    assert paper.arxiv_id == "2611.00001"


def test_escape_sequences_in_a_feed_are_cleaned() -> None:
    feed = _entry(
        "<id>http://arxiv.org/abs/2501.00001v1</id>"
        "<title>Evil&#x9b;31m Title\u202e</title><author><name>A&#x85;B</name></author>"
    )
    (paper,) = arxiv.parse_atom(feed, as_of=AS_OF).papers
    assert paper.title == "Evil Title"
    assert paper.authors == ["AB"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://arxiv.org/abs/2503.00042v2", ("2503.00042", 2)),
        ("https://arxiv.org/pdf/2503.00042v12.pdf", ("2503.00042", 12)),
        ("arXiv:2503.00042", ("2503.00042", None)),
        ("oai:arXiv.org:2611.10101v1", ("2611.10101", 1)),
        ("http://arxiv.org/abs/hep-th/9901001v1", ("hep-th/9901001", 1)),
        ("math.GT/0309136", ("math.GT/0309136", None)),
        ("0704.0001", ("0704.0001", None)),
        ("2503.00042v0", ("2503.00042", None)),
        ("https://example.org/abs/2503.00042", None),
        ("2503.42", None),
        ("n/a", None),
        ("", None),
    ],
)
def test_split_arxiv_id(text: str, expected: tuple[str, int | None] | None) -> None:
    assert arxiv.split_arxiv_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.5555/fictional.2025.042", "10.5555/fictional.2025.042"),
        ("https://doi.org/10.1000/xyz123", "10.1000/xyz123"),
        ("doi: 10.1000/xyz123.", "10.1000/xyz123"),
        ("10.1103/PhysRevD.76.013009 10.1103/other", "10.1103/PhysRevD.76.013009"),
        ("n/a", None),
        ("-", None),
    ],
)
def test_clean_doi(text: str, expected: str | None) -> None:
    assert arxiv.clean_doi(text) == expected


# --- the CSV sample ---------------------------------------------------------------------------


def test_csv_sample_fields() -> None:
    result = _csv(_sample("reading-list.csv"))
    assert result.problems == []
    first, second, third = result.papers

    assert first.title == "Curriculum Sampling for Offline RL"
    assert first.authors == ["Junie Park", "Oskar Lind"]
    assert first.published == "2026-10-02"
    assert first.url == "https://arxiv.org/abs/2611.01234"
    assert (first.arxiv_id, first.arxiv_version) == ("2611.01234", None)  # from the link
    assert first.doi is None
    assert first.abstract == "Offline reinforcement learning agents are trained on fixed datasets."
    assert first.tags == ["rl", "offline"]
    assert (first.status, first.priority) == (Status.READ, 2)
    assert first.notes == "Good baseline, try on our data"
    assert (first.source, first.line) == ("csv", 2)

    assert second.title == "BM25 Strikes Back: Lexical Retrieval at Scale"
    assert second.authors == ["Daniel McAllister", "Sofia Lindqvist"]
    assert second.published == "2021-08-08"
    assert second.url is None
    assert second.arxiv_id is None
    assert second.tags == ["ir"]
    assert (second.status, second.priority) == (Status.UNREAD, 3)
    assert second.notes is None  # an empty cell says nothing
    assert second.line == 3

    assert third.title == "Tokenizers Matter for Low-Resource MT"
    assert third.authors == ["Anne LeBlanc", "Tomasz Nowak", "Ade Okafor"]
    assert third.published == "2020-11-11"
    assert third.abstract == ""
    assert (third.status, third.priority) == (Status.UNREAD, 0)
    assert third.tags == ["nlp"]
    # A formula-looking cell is data: kept as the text it is.
    assert third.notes == '=HYPERLINK("http://evil.example","click")'
    assert third.line == 4


def test_csv_unknown_and_repeated_columns_are_warned_once() -> None:
    text = "Title,Rating,Authors,Title,shelf\nA Paper,5,Ann Lee,Other,x\nB Paper,4,Bo Kim,Other,y\n"
    result = _csv(text)
    assert [p.title for p in result.papers] == ["A Paper", "B Paper"]
    assert _problems(result) == [(1, "warning"), (1, "warning")]
    unknown, repeated = (p.reason for p in result.problems)
    assert "'Rating'" in unknown and "'shelf'" in unknown
    assert "'Title'" in repeated


def test_csv_row_without_title_is_an_error_on_its_physical_line() -> None:
    text = (
        "title,notes,authors\n"
        'First,"a note\nover three\nlines",Ann Lee\n'
        "\n"
        ",orphan note,Bo Kim\n"
        "Last,,\n"
    )
    result = _csv(text)
    assert [p.title for p in result.papers] == ["First", "Last"]
    assert result.papers[0].notes == "a note\nover three\nlines"
    assert [p.line for p in result.papers] == [2, 7]
    assert _problems(result) == [(6, "error")]
    assert "no title" in result.problems[0].reason


def test_csv_bad_values_are_warned_and_left_unset() -> None:
    text = (
        "title;status;priority;published;doi;url;arxiv_id\n"
        "A;maybe;urgent;next week;n/a;javascript:alert(1);not-an-id\n"
        "B;READ;High;2021;https://doi.org/10.1000/xyz;https://example.org/b;arXiv:2503.00042v2\n"
        "C;unread;5;2021-13-01;;;\n"
    )
    result = _csv(text)
    a, b, c = result.papers
    assert (a.status, a.priority, a.published, a.doi, a.url, a.arxiv_id) == (None,) * 6
    assert (b.status, b.priority, b.published) == (Status.READ, 3, "2021")
    assert (b.doi, b.url) == ("10.1000/xyz", "https://example.org/b")
    assert (b.arxiv_id, b.arxiv_version) == ("2503.00042", 2)
    assert (c.status, c.priority, c.published) == (Status.UNREAD, None, None)
    assert _problems(result) == [(2, "warning")] * 6 + [(4, "warning")] * 2
    reasons = [p.reason for p in result.problems]
    assert "'maybe' is not a status (read/unread, yes/no); left unset" in reasons
    assert "'n/a' is not a DOI; left unset" in reasons
    assert "'javascript:alert(1)' is not an http(s) link; left unset" in reasons


def test_csv_tab_delimiter_read_column_and_aliases() -> None:
    text = (
        "Title\tAuthor\tYear\tLink\tKeywords\tRead\tNote\tarXiv ID\tCategory\n"
        "A Paper\tAnn Lee and Bo Kim\t2020-05\thttp://x.org/a\tml, rl\tyes\tok\t"
        "hep-th/9901001\tcs.LG\n"
        "B Paper\tKim, Bo\t2019\t\t\t0\t\t\tstat.ML\n"
        "C Paper\tAnn Lee, Bo Kim et al.\t\t\t\tno\t\t\t\n"
    )
    assert csv_import.is_csv(text)
    result = _csv(text)
    assert result.problems == []
    a, b, c = result.papers
    assert a.authors == ["Ann Lee", "Bo Kim"]
    assert (a.published, a.url, a.tags) == ("2020-05", "http://x.org/a", ["ml", "rl"])
    assert (a.status, a.notes, a.arxiv_id, a.category) == (
        Status.READ,
        "ok",
        "hep-th/9901001",
        "LG",
    )
    assert b.authors == ["Bo Kim"]  # "Family, Given" is one author, kept given names first
    assert (b.status, b.published, b.category) == (Status.UNREAD, "2019", "stat.ML")
    assert (c.authors, c.authors_truncated) == (["Ann Lee", "Bo Kim"], True)
    assert c.status is Status.UNREAD


def test_csv_crlf_and_extra_cells() -> None:
    text = "title,authors\r\nA,Ann Lee\r\nB,Bo Kim,surplus\r\n"
    result = _csv(text)
    assert [(p.title, p.authors, p.line) for p in result.papers] == [
        ("A", ["Ann Lee"], 2),
        ("B", ["Bo Kim"], 3),
    ]
    assert _problems(result) == [(3, "warning")]


def test_csv_runaway_quote_is_warned() -> None:
    text = 'title,authors\nA,"Ann Lee\nB,Bo Kim\nC,Cy Do\n'
    result = _csv(text)
    assert [p.title for p in result.papers] == ["A"]
    assert _problems(result) == [(2, "warning")]
    assert "quote" in result.problems[0].reason


def test_csv_oversized_field_is_a_problem_not_a_crash() -> None:
    limit_before = csv.field_size_limit()
    huge = "x" * (2 * 1024 * 1024)
    text = f'title,abstract\nBefore,short\nHuge,"{huge}"\nAfter,short\n'
    result = _csv(text)
    assert [p.title for p in result.papers] == ["Before"]
    (problem,) = result.problems
    assert (problem.line, problem.severity) == (3, "error")
    assert "field limit" in problem.reason
    assert csv.field_size_limit() == limit_before  # the process-wide limit is restored


def test_csv_field_under_the_limit_is_read() -> None:
    long_abstract = "word " * 100_000  # 500 KB: over csv's default limit, under readq's
    result = _csv(f'title,abstract\nLong,"{long_abstract}"\n')
    assert result.problems == []
    assert len(result.papers[0].abstract) == len(long_abstract.strip())


def test_csv_without_title_column_is_refused() -> None:
    result = _csv("name,authors\nA,Ann Lee\n")
    assert result.papers == []
    assert _problems(result) == [(1, "error")]


@pytest.mark.parametrize(
    "text",
    [
        "74.9LGApr 14Code\nCurriculum Sampling for Offline RLJunie Park, Oskar Lind\nAbstract.\n",
        "@article{key,\n  title = {A, B},\n  author = {Lee, Ann},\n}\n",
        "% comment\n@misc{title,\n title={x}}\n",
        "TY  - JOUR\nTI  - title\nER  - \n",
        '[{"title": "A", "author": []}]\n',
        '[\n  {\n    "title": "A"\n  }\n]\n',
        "<?xml version='1.0'?><title>x</title>\n",
        "Title of my notes: a plain text file\n",
        "",
    ],
)
def test_is_csv_does_not_misfire(text: str) -> None:
    assert not csv_import.is_csv(text)


def test_each_sample_is_recognised_by_its_own_sniff_only() -> None:
    sniffs = (arxiv.looks_like_atom, arxiv.looks_like_rss, csv_import.is_csv)
    samples = ("arxiv-api.atom.xml", "arxiv-rss.xml", "reading-list.csv", "listing-sample.txt")
    for name in samples:
        text = _sample(name)
        hits = [sniff.__name__ for sniff in sniffs if sniff(text)]
        expected = {
            "arxiv-api.atom.xml": ["looks_like_atom"],
            "arxiv-rss.xml": ["looks_like_rss"],
            "reading-list.csv": ["is_csv"],
            "listing-sample.txt": [],
        }[name]
        assert hits == expected, name


# --- properties ---------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    derandomize=True,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow],
)
CONTROL = {chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def _assert_clean(result: ParseResult) -> None:
    for paper in result.papers:
        for name, value in _strings(paper):
            newline_ok = name == "notes"
            bad = [
                c for c in value if (c in CONTROL and not (newline_ok and c in "\n\t")) or c in BIDI
            ]
            assert not bad, f"{name} {value!r} holds {bad!r}"
            assert not any(0xD800 <= ord(c) <= 0xDFFF for c in value), f"{name} {value!r}"
            assert unicodedata.is_normalized("NFC", value), f"{name} {value!r}"
    for problem in result.problems:
        assert problem.line >= 1


def _strings(paper: ParsedPaper) -> list[tuple[str, str]]:
    values: list[tuple[str, str]] = []
    for name in (
        *("title", "abstract", "category", "published", "url", "arxiv_id", "doi"),
        *("announce_type", "venue", "notes"),
    ):
        value = getattr(paper, name)
        if value is not None:
            values.append((name, value))
    for name in ("authors", "orgs", "categories", "tags"):
        values += [(name, item) for item in getattr(paper, name) or []]
    return values


HOSTILE = st.sampled_from(
    [
        *("\x1b[31m", "\x1b]52;c;aGk=\x07", "\x9b2J", "\u202e", "\x00", "\r", "\n", "\t"),
        *("\ud800", '"', ",", ";", "&amp;", "<", "]]>", "e\u0301", "=cmd()", "arXiv:2501.00001v2 "),
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=20), HOSTILE), max_size=8).map("".join)


@PROPERTY_SETTINGS
@given(TEXT)
def test_every_parser_survives_arbitrary_text(text: str) -> None:
    for parse in (arxiv.parse_atom, arxiv.parse_rss, csv_import.parse):
        _assert_clean(parse(text, as_of=AS_OF))
    for sniff in (arxiv.looks_like_atom, arxiv.looks_like_rss, csv_import.is_csv):
        sniff(text)


def _xml_text(value: str) -> str:
    return escape(value)


@PROPERTY_SETTINGS
@given(st.lists(TEXT, min_size=8, max_size=8))
def test_atom_survives_arbitrary_field_values(values: list[str]) -> None:
    v = [_xml_text(value) for value in values]
    feed = _entry(
        f"<id>{v[0]}</id><title>{v[1]}</title><summary>{v[2]}</summary>"
        f"<author><name>{v[3]}</name><arxiv:affiliation>{v[4]}</arxiv:affiliation></author>"
        f"<category term={quoteattr(values[5])}/><published>{v[6]}</published>"
        f"<arxiv:doi>{v[7]}</arxiv:doi><link href={quoteattr(values[0])}/>",
        head=f"<opensearch:totalResults>{v[7]}</opensearch:totalResults>",
    )
    _assert_clean(arxiv.parse_atom(feed, as_of=AS_OF))


@PROPERTY_SETTINGS
@given(st.lists(TEXT, min_size=7, max_size=7))
def test_rss_survives_arbitrary_field_values(values: list[str]) -> None:
    v = [_xml_text(value) for value in values]
    rss = (
        '<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<link>http://rss.arxiv.org/rss/{v[0]}</link><item><title>{v[1]}</title>"
        f"<link>{v[2]}</link><description>arXiv:{v[3]} Announce Type: {v[4]}\n"
        f"Abstract: {v[5]}</description><dc:creator>{v[6]}</dc:creator>"
        f"<category>{v[0]}</category><pubDate>{v[4]}</pubDate>"
        f"<arxiv:announce_type>{v[6]}</arxiv:announce_type></item></channel></rss>"
    )
    _assert_clean(arxiv.parse_rss(rss, as_of=AS_OF))


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@PROPERTY_SETTINGS
@given(st.lists(st.lists(TEXT, min_size=1, max_size=14), max_size=4))
def test_csv_survives_arbitrary_cells(rows: list[list[str]]) -> None:
    header = "title,authors,published,url,doi,abstract,tags,status,priority,notes,arxiv,year,x"
    lines = [header] + [",".join(map(_csv_cell, row)) for row in rows]
    _assert_clean(csv_import.parse("\n".join(lines), as_of=AS_OF))
