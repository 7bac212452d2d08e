"""A local HTTP server that replays arXiv feeds, for tests of ``readq fetch``.

    with FeedServer() as server:
        server.page("/rss/cs.LG", rss_feed(rss_items(6, replaced=1)), etag='"v1"')
        server.fail("/rss/cs.LG", 503, times=2, retry_after="1")
        server.arxiv_api("/api/query", api_entries(250))
        server.stall("/rss/stat.ML")                  # for deadline tests
        ...  # point the feeds at server.url + "/rss/cs.LG" and fetch
        assert len(server.hits("/rss/cs.LG")) == 3

Standard library only, so that it runs wherever the tests run. Nothing here
sleeps: a stalled request waits on a threading.Event that ``release()`` or the
end of the ``with`` block sets, and a client sees a stall through its own socket
timeout.

The helpers write documents shaped like arXiv's (tests/data/arxiv-rss.xml and
tests/data/arxiv-api.atom.xml are the models): ``rss_items`` and ``rss_feed`` for
the announcement feeds, ``api_entries`` and ``api_feed`` for the API. Paper
number ``n`` is the same paper in both (id ``2612.0000n``, title, authors,
abstract), so a test can serve one paper from an RSS feed and from a query.

tests/data/feeds/ holds two pages the helpers wrote once and that are kept as
recorded: ``cs.LG.rss.xml`` is ``rss_feed(rss_items(6, replaced=1))`` (papers 1-6,
paper 6 replaced, v2) and ``api-page.atom.xml`` is
``api_feed(api_entries(4, first=5))`` (papers 5-8: two of them are in the RSS page too).
"""

from __future__ import annotations

import hashlib
import socketserver
import sys
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final, Self
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "ANNOUNCED",
    "FeedServer",
    "Seen",
    "api_entries",
    "api_feed",
    "rss_feed",
    "rss_items",
]

ANNOUNCED: Final = date(2026, 12, 29)  # a Tuesday, after every generated paper's submission
API_CONTENT_TYPE: Final = "application/atom+xml; charset=UTF-8"  # what export.arxiv.org sends
API_DEFAULT_MAX_RESULTS: Final = 10  # the arXiv API's own default
_EASTERN: Final = timezone(timedelta(hours=-5))  # arXiv announces at midnight US Eastern
# serve_forever checks for shutdown between polls: short, so __exit__ returns promptly.
_POLL_SECONDS: Final = 0.05


# --- what the server saw --------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str  # without the query string
    query: dict[str, str]  # parsed query parameters, the first value of each
    headers: dict[str, str]  # request headers, names lower-cased


# --- what a path answers ----------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class _Api:
    entries: tuple[bytes, ...]
    total: int | None


@dataclass
class _Failure:
    status: int
    remaining: int | None  # None: every request fails
    retry_after: str | None
    body: bytes


@dataclass
class _Route:
    content: _Page | _Api | None = None
    failure: _Failure | None = None


@dataclass(frozen=True)
class _Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


