"""Feeds in config.toml: read and checked, and `readq feeds add/remove` editing the
file while keeping the rest as written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from readq.config import load_settings
from readq.errors import ReadqError
from readq.feeds import ARXIV_API, Feed, read_feeds, with_feed_added, with_feed_removed

from ..conftest import run

WRITTEN = """\
theme = "nord"

[keymap]
toggle_read = "x"

# arXiv lists
[[feeds]]
name = "a"
url = "https://a.example/rss"
tags = ["x"]

[[feeds]]
name = "b"  # second
arxiv_query = "abs:mamba"
max_results = 200
api = "http://127.0.0.1:8000/api/query"

# views
[views]
z = "is:unread"
"""


def test_feeds_are_read_with_their_defaults() -> None:
    problems: list[str] = []
    a, b = read_feeds(tomllib.loads(WRITTEN)["feeds"], problems)
    assert problems == []
    assert a == Feed("a", url="https://a.example/rss", tags=("x",))
    assert (b.arxiv_query, b.max_results, b.api) == (
        "abs:mamba",
        200,
        "http://127.0.0.1:8000/api/query",
    )
    assert a.api == ARXIV_API and b.source == "arXiv API: abs:mamba"


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ({"url": "https://x.example/"}, "needs a name"),
        ({"name": "x"}, "needs either a url or an arxiv_query"),
        ({"name": "x", "url": "https://x/", "arxiv_query": "q"}, "either a url or"),
        ({"name": "x", "url": "file:///etc/passwd"}, "http or https"),
        ({"name": "x", "arxiv_query": "q", "max_results": 0}, "max_results"),
        ({"name": "x", "url": "https://x/", "tags": "ssm"}, "tags must be a list"),
        ({"name": "x", "url": "https://x/", "colour": 1}, "not a feed's key"),
    ],
)
def test_a_bad_feed_is_left_out_with_a_line(entry: dict[str, object], said: str) -> None:
    problems: list[str] = []
    assert read_feeds([entry, {"name": "ok", "url": "https://ok.example/"}], problems) == (
        Feed("ok", url="https://ok.example/"),
    )
    (problem,) = problems
    assert said in problem and problem.endswith("left out")


def test_two_feeds_of_one_name() -> None:
    problems: list[str] = []
    feeds = read_feeds([{"name": "a", "url": "https://a/"}] * 2, problems)
    assert len(feeds) == 1 and "a second feed" in problems[0]


def test_removing_keeps_the_rest_as_written() -> None:
    edited = with_feed_removed(WRITTEN, "b")
    assert "abs:mamba" not in edited
    assert edited.replace("\n", "") == WRITTEN.replace(
        '[[feeds]]\nname = "b"  # second\narxiv_query = "abs:mamba"\nmax_results = 200\n'
        'api = "http://127.0.0.1:8000/api/query"\n\n',
        "",
    ).replace("\n", "")
    assert "# views" in edited and 'toggle_read = "x"' in edited
    with pytest.raises(ReadqError, match="no feed called 'c'"):
        with_feed_removed(WRITTEN, "c")


def test_adding_appends_a_table_that_reads_back() -> None:
    edited = with_feed_added(WRITTEN, Feed("c", arxiv_query='cat:"cs.LG"'))
    assert edited.startswith(WRITTEN)
    assert [f["name"] for f in tomllib.loads(edited)["feeds"]] == ["a", "b", "c"]
    assert tomllib.loads(edited)["feeds"][2]["arxiv_query"] == 'cat:"cs.LG"'
    with pytest.raises(ReadqError, match="already"):
        with_feed_added(WRITTEN, Feed("a", url="https://a/"))


def test_the_feeds_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config" / "readq" / "config.toml"
    code, out, _ = run(capsys, "feeds")
    assert code == 0 and "no feeds" in out
    assert run(capsys, "feeds", "add", "cs.LG", "https://rss.arxiv.org/rss/cs.LG")[0] == 0
    assert run(capsys, "feeds", "add", "mamba", "--arxiv-query", "abs:mamba")[0] == 0
    code, out, _ = run(capsys, "feeds")
    assert out.splitlines() == [
        "cs.LG: 0 unread · never fetched · https://rss.arxiv.org/rss/cs.LG",
        "mamba: 0 unread · never fetched · arXiv API: abs:mamba",
    ]
    for args in (["mamba", "--arxiv-query", "x"], ["bad", "ftp://x"], ["both"]):
        before = config.read_bytes()
        code, _, err = run(capsys, "feeds", "add", *args)
        assert code == 2 and err.count("\n") == 1 and config.read_bytes() == before
    assert run(capsys, "feeds", "remove", "cs.LG")[0] == 0
    assert [f.name for f in load_settings(config)[0].feeds] == ["mamba"]
    code, _, err = run(capsys, "feeds", "remove", "cs.LG")
    assert code == 2 and "no feed called" in err


def test_feeds_add_writes_every_option_it_is_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config" / "readq" / "config.toml"
    args = ["--arxiv-query", "abs:mamba", "--max-results", "250", "--api", "http://127.0.0.1:9/q"]
    assert run(capsys, "feeds", "add", "mamba", *args, "--tag", "ssm", "--tag", "to read")[0] == 0
    (feed,) = load_settings(config)[0].feeds
    assert (feed.max_results, feed.api, feed.tags) == (
        250,
        "http://127.0.0.1:9/q",
        ("ssm", "to read"),
    )
    before = config.read_bytes()
    code, _, err = run(capsys, "feeds", "add", "x", "https://a.example/", "--max-results", "5")
    assert code == 2 and "go with --arxiv-query" in err and config.read_bytes() == before
    code, _, err = run(capsys, "feeds", "add", "y", "--arxiv-query", "a", "--max-results", "0")
    assert code == 2 and "max_results must be" in err and config.read_bytes() == before


def test_a_feed_name_or_tag_with_control_characters_is_left_out() -> None:
    problems: list[str] = []
    feeds = read_feeds(
        [
            {"name": "bad\x1b[2J", "url": "https://a.example/"},
            {"name": "ok", "url": "https://a.example/", "tags": ["t\x07"]},
        ],
        problems,
    )
    assert feeds == () and len(problems) == 2
