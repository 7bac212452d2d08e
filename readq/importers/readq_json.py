"""readq's own JSON export read back: metadata and the user's state, losslessly."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from readq.importers.base import OnPaper, ParseResult, Problem
from readq.model import METADATA_FIELDS, ParsedPaper, Status
from readq.sanitize import clean_block, clean_line
from readq.userstate import NoteVersion, valid_mark, valid_stamp

FORMAT_NAME = "readq"
_LIST_FIELDS = ("authors", "orgs", "flags", "categories", "tags")
_BOOL_FIELDS = ("authors_truncated", "has_code")


def looks_like(text: str) -> bool:
    head = text.lstrip()[:400]
    return head.startswith("{") and '"format"' in head and '"readq"' in head


def parse(text: str, *, as_of: date | None = None, on_paper: OnPaper | None = None) -> ParseResult:
    result = ParseResult(on_paper=on_paper)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        result.problems.append(Problem(error.lineno, f"not valid JSON: {error.msg}"))
        return result
    except RecursionError:
        result.problems.append(Problem(1, "the JSON is nested too deeply to be a readq export"))
        return result
    except ValueError as error:  # e.g. an integer of thousands of digits
        result.problems.append(Problem(1, f"not valid JSON: {error}"))
        return result
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        result.problems.append(Problem(1, 'not a readq export (no "format": "readq")'))
        return result
    if document.get("version") != 1:
        version = document.get("version")
        result.problems.append(Problem(1, f"readq export version {version!r} is not known"))
        return result
    papers = document.get("papers")
    if not isinstance(papers, list):
        result.problems.append(Problem(1, '"papers" is not a list'))
        return result
    for index, record in enumerate(papers, start=1):
        try:
            result.add(parse_record(record))
        except (TypeError, ValueError, KeyError, OverflowError) as error:
            result.problems.append(Problem(1, f"paper {index} skipped: {error}"))
    return result


def parse_record(record: Any) -> ParsedPaper:
    """One paper of a readq export, cleaned as any import is; TypeError,
    ValueError, KeyError or OverflowError for a record that is not one."""
    if not isinstance(record, dict):
        raise TypeError("not an object")
    title = clean_line(_text(record, "title"))
    if not title:
        raise ValueError("it has no title")
    values: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        value = record.get(name)
        if value is None:
            continue
        if name in _LIST_FIELDS:
            values[name] = [clean_line(_str(v)) for v in _list(value, name)]
        elif name in _BOOL_FIELDS:
            values[name] = bool(value)
        elif name == "score":
            values[name] = _finite(value, name)
        elif name == "arxiv_version":
            values[name] = _whole(value, name, 1, 9999)
        else:
            values[name] = clean_line(_str(value))
    values["title"] = title
    times = record.get("changed_at") or {}
    if not isinstance(times, dict):
        raise TypeError("changed_at is not an object")
    priority = _whole(record.get("priority") or 0, "priority", 0, 3)
    return ParsedPaper(
        **values,
        status=Status(record.get("status") or "unread"),
        priority=priority,
        notes=clean_block(_str(record.get("notes") or "")),
        tags=[clean_line(_str(t)) for t in _list(record.get("tags") or [], "tags")],
        added_at=_optional(record, "added_at"),
        read_at=_optional(record, "read_at"),
        updated_at=_optional(record, "updated_at"),
        changed_at=_marks(times),
        feeds=[clean_line(_str(f)) for f in _list(record.get("feeds") or [], "feeds")],
        arrived_from=_optional(record, "arrived_from"),
        note_versions=_note_versions(record.get("note_versions") or []),
        deleted_at=_optional(record, "deleted_at"),
    )


def _marks(times: dict[Any, Any]) -> dict[str, str]:
    """The user state's marks (userstate.py) or an earlier readq's times, each
    checked: another machine's file must not carry a status or a priority that
    is none, a tag that is not one, or a time the clocks cannot hold."""
    marks = {}
    for key, value in times.items():
        name, stamp = clean_line(_str(key)), clean_line(_str(value))
        if not valid_mark(name):
            raise ValueError(f"changed_at has an unknown mark {name[:40]!r}")
        if not valid_stamp(stamp):
            raise ValueError(f"changed_at has a time that is none: {stamp[:40]!r}")
        marks[name] = stamp
    return marks


def _note_versions(value: Any) -> list[dict[str, Any]]:
    """The note's versions (userstate.NoteVersion), cleaned as the note is."""
    versions = []
    for item in _list(value, "note_versions"):
        version = NoteVersion.from_json(item)
        seen = {clean_line(node): clean_line(stamp) for node, stamp in version.seen.items()}
        if not all(valid_stamp(stamp) for stamp in [version.stamp, *seen.values()]):
            raise ValueError("a note version has a time that is none")
        versions.append(NoteVersion(clean_line(version.stamp), clean_block(version.text), seen))
    return [version.to_json() for version in versions]


def _finite(value: Any, name: str) -> float:
    number = float(value)
    if not math.isfinite(number) or isinstance(value, bool):
        raise ValueError(f"{name} is not a finite number")
    return number


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} is not a number")
    if not (isinstance(value, int) or value.is_integer()) or not low <= value <= high:
        raise ValueError(f"{name} is not a whole number from {low} to {high}")
    return int(value)


def _str(value: Any) -> str:
    if type(value) is str:  # nearly every value: no need for the checks below
        return value
    if not isinstance(value, str | int | float):
        raise TypeError(f"{value!r:.40} is not text")
    return str(value)


def _text(record: dict[str, Any], name: str) -> str:
    return _str(record.get(name) or "")


def _optional(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    return None if value is None else clean_line(_str(value))


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"{name} is not a list")
    return value
