"""Where readq keeps things (platformdirs) and the user's config.toml."""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from readq.atomicfile import atomic_write

APP_NAME = "readq"
LIBRARY_FILE = "library.json"
DB_ENV = "READQ_DB"
DEFAULT_THEME = "textual-dark"


def library_path(option: str | None = None) -> Path:
    """The library file: ``--db``, else $READQ_DB, else the platform's data folder.

    A folder (existing, or written with a trailing slash) means the library file
    inside it.
    """
    given = option or os.environ.get(DB_ENV)
    if not given:
        return Path(user_data_dir(APP_NAME, appauthor=False)) / LIBRARY_FILE
    path = Path(given).expanduser()
    if path.is_dir() or given.endswith(("/", os.sep)):
        return path / LIBRARY_FILE
    return path


def config_path() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    """What config.toml may say; anything missing keeps its default."""

    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)
    page_size: int | None = None
    backups: int = 10  # how many backups to keep


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, and a one-line warning if config.toml could not be used."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(), f"{path} was ignored: {error}"
    keymap = data.get("keymap", {})
    page_size = data.get("page_size")
    keep = data.get("backups", 10)
    theme = data.get("theme", DEFAULT_THEME)
    if (
        not isinstance(keymap, dict)
        or not all(isinstance(v, str) for v in keymap.values())
        or not (page_size is None or (isinstance(page_size, int) and page_size > 0))
        or not isinstance(theme, str)
        or not (isinstance(keep, int) and keep >= 1)
    ):
        return Settings(), f"{path} was ignored: a value has the wrong type"
    return Settings(theme=theme, keymap=dict(keymap), page_size=page_size, backups=keep), None


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember the theme, keeping the rest of config.toml as the user wrote it."""
    path = path or config_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    line = f"theme = {json.dumps(theme)}"
    for index, existing in enumerate(lines):
        if existing.strip().startswith("["):
            lines.insert(index, line)
            break
        if existing.split("=")[0].strip() == "theme":
            lines[index] = line
            break
    else:
        lines.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, ("\n".join(lines) + "\n").encode())
