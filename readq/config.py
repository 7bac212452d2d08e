"""Where readq keeps things (platformdirs), and the user's config.toml, checked.

``load_settings`` takes config.toml value by value: a value of the wrong type,
an unknown theme or binding id, or a key bound twice loses only that value (it
keeps its default) and adds one line to the problems, so one typo never costs
the rest of the file. Only a file that cannot be read, decoded or parsed at all
means the defaults throughout.

Textual is never imported here (the core does not import it): the app, and
``readq config check``, pass in the theme names and binding ids to check against.
"""

from __future__ import annotations

import codecs
import difflib
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Final, TypeGuard

from platformdirs import user_config_dir, user_data_dir

from readq.atomicfile import atomic_write
from readq.errors import ReadqError
from readq.feeds import Feed, read_feeds
from readq.paths import typed_path
from readq.sanitize import clean_line
from readq.views import DEFAULT_VIEWS, SavedView, read_views

APP_NAME = "readq"
LIBRARY_FILE = "library.json"
DB_ENV = "READQ_DB"
DEFAULT_THEME = "textual-dark"
DEFAULT_BACKUPS = 10


def library_path(option: str | None = None) -> Path:
    """The library file: ``--db``, else $READQ_DB, else the platform's data folder.

    A folder (existing, or written with a trailing slash) means the library file
    inside it.
    """
    given = option or os.environ.get(DB_ENV)
    if not given:
        return Path(user_data_dir(APP_NAME, appauthor=False)) / LIBRARY_FILE
    path = typed_path(given)
    if path.is_dir() or given.endswith(("/", os.sep)):
        return path / LIBRARY_FILE
    return path


def config_path() -> Path:
    """config.toml in the platform's config folder (``~/.config/readq`` on Linux)."""
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    """What config.toml may say; anything missing or unusable keeps its default."""

    theme: str = DEFAULT_THEME
    # binding id -> keys in Textual's spelling ("question_mark", not "?"), comma-separated
    keymap: dict[str, str] = field(default_factory=dict)
    page_size: int | None = None  # None: as many rows as fit
    backups: int = DEFAULT_BACKUPS  # how many backups to keep
    views: dict[str, SavedView] = field(default_factory=lambda: dict(DEFAULT_VIEWS))
    feeds: tuple[Feed, ...] = ()
    # The app fetches the feeds as it starts when the last fetch is older than
    # this many seconds (fetch_every = "6h"); None: only when asked (R).
    fetch_every: float | None = None
    # The folder the library syncs through (readq/sync), ~ expanded; None: no syncing.
    sync_dir: Path | None = None


SETTING_NAMES: Final = (
    *("theme", "page_size", "backups", "keymap", "views", "feeds", "fetch_every", "sync_dir"),
)


