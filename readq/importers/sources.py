"""Where an import's bytes come from: a file, standard input, or an http(s) URL."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import ssl
import stat
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any, Final
from urllib.parse import urljoin, urlparse

from readq import __version__
from readq.errors import NotText, ReadqError
from readq.importers.text import MAX_INPUT_BYTES, decode_input
from readq.paths import typed_path
from readq.sanitize import clean_line

# The whole download's limit, not each wait's: a server that sends a byte a
# second would otherwise hold the import (and the app's worker) for good.
URL_TIMEOUT_SECONDS: Final = 20.0
MAX_DOWNLOAD_BYTES: Final = 64 * 1024 * 1024  # a feed or export, not a data set
CHUNK_BYTES: Final = 2**20  # one progress report, and one chance to stop, per MiB read
# Told (bytes read so far, bytes expected or None when unknown) before the first
# chunk and after each one; it may raise to stop the read.
OnBytes = Callable[[int, int | None], None]


class _TooLarge(Exception):
    """More bytes than ``limit``: said by the size up front, or found while reading."""

    def __init__(self, limit: int) -> None:
        self.limit = limit


def read_source(source: str, *, on_bytes: OnBytes | None = None) -> tuple[str, str]:
    """(display name, text) of a file path, ``-`` for standard input, or an http(s) URL."""
    report = on_bytes or _ignore
    try:
        if source == "-":
            name = "standard input"
            data = _read_chunks(sys.stdin.buffer.read, MAX_INPUT_BYTES, None, report)
        elif source.lower().startswith(("http://", "https://")):
            name = clean_line(source)
            data = _download(source, URL_TIMEOUT_SECONDS, report)
        else:
            path = typed_path(source)
            name = clean_line(str(path))  # a file name can hold escape sequences too
            data = _read_file(path, name, report)
    except _TooLarge as error:
        raise NotText(
            f"{name} is larger than {error.limit // 2**20} MiB; nothing was imported."
        ) from None
    return name, decode_input(data, name)


def _read_chunks(
    read: Callable[[int], bytes], limit: int, total: int | None, report: OnBytes
) -> bytes:
    """Everything ``read`` gives, a chunk at a time; _TooLarge past ``limit`` bytes."""
    if total is not None and total > limit:
        raise _TooLarge(limit)  # no need to read a video to refuse it
    chunks: list[bytes] = []
    done = 0
    report(done, total)
    while chunk := read(CHUNK_BYTES):
        chunks.append(chunk)
        done += len(chunk)
        if done > limit:
            raise _TooLarge(limit)
        report(done, total)
    return b"".join(chunks)  # one chunk (most inputs) is returned as it is, not copied


def _ignore(done: int, total: int | None) -> None:
    pass


def _read_file(path: Path, name: str, report: OnBytes) -> bytes:
    try:
        if path.is_dir():
            raise NotText(f"{name} is a folder, not a file.")
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            # A pipe or a device has no size to tell: its progress has no total.
            total = status.st_size if stat.S_ISREG(status.st_mode) else None
            return _read_chunks(handle.read, MAX_INPUT_BYTES, total, report)
    except FileNotFoundError:
        raise ReadqError(f"{name} does not exist.") from None
    except PermissionError:
        raise ReadqError(f"{name} cannot be read (permission denied).") from None
    except OSError as error:
        raise ReadqError(f"{name} cannot be read: {error.strerror}.") from None


@dataclass(frozen=True, slots=True)
class Response:
    """What a server answered: 200 (or another success) with a body, or 304."""

    status: int
    body: bytes
    headers: Mapping[str, str]


class HTTPFailure(ReadqError):
    """The server answered with an error status; ``retry_after`` is its
    Retry-After header (seconds or an HTTP date), as sent."""

    def __init__(self, message: str, status: int, retry_after: str | None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


def _download(url: str, timeout: float, report: OnBytes) -> bytes:
    return download(url, timeout=timeout, on_bytes=report).body


def download(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = URL_TIMEOUT_SECONDS,
    on_bytes: OnBytes | None = None,
) -> Response:
    """The response for ``url`` (a GET with ``headers`` besides readq's
    User-Agent), the whole of it within ``timeout`` seconds and MAX_DOWNLOAD_BYTES,
    or one ReadqError (HTTPFailure for an error status). A 304 is a Response."""
    report = on_bytes or _ignore
    shown = clean_line(url)
    try:
        host = clean_line(urlparse(url).hostname or url)
    except ValueError:  # e.g. "http://[::1/x", an IPv6 address left open
        raise ReadqError(f"{shown} is not a URL readq can read.") from None
    deadline = _Deadline(timeout)
    try:
        with deadline:
            response = _fetch(url, dict(headers or {}), deadline, report)
    except _Redirected as error:
        raise ReadqError(
            f"{host} redirected {shown} to {error.target}, which is not an http(s) address; "
            "nothing was imported."
        ) from None
    except _TooLarge as error:
        raise NotText(
            f"{shown} is larger than {error.limit // 2**20} MiB; nothing was imported."
        ) from None
    except Exception as error:
        # Whatever the cut connection raised, the time is why; and a socket's own
        # timeout (never longer than the time left) is the deadline too.
        if deadline.expired or _timed_out(error):
            raise _late(host, timeout, deadline) from None
        explained = _explained(error, host, shown, answered=deadline.answered)
        if explained is None:
            raise  # a programming error, not the user's to read
        raise explained from None
    if deadline.expired:  # a body cut at the deadline can look complete
        raise _late(host, timeout, deadline)
    return response


def _fetch(url: str, headers: dict[str, str], deadline: _Deadline, report: OnBytes) -> Response:
    headers["User-Agent"] = f"readq/{__version__}"
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(
        _WatchedHTTP(deadline), _WatchedHTTPS(deadline), _WebRedirects()
    )
    try:
        opened = opener.open(request, timeout=deadline.seconds)
    except urllib.error.HTTPError as error:
        if error.code != 304:
            raise
        error.close()
        return Response(304, b"", dict(error.headers.items()))
    with opened as response:
        deadline.answered = True
        length = response.headers.get("Content-Length", "")
        # A server need not say (chunked), and what it says is only a header.
        said = int(length) if length.isascii() and length.isdigit() else None
        chunked = "chunked" in response.headers.get("Transfer-Encoding", "").lower()
        total = None if chunked else said
        # read1: whatever has arrived, so that a trickling server still meets the
        # deadline and the cancel check between reads.
        data = _read_chunks(response.read1, MAX_DOWNLOAD_BYTES, total, report)
        answered = Response(response.status, b"", dict(response.headers.items()))
    if total is not None and len(data) < total:
        raise _CutShort(len(data), total)
    return Response(answered.status, data, answered.headers)


def _timed_out(error: Exception) -> bool:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    return isinstance(reason, TimeoutError)


def _late(host: str, timeout: float, deadline: _Deadline) -> ReadqError:
    if deadline.answered:
        return ReadqError(f"{host} did not send the whole response within {timeout:g} s.")
    return ReadqError(f"{host} did not answer within {timeout:g} s.")


class _CutShort(Exception):
    """The body ended before the length the server announced."""

    def __init__(self, got: int, said: int) -> None:
        super().__init__(f"{got} of the {said} bytes it announced")


class _Redirected(Exception):
    """A redirect to an address that is not http(s): file:, ftp:, data:..."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def _explained(error: Exception, host: str, shown: str, *, answered: bool) -> ReadqError | None:
    """One line for what went wrong (the network, the server's HTTP, the URL); None
    for an error that is readq's own."""
    if isinstance(error, urllib.error.HTTPError):
        said = clean_line(str(error.reason))
        retry_after = error.headers.get("Retry-After") if error.headers else None
        return HTTPFailure(
            f"{host} answered {error.code} {said} for {shown}.", error.code, retry_after
        )
    if isinstance(error, urllib.error.URLError):
        reason = error.reason
        if isinstance(reason, http.client.HTTPException | ValueError):
            return _malformed(host, shown, reason)
        return ReadqError(f"cannot reach {host} ({_describe(reason)}); are you offline?")
    if isinstance(error, http.client.InvalidURL) or (
        isinstance(error, ValueError) and not answered
    ):  # urllib and http.client say a URL is malformed so
        return ReadqError(f"{shown} is not a URL readq can read.")
    if isinstance(error, http.client.HTTPException | _CutShort | ValueError):
        return _malformed(host, shown, error)
    if isinstance(error, OSError):
        return ReadqError(f"cannot read {shown}: {error.strerror or error}.")
    return None


