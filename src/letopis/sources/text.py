"""Plain-text articles, optionally opening with the ` date YYYY-MM-DD ` marker of the samples."""

from __future__ import annotations

import os
import re

from letopis.errors import SourceError
from letopis.model import Document, document_id

# The sample articles start with " date 2026-02-24 " followed by the lead on the same line.
DATE_MARKER = re.compile(r" date (\d{4}-\d{2}-\d{2}) ")


def read_text(content: str, source: str) -> Document:
    """One document from a decoded text file; the marker, if any, becomes `published` and `title`."""
    marker = DATE_MARKER.match(content)
    text = content[marker.end() :] if marker else content
    if not text.strip():
        raise SourceError(source, "no text")
    if marker is None:
        return Document(id=stable_id(source, None, text), source=source, text=text)
    return Document(
        id=stable_id(source, None, text),
        source=source,
        text=text,
        title=first_line(text),
        published=marker.group(1),
        text_offset=marker.end(),
    )


def first_line(text: str) -> str | None:
    """The first line stripped, or None when it is blank."""
    line = text.split("\n", 1)[0].strip()
    return line or None


def stable_id(source: str, item: str | None, text: str) -> str:
    """The id every reader gives a document without its own: basename (+ `#item`) and text hashed.

    The basename, not the path, so the same file gives the same id on any machine.
    """
    name = os.path.basename(source)
    if item is not None:
        name = f"{name}#{item}"
    return document_id(name, text)