class FeedServer:
    """Context manager: starts on 127.0.0.1, port 0, serve_forever in a daemon thread;
    __exit__ releases every stall and shuts down.

    Routes may be set before or after the server starts, from any thread. A path
    with no page answers 404.
    """

    def __init__(self) -> None:
        self.requests: list[Seen] = []  # every request received, in order
        # One condition guards all state: handler threads and the test thread share it,
        # and wait_for_hits waits on it for requests to arrive.
        self._changed = threading.Condition()
        self._routes: dict[str, _Route] = {}
        self._stalls: dict[str, threading.Event] = {}
        self._closing = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifetime --------------------------------------------------------------------

    def __enter__(self) -> Self:
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": _POLL_SECONDS},
            name=f"FeedServer {self.url}",
            daemon=True,  # a test that dies mid-way must not keep pytest alive
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing first: a stalled request released now sends nothing, as its client
        # has long given up, rather than an answer that would race the shutdown.
        self._closing.set()
        self.release()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, once started."""
        if self._server is None:
            raise RuntimeError("the FeedServer has not started: use it in a with block")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- routes ----------------------------------------------------------------------

    def page(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Serve body at path (path without query string). When etag given, send ETag
        header and answer 304 (no body) when the request's If-None-Match equals it; same
        for Last-Modified / If-Modified-Since (exact string compare is fine)."""
        with self._changed:
            self._route(path).content = _Page(body, content_type, etag, last_modified)

    def fail(
        self,
        path: str,
        status: int,
        *,
        times: int | None = None,
        retry_after: str | None = None,
        body: bytes = b"",
    ) -> None:
        """Answer status (e.g. 503, 429, 404) for path: for the next `times` requests then
        fall back to the page (None = always). Retry-After header when given."""
        if times is not None and times < 0:
            raise ValueError(f"times must be 0 or more, not {times}")
        with self._changed:
            self._route(path).failure = _Failure(status, times, retry_after, body)

    def stall(self, path: str) -> None:
        """Requests to path wait (on an Event, released at exit or by release()) and send
        nothing: for deadline tests.

        Once released, a request that is still open gets the path's usual answer, and
        later requests are not stalled until the next ``stall``.
        """
        with self._changed:
            self._stalls.setdefault(path, threading.Event())

    def release(self) -> None:
        """Let every stalled request go on."""
        with self._changed:
            stalls, self._stalls = self._stalls, {}
        for event in stalls.values():
            event.set()

    def arxiv_api(self, path: str, entries: list[bytes], *, total: int | None = None) -> None:
        """Emulate the arXiv API at path (e.g. "/api/query"): reads query params
        search_query, start, max_results; answers an Atom feed (same shape as
        tests/data/arxiv-api.atom.xml: opensearch:totalResults, startIndex, itemsPerPage)
        holding entries[start:start+max_results]. `entries` are <entry>...</entry> byte
        strings. ``total`` is the totalResults to claim, len(entries) by default."""
        with self._changed:
            self._route(path).content = _Api(tuple(entries), total)

    def _route(self, path: str) -> _Route:
        if "?" in path:
            raise ValueError(f"{path!r}: a route is a path, without a query string")
        return self._routes.setdefault(path, _Route())

    # --- what was asked ----------------------------------------------------------------

    def hits(self, path: str) -> list[Seen]:
        """The requests for path, in order."""
        with self._changed:
            return [seen for seen in self.requests if seen.path == path]

    def wait_for_hits(self, path: str, count: int, *, timeout: float = 5.0) -> list[Seen]:
        """The requests for path once there are at least ``count``; AssertionError after
        ``timeout`` seconds. For a test whose client runs in another thread (a stalled
        fetch): it wakes as each request arrives, so it never sleeps."""
        with self._changed:
            arrived = self._changed.wait_for(
                lambda: sum(seen.path == path for seen in self.requests) >= count, timeout
            )
            found = [seen for seen in self.requests if seen.path == path]
        if not arrived:
            raise AssertionError(f"{len(found)} requests for {path}, not {count}, in {timeout}s")
        return found

    # --- answering (in the handler threads) -------------------------------------------

    def _answer(self, seen: Seen) -> _Response | None:
        """The response to one request, or None to send nothing and close."""
        with self._changed:
            self.requests.append(seen)
            self._changed.notify_all()
            stalled = self._stalls.get(seen.path)
        if stalled is not None:
            stalled.wait()
            if self._closing.is_set():
                return None
        with self._changed:
            route = self._routes.get(seen.path, _Route())
            failure = route.failure
            if failure is not None and failure.remaining is not None:
                if failure.remaining > 0:
                    failure.remaining -= 1
                else:
                    failure = route.failure = None  # used up: the page from now on
            content = route.content
        if failure is not None:
            return _failed(failure)
        if isinstance(content, _Page):
            return _served(content, seen)
        if isinstance(content, _Api):
            return _api_answer(content, seen)
        missing = b"no page at " + seen.path.encode() + b"\n"
        return _Response(404, _plain(missing), missing)


