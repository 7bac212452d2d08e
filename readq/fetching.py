"""Fetching subscriptions: every feed downloaded (a few at a time), then all of
their papers added in one durable write.

    downloads = fetch_all(feeds, states, as_of=day)  # any thread: no library
    reports = commit(library, downloads)  # where the library lives: one write

Downloads are polite: a conditional GET with the validators the last fetch
kept (feedstate.py), a User-Agent naming readq and its version, at least
ARXIV_GAP_SECONDS between two calls to one arXiv API host, and retries with
backoff on 429 and 5xx that honour Retry-After. Each request has the deadline
and the size cap of ``readq import URL`` (importers/sources.py). A feed that
fails is one line; the others still land.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final
from urllib.parse import urlencode, urlsplit

from readq import feedstate, importers
from readq.collector import collector_paused
from readq.errors import ReadqError
from readq.feeds import ARXIV_API, Feed
from readq.feedstate import FeedState
from readq.importers import sources
from readq.importers.sources import HTTPFailure, Response, download
from readq.importers.text import decode_input
from readq.library import ImportSummary, Library
from readq.model import ParsedPaper, now_iso
from readq.sanitize import clean_line
from readq.transfer import Cancelled

WORKERS: Final = 4  # feeds downloaded at once: most are on two or three hosts
ARXIV_GAP_SECONDS: Final = 3.0  # arXiv's API terms: one call every three seconds
PAGE_SIZE: Final = 100  # results asked of the API per call
BACKOFF_SECONDS: Final = (2.0, 8.0, 30.0)  # the waits before each retry
LONGEST_WAIT: Final = 120.0  # a Retry-After past this: the feed fails, saying so
MIN_RETRY_SECONDS: Final = 1.0  # even when a server says 0: never a tight loop
FEED_FORMATS: Final = ("arxiv-rss", "arxiv-atom")  # RSS 2.0 and Atom, arXiv's or any
_RETRIED: Final = frozenset({429, 500, 502, 503, 504})

# Told (feed name, what it is doing: "asking arXiv", "page 2", "reading"; and
# once it is done, with True, what came of it: "42 papers", "failed").
OnStep = Callable[[str, str, bool], None]
Wait = Callable[[float], None]


class Pacer:
    """At least ARXIV_GAP_SECONDS between the starts of two calls to one host, for
    every thread that asks: the calls to a host take turns. One for the process
    (PACER), so that a second fetch right after the first waits too."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def wait_turn(self, host: str, wait: Wait) -> None:
        """Wait (with ``wait``, which a cancel cuts short) for ``host``'s turn."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:  # held while waiting: the next caller counts from this call
            last = self._last.get(host)
            if last is not None:
                left = last + ARXIV_GAP_SECONDS - self._clock()
                if left > 0:
                    wait(left)
            self._last[host] = self._clock()


PACER: Final = Pacer()


def pause(seconds: float, cancel: threading.Event) -> None:
    """Wait ``seconds``, or less when ``cancel`` is set (a test replaces this)."""
    cancel.wait(seconds)


@dataclass(slots=True)
class Download:
    """One feed's answer: its papers, or not modified (304), or why it failed."""

    feed: Feed
    papers: list[ParsedPaper] = field(default_factory=list)
    skipped: int = 0  # entries too malformed to read
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FeedReport:
    """What one fetch did for one feed, as one line: ``cs.LG: 143 new, 12 updated``."""

    name: str
    result: str  # the line without the name
    ok: bool
    added: tuple[int, ...] = ()  # the papers new to the library
    changed: bool = False  # papers were added or updated

    def line(self) -> str:
        return f"{clean_line(self.name)}: {self.result}"


def fetch_all(
    feeds: Sequence[Feed],
    states: Mapping[str, FeedState],
    *,
    as_of: date,
    pacer: Pacer = PACER,
    cancel: threading.Event | None = None,
    on_step: OnStep | None = None,
) -> list[Download]:
    """Every feed's Download, in the order of ``feeds``, WORKERS at a time. A set
    ``cancel`` ends every wait at once (and an interrupt sets it: Ctrl-C does not
    wait for the retries)."""
    if not feeds:
        return []
    cancel = cancel or threading.Event()
    fetcher = _Fetcher(as_of, pacer, cancel, on_step or _ignore)
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(feeds))) as pool:
        try:
            return list(pool.map(lambda feed: fetcher.fetch(feed, states.get(feed.name)), feeds))
        except BaseException:
            cancel.set()  # the pool's threads stop at their next wait before it joins them
            raise


def commit(library: Library | None, downloads: Sequence[Download]) -> list[FeedReport]:
    """Add the papers of every download to ``library`` in one write (none when
    nothing is new), and say what that was for each feed. A paper in two feeds
    is one paper, seen in both; it counts as new for the first. ``library`` may
    be None when no download holds a paper."""
    entries: list[ParsedPaper] = []
    spans: list[tuple[int, int]] = []
    for fetched in downloads:
        start = len(entries)
        entries += [_arrived(paper, fetched.feed) for paper in fetched.papers]
        spans.append((start, len(entries)))
    summary = None
    if entries:
        if library is None:
            raise ValueError("papers to add and no library to add them to")
        with collector_paused():
            summary = library.add_many(entries)
    return [
        _report(fetched, summary, start, end)
        for fetched, (start, end) in zip(downloads, spans, strict=True)
    ]


