"""TIMEX3 values as calendar ranges, so facts can be ordered by when they happened."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR = re.compile(r"^(\d{4})$")


def timex_range(value: str | None, published: str | None = None) -> tuple[str, str] | None:
    """(first day, last day) as ISO dates of a TIMEX3 value, or None when it names no
    calendar time (a duration, a year-less date, an unknown reference)."""
    if not value:
        return None
    try:
        return _range(value.strip(), published)
    except ValueError:  # e.g. 2026-02-30 from a confused extractor
        return None


def _range(value: str, published: str | None) -> tuple[str, str] | None:
    if m := _DAY.match(value):
        day = date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        return day, day
    if m := _WEEK.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m[3]:
            return (monday + timedelta(5)).isoformat(), (monday + timedelta(6)).isoformat()
        return monday.isoformat(), (monday + timedelta(6)).isoformat()
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        last = calendar.monthrange(year, month)[1]
        return date(year, month, 1).isoformat(), date(year, month, last).isoformat()
    if m := _QUARTER.match(value):
        year, q = int(m[1]), int(m[2])
        first = date(year, 3 * q - 2, 1)
        last = date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
        return first.isoformat(), last.isoformat()
    if m := (_SEASON.match(value) or _YEAR.match(value)):
        return f"{m[1]}-01-01", f"{m[1]}-12-31"
    if value == "PRESENT_REF" and published and _DAY.match(published):
        return published[:10], published[:10]
    return None


def iso_week(day: str) -> str:
    """'2026-W10' for an ISO date."""
    year, week, _ = date.fromisoformat(day[:10]).isocalendar()
    return f"{year}-W{week:02d}"


def period_of(time_range: tuple[str, str] | None, published_date: str | None) -> str | None:
    """The week a figure speaks of, for comparing figures across sources: the week of its
    own time when that is at most a week long, else of the article's publication date."""
    if time_range:
        first, last = (date.fromisoformat(d) for d in time_range)
        if (last - first).days <= 6:
            return iso_week(time_range[1])
    if published_date:
        return iso_week(published_date)
    return None
