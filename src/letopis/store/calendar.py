"""The calendar of announced events held in the store: each event once, however many articles announce it."""

from __future__ import annotations

from letopis.calendar import Item, announced_events
from letopis.kb.years import Reference, same_event
from letopis.model import Event
from letopis.store.queries import get_document
from letopis.store.store import Store


def _announcing_documents(store: Store) -> list[str]:
    rows = store.connection.execute(
        "SELECT DISTINCT doc_id FROM events WHERE status = 'announced' ORDER BY doc_id"
    ).fetchall()
    return [row[0] for row in rows]


def calendar_items(store: Store, start: str | None = None, end: str | None = None) -> list[Item]:
    """Announced events between `start` and `end` (inclusive), by date, the same event kept once."""
    docs = [doc for doc in (get_document(store, i) for i in _announcing_documents(store)) if doc]
    kept: list[Item] = []
    for doc_id, event in announced_events(docs, start, end):
        if not any(_same(event, other) for _, other in kept):
            kept.append((doc_id, event))
    return kept


def _same(event: Event, other: Event) -> bool:
    """One real event: same type, matching names, and the same dates (both known) or one undated."""
    if event.from_ and other.from_ and (event.from_, event.to) != (other.from_, other.to):
        return False
    ref = Reference("", None, other.type, other.name, other.status, other.from_, other.partial)
    return same_event(event, ref)