def _arrived(paper: ParsedPaper, feed: Feed) -> ParsedPaper:
    """``paper`` as it arrives from ``feed``: seen there, with the feed's tags, and
    none of the user's state (a feed says what a paper is, not what you made of it)."""
    paper.feeds, paper.arrived_from = [feed.name], feed.name
    paper.status = paper.priority = paper.notes = None
    paper.added_at = paper.read_at = paper.updated_at = paper.changed_at = None
    paper.tags = list(feed.tags) or None  # an import gives tags to new papers only
    return paper


def _report(fetched: Download, summary: ImportSummary | None, start: int, end: int) -> FeedReport:
    name = fetched.feed.name
    if fetched.error is not None:
        return FeedReport(name, f"failed: {fetched.error}", ok=False)
    if fetched.not_modified:
        return FeedReport(name, "not changed since the last fetch", True)
    # What this feed's own entries did, each paper once (a feed may list one twice).
    # A paper an earlier feed brought in this fetch is that feed's news alone.
    outcomes: dict[int, str] = {}
    if summary is not None:
        placed, done = summary.placed[start:end], summary.outcomes[start:end]
        new = set(summary.added)
        for paper_id, outcome in zip(placed, done, strict=True):
            if paper_id in new and outcome != "added":
                continue
            if outcomes.get(paper_id) in (None, "unchanged", "seen"):
                outcomes[paper_id] = outcome
    added = tuple(i for i, outcome in outcomes.items() if outcome == "added")
    counts = Counter(outcomes.values())
    parts = [f"{len(added)} new", f"{counts['updated']} updated", f"{counts['replaced']} replaced"]
    if fetched.skipped:
        parts.append(f"{fetched.skipped} {_entries(fetched.skipped)} skipped (malformed)")
    changed = bool(added or counts["updated"] or counts["replaced"] or counts["seen"])
    return FeedReport(name, ", ".join(parts), True, added, changed)


def remember(
    library: Path,
    states: Mapping[str, FeedState],
    downloads: Sequence[Download],
    reports: Sequence[FeedReport],
) -> None:
    """Save each feed's state after a fetch whose papers are in the library
    (updated_states, feedstate.py); OSError when the disk refuses."""
    feedstate.save(library, updated_states(states, downloads, reports, now_iso()))


def updated_states(
    states: Mapping[str, FeedState],
    downloads: Sequence[Download],
    reports: Sequence[FeedReport],
    now: str,
) -> dict[str, FeedState]:
    """``states`` after a fetch: new validators where papers were kept, the time
    and result of each feed fetched. Feeds no longer in config.toml stay, so that
    one put back later is not downloaded whole again."""
    after = dict(states)
    for fetched, report in zip(downloads, reports, strict=True):
        name = fetched.feed.name
        state = _state_for(fetched.feed, after.get(name))
        state = replace(state, fetched_at=now, result=report.result)
        if report.ok:
            state = replace(state, succeeded_at=now)
        if report.ok and not fetched.not_modified:
            state = replace(state, etag=fetched.etag, last_modified=fetched.last_modified)
        after[name] = state
    return after


def _state_for(feed: Feed, state: FeedState | None) -> FeedState:
    """The feed's state, its validators dropped if they were another address's
    (the feed's url or query changed since)."""
    source = _source_of(feed)
    if state is None or state.source != source:
        return FeedState(feed.name, source=source)
    return state


def _source_of(feed: Feed) -> str:
    return feed.url if feed.url is not None else f"{feed.api} {feed.arxiv_query}"


