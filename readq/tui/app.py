"""Placeholder until the TUI lands."""

from pathlib import Path


def run_app(path: Path, *, demo: bool = False) -> int:
    print("the interactive app is not built yet; see `readq --help` for the commands.")
    return 0
