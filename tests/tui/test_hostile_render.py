"""Every hostile fixture that imports is rendered by every widget: literal, inert, no error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rich.text import Text

from readq import importers
from readq.errors import ReadqError
from readq.library import Library
from readq.tui.app import ReadqApp
from readq.tui.widgets.paper_list import PaperList

from ..conftest import DATA

HOSTILE = DATA / "hostile"
FIXTURES = sorted(
    p for p in HOSTILE.iterdir() if p.suffix in {".txt", ".bib", ".ris", ".csv", ".json", ".xml"}
)


def _hostile_library(path: Path) -> Library:
    library = Library.open(path)
    for fixture in FIXTURES:
        try:
            name, text = importers.read_source(str(fixture))
            result = importers.parse(text, importers.detect(text, name), as_of=date(2026, 11, 29))
        except ReadqError:
            continue  # refused inputs are the CLI tests' business
        library.add_many(result.papers)
    return library


def _styles(cells: list[Text]) -> list[str]:
    return [str(span.style) for cell in cells for span in cell.spans]


@pytest.mark.slow
async def test_every_hostile_paper_renders_in_every_widget(library_file: Path) -> None:
    library = _hostile_library(library_file)
    assert len(library) > 20
    library.set_note(1, "[@click=app.quit]note[/] [link=file:///etc/passwd]x[/link]")
    app = ReadqApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(len(app.browse.rows)):
            row = app.main.query_one(PaperList).row_cells(app.browse.row_in_page)
            assert not any("@click" in s or "link" in s for s in _styles(row))
            await pilot.press("t", "escape", "n", "escape")
            await pilot.press("j")
        await pilot.press("question_mark", "escape", "F", "escape")
        assert app.is_running  # no MarkupError, no [@click=app.quit] run