class _Fetcher:
    """One fetch's downloads: each feed's, on whichever thread asks."""

    def __init__(self, as_of: date, pacer: Pacer, cancel: threading.Event, on_step: OnStep) -> None:
        self.as_of, self.pacer, self.cancel, self.on_step = as_of, pacer, cancel, on_step

    def fetch(self, feed: Feed, state: FeedState | None) -> Download:
        state = _state_for(feed, state)
        try:
            if feed.url is not None:
                fetched = self._feed(feed, feed.url, state)
            else:
                fetched = self._query(feed, state)
        except Cancelled:
            fetched = Download(feed, error="cancelled")
        except ReadqError as error:
            fetched = Download(feed, error=_reason(str(error)))
        except (OSError, ValueError) as error:  # one feed's surprise never sinks the others
            fetched = Download(feed, error=_reason(clean_line(str(error)) or type(error).__name__))
        self.on_step(feed.name, _outcome(fetched), True)
        return fetched

    def step(self, feed: Feed, text: str) -> None:
        self.on_step(feed.name, text, False)

    def wait(self, seconds: float) -> None:
        pause(seconds, self.cancel)
        self._check_cancel()

    def _feed(self, feed: Feed, url: str, state: FeedState) -> Download:
        self.step(feed, "downloading")
        response = self._get(feed, url, _validators(state), paced=_is_arxiv_api(url))
        if response.status == 304:
            return Download(feed, not_modified=True)
        fetched = _with_validators(Download(feed), response)
        self._parse(fetched, response, url)
        return fetched

    def _query(self, feed: Feed, state: FeedState) -> Download:
        """The arXiv API's results for the feed's query, a page at a time, newest
        first, up to its max_results."""
        fetched = Download(feed)
        start = 0
        while start < feed.max_results:
            size = min(PAGE_SIZE, feed.max_results - start)
            self.step(feed, f"page {start // PAGE_SIZE + 1}" if start else "asking arXiv")
            url = _api_url(feed, start, size)
            response = self._get(feed, url, _validators(state) if not start else {}, paced=True)
            if response.status == 304:
                return Download(feed, not_modified=True)
            if not start:
                _with_validators(fetched, response)
            found = self._parse(fetched, response, url)
            if found < size:
                break  # the last page
            start += size
        return fetched

    def _get(self, feed: Feed, url: str, headers: dict[str, str], *, paced: bool) -> Response:
        """The response for ``url``, retried on 429 and 5xx after the wait the
        server asks for (or a backoff); ``paced``: an arXiv API call, which waits
        its turn (each retry too)."""
        host = urlsplit(url).netloc
        for attempt in range(len(BACKOFF_SECONDS) + 1):
            self._check_cancel()
            if paced:
                self.pacer.wait_turn(host, self.wait)
            try:
                # The module's deadline as it is now (a test shortens it).
                return download(url, headers=headers, timeout=sources.URL_TIMEOUT_SECONDS)
            except HTTPFailure as failure:
                if failure.status not in _RETRIED or attempt == len(BACKOFF_SECONDS):
                    raise
                wait = _retry_after(failure.retry_after)
                wait = BACKOFF_SECONDS[attempt] if wait is None else max(wait, MIN_RETRY_SECONDS)
                if wait > LONGEST_WAIT:
                    raise ReadqError(
                        f"{failure} It asks readq to wait {wait:.0f} s: try again later."
                    ) from None
                self.step(feed, f"answered {failure.status}: retrying in {wait:.0f} s")
                self.wait(wait)
        raise AssertionError("unreachable: the last attempt raises")

    def _parse(self, fetched: Download, response: Response, url: str) -> int:
        """Add the papers of ``response`` to ``fetched``; how many entries it held.
        ReadqError when it is not a feed, or one that cannot be read at all (cut
        short, or the API's error): the feed fails, and its validators are not
        kept, so that the next fetch downloads it again."""
        self.step(fetched.feed, "reading")
        name = clean_line(url)
        text = decode_input(response.body, name) if response.body.strip() else ""
        if not text:
            return 0  # an empty answer: nothing new
        fmt = next((f for f in FEED_FORMATS if importers.FORMATS[f].looks_like(text)), None)
        if fmt is None:
            raise ReadqError(f"{name} is not an RSS or Atom feed")
        result = importers.parse(text, fmt, as_of=self.as_of)
        errors = [problem for problem in result.problems if problem.severity == "error"]
        if errors and (not result.papers or any(p.line <= 1 for p in errors)):
            raise ReadqError(f"{name} cannot be read: {errors[0].reason}")
        fetched.papers.extend(result.papers)
        fetched.skipped += len(errors)
        return len(result.papers) + len(errors)

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled("fetch cancelled")


def _outcome(fetched: Download) -> str:
    """A finished download in a few words, for the app's progress line."""
    if fetched.error is not None:
        return "failed"
    if fetched.not_modified:
        return "not changed"
    count = len(fetched.papers)
    return "1 paper" if count == 1 else f"{count} papers"


def _validators(state: FeedState) -> dict[str, str]:
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def _is_arxiv_api(url: str) -> bool:
    """A feed's url that is arXiv's API itself: paced as the API's queries are."""
    return urlsplit(url).netloc == urlsplit(ARXIV_API).netloc


def _with_validators(fetched: Download, response: Response) -> Download:
    headers = {name.lower(): value for name, value in response.headers.items()}
    fetched.etag = headers.get("etag")
    fetched.last_modified = headers.get("last-modified")
    return fetched


def _api_url(feed: Feed, start: int, size: int) -> str:
    query = urlencode(
        {
            "search_query": feed.arxiv_query or "",
            "start": start,
            "max_results": size,
            "sortBy": "submittedDate",
            "sortOrder": "descending",
        }
    )
    return f"{feed.api}{'&' if '?' in feed.api else '?'}{query}"


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait, from a Retry-After of seconds or of an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to isdigit, not to float
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _reason(message: str) -> str:
    """An error's message as the end of a feed's line: no final full stop, and
    without "nothing was imported" (the line says the feed failed)."""
    for tail in ("; nothing was imported.", ": nothing was imported.", "."):
        if message.endswith(tail):
            return message.removesuffix(tail)
    return message


def _entries(count: int) -> str:
    return "entry" if count == 1 else "entries"


def _ignore(name: str, step: str, finished: bool) -> None:
    pass
