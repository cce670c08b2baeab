"""The read side of the store: search, documents, entities and summaries as JSON-ready dicts."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import TypedDict

from razdel import sentenize

from letopis.errors import QueryError
from letopis.model import Document
from letopis.nlp.lemmas import WORD, lemma, lemmatize
from letopis.store.sqlite import Store, entity_key

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOP_ENTITIES = 10


class DocumentRow(TypedDict):
    """A document as listed: enough to show a line and link to it."""

    id: str
    title: str | None
    published: str | None
    source: str


class Snippet(TypedDict):
    """The first sentence holding a query word: `snippet_start` is where it starts in the document's
    text, `marks` the (start, end) of the matched words within `snippet`."""

    snippet: str | None
    snippet_start: int | None
    marks: list[tuple[int, int]]


class DocumentHit(DocumentRow, Snippet):
    """A document matching a search, with its snippet."""


class EntityRow(TypedDict):
    """A cross-document entity as listed."""

    id: int
    type: str
    name: str
    mention_count: int


class SearchResult(TypedDict):
    """Documents and entities matching one query."""

    documents: list[DocumentHit]
    entities: list[EntityRow]


class CoMention(TypedDict):
    """An entity named alongside another; `count` is in how many documents."""

    id: int
    type: str
    name: str
    count: int


class EntityProfile(EntityRow):
    """Everything the store knows about one entity."""

    aliases: list[str]
    documents: list[DocumentRow]
    co_mentioned: list[CoMention]


class Summary(TypedDict):
    """Counts for the whole store and the most mentioned entities of each type."""

    documents: int
    mentions: int
    entities_by_type: dict[str, int]
    top_entities: dict[str, list[EntityRow]]


# --- search --------------------------------------------------------------------------------------


def query_lemmas(query: str) -> list[str]:
    """The query's distinct lemmas; `QueryError` when it has no words at all."""
    lemmas = list(dict.fromkeys(lemmatize(query).split()))
    if not lemmas:
        raise QueryError(f"nothing to search for in {query!r}: it has no words")
    return lemmas


def fts_match(lemmas: list[str]) -> str:
    """An FTS5 expression requiring every lemma; each is quoted, so no input is read as FTS syntax."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in lemmas)


def search(
    store: Store, query: str, type: str | None = None, since: str | None = None, limit: int = 20
) -> SearchResult:
    """Documents and entities whose lemmas include every lemma of `query` ("Балаевой" finds "Балаева")."""
    lemmas = query_lemmas(query)
    params = {
        "match": fts_match(lemmas),
        "type": type.upper() if type else None,
        "since": _check_day(since),
        "limit": limit,
    }
    connection = store.connection
    entities = [_entity_row(row) for row in connection.execute(SEARCH_ENTITIES, params)]
    wanted = set(lemmas)
    documents = [
        DocumentHit(**_document_row(row), **find_snippet(row["text"], wanted))
        for row in connection.execute(SEARCH_DOCUMENTS, params)
    ]
    return SearchResult(documents=documents, entities=entities)


SEARCH_ENTITIES = """
SELECT e.id, e.type, e.name, e.mention_count
FROM entities_fts JOIN entities AS e ON e.id = entities_fts.rowid
WHERE entities_fts MATCH :match AND (:type IS NULL OR e.type = :type)
ORDER BY e.mention_count DESC, bm25(entities_fts), e.id
LIMIT :limit
"""

# With a type, a document must also name an entity of that type whose names match the query.
SEARCH_DOCUMENTS = """
SELECT d.id, d.title, d.published, d.source, d.text
FROM documents_fts JOIN documents AS d ON d.seq = documents_fts.rowid
WHERE documents_fts MATCH :match
  AND (:since IS NULL OR d.published >= :since)
  AND (:type IS NULL OR d.id IN (
        SELECT de.doc_id FROM doc_entities AS de JOIN entities AS e ON e.id = de.entity_id
        WHERE e.type = :type
          AND e.id IN (SELECT rowid FROM entities_fts WHERE entities_fts MATCH :match)))
