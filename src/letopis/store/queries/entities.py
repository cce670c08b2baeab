"""Entities: found by name, listed, searched, profiled; aliases, documents, co-mentions, mentions by month."""

from __future__ import annotations

from typing import TypedDict

from letopis.errors import QueryError
from letopis.nlp.lemmas import query_terms
from letopis.store.queries.clauses import _count, _filters, _where
from letopis.store.queries.documents import DocumentPage, filter_documents
from letopis.store.queries.full_text import _entities_search_sql, _matching_entity_ids, query_lemmas
from letopis.store.queries.rows import DocumentRow, EntityRow, _document_row, _entity_row
from letopis.store.store import Store, entity_key


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


class EntityPage(TypedDict):
    """One page of entities and how many match in all."""

    items: list[EntityRow]
    total: int


class MonthCount(TypedDict):
    month: str
    mentions: int
    documents: int


def find_entities(store: Store, name: str, type: str | None = None, limit: int = 20) -> list[EntityRow]:
    """Entities called `name`: exact name or alias first, then those whose names hold all its lemmas."""
    if not name.strip():
        raise QueryError("no entity name given")
    params = {"key": entity_key(name), "type": type.upper() if type else None, "limit": limit}
    connection = store.connection
    found = {row["id"]: _entity_row(row) for row in connection.execute(FIND_ENTITIES_EXACT, params)}
    terms = query_terms(name)
    if terms:
        params["match"] = store.dialect.fts_query(terms)
        for row in connection.execute(_entities_search_sql(store), params):
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
ORDER BY d.published DESC NULLS LAST, d.id
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


def search_entities(
    store: Store, q: str | None = None, type: str | None = None, limit: int = 50, offset: int = 0
) -> EntityPage:
    """Entities whose names hold every lemma of `q` (or named exactly `q`), most mentioned first."""
    clauses, params = _filters(("e.type = :type", "type", type.upper() if type else None))
    params.update(limit=limit, offset=offset)
    if q is not None and q.strip():
        params["match"] = store.dialect.fts_query(query_lemmas(q))
        params["key"] = entity_key(q)
        clauses.append(
            f"(e.id IN ({_matching_entity_ids(store)})"
            " OR e.id IN (SELECT entity_id FROM aliases WHERE key = :key))"
        )
    where = _where(clauses)
    rows = store.connection.execute(
        f"SELECT e.id, e.type, e.name, e.mention_count FROM entities AS e{where}"
        " ORDER BY e.mention_count DESC, e.name, e.id LIMIT :limit OFFSET :offset",
        params,
    )
    items = [_entity_row(row) for row in rows]
    return EntityPage(items=items, total=_count(store, f"SELECT 1 FROM entities AS e{where}", params))


def get_entity(store: Store, entity_id: int) -> EntityRow | None:
    """One entity as listed, or None."""
    row = store.connection.execute(
        "SELECT id, type, name, mention_count FROM entities WHERE id = ?", (entity_id,)
    ).fetchone()
    return None if row is None else _entity_row(row)


def entity_aliases(store: Store, entity_id: int) -> list[str]:
    """Every name the entity is known by, but its own."""
    return [
        row["alias"]
        for row in store.connection.execute(
            "SELECT a.alias FROM aliases AS a JOIN entities AS e ON e.id = a.entity_id"
            " WHERE a.entity_id = ? AND a.alias != e.name ORDER BY a.alias",
            (entity_id,),
        )
    ]


def entity_documents(store: Store, entity_id: int, limit: int = 20, offset: int = 0) -> DocumentPage:
    """The documents naming an entity, newest first."""
    return filter_documents(store, entity=entity_id, limit=limit, offset=offset)


def co_mentions(store: Store, entity_id: int, limit: int = 30) -> list[CoMention]:
    """The entities named in the same documents, most shared documents first: among the entity's
    `CO_MENTION_LINKS` latest links (`co_mentions_over` says how many documents that is), so that
    an entity of 30,000 documents answers in milliseconds (all of them took a second at 100,000)."""
    rows = store.connection.execute(
        TOP_CO_MENTIONED.format(latest=_latest_links(store)),
        {"entity": entity_id, "limit": limit, "links": CO_MENTION_LINKS},
    )
    return [CoMention(id=row["id"], type=row["type"], name=row["name"], count=row["count"]) for row in rows]


def co_mentions_over(store: Store, entity_id: int) -> int:
    """How many documents `co_mentions` counted: the entity's, or those of its latest links."""
    sql = f"SELECT count(DISTINCT doc_id) FROM ({_latest_links(store)}) AS latest"
    return store.connection.execute(sql, {"entity": entity_id, "links": CO_MENTION_LINKS}).fetchone()[0]


def _latest_links(store: Store) -> str:
    """The documents of the entity's `:links` latest links (`doc_entities` rows as stored)."""
    return (
        "SELECT doc_id FROM doc_entities WHERE entity_id = :entity"
        f" ORDER BY {store.dialect.row_order} DESC LIMIT :links"
    )


CO_MENTION_LINKS = 2000  # links of an entity to documents whose other entities `co_mentions` counts
# Counted before the names are joined, so only the top few rows ever meet the entities table.
TOP_CO_MENTIONED = """
SELECT e.id, e.type, e.name, top.count FROM (
    SELECT other.entity_id AS id, count(DISTINCT other.doc_id) AS count
    FROM (SELECT DISTINCT doc_id FROM ({latest}) AS latest) AS mine
    JOIN doc_entities AS other ON other.doc_id = mine.doc_id
    WHERE other.entity_id != :entity
    GROUP BY other.entity_id ORDER BY count DESC, other.entity_id LIMIT :limit
) AS top JOIN entities AS e ON e.id = top.id
ORDER BY top.count DESC, e.name, e.id
"""


def mentions_by_month(store: Store, entity_id: int) -> list[MonthCount]:
    """Mentions of an entity per month of publication (undated documents left out)."""
    rows = store.connection.execute(
        "SELECT substr(d.published, 1, 7) AS month, sum(de.mentions) AS mentions,"
        " count(DISTINCT d.id) AS documents"
        " FROM doc_entities AS de JOIN documents AS d ON d.id = de.doc_id"
        " WHERE de.entity_id = ? AND d.published IS NOT NULL GROUP BY month ORDER BY month",
        (entity_id,),
    )
    return [MonthCount(month=r["month"], mentions=r["mentions"], documents=r["documents"]) for r in rows]
