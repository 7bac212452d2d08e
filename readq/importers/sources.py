"""Where an import's bytes come from: a file, standard input, or an http(s) URL."""

from __future__ import annotations

import http.client
import os
import socket
import stat
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Final
from urllib.parse import urlparse

from readq import __version__
from readq.errors import NotText, ReadqError
from readq.importers.text import MAX_INPUT_BYTES, decode_input
from readq.paths import typed_path
from readq.sanitize import clean_line

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


def _download(url: str, timeout: float, report: OnBytes) -> bytes:
    shown = clean_line(url)
    try:
        return _fetch(url, shown, timeout, report)
    except (ValueError, http.client.InvalidURL):  # a malformed URL, as urllib and http say
        raise ReadqError(f"{shown} is not a URL readq can read.") from None
    except http.client.HTTPException as error:  # a server that does not speak HTTP
        raise ReadqError(f"{shown} did not answer as a web server does ({error!r}).") from None


def _fetch(url: str, shown: str, timeout: float, report: OnBytes) -> bytes:
    host = clean_line(urlparse(url).hostname or url)
    request = urllib.request.Request(url, headers={"User-Agent": f"readq/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            # A server need not say (chunked), and what it says is only a header.
            total = int(length) if length.isascii() and length.isdigit() else None
            return _read_chunks(response.read, MAX_DOWNLOAD_BYTES, total, report)
    except urllib.error.HTTPError as error:
        raise ReadqError(f"{host} answered {error.code} {error.reason} for {shown}.") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, socket.timeout | TimeoutError):
            raise ReadqError(f"{host} did not answer within {timeout:g} s.") from None
        raise ReadqError(f"cannot reach {host} ({_describe(reason)}); are you offline?") from None
    except TimeoutError:
        raise ReadqError(f"{host} did not answer within {timeout:g} s.") from None
    except OSError as error:
        raise ReadqError(f"cannot read {shown}: {error.strerror or error}.") from None


def _describe(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason)
