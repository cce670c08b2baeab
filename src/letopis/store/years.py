"""Ingest with years inferred across documents (letopis.kb.years), kept up to date both ways.

A new document takes years from what the store already knows; then the stored documents
still missing a year are looked at again in the light of the new one.
"""

from __future__ import annotations

from letopis.kb.years import Reference, infer_years, references_from
from letopis.model import Document
from letopis.store.queries import get_document
from letopis.store.store import AddResult, Store


def announced_references(store: Store) -> list[Reference]:
    """Every announced event in the store, oldest document first, as `Reference`s."""
    rows = store.connection.execute(
        """
        SELECT d.id, d.published, e.type, e.name, e.status, e."from", e.partial
        FROM events e JOIN documents d ON d.id = e.doc_id
        WHERE e.status = 'announced'
        ORDER BY d.published IS NULL, d.published, d.id, e.start
        """
    ).fetchall()
    return [Reference(*row) for row in rows]


def _docs_missing_years(store: Store) -> list[str]:
    rows = store.connection.execute(
        """
        SELECT DISTINCT doc_id FROM events
        WHERE status = 'announced' AND "from" IS NULL
        ORDER BY doc_id
        """
    ).fetchall()
    return [row[0] for row in rows]


def add_with_years(store: Store, doc: Document) -> AddResult:
    """Store a document after inferring its missing years; then revisit stored documents it helps date."""
    doc = infer_years(doc, announced_references(store))
    result = store.add(doc)
    if result != "duplicate" and references_from(doc):
        revisit_missing_years(store)
    return result


def revisit_missing_years(store: Store) -> int:
    """Infer years again for stored documents that still lack some; the number of documents updated."""
    refs = announced_references(store)
    updated = 0
    for doc_id in _docs_missing_years(store):
        stored = get_document(store, doc_id)
        if stored is None:
            continue
        dated = infer_years(stored, refs)
        if dated is not stored and store.add(dated) == "updated":
            updated += 1
    return updated
