"""The terminal report: colour only when asked, columns that hold wide names."""

from __future__ import annotations

import re
from datetime import date

from rich.cells import cell_len

from readq.model import Paper
from readq.plots import terminal_report
from readq.readingstats import ReadingStats, reading_stats

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _stats() -> ReadingStats:
    papers = [
        Paper(id=1, title="a", authors=["山田太郎" * 8], added_at="2026-11-20T09:00:00Z"),
        Paper(id=2, title="b", authors=["Ada Lovelace"], added_at="2026-11-27T09:00:00Z"),
    ]
    return reading_stats(papers, date(2026, 11, 29), weeks=4)


def test_colour_changes_the_codes_and_nothing_else() -> None:
    stats = _stats()
    plain = terminal_report(stats, 80, color=False)
    coloured = terminal_report(stats, 80, color=True)
    assert "\x1b" not in plain and "\x1b[" in coloured
    assert [line.rstrip() for line in ANSI.sub("", coloured).splitlines()] == plain.splitlines()


def test_every_line_fits_the_width_even_with_wide_names() -> None:
    for width in (50, 80, 160):
        report = terminal_report(_stats(), width, color=False)
        assert max(cell_len(line) for line in report.splitlines()) <= width
        assert "山田太郎" in report and "…" in report
