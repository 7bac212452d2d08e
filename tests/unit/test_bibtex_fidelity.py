"""The BibTeX importer reads values as LaTeX means them (issue 11, "Real-world fidelity").

Each case is a shape met in real exports (the corpus in tests/data/real/bibtex
has most of them in context): markup macros that keep their text, a bare &,
math, DOIs given through old resolvers, crossref, broken braces, names.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readq.importers import bibtex
from readq.importers.base import ParseResult
from readq.library import Library
from readq.model import ParsedPaper

AS_OF = date(2026, 11, 29)


def _bib(text: str) -> ParseResult:
    return bibtex.parse(text, as_of=AS_OF)


def _one(fields: str) -> ParsedPaper:
    result = _bib(f"@misc{{k,\n{fields}\n}}\n")
    (paper,) = result.papers
    return paper


def _problems(result: ParseResult) -> list[tuple[int, str]]:
    return [(problem.line, problem.severity) for problem in result.problems]


# --- LaTeX, as LaTeX means it ---------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        # A bare & is the character (pylatexenc reads it as a table's column).
        ("Barnes & Noble", "Barnes & Noble"),
        ("AT&T Labs", "AT&T Labs"),
        (r"AT\&T Labs", "AT&T Labs"),
        # Markup keeps its text (pylatexenc drops macros it has no text for).
        (r"Arrays in \texttt{numpy}", "Arrays in numpy"),
        (r"\mbox{Deep Q}-Networks", "Deep Q-Networks"),
        (r"\textsf{A} \textup{B} \textmd{C} \emph{D} \textbf{E} \textit{F}", "A B C D E F"),
        (r"\NoCaseChange{BERT} and {\em em} and {\bf bf}", "BERT and em and bf"),
        (r"\foreignlanguage{german}{Stra\ss e}", "Straße"),
        (r"\enquote{Quoted} text", "“Quoted” text"),
        # Logos, and TeX eating the space after a control word.
        (r"The {\TeX book}", "The TeXbook"),
        (r"\LaTeX\ and \BibTeX{} and \LaTeXe", "LaTeX and BibTeX and LaTeX2ε"),
        # Text symbols become their characters.
        (r"and\slash or, well\hyphen known", "and/or, well-known"),
        (r"\textless{}tag\textgreater{} \copyright{} 2020", "<tag> © 2020"),
        (r"\textbraceleft{}x\textbraceright{} \textbar{} \textunderscore{}", "{x} | _"),
        # \href keeps its text; \url is the link.
        (r"See \href{https://example.org/x}{the site}", "See the site"),
        (r"At \url{https://example.org/x}", "At https://example.org/x"),
        # A math macro without its argument leaves no stray $.
        (r"Nitrogen-Polar (0001{$\overline$}) GaN", "Nitrogen-Polar (0001) GaN"),
        (r"So{$\not$}rensen", "Sorensen"),
        # Math stays readable.
        (r"$\lambda$-Calculus", "λ-Calculus"),
        (r"$O(n^2)$ and CO$_2$ at $10^{-3}$", "O(n²) and CO₂ at 10⁻³"),
        (r"$e^{i\pi}$ and $x_{ij}$", "e^(iπ) and x_(ij)"),
        (r"Radix-2\({}^{\mbox{k}}\) and the 5\({}^{\mbox{th}}\)", "Radix-2^k and the 5th"),
        (r"$\mathcal{O}(n \log n)$ in $\mathbb{R}^n$", "𝒪(n log n) in ℝⁿ"),
        (r"(000$\overline{1}$) $\langle{}00\bar{1}\rangle$", "(0001̅) ⟨001̅⟩"),
        (r"Space$\quad$Quad, 200\,{\mbox{$\mu$}}{J}", "Space Quad, 200 μJ"),
        (
            r"NH\textsuperscript{3} and H\textsubscript{2}O, 5\textsuperscript{th}",
            "NH³ and H₂O, 5th",
        ),
        # Outside math, ^ and _ are what the author typed.
        ("snake_case_2 and x^2", "snake_case_2 and x^2"),
        # An HTML entity some exporters leave in is its character.
        ("Nutrition &amp; Metabolism", "Nutrition & Metabolism"),
        (r"Written \&amp; kept", "Written &amp; kept"),
    ],
)
def test_latex_is_decoded_as_latex_means_it(written: str, read: str) -> None:
    assert _one(f"  title = {{{written}}}").title == read


def test_names_are_decoded_after_they_are_split() -> None:
    paper = _one(
        r"  title = {T}, author = {So{$\not$}rensen, Claus B."
        r" and {Center for History and New Media} and Nyg{\aa}rd, Jesper"
        r" and {Fontcuberta i Morral}, Anna and {Others}}"
    )
    assert paper.authors == [
        "Claus B. Sorensen",
        "Center for History and New Media",
        "Jesper Nygård",
        "Anna Fontcuberta i Morral",
        "Others",  # braced, a name: only a bare `others` cuts the list
    ]
    assert not paper.authors_truncated


def test_repeated_author_names_are_all_kept(tmp_path: Path) -> None:
    # Two different people may share a written name: none is dropped, on import
    # or in the library.
    text = "@misc{k, title={Twins}, author={Zhang, S. and Li, W. and Zhang, S. and Zhang, S.}}\n"
    (paper,) = _bib(text).papers
    assert paper.authors == ["S. Zhang", "W. Li", "S. Zhang", "S. Zhang"]
    library = Library.open(tmp_path / "library.json", daily_backup=False)
    library.add_many([paper])
    assert [p.authors for p in library] == [["S. Zhang", "W. Li", "S. Zhang", "S. Zhang"]]
    library.close()


# --- DOIs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "doi"),
    [
        ("doi = {http://doi.acm.org/10.1145/1137627.1137631}", "10.1145/1137627.1137631"),
        ("doi = {info:doi/10.1076/noph.22.3.165.8381}", "10.1076/noph.22.3.165.8381"),
        ("doi = {https://dx.doi.org/10.1000/xyz}", "10.1000/xyz"),
        ("doi = {http://dx.doi.org/10.1002/andp.19053221004}", "10.1002/andp.19053221004"),
        ("doi = {DOI: 10.1000/xyz.}", "10.1000/xyz"),
        ("doi = {10.1000/a\\_b}", "10.1000/a_b"),  # escaped by a careful exporter
        ("doi = {https://doi.org/10.1000%2Fxyz}", "10.1000/xyz"),
        # Without a doi field: a resolver or publisher link, or a note.
        ("url = {https://doi.org/10.1109/5.771073}", "10.1109/5.771073"),
        ("url = {https://dl.acm.org/doi/abs/10.1145/3290605.3300233}", "10.1145/3290605.3300233"),
        ("note = {doi: 10.1016/j.cell.2012.02.040}", "10.1016/j.cell.2012.02.040"),
        ("note = {Published as \\doi{10.1000/xyz}}", "10.1000/xyz"),
        ("url = {https://arxiv.org/abs/2401.00001}", None),
    ],
)
def test_dois_through_old_resolvers_are_normalised(fields: str, doi: str | None) -> None:
    result = _bib(f"@misc{{k, title={{T}}, {fields}}}\n")
    assert [p.doi for p in result.papers] == [doi]
    assert result.problems == []


def test_a_doi_link_in_url_keeps_the_url() -> None:
    paper = _one("  title = {T}, url = {https://doi.org/10.1109/5.771073}")
    assert (paper.url, paper.doi) == ("https://doi.org/10.1109/5.771073", "10.1109/5.771073")


# --- crossref, macros, concatenation -------------------------------------------


def test_a_child_takes_what_it_lacks_from_its_crossref() -> None:
    result = _bib(
        "@inbook{child, crossref = {Book}, pages = {1--2}}\n"
        "@incollection{titled, crossref = {book}, title = {Lebanon}, doi = {10.1000/own}}\n"
        "@book{book, title = {Global Civil Society}, year = {2004},"
        " author = {Salamon, Lester M.}, doi = {10.1000/parent}}\n"
    )
    child, titled, book = result.papers
    # As BibTeX copies the fields (keys are case-insensitive), with the title.
    assert (child.title, child.published, child.authors) == (
        "Global Civil Society",
        "2004",
        ["Lester M. Salamon"],
    )
    # As in biblatex, the parent's title is where the child appeared.
    assert (titled.title, titled.venue, titled.published) == (
        "Lebanon",
        "Global Civil Society",
        "2004",
    )
    # Identifiers are each entry's own: the proceedings' DOI would merge its papers.
    assert (child.doi, titled.doi, book.doi) == (None, "10.1000/own", "10.1000/parent")
    assert result.problems == []


def test_the_subtitle_is_part_of_the_title() -> None:
    # Two parts of one work, as Better BibTeX's APA test library has them: only
    # the subtitle tells them apart, and they are two papers.
    result = _bib(
        "@article{9.49:5, author = {J. Jones}, title = {Annoyingly Casual Titles},\n"
        "  subtitle = {How to Exhaust all Effort on the Title Alone}, date = {2012}}\n"
        "@article{9.49:6, author = {J. Jones}, title = {Annoyingly Casual Titles},\n"
        "  subtitle = {Creating Titles to Distract from Vacuity}, date = {2012}}\n"
        "@book{q, title = {Why?}, subtitle = {{A} Study}}\n"
        "@inbook{child, crossref = {q}, pages = {1--2}}\n"
        # JabRef's test library: the title holds the subtitle already.
        "@book{WHO2023, title = {World health statistics 2023: monitoring health},\n"
        "  subtitle = {Monitoring Health}}\n"
    )
    assert [p.title for p in result.papers] == [
        "Annoyingly Casual Titles: How to Exhaust all Effort on the Title Alone",
        "Annoyingly Casual Titles: Creating Titles to Distract from Vacuity",
        "Why? A Study",
        "Why? A Study",  # the title through crossref, whole
        "World health statistics 2023: monitoring health",
    ]
    assert result.problems == []


def test_a_missing_or_circular_crossref_is_said_and_never_loops() -> None:
    result = _bib(
        "@inbook{a, crossref = {nowhere}, pages = {1}}\n"
        "@inbook{b, crossref = {c}, title = {B}}\n"
        "@inbook{c, crossref = {b}, year = {2001}}\n"
    )
    assert [(p.title, p.published) for p in result.papers] == [("B", "2001"), ("B", "2001")]
    assert _problems(result) == [(1, "error")]
    assert "'nowhere' is not in the file" in result.problems[0].reason


def test_string_macros_and_concatenation() -> None:
    result = _bib(
        '@String{MCDERMOTT = "McDermott, Drew V."}\n'
        "@string{proc = {Proc. of } # conf}\n"
        '@string{conf = "ICML"}\n'
        "@techreport(k,\n"
        "  author = MCDERMOTT # { and Gerald J. Sussman},\n"
        '  booktitle = "The " # {ICML} # " Workshop",\n'
        "  month = May, year = 1972,\n"
        "  title = {The {\\sc CONNIVER} Reference Manual}\n"
        ")\n"
    )
    (paper,) = result.papers
    assert paper.authors == ["Drew V. McDermott", "Gerald J. Sussman"]
    assert (paper.venue, paper.published) == ("The ICML Workshop", "1972-05")
    assert paper.title == "The CONNIVER Reference Manual"
    assert result.problems == []


# --- broken braces and other slips ---------------------------------------------


def test_an_unclosed_brace_is_reported_at_its_line_and_the_rest_imported() -> None:
    result = _bib(
        "@misc{a, title={One}}\n"
        "\n"
        "@article{b,\n"
        "  title = {Two {Unclosed},\n"
        "  year = 2020,\n"
        "}\n"
        "\n"
        "@misc{c, title={Three}}\n"
    )
    assert [p.title for p in result.papers] == ["One", "Three"]
    assert _problems(result) == [(3, "error")]
    assert "the { opened on line 4 is never closed; skipped" in result.problems[0].reason


def test_an_unclosed_brace_in_the_last_entry_is_reported() -> None:
    result = _bib("@misc{a, title={One}}\n@misc{b,\n  title={Two,\n  year={2020}\n")
    assert [p.title for p in result.papers] == ["One"]
    assert _problems(result) == [(2, "error")]
    assert "the { opened on line 3 is never closed" in result.problems[0].reason


def test_a_missing_closing_brace_of_an_entry_is_mended() -> None:
    result = _bib("@misc{a, title={One},\n  year={2020}\n\n@misc{b, title={Two}}\n")
    assert [(p.title, p.published) for p in result.papers] == [("One", "2020"), ("Two", None)]
    assert _problems(result) == [(1, "warning")]
    assert "closing } is missing" in result.problems[0].reason


def test_a_brace_too_many_is_reported() -> None:
    result = _bib("@misc{a,\n  title = {Two} Extra},\n  year = 2020,\n}\n@misc{b, title={B}}\n")
    assert [p.title for p in result.papers] == ["Two Extra", "B"]
    assert _problems(result) == [(1, "warning")]
    assert "a } too many" in result.problems[0].reason


@pytest.mark.parametrize(
    ("text", "key", "what"),
    [
        # EndNote writes entries without a key.
        ("@article{\n  author = {Huang, Y.},\n  title = {Alzheimer}\n}\n", None, "no key"),
        ("@article{test\n  title = {Embedded},\n  year = {2022}\n}\n", "test", "no comma"),
        ("@techreport{TBD,  title = {Report},  , number = {2}}\n", "TBD", "empty field"),
    ],
)
def test_common_slips_are_mended_with_a_warning(text: str, key: str | None, what: str) -> None:
    result = _bib(text + "@misc{next, title={Next}}\n")
    assert [p.citation_key for p in result.papers] == [key, "next"]
    assert _problems(result) == [(1, "warning")]
    assert what in result.problems[0].reason


def test_an_empty_field_inside_a_value_is_text() -> None:
    paper = _one("  title = {A, , B}, note = {x}")
    assert paper.title == "A, , B"


# --- notes, categories, links ---------------------------------------------------


def test_annote_is_the_note_in_lines_and_paragraphs() -> None:
    paper = _one(
        "  title = {T},\n"
        "  annote = {A wrapped\n              line, then\\\\\n  an indented one.\n\n"
        "  A paragraph with \\emph{markup} and 50% \\& more.}"
    )
    assert (
        paper.notes
        == "A wrapped line, then\n  an indented one.\n\n  A paragraph with markup and 50% & more."
    )
    # biblatex's name for it
    assert _one("  title = {T}, annotation = {Read it}").notes == "Read it"
    # A line after a line break that starts with [ is text, not the optional
    # argument of \\ (a checklist, as readq's export writes it).
    paper = _one("  title = {T},\n  annote = {Plan\\\\\n[ ] read\\\\\n[x] skim}")
    assert paper.notes == "Plan\n[ ] read\n[x] skim"
    # `note` is bibliographic (a journal's remark), not the reader's note.
    assert _one("  title = {T}, note = {Accepted at ICML}").notes is None


def test_every_arxiv_category_is_read() -> None:
    paper = _one(
        "  title = {T}, primaryclass = {physics.chem-ph}, categories = {physics.chem-ph, cs.LG}"
    )
    assert (paper.category, paper.categories) == ("physics.chem-ph", ["physics.chem-ph", "cs.LG"])
    paper = _one("  title = {T}, primaryClass = {cond-mat, physics:physics}")
    assert paper.categories == ["cond-mat"]
    # Another tool's "categories" is not arXiv's: it is left alone.
    paper = _one("  title = {T}, primaryclass = {cs.CL}, categories = {Machine Learning}")
    assert (paper.category, paper.categories) == ("CL", ["cs.CL"])


@pytest.mark.parametrize(
    ("fields", "url"),
    [
        (
            "howpublished = {\\href {https://example.org/gap} {\\texttt{gap}}}",
            "https://example.org/gap",
        ),
        ("url = {\\url{https://example.org/a}}", "https://example.org/a"),
        (
            "url = {http://www.jstor.org/stable/689938 http://www.jstor.org/stable/x}",
            "http://www.jstor.org/stable/689938",
        ),
        ("url = {http://example.org/a, http://example.org/b}", "http://example.org/a"),
    ],
)
def test_the_paper_link_is_found(fields: str, url: str) -> None:
    assert _one(f"  title = {{T}}, {fields}").url == url
