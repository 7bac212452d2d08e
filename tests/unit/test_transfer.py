"""transfer.py: progress and cancellation of imports and exports, and LoadProgress."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import groupby
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from readq import exporters, importers, segments
from readq.errors import ReadqError
from readq.importers import base, sources
from readq.library import Library
from readq.loading import LoadProgress
from readq.model import Paper
from readq.transfer import (
    Cancelled,
    Progress,
    TargetExists,
    commit,
    export_to,
    import_into,
    read_and_parse,
)

from ..conftest import AS_OF, DATA, as_one_file

PAPERS = 1200  # two parse reports (base.REPORT_EVERY) and the final count
FEED = (DATA / "arxiv-rss.xml").read_bytes()


def listing(count: int, first: int = 0) -> str:
    return "".join(
        f"LGMar {1 + k % 28}, 2025\nPaper Number {k} About ThingsAnn Lee\nAn abstract on {k}.\n"
        for k in range(first, first + count)
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    path = folder / "papers.txt"
    path.write_text(listing(PAPERS), encoding="utf-8")
    return path


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read a chunk per 4 KiB, so that a small input is read in many chunks."""
    monkeypatch.setattr(sources, "CHUNK_BYTES", 4096)


def stages(seen: list[Progress]) -> list[str]:
    return [stage for stage, _ in groupby(p.stage for p in seen)]


# --- progress ----------------------------------------------------------------------


@pytest.mark.usefixtures("small_chunks")
def test_an_import_reports_bytes_then_papers_then_saving(source: Path, library_file: Path) -> None:
    seen: list[Progress] = []
    size = source.stat().st_size
    with Library.open(library_file) as library:
        report = import_into(library, str(source), as_of=AS_OF, on_progress=seen.append)
        assert len(library) == PAPERS

    assert stages(seen) == ["reading", "parsing", "saving"]
    reading = [p for p in seen if p.stage == "reading"]
    assert reading[0] == Progress("reading", 0, size)
    assert reading[-1] == Progress("reading", size, size)
    assert [p.done for p in reading] == sorted({p.done for p in reading})  # rising
    assert len(reading) == -(-size // 4096) + 1  # a report before the first chunk, one per chunk
    assert [p.papers for p in seen if p.stage == "parsing"] == [0, 500, 1000, PAPERS]
    assert seen[-1] == Progress("saving", papers=PAPERS)
    assert report.describe() == (
        f"{source}: {PAPERS} papers read (listing): {PAPERS} added, 0 updated, 0 unchanged."
    )


def test_standard_input_has_no_total(monkeypatch: pytest.MonkeyPatch) -> None:
    data = listing(3).encode()
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO(data)))
    seen: list[Progress] = []
    parsed = read_and_parse("-", as_of=AS_OF, on_progress=seen.append)
    reading = [p for p in seen if p.stage == "reading"]
    assert reading == [Progress("reading", 0, None), Progress("reading", len(data), None)]
    assert (parsed.name, len(parsed.papers)) == ("standard input", 3)


@pytest.mark.parametrize(
    "name",
    [
        "listing-sample.txt",
        "library.bib",
        "zotero.ris",
        "zotero-csl.json",
        "reading-list.csv",
        "arxiv-api.atom.xml",
        "arxiv-rss.xml",
        "readq-json",
    ],
)
def test_every_parser_reports_its_papers(
    name: str, monkeypatch: pytest.MonkeyPatch, imported_library: Path
) -> None:
    if name == "readq-json":
        with Library.open(imported_library, writable=False) as library:
            text = exporters.export(list(library), "json").decode()
    else:
        text = (DATA / name).read_text(encoding="utf-8")
    monkeypatch.setattr(base, "REPORT_EVERY", 1)
    counts: list[int] = []
    result = importers.parse(
        text, importers.detect(text, name), as_of=AS_OF, on_paper=counts.append
    )
    assert result.papers
    assert counts == list(range(1, len(result.papers) + 1))


# --- cancelling --------------------------------------------------------------------


@dataclass(frozen=True)
class CancelAt:
    name: str
    when: Callable[[Progress], bool]


