"""A document's rows — its documents and full-text rows, mentions, links, facts — kept until `flush`
writes them table by table: for a chunk of documents (`Store.add_many`) one statement per table,
not one per document and table; on PostgreSQL a COPY once out of pipeline mode.

Nothing that writing documents reads is in these tables, but for a document replaced, curation,
recounting mentions and a few look-ups the memo did not read ahead (kb.memo): those flush first.
A flush also writes what the memo of its transaction held back (`defer_for`: kb.entities.write_deferred).
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable
from typing import Any

from letopis.kb.connection import Connection
from letopis.kb.entities import add_mentions, write_deferred
from letopis.kb.memo import Memo
from letopis.store.schema import Dialect

# Written in this order: a document before the rows that point at it.
COLUMNS = {
    "documents": (
        "id", "seq", "source", "item", "source_key", "content_hash", "url", "title", "published", "text",
        "text_offset", "record", "ingested_at",
    ),
    "documents_fts": ("rowid", "doc_id", "title", "body"),
    "doc_entities": (
        "doc_id", "local_id", "entity_id", "mentions", "name", "name_key", "names", "rule", "evidence",
    ),
    "positions": (
        "doc_id", "person", "person_entity_id", "title", "organization", "organization_entity_id", "as_of",
        "start", "end", "title_key", "head", "office_key", "review",
    ),
    "quotes": (
        "doc_id", "speaker", "speaker_entity_id", "speaker_text", "text", "kind", "start", "end", "review",
    ),
    "events": (
        "doc_id", "local_id", "type", "name", "status", "from", "to", "place", "place_entity_id",
        "participants", "organizations", "outcome", "start", "end", "partial", "review",
    ),
    "dates": ("doc_id", "start", "end", "text", "from", "to", "precision", "partial"),
    "topics": ("doc_id", "scheme", "code", "label", "score", "start", "end"),
}  # fmt: skip


class PendingRows:
    """Rows to write to the tables of COLUMNS (each a tuple in its order), and mentions to count."""

    def __init__(self, connection: Connection, dialect: Dialect) -> None:
        self.connection = connection
        self.dialect = dialect
        self._rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
        self._mentions: Counter[int] = Counter()
        self._memo: weakref.ref[Memo] | None = None

    def add(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        self._rows[table].extend(rows)

    def defer_for(self, memo: Memo) -> None:
        """Write what `memo` holds back at each flush. Held weakly: the memo holds this object's flush
        (before its reads), and a cycle would keep each chunk's memo until the garbage collector ran."""
        self._memo = weakref.ref(memo)

    def count_mentions(self, counts: dict[int, int]) -> None:
        """Mentions a new document adds to these entities' counts (kb.entities.add_mentions)."""
        self._mentions.update(counts)

    def flush(self) -> None:
        """Write what is pending: what the memo held back, then table by table."""
        memo = self._memo() if self._memo is not None else None
        if memo is not None:
            write_deferred(self.connection, memo)
        for table, columns in COLUMNS.items():
            if self._rows[table]:
                self.dialect.insert_rows(self.connection, table, columns, self._rows[table])
                self._rows[table] = []
        if self._mentions:
            add_mentions(self.connection, self._mentions)
            self._mentions = Counter()