def _malformed(host: str, shown: str, error: object) -> ReadqError:
    return ReadqError(
        f"{host} sent a malformed response for {shown} ({_what_was_wrong(error)}); "
        "nothing was imported."
    )


def _what_was_wrong(error: object) -> str:
    if isinstance(error, http.client.IncompleteRead):  # also a chunk size that is no number
        return "a broken or cut-short body"
    if isinstance(error, _CutShort):
        return f"the body ended early: {error}"
    if isinstance(error, http.client.LineTooLong):
        return "a line over 64 KiB"
    if isinstance(error, http.client.BadStatusLine):
        return "no valid status line"
    if isinstance(error, ValueError):
        return "broken chunked encoding"  # http.client lets some bad chunk sizes through so
    text = clean_line(str(error))[:80]
    return text or type(error).__name__


def _describe(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return clean_line(str(reason))


class _Deadline:
    """One download's time limit, for the whole of it: connecting, the headers,
    every redirect and the body. Socket timeouts alone limit each wait, and a
    server sending a byte a second never waits long.

    When the time is up, every connection the download opened is shut down, so
    that whatever read is waiting returns at once (and ``expired`` says why).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.answered = False  # the status line and headers arrived
        self._end = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()

    def left(self) -> float:
        """Seconds left; TimeoutError when there are none."""
        left = self._end - time.monotonic()
        if left <= 0:
            self._expire()
            raise TimeoutError("the download's time is up")
        return left

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown even for TLS: SSLSocket's own also drops the
    # TLS state, under the feet of the thread reading from it.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _WatchedConnection(http.client.HTTPConnection):
    """A connection that connects in the time left and is shut when it runs out."""

    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = self.deadline.left()  # each redirect connects in what is left
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedTLSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        self.timeout = self.deadline.left()
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_WatchedConnection, deadline=self.deadline), req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__(context=ssl.create_default_context())
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = partial(_WatchedTLSConnection, deadline=self.deadline)
        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed to http(s) addresses only (urllib would go to ftp: too),
    and a refused one says where it led."""

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> IO[bytes] | None:
        target = headers.get("Location") or headers.get("URI")
        if target is not None:
            full = urljoin(req.full_url, target)
            if urlparse(full).scheme.lower() not in ("http", "https"):
                fp.close()
                raise _Redirected(clean_line(full)[:200])
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302