CANCEL_POINTS = [
    CancelAt("reading", lambda p: p.stage == "reading" and p.done > 0),
    CancelAt("parsing", lambda p: p.stage == "parsing" and p.papers == 500),
    CancelAt("before-the-write", lambda p: p.stage == "saving"),
]


def on_disk(path: Path) -> dict[str, bytes]:
    """The library file and its journal, byte for byte."""
    files = (path, path.with_name(path.name + ".journal"))
    return {f.name: f.read_bytes() for f in files if f.exists()}


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("point", CANCEL_POINTS, ids=lambda p: p.name)
def test_a_cancelled_import_leaves_the_library_as_it_was(
    point: CancelAt, source: Path, imported_library: Path
) -> None:
    cancel = threading.Event()
    seen: list[Progress] = []

    def tell(progress: Progress) -> None:
        seen.append(progress)
        if point.when(progress):
            cancel.set()

    with Library.open(imported_library) as library:
        before, count = on_disk(imported_library), len(library)
        assert before[imported_library.name + ".journal"]  # the journal matters too
        with pytest.raises(Cancelled, match=r"^import cancelled: the library is unchanged\.$"):
            import_into(library, str(source), as_of=AS_OF, on_progress=tell, cancel=cancel)
        assert on_disk(imported_library) == before
        assert len(library) == count
    assert on_disk(imported_library) == before
    assert point.when(seen[-1])  # it stopped at the report that set the event, not later
    if point.name == "reading":
        assert seen[-1].done < source.stat().st_size
    if point.name == "parsing":
        assert not any(p.stage == "saving" for p in seen)


def test_the_app_parses_without_a_library_and_commits_later(
    source: Path, imported_library: Path
) -> None:
    parsed = read_and_parse(str(source), as_of=AS_OF)
    assert (parsed.fmt, len(parsed.papers), parsed.problems) == ("listing", PAPERS, [])
    cancel = threading.Event()
    cancel.set()  # the user gave up while the parse ran
    with Library.open(imported_library) as library:
        before = on_disk(imported_library)
        with pytest.raises(Cancelled):
            commit(library, parsed, cancel=cancel)
        assert on_disk(imported_library) == before
        report = commit(library, parsed)  # and a commit that is not cancelled writes
        assert len(report.summary.added) == PAPERS
    assert on_disk(imported_library) != before