def _plain(body: bytes) -> list[tuple[str, str]]:
    return [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]


def _failed(failure: _Failure) -> _Response:
    headers = _plain(failure.body)
    if failure.retry_after is not None:
        headers.append(("Retry-After", failure.retry_after))
    return _Response(failure.status, headers, failure.body)


def _served(page: _Page, seen: Seen) -> _Response:
    validators = [("ETag", page.etag), ("Last-Modified", page.last_modified)]
    headers = [(name, value) for name, value in validators if value is not None]
    # As RFC 9110 says: If-None-Match, when sent, decides alone; If-Modified-Since
    # counts only without it.
    if "if-none-match" in seen.headers:
        tags = [tag.strip() for tag in seen.headers["if-none-match"].split(",")]
        fresh = page.etag is not None and (page.etag in tags or "*" in tags)
    else:
        fresh = page.last_modified is not None and (
            seen.headers.get("if-modified-since") == page.last_modified
        )
    if fresh:
        return _Response(304, headers)
    headers += [("Content-Type", page.content_type), ("Content-Length", str(len(page.body)))]
    return _Response(200, headers, page.body)


def _api_answer(api: _Api, seen: Seen) -> _Response:
    query = seen.query.get("search_query", "")
    try:
        start = int(seen.query.get("start", "0"))
        max_results = int(seen.query.get("max_results", str(API_DEFAULT_MAX_RESULTS)))
    except ValueError:
        return _api_error("start and max_results must be whole numbers")
    if start < 0 or max_results < 0:
        return _api_error("start and max_results must not be negative")
    body = api_feed(
        api.entries[start : start + max_results],
        search_query=query,
        start=start,
        max_results=max_results,
        total=len(api.entries) if api.total is None else api.total,
    )
    return _Response(
        200, [("Content-Type", API_CONTENT_TYPE), ("Content-Length", str(len(body)))], body
    )


def _api_error(message: str) -> _Response:
    """HTTP 400 with the feed the real API sends for a bad query: one entry, the error."""
    entry = (
        "  <entry>\n"
        "    <id>http://arxiv.org/api/errors#bad_query</id>\n"
        "    <title>Error</title>\n"
        f"    <summary>{escape(message)}</summary>\n"
        "    <updated>2026-12-29T00:00:00-05:00</updated>\n"
        '    <link href="http://arxiv.org/api/errors#bad_query" rel="alternate" '
        'type="text/html"/>\n'
        "    <author><name>arXiv api core</name></author>\n"
        "  </entry>"
    ).encode()
    body = api_feed([entry], search_query="", total=1)
    return _Response(
        400, [("Content-Type", API_CONTENT_TYPE), ("Content-Length", str(len(body)))], body
    )


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        seen = Seen(
            path=split.path,
            query={k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()},
            headers={name.lower(): value for name, value in self.headers.items()},
        )
        response = self.server.feeds._answer(seen)
        if response is None:
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest would show every request line among a failure's output."""


class _Server(ThreadingHTTPServer):
    def __init__(self, feeds: FeedServer) -> None:
        self.feeds = feeds
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's name (socket.getfqdn), which can
        # wait seconds on a machine whose resolver is offline; the name is never used.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a deadline test) resets its connection; that is the
        # point of the test, not a server fault worth a traceback on stderr.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


# --- documents ----------------------------------------------------------------------------

