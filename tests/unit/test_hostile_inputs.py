"""Hostile inputs through the real CLI: ``readq --db LIB import FILE`` in a child process.

Every fixture in tests/data/hostile/ (see its README.md) and a set of big
inputs generated here into tmp_path are imported into a library that already
holds the sample listing. Whatever the input, readq must:

* exit 0 (imported) or 2 (refused), with no traceback, and every stderr line
  a single ``readq: ...`` or ``FILE: ...`` message free of terminal controls;
* on exit 2 leave the library file and its journal byte-identical;
* on exit 0 store only clean text: no C0 control but newline and tab, no ESC,
  no C1 control, no bidi embedding, override or isolate, no invisible
  character sanitize.py promises to remove, no lone surrogate (checked on
  ``readq export --format json``); markup such as ``[@click=app.quit]`` is
  stored literally, as text, for the interface to escape when it shows it.

The child runs under resource limits (address space and CPU time, see
``_limits``), so a blow-up shows as a kill or a MemoryError (an exit that is
neither 0 nor 2) rather than as a slow test: nothing here times the machine.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..conftest import DATA

HOSTILE = DATA / "hostile"
NOT_FIXTURES = frozenset({"README.md", "generate.py"})
READQ = [sys.executable, "-m", "readq"]
AS_OF = "2026-11-29"
SAMPLE = DATA / "listing-sample.txt"

# Limits for every child: a blow-up is a non-0/2 exit, not a hang or an OOM kill
# of the whole test run. Generous for inputs of these sizes.
MEMORY_LIMIT = 2 * 2**30
CPU_SECONDS = 60
WALL_SECONDS = 600  # a safety net for a child that sleeps or blocks; never reached normally

MARKUP = "[bold]B[/bold][/][@click=app.quit]Q[/][link=https://evil.example/x]L[/link]"
CLICK = "[@click=app.quit]"
EMOJI_ZWJ = "\U0001f469\u200d\U0001f4bb"  # the joiner is legitimate and must survive

# What must never be stored: C0 but \t and \n, DEL, C1, ALM, ZWSP, LRM, RLM,
# bidi embeddings/overrides (U+202A-202E), word joiner, isolates (U+2066-2069),
# BOM, and lone surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e"
    "\u2060\u2066-\u2069\ufeff\ud800-\udfff]"
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PASSWD_LEAK = "root:x:0:0"

# What each stored fixture must do: "import" (exit 0), "refuse" (exit 2) or
# "either". A new fixture must be added here and to the README.
EXPECTED = {
    "bidi.atom.xml": "import",
    "bidi.bib": "import",
    "bidi.csl.json": "import",
    "bidi.csv": "import",
    "bidi.readq.json": "import",
    "bidi.ris": "import",
    "bidi.rss.xml": "import",
    "bidi.txt": "import",
    "billion-laughs.atom.xml": "refuse",
    "bom.csv": "import",
    "bom.readq.json": "import",
    "bom.txt": "import",
    "controls-first-header.txt": "either",
    "controls-raw-esc.atom.xml": "refuse",
    "controls.atom.xml": "import",
    "controls.bib": "import",
    "controls.csl.json": "import",
    "controls.csv": "import",
    "controls.readq.json": "import",
    "controls.ris": "import",
    "controls.rss.xml": "import",
    "controls.txt": "import",
    "cp1252.csv": "refuse",
    "cp1252.txt": "refuse",
    "double-bom.csv": "either",
    "empty.txt": "refuse",
    "encoding-lie.atom.xml": "either",
    "external-dtd.atom.xml": "refuse",
    "fake.pdf": "refuse",
    "formulas.csv": "import",
    "markup.atom.xml": "import",
    "markup.bib": "import",
    "markup.csl.json": "import",
    "markup.csv": "import",
    "markup.readq.json": "import",
    "markup.ris": "import",
    "markup.rss.xml": "import",
    "markup.txt": "import",
    "nul-escaped.csl.json": "import",
    "nul-escaped.readq.json": "import",
    "nul-raw.txt": "refuse",
    "numbers-5000-digits.csl.json": "either",
    "numbers-5000-digits.readq.json": "either",
    "numbers-huge-int-score.readq.json": "either",
    "numbers-inf-priority.readq.json": "either",
    "numbers-inf-version.readq.json": "either",
    "numbers-u64-version.readq.json": "either",
    "pdf-magic-then-listing.txt": "refuse",
    "surrogate-bytes.txt": "refuse",
    "surrogate-charref.atom.xml": "refuse",
    "surrogates.csl.json": "import",
    "surrogates.readq.json": "import",
    "unbalanced-quote.csv": "either",
    "utf16-bom.csv": "refuse",
    "whitespace-only.txt": "refuse",
    "xinclude.atom.xml": "either",
    "xxe-file.atom.xml": "refuse",
    "xxe-http.rss.xml": "refuse",
    "xxe-parameter.atom.xml": "refuse",
}

# File kind by name ending, most specific first.
KINDS = (
    (".readq.json", "readq"),
    (".csl.json", "csl"),
    (".atom.xml", "atom"),
    (".rss.xml", "rss"),
    (".txt", "listing"),
    (".csv", "csv"),
    (".bib", "bibtex"),
    (".ris", "ris"),
)

# The fields each format's markup fixture fills with markup, as stored.
MARKUP_FIELDS = {
    "listing": ("title", "abstract"),
    "csv": ("title", "authors", "abstract", "tags", "notes"),
    "atom": ("title", "authors", "orgs", "abstract", "venue"),
    "rss": ("title", "authors", "abstract", "venue"),
    "readq": ("title", "authors", "orgs", "abstract", "venue", "citation_key", "notes", "tags"),
    "bibtex": ("title", "authors", "abstract", "venue", "tags"),
    "ris": ("title", "authors", "abstract", "venue", "tags", "notes", "citation_key"),
    "csl": ("title", "authors", "abstract", "venue", "tags", "citation_key"),
}


def kind_of(name: str) -> str:
    return next((kind for ending, kind in KINDS if name.endswith(ending)), "other")


def stored_fixtures() -> list[str]:
    return sorted(p.name for p in HOSTILE.iterdir() if p.name not in NOT_FIXTURES)


# --- running readq -------------------------------------------------------------------


def _limits(cpu_seconds: int) -> Callable[[], None]:
    def apply() -> None:
        for limit, value in (
            (resource.RLIMIT_AS, MEMORY_LIMIT),
            (resource.RLIMIT_CPU, cpu_seconds),
            (resource.RLIMIT_CORE, 0),  # SIGXCPU would dump core into the cwd
        ):
            _, hard = resource.getrlimit(limit)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(limit, (value, hard))

    return apply


@dataclass(frozen=True)
class Run:
    code: int
    out: bytes
    err: str


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "READQ_DB"}
    env.update(
        HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config")
    )
    return env


def readq(library: Path, *args: str, cpu_seconds: int = CPU_SECONDS) -> Run:
    home = library.parent
    finished = subprocess.run(
        [*READQ, "--db", str(library), *args],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        cwd=home,
        env=_env(home),
        preexec_fn=_limits(cpu_seconds),
        timeout=WALL_SECONDS,
        check=False,
    )
    return Run(finished.returncode, finished.stdout, finished.stderr.decode("utf-8", "replace"))


def export_json(library: Path) -> list[dict[str, Any]]:
    run = readq(library, "export", "--format", "json")
    assert run.code == 0, run.err[-2000:]
    assert "Traceback" not in run.err
    document = json.loads(run.out)  # bytes: invalid UTF-8 fails here
    papers: list[dict[str, Any]] = document["papers"]
    return papers


def _snapshot(library: Path) -> dict[str, bytes | None]:
    files = (library, library.with_name(library.name + ".journal"))
    return {f.name: f.read_bytes() if f.exists() else None for f in files}


@pytest.fixture(scope="module")
def base_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, frozenset[int]]:
    """A library folder holding the sample listing, and the ids in it."""
    folder = tmp_path_factory.mktemp("base-library")
    library = folder / "library.json"
    run = readq(library, "import", str(SAMPLE), "--as-of", AS_OF)
    assert run.code == 0, run.err
    ids = frozenset(p["id"] for p in export_json(library))
    assert len(ids) == 12
    return folder, ids


@pytest.fixture
def library(tmp_path: Path, base_library: tuple[Path, frozenset[int]]) -> Path:
    folder = tmp_path / "home"
    shutil.copytree(base_library[0], folder)
    return folder / "library.json"


@dataclass(frozen=True)
class Outcome:
    run: Run
    papers: list[dict[str, Any]]  # after the import; empty when it was refused
    new: list[dict[str, Any]]  # papers the import added


def import_and_check(
    source: Path,
    library: Path,
    base_ids: frozenset[int],
    cpu_seconds: int = CPU_SECONDS,
    command: str = "import",
) -> Outcome:
    """Import (or merge) ``source``; check what must hold whatever the input."""
    before = _snapshot(library)
    args = (
        ("import", str(source), "--as-of", AS_OF) if command == "import" else (command, str(source))
    )
    run = readq(library, *args, cpu_seconds=cpu_seconds)
    shown = run.err[-3000:]
    assert run.code in (0, 2), (
        f"exit {run.code}, not 0 or 2 (negative: killed by that signal):\n{shown}"
    )
    assert "Traceback" not in run.err, shown
    _check_messages(run.err, source)
    assert PASSWD_LEAK.encode() not in run.out and PASSWD_LEAK not in run.err
    if run.code == 2:
        assert _snapshot(library) == before, "a refused import changed the library"
        assert any(line.startswith("readq: ") for line in run.err.splitlines()), shown
        return Outcome(run, [], [])
    papers = export_json(library)
    for paper in papers:
        for where, text in _strings(paper):
            bad = FORBIDDEN.search(text)
            assert bad is None, (
                f"paper {paper['id']} {where} holds U+{ord(bad.group()):04X}: {text[:200]!r}"
            )
            assert PASSWD_LEAK not in text
    new = [p for p in papers if p["id"] not in base_ids]
    return Outcome(run, papers, new)


def _check_messages(err: str, source: Path) -> None:
    """Each stderr line is one whole message, prefixed, with no terminal controls."""
    prefixes = ("readq: ", f"{source}: ")
    for line in err.splitlines():
        if not line:
            continue
        assert line.startswith(prefixes), f"stderr line is not a message of its own: {line!r}"
        bad = FORBIDDEN.search(line.replace("\t", " "))
        assert bad is None, f"stderr holds U+{ord(bad.group()):04X}: {line[:200]!r}"


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{where} key", str(key)
            yield from _strings(item, f"{where}.{key}")


def _field_text(paper: dict[str, Any], name: str) -> str:
    value = paper.get(name)
    return "\n".join(value) if isinstance(value, list) else str(value or "")


# --- the stored fixtures ---------------------------------------------------------------


def test_every_fixture_has_an_expectation_and_a_readme_entry() -> None:
    names = stored_fixtures()
    assert sorted(EXPECTED) == names
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    missing = [name for name in names if f"`{name}`" not in readme]
    assert not missing, f"not described in README.md: {missing}"


@pytest.mark.parametrize("name", stored_fixtures())
def test_stored_fixture(
    name: str, library: Path, base_library: tuple[Path, frozenset[int]]
) -> None:
    outcome = import_and_check(HOSTILE / name, library, base_library[1])
    expected = EXPECTED[name]
    if expected == "refuse":
        assert outcome.run.code == 2, outcome.run.out
        return
    if expected == "import":
        assert outcome.run.code == 0, f"{name} was refused:\n{outcome.run.err[-2000:]}"
    if outcome.run.code != 0:
        return
    assert outcome.new, "exit 0 but no paper was added"
    stem = name.split(".", 1)[0]
    if stem == "markup":
        _check_markup_kept(name, outcome.new)
    elif stem == "controls":
        titles = [p["title"] for p in outcome.new]
        assert any("In The Title" in t for t in titles), f"text around the controls lost: {titles}"
    elif stem == "bidi":
        assert all(EMOJI_ZWJ in p["title"] for p in outcome.new), "a legitimate ZWJ was removed"
    elif stem == "surrogates":
        assert all("\U0001f600" in p["title"] for p in outcome.new), "a valid pair was damaged"
    elif name == "formulas.csv":
        _check_csv_export_neutralised(library)


def _check_markup_kept(name: str, new: list[dict[str, Any]]) -> None:
    for paper in new:
        assert MARKUP in paper["title"], f"markup not kept literally: {paper['title']!r}"
        for field in MARKUP_FIELDS[kind_of(name)]:
            assert CLICK in _field_text(paper, field), f"{field}: {paper.get(field)!r}"


def _check_csv_export_neutralised(library: Path) -> None:
    """The formulas were imported as text; a CSV export must not hand them to a spreadsheet."""
    import csv
    import io

    run = readq(library, "export", "--format", "csv")
    assert run.code == 0, run.err
    rows = list(csv.reader(io.StringIO(run.out.decode("utf-8"), newline="")))
    live = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert not live, f"formula cells in the CSV export: {live[:5]}"


@pytest.mark.parametrize("name", [n for n in stored_fixtures() if kind_of(n) == "readq"])
def test_merge_of_stored_readq_fixture(
    name: str, library: Path, base_library: tuple[Path, frozenset[int]]
) -> None:
    """``readq merge`` reads the same files as another machine's export: the same rules hold."""
    outcome = import_and_check(HOSTILE / name, library, base_library[1], command="merge")
    if EXPECTED[name] == "import":
        assert outcome.run.code == 0, outcome.run.err[-2000:]
        assert outcome.new


