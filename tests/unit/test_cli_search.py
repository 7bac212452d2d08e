"""The query language and saved views from the command line: answers, exit codes,
and the field index's shortcut agreeing with a whole read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readq.library import Library
from readq.query import View, select

from ..conftest import run

DATA = Path(__file__).parent.parent / "data"
SAMPLE = str(DATA / "listing-sample.txt")


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], library_file: Path) -> Path:
    code, _, _ = run(capsys, "import", SAMPLE, "--as-of", "2026-11-29")
    assert code == 0
    assert run(capsys, "mark", "4", "read")[0] == 0
    assert run(capsys, "priority", "2", "5", "3")[0] == 0
    assert run(capsys, "note", "5", "--append", "revisit the typing rules")[0] == 0
    assert run(capsys, "tag", "9", "+retrieval")[0] == 0
    return library_file


def listed(capsys: pytest.CaptureFixture[str], *args: str) -> list[int]:
    code, out, err = run(capsys, "list", "--json", *args)
    assert code == 0, err
    return sorted(paper["id"] for paper in json.loads(out))


def test_fielded_queries_from_the_cli(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert listed(capsys, "--search", "author:durand") == [4]
    assert listed(capsys, "--search", "author:durand is:unread") == []
    assert listed(capsys, "--query", "prio:>=2 has:note") == [5]
    assert listed(capsys, "--search", "tag:retrieval OR author:weiss") == [4, 9]
    assert listed(capsys, "--search", "cat:cs.CV") == [4]
    assert listed(capsys, "--search", "-cat:LG is:unread prio:0 year:2026") == [6]


def test_the_shorthands_are_anded_with_the_query(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert listed(capsys, "--status", "read", "--search", "cat:CV OR cat:LG") == [4]
    assert listed(capsys, "--min-priority", "2", "--search", "lambda") == [5]


def test_a_bad_query_is_one_line_and_exit_2(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in imported.parent.iterdir())
    for query in ("prio:>=x", "author:", '"open', "a OR", "(a", "bogus:x"):
        code, out, err = run(capsys, "list", "--search", query)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("readq: "), err
    code, _, err = run(capsys, "list", "--search", "prio:>=x")
    assert "prio needs a number: prio:>=x" in err
    code, _, err = run(capsys, "export", "--search", "year:20x")
    assert code == 2 and "year needs" in err
    assert sorted(p.name for p in imported.parent.iterdir()) == before


def test_relative_dates_count_from_as_of(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(imported, writable=False) as library:
        added = {paper.added_at[:10] for paper in library}
    (day,) = added  # one import: every paper arrived the same day
    assert len(listed(capsys, "--search", "added:today", "--as-of", day)) == 12
    assert listed(capsys, "--search", "added:yesterday", "--as-of", day) == []
    assert listed(capsys, "--search", "added:>7d", "--as-of", day) == []
    later = f"{int(day[:4]) + 1}{day[4:]}"
    assert len(listed(capsys, "--search", "added:>7d", "--as-of", later)) == 12
    assert listed(capsys, "--search", "read:<1d", "--as-of", day) == [4]


def test_saved_views(imported: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config" / "readq" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        '[views]\ncv = "cat:CV"\nnewest = { query = "is:unread", sort = "published" }\n'
        'inbox = ""\nbroken = "prio:>=x"\n',
        encoding="utf-8",
    )
    assert listed(capsys, "--view", "cv") == [4]
    assert listed(capsys, "--view", "to-read") == [2, 5]  # readq's own, kept
    code, out, _ = run(capsys, "list", "--view", "newest")
    assert code == 0 and out.splitlines()[0].split()[0] == "2"  # 2026-10-02, the newest unread
    assert listed(capsys, "--view", "cv", "--search", "is:unread") == []
    code, _, err = run(capsys, "list", "--view", "inbox")  # removed by inbox = ""
    assert code == 2 and "no view called 'inbox'" in err
    code, out, err = run(capsys, "config", "check")
    assert code == 2 and 'view "broken": prio needs a number' in out + err


def test_the_index_answers_as_a_whole_read_would(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = [
        "author:weiss", "author:durand is:read", "org:stanford", "has:note", "has:tags",
        "read:today", "cat:cs.LG", "arxiv:2611", "-has:code prio:<1", "fog OR author:park",
    ]  # fmt: skip
    with Library.open(imported, writable=False) as library:
        for query in queries:
            expected = sorted(p.id for p in select(library, View(search=query)))
            # --search=Q: a query that starts with - is not an option
            assert listed(capsys, f"--search={query}") == expected, query


def test_what_a_new_user_tried(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    everything = listed(capsys)
    # Listings name cs classes without their archive: cat:cs is every one of them.
    assert listed(capsys, "--search", "cat:cs") == everything
    assert run(capsys, "tag", "4", "+Mixture of Experts")[0] == 0  # stored mixture-of-experts
    assert listed(capsys, "--search", 'tag:"Mixture of Experts"') == [4]
    # Hyphens are spaces: paper 1's abstract says mixture-of-experts, 4 has the tag.
    assert listed(capsys, "--search", '"mixture of experts"') == [1, 4]
    assert listed(capsys, "--search", "oneill") == [7]  # Marcus O'Neill
    # "Less than 7 days ago" ends today: nothing after --as-of's day.
    assert listed(capsys, "--search", "published:<7d", "--as-of", "2020-01-01") == []
    code, _, err = run(capsys, "list", "--search", "mamba -")
    assert code == 2 and "- needs a term" in err


def test_a_view_without_a_query_and_a_view_without_a_name(
    imported: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config" / "readq" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[views]\nby-title = { sort = "title" }\n"" = "cat:CV"\n', encoding="utf-8")
    code, out, _ = run(capsys, "list", "--view", "by-title")
    assert code == 0 and len(out.splitlines()) == 12
    assert out == run(capsys, "list", "--sort", "title")[1]
    code, out, err = run(capsys, "config", "check")
    assert code == 2 and "a view needs a name" in out + err
