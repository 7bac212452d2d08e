"""`readq import URL` against a server on 127.0.0.1: success, HTTP errors, timeouts, offline."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from readq.cli import main

from ..conftest import DATA

FEED = (DATA / "arxiv-rss.xml").read_bytes()
RELEASE = threading.Event()  # the "slow" handler waits on it: no sleeping


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            RELEASE.wait(10)
        if self.path in ("/rss/cs.LG", "/slow"):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(FEED)
        else:
            self.send_error(404, "Not Found")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    RELEASE.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    RELEASE.set()
    httpd.shutdown()
    httpd.server_close()


def test_import_a_feed_by_url(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", f"{server}/rss/cs.LG"]) == 0
    assert "3 papers read (arxiv-rss): 3 added" in capsys.readouterr().out


def test_http_errors_are_one_line(
    server: str, library_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", f"{server}/nothing-here"]) == 2
    err = capsys.readouterr().err
    assert "answered 404" in err and len(err.strip().splitlines()) == 1
    assert not library_file.exists()


def test_a_server_that_does_not_answer_times_out(
    server: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from readq.importers import sources

    monkeypatch.setattr(sources, "URL_TIMEOUT_SECONDS", 0.2)
    assert main(["import", f"{server}/slow"]) == 2
    assert "did not answer within 0.2 s" in capsys.readouterr().err


def test_offline_is_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port on loopback that nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["import", f"http://127.0.0.1:{port}/feed"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach 127.0.0.1" in err and "offline" in err
