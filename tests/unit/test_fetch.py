"""`readq fetch` against a loopback server: papers land once, a 304 changes
nothing, failures are one line each, arXiv is paged and paced, retries wait."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from readq import feedstate, fetching
from readq import library as library_module
from readq.feeds import Feed
from readq.importers import sources
from readq.model import ParsedPaper, Status

from ..conftest import DATA, run
from ..feedserver import FeedServer, api_entries, rss_feed, rss_items

FEED_ETAG = '"cs-lg-1"'


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feeds:
        feeds.page("/rss/cs.LG", rss_feed(rss_items(5, replaced=1)), etag=FEED_ETAG)
        feeds.page("/rss/cs.CL", rss_feed(rss_items(3, first=4, category="cs.CL")))
        feeds.arxiv_api("/api/query", api_entries(250, first=100))
        yield feeds


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits (arXiv's pace, retries) are recorded, not slept."""
    waits: list[float] = []
    monkeypatch.setattr(fetching, "pause", lambda seconds, _cancel: waits.append(seconds))
    monkeypatch.setattr(fetching, "ARXIV_GAP_SECONDS", 0.0)
    return waits


def _config(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "config" / "readq"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")


def _feeds(tmp_path: Path, server: FeedServer, *extra: str) -> None:
    _config(
        tmp_path,
        f'[[feeds]]\nname = "cs.LG"\nurl = "{server.url}/rss/cs.LG"\ntags = ["daily"]\n'
        f'[[feeds]]\nname = "cs.CL"\nurl = "{server.url}/rss/cs.CL"\n' + "".join(extra),
    )


def _papers(capsys: pytest.CaptureFixture[str], *search: str) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "list", "--json", *(("--search", search[0]) if search else ()))
    assert code == 0
    papers: list[dict[str, object]] = json.loads(out)
    return papers


def test_fetch_adds_the_papers_once_and_a_304_changes_nothing(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str], library_file: Path
) -> None:
    _feeds(tmp_path, server)
    code, out, err = run(capsys, "fetch")
    assert (code, err) == (0, "")
    # cs.CL repeats papers 4 and 5 of cs.LG: one paper each, seen in both feeds.
    assert out.splitlines() == [
        "cs.LG: 5 new, 0 updated, 0 replaced",
        "cs.CL: 1 new, 0 updated, 0 replaced",  # 4 and 5 counted as new for cs.LG
    ]
    papers = _papers(capsys)
    assert len(papers) == 6
    both = [p for p in papers if p["feeds"] == ["cs.LG", "cs.CL"]]
    assert len(both) == 2 and all(p["arrived_from"] == "cs.LG" for p in both)
    assert all("daily" in p["tags"] for p in papers if "cs.LG" in p["feeds"])  # type: ignore[operator]
    assert [p["tags"] for p in papers if p["feeds"] == ["cs.CL"]] == [[]]
    papers_before = _papers(capsys)

    code, out, _ = run(capsys, "fetch")
    assert code == 0
    assert out.splitlines() == [
        "cs.LG: not changed since the last fetch",  # its ETag matched
        "cs.CL: 0 new, 0 updated, 0 replaced",  # no validators: downloaded, nothing new
    ]
    assert server.hits("/rss/cs.LG")[-1].headers["if-none-match"] == FEED_ETAG
    assert _papers(capsys) == papers_before


def test_when_every_feed_answers_304_the_library_is_not_opened(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str], library_file: Path
) -> None:
    _feeds(tmp_path, server)
    assert run(capsys, "fetch", "cs.LG")[0] == 0
    before = sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.rglob("library.json*"))
    code, out, _ = run(capsys, "fetch", "cs.LG")
    assert (code, out) == (0, "cs.LG: not changed since the last fetch\n")
    after = sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.rglob("library.json*"))
    state = feedstate.path_for(library_file).name
    assert [e for e in after if e[0] != state] == [e for e in before if e[0] != state]


def test_every_request_names_readq(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _feeds(tmp_path, server)
    run(capsys, "fetch", "cs.CL")
    (seen,) = server.requests
    assert seen.path == "/rss/cs.CL" and seen.headers["user-agent"].startswith("readq/")


def test_a_dead_server_is_one_line_per_feed_and_the_library_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], library_file: Path
) -> None:
    with FeedServer() as dead:
        url = dead.url  # nothing listens here once it is closed
    _config(
        tmp_path,
        f'[[feeds]]\nname = "a"\nurl = "{url}/a"\n[[feeds]]\nname = "b"\nurl = "{url}/b"\n',
    )
    code, out, _ = run(capsys, "fetch")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2 and all("failed: cannot reach 127.0.0.1" in line for line in lines)
    assert lines[0].startswith("a: ") and lines[1].startswith("b: ")
    assert not library_file.exists()
    code, out, _ = run(capsys, "feeds")
    assert "a: 0 unread · fetched " in out and "failed: cannot reach" in out


