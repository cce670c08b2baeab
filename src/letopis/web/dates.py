"""Dates in Russian for the pages: "24 февраля 2026", "апрель 2026", "15 марта (год не указан)"."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)
MONTHS_NOMINATIVE = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)
WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
PARTIAL_DAY = re.compile(r"^--(\d{2})-(\d{2})$")


def ru_date(value: str | None) -> str:
    """"2026-02-24" -> "24 февраля 2026"; anything else as it is."""
    match = DAY.match(value or "")
    if not match:
        return value or ""
    year, month, day = (int(part) for part in match.groups())
    return f"{day} {MONTHS_GENITIVE[month - 1]} {year}"


def ru_month(value: str | None) -> str:
    """"2026-04" -> "апрель 2026"."""
    match = MONTH.match(value or "")
    if not match:
        return value or ""
    return f"{MONTHS_NOMINATIVE[int(match.group(2)) - 1]} {match.group(1)}"


def ru_partial(value: str | None) -> str:
    """"--03-15" -> "15 марта"; "--04-22/--04-24" -> "22–24 апреля" (a day and month without a year)."""
    matches = [PARTIAL_DAY.match(piece) for piece in (value or "").split("/")]
    if not all(matches) or len(matches) > 2:
        return value or ""
    days = [(int(m.group(1)), int(m.group(2))) for m in matches if m]
    if not all(1 <= month <= 12 for month, _ in days):
        return value or ""
    (month, day), (last_month, last_day) = days[0], days[-1]
    if len(days) == 1:
        return f"{day} {MONTHS_GENITIVE[month - 1]}"
    if month == last_month:
        return f"{day}–{last_day} {MONTHS_GENITIVE[month - 1]}"
    return f"{day} {MONTHS_GENITIVE[month - 1]} – {last_day} {MONTHS_GENITIVE[last_month - 1]}"


def event_when(event: dict[str, Any]) -> str:
    """When an event is, in words: one day, a range, or a day and month without a year."""
    start, end = event.get("from"), event.get("to")
    if start is None:
        partial = event.get("partial")
        return f"{ru_partial(partial)} (год не указан)" if partial else "дата не указана"
    if end is None or end == start:
        return ru_date(start)
    return date_range(start, end)


def date_range(start: str, end: str) -> str:
    """"2030-05-20", "2030-05-21" -> "20–21 мая 2030"; across months or years, more is spelled out."""
    first, last = DAY.match(start), DAY.match(end)
    if not first or not last:
        return f"{ru_date(start)} – {ru_date(end)}"
    if first.group(1) != last.group(1):
        return f"{ru_date(start)} – {ru_date(end)}"
    year, month, day = first.group(1), int(first.group(2)), int(first.group(3))
    if first.group(2) == last.group(2):
        return f"{day}–{int(last.group(3))} {MONTHS_GENITIVE[month - 1]} {year}"
    return f"{day} {MONTHS_GENITIVE[month - 1]} – {ru_date(end)}"


def month_of(value: str) -> tuple[int, int] | None:
    """"2026-04" -> (2026, 4); None when it is not a month."""
    match = MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)), int(match.group(2))


def shift_month(year: int, month: int, by: int) -> str:
    """The month `by` months away, as "YYYY-MM"."""
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_weeks(year: int, month: int) -> list[list[date]]:
    """The weeks (Monday first) covering a month, days of the neighbouring months included."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def months_between(first: str, last: str, at_most: int = 120) -> list[str]:
    """Every month from `first` to `last` ("YYYY-MM"), at most the last `at_most` of them."""
    start, end = month_of(first), month_of(last)
    if start is None or end is None:
        return []
    count = (end[0] * 12 + end[1]) - (start[0] * 12 + start[1]) + 1
    skip = max(0, count - at_most)
    return [shift_month(start[0], start[1], offset) for offset in range(skip, count)]
