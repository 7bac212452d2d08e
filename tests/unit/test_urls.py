"""Links and text are safe however they got in: an import, a merge, a hand-edited library.

A paper's URL is only ever a web page (identifiers.web_link, applied where every
import's papers pass: importers.parse); Markdown exports escape it and the
note's headings; what a paper holds is cleaned again wherever it is shown.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readq import importers
from readq.exporters import markdown
from readq.importers.identifiers import web_link
from readq.library import Library
from readq.model import Paper, ParsedPaper
from readq.tui.widgets.detail import describe

from ..conftest import AS_OF, as_one_file, run


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
        ("doi:10.1371/journal.pone.0086394", "https://doi.org/10.1371/journal.pone.0086394"),
        ("DOI: 10.1000/a<b>#c", "https://doi.org/10.1000/a%3Cb%3E%23c"),
        ("arXiv:1011.1669v3", "https://arxiv.org/abs/1011.1669v3"),
        ("arxiv:hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\x1bscript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("file:///etc/passwd", None),
        ("ftp://example.org/x", None),
        ("http://", None),
        ("http:///path", None),
        ("http://[::1", None),
        ("https://exa mple.org", None),
        ("doi:not-a-doi", None),
        ("arXiv:nothing", None),
        ("", None),
    ],
)
def test_only_web_links_are_links(text: str, link: str | None) -> None:
    assert web_link(text) == link


def _readq_json(url: str) -> str:
    paper = {"title": "T", "authors": ["Ada Lovelace"], "url": url}
    return json.dumps({"format": "readq", "version": 1, "papers": [paper]})


def test_a_javascript_url_in_readq_json_is_dropped_with_a_warning() -> None:
    result = importers.parse(_readq_json("javascript:alert(1)"), "readq-json", as_of=AS_OF)
    assert result.papers[0].url is None
    (problem,) = result.problems
    assert problem.severity == "warning"
    assert "ignored URL 'javascript:alert(1)'" in problem.reason and "'T'" in problem.reason


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("readq-json", _readq_json("file:///etc/passwd")),
        ("csl-json", '[{"title": "T", "URL": "javascript:alert(1)"}]'),
        ("csv", "title,url\nT,javascript:alert(1)\n"),
        ("ris", "TY  - JOUR\nTI  - T\nUR  - javascript:alert(1)\nER  - \n"),
        ("bibtex", "@article{k, title = {T}, url = {javascript:alert(1)}}\n"),
    ],
)
def test_no_format_lets_a_script_url_through(fmt: str, text: str) -> None:
    result = importers.parse(text, fmt, as_of=AS_OF)
    assert [p.url for p in result.papers] == [None]


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.text(max_size=40))
def test_whatever_url_an_export_holds_only_a_web_link_is_kept(url: str) -> None:
    result = importers.parse(_readq_json(url), "readq-json", as_of=date(2026, 1, 1))
    for paper in result.papers:
        assert paper.url is None or re.match(r"https?://[^\s/?#]", paper.url, re.IGNORECASE)


def test_merge_goes_through_the_same_door(library_file: Path, tmp_path: Path) -> None:
    export = tmp_path / "other.json"
    export.write_text(_readq_json("javascript:alert(1)"), encoding="utf-8")
    from readq.cli import main

    assert main(["merge", str(export)]) == 0
    with Library.open(library_file, writable=False) as library:
        assert [p.url for p in library] == [None]


# --- Markdown --------------------------------------------------------------------------


def _paper(**fields: object) -> Paper:
    values: dict[str, object] = {"id": 1, "title": "A Paper", "authors": ["Ada Lovelace"]}
    return Paper(**{**values, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a>)[click](javascript:alert(1))",
        'https://example.org/a\\<x>"`{|}',
        "https://example.org/\u202e)x",
    ],
)
def test_a_markdown_link_cannot_be_broken_out_of(url: str) -> None:
    text = markdown.report([_paper(url=url)])
    (heading,) = [line for line in text.splitlines() if line.startswith("### ")]
    assert re.fullmatch(r"### \[A Paper\]\(<[^<>\s\\]*>\)", heading), heading
    assert "javascript:" not in heading.split("](")[0]


def test_a_url_that_is_no_web_link_is_not_linked(tmp_path: Path) -> None:
    paper = _paper(url="javascript:alert(1)")  # a hand-edited library
    assert "javascript" not in markdown.report([paper])
    assert "javascript" not in markdown.paper_file(paper)


def test_a_notes_headings_go_under_the_papers_heading() -> None:
    notes = (
        "# Mine\n\ntext\n\n## Sub\n\nSetext\n===\n\n```\n# code, not a heading\n```\n###### deep"
    )
    lines = markdown.report([_paper(notes=notes)]).splitlines()
    assert lines.index("### A Paper") < lines.index("#### Mine") < lines.index("##### Sub")
    assert "#### Setext" in lines and "# code, not a heading" in lines
    assert "###### deep" in lines  # six is as deep as Markdown goes
    file_lines = markdown.paper_file(_paper(notes=notes)).splitlines()
    assert "## Notes" in file_lines and "### Mine" in file_lines and "#### Sub" in file_lines


# --- text cleaned where it is shown ------------------------------------------------------

HOSTILE = "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x9d52;c;eA==\x9c\x1b[2J\u202e"
_RAW = re.compile("[\x07\x1b\x9b\x9c\x9d\u202e]")


@pytest.fixture
def hand_edited(library_file: Path) -> Path:
    """A library whose first paper's title, abstract and note were edited by hand
    to hold escape sequences: a window title, OSC 52 to the clipboard, a screen clear."""
    with Library.open(library_file) as library:
        library.add_many([ParsedPaper(title="Clean", authors=["Ada Lovelace"], abstract="A")])
    text = as_one_file(library_file).read_text(encoding="utf-8")
    evil = json.dumps(HOSTILE)[1:-1]
    text = text.replace('"title":"Clean"', f'"title":"Clean{evil}"')
    text = text.replace('"abstract":"A"', f'"abstract":"A{evil}"')
    text = text.replace('"notes":""', f'"notes":"# note{evil}"')
    assert text.count(evil) == 3
    library_file.write_text(text, encoding="utf-8")
    return library_file


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "1"],
        ["show", "1", "--json"],
        ["list"],
        ["list", "--json"],
        ["export", "--format", "markdown"],
        ["export", "--format", "json"],
        ["export", "--format", "bibtex"],
        ["export", "--format", "ris"],
        ["export", "--format", "csv"],
    ],
    ids=" ".join,
)
def test_the_cli_never_prints_an_escape_sequence(
    hand_edited: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 0 and "Clean" in out
    assert not _RAW.search(out + err), repr(out)


def test_json_output_still_holds_the_text_exactly(
    hand_edited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "export", "--format", "json")
    assert json.loads(out)["papers"][0]["title"] == "Clean" + HOSTILE  # lossless, escaped


def test_the_detail_pane_shows_no_escape_sequence(hand_edited: Path) -> None:
    with Library.open(hand_edited, writable=False) as library:
        paper = library.get(1)
    assert _RAW.search(paper.title)  # the library does hold them
    shown = "".join(text.plain for text in describe(paper))
    assert "Clean" in shown and not _RAW.search(shown)
