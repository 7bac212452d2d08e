"""The pasted-listing parser against the shared sample, a hard corpus and broken input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from readq.importers.listing import parse, split_title_line
from readq.importers.names import is_person_name

DATA = Path(__file__).parent.parent / "data"
AS_OF = date(2026, 11, 29)


def _expected(name: str) -> list[dict[str, object]]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _parsed(name: str) -> list[dict[str, object]]:
    result = parse((DATA / name).read_text(encoding="utf-8"), as_of=AS_OF)
    return [{key: getattr(paper, key) for key in _expected_keys()} for paper in result.papers]


def _expected_keys() -> list[str]:
    return list(_expected("listing-sample.expected.json")[0])


@pytest.mark.parametrize("corpus", ["listing-sample", "listing-hard"])
def test_corpus_parses_to_expected_fields(corpus: str) -> None:
    expected = _expected(f"{corpus}.expected.json")
    parsed = _parsed(f"{corpus}.txt")
    assert len(parsed) == len(expected)
    for got, want in zip(parsed, expected, strict=True):
        for key, value in want.items():
            assert got[key] == value, f"{want['title']!r}: {key}"


def test_sample_has_no_problems() -> None:
    result = parse((DATA / "listing-sample.txt").read_text(encoding="utf-8"), as_of=AS_OF)
    assert result.problems == []


def test_malformed_entries_are_reported_and_the_rest_imported() -> None:
    expected = json.loads((DATA / "listing-malformed.expected.json").read_text(encoding="utf-8"))
    result = parse((DATA / "listing-malformed.txt").read_text(encoding="utf-8"), as_of=AS_OF)
    assert [p.title for p in result.papers] == expected["papers"]
    assert [(p.line, p.severity) for p in result.problems] == [
        (p["line"], p["kind"]) for p in expected["problems"]
    ]


def test_unsplittable_line_keeps_whole_title_and_warns() -> None:
    text = "CLMar 3, 2025\nA Title With No Authorsjohn smith\nAbstract.\n"
    result = parse(text, as_of=AS_OF)
    (paper,) = result.papers
    assert paper.title == "A Title With No Authorsjohn smith"
    assert paper.authors == []
    assert [(p.line, p.severity) for p in result.problems] == [(2, "warning")]


def test_bom_crlf_blank_lines_and_trailing_spaces_are_tolerated(sample_text: str) -> None:
    messy = "\ufeff" + "\r\n\r\n".join(line + "   " for line in sample_text.splitlines())
    assert _fields(parse(messy, as_of=AS_OF)) == _fields(parse(sample_text, as_of=AS_OF))


def _fields(result: object) -> list[tuple[object, ...]]:
    return [
        (p.title, p.authors, p.published, p.abstract, p.orgs)
        for p in result.papers  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(
    ("header", "published"),
    [
        ("Nov 29", "2026-11-29"),  # the capture day itself is this year
        ("Nov 30", "2025-11-30"),  # after the capture day: last year
        ("Jan 1", "2026-01-01"),
        ("Dec 31", "2025-12-31"),
        ("Feb 29, 2024", "2024-02-29"),
    ],
)
def test_dates_without_year_are_before_the_capture_day(header: str, published: str) -> None:
    result = parse(f"CL{header}\nSome TitleAda Lovelace\nAbstract.\n", as_of=AS_OF)
    assert result.papers[0].published == published


def test_invalid_dates_and_missing_abstract_are_errors() -> None:
    text = "CLFeb 30, 2025\nSome TitleAda Lovelace\nAbstract.\nLGMay 1\nA TitleAda Lovelace\n"
    result = parse(text, as_of=AS_OF)
    assert result.papers == []
    assert [(p.line, p.severity) for p in result.errors] == [(1, "error"), (4, "error")]


def test_unknown_flags_are_kept_and_code_detected() -> None:
    result = parse("12.5ROMay 5CodeVideo\nWalking RobotsAda Lovelace\nAbs.\n", as_of=AS_OF)
    (paper,) = result.papers
    assert (paper.flags, paper.has_code, paper.score) == (["Code", "Video"], True, 12.5)


@pytest.mark.parametrize(
    "name",
    [
        "Luisa M Zintgraf",
        "J. R. Hartley",
        "Hugo van der Berg",
        "Daniel McAllister",
        "Anne LeBlanc",
        "Marcus O'Neill",
        "Ahmed Al-Sayed",
        "Li Na",
        "Jörg Weiß",
        "Martin Luther King Jr.",
    ],
)
def test_person_names(name: str) -> None:
    assert is_person_name(name)


@pytest.mark.parametrize(
    "text", ["LLM Agents", "AgentsIngrid Solberg", "Resource MTAnne LeBlanc", "Xi", "john smith"]
)
def test_not_person_names(text: str) -> None:
    assert not is_person_name(text)


def test_split_with_orgs_and_et_al() -> None:
    title, authors, truncated, orgs = split_title_line(
        "Hybrid Mamba-Transformer ModelsAaron Blakeman, Aarti Basant et al. · nvidia, aws"
    )
    assert title == "Hybrid Mamba-Transformer Models"
    assert authors == ["Aaron Blakeman", "Aarti Basant"]
    assert truncated is True
    assert orgs == ["nvidia", "aws"]


def test_pathological_line_is_bounded() -> None:
    line = "Ab" * 200_000
    result = parse(f"CLMar 3, 2025\n{line}\nAbstract.\n", as_of=AS_OF)
    assert len(result.papers) == 1
    assert result.problems[0].severity == "warning"
