"""Subscriptions: the feeds config.toml names, checked, and edits of that list.

    [[feeds]]
    name = "cs.LG"
    url = "https://rss.arxiv.org/rss/cs.LG"      # RSS 2.0, Atom or arXiv's RSS
    [[feeds]]
    name = "mamba"
    arxiv_query = "abs:mamba AND cat:cs.LG"       # the arXiv API's search_query
    max_results = 200
    tags = ["ssm"]                                 # added to papers new from this feed

Each feed is a URL or an arXiv API query (``api`` names another API than
arXiv's own, for a mirror or a test server). ``add_feed`` and ``remove_feed``
edit config.toml line by line, keeping the rest as written.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from readq.errors import ReadqError
from readq.sanitize import clean_line

ARXIV_API: Final = "https://export.arxiv.org/api/query"
DEFAULT_MAX_RESULTS: Final = 100
_KEYS: Final = ("name", "url", "arxiv_query", "max_results", "tags", "api")


@dataclass(frozen=True, slots=True)
class Feed:
    name: str
    url: str | None = None
    arxiv_query: str | None = None
    max_results: int = DEFAULT_MAX_RESULTS
    tags: tuple[str, ...] = field(default_factory=tuple)
    api: str = ARXIV_API

    @property
    def source(self) -> str:
        """What it reads, for a listing: the URL, or ``arXiv API: QUERY``."""
        return self.url if self.url is not None else f"arXiv API: {self.arxiv_query}"


def read_feeds(value: object, problems: list[str]) -> tuple[Feed, ...]:
    """The usable feeds of ``[[feeds]]``, a problem line for each one left out."""
    if not isinstance(value, list):
        problems.append("feeds must be tables ([[feeds]], each with a name and a url); ignored")
        return ()
    feeds: list[Feed] = []
    for number, entry in enumerate(value, start=1):
        try:
            feed = parse_feed(entry)
        except ValueError as error:
            problems.append(f"feed {number}: {error}; left out")
            continue
        if any(known.name == feed.name for known in feeds):
            problems.append(f"feed {number}: a second feed called {_shown(feed.name)}; left out")
            continue
        feeds.append(feed)
    return tuple(feeds)


def parse_feed(entry: object) -> Feed:
    """One ``[[feeds]]`` table as a Feed; ValueError saying what is wrong with it."""
    if not isinstance(entry, dict):
        raise ValueError("must be a table")
    unknown = [key for key in entry if key not in _KEYS]
    if unknown:
        raise ValueError(f"{_shown(unknown[0])} is not a feed's key (keys: {', '.join(_KEYS)})")
    name, url, query = entry.get("name"), entry.get("url"), entry.get("arxiv_query")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("needs a name in quotes")
    if clean_line(name) != name or name != name.strip():
        raise ValueError(f"{_shown(name)}: a name is one line of printable text")
    if (url is None) == (query is None):
        raise ValueError(f"{_shown(name)} needs either a url or an arxiv_query")
    if url is not None:
        _check_url(url, "url")
    if query is not None and (not isinstance(query, str) or not query.strip()):
        raise ValueError(f"{_shown(name)}: arxiv_query must be a query in quotes")
    most = entry.get("max_results", DEFAULT_MAX_RESULTS)
    if not isinstance(most, int) or isinstance(most, bool) or not 1 <= most <= 10_000:
        raise ValueError(f"{_shown(name)}: max_results must be a whole number, 1 to 10000")
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(
        isinstance(t, str) and t.strip() and clean_line(t) == t for t in tags
    ):
        raise ValueError(f"{_shown(name)}: tags must be a list of names in quotes")
    api = entry.get("api", ARXIV_API)
    _check_url(api, "api")
    return Feed(name, url, query, most, tuple(tags), api)


def _check_url(value: object, key: str) -> None:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        raise ValueError(f"{key} must be an http or https address in quotes")
    if not urlsplit(value).netloc:
        raise ValueError(f"{key} {_shown(value)} names no host")


def _shown(text: str) -> str:
    return clean_line(json.dumps(text, ensure_ascii=False))


# --- editing config.toml ---------------------------------------------------------------


def with_feed_added(text: str, feed: Feed) -> str:
    """config.toml's ``text`` with a ``[[feeds]]`` table for ``feed`` at its end."""
    if feed.name in _feed_names(text):
        raise ReadqError(f"there is a feed called {feed.name!r} already.")
    lines = ["[[feeds]]", f"name = {json.dumps(feed.name, ensure_ascii=False)}"]
    if feed.url is not None:
        lines.append(f"url = {json.dumps(feed.url, ensure_ascii=False)}")
    else:
        lines.append(f"arxiv_query = {json.dumps(feed.arxiv_query, ensure_ascii=False)}")
        if feed.max_results != DEFAULT_MAX_RESULTS:
            lines.append(f"max_results = {feed.max_results}")
        if feed.api != ARXIV_API:
            lines.append(f"api = {json.dumps(feed.api, ensure_ascii=False)}")
    if feed.tags:
        lines.append(f"tags = {json.dumps(list(feed.tags), ensure_ascii=False)}")
    body = text.rstrip("\n") + "\n\n" if text.strip() else ""
    edited = body + "\n".join(lines) + "\n"
    _check_names(text, edited, added=feed.name)
    return edited


def with_feed_removed(text: str, name: str) -> str:
    """config.toml's ``text`` without the ``[[feeds]]`` table named ``name``: its
    lines up to the next table or comment line (comments above it stay)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip().startswith("[")]
    for position, start in enumerate(starts):
        if lines[start].strip().replace(" ", "") != "[[feeds]]":
            continue
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        if any(_names(line, name) for line in lines[start + 1 : end]):
            while end > start + 1 and (not lines[end - 1].strip() or _comment(lines[end - 1])):
                end -= 1  # the blank lines and comments before the next table stay
            while start > 0 and not lines[start - 1].strip() and end < len(lines):
                start -= 1  # no double gap where it was
            edited = "\n".join(lines[:start] + lines[end:])
            _check_names(text, edited, removed=name)
            return edited
    raise ReadqError(f"there is no feed called {name!r} in config.toml.")


def _comment(line: str) -> bool:
    return line.strip().startswith("#")


def _names(line: str, name: str) -> bool:
    """Whether ``line`` is ``name = "NAME"`` (comments and quotes as TOML has them)."""
    try:
        return tomllib.loads(line).get("name") == name
    except tomllib.TOMLDecodeError:
        return False


def _feed_names(text: str) -> list[object]:
    """The names of the ``[[feeds]]`` of config.toml's ``text``, as TOML reads them."""
    try:
        return [feed.get("name") for feed in tomllib.loads(text).get("feeds", [])]
    except (tomllib.TOMLDecodeError, AttributeError):
        raise ReadqError("config.toml is not valid TOML: edit its [[feeds]] by hand.") from None


def _check_names(before: str, after: str, *, added: str = "", removed: str = "") -> None:
    """Refuse an edit after which config.toml's feeds are not the ones before it with
    ``added`` added or ``removed`` removed (a file edited by hand in a way this
    line-by-line edit does not follow)."""
    old, new = _feed_names(before), _feed_names(after)
    expected = [n for n in old if n != removed] + ([added] if added else [])
    if new != expected:
        raise ReadqError(
            "config.toml's [[feeds]] are laid out in a way readq cannot edit: edit them by hand."
        )
