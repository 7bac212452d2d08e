"""The BibTeX, RIS and CSL-JSON importers: the shared samples, rough edges, broken input.

The samples in tests/data are copies of the shared ones (fictional entries with
deliberate rough edges: a @string venue, LaTeX accents, ``and others``, an
unbalanced brace, a commented-out entry, math in a title).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readq.importers import bibtex, csl_json, ris
from readq.importers.base import ParseResult
from readq.model import ParsedPaper

DATA = Path(__file__).parent.parent / "data"
AS_OF = date(2026, 11, 29)
IMPORTERS = (bibtex, ris, csl_json)
SAMPLES = {bibtex: "library.bib", ris: "zotero.ris", csl_json: "zotero-csl.json"}
FIELDS = (
    *("title", "authors", "authors_truncated", "published", "arxiv_id", "arxiv_version"),
    *("category", "categories", "doi", "url", "venue", "tags", "citation_key", "line"),
)


def _sample(module: ModuleType) -> str:
    return (DATA / SAMPLES[module]).read_text(encoding="utf-8")


def _fields(paper: ParsedPaper) -> dict[str, Any]:
    return {name: getattr(paper, name) for name in FIELDS}


def _problems(result: ParseResult) -> list[tuple[int, str]]:
    return [(problem.line, problem.severity) for problem in result.problems]


def _paper(**fields: Any) -> dict[str, Any]:
    """The expected fields of one paper: everything not given is empty."""
    empty: dict[str, Any] = {
        **dict.fromkeys(FIELDS),
        "authors": [],
        "authors_truncated": False,
        "categories": [],
    }
    return {**empty, **fields}


# --- the shared samples ---------------------------------------------------------


def test_bibtex_sample() -> None:
    result = bibtex.parse(_sample(bibtex), as_of=AS_OF)
    assert [_fields(p) for p in result.papers] == [
        _paper(
            title="Sparse Routers Are Secretly Dense: A Study of Token Choice",
            authors=["Mara Ellison", "Tobias Quint", "Ravi Anand", "Lena Brandt"],
            published="2025-03",  # month = mar, a macro BibTeX predefines
            arxiv_id="2503.00042",
            category="CL",
            categories=["cs.CL"],
            doi="10.5555/fictional.2025.042",
            tags=["moe", "routing"],
            citation_key="ellison2025sparse",
            line=4,
            # journal = {arXiv preprint arXiv:2503.00042} says "preprint", not where.
        ),
        _paper(
            title="Seeing Through Fog with Polarized NeRFs",
            authors=["Amélie Durand", "Jörg Weiß", "Sa'id Haddad"],
            published="2024",
            url="https://example.org/papers/fog-nerf",
            venue="Advances in Neural Information Processing Systems",  # the @string
            citation_key="durand2024fog",
            line=18,
        ),
        _paper(
            title="GPT-2 Is Not Enough",
            authors=["Marcus O'Neill"],
            published="2019",
            url="https://example.org/notes/gpt2",  # from howpublished = {\url{...}}
            citation_key="oneill2019gpt2",
            line=28,
        ),
        _paper(
            title="Legged Locomotion from 10 Minutes of Video",
            authors=["Hugo van der Berg", "Kwame Mensah"],
            authors_truncated=True,
            published="2026",
            venue="Robotics Letters",
            citation_key="berg2026legged",
            line=36,
        ),
        _paper(
            title="Can λ-Calculus Types Guide Program Repair?",
            authors=["Priya Natarajan", "Li Na"],
            published="2026",
            venue="Software Engineering Notes",
            citation_key="natarajan2026types",
            line=53,
        ),
    ]
    first = result.papers[0]
    assert (
        first.abstract == "We revisit token-choice routing in mixture-of-experts language models."
    )
    assert {p.source for p in result.papers} == {"bibtex"}


def test_bibtex_sample_reports_the_unbalanced_entry_and_nothing_else() -> None:
    result = bibtex.parse(_sample(bibtex), as_of=AS_OF)
    assert _problems(result) == [(47, "error")]
    assert "skipped" in result.problems[0].reason
    titles = [p.title for p in result.papers]
    assert not any("Unbalanced" in t or "commented out" in t for t in titles)


def test_ris_sample() -> None:
    result = ris.parse(_sample(ris), as_of=AS_OF)
    assert [_fields(p) for p in result.papers] == [
        _paper(
            title="Scaling Laws for Graph Transformers (Revisited)",
            authors=["Elena Rossi", "Ahmed Al-Sayed", "Beatriz Costa"],
            published="2022-07-14",
            doi="10.5555/fictional.2022.714",
            url="https://example.org/papers/graph-scaling",
            tags=["graphs", "scaling"],
            line=1,
        ),
        _paper(
            title="Reading Interfaces for Paper Triage: A Field Study",
            authors=["Rosa Jiménez", "Yuki Tanaka", "Omar Farouk"],
            published="2024",
            line=14,
        ),
    ]
    assert result.papers[1].abstract == "Researchers face hundreds of new papers each week."
    assert {p.source for p in result.papers} == {"ris"}
    assert result.problems == []


def test_csl_json_sample() -> None:
    result = csl_json.parse(_sample(csl_json), as_of=AS_OF)
    assert [_fields(p) for p in result.papers] == [
        _paper(
            title="Why Do Agents Forget? Memory Probes for LLM Agents",
            authors=["Ingrid M Solberg", "Chen Wei"],
            published="2023-06-30",
            arxiv_id="2306.99999",  # from the arxiv.org URL
            doi="10.5555/fictional.2023.630",
            url="https://arxiv.org/abs/2306.99999",
            tags=["agents", "memory"],
            line=2,
            # id is Zotero's item URI, which is no citation key
        ),
        _paper(
            title="BM25 Strikes Back: Lexical Retrieval at Scale",
            authors=["Daniel McAllister", "Sofia Lindqvist"],
            published="2021-08",
            line=13,
        ),
    ]
    assert {p.source for p in result.papers} == {"csl-json"}
    assert result.problems == []


@pytest.mark.parametrize("module", IMPORTERS, ids=lambda m: m.__name__.rsplit(".")[-1])
def test_each_format_recognises_its_own_sample_only(module: ModuleType) -> None:
    for other, name in SAMPLES.items():
        text = (DATA / name).read_text(encoding="utf-8")
        assert module.looks_like(text) is (other is module), name
    listing = (DATA / "listing-sample.txt").read_text(encoding="utf-8")
    assert not module.looks_like(listing)
    # readq's own `list --json` output is a JSON array of papers, not CSL-JSON.
    assert not module.looks_like('[\n  {\n    "id": 1,\n    "title": "T",\n    "authors": []')


@pytest.mark.parametrize("module", IMPORTERS, ids=lambda m: m.__name__.rsplit(".")[-1])
def test_bom_and_crlf_change_nothing(module: ModuleType) -> None:
    text = _sample(module)
    messy = "\ufeff" + text.replace("\n", "\r\n")
    plain, converted = module.parse(text, as_of=AS_OF), module.parse(messy, as_of=AS_OF)
    assert [_fields(p) for p in converted.papers] == [_fields(p) for p in plain.papers]
    assert _problems(converted) == _problems(plain)


# --- BibTeX rough edges ---------------------------------------------------------


def _bib(text: str) -> ParseResult:
    return bibtex.parse(text, as_of=AS_OF)


def test_bibtex_duplicate_keys_keep_both_with_a_warning() -> None:
    result = _bib("@misc{k, title={One}}\n\n@misc{k, title={Two}}\n")
    assert [(p.title, p.citation_key, p.line) for p in result.papers] == [
        ("One", "k", 1),
        ("Two", "k", 3),
    ]
    assert _problems(result) == [(3, "warning")]
    assert "line 1" in result.problems[0].reason


def test_bibtex_repeated_field_keeps_the_first_value() -> None:
    result = _bib("@misc{k,\n  title = {First},\n  Title = {Second},\n}\n")
    assert [p.title for p in result.papers] == ["First"]
    assert _problems(result) == [(1, "warning")]


def test_bibtex_names_latex_and_others() -> None:
    result = _bib(
        "@misc{k, title = {Caf\\'e {\\\"U}ber \\emph{Stra{\\ss}e} --- 50% of $\\alpha$},\n"
        ' author = {{Barnes and Noble} and M{\\"u}ller, Hans and Jean de la Fontaine'
        " and King, Jr, Martin Luther and others}}"
    )
    (paper,) = result.papers
    # A bare % is a percentage, not a LaTeX comment that would eat the rest.
    assert paper.title == "Café Über Straße — 50% of α"
    assert paper.authors == [
        "Barnes and Noble",
        "Hans Müller",
        "Jean de la Fontaine",
        "Martin Luther King Jr",
    ]
    assert paper.authors_truncated
    assert result.problems == []


def test_bibtex_dates() -> None:
    result = _bib(
        "@misc{a, title={A}, year={2024}, month={March}, day={5}}\n"
        "@misc{b, title={B}, date={2023-11-02/2023-11-04}, year={1999}}\n"
        "@misc{c, title={C}, year={2024}, month={13}}\n"
        "@misc{d, title={D}, year={in press}}\n"
        "@misc{e, title={E}, year={2023}, month=feb, day={30}}\n"
        "@misc{f, title={F}, year={2023}, month={\u00b2}}\n"  # bibtexparser's int() would raise
    )
    assert [p.published for p in result.papers] == [
        "2024-03-05",
        "2023-11-02",
        "2024",
        None,
        "2023-02",
        "2023",
    ]
    assert _problems(result) == [(3, "warning"), (4, "warning"), (5, "warning"), (6, "warning")]


def test_bibtex_identifiers() -> None:
    result = _bib(
        "@misc{a, title={A}, eprint={2401.01234v3}, archivePrefix={arXiv},"
        " primaryClass={math.AG}, doi={https://doi.org/10.1000/xyz}}\n"
        "@misc{b, title={B}, eprint={hal-0123}, eprinttype={HAL},"
        " journal={arXiv preprint arXiv:2402.00005}}\n"
        "@misc{c, title={C}, eprint={1234}, archiveprefix={arXiv}}\n"
        "@misc{d, title={D}, url={javascript:alert(1)}, doi={n/a}, keywords={x; y, x}}\n"
    )
    a, b, c, d = result.papers
    assert (a.arxiv_id, a.arxiv_version, a.doi) == ("2401.01234", 3, "10.1000/xyz")
    assert (a.category, a.categories) == ("math.AG", ["math.AG"])
    assert (b.arxiv_id, b.venue) == ("2402.00005", None)  # a HAL eprint is no arXiv id
    assert c.arxiv_id is None
    assert (d.url, d.doi, d.tags) == (None, None, ["x", "y"])
    assert _problems(result) == [(3, "warning"), (4, "warning"), (4, "warning")]


def test_bibtex_undefined_macro_is_kept_with_a_warning() -> None:
    result = _bib("@inproceedings{k, title={T}, booktitle=icml}\n")
    assert [p.venue for p in result.papers] == ["icml"]
    assert _problems(result) == [(1, "warning")]
    assert "@string" in result.problems[0].reason


def test_bibtex_ignores_comments_preamble_and_parenthesised_entries_work() -> None:
    result = _bib(
        "% a comment\n"
        '@preamble{"\\newcommand{\\x}{y}"}\n'
        "@comment{@misc{gone, title={Gone}}}\n"
        '@misc(paren, title = "In Parentheses")\n'
    )
    assert [(p.title, p.line) for p in result.papers] == [("In Parentheses", 4)]
    assert result.problems == []


def test_bibtex_terminal_sequences_go_before_latex_is_decoded() -> None:
    # The `\` of an OSC 8 hyperlink's `ESC \` terminator must not reach pylatexenc.
    link = "\x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\"
    result = _bib(f"@misc{{k, title = {{Click {link} now}}}}\n")
    assert [p.title for p in result.papers] == ["Click here now"]


def test_bibtex_undecodable_latex_keeps_the_entry() -> None:
    deep = "{" * 3000 + "Deep" + "}" * 3000
    result = _bib(f"@misc{{k, title={{{deep}}}, abstract={{See \\href{{x}}}}}}\n")
    (paper,) = result.papers
    assert paper.title == "Deep"
    assert _problems(result) == [(1, "warning"), (1, "warning")]


def test_bibtex_truncated_file_keeps_the_entries_before() -> None:
    text = _sample(bibtex)
    cut = text[: text.index("@article{berg2026legged") + 60]
    result = _bib(cut)
    assert [p.citation_key for p in result.papers] == [
        "ellison2025sparse",
        "durand2024fog",
        "oneill2019gpt2",
    ]
    assert _problems(result) == [(36, "error")]


def test_bibtex_entry_without_title_is_an_error() -> None:
    result = _bib("@misc{k, author={A, B}}\n")
    assert result.papers == []
    assert _problems(result) == [(1, "error")]


# --- RIS rough edges ------------------------------------------------------------


def _ris(*lines: str) -> ParseResult:
    return ris.parse("\n".join(lines) + "\n", as_of=AS_OF)


def test_ris_continuation_lines_names_and_html_notes() -> None:
    result = _ris(
        "TY  - JOUR",
        "TI  - A Title That",
        "   Goes On",
        "AU  - King, Martin Luther, Jr.",
        "A1  - The Consortium",
        "AB  - First line",
        "second line",
        "N1  - <p>Comment: <b>12</b> pages &amp; more</p><p>Second</p>",
        "N1  - plain",
        "KW  - a; b",
        "KW  - b",
        "T2  - Journal of Things",
        "ID  - king2024",
        "ER  - ",
    )
    (paper,) = result.papers
    assert paper.title == "A Title That Goes On"
    assert paper.authors == ["Martin Luther King Jr.", "The Consortium"]
    assert paper.abstract == "First line second line"
    assert paper.notes == "Comment: 12 pages & more\nSecond\n\nplain"
    assert (paper.tags, paper.venue, paper.citation_key) == (
        ["a", "b"],
        "Journal of Things",
        "king2024",
    )
    assert result.problems == []


def test_ris_arxiv_ids_from_links_notes_and_dois() -> None:
    result = _ris(
        *("TY  - GEN", "TI  - A", "UR  - https://arxiv.org/abs/2503.00042v2", "ER  - "),
        *("TY  - GEN", "TI  - B", "N1  - arXiv:2503.00043 [cs]", "ER  - "),
        *("TY  - GEN", "TI  - C", "DO  - 10.48550/arXiv.2503.00044", "ER  - "),
        *("TY  - GEN", "TI  - D", "N1  - see page 2503.00045", "ER  - "),
    )
    assert [(p.arxiv_id, p.arxiv_version) for p in result.papers] == [
        ("2503.00042", 2),
        ("2503.00043", None),
        ("2503.00044", None),
        (None, None),  # a bare number is not taken for an arXiv id
    ]


def test_ris_dates_take_the_most_precise_and_warn_on_nonsense() -> None:
    result = _ris(
        *("TY  - GEN", "TI  - A", "PY  - 2024", "DA  - 2024/03/05/", "ER  - "),
        *("TY  - GEN", "TI  - B", "PY  - 2024///", "ER  - "),
        *("TY  - GEN", "TI  - C", "DA  - 2023/02/30/", "ER  - "),
        *("TY  - GEN", "TI  - D", "PY  - soon", "ER  - "),
    )
    assert [p.published for p in result.papers] == ["2024-03-05", "2024", "2023-02", None]
    assert _problems(result) == [(10, "warning"), (14, "warning")]  # at each TY line


def test_ris_broken_structure() -> None:
    result = _ris(
        "stray text",  # 1: ignored, warned
        "TY  - JOUR",  # 2: no ER before the next TY
        "TI  - First",
        "TY  - JOUR",  # 4: record without a title
        "AB  - no title",
        "ER  - ",
        "AU  - Orphan, Field",  # 7: fields outside a record: lost, an error
        "ER  - ",  # 8: ER without TY
        "TY  - JOUR",  # 9: the file ends inside it
        "TI  - Last",
        "UR  - file:///etc/passwd",
        "DO  - n/a",
    )
    assert [(p.title, p.line) for p in result.papers] == [("First", 2), ("Last", 9)]
    assert result.papers[1].url is None and result.papers[1].doi is None
    assert _problems(result) == [
        (1, "warning"),
        (2, "warning"),
        (4, "error"),
        (7, "error"),
        (8, "warning"),
        (9, "warning"),
        (9, "warning"),
        (9, "warning"),
    ]


def test_ris_malformed_html_notes_are_kept_as_text() -> None:
    # html.parser would raise AssertionError on these marked sections.
    result = _ris("TY  - GEN", "TI  - T", "N1  - <p><![<x</p><p>&#27;[2Jok</p>", "ER  - ")
    assert [p.notes for p in result.papers] == ["<![<x\n[2Jok"]


def test_ris_garbage_is_an_error() -> None:
    result = ris.parse("this is not\na RIS file\n", as_of=AS_OF)
    assert result.papers == []
    assert (1, "error") in _problems(result)


# --- CSL-JSON rough edges -------------------------------------------------------


def _csl(text: str) -> ParseResult:
    return csl_json.parse(text, as_of=AS_OF)


def test_csl_single_object_names_and_identifiers() -> None:
    result = _csl(
        '{"title": "Single", "type": "article",'
        ' "author": [{"literal": "The Team"},'
        ' {"given": "Ludwig", "non-dropping-particle": "van", "family": "Beethoven"}],'
        ' "issued": {"raw": "2020-05"}, "citation-key": "team2020",'
        ' "number": "arXiv:2306.12345v3", "keyword": ["a, b", "c"],'
        ' "container-title": "Journal of Music"}'
    )
    assert [_fields(p) for p in result.papers] == [
        _paper(
            title="Single",
            authors=["The Team", "Ludwig van Beethoven"],
            published="2020-05",
            arxiv_id="2306.12345",
            arxiv_version=3,
            tags=["a", "b", "c"],
            venue="Journal of Music",
            citation_key="team2020",
            line=1,
        )
    ]
    assert result.problems == []


def test_csl_items_keep_their_lines_and_survive_bad_neighbours() -> None:
    result = _csl(
        "[\n"
        '  {"title": "A", "id": "key-a", "issued": {"date-parts": [["2020", "13"]]}},\n'
        "  7,\n"
        '  {"title": "B", "URL": "ftp://x", "DOI": "nope", "author": "Someone"},\n'
        '  {"author": [{"family": "NoTitle"}]},\n'
        '  {"title": "C" "oops"},\n'
        '  {"title": "D"}\n'
        "]\n"
    )
    assert [(p.title, p.line, p.published, p.citation_key) for p in result.papers] == [
        ("A", 2, "2020", "key-a"),
        ("B", 4, None, None),
    ]
    assert _problems(result) == [
        (2, "warning"),  # month 13
        (3, "error"),  # not an object
        (4, "warning"),  # URL not http(s)
        (4, "warning"),  # DOI not a DOI
        (4, "warning"),  # author not a list
        (5, "error"),  # no title
        (6, "error"),  # syntax error: nothing after it is read
    ]


@pytest.mark.parametrize(
    "text",
    [
        "42",
        '"a string"',
        "null",
        "",
        "not json at all",
        "[" * 100_000,  # nested far beyond the decoder's recursion limit
        "[1" + "0" * 5000 + "]",  # an integer Python refuses to convert
        "[]",
        '[{"title": "cut',
    ],
    ids=["number", "string", "null", "empty", "text", "deep", "huge-int", "empty-list", "cut"],
)
def test_csl_wrong_shapes_are_one_error(text: str) -> None:
    result = _csl(text)
    assert result.papers == []
    assert [p.severity for p in result.problems] == ["error"]


def test_csl_odd_dates_are_warnings() -> None:
    result = _csl(
        '[{"title": "A", "issued": {"date-parts": [["\u00b2"]]}},\n'  # isdigit, not int
        ' {"title": "B", "issued": {"date-parts": [[2021, 2, 30]]}},\n'
        ' {"title": "C", "issued": "2020"},\n'
        ' {"title": "D", "issued": {"literal": "Spring 2019"}}]'
    )
    assert [p.published for p in result.papers] == [None, "2021-02", None, None]
    assert _problems(result) == [(1, "warning"), (2, "warning"), (3, "warning"), (4, "warning")]


def test_csl_trailing_text_is_a_warning() -> None:
    result = _csl('[{"title": "A"}]\ntrailing')
    assert [p.title for p in result.papers] == ["A"]
    assert _problems(result) == [(2, "warning")]


# --- properties: never an exception, never a control character ------------------

PROPERTY_SETTINGS = settings(
    derandomize=True,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow],
)
_CONTROL = {chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROL |= {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_CONTROL |= {chr(c) for c in range(0xD800, 0xE000)}  # lone surrogates ("\ud800" in JSON)


def _strings(paper: ParsedPaper) -> list[tuple[str, str]]:
    values = [("title", paper.title), ("abstract", paper.abstract)]
    values += [("author", a) for a in paper.authors] + [("tag", t) for t in paper.tags or []]
    values += [("category", c) for c in paper.categories]
    for name in ("url", "doi", "arxiv_id", "venue", "citation_key", "published", "category"):
        value = getattr(paper, name)
        if value is not None:
            values.append((name, value))
    return values


def _assert_clean(result: ParseResult) -> None:
    for paper in result.papers:
        assert paper.title
        for what, value in _strings(paper):
            assert not _CONTROL & set(value), f"{what} {value!r}"
        assert not _CONTROL & set(paper.notes or "") - {"\n"}, f"notes {paper.notes!r}"
    for problem in result.problems:  # printed to the terminal too
        assert not _CONTROL & set(str(problem)), str(problem)
        assert problem.line >= 1


# Pieces of each format, so that generated text reaches past the first check.
_FRAGMENTS = {
    bibtex: [
        *("@article{k,", "@misc(k,", "@string{s = {S}}", "@comment{", "@preamble{", "title = {"),
        *('author = "', "and others", " and ", "{\\'e}", "$\\x", "\\url{", "month = jan", "s"),
        *("year = 2024", "}", "{", ",", "=", "#", '"', "\n", "%", "\\", "\x1b[31m", "\u202e"),
    ],
    ris: [
        *("TY  - JOUR\n", "ER  - \n", "TI  - ", "AU  - ", "PY  - 2024/", "DA  - ", "UR  - "),
        *("N1  - <p>", "</p>", "KW  - ", "DO  - 10.1/x", "arXiv:2401.00001v2", "\n", "\r\n"),
        *("\x1b]0;t\x07", "\u202e", "\x9b", ",", "/", "-", "  ", "<![", "<b>&#27;[2J</b>", "&#0;"),
    ],
    csl_json: [
        *("[", "]", "{", "}", ",", ":", '"title"', '"author"', '"family"', '"literal"'),
        *('"issued"', '"date-parts"', '"raw"', '"keyword"', '"URL"', '"DOI"', '"id"', "2024"),
        *('"x"', '"\\u001b[2J"', '"\\u202e"', '"\\ud800"', "null", "true", "-1", "1e999", "\n"),
        *('"\\u00b2"', "NaN", '"2021/02/30"', "[[", "]]"),
    ],
}


@pytest.mark.parametrize("module", IMPORTERS, ids=lambda m: m.__name__.rsplit(".")[-1])
def test_arbitrary_text_never_raises(module: ModuleType) -> None:
    parse: Callable[..., ParseResult] = module.parse

    @PROPERTY_SETTINGS
    @given(st.text(max_size=400))
    def check(text: str) -> None:
        _assert_clean(parse(text, as_of=AS_OF))

    check()


@pytest.mark.parametrize("module", IMPORTERS, ids=lambda m: m.__name__.rsplit(".")[-1])
def test_format_shaped_noise_never_raises_and_stays_clean(module: ModuleType) -> None:
    parse: Callable[..., ParseResult] = module.parse
    pieces = st.sampled_from(_FRAGMENTS[module]) | st.text(max_size=8)

    @PROPERTY_SETTINGS
    @given(st.lists(pieces, max_size=60))
    def check(parts: list[str]) -> None:
        _assert_clean(parse("".join(parts), as_of=AS_OF))

    check()


@pytest.mark.parametrize("module", IMPORTERS, ids=lambda m: m.__name__.rsplit(".")[-1])
def test_damaged_samples_never_raise(module: ModuleType) -> None:
    text = _sample(module)

    @PROPERTY_SETTINGS
    @given(st.integers(0, len(text)), st.integers(0, len(text)), st.text(max_size=5))
    def check(start: int, end: int, insert: str) -> None:
        start, end = min(start, end), max(start, end)
        _assert_clean(module.parse(text[:start] + insert + text[end:], as_of=AS_OF))

    check()


# Arbitrary values in the fields each importer reads. A longer run of this shape
# found ``month = {²}`` (now a case in test_bibtex_dates).
# Digit-like characters (², ٣, Ⅻ) stress the number parsing of dates and versions.
_VALUES = st.text(max_size=30) | st.text(st.characters(categories=["Nd", "No", "Nl"]), max_size=3)
_BIB_FIELDS = ("title", "author", "month", "year", "day", "date", "eprint", "archiveprefix")
_BIB_FIELDS += ("primaryclass", "doi", "url", "keywords", "journal", "howpublished", "abstract")
_RIS_TAGS = ("TI", "AU", "PY", "DA", "UR", "DO", "KW", "N1", "AB", "T2", "ID", "M1")
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
_CSL_KEYS = ("title", "author", "issued", "URL", "DOI", "keyword", "container-title", "id")
_CSL_KEYS += ("number", "archive_ID", "note", "family", "given", "literal", "date-parts", "raw")


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(st.sampled_from(_BIB_FIELDS), _VALUES), max_size=8))
def test_bibtex_field_values_never_raise(fields: list[tuple[str, str]]) -> None:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    _assert_clean(bibtex.parse(f"@article{{k,\n{body}\n}}\n", as_of=AS_OF))


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(st.sampled_from(_RIS_TAGS), _VALUES), max_size=10))
def test_ris_field_values_never_raise(fields: list[tuple[str, str]]) -> None:
    body = "".join(f"{tag}  - {value}\n" for tag, value in fields)
    _assert_clean(ris.parse(f"TY  - JOUR\n{body}ER  - \n", as_of=AS_OF))


@PROPERTY_SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(_CSL_KEYS), _JSON, max_size=8), max_size=3))
def test_csl_field_values_never_raise(items: list[dict[str, Any]]) -> None:
    _assert_clean(csl_json.parse(json.dumps(items), as_of=AS_OF))
