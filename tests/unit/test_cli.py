"""The command line, end to end through main(): output, exit codes, the library on disk."""

from __future__ import annotations

import gc
import io
import json
import sys
from pathlib import Path

import pytest

from readq import __version__

from ..conftest import run

DATA = Path(__file__).parent.parent / "data"
SAMPLE = str(DATA / "listing-sample.txt")


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], library_file: Path) -> Path:
    code, out, _ = run(capsys, "import", SAMPLE, "--as-of", "2026-11-29")
    assert code == 0
    assert "12 added, 0 updated, 0 unchanged" in out
    return library_file


def export(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "export", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["format"], document["version"]) == ("readq", 1)
    return document["papers"]  # type: ignore[no-any-return]


def test_export_reproduces_the_expected_fields(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = json.loads((DATA / "listing-sample.expected.json").read_text(encoding="utf-8"))
    papers = export(capsys)
    assert [p["id"] for p in papers] == list(range(1, 13))
    for paper, want in zip(papers, expected, strict=True):
        assert {key: paper[key] for key in want} == want
        assert paper["status"] == "unread" and paper["priority"] == 0
        assert {"url", "arxiv_id", "doi", "notes", "tags", "added_at", "read_at"} <= set(paper)


def test_state_set_through_the_cli_survives_reimport(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "mark", "1", "2", "read")[0] == 0
    assert run(capsys, "priority", "3", "2")[0] == 0
    assert run(capsys, "note", "3", "--set", "first")[0] == 0
    assert run(capsys, "note", "3", "--append", "second")[0] == 0
    assert run(capsys, "tag", "3", "4", "+ml", "+to-read")[0] == 0
    assert run(capsys, "tag", "4", "-ml")[0] == 0
    code, out, _ = run(capsys, "import", SAMPLE, "--as-of", "2026-11-29")
    assert (code, "0 added, 0 updated, 12 unchanged" in out) == (0, True)
    papers = {p["id"]: p for p in export(capsys)}
    assert papers[1]["status"] == papers[2]["status"] == "read"
    assert papers[3]["priority"] == 2
    assert papers[3]["notes"] == "first\n\nsecond"
    assert (papers[3]["tags"], papers[4]["tags"]) == (["ml", "to-read"], ["to-read"])


def test_list_filters_sorts_and_prints_json(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "mark", "1", "read")
    run(capsys, "priority", "5", "6", "3")
    run(capsys, "tag", "6", "+robots")
    code, out, _ = run(capsys, "list", "--status", "unread", "--min-priority", "3", "--json")
    assert code == 0
    assert [p["id"] for p in json.loads(out)] == [6, 5]  # newer publication first
    _, out, _ = run(capsys, "list", "--tag", "robots", "--json")
    assert [p["id"] for p in json.loads(out)] == [6]
    _, out, _ = run(capsys, "list", "--search", "fog NERF", "--json")
    assert [p["title"] for p in json.loads(out)] == ["Seeing Through Fog with Polarized NeRFs"]
    _, out, _ = run(capsys, "list", "--sort", "title")
    assert out.splitlines()[0].split()[0] == "9"  # "BM25 Strikes Back" sorts first
    _, out, _ = run(capsys, "list", "--status", "read")
    assert len(out.splitlines()) == 1


def test_show_prints_the_paper(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "11")
    assert code == 0
    assert "[Re] Reproducing Dropout Schedules in [bold]Small[/bold] Networks" in out
    code, out, _ = run(capsys, "show", "11", "--json")
    assert json.loads(out)["id"] == 11


def test_stats_and_path(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "mark", "1", "read")
    code, out, _ = run(capsys, "stats")
    assert code == 0 and "unread:   11" in out
    assert run(capsys, "path")[1].strip() == str(imported)


def _stamp(when: str) -> str:
    """A user-state mark's clock stamp (hlc.py) at ``when``, machine ``laptop``."""
    return f"{when[:19]}.000Z 0000 laptop"


# Four papers whose days are all known, in readq's JSON: the weeks to 2026-11-29
# are 11-02..08, 11-09..15, 11-16..22 and 11-23..29.
_DATED_PAPERS = [
    {
        "title": "Read two days after it came",
        "authors": ["Ada Lovelace", "Bo Chen"],
        "category": "LG",
        "added_at": "2026-11-03T09:00:00Z",
        "status": "read",
        "read_at": "2026-11-05T09:00:00Z",
        "changed_at": {"status:read": _stamp("2026-11-05T09:00:00Z")},
    },
    {
        "title": "Given a priority and a tag",
        "authors": ["Ada Lovelace"],
        "category": "LG",
        "added_at": "2026-11-10T09:00:00Z",
        "priority": 2,
        "tags": ["moe"],
        "changed_at": {
            "priority:2": _stamp("2026-11-12T09:00:00Z"),
            "tag:moe": _stamp("2026-11-12T09:00:00Z"),
        },
    },
    {
        "title": "Still waiting",
        "authors": ["[red]Mallory[/red] Hacker"],
        "category": "CV",
        "added_at": "2026-11-24T09:00:00Z",
    },
    {
        "title": "Read four days after it came",
        "added_at": "2026-11-25T09:00:00Z",
        "status": "read",
        "read_at": "2026-11-29T09:00:00Z",
    },
]


@pytest.fixture
def dated(tmp_path: Path, capsys: pytest.CaptureFixture[str], library_file: Path) -> Path:
    source = tmp_path / "dated.json"
    document = {"format": "readq", "version": 1, "papers": _DATED_PAPERS}
    source.write_text(json.dumps(document), encoding="utf-8")
    assert run(capsys, "import", str(source))[0] == 0
    return library_file


def test_stats_plot_prints_the_weeks_numbers(
    dated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, "stats", "--plot", "--weeks", "4", "--as-of", "2026-11-29")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Reading stats: 4 weeks, 2026-11-02 to 2026-11-29 (4 papers)"
    assert "Papers per week: arrived 4 · triaged 3 · read 2 · last week 2 / 1 / 1" in lines
    assert "Unread backlog: 2 unread now · 4 weeks ago: 0 (+2)" in lines
    assert "Days from arrival to read: median 3.0 days · 2 papers read in these 4 weeks" in lines
    assert "week starting" in out and "11-23" in out  # the plots' axes
    top = lines.index(next(line for line in lines if line.startswith("Top categories")))
    assert lines[top + 1].split() == ["2", "LG", "1", "moe", "2", "Ada", "Lovelace"]
    assert "1 [red]Mallory[/red] H…" in out  # as it is, cut to its column
    assert "\x1b" not in out  # a pipe gets no colour
    assert max(len(line) for line in lines) <= 80


def test_stats_plot_puts_two_panels_to_a_row_when_wide(
    dated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    code, out, _ = run(capsys, "stats", "--plot", "--weeks", "4", "--as-of", "2026-11-29")
    assert code == 0
    first = next(line for line in out.splitlines() if line.startswith("Papers per week"))
    assert "Unread backlog: 2 unread now" in first
    assert max(len(line) for line in out.splitlines()) <= 160


def test_stats_without_plot_is_as_it_was(dated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats")
    assert code == 0 and out.splitlines()[:3] == ["papers:   4", "unread:   2", "read:     2"]
    assert "Reading stats" not in out
    code, _, err = run(capsys, "stats", "--weeks", "3")
    assert code == 2 and "--weeks and --as-of go with --plot" in err
    code, _, err = run(capsys, "stats", "--plot", "--weeks", "0")
    assert code == 2 and "--weeks wants a number from 1 to 520" in err
    code, _, err = run(capsys, "stats", "--plot", "--as-of", "29/11/2026")
    assert code == 2 and "--as-of wants a date" in err


def test_db_option_overrides_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "elsewhere" / "lib.json"
    assert run(capsys, "--db", str(other), "import", SAMPLE, "--as-of", "2026-11-29")[0] == 0
    assert run(capsys, "list", "--db", str(other))[1].count("\n") == 12
    assert other.exists()
    folder = tmp_path / "folder"
    folder.mkdir()
    assert run(capsys, "--db", str(folder), "path")[1].strip() == str(folder / "library.json")


def test_import_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (DATA / "listing-sample.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "import", "-", "--as-of", "2026-11-29")
    assert code == 0 and "12 added" in out


@pytest.mark.parametrize("source", [SAMPLE, "missing.txt"])
def test_the_garbage_collector_is_back_on_after_an_import(
    capsys: pytest.CaptureFixture[str], source: str
) -> None:
    run(capsys, "import", source, "--as-of", "2026-11-29")
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n\x00\x01binary", "binary"),
        ("CLMar 3, 2025\nCaf\xe9 CultureAda Lovelace\nAbstract.\n".encode("cp1252"), "UTF-8"),
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"just some notes\nthat are not a listing\n", "not in a format"),
    ],
)
def test_bad_files_fail_cleanly_and_leave_the_library_byte_identical(
    imported: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    message: str,
) -> None:
    before = imported.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert imported.read_bytes() == before


def test_strict_writes_nothing_when_an_entry_is_malformed(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = imported.read_bytes()
    malformed = str(DATA / "listing-malformed.txt")
    code, _, err = run(capsys, "import", malformed, "--as-of", "2026-11-29", "--strict")
    assert code == 2 and "--strict" in err
    assert imported.read_bytes() == before
    code, out, err = run(capsys, "import", malformed, "--as-of", "2026-11-29")
    assert code == 0
    assert "6 papers read" in out
    assert "line 5:" in err and "line 23: warning:" in err


def test_hostile_text_is_cleaned_on_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "CLMar 3, 2025\n[b]Bold\x1b[31m[/] Title\u202eAda Lovelace\n"
        "Abstract \x1b]52;c;ZXZpbA==\x07with \x9b2J escapes.\n",
        encoding="utf-8",
    )
    assert run(capsys, "import", str(hostile))[0] == 0
    (paper,) = export(capsys)
    assert paper["title"] == "[b]Bold[/] Title"
    assert paper["authors"] == ["Ada Lovelace"]
    assert paper["abstract"] == "Abstract with escapes."


@pytest.mark.parametrize(
    "argv",
    [
        ["mark", "1", "maybe"],
        ["mark", "x", "read"],
        ["mark", "99", "read"],
        ["priority", "1", "7"],
        ["show", "abc"],
        ["tag", "1"],
        ["import", "no-such-file.txt"],
        ["import", SAMPLE, "--as-of", "yesterday"],
        ["list", "--sort", "nonsense"],
        ["frobnicate"],
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(
    imported: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = imported.read_bytes()
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert imported.read_bytes() == before


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert __version__ in run(capsys, "--version")[1]
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("import", "list", "show", "mark", "priority", "note", "tag", "stats", "export"):
        assert command in out


def test_export_never_overwrites_without_force(
    imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    target.write_text("keep me")
    assert run(capsys, "export", "-o", str(target))[0] == 2
    assert target.read_text() == "keep me"
    assert run(capsys, "export", "-o", str(target), "--force")[0] == 0
    assert len(json.loads(target.read_text())["papers"]) == 12


def test_note_opens_the_editor(
    imported: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "written in the editor" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    assert run(capsys, "note", "2")[0] == 0
    assert {p["id"]: p for p in export(capsys)}[2]["notes"] == "written in the editor"


def test_delete_hides_papers_and_undelete_brings_them_back(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "note", "2", "--set", "keep this")[0] == 0
    code, out, _ = run(capsys, "delete", "2", "3")
    assert code == 0 and "deleted 2 papers" in out
    assert {p["id"] for p in export(capsys)} == set(range(1, 13)) - {2, 3}
    code, _, err = run(capsys, "show", "2")
    assert code == 2 and "was deleted" in err and "readq undelete 2" in err
    code, out, _ = run(capsys, "import", SAMPLE, "--as-of", "2026-11-29")
    assert code == 0 and "2 deleted earlier and left out" in out  # not added again
    assert run(capsys, "delete", "2")[0] == 2  # already deleted: a mistake, said so
    assert run(capsys, "delete", "99")[0] == 2
    code, out, _ = run(capsys, "undelete", "2")
    assert code == 0 and "1 of 1 papers brought back" in out
    assert {p["id"]: p for p in export(capsys)}[2]["notes"] == "keep this"
    code, out, _ = run(capsys, "stats")
    assert "papers:   11" in out
