"""The benchmark runs end to end at a tiny size and reports every figure (no timing checks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[1] / "perf" / "bench.py"
FIGURES = {
    *("floor_python", "floor_import_textual", "import_listing", "import_json", "list_json"),
    *("tui_start_first_of_day", "tui_start", "tui_start_empty", "tui_rss_first_page"),
    *("lib_set_status", "lib_set_priority", "lib_note"),
    *("tui_cursor", "tui_mark_read", "tui_priority", "tui_page", "tui_search", "tui_rss_session"),
    *("cli_path", "cli_show", "cli_mark", "cli_priority", "cli_note_append", "cli_tag"),
    *("cli_list_few", "cli_import_daily", "backups_vs_library", "ratio_backups"),
    *("cli_fetch_daily", "cli_fetch_unchanged", "cli_sync_out", "cli_sync_in"),
    *("rank_build", "rank_train", "rank_score", "rank_similar", "rank_cached"),
    *("rank_model_file", "rank_vectors_file", "cli_rank_first", "cli_rank_unchanged"),
    "cli_rank_retrained",
    *(f"ratio_{name}_vs_path" for name in ("cli_show", "cli_mark", "cli_priority")),
    *(f"ratio_{name}_vs_path" for name in ("cli_note_append", "cli_tag")),
    "ratio_start_vs_empty",
    *("tui_start_no_saved_page", "ratio_unsaved_start_vs_empty", "ratio_cli_list_few_vs_path"),
    *("tui_query_key", "ratio_query_key", "cli_list_status", "cli_list_query"),
    "ratio_query_vs_status",
}


@pytest.mark.slow  # 13 s of a quick run that is near its 5 minutes; .ci/run runs it
def test_bench_runs_at_a_tiny_size_and_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "200", "--runs", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert {r["figure"] for r in records} == FIGURES
    for record in records:
        if record["unit"] == "ratio":
            assert record["value"] > 0
        else:
            assert record["runs"] and record["median"] > 0
            assert record["size"] in (0, 200)
    imports = [r for r in records if r["figure"].startswith("import_")]
    assert all(r["papers_per_s"] > 0 for r in imports)
