# The benchmark and its TUI driver are scripts, run by hand or by
# tests/unit/test_bench_smoke.py, never collected as tests.
collect_ignore = ["bench.py", "tui_driver.py", "synthetic.py"]
