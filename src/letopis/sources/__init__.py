"""Input readers: files, folders or stdin to `Document`s, with a `SourceError` for whatever cannot be read.

Example:
    for result in iter_documents(["samples/", "feed.rss", "-"]):
        print(result if isinstance(result, SourceError) else result.id)
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator

from letopis.errors import SourceError
from letopis.model import Document
from letopis.sources.encoding import decode
from letopis.sources.feeds import read_feed
from letopis.sources.html import read_html
from letopis.sources.tables import read_csv, read_jsonl
from letopis.sources.text import read_text

__all__ = ["MAX_DOCUMENT_CHARS", "iter_documents", "read_bytes", "detect_format", "document_name"]

STDIN = "-"
# `.txt`, no extension and unknown extensions are sniffed: a saved page or feed is often misnamed.
FORMAT_BY_EXTENSION = {
    ".html": "html",
    ".htm": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
# Inside a folder only these are read: an annotation file (`.ann`) or an image beside the articles is not one.
FOLDER_EXTENSIONS = {*FORMAT_BY_EXTENSION, ".txt", ".text", ".md", ""}
HTML_STARTS = ("<!doctype html", "<html")
FEED_MARKERS = ("<rss", "<feed", "<rdf:rdf")
SNIFF_CHARS = 2048
# A longer text is reported, not extracted: no news article comes near it, and the stages' time and
# memory grow with the text (a 50 MB dump would hold the batch for an hour).
MAX_DOCUMENT_CHARS = 2_000_000


def _one(reader: Callable[[str, str], Document]) -> Callable[[str, str], Iterator[Document]]:
    """Turn a single-document reader into one that yields, like the multi-document readers."""

    def read(content: str, source: str) -> Iterator[Document]:
        yield reader(content, source)

    return read


READERS: dict[str, Callable[[str, str], Iterator[Document | SourceError]]] = {
    "text": _one(read_text),
    "html": _one(read_html),
    "feed": read_feed,
    "jsonl": read_jsonl,
    "csv": read_csv,
}


def iter_documents(paths: Iterable[str]) -> Iterator[Document | SourceError]:
    """Documents of every file, folder (recursed, sorted) or `-` (stdin); errors are yielded, not raised."""
    for path in paths:
        if path == STDIN:
            yield from read_bytes(sys.stdin.buffer.read(), STDIN)
        elif os.path.isdir(path):
            yield from read_folder(path)
        elif os.path.lexists(path):
            yield from read_file(path)
        else:
            yield SourceError(path, "no such file or directory")


def read_folder(folder: str) -> Iterator[Document | SourceError]:
    """Documents of the files under `folder` in path order.

    Hidden names (`.git`, `.DS_Store`) and files of other kinds (`.ann`, `.png`) are skipped;
    a file named on the command line is always read.
    """
    yield from _read_tree(folder, {os.path.realpath(folder)})


def _read_tree(folder: str, seen: set[str]) -> Iterator[Document | SourceError]:
    """`read_folder`, following folder symlinks once each (`seen` holds real paths) so loops end."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted((entry for entry in scan if not entry.name.startswith(".")), key=_name)
    except OSError as error:
        yield SourceError(folder, _os_reason(error))
        return
    for entry in entries:
        path = os.path.join(folder, entry.name)
        if entry.is_dir():
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                yield from _read_tree(path, seen)
        elif os.path.splitext(entry.name)[1].lower() not in FOLDER_EXTENSIONS:
            continue
        elif entry.is_file() or not os.path.exists(path):  # a broken symlink reports itself
            yield from read_file(path)
        else:
            yield SourceError(path, "not a regular file")  # a FIFO or socket would block or fail


def read_file(path: str) -> Iterator[Document | SourceError]:
    """Documents of one file, or a `SourceError` when it cannot be opened."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        yield SourceError(path, _os_reason(error))
        return
    yield from read_bytes(data, path)


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _os_reason(error: OSError) -> str:
    """The OS's reason in lower case: `permission denied`, not `[Errno 13] Permission denied: 'x'`."""
    return (error.strerror or type(error).__name__).lower()


def read_bytes(data: bytes, source: str) -> Iterator[Document | SourceError]:
    """Documents of a file's content; `source` names it in documents and errors and gives its extension."""
    try:
        content = decode(data, source)
        for result in READERS[detect_format(source, content)](content, source):
            yield _within_size_limit(_without_nul(result))
    except SourceError as error:
        yield error


def _without_nul(result: Document | SourceError) -> Document | SourceError:
    """The document with each NUL character (from a JSON `\\u0000` escape, say) replaced by U+FFFD.

    One character for one keeps every offset; PostgreSQL cannot store NUL in text, so without this
    the same document would be stored by SQLite and refused by PostgreSQL.
    """
    if isinstance(result, SourceError):
        return result
    for name in ("text", "title", "url", "published", "item", "id"):
        value = getattr(result, name)
        if value and "\x00" in value:
            setattr(result, name, value.replace("\x00", "\ufffd"))
    return result


def _within_size_limit(result: Document | SourceError) -> Document | SourceError:
    """The document, or a `SourceError` when its text is over `MAX_DOCUMENT_CHARS`."""
    if isinstance(result, SourceError) or len(result.text) <= MAX_DOCUMENT_CHARS:
        return result
    reason = f"too long: {len(result.text):,} characters (limit {MAX_DOCUMENT_CHARS:,})"
    return SourceError(document_name(result), reason)


def document_name(doc: Document) -> str:
    """The document as errors name it: its source, with `#item` for a feed item or table row."""
    return f"{doc.source}#{doc.item}" if doc.item else doc.source


def detect_format(source: str, content: str) -> str:
    """`text`, `html`, `feed`, `jsonl` or `csv`: from a known extension, else from the content."""
    extension = os.path.splitext(source)[1].lower()
    return FORMAT_BY_EXTENSION.get(extension) or sniff_format(content)


def sniff_format(content: str) -> str:
    """Markup is HTML or a feed by its opening; a first line holding a JSON object is JSONL; else text."""
    head = content[:SNIFF_CHARS].lstrip().lower()
    if head.startswith(HTML_STARTS):
        return "html"
    if head.startswith("<"):
        if any(marker in head for marker in FEED_MARKERS):
            return "feed"
        if "<html" in head:
            return "html"
    if head.startswith("{") and _is_json_object(content.lstrip().split("\n", 1)[0]):
        return "jsonl"
    return "text"


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False