def test_refusals_come_from_check_and_from_commit(tmp_path: Path, library_file: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text(listing(2) + "LGMar 3, 2025\nA Title Alone\n", encoding="utf-8")
    parsed = read_and_parse(str(broken), as_of=AS_OF, strict=True)
    assert parsed.problem_lines() == [f"{broken}: line 7: paper has no title or abstract line"]
    with pytest.raises(ReadqError, match="1 malformed entries and --strict was given"):
        parsed.check()
    with Library.open(library_file) as library, pytest.raises(ReadqError, match="--strict"):
        commit(library, parsed)
    assert not on_disk(library_file)


# --- exporting ---------------------------------------------------------------------


@pytest.fixture
def papers(imported_library: Path) -> list[Paper]:
    with Library.open(imported_library, writable=False) as library:
        return sorted(library, key=lambda paper: paper.id)


def test_export_takes_the_format_from_the_extension(papers: list[Paper], tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    seen: list[Progress] = []
    assert export_to(papers, target, on_progress=seen.append) == len(papers)
    data = target.read_bytes()
    assert data == exporters.export(papers, "bibtex")
    assert {p.stage for p in seen} == {"writing"}
    assert seen[-1] == Progress("writing", len(data), len(data), papers=len(papers))
    with pytest.raises(ReadqError, match=r"cannot tell the format of out\.xyz"):
        export_to(papers, tmp_path / "out.xyz")


def test_export_refuses_an_existing_file_unless_forced(papers: list[Paper], tmp_path: Path) -> None:
    target = tmp_path / "mine.json"
    target.write_text("my own file", encoding="utf-8")
    with pytest.raises(TargetExists, match=r"mine\.json exists; use --force to overwrite it\.$"):
        export_to(papers, target)
    assert target.read_text(encoding="utf-8") == "my own file"
    assert export_to(papers, target, fmt="ris", force=True) == len(papers)
    assert target.read_bytes() == exporters.export(papers, "ris")


def test_a_cancelled_export_writes_nothing(papers: list[Paper], tmp_path: Path) -> None:
    cancel = threading.Event()
    target = tmp_path / "out.csv"
    with pytest.raises(Cancelled, match="export cancelled: nothing was written"):
        export_to(papers, target, on_progress=lambda _: cancel.set(), cancel=cancel)
    assert not list(tmp_path.glob("*out.csv*"))  # neither the file nor a temporary one


# --- downloads ---------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: a body without Content-Length ends when the server closes.
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if self.path == "/with-length":
            self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(("path", "total"), [("/with-length", len(FEED)), ("/unsaid", None)])
def test_a_download_reports_its_bytes(
    path: str, total: int | None, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "CHUNK_BYTES", 512)
    seen: list[Progress] = []
    parsed = read_and_parse(server + path, as_of=AS_OF, on_progress=seen.append)
    reading = [p for p in seen if p.stage == "reading"]
    assert {p.total for p in reading} == {total}
    assert reading[0].done == 0 and reading[-1].done == len(FEED)
    assert len(reading) > 2  # read in chunks, not whole
    assert (parsed.fmt, len(parsed.papers)) == ("arxiv-rss", 3)


def test_a_download_can_be_cancelled(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "CHUNK_BYTES", 512)
    cancel = threading.Event()
    seen: list[Progress] = []

    def tell(progress: Progress) -> None:
        seen.append(progress)
        if progress.done:
            cancel.set()

    with pytest.raises(Cancelled):
        read_and_parse(f"{server}/with-length", as_of=AS_OF, on_progress=tell, cancel=cancel)
    assert seen[-1].stage == "reading" and 0 < seen[-1].done < len(FEED)


# --- loading the library -----------------------------------------------------------


class Recording(LoadProgress):
    """A LoadProgress that remembers every value it was given."""

    def __init__(self) -> None:
        super().__init__()
        self.__dict__["history"] = []

    def __setattr__(self, name: str, value: int) -> None:
        self.__dict__.setdefault("history", []).append((name, value))
        super().__setattr__(name, value)


def _base(library: Path) -> Path:
    """The segment that holds every paper (segments.py)."""
    manifest = segments.read_manifest(library)
    assert manifest is not None
    return segments.folder(library) / manifest.segments[0]


@pytest.fixture
def big_library(library_file: Path) -> Path:
    with Library.open(library_file) as library:
        library.add_many(importers.parse(listing(2500), "listing", as_of=AS_OF).papers)
    return library_file


@pytest.mark.parametrize("writable", [False, True])
def test_load_progress_reaches_the_end(big_library: Path, writable: bool) -> None:
    progress = Recording()
    with Library.open(big_library, writable=writable, progress=progress) as library:
        assert progress.done == progress.total == _base(big_library).stat().st_size
        assert progress.papers == len(library) == 2500
    history: list[tuple[str, int]] = progress.__dict__["history"]
    assert [v for name, v in history if name == "papers"] == [0, 1000, 2000, 2500]
    dones = [v for name, v in history if name == "done"]
    assert dones == sorted(dones) and 0 < dones[1] < dones[2] < progress.total


def test_load_progress_of_a_library_read_whole(big_library: Path) -> None:
    # One long line, as an older readq wrote it: read whole, not a paper at a time.
    one_file = as_one_file(big_library)
    one_file.write_bytes(orjson.dumps(orjson.loads(one_file.read_bytes())))
    progress = LoadProgress()
    with Library.open(big_library, writable=False, progress=progress) as library:
        assert progress.done == progress.total == big_library.stat().st_size
        assert progress.papers == len(library) == 2500
        assert progress.fraction == 1.0


def test_load_progress_of_a_library_not_yet_made(library_file: Path) -> None:
    progress = LoadProgress()
    with Library.open(library_file, writable=False, progress=progress) as library:
        assert len(library) == 0
    assert (progress.done, progress.total, progress.papers, progress.fraction) == (0, 0, 0, 0.0)
