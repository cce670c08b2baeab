"""RSS 2.0 and Atom feeds: one document per item, parsed by feedparser from bytes already read."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from xml.sax import SAXParseException

from letopis.errors import SourceError
from letopis.model import Document
from letopis.sources.html import as_paragraphs, html_to_text
from letopis.sources.text import stable_id

# The text is already decoded; feedparser gets it back as UTF-8 and is told so, which overrides
# whatever the XML declaration claims.
UTF8_XML = {"content-type": "application/xml; charset=utf-8"}
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read_feed(content: str, source: str) -> Iterator[Document | SourceError]:
    """Documents of a decoded feed's items; an item without text is a `SourceError`, the rest go on."""
    import feedparser

    # A stream, never a string: feedparser would fetch a string that looks like a URL or a path.
    parsed = feedparser.parse(io.BytesIO(content.encode("utf-8")), response_headers=UTF8_XML)
    if not parsed.entries:
        reason = f"not a feed ({_one_line(parsed.bozo_exception)})" if parsed.bozo else "feed has no items"
        yield SourceError(source, reason)
        return
    for number, entry in enumerate(parsed.entries, start=1):
        yield read_item(entry, source, number)


def read_item(entry: Any, source: str, number: int) -> Document | SourceError:
    """One feed entry as a document, keyed by its guid, else its link, else `item N`."""
    text = item_text(entry)
    if not text:
        return SourceError(f"{source}#item {number}", "item has no text")
    item = entry.get("id") or entry.get("link") or f"item {number}"
    return Document(
        id=stable_id(source, item, text),
        source=source,
        item=item,
        text=text,
        url=entry.get("link") or None,
        title=_plain(entry.get("title_detail")) or None,
        published=item_date(entry),
    )


def item_text(entry: Any) -> str:
    """The entry's full content if it has one, else its summary, as plain paragraphs."""
    for detail in [*entry.get("content", []), entry.get("summary_detail")]:
        text = _plain(detail)
        if text:
            return text
    return ""


def item_date(entry: Any) -> str | None:
    """`YYYY-MM-DD` of publication (else update) as the publisher wrote it, not shifted to UTC."""
    for key in ("published", "updated"):
        # dict.get: feedparser's own get maps a missing `updated` to `published` with a warning.
        raw, parsed = dict.get(entry, key), dict.get(entry, f"{key}_parsed")
        day = (_local_date(raw) if raw else None) or (_utc_date(parsed) if parsed else None)
        if day:
            return day
    return None


def _utc_date(parsed: time.struct_time) -> str:
    """feedparser's own parse (shifted to UTC), for date formats only it understands."""
    return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"


def _local_date(raw: str) -> str | None:
    """The calendar date of an RFC 822 (RSS) or ISO 8601 (Atom) timestamp in its own time zone."""
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(raw.strip()).date().isoformat()
    except ValueError:
        return None


def _plain(detail: Any) -> str:
    """Plain text of a feedparser text construct (HTML cleaned, plain text only tidied)."""
    if not detail or not detail.get("value"):
        return ""
    if detail.get("type") in HTML_TYPES:
        return html_to_text(detail["value"])
    return as_paragraphs(detail["value"].split("\n\n"))


def _one_line(error: BaseException) -> str:
    """The parser's complaint without its location (feedparser shifts lines by adding a declaration)."""
    message = error.getMessage() if isinstance(error, SAXParseException) else str(error)
    return " ".join(message.split()) or type(error).__name__
