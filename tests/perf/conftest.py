# The benchmark, its TUI driver and the ranking evaluation are scripts, run by hand
# or by tests/unit/test_bench_smoke.py and test_rank_eval.py, never collected as tests.
collect_ignore = ["bench.py", "tui_driver.py", "synthetic.py", "rank_eval.py"]