# --- big and generated inputs ---------------------------------------------------------

MB = 10**6
HEADER = "LGMar 3, 2025Code"


def _write_text(path: Path, parts: Iterator[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for part in parts:
            handle.write(part)


def gen_abstract_line(path: Path) -> None:
    """A listing entry whose abstract is one 50 MB line."""
    _write_text(path, iter([f"{HEADER}\nHuge Abstract PaperAnn Lee\n", "word " * (10 * MB), "\n"]))


def gen_title_line(path: Path) -> None:
    """A listing entry whose title line is 50 MB of capitalised words (split candidates)."""
    _write_text(path, iter([f"{HEADER}\n", "Word " * (10 * MB), "Ann Lee, Bo Park\nabstract\n"]))


def gen_no_newline(path: Path) -> None:
    """50 MB and not a single line end."""
    path.write_bytes(b"x" * (50 * MB))


def gen_csv_huge_cell(path: Path) -> None:
    """A CSV row whose abstract cell (50 MB) is past csv_import.MAX_FIELD."""
    _write_text(
        path,
        iter(
            [
                "title,authors,abstract\r\nGood Row Before,Ann Lee,fine\r\n",
                'Huge Cell Row,Bo Park,"',
                "cell " * (10 * MB),
                '"\r\nGood Row After,Cy Doe,fine\r\n',
            ]
        ),
    )


def gen_listing_100k(path: Path) -> None:
    """100,000 tiny listing entries, each title carrying an escape sequence."""
    _write_text(
        path,
        (
            f"{HEADER}\nPaper {i} On \x1b[31mThings\x1b[0mAnn Lee, Bo Park\nAbstract {i}.\n"
            for i in range(100_000)
        ),
    )


def gen_csv_100k(path: Path) -> None:
    """100,000 tiny CSV rows, each with a formula cell and a C1 control."""
    _write_text(
        path,
        iter(
            ["title,authors,abstract,notes\r\n"]
            + [f"Paper {i} On\x9b31m Things,Ann Lee,=1+{i},@SUM(A{i})\r\n" for i in range(100_000)]
        ),
    )


def gen_readq_100k(path: Path) -> None:
    """A readq export of 100,000 tiny papers with escaped controls and surrogates."""
    papers = (
        json.dumps({"title": f"Paper {i} \x1b]0;t\x07\ud800", "tags": [f"t{i % 7}\u202e"]})
        for i in range(100_000)
    )
    body = ",\n".join(papers)
    path.write_text(f'{{"format": "readq", "version": 1, "papers": [\n{body}\n]}}\n', "utf-8")


def gen_nested_readq(path: Path) -> None:
    """A readq export whose papers list is nested 200,000 deep."""
    depth = 200_000
    path.write_text('{"format":"readq","version":1,"papers":' + "[" * depth + "]" * depth + "}")


def gen_nested_readq_field(path: Path) -> None:
    """One readq paper whose notes are an object nested 200,000 deep."""
    depth = 200_000
    nested = '{"a":' * depth + "1" + "}" * depth
    path.write_text(
        '{"format":"readq","version":1,"papers":[{"title":"x","notes":' + nested + "}]}"
    )


def gen_nested_csl(path: Path) -> None:
    """A CSL-JSON item whose author list is nested 200,000 deep."""
    depth = 200_000
    nested = "[" * depth + "]" * depth
    path.write_text('[{"type":"article","title":"Deep","author":' + nested + "}]")


def gen_nested_xml(path: Path) -> None:
    """An arXiv Atom entry whose title holds elements nested 200,000 deep."""
    depth = 200_000
    feed = (HOSTILE / "markup.atom.xml").read_text(encoding="utf-8")
    deep = "<b>" * depth + "Deep" + "</b>" * depth
    path.write_text(feed.replace("<title>Markup", f"<title>{deep} Markup", 1), "utf-8")


def gen_c1_flood(path: Path) -> None:
    """An abstract of 200,000 8-bit OSC introducers (U+009D), none of them terminated.

    A sanitizer that looks for each one's terminator to the end of the text
    takes quadratic time: some 10^11 steps here.
    """
    abstract = "\x9dword " * 200_000
    _write_text(path, iter([f"{HEADER}\nC1 Flood PaperAnn Lee\n", abstract, "\n"]))


def gen_nul_after_64k(path: Path) -> None:
    """A valid listing of some 70 KB with one NUL byte after the first 64 KiB."""
    entry = f"{HEADER}\nA Paper About ThingsAnn Lee\n{'word ' * 100}\n"
    text = entry * (70_000 // len(entry) + 1)
    path.write_bytes(text.encode() + b"\x00" + entry.encode())


def gen_over_size_cap(path: Path) -> None:
    """A (sparse) file one byte over the 256 MiB input cap."""
    with path.open("wb") as handle:
        handle.write(b"LGMar 3, 2025\n")
        handle.truncate(256 * 2**20 + 1)


@dataclass(frozen=True)
class Big:
    name: str
    write: Callable[[Path], None]
    expected: str
    slow: bool = False
    cpu_seconds: int = CPU_SECONDS


BIG = (
    Big("line-50mb-abstract.txt", gen_abstract_line, "import"),
    Big("line-50mb-title.txt", gen_title_line, "import"),
    Big("line-50mb-no-newline.txt", gen_no_newline, "refuse"),
    Big("line-50mb-cell.csv", gen_csv_huge_cell, "import"),
    Big("entries-100k.txt", gen_listing_100k, "import", slow=True),
    Big("rows-100k.csv", gen_csv_100k, "import", slow=True),
    Big("papers-100k.readq.json", gen_readq_100k, "import", slow=True),
    Big("nested-papers.readq.json", gen_nested_readq, "refuse"),
    Big("nested-field.readq.json", gen_nested_readq_field, "refuse"),
    Big("nested-author.csl.json", gen_nested_csl, "either"),
    Big("nested-title.atom.xml", gen_nested_xml, "import"),
    # 10 s of CPU: a linear sanitizer needs well under one for 1.2 MB.
    Big("c1-flood.txt", gen_c1_flood, "import", cpu_seconds=10),
    Big("nul-after-64k.txt", gen_nul_after_64k, "refuse"),
    Big("over-size-cap.txt", gen_over_size_cap, "refuse"),
)


@pytest.mark.parametrize(
    "big", [pytest.param(b, id=b.name, marks=[pytest.mark.slow] if b.slow else []) for b in BIG]
)
def test_big_generated_input(
    big: Big, library: Path, tmp_path: Path, base_library: tuple[Path, frozenset[int]]
) -> None:
    source = tmp_path / big.name
    big.write(source)
    outcome = import_and_check(source, library, base_library[1], cpu_seconds=big.cpu_seconds)
    source.unlink()
    if big.expected == "refuse":
        assert outcome.run.code == 2, outcome.run.out
    elif big.expected == "import":
        assert outcome.run.code == 0, outcome.run.err[-2000:]
        assert outcome.new


# --- external entities that would reach out, caught in the act --------------------


def test_external_entities_are_never_fetched(
    library: Path, tmp_path: Path, base_library: tuple[Path, frozenset[int]]
) -> None:
    """Entities pointing at a live local listener and a secret file: neither is touched."""
    secret = tmp_path / "secret.txt"
    token = "SECRET-TOKEN-4f1c2b"
    secret.write_text(token, encoding="utf-8")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    try:
        atom = (HOSTILE / "xxe-file.atom.xml").read_text(encoding="utf-8")
        rss = (HOSTILE / "xxe-http.rss.xml").read_text(encoding="utf-8")
        variants = {
            "xxe-live-file.atom.xml": atom.replace("file:///etc/passwd", secret.as_uri()),
            "xxe-live-http.rss.xml": rss.replace("127.0.0.1:9", f"127.0.0.1:{port}"),
            "xxe-live-dtd.atom.xml": (HOSTILE / "external-dtd.atom.xml")
            .read_text(encoding="utf-8")
            .replace("127.0.0.1:9", f"127.0.0.1:{port}"),
            "xinclude-live.atom.xml": (HOSTILE / "xinclude.atom.xml")
            .read_text(encoding="utf-8")
            .replace("file:///etc/passwd", secret.as_uri()),
        }
        for name, text in variants.items():
            source = tmp_path / name
            source.write_text(text, encoding="utf-8")
            outcome = import_and_check(source, library, base_library[1])
            assert token.encode() not in outcome.run.out and token not in outcome.run.err
            assert all(token not in s for p in outcome.papers for _, s in _strings(p)), name
            with pytest.raises(BlockingIOError):
                listener.accept()
    finally:
        listener.close()


# --- a hostile file name -----------------------------------------------------------


def test_hostile_file_name_is_not_echoed_raw(library: Path, tmp_path: Path) -> None:
    """readq prints the file's name in every message: an OSC, a BEL, a bidi override
    and a newline in the name must neither reach the terminal nor forge a message line."""
    name = "evil\x1b]0;pwned\x07\nreadq: forged line\u202e.txt"
    source = tmp_path / name
    source.write_text(
        f"{HEADER}\nA Named Paper About ThingsAnn Lee\nAn abstract.\nnot a header\n",
        encoding="utf-8",
    )
    run = readq(library, "import", str(source), "--as-of", AS_OF)
    assert run.code in (0, 2), run.err
    assert "Traceback" not in run.err
    for stream in (run.err, run.out.decode("utf-8", "replace")):
        for line in stream.splitlines():
            bad = FORBIDDEN.search(line.replace("\t", " "))
            assert bad is None, f"U+{ord(bad.group()):04X} in {line!r}"
            assert not line.startswith("readq: forged line"), f"forged message line: {line!r}"
