"""The "for you" ranking in the app: it learns from the keys pressed, in a thread;
p sorts by it, the list shows a relevance bar, the details say why, and m lists
the papers most like the current one."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from readq.library import Library
from readq.model import Status
from readq.tui.app import ReadqApp
from readq.tui.screens.choose import Choose
from readq.tui.widgets.detail import DetailPane
from readq.tui.widgets.paper_list import PaperList

from ..topics import TOPICS, by_topic, topic_of, topical_papers
from .conftest import on_disk, ranked

pytestmark = pytest.mark.usefixtures("ranking")
SIZE = (120, 30)


@pytest.fixture
def topical(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "library.json")
    library.add_many(topical_papers())
    return library


async def test_keys_teach_the_ranking_and_p_sorts_by_it(topical: Library) -> None:
    topics = by_topic(topical)
    app = ReadqApp(topical)
    async with app.run_test(size=SIZE) as pilot:
        await ranked(app, pilot)
        assert app.ranker.ranking is not None and not app.ranker.ranking.learned
        # Three graph papers at priority 3, three of each other topic read.
        for paper_id, key in [
            *((i, "3") for i in topics["graphs"][:3]),
            *((i, "space") for i in [*topics["proteins"][:3], *topics["robots"][:3]]),
        ]:
            assert app.main.browse.go_to_paper(paper_id)
            await pilot.press(key)
        await ranked(app, pilot)
        assert app.ranker.ranking.learned
        await pilot.press("p")
        browse = app.main.browse
        assert browse.view.sort == "for-you"
        undecided = [p for p in browse.rows if p.status is Status.UNREAD and p.priority == 0]
        assert {topic_of(p.title) for p in undecided[:10]} == {"graphs"}
        cells = app.main.query_one(PaperList).row_cells(0)
        assert any(set(cell.plain) & set("▏▎▍▌▋▊▉█") for cell in cells)  # the bar
        browse.go_to_paper(undecided[0].id)
        app.main.show()
        details = app.main.query_one(DetailPane).plain
        assert "For you" in details and "Up by" in details
        up = details.split("Up by", 1)[1].splitlines()[0]
        assert any(word in up for word in TOPICS["graphs"].split())
    on_disk_now = on_disk(app)
    assert all(on_disk_now.get(i).priority == 3 for i in topics["graphs"][:3])
    assert all(on_disk_now.get(i).status is Status.READ for i in topics["robots"][:3])


async def test_m_lists_like_papers_and_enter_goes_to_one(topical: Library) -> None:
    app = ReadqApp(topical)
    async with app.run_test(size=SIZE) as pilot:
        await ranked(app, pilot)
        await pilot.press("f")  # unread only: the paper chosen may be hidden by it
        first = app.main.browse.current
        assert first is not None
        await pilot.press("m")
        await app.workers.wait_for_complete()  # the vectors are read in a thread
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, Choose)
        options = dialog.query_one(OptionList)
        assert options.option_count >= 5
        chosen = int(str(options.get_option_at_index(1).id))
        await pilot.press("down", "enter")
        assert app.screen is app.main
        assert app.main.browse.current is not None
        assert app.main.browse.current.id == chosen
        assert topic_of(app.library.get(chosen).title) == topic_of(first.title)


async def test_p_before_any_ranking_says_so_and_sorts_newest_first(
    topical: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = ReadqApp(topical)
    monkeypatch.setattr(app.ranker, "refresh", lambda: None)  # never ranked
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        rows = app.main.browse.rows
        assert [p.id for p in rows] == sorted((p.id for p in rows), reverse=True)
        assert any("still learning" in n.message for n in app._notifications)
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is app.main