# Titles are adjective x method x task: 7, 11 and 13 are coprime, so papers 1-1001
# all differ (Chinese remainder theorem) and later rounds get a numeral.
_ADJECTIVES: Final = (
    "Sparse",
    "Calibrated",
    "Robust",
    "Implicit",
    "Contrastive",
    "Hierarchical",
    "Low-Rank",
)
_METHODS: Final = (
    "Attention",
    "Diffusion Priors",
    "Mixture-of-Experts Routing",
    "Score Matching",
    "Graph Rewiring",
    "Curriculum Sampling",
    "Distillation",
    "Equilibrium Layers",
    "Kernel Regression",
    "Tokenizers",
    "Optimisers",
)
_TASKS: Final = (
    "Offline RL",
    "Tabular Anomaly Detection",
    "Protein Folding",
    "Speech Separation",
    "Weather Forecasting",
    "Code Generation",
    "Causal Discovery",
    "Federated Learning",
    "Q&A over Long Documents",  # an ampersand, so every writer must escape
    "Time-Series Imputation",
    "Recommender Systems",
    "Theorem Proving",
    "Robot Grasping",
)
_GIVEN: Final = (
    "Junie",
    "Oskar",
    "Mara",
    "Sebastián",
    "Wen",
    "Ngozi",
    "Tobias",
    "Zoë",
    "Ravi",
    "Lena",
    "Tariq",
)
_FAMILY: Final = (
    "Park",
    "Lind",
    "Ellison",
    "Ruiz",
    "Li",
    "Okafor",
    "Quint",
    "Kowalczyk",
    "Anand",
    "Brandt",
    "Aziz",
    "Nakamura",
    "Haddad",
)
_AFFILIATIONS: Final = ("DeepMind", "ETH Zürich", "University of Toronto", "KAIST")
_SECONDARY: Final = ("cs.AI", "stat.ML", "math.OC", "cs.CV")
_RIGHTS: Final = (
    "http://creativecommons.org/licenses/by/4.0/",
    "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
)
_MAX_NUMBER: Final = 99_999  # five digits after the dot, as arXiv's ids since 2015


@dataclass(frozen=True)
class _Paper:
    """One made-up paper: what its RSS item and its API entry both say."""

    arxiv_id: str
    title: str
    authors: tuple[tuple[str, str | None], ...]  # (name, affiliation)
    abstract: str
    categories: tuple[str, ...]  # the primary first
    submitted: datetime
    comment: str | None
    doi: str | None


def _paper(number: int, category: str, prefix: str) -> _Paper:
    if not 1 <= number <= _MAX_NUMBER:
        raise ValueError(f"paper number {number} does not fit an arXiv id (1 to {_MAX_NUMBER})")
    n = number - 1
    adjective, method, task = (
        _ADJECTIVES[n % len(_ADJECTIVES)],
        _METHODS[n % len(_METHODS)],
        _TASKS[n % len(_TASKS)],
    )
    rounds = n // (len(_ADJECTIVES) * len(_METHODS) * len(_TASKS))
    title = f"{adjective} {method} for {task}" + (f" {rounds + 1}" if rounds else "")
    authors = tuple(
        (
            f"{_GIVEN[(n + 3 * k) % len(_GIVEN)]} {_FAMILY[(2 * n + 5 * k) % len(_FAMILY)]}",
            _AFFILIATIONS[(n + k) % len(_AFFILIATIONS)] if (n + k) % 3 == 0 else None,
        )
        for k in range(2 + n % 2)
    )
    abstract = (
        f"{task} remains hard for {method.lower()} because errors compound over long "
        f"horizons and labelled data is scarce. We propose a {adjective.lower()} variant "
        f"with a provable bound and improve on strong baselines on {3 + n % 9} benchmarks "
        f"(p < 0.05)."
    )
    secondary = [c for c in _SECONDARY if c != category]
    return _Paper(
        arxiv_id=f"{prefix}.{number:05d}",
        title=title,
        authors=authors,
        abstract=abstract,
        categories=(category, secondary[n % len(secondary)]),
        submitted=datetime(2026, 12, 1 + n % 28, 9 + n % 10, (7 * n) % 60, tzinfo=UTC),
        comment=f"{8 + n % 9} pages, {1 + n % 6} figures" if n % 2 == 0 else None,
        doi=f"10.5555/fictional.2026.{number:05d}" if number % 5 == 0 else None,
    )


