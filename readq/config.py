"""Where readq keeps things (platformdirs) and the user's config.toml."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "readq"
LIBRARY_FILE = "library.json"
DB_ENV = "READQ_DB"


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
