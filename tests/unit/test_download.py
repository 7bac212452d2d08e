"""`readq import URL` against servers that misbehave, on 127.0.0.1.

Each server below speaks just enough HTTP to go wrong one way: too slowly for
the whole-download deadline, a broken status line, a header past 64 KiB, more
than 100 headers, broken chunks, a body shorter than it said, a redirect away
from the web. Every case is one line on stderr and exit status 2, never a
traceback, and no library is made. The deadline is lowered for the tests, and
no test measures time: a slow server is only ever stopped by the deadline.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from readq.importers import sources

from ..conftest import DATA, run

FEED = (DATA / "arxiv-rss.xml").read_bytes()
STOP = threading.Event()  # set when a test ends: every trickling server then stops
TRICKLE_BYTES = 2000  # bounded, so that even a readq without a deadline would finish


def _trickle(sock: socket.socket, data: bytes) -> None:
    for byte in data[:TRICKLE_BYTES]:
        if STOP.wait(0.02):
            return
        sock.sendall(bytes([byte]))


def _ok(body: bytes, *headers: str) -> bytes:
    head = "\r\n".join(["HTTP/1.1 200 OK", *headers, "Connection: close", "", ""])
    return head.encode("latin-1") + body


def _slow_body(sock: socket.socket) -> None:
    sock.sendall(_ok(b"", f"Content-Length: {len(FEED)}"))
    _trickle(sock, FEED)


def _slow_headers(sock: socket.socket) -> None:
    _trickle(sock, b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"a" * 5000 + b"\r\n\r\n")


def _redirect(target: str) -> Callable[[socket.socket], None]:
    def answer(sock: socket.socket) -> None:
        sock.sendall(
            f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode()
        )

    return answer


SCRIPTS: dict[str, Callable[[socket.socket], None]] = {
    "/feed": lambda sock: sock.sendall(_ok(FEED, f"Content-Length: {len(FEED)}")),
    "/slow-body": _slow_body,
    "/slow-headers": _slow_headers,
    "/bad-status": lambda sock: sock.sendall(b"HTTP/1.1 two hundred\r\n\r\n" + FEED),
    "/not-http": lambda sock: sock.sendall(b"\x1b]0;hi\x07 SSH-2.0-OpenSSH\r\n"),
    "/long-header": lambda sock: sock.sendall(_ok(FEED, "X-Big: " + "a" * 70_000)),
    "/many-headers": lambda sock: sock.sendall(_ok(FEED, *(f"X-{i}: {i}" for i in range(150)))),
    "/bad-chunks": lambda sock: sock.sendall(
        _ok(b"5\r\n<rss>\r\nzz-not-hex\r\nxxxx\r\n", "Transfer-Encoding: chunked")
    ),
    "/cut-chunks": lambda sock: sock.sendall(
        _ok(b"400\r\n" + FEED[:100], "Transfer-Encoding: chunked")
    ),
    "/short-body": lambda sock: sock.sendall(_ok(FEED[:500], f"Content-Length: {len(FEED)}")),
    "/to-file": _redirect("file:///etc/passwd"),
    "/to-ftp": _redirect("ftp://127.0.0.1/feed"),
    "/to-feed": _redirect("/feed"),
}


class Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request and len(request) < 65536:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ")[1].decode() if request.count(b" ") >= 2 else "/"
        with contextlib.suppress(OSError):  # readq hung up, as it should past the deadline
            SCRIPTS[path](self.request)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(sources, "URL_TIMEOUT_SECONDS", 0.3)
    STOP.clear()
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    STOP.set()
    httpd.shutdown()
    httpd.server_close()


def _refused(capsys: pytest.CaptureFixture[str], url: str, library_file: Path) -> str:
    code, out, err = run(capsys, "import", url)
    assert code == 2, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("readq: "), err
    assert "Traceback" not in err and "\x1b" not in err
    assert not library_file.exists()
    return lines[0]


def test_a_good_feed_and_a_redirect_to_it_are_read(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", f"{server}/feed")[1].count("3 added") == 1
    code, out, _ = run(capsys, "import", f"{server}/to-feed")
    assert code == 0 and "3 papers read (arxiv-rss): 0 added, 0 updated, 3 unchanged" in out


def test_a_server_sending_a_byte_at_a_time_meets_the_deadline(
    server: str, capsys: pytest.CaptureFixture[str], library_file: Path
) -> None:
    line = _refused(capsys, f"{server}/slow-body", library_file)
    assert "did not send the whole response within 0.3 s" in line


def test_headers_sent_a_byte_at_a_time_meet_the_deadline(
    server: str, capsys: pytest.CaptureFixture[str], library_file: Path
) -> None:
    line = _refused(capsys, f"{server}/slow-headers", library_file)
    assert "within 0.3 s" in line


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/bad-status", "no valid status line"),
        ("/not-http", "no valid status line"),
        ("/long-header", "a line over 64 KiB"),
        ("/many-headers", "more than 100 headers"),
        ("/bad-chunks", "a broken or cut-short body"),
        ("/cut-chunks", "a broken or cut-short body"),
        ("/short-body", "the body ended early: 500 of the"),
    ],
)
def test_a_malformed_response_is_one_line(
    path: str,
    said: str,
    server: str,
    capsys: pytest.CaptureFixture[str],
    library_file: Path,
) -> None:
    line = _refused(capsys, server + path, library_file)
    assert "sent a malformed response" in line and said in line


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_redirects_lead_only_to_the_web(
    path: str, server: str, capsys: pytest.CaptureFixture[str], library_file: Path
) -> None:
    line = _refused(capsys, server + path, library_file)
    assert "which is not an http(s) address" in line
