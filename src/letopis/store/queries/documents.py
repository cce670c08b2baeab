"""Documents: one as the contract has it, lists, filters (date, source, topic, entity) and headlines."""

from __future__ import annotations

import json
from typing import TypedDict

from letopis.kb.connection import Row
from letopis.model import Document
from letopis.store.queries.clauses import _check_day, _count, _filters, _where
from letopis.store.queries.rows import DocumentRow, _document_row
from letopis.store.store import Store

HEADLINE_CHARS = 140


class DocumentListRow(DocumentRow):
    """A document as listed, with a `headline`: its title, else the start of its text."""

    headline: str


class DocumentPage(TypedDict):
    """One page of documents and how many match in all."""

    items: list[DocumentListRow]
    total: int


def get_document(store: Store, doc_id: str) -> Document | None:
    """The stored document as the contract describes it, each entity's `kb_id` set to its store entity."""
    connection = store.connection
    row = connection.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    record = json.loads(row["record"])
    kb = {
        link["local_id"]: link["entity_id"]
        for link in connection.execute(
            "SELECT local_id, entity_id FROM doc_entities WHERE doc_id = ?", (doc_id,)
        )
    }
    for entity in record["entities"]:
        entity["kb_id"] = kb.get(entity["id"])
    return Document.from_dict(record)


def list_documents(store: Store, limit: int = 50, offset: int = 0) -> list[DocumentRow]:
    """Documents, newest publication first (undated last)."""
    rows = store.connection.execute(
        "SELECT id, title, published, source FROM documents"
        " ORDER BY published IS NULL, published DESC, id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [_document_row(row) for row in rows]


def document_filters(
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    topic: str | None = None,
    entity: int | None = None,
) -> tuple[list[str], dict]:
    """SQL conditions on `d` (documents) and their parameters; `source` matches part of a path or URL."""
    return _filters(
        ("d.published >= :since", "since", _check_day(since or None)),
        ("d.published <= :until", "until", _check_day(until or None)),
        ("(instr(d.source, :source) > 0 OR instr(coalesce(d.url, ''), :source) > 0)", "source", source),
        ("d.id IN (SELECT doc_id FROM topics WHERE code = :topic)", "topic", topic),
        ("d.id IN (SELECT doc_id FROM doc_entities WHERE entity_id = :entity)", "entity", entity),
    )


def filter_documents(
    store: Store,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    topic: str | None = None,
    entity: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> DocumentPage:
    """Documents in [since, until], from a source, on an SDG code, naming an entity; newest first."""
    clauses, params = document_filters(since, until, source, topic, entity)
    where = _where(clauses)
    rows = store.connection.execute(
        f"SELECT d.id, d.title, d.published, d.source, substr(d.text, 1, {HEADLINE_CHARS}) AS head"
        f" FROM documents AS d{where}"
        " ORDER BY d.published IS NULL, d.published DESC, d.id LIMIT :limit OFFSET :offset",
        {**params, "limit": limit, "offset": offset},
    )
    items = [_document_list_row(row) for row in rows]
    return DocumentPage(items=items, total=_count(store, f"SELECT 1 FROM documents AS d{where}", params))


def _document_list_row(row: Row) -> DocumentListRow:
    headline = row["title"] or " ".join(row["head"].split())
    return DocumentListRow(**_document_row(row), headline=headline)


def headlines(store: Store, doc_ids: list[str]) -> dict[str, str]:
    """Each document's title, else the start of its text: for documents listed without one."""
    found: dict[str, str] = {}
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.connection.execute(
            f"SELECT id, title, substr(text, 1, {HEADLINE_CHARS}) AS head"
            f" FROM documents WHERE id IN ({marks})",
            chunk,
        ):
            found[row["id"]] = row["title"] or " ".join(row["head"].split())
    return found
