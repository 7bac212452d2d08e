"""Dates in queries: ``2026-11-01``, ``2026-11``, ``2026``, ``today``,
``yesterday`` and ages (``12h``, ``7d``, ``2w``, ``3m``, ``1y``), as bounds.

A date means its whole day, month or year in local time; an age means the
moment that long before now (a month is 30 days, a year 365). ``added:<7d``
is "added less than 7 days ago" (up to the end of today, never later);
``added:>30d`` "more than 30 days ago".
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final

from readq.querylang.terms import Op

_UNITS: Final = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1),
                 "m": timedelta(days=30), "y": timedelta(days=365)}  # fmt: skip
_DAYS_AGO: Final = {"today": 0, "yesterday": 1}
Bounds = tuple[datetime | None, datetime | None]  # from (inclusive), until (exclusive)


def is_date_value(value: str) -> bool:
    return _age(value) is not None or value.lower() in _DAYS_AGO or _calendar(value) is not None


def bounds(op: Op, value: str, upper: str | None, now: datetime) -> Bounds:
    """The moments a ``field:{op}{value}`` (or ``value..upper``) term admits, ``now``
    being an aware local time."""
    if op == ".." and upper is not None:
        spans = [_span(value, now), _span(upper, now)]
        return min(s[0] for s in spans), max(s[1] for s in spans)
    start, end = _span(value, now)
    if _age(value) is not None:  # an age: "<7d" is since the moment, ">7d" before it
        return (None, start) if op in (">", ">=") else (start, _midnight(_tomorrow(now)))
    return {
        "=": (start, end),
        ">=": (start, None),
        ">": (end, None),
        "<": (None, start),
        "<=": (None, end),
    }.get(op, (start, end))


def _span(value: str, now: datetime) -> tuple[datetime, datetime]:
    """The moments ``value`` stands for: a day, month or year; an age is one moment."""
    age = _age(value)
    if age is not None:
        moment = now - age
        return moment, moment
    lowered = value.lower()
    if lowered in _DAYS_AGO:
        day = now.date() - timedelta(days=_DAYS_AGO[lowered])
        return _midnight(day), _midnight(day + timedelta(days=1))
    first, after = _calendar(value) or (now.date(), now.date())
    return _midnight(first), _midnight(after)


def _tomorrow(now: datetime) -> date:
    """Less than 7 days ago ends with today: nothing dated after it (``--as-of``)."""
    return now.date() + timedelta(days=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()  # local midnight


_OLDEST: Final = timedelta(days=365 * 500)  # an age beyond this is a typing slip
FIRST_YEAR, LAST_YEAR = 1000, 9998  # whose days (in any time zone) datetime can hold


def _age(value: str) -> timedelta | None:
    number, unit = value[:-1], value[-1:].lower()
    if unit not in _UNITS or not (number.isascii() and number.isdigit()) or len(number) > 6:
        return None
    age = int(number) * _UNITS[unit]
    return age if age <= _OLDEST else None


def _calendar(value: str) -> tuple[date, date] | None:
    """The first day of ``2026``, ``2026-11`` or ``2026-11-01``, and the day after its last."""
    parts = value.split("-")
    if not all(p.isascii() and p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    if not FIRST_YEAR <= int(parts[0]) <= LAST_YEAR:
        return None
    try:
        if len(parts) == 1:
            year = int(parts[0])
            return date(year, 1, 1), date(year + 1, 1, 1)
        if len(parts) == 2 and len(parts[1]) == 2:
            first = date(int(parts[0]), int(parts[1]), 1)
            return first, (first + timedelta(days=32)).replace(day=1)
        if len(parts) == 3 and len(parts[1]) == 2 and len(parts[2]) == 2:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return day, day + timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    return None
