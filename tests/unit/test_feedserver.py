"""tests/feedserver.py: the documents it writes parse as arXiv's, and it serves them as
arXiv's servers do (validators, failures, stalls, API paging)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.client import RemoteDisconnected
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import OpenerDirector, ProxyHandler, Request, build_opener
from xml.etree import ElementTree

import pytest

from readq.importers import ParseResult, detect, parse
from tests.feedserver import (
    FeedServer,
    api_entries,
    api_feed,
    rss_feed,
    rss_items,
)

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
AS_OF = date(2026, 12, 30)
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
# No proxy: an http_proxy in the environment must not route 127.0.0.1 elsewhere.
OPENER: OpenerDirector = build_opener(ProxyHandler({}))


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def get(
    url: str, headers: dict[str, str] | None = None, *, timeout: float = 5.0
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (names lower-cased) and body; an HTTP error status is an answer too."""
    try:
        with OPENER.open(Request(url, headers=headers or {}), timeout=timeout) as response:
            return response.status, _lower(response.headers.items()), response.read()
    except HTTPError as error:
        with error:
            return error.code, _lower(error.headers.items()), error.read()


def _lower(items: list[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def _read(document: bytes, name: str, expected_format: str) -> ParseResult:
    text = document.decode("utf-8")
    assert detect(text, name) == expected_format
    return parse(text, expected_format, as_of=AS_OF)


def _ids(result: ParseResult) -> list[str | None]:
    return [paper.arxiv_id for paper in result.papers]


# --- the documents ------------------------------------------------------------------------


def test_rss_feed_parses_as_arxiv_rss() -> None:
    result = _read(rss_feed(rss_items(6, replaced=2)), "cs.LG.xml", "arxiv-rss")
    assert result.problems == []
    assert _ids(result) == [f"2612.{n:05d}" for n in range(1, 7)]
    assert [p.announce_type for p in result.papers] == ["new"] * 4 + ["replace"] * 2
    assert [p.arxiv_version for p in result.papers] == [1] * 4 + [2] * 2
    assert len({p.title for p in result.papers}) == 6
    assert all(2 <= len(p.authors) <= 3 for p in result.papers)
    assert all(p.category == "LG" and p.abstract.count(". ") == 1 for p in result.papers)
    # New papers carry the announcement day; replacements keep their date unset.
    assert [p.published for p in result.papers] == ["2026-12-29"] * 4 + [None] * 2


def test_rss_feed_of_another_category() -> None:
    items = rss_items(3, first=10, category="stat.ML", prefix="2611")
    result = _read(rss_feed(items, category="stat.ML"), "feed.rss", "arxiv-rss")
    assert result.problems == []
    assert _ids(result) == ["2611.00010", "2611.00011", "2611.00012"]
    assert {p.category for p in result.papers} == {"stat.ML"}


def test_rss_items_refuse_more_replacements_than_items() -> None:
    with pytest.raises(ValueError, match="replaced"):
        rss_items(2, replaced=3)


def test_api_feed_parses_as_arxiv_atom() -> None:
    result = _read(api_feed(api_entries(5)), "query.atom", "arxiv-atom")
    assert result.problems == []
    assert _ids(result) == [f"2612.{n:05d}" for n in range(1, 6)]
    assert all(p.arxiv_version == 1 for p in result.papers)
    assert len({p.title for p in result.papers}) == 5
    assert all(2 <= len(p.authors) <= 3 for p in result.papers)
    assert any(p.orgs for p in result.papers)  # some authors have an affiliation
    assert all((p.published or "").startswith("2026-12-") for p in result.papers)
    assert all(p.categories[0] == "cs.LG" and len(p.categories) == 2 for p in result.papers)


def test_one_number_is_one_paper_in_both_documents() -> None:
    rss = _read(rss_feed(rss_items(3)), "f.xml", "arxiv-rss").papers
    api = _read(api_feed(api_entries(3)), "f.xml", "arxiv-atom").papers
    assert [(p.arxiv_id, p.title, p.authors, p.abstract) for p in rss] == [
        (p.arxiv_id, p.title, p.authors, p.abstract) for p in api
    ]


def test_many_entries_keep_distinct_ids_and_titles() -> None:
    result = _read(api_feed(api_entries(1200)), "big.atom", "arxiv-atom")
    assert result.problems == []
    assert len(set(_ids(result))) == len({p.title for p in result.papers}) == 1200


def test_recorded_pages_parse() -> None:
    rss_file, api_file = FEEDS / "cs.LG.rss.xml", FEEDS / "api-page.atom.xml"
    assert rss_file.stat().st_size < 20_000 and api_file.stat().st_size < 20_000
    rss = _read(rss_file.read_bytes(), rss_file.name, "arxiv-rss")
    assert rss.problems == []
    assert len(set(_ids(rss))) == 6
    assert [p.announce_type for p in rss.papers].count("replace") == 1
    api = _read(api_file.read_bytes(), api_file.name, "arxiv-atom")
    assert api.problems == []
    assert _ids(api) == ["2612.00005", "2612.00006", "2612.00007", "2612.00008"]


# --- serving ------------------------------------------------------------------------------


def test_page_and_what_the_server_saw(server: FeedServer) -> None:
    body = rss_feed(rss_items(2))
    server.page("/rss/cs.LG", body)
    status, headers, got = get(
        server.url + "/rss/cs.LG?version=2", {"User-Agent": "readq-test", "X-Mixed-Case": "1"}
    )
    assert (status, got) == (200, body)
    assert headers["content-type"] == "application/rss+xml"
    assert headers["content-length"] == str(len(body))
    (seen,) = server.requests
    assert seen == server.hits("/rss/cs.LG")[0]
    assert (seen.path, seen.query) == ("/rss/cs.LG", {"version": "2"})
    assert seen.headers["user-agent"] == "readq-test"
    assert seen.headers["x-mixed-case"] == "1"


def test_unknown_path_is_404(server: FeedServer) -> None:
    status, _, _ = get(server.url + "/rss/nothing")
    assert status == 404
    assert len(server.hits("/rss/nothing")) == 1


def test_a_route_has_no_query_string(server: FeedServer) -> None:
    with pytest.raises(ValueError, match="query string"):
        server.page("/rss/cs.LG?x=1", b"")


def test_etag_answers_304_when_it_matches(server: FeedServer) -> None:
    server.page("/rss/cs.LG", b"<rss/>", etag='"abc"')
    status, headers, _ = get(server.url + "/rss/cs.LG")
    assert (status, headers["etag"]) == (200, '"abc"')
    status, headers, body = get(server.url + "/rss/cs.LG", {"If-None-Match": '"abc"'})
    assert (status, body, headers["etag"]) == (304, b"", '"abc"')
    status, _, body = get(server.url + "/rss/cs.LG", {"If-None-Match": '"old"'})
    assert (status, body) == (200, b"<rss/>")


def test_last_modified_answers_304_when_it_matches(server: FeedServer) -> None:
    stamp = "Tue, 29 Dec 2026 05:30:00 GMT"
    server.page("/rss/cs.LG", b"<rss/>", last_modified=stamp)
    status, headers, _ = get(server.url + "/rss/cs.LG")
    assert (status, headers["last-modified"]) == (200, stamp)
    status, _, body = get(server.url + "/rss/cs.LG", {"If-Modified-Since": stamp})
    assert (status, body) == (304, b"")
    status, _, _ = get(
        server.url + "/rss/cs.LG", {"If-Modified-Since": "Mon, 28 Dec 2026 05:30:00 GMT"}
    )
    assert status == 200


def test_fail_twice_then_the_page(server: FeedServer) -> None:
    server.page("/rss/cs.LG", b"<rss/>")
    server.fail("/rss/cs.LG", 503, times=2)
    answers = [get(server.url + "/rss/cs.LG")[::2] for _ in range(4)]
    assert answers == [(503, b""), (503, b""), (200, b"<rss/>"), (200, b"<rss/>")]
    assert len(server.hits("/rss/cs.LG")) == 4


def test_fail_always_with_retry_after_and_a_body(server: FeedServer) -> None:
    server.page("/api/query", b"<feed/>")
    server.fail("/api/query", 429, retry_after="120", body=b"slow down\n")
    for _ in range(3):
        status, headers, body = get(server.url + "/api/query")
        assert (status, headers["retry-after"], body) == (429, "120", b"slow down\n")


def test_fail_without_a_page_falls_back_to_404(server: FeedServer) -> None:
    server.fail("/gone", 500, times=1)
    assert [get(server.url + "/gone")[0] for _ in range(2)] == [500, 404]
    assert "retry-after" not in get(server.url + "/gone")[1]


def test_stall_sends_nothing_until_release(server: FeedServer) -> None:
    server.page("/rss/cs.LG", b"<rss/>")
    server.stall("/rss/cs.LG")
    # The client's own deadline is what sees the stall: nothing arrives within it.
    with pytest.raises(TimeoutError):
        get(server.url + "/rss/cs.LG", timeout=0.5)
    answers: list[tuple[int, bytes]] = []
    client = threading.Thread(
        target=lambda: answers.append(get(server.url + "/rss/cs.LG", timeout=10)[::2])
    )
    client.start()
    server.wait_for_hits("/rss/cs.LG", 2)  # the second request is in, and waiting
    assert answers == []
    server.release()
    client.join(timeout=10)
    assert answers == [(200, b"<rss/>")]
    assert get(server.url + "/rss/cs.LG")[0] == 200  # released for good


def test_exit_releases_a_stalled_request() -> None:
    errors: list[BaseException] = []

    def fetch(url: str) -> None:
        try:
            get(url, timeout=10)
        except (RemoteDisconnected, URLError, ConnectionError) as error:
            errors.append(error)

    with FeedServer() as server:
        server.page("/slow", b"late")
        server.stall("/slow")
        client = threading.Thread(target=fetch, args=(server.url + "/slow",))
        client.start()
        server.wait_for_hits("/slow", 1)
    # The with block ended while the request waited: the client is cut off, not answered.
    client.join(timeout=10)
    assert not client.is_alive()
    assert len(errors) == 1


def test_url_needs_a_started_server() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = FeedServer().url


# --- the arXiv API ------------------------------------------------------------------------


def _page(server: FeedServer, query: str) -> tuple[ParseResult, ElementTree.Element]:
    status, headers, body = get(server.url + "/api/query?" + query)
    assert status == 200
    assert headers["content-type"].startswith("application/atom+xml")
    return _read(body, "query.xml", "arxiv-atom"), ElementTree.fromstring(body)


def _paging(root: ElementTree.Element) -> tuple[str | None, ...]:
    return tuple(
        root.findtext(OPENSEARCH + name) for name in ("totalResults", "startIndex", "itemsPerPage")
    )


def test_arxiv_api_pages(server: FeedServer) -> None:
    server.arxiv_api("/api/query", api_entries(5))
    first, root = _page(server, "search_query=cat:cs.LG&start=0&max_results=2")
    assert _ids(first) == ["2612.00001", "2612.00002"]
    assert _paging(root) == ("5", "0", "2")
    second, root = _page(server, "search_query=cat:cs.LG&start=2&max_results=2")
    assert _ids(second) == ["2612.00003", "2612.00004"]
    assert _paging(root) == ("5", "2", "2")
    last, _ = _page(server, "search_query=cat:cs.LG&start=4&max_results=2")
    assert _ids(last) == ["2612.00005"]
    past, _ = _page(server, "search_query=cat:cs.LG&start=6&max_results=2")
    assert _ids(past) == []
    assert [seen.query for seen in server.hits("/api/query")][:2] == [
        {"search_query": "cat:cs.LG", "start": "0", "max_results": "2"},
        {"search_query": "cat:cs.LG", "start": "2", "max_results": "2"},
    ]


def test_arxiv_api_claims_the_total_given(server: FeedServer) -> None:
    server.arxiv_api("/api/query", api_entries(3), total=30_000)
    result, root = _page(server, "search_query=abs%3Amamba+AND+cat%3Acs.LG&max_results=3")
    assert _paging(root) == ("30000", "0", "3")
    assert len(result.papers) == 3
    # The importer's own warning that more pages are waiting.
    assert [p.severity for p in result.problems] == ["warning"]
    assert server.hits("/api/query")[0].query["search_query"] == "abs:mamba AND cat:cs.LG"


def test_arxiv_api_defaults_to_ten_results(server: FeedServer) -> None:
    server.arxiv_api("/api/query", api_entries(12))
    result, _ = _page(server, "search_query=cat:cs.LG")
    assert len(result.papers) == 10


def test_arxiv_api_refuses_a_bad_start(server: FeedServer) -> None:
    server.arxiv_api("/api/query", api_entries(2))
    status, _, body = get(server.url + "/api/query?search_query=x&start=minus")
    assert status == 400
    result = _read(body, "error.xml", "arxiv-atom")
    assert result.papers == []
    assert "the arXiv API returned an error" in result.problems[0].reason


def test_arxiv_api_answers_failures_and_stalls_like_a_page(server: FeedServer) -> None:
    server.arxiv_api("/api/query", api_entries(2))
    server.fail("/api/query", 503, times=1, retry_after="3")
    status, headers, _ = get(server.url + "/api/query?search_query=x")
    assert (status, headers["retry-after"]) == (503, "3")
    assert get(server.url + "/api/query?search_query=x")[0] == 200