def load_settings(
    path: Path | None = None,
    *,
    themes: Collection[str] | None = None,
    keymap_screens: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[Settings, list[str]]:
    """The settings config.toml gives, and one line per problem found in it.

    ``themes`` are the known theme names (None: the theme is not checked).
    ``keymap_screens`` maps each screen to {binding id: its default keys}; with
    it, [keymap] entries must name a binding id, and keys bound twice on one
    screen are resolved (see ``_resolve_clashes``); without it only their types
    are checked. A missing file is no problem. Never raises for anything in the
    file; every line names the file (its base name), the key, and what is used
    instead, and holds no text from the file that could drive a terminal.
    """
    path = path or config_path()
    name = clean_line(path.name) or "config.toml"
    try:
        data = _read(path)
    except FileNotFoundError:
        return Settings(), []
    except _Unusable as error:
        return Settings(), [f"{name} {error}; using the defaults"]
    problems: list[str] = []
    settings = Settings()
    for key, value in data.items():  # in the file's order, so the lines are too
        if key == "theme":
            settings = replace(settings, theme=_theme(value, themes, problems))
        elif key == "page_size":
            settings = replace(settings, page_size=_page_size(value, problems))
        elif key == "backups":
            settings = replace(settings, backups=_backups(value, problems))
        elif key == "keymap":
            settings = replace(settings, keymap=_keymap(value, keymap_screens, problems))
        elif key == "views":
            settings = replace(settings, views=read_views(value, problems))
        elif key == "feeds":
            settings = replace(settings, feeds=read_feeds(value, problems))
        elif key == "fetch_every":
            settings = replace(settings, fetch_every=_fetch_every(value, problems))
        elif key == "sync_dir":
            settings = replace(settings, sync_dir=_sync_dir(value, problems))
        else:
            problems.append(
                f"{_name(key)} is not a readq setting{_did_you_mean(key, SETTING_NAMES)}; "
                f"ignored (the settings are {', '.join(SETTING_NAMES)})"
            )
    return settings, [f"{name}: {problem}" for problem in problems]


# --- reading the file ------------------------------------------------------------


class _Unusable(Exception):
    """config.toml exists but nothing in it can be used; the message follows its name."""


def _read(path: Path) -> dict[str, object]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as error:
        raise _Unusable(f"could not be read ({error.strerror or error})") from None
    text = _decode(raw)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _Unusable(f"is not valid TOML ({_toml_reason(error)})") from None
    except RecursionError:  # tomllib recurses once per nested [ or {
        raise _Unusable("is not valid TOML (values nested too deeply)") from None


def _decode(raw: bytes) -> str:
    """The text of ``raw``, a BOM allowed (Windows editors write one); else _Unusable."""
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = bom + error.start
        raise _Unusable(f"is not UTF-8 (byte 0x{raw[offset]:02x} at offset {offset})") from None


_TOML_WHERE: Final = re.compile(
    r"(?P<what>.*) \(at (?P<where>line \d+, column \d+|end of document)\)"
)


def _toml_reason(error: tomllib.TOMLDecodeError) -> str:
    """tomllib's "Invalid value (at line 3, column 8)" as "line 3, column 8: invalid value"."""
    message = clean_line(str(error))
    found = _TOML_WHERE.fullmatch(message)
    if found is None:
        return message
    what = found["what"]
    return f"{found['where']}: {what[:1].lower()}{what[1:]}"


# --- the values ------------------------------------------------------------------


def _theme(value: object, themes: Collection[str] | None, problems: list[str]) -> str:
    instead = f"using {_quoted(DEFAULT_THEME)}"
    if not isinstance(value, str):
        problems.append(f"theme must be a theme's name in quotes, not {_shown(value)}; {instead}")
        return DEFAULT_THEME
    if themes is not None and value not in themes:
        hint = _did_you_mean(value, themes, quote=True)
        problems.append(f"theme {_quoted(value)} is not a known theme{hint}; {instead}")
        return DEFAULT_THEME
    return value


def _page_size(value: object, problems: list[str]) -> int | None:
    if _is_whole(value) and value > 0:
        return value
    problems.append(
        f"page_size must be a whole number above 0, not {_shown(value)}; "
        "using the default (as many rows as fit)"
    )
    return None


_DURATION: Final = re.compile(r"(\d{1,6})\s*(min|h|d|w)")
_SECONDS_IN: Final = {"min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def _fetch_every(value: object, problems: list[str]) -> float | None:
    match = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or int(match[1]) == 0:
        problems.append(
            f'fetch_every must be a time such as "6h" (also min, d, w), not {_shown(value)}; '
            "the app fetches only when asked (R)"
        )
        return None
    return float(int(match[1]) * _SECONDS_IN[match[2]])


def _sync_dir(value: object, problems: list[str]) -> Path | None:
    if not isinstance(value, str) or not value.strip() or clean_line(value) != value:
        problems.append(
            f'sync_dir must be a folder such as "~/Sync/readq", not {_shown(value)}; '
            "the library does not sync"
        )
        return None
    return Path(value.strip()).expanduser()


def _backups(value: object, problems: list[str]) -> int:
    if _is_whole(value) and value >= 1:
        return value
    problems.append(
        f"backups must be a whole number of at least 1, not {_shown(value)}; "
        f"using the default ({DEFAULT_BACKUPS})"
    )
    return DEFAULT_BACKUPS


def _is_whole(value: object) -> TypeGuard[int]:
    # TOML's true is a Python bool, and bool is an int: refuse it by name.
    return isinstance(value, int) and not isinstance(value, bool)


# --- the keymap ------------------------------------------------------------------


def _keymap(
    value: object, screens: Mapping[str, Mapping[str, str]] | None, problems: list[str]
) -> dict[str, str]:
    """The usable [keymap] entries, keys normalised; a problem for each one dropped."""
    if not isinstance(value, dict):
        problems.append(
            'keymap must be a table ([keymap], then lines such as toggle_read = "x"), '
            f"not {_shown(value)}; ignored, every key keeps its default"
        )
        return {}
    defaults = {i: keys for ids in (screens or {}).values() for i, keys in ids.items()}
    entries: dict[str, list[str]] = {}
    for binding_id, keys in value.items():
        label = f"keymap.{_name(binding_id)}"
        if screens is not None and binding_id not in defaults:
            hint = _did_you_mean(binding_id, defaults)
            problems.append(
                f"{label} is not a binding id{hint}; ignored (`readq config keys` lists the ids)"
            )
            continue
        kept = _kept(binding_id, defaults)
        if not isinstance(keys, str):
            problems.append(
                f'{label} must be keys in quotes, such as "x" or "r,enter", '
                f"not {_shown(keys)}; ignored{kept}"
            )
            continue
        normalised = key_list(keys)
        if not normalised:
            problems.append(f"{label} names no key (a binding cannot be removed); ignored{kept}")
            continue
        entries[binding_id] = normalised
    if screens is not None:
        for ids in screens.values():
            problems.extend(_resolve_clashes(entries, ids))
    return {binding_id: ",".join(keys) for binding_id, keys in entries.items()}


def _resolve_clashes(entries: dict[str, list[str]], defaults: Mapping[str, str]) -> list[str]:
    """Settle keys bound to two ids of one screen; drops entries; one line per clash.

    Textual's keymap entry replaces every default key of its id, and a key the
    entry takes from another id's defaults goes to the entry (the other id loses
    it). Two entries on one key would both stay bound and which one runs would
    depend on Textual's internals, so the later entry in the file is dropped and
    its id keeps its default keys: the first line wins, as a reader expects.
    """
    problems: list[str] = []
    owner: dict[str, str] = {}  # key -> the id of the user's entry that has it
    for binding_id in [i for i in entries if i in defaults]:  # in the file's order
        earlier: dict[str, list[str]] = {}
        for key in entries[binding_id]:
            if key in owner:
                earlier.setdefault(owner[key], []).append(key)
        if not earlier:
            owner.update(dict.fromkeys(entries[binding_id], binding_id))
            continue
        del entries[binding_id]
        for first, keys in earlier.items():
            problems.append(
                f"keymap: {_keys_phrase(keys)} bound to both {first} and {binding_id}; "
                f"the later entry is ignored{_kept(binding_id, defaults)}"
            )
    for binding_id, keys_text in defaults.items():
        if binding_id in entries:
            continue
        keys = key_list(keys_text)
        left = [key for key in keys if key not in owner]
        taken: dict[str, list[str]] = {}
        for key in keys:
            if key in owner:
                taken.setdefault(owner[key], []).append(key)
        for winner, lost in taken.items():
            rest = f"keeps only {_quoted(','.join(left))}" if left else "has no key left"
            them = "it" if len(lost) == 1 else "them"
            problems.append(
                f"keymap: {_keys_phrase(lost)} bound to both {winner} and {binding_id} "
                f"(by default); using {them} for {winner}, so {binding_id} {rest} "
                "(give it a key of its own in [keymap])"
            )
    return problems


def _kept(binding_id: str, defaults: Mapping[str, str]) -> str:
    """What an id falls back to, e.g. ', toggle_read keeps its default keys "space"'."""
    if binding_id not in defaults:
        return ""
    return f", {_name(binding_id)} keeps its default keys {_quoted(defaults[binding_id])}"


def _keys_phrase(keys: list[str]) -> str:
    quoted = [_quoted(key) for key in keys]
    if len(quoted) == 1:
        return f"{quoted[0]} is"
    return f"{', '.join(quoted[:-1])} and {quoted[-1]} are"


# Textual's spelling of a one-character key (textual.keys._character_to_key),
# redone here rather than imported because the core never imports Textual, and
# a rule rather than a table so that every character is covered as Textual
# covers it: a character that is not a letter or digit is named by its Unicode
# name ("?" -> "question_mark"), then six names are shortened. Textual reads
# the keymap this way (App._normalize_keymap), so the conflict check must too;
# tests/unit/test_config.py compares the two, so a change in Textual shows.
_SHORTER_NAMES: Final = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def key_list(keys: str) -> list[str]:
    """``"r, ?"`` as ``["r", "question_mark"]``: Textual's names, empties and repeats out."""
    found: list[str] = []
    for piece in keys.split(","):
        key = piece.strip()
        if len(key) == 1:
            key = _character_to_key(key)
        if key and key not in found:
            found.append(key)
    return found


def _character_to_key(character: str) -> str:
    if character.isalnum():
        return character
    try:
        key = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:  # no Unicode name: a control character
        key = "tab" if character == "\t" else character
    return _SHORTER_NAMES.get(key, key)


# --- text from the file in messages ----------------------------------------------

_BARE_KEY: Final = re.compile(r"[A-Za-z0-9_-]+")
_SHOWN_LENGTH: Final = 40


def _name(key: str) -> str:
    """A TOML key as written in the file: bare if it can be, else quoted."""
    return key if _BARE_KEY.fullmatch(key) else _quoted(key)


def _quoted(text: str) -> str:
    # json.dumps escapes control characters; clean_line takes out bidi tricks.
    if len(text) > _SHOWN_LENGTH:
        text = text[: _SHOWN_LENGTH - 1] + "…"
    return clean_line(json.dumps(text, ensure_ascii=False))


def _shown(value: object) -> str:
    """A value from the file, short, as TOML would write it."""
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return clean_line(str(value))[:_SHOWN_LENGTH]
    if isinstance(value, datetime | date | time):
        return f"the date {value.isoformat()}"
    if isinstance(value, dict):
        return "a table"
    return "a list"


def _did_you_mean(word: str, choices: Iterable[str], *, quote: bool = False) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    if not close:
        return ""
    return f" (did you mean {_quoted(close[0]) if quote else _name(close[0])}?)"


# --- saving the theme ------------------------------------------------------------


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember the theme, keeping the rest of config.toml as the user wrote it
    (see edit_config; a file that is not valid TOML is still edited, line by line)."""
    edit_config(lambda text: _with_theme(text, theme), "the theme was not saved", path)


def edit_config(edit: Callable[[str], str], what: str, path: Path | None = None) -> None:
    """Write config.toml as ``edit`` makes it of its text, the rest as written.

    Raises ReadqError, with a one-line reason (``what`` says what did not
    happen), when the file exists but cannot be read as UTF-8 text, or cannot
    be written: a file readq could not read is never overwritten, and a failed
    write leaves it as it was. ``edit`` may raise ReadqError to refuse.
    """
    path = path or config_path()
    name = clean_line(path.name) or "config.toml"
    unchanged = f"{what} and the file is unchanged."
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = b""
    except OSError as error:
        raise ReadqError(f"{name} could not be read ({error.strerror}): {unchanged}") from None
    try:
        text = _decode(raw)
    except _Unusable as error:
        raise ReadqError(f"{name} {error}: {unchanged}") from None
    edited = edit(text)
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    # A symlinked config.toml (a dotfiles repository) keeps its link: write the target.
    target = path.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, bom + edited.encode())
    except OSError as error:
        raise ReadqError(f"{name} could not be written ({error.strerror}): {unchanged}") from None


def _with_theme(text: str, theme: str) -> str:
    """``text`` with its top-level ``theme = ...`` line set, or one added before any table."""
    # Split on "\n" only: str.splitlines also splits at characters TOML strings may hold.
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    line = f"theme = {json.dumps(theme, ensure_ascii=False)}"
    if "\r\n" in text:
        line += "\r"
    for index, existing in enumerate(lines):
        stripped = existing.strip()
        if stripped.startswith("["):
            lines.insert(index, line)
            break
        if stripped.split("=")[0].strip().strip("\"'") == "theme":
            lines[index] = line
            break
    else:
        lines.append(line)
    return "\n".join(lines) + "\n"
