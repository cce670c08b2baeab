"""Tables of documents: JSONL (one object per line) and CSV (a header row), one document per row."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from letopis.errors import SourceError
from letopis.model import Document
from letopis.sources.text import stable_id

OPTIONAL_FIELDS = ("title", "url")
CSV_DELIMITERS = ",;\t"
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_RUSSIAN_DAY = re.compile(r"\s*(\d{2})\.(\d{2})\.(\d{4})")


def read_jsonl(content: str, source: str) -> Iterator[Document | SourceError]:
    """One document per non-blank line; `row N` is the line number, so errors point into the file."""
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            # Some messages end in "at" ("Unterminated string starting at"): the column completes them.
            reason = f"invalid JSON ({error.msg.removesuffix(' at')} at column {error.colno})"
            yield SourceError(_row_source(source, number), reason)
            continue
        if not isinstance(row, dict):
            yield SourceError(_row_source(source, number), "row is not a JSON object")
            continue
        yield row_document(row, source, number)


def read_csv(content: str, source: str) -> Iterator[Document | SourceError]:
    """One document per row after the header, which must name a `text` column; `row N` counts rows."""
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=csv_delimiter(content))
    header = [name.strip().lower() for name in next(reader, [])]
    if "text" not in header:
        yield SourceError(source, "CSV has no 'text' column")
        return
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if any(cell.strip() for cell in cells):
                yield row_document(dict(zip(header, cells, strict=False)), source, number)
    except csv.Error as error:
        yield SourceError(_row_source(source, number + 1), f"invalid CSV ({error})")


def csv_delimiter(content: str) -> str:
    """The delimiter the header line uses most: `,` unless it is `;` (Russian Excel) or a tab."""
    header = content.split("\n", 1)[0]
    return max(CSV_DELIMITERS, key=header.count)


def row_document(row: Mapping[str, Any], source: str, number: int) -> Document | SourceError:
    """A table row (`text` required; `id`, `title`, `url`, `published` optional) as a document."""
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return SourceError(_row_source(source, number), "row has no 'text'")
    raw_published = _optional(row.get("published"))
    published = iso_day(raw_published) if raw_published else None
    if raw_published and published is None:
        return SourceError(_row_source(source, number), f"'published' is not a date: {raw_published!r}")
    row_id = _optional(row.get("id"))
    item = row_id or f"row {number}"
    return Document(
        id=row_id or stable_id(source, item, text),
        source=source,
        item=item,
        text=text,
        published=published,
        **{name: _optional(row.get(name)) for name in OPTIONAL_FIELDS},
    )


def iso_day(value: str) -> str | None:
    """`YYYY-MM-DD` from a value starting with an ISO date or a Russian `ДД.ММ.ГГГГ`; None otherwise."""
    if match := _ISO_DAY.match(value):
        day = match.group(1)
    elif match := _RUSSIAN_DAY.match(value):
        day = f"{match.group(3)}-{match.group(2)}-{match.group(1)}"
    else:
        return None
    try:
        return date.fromisoformat(day).isoformat()
    except ValueError:
        return None


def _optional(value: Any) -> str | None:
    """A cell as a stripped string, None when missing or blank (JSON numbers become strings)."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _row_source(source: str, number: int) -> str:
    return f"{source}#row {number}"
