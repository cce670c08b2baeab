"""The rows most queries return: a document and an entity as listed, an entity named by a fact."""

from __future__ import annotations

from typing import TypedDict

from letopis.kb.connection import Row


class DocumentRow(TypedDict):
    """A document as listed: enough to show a line and link to it."""

    id: str
    title: str | None
    published: str | None
    source: str


class EntityRow(TypedDict):
    """A cross-document entity as listed."""

    id: int
    type: str
    name: str
    mention_count: int


class EntityRef(TypedDict):
    """An entity named by a fact, as a link: id, type, name."""

    id: int
    type: str
    name: str


def _entity_row(row: Row) -> EntityRow:
    return EntityRow(id=row["id"], type=row["type"], name=row["name"], mention_count=row["mention_count"])


def _document_row(row: Row) -> DocumentRow:
    return DocumentRow(id=row["id"], title=row["title"], published=row["published"], source=row["source"])


def _ref(entity_id: int | None, type: str | None, name: str | None) -> EntityRef | None:
    if entity_id is None:
        return None
    return EntityRef(id=entity_id, type=type or "", name=name or "")
