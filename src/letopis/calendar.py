"""Announced events as a calendar: pick them from documents, write them as iCalendar (RFC 5545).

Standard library only. Example:

    items = announced_events(docs, start="2026-03-01", end="2026-04-30")
    Path("events.ics").write_text(to_ics(items), encoding="utf-8", newline="")
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from letopis.model import Document, Event

PRODID = "-//letopis//announced events//RU"
MAX_LINE_OCTETS = 75  # RFC 5545 3.1: longer content lines are folded
CRLF = "\r\n"

Item = tuple[str, Event]  # (document id, event)


def announced_events(
    docs: Iterable[Document], start: date | str | None = None, end: date | str | None = None
) -> list[Item]:
    """Announced events of the documents, by date; those with only a year-less date, then none, last.

    With `start`/`end` (inclusive) only events overlapping that window are kept: a dated one by
    its range, a year-less one ("--03-15") if its day falls inside in some year; undated ones are left out.
    """
    low, high = _as_date(start), _as_date(end)
    windowed = low is not None or high is not None
    items = [
        (doc.id, event)
        for doc in docs
        for event in doc.events
        if event.status == "announced" and (not windowed or _in_window(event, low, high))
    ]
    return sorted(items, key=_sort_key)


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def _sort_key(item: Item) -> tuple:
    doc_id, event = item
    number = int(event.id[1:]) if event.id[1:].isdecimal() else 0
    if event.from_:
        return (0, event.from_, event.to or event.from_, doc_id, number)
    if event.partial:
        return (1, event.partial, "", doc_id, number)
    return (2, "", "", doc_id, number)


def _in_window(event: Event, low: date | None, high: date | None) -> bool:
    """Whether the event's dates meet the window [low, high]."""
    if event.from_:
        first = date.fromisoformat(event.from_)
        last = date.fromisoformat(event.to or event.from_)
        return (high is None or first <= high) and (low is None or last >= low)
    if event.partial and low is not None and high is not None:
        return any(
            _partial_in_year(event.partial, year, low, high) for year in range(low.year, high.year + 1)
        )
    return False


def _partial_in_year(partial: str, year: int, low: date, high: date) -> bool:
    """Whether "--MM-DD" (or "--MM-DD/--MM-DD") placed in `year` meets [low, high]."""
    ends = partial.split("/")
    try:
        first = _partial_day(ends[0], year, first=True)
        last = _partial_day(ends[-1], year, first=False)
    except ValueError:  # "--02-29" in a common year
        return False
    return first <= high and last >= low


def _partial_day(partial: str, year: int, first: bool) -> date:
    parts = partial.strip("-").split("-")
    month = int(parts[0])
    if len(parts) > 1:
        return date(year, month, int(parts[1]))
    if first:
        return date(year, month, 1)
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def to_ics(items: Iterable[Item], stamp: datetime | None = None) -> str:
    """A VCALENDAR with one all-day VEVENT per item that has a full date (year-less ones are skipped).

    `stamp` is the DTSTAMP of every event (now, in UTC, if not given).
    """
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for doc_id, event in items:
        if event.from_:
            lines += _vevent(doc_id, event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def _vevent(doc_id: str, event: Event, stamp: datetime) -> list[str]:
    first = date.fromisoformat(event.from_ or "")
    last = date.fromisoformat(event.to or event.from_ or "")
    return [
        "BEGIN:VEVENT",
        f"UID:{escape_text(f'{doc_id}-{event.id}@letopis')}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
        f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}",  # DTEND is exclusive
        f"SUMMARY:{escape_text(event.name)}",
        f"CATEGORIES:{escape_text(event.type)}",
        "END:VEVENT",
    ]


def escape_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 says: backslash, semicolon, comma, newline."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8 character;
    each continuation starts with a space."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_LINE_OCTETS if not pieces else MAX_LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)
