"""Where an import's bytes come from: a file, standard input, or an http(s) URL."""

from __future__ import annotations

import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Final
from urllib.parse import urlparse

from readq import __version__
from readq.errors import NotText, ReadqError
from readq.importers.text import MAX_INPUT_BYTES, decode_input
from readq.sanitize import clean_line

URL_TIMEOUT_SECONDS: Final = 20.0
MAX_DOWNLOAD_BYTES: Final = 64 * 1024 * 1024  # a feed or export, not a data set


def read_source(source: str) -> tuple[str, str]:
    """(display name, text) of a file path, ``-`` for standard input, or an http(s) URL."""
    if source == "-":
        name, data, limit = "standard input", sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), None
    elif urlparse(source).scheme in ("http", "https"):
        data = _download(source, URL_TIMEOUT_SECONDS)
        name, limit = clean_line(source), MAX_DOWNLOAD_BYTES
    else:
        name, data, limit = _read_file(source)
    limit = limit or MAX_INPUT_BYTES
    if len(data) > limit:
        raise NotText(f"{name} is larger than {limit // 2**20} MiB; nothing was imported.")
    return name, decode_input(data, name)


def _read_file(source: str) -> tuple[str, bytes, None]:
    path = Path(source).expanduser()
    name = clean_line(str(path))  # a file name can hold escape sequences too
    try:
        if path.is_dir():
            raise NotText(f"{name} is a folder, not a file.")
        with path.open("rb") as handle:
            return name, handle.read(MAX_INPUT_BYTES + 1), None
    except FileNotFoundError:
        raise ReadqError(f"{name} does not exist.") from None
    except PermissionError:
        raise ReadqError(f"{name} cannot be read (permission denied).") from None
    except OSError as error:
        raise ReadqError(f"{name} cannot be read: {error.strerror}.") from None


def _download(url: str, timeout: float) -> bytes:
    host = clean_line(urlparse(url).hostname or url)
    shown = clean_line(url)
    request = urllib.request.Request(url, headers={"User-Agent": f"readq/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read(MAX_DOWNLOAD_BYTES + 1))
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