ORDER BY bm25(documents_fts, 0.0, 2.0, 1.0), d.published DESC, d.id
LIMIT :limit
"""


def find_snippet(text: str, lemmas: set[str]) -> Snippet:
    """The first sentence with a word whose lemma is wanted, else the first sentence unmarked."""
    first = Snippet(snippet=None, snippet_start=None, marks=[])
    for sentence in sentenize(text):
        marks = [(m.start(), m.end()) for m in WORD.finditer(sentence.text) if lemma(m.group()) in lemmas]
        if marks:
            return Snippet(snippet=sentence.text, snippet_start=sentence.start, marks=marks)
        if first["snippet"] is None:
            first = Snippet(snippet=sentence.text, snippet_start=sentence.start, marks=[])
    return first


def _check_day(day: str | None) -> str | None:
    if day is not None and not ISO_DAY.match(day):
        raise QueryError(f"not a date: {day!r} (expected YYYY-MM-DD)")
    return day


# --- documents -----------------------------------------------------------------------------------


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


# --- entities ------------------------------------------------------------------------------------


def find_entities(store: Store, name: str, type: str | None = None, limit: int = 20) -> list[EntityRow]:
    """Entities called `name`: exact name or alias first, then those whose names hold all its lemmas."""
    if not name.strip():
        raise QueryError("no entity name given")
    params = {"key": entity_key(name), "type": type.upper() if type else None, "limit": limit}
    connection = store.connection
    found = {row["id"]: _entity_row(row) for row in connection.execute(FIND_ENTITIES_EXACT, params)}
    lemmas = list(dict.fromkeys(lemmatize(name).split()))
    if lemmas:
        params["match"] = fts_match(lemmas)
        for row in connection.execute(SEARCH_ENTITIES, params):
            found.setdefault(row["id"], _entity_row(row))
    return list(found.values())[:limit]


FIND_ENTITIES_EXACT = """
SELECT DISTINCT e.id, e.type, e.name, e.mention_count
FROM aliases AS a JOIN entities AS e ON e.id = a.entity_id
WHERE a.key = :key AND (:type IS NULL OR e.type = :type)
ORDER BY e.mention_count DESC, e.id
LIMIT :limit
"""


def entity_profile(store: Store, entity_id: int) -> EntityProfile | None:
    """An entity's names, its documents (newest first) and the entities named alongside it."""
    connection = store.connection
    row = connection.execute(
        "SELECT id, type, name, mention_count FROM entities WHERE id = ?", (entity_id,)
    ).fetchone()
    if row is None:
        return None
    aliases = [
        alias["alias"]
        for alias in connection.execute(
            "SELECT alias FROM aliases WHERE entity_id = ? AND alias != ? ORDER BY alias",
            (entity_id, row["name"]),
        )
    ]
    documents = [_document_row(doc) for doc in connection.execute(ENTITY_DOCUMENTS, (entity_id,))]
    co_mentioned = [
        CoMention(id=other["id"], type=other["type"], name=other["name"], count=other["count"])
        for other in connection.execute(CO_MENTIONED, (entity_id,))
    ]
    return EntityProfile(**_entity_row(row), aliases=aliases, documents=documents, co_mentioned=co_mentioned)


ENTITY_DOCUMENTS = """
SELECT DISTINCT d.id, d.title, d.published, d.source
FROM doc_entities AS de JOIN documents AS d ON d.id = de.doc_id
WHERE de.entity_id = ?
ORDER BY d.published IS NULL, d.published DESC, d.id
"""

CO_MENTIONED = """
SELECT e.id, e.type, e.name, count(DISTINCT other.doc_id) AS count
FROM doc_entities AS mine
JOIN doc_entities AS other ON other.doc_id = mine.doc_id AND other.entity_id != mine.entity_id
JOIN entities AS e ON e.id = other.entity_id
WHERE mine.entity_id = ?
GROUP BY e.id, e.type, e.name
ORDER BY count DESC, e.name, e.id
"""


def list_entities(store: Store, type: str | None = None, limit: int = 50, offset: int = 0) -> list[EntityRow]:
    """Entities, most mentioned first, optionally of one type."""
    rows = store.connection.execute(
        "SELECT id, type, name, mention_count FROM entities WHERE (:type IS NULL OR type = :type)"
        " ORDER BY mention_count DESC, name, id LIMIT :limit OFFSET :offset",
        {"type": type.upper() if type else None, "limit": limit, "offset": offset},
    )
    return [_entity_row(row) for row in rows]


def summary(store: Store) -> Summary:
    """How many documents, mentions and entities of each type; the top entities of each type."""
    connection = store.connection
    documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    mentions = connection.execute("SELECT count(*) FROM mentions").fetchone()[0]
    by_type = {
        row["type"]: row["n"]
        for row in connection.execute("SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY type")
    }
    top = {kind: list_entities(store, kind, limit=TOP_ENTITIES) for kind in by_type}
    return Summary(documents=documents, mentions=mentions, entities_by_type=by_type, top_entities=top)


def _entity_row(row: sqlite3.Row) -> EntityRow:
    return EntityRow(id=row["id"], type=row["type"], name=row["name"], mention_count=row["mention_count"])


def _document_row(row: sqlite3.Row) -> DocumentRow:
    return DocumentRow(id=row["id"], title=row["title"], published=row["published"], source=row["source"])
