"""SVG snapshots of the key screens (update with `pytest --snapshot-update`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readq.config import Settings
from readq.library import Library
from readq.tui.app import ReadqApp
from readq.views import SavedView

from .conftest import AppFactory, ranked


class TestMainScreen:
    def test_demo_at_120x40(self, snap_compare: Any, demo_library: Library) -> None:
        assert snap_compare(ReadqApp(demo_library), terminal_size=(120, 40))

    def test_demo_at_80x24(self, snap_compare: Any, demo_library: Library) -> None:
        assert snap_compare(ReadqApp(demo_library), terminal_size=(80, 24))

    def test_detail_pane_on_a_narrow_terminal(
        self, snap_compare: Any, demo_library: Library
    ) -> None:
        app = ReadqApp(demo_library)
        assert snap_compare(app, terminal_size=(80, 24), press=["tab"])

    def test_empty_library_welcome(self, snap_compare: Any, tmp_path: Path) -> None:
        app = ReadqApp(Library.open(tmp_path / "empty.json"))
        assert snap_compare(app, terminal_size=(80, 24))

    def test_new_papers_marked_until_seen(self, snap_compare: Any, demo_library: Library) -> None:
        # As if the app was last closed as the demo papers arrived: the unread
        # ones are new; the two the cursor has left are seen.
        app = ReadqApp(demo_library, new_since="2026-11-29T08:00:00Z")
        assert snap_compare(app, terminal_size=(100, 30), press=["j", "j"])

    def test_hostile_paper(self, snap_compare: Any, make_app: AppFactory) -> None:
        assert snap_compare(make_app(), terminal_size=(120, 40), press=[*"/mallory", "enter"])


class TestDialogs:
    def test_note_editor(self, snap_compare: Any, demo_library: Library) -> None:
        assert snap_compare(ReadqApp(demo_library), terminal_size=(100, 30), press=["n"])

    def test_help_screen(self, snap_compare: Any, demo_library: Library) -> None:
        assert snap_compare(
            ReadqApp(demo_library), terminal_size=(100, 40), press=["question_mark"]
        )


class TestReaderScreens:
    def test_pager_scrolled_to_the_note(self, snap_compare: Any, demo_library: Library) -> None:
        app = ReadqApp(demo_library)
        assert snap_compare(app, terminal_size=(120, 36), press=["tab", "G"])

    def test_details_at_80x24_scrolled_by_ctrl_d(
        self, snap_compare: Any, demo_library: Library
    ) -> None:
        app = ReadqApp(demo_library)
        assert snap_compare(app, terminal_size=(80, 24), press=["ctrl+d"])

    def test_card_triage(self, snap_compare: Any, demo_library: Library) -> None:
        app = ReadqApp(demo_library)
        assert snap_compare(app, terminal_size=(100, 30), press=["T", "2"])

    def test_card_triage_at_80x24(self, snap_compare: Any, demo_library: Library) -> None:
        app = ReadqApp(demo_library)
        assert snap_compare(app, terminal_size=(80, 24), press=["T"])

    def test_command_line_completing(self, snap_compare: Any, demo_library: Library) -> None:
        app = ReadqApp(demo_library)
        assert snap_compare(app, terminal_size=(100, 30), press=["colon", "s", "o"])

    def test_selection_and_markers(self, snap_compare: Any, demo_library: Library) -> None:
        app = ReadqApp(demo_library)
        assert snap_compare(app, terminal_size=(160, 40), press=["v", "v", "j", "v"])


class TestSearching:
    def test_a_fielded_search_highlighted(self, snap_compare: Any, demo_library: Library) -> None:
        press = [*"/tokens OR author:carvalho", "enter"]
        assert snap_compare(ReadqApp(demo_library), terminal_size=(120, 30), press=press)

    def test_a_query_mistake_on_the_status_line(
        self, snap_compare: Any, demo_library: Library
    ) -> None:
        press = [*"/tokens prio:>=x"]
        assert snap_compare(ReadqApp(demo_library), terminal_size=(120, 30), press=press)

    def test_the_view_picker(self, snap_compare: Any, demo_library: Library) -> None:
        views = {
            "urgent": SavedView("urgent", "is:unread prio:3"),
            "language": SavedView("language", "cat:CL OR cat:LG", sort="published"),
            "noted": SavedView("noted", "has:note"),
        }
        app = ReadqApp(demo_library, settings=Settings(views=views))

        async def counted(pilot: Any) -> None:
            await pilot.press("l")
            picker = app.screen
            for _ in range(200):
                if len(getattr(picker, "counts", {})) == len(views):
                    break
                await pilot.pause()
            await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 30), run_before=counted)


class TestForYou:
    def test_ranked_list_bars_and_why(
        self, snap_compare: Any, demo_library: Library, ranking: None
    ) -> None:
        """The demo's decisions learned: p sorts by them; bars, and why in the details."""

        async def learned(pilot: Any) -> None:
            await ranked(pilot.app, pilot)
            await pilot.press("p")

        app = ReadqApp(demo_library)
        assert snap_compare(app, terminal_size=(120, 30), run_before=learned)