def _numbers(count: int, first: int) -> range:
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    return range(first, first + count)


def api_entries(
    count: int, *, first: int = 1, category: str = "cs.LG", prefix: str = "2612"
) -> list[bytes]:
    """``count`` arXiv API ``<entry>`` elements for papers first, first+1, ...: ids
    ``2612.00001v1`` on, distinct titles, 2-3 authors (some with an affiliation), a
    two-sentence summary, categories and December 2026 dates, in the shape of
    tests/data/arxiv-api.atom.xml. They use its ``arxiv:`` prefix, so they belong
    inside ``api_feed``, which declares it."""
    return [_api_entry(_paper(n, category, prefix)) for n in _numbers(count, first)]


def _api_entry(paper: _Paper) -> bytes:
    versioned = f"{paper.arxiv_id}v1"
    stamp = paper.submitted.strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = textwrap.fill(escape(paper.abstract), width=96, subsequent_indent="  ")
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{versioned}</id>",
        f"    <title>{escape(paper.title)}</title>",
        f"    <updated>{stamp}</updated>",
        f'    <link href="https://arxiv.org/abs/{versioned}" rel="alternate" type="text/html"/>',
        f'    <link href="https://arxiv.org/pdf/{versioned}" rel="related" '
        'type="application/pdf" title="pdf"/>',
        f"    <summary>{summary}</summary>",
        *(
            f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>'
            for c in paper.categories
        ),
        f"    <published>{stamp}</published>",
    ]
    if paper.comment is not None:
        lines.append(f"    <arxiv:comment>{escape(paper.comment)}</arxiv:comment>")
    if paper.doi is not None:
        lines.append(f"    <arxiv:doi>{escape(paper.doi)}</arxiv:doi>")
    lines.append(f'    <arxiv:primary_category term="{paper.categories[0]}"/>')
    for name, affiliation in paper.authors:
        where = (
            ""
            if affiliation is None
            else f"<arxiv:affiliation>{escape(affiliation)}</arxiv:affiliation>"
        )
        lines.append(f"    <author><name>{escape(name)}</name>{where}</author>")
    lines.append("  </entry>")
    return "\n".join(lines).encode()


def api_feed(
    entries: Sequence[bytes],
    *,
    search_query: str = "cat:cs.LG",
    start: int = 0,
    max_results: int | None = None,
    total: int | None = None,
) -> bytes:
    """One page of arXiv API results holding ``entries``, as tests/data/arxiv-api.atom.xml:
    ``total`` (default: len(entries)) is opensearch:totalResults, ``start`` its
    startIndex and ``max_results`` (default: len(entries)) its itemsPerPage."""
    per_page = len(entries) if max_results is None else max_results
    total = len(entries) if total is None else total
    asked = f"search_query={search_query}&id_list=&start={start}&max_results={per_page}"
    link = "https://arxiv.org/api/query?" + urlencode(
        {"search_query": search_query, "start": start, "max_results": per_page}, safe=":"
    )
    # The real feed's id is a digest of the query; this one too, so pages of one
    # query share it.
    digest = hashlib.sha1(search_query.encode()).hexdigest()[:27]
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        f"  <id>https://arxiv.org/api/{digest}</id>\n"
        f"  <title>arXiv Query: {escape(asked)}</title>\n"
        "  <updated>2026-12-29T00:00:00-05:00</updated>\n"
        f'  <link href={quoteattr(link)} type="application/atom+xml"/>\n'
        f"  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    )
    return head.encode() + b"".join(entry + b"\n" for entry in entries) + b"</feed>\n"