def test_one_failing_feed_does_not_stop_the_others(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail("/rss/cs.CL", 404)
    _feeds(tmp_path, server)
    code, out, _ = run(capsys, "fetch")
    assert code == 1
    assert out.splitlines() == [
        "cs.LG: 5 new, 0 updated, 0 replaced",
        f"cs.CL: failed: 127.0.0.1 answered 404 Not Found for {server.url}/rss/cs.CL",
    ]
    assert len(_papers(capsys)) == 5


def test_429_and_503_are_retried_after_the_wait_asked(
    tmp_path: Path,
    server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    no_waiting: list[float],
) -> None:
    server.fail("/rss/cs.LG", 429, times=1, retry_after="7")
    server.fail("/rss/cs.CL", 503, times=2)
    _feeds(tmp_path, server)
    code, out, _ = run(capsys, "fetch")
    assert code == 0, out
    assert len(server.hits("/rss/cs.LG")) == 2 and len(server.hits("/rss/cs.CL")) == 3
    assert sorted(no_waiting) == sorted([7.0, *fetching.BACKOFF_SECONDS[:2]])


def test_a_server_that_asks_for_too_long_a_wait_fails_the_feed(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.fail("/rss/cs.CL", 429, retry_after="3600")
    _feeds(tmp_path, server)
    code, out, _ = run(capsys, "fetch", "cs.CL")
    assert code == 1
    assert "answered 429" in out and "wait 3600 s: try again later" in out


def test_a_stalled_feed_meets_the_deadline(
    tmp_path: Path,
    server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sources, "URL_TIMEOUT_SECONDS", 0.3)
    server.stall("/rss/cs.CL")
    _feeds(tmp_path, server)
    code, out, _ = run(capsys, "fetch")
    assert code == 1
    assert out.splitlines()[1] == "cs.CL: failed: 127.0.0.1 did not answer within 0.3 s"
    assert len(_papers(capsys)) == 5


def test_an_arxiv_query_is_paged_newest_first(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _config(
        tmp_path,
        f'[[feeds]]\nname = "mamba"\narxiv_query = "abs:mamba AND cat:cs.LG"\n'
        f'max_results = 230\napi = "{server.url}/api/query"\n',
    )
    code, out, _ = run(capsys, "fetch")
    assert (code, out) == (0, "mamba: 230 new, 0 updated, 0 replaced\n")
    pages = server.hits("/api/query")
    assert [(p.query["start"], p.query["max_results"]) for p in pages] == [
        ("0", "100"),
        ("100", "100"),
        ("200", "30"),
    ]
    assert {p.query["search_query"] for p in pages} == {"abs:mamba AND cat:cs.LG"}
    assert pages[0].query["sortBy"] == "submittedDate"
    assert len(_papers(capsys, "feed:mamba")) == 230


def test_the_last_page_is_the_one_that_is_short(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.arxiv_api("/api/few", api_entries(42))
    _config(
        tmp_path,
        f'[[feeds]]\nname = "few"\narxiv_query = "cat:cs.LG"\nmax_results = 500\n'
        f'api = "{server.url}/api/few"\n',
    )
    assert run(capsys, "fetch")[1] == "few: 42 new, 0 updated, 0 replaced\n"
    assert len(server.hits("/api/few")) == 1


def test_arxiv_calls_are_three_seconds_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "ARXIV_GAP_SECONDS", 3.0)
    clock = [100.0]
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    pacer = fetching.Pacer(clock=lambda: clock[0])
    pacer.wait_turn("export.arxiv.org", wait)
    clock[0] += 1.0
    pacer.wait_turn("export.arxiv.org", wait)
    pacer.wait_turn("other.example", wait)  # another host does not wait
    clock[0] += 5.0
    pacer.wait_turn("export.arxiv.org", wait)
    assert waits == [2.0]


def test_retries_of_an_api_call_wait_their_turn_too(
    tmp_path: Path,
    server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    turns: list[str] = []
    monkeypatch.setattr(fetching.PACER, "wait_turn", lambda host, _wait: turns.append(host))
    server.fail("/api/query", 503, times=1, retry_after="0")
    _config(
        tmp_path,
        f'[[feeds]]\nname = "q"\narxiv_query = "cat:cs.LG"\nmax_results = 150\n'
        f'api = "{server.url}/api/query"\n',
    )
    assert run(capsys, "fetch")[1] == "q: 150 new, 0 updated, 0 replaced\n"
    assert len(server.hits("/api/query")) == 3 and len(turns) == 3  # the retry waited its turn


def test_unknown_feed_names_and_no_feeds_are_mistakes(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "fetch")
    assert code == 2 and "no feeds to fetch" in err
    _feeds(tmp_path, server)
    code, _, err = run(capsys, "fetch", "cs.XX")
    assert code == 2 and "no feed called 'cs.XX' (the feeds: cs.LG, cs.CL)" in err
    assert server.requests == []


def test_feeds_lists_last_fetch_result_and_unread_counts(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str], library_file: Path
) -> None:
    _feeds(tmp_path, server)
    assert "never fetched" in run(capsys, "feeds")[1]
    run(capsys, "fetch")
    run(capsys, "mark", "1", "read")
    out = run(capsys, "feeds")[1]
    lines = out.splitlines()
    assert lines[0].startswith("cs.LG: 4 unread · fetched ")
    assert lines[0].endswith(f": 5 new, 0 updated, 0 replaced · {server.url}/rss/cs.LG")
    assert lines[1].startswith("cs.CL: 3 unread · fetched ")
    assert feedstate.load(library_file)["cs.LG"].etag == FEED_ETAG


def test_fetched_papers_are_new_and_in_the_inbox(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _feeds(tmp_path, server)
    run(capsys, "fetch")
    assert len(_papers(capsys, "is:new feed:cs.CL")) == 3
    code, out, _ = run(capsys, "list", "--view", "inbox", "--json")
    assert code == 0 and len(json.loads(out)) == 6


def test_a_replaced_version_is_counted(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.page("/rss/v1", rss_feed(rss_items(2)))
    server.page("/rss/v2", rss_feed(rss_items(2, replaced=1)))
    _config(
        tmp_path,
        f'[[feeds]]\nname = "v1"\nurl = "{server.url}/rss/v1"\n'
        f'[[feeds]]\nname = "v2"\nurl = "{server.url}/rss/v2"\n',
    )
    assert run(capsys, "fetch", "v1")[0] == 0
    code, out, _ = run(capsys, "fetch", "v2")
    assert (code, out) == (0, "v2: 0 new, 0 updated, 1 replaced\n")


def test_digest_lists_what_arrived_by_feed(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _feeds(tmp_path, server)
    run(capsys, "fetch")
    code, out, _ = run(capsys, "digest", "--since", "1d")
    assert code == 0
    assert out.startswith("# readq digest: what arrived in the last 1d\n\n6 papers in 2 groups.\n")
    assert out.index("## cs.LG (5)") < out.index("## cs.CL (1)")  # config.toml's order
    assert "## cs.LG (5)" in out and "## cs.CL (1)" in out
    assert out.count("\n- [**") == 6 and "(<https://arxiv.org/abs/2612.00001" in out
    target = tmp_path / "digest.md"
    assert run(capsys, "digest", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == out
    assert run(capsys, "digest", "-o", str(target))[0] == 2  # exists: --force to overwrite
    code, out, _ = run(capsys, "digest", "--since", "2999-01-01")
    assert code == 0 and "Nothing arrived." in out


def test_fetch_all_keeps_the_feeds_order(server: FeedServer) -> None:
    feeds = [Feed(name, url=f"{server.url}/rss/{name}") for name in ("cs.CL", "cs.LG", "none")]
    downloads = fetching.fetch_all(feeds, {}, as_of=fetching.date(2026, 12, 2))
    assert [d.feed.name for d in downloads] == ["cs.CL", "cs.LG", "none"]
    assert [len(d.papers) for d in downloads] == [3, 5, 0]
    assert downloads[2].error is not None and "404" in downloads[2].error


def test_a_feed_cut_short_fails_and_keeps_no_etag(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str], library_file: Path
) -> None:
    whole = rss_feed(rss_items(5))
    server.page("/rss/cs.LG", whole[: len(whole) // 2], etag='"day-29"')
    _feeds(tmp_path, server)
    code, out, _ = run(capsys, "fetch", "cs.LG")
    assert code == 1 and out.startswith("cs.LG: failed: ") and "cannot be read" in out
    assert feedstate.load(library_file)["cs.LG"].etag is None
    server.page("/rss/cs.LG", whole, etag='"day-29"')  # mended: downloaded again in full
    assert run(capsys, "fetch", "cs.LG")[1] == "cs.LG: 5 new, 0 updated, 0 replaced\n"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"readq": 1, "papers": [{"title": "x", "status": "read", "priority": 3}]}', "json"),
        (b"@article{a, title={T}}\n", "x-bibtex"),
        (b"<html><body>Sign in to the captive portal</body></html>", "html"),
    ],
)
def test_only_rss_and_atom_are_feeds(
    tmp_path: Path,
    server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    body: bytes,
    content_type: str,
) -> None:
    server.page("/rss/cs.LG", body, content_type=f"application/{content_type}")
    _feeds(tmp_path, server)
    code, out, _ = run(capsys, "fetch", "cs.LG")
    assert (code, out) == (1, f"cs.LG: failed: {server.url}/rss/cs.LG is not an RSS or Atom feed\n")


def test_a_feed_gives_no_user_state() -> None:
    paper = fetching._arrived(
        ParsedPaper(title="T", status=Status.READ, priority=3, notes="n"),
        Feed("f", url="https://a.example/", tags=("x",)),
    )
    assert (paper.status, paper.priority, paper.notes, paper.tags) == (None, None, None, ["x"])
    assert (paper.feeds, paper.arrived_from) == (["f"], "f")


def test_a_body_over_the_cap_is_one_line(
    tmp_path: Path,
    server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sources, "MAX_DOWNLOAD_BYTES", 2 * 2**20)
    server.page("/rss/cs.LG", b"<rss>" + b" " * (3 * 2**20))
    _feeds(tmp_path, server)
    code, out, err = run(capsys, "fetch")
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == f"cs.LG: failed: {server.url}/rss/cs.LG is larger than 2 MiB"
    assert out.splitlines()[1] == "cs.CL: 3 new, 0 updated, 0 replaced"


def test_retry_after_is_seconds_or_a_date() -> None:
    assert fetching._retry_after("120") == 120.0
    assert fetching._retry_after("²") is None  # a digit to str.isdigit, not to float
    assert fetching._retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # past: at once
    assert fetching._retry_after("soon") is None


def test_a_cancel_ends_a_retry_wait_at_once(server: FeedServer) -> None:
    server.fail("/rss/slow", 429, retry_after="100")
    cancel = fetching.threading.Event()
    feeds = [Feed("slow", url=f"{server.url}/rss/slow")]
    result: list[fetching.Download] = []
    worker = fetching.threading.Thread(
        target=lambda: result.extend(
            fetching.fetch_all(feeds, {}, as_of=fetching.date(2026, 12, 2), cancel=cancel)
        )
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fetching, "pause", lambda seconds, event: event.wait(seconds))
        worker.start()
        server.wait_for_hits("/rss/slow", 1)
        cancel.set()
        worker.join(timeout=10)
    assert not worker.is_alive() and result[0].error == "cancelled"


def test_a_changed_url_drops_the_old_validators(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    stamp = "Wed, 02 Dec 2026 06:00:00 GMT"
    server.page("/a", rss_feed(rss_items(2)), last_modified=stamp)
    server.page("/b", rss_feed(rss_items(2, first=3)), last_modified=stamp)
    _config(tmp_path, f'[[feeds]]\nname = "daily"\nurl = "{server.url}/a"\n')
    assert run(capsys, "fetch")[1] == "daily: 2 new, 0 updated, 0 replaced\n"
    _config(tmp_path, f'[[feeds]]\nname = "daily"\nurl = "{server.url}/b"\n')
    assert run(capsys, "fetch")[1] == "daily: 2 new, 0 updated, 0 replaced\n"
    assert "if-modified-since" not in server.hits("/b")[0].headers


def test_a_feed_that_only_sees_known_papers_counts_nothing(
    tmp_path: Path, server: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.page("/a", rss_feed(rss_items(2)))
    server.page("/b", rss_feed(rss_items(2)))
    _config(tmp_path, f'[[feeds]]\nname = "A"\nurl = "{server.url}/a"\n')
    run(capsys, "fetch")
    _config(
        tmp_path,
        f'[[feeds]]\nname = "A"\nurl = "{server.url}/a"\n'
        f'[[feeds]]\nname = "B"\nurl = "{server.url}/b"\n',
    )
    assert run(capsys, "fetch")[1].splitlines() == [
        "A: 0 new, 0 updated, 0 replaced",
        "B: 0 new, 0 updated, 0 replaced",  # seen in B too: remembered, not news
    ]
    assert {tuple(p["feeds"]) for p in _papers(capsys)} == {("A", "B")}  # type: ignore[arg-type]


def test_a_first_fetch_makes_only_its_papers_new(
    tmp_path: Path,
    server: FeedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listing = str(DATA / "listing-sample.txt")
    with monkeypatch.context() as earlier:  # imported yesterday (times count seconds)
        earlier.setattr(library_module, "now_iso", lambda: "2026-12-01T09:00:00Z")
        assert run(capsys, "import", listing)[0] == 0
    _feeds(tmp_path, server)
    run(capsys, "fetch", "cs.CL")
    assert len(_papers(capsys, "is:new")) == 3  # not the listing's, imported before


def test_digest_since_must_be_an_age_or_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    for since in ("foo", "1x", ""):
        code, _, err = run(capsys, "digest", "--since", since)
        assert code == 2 and err.startswith("readq: --since takes an age (12h, 1d, 2w)")
