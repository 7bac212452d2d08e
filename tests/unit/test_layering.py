"""The layers the README states, checked on the imports themselves.

The core never imports Textual, so the CLI starts fast and the core tests
need no terminal; the TUI never touches storage, only the Library and the
services beside it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import readq

PACKAGE = Path(readq.__file__).parent
STORAGE = ("readq.storage", "readq.journal", "readq.snapshotfile", "readq.lock", "readq.atomicfile")
STORAGE += ("readq.backups", "readq.migrations", "tinydb")


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            # `from readq import storage` imports readq.storage
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules(under: Path) -> list[Path]:
    return sorted(under.rglob("*.py"))


def test_the_core_never_imports_textual() -> None:
    tui = PACKAGE / "tui"
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imports_of(path) if m.split(".")[0] == "textual"
        )
        for path in modules(PACKAGE)
        if tui not in path.parents
    }
    # The CLI opens the TUI and checks config.toml against Textual's themes, both
    # inside the functions that need them, so no other command pays for Textual.
    lazy = {"commands.py"}
    assert {name: found for name, found in offenders.items() if found and name not in lazy} == {}


def test_the_cli_imports_textual_only_inside_functions() -> None:
    tree = ast.parse((PACKAGE / "commands.py").read_text(encoding="utf-8"))
    top_level = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    names = {getattr(node, "module", None) or node.names[0].name for node in top_level}  # type: ignore[union-attr]
    assert not any(name and name.startswith(("textual", "readq.tui")) for name in names)


def test_the_tui_never_touches_storage() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(m for m in imports_of(path) if m.startswith(STORAGE))
        for path in modules(PACKAGE / "tui")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_plotext_is_imported_only_when_plots_are_drawn() -> None:
    # `readq stats --plot` and the stats screen pay for it; opening the app does not.
    import subprocess
    import sys

    code = (
        "import sys, readq.cli, readq.commands, readq.plots, readq.tui.app; "
        "print([m for m in ('plotext', 'textual_plotext') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