def rss_items(
    count: int,
    first: int = 1,
    *,
    category: str = "cs.LG",
    prefix: str = "2612",
    replaced: int = 0,
    announced: date = ANNOUNCED,
) -> list[bytes]:
    """``count`` announcement ``<item>`` elements for papers first, first+1, ..., in the
    shape of tests/data/arxiv-rss.xml. The last ``replaced`` of them are
    ``Announce Type: replace`` with v2 ids (arXiv lists replacements after the new
    papers); the rest are ``new``, v1. ``announced`` is their pubDate."""
    if not 0 <= replaced <= count:
        raise ValueError(f"replaced must be 0 to {count}, not {replaced}")
    numbers = _numbers(count, first)
    return [
        _rss_item(_paper(n, category, prefix), i >= count - replaced, announced)
        for i, n in enumerate(numbers)
    ]


def _rss_item(paper: _Paper, replaced: bool, announced: date) -> bytes:
    announce = "replace" if replaced else "new"
    versioned = f"{paper.arxiv_id}v{2 if replaced else 1}"
    number = int(paper.arxiv_id.rpartition(".")[2])
    # The trailing space before the newline is arXiv's, kept because parsers meet it.
    description = f"arXiv:{versioned} Announce Type: {announce} \nAbstract: {paper.abstract}"
    lines = [
        "    <item>",
        f"      <title>{escape(paper.title)}</title>",
        f"      <link>https://arxiv.org/abs/{paper.arxiv_id}</link>",
        f"      <description>{escape(description)}</description>",
        f'      <guid isPermaLink="false">oai:arXiv.org:{versioned}</guid>',
        *(f"      <category>{c}</category>" for c in paper.categories),
        f"      <pubDate>{_rss_date(announced)}</pubDate>",
        f"      <arxiv:announce_type>{announce}</arxiv:announce_type>",
        f"      <dc:rights>{_RIGHTS[number % len(_RIGHTS)]}</dc:rights>",
        f"      <dc:creator>{escape(', '.join(name for name, _ in paper.authors))}</dc:creator>",
        "    </item>",
    ]
    return "\n".join(lines).encode()


def rss_feed(
    items: Sequence[bytes], *, category: str = "cs.LG", announced: date = ANNOUNCED
) -> bytes:
    """An arXiv announcement feed (``rss.arxiv.org/rss/CATEGORY``) holding ``items``, with
    the channel of tests/data/arxiv-rss.xml."""
    day = _rss_date(announced)
    built = _rss_date(announced, minutes=30)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">\n'
        "  <channel>\n"
        f"    <title>{escape(category)} updates on arXiv.org</title>\n"
        f"    <link>http://rss.arxiv.org/rss/{escape(category)}</link>\n"
        f"    <description>{escape(category)} updates on the arXiv.org e-print archive."
        "</description>\n"
        f'    <atom:link href="https://rss.arxiv.org/rss/{escape(category)}" rel="self" '
        'type="application/rss+xml"/>\n'
        "    <docs>http://www.rssboard.org/rss-specification</docs>\n"
        "    <language>en-us</language>\n"
        f"    <lastBuildDate>{built}</lastBuildDate>\n"
        "    <managingEditor>rss-help@arxiv.org</managingEditor>\n"
        f"    <pubDate>{day}</pubDate>\n"
        "    <skipDays>\n"
        "      <day>Sunday</day>\n"
        "      <day>Saturday</day>\n"
        "    </skipDays>\n"
    )
    tail = "  </channel>\n</rss>\n"
    return head.encode() + b"".join(item + b"\n" for item in items) + tail.encode()


def _rss_date(day: date, *, minutes: int = 0) -> str:
    """``Tue, 29 Dec 2026 00:00:00 -0500``: midnight US Eastern, as arXiv writes it."""
    moment = datetime(day.year, day.month, day.day, 0, minutes, tzinfo=_EASTERN)
    return format_datetime(moment)
