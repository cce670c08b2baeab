"""The read side of the store: search, documents, entities and summaries as JSON-ready dicts."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, TypedDict, TypeVar

from razdel import sentenize

from letopis.errors import QueryError
from letopis.kb.conflicts import Conflict, head_conflicts
from letopis.kb.connection import Row
from letopis.kb.curation import edit_from_row
from letopis.kb.timelines import (
    PositionFact,
    PostHeld,
    Tenure,
    fact_reference,
    heads_over_time,
    posts_over_time,
)
from letopis.kb.years import name_key
from letopis.model import Document
from letopis.nlp.lemmas import WORD, lemma, lemmatize
from letopis.store.store import Store, entity_key

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TOP_ENTITIES = 10
Read = TypeVar("Read")


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


def _over_full_text(read: Callable[..., Read]) -> Callable[..., Read]:
    """A read that matches the full-text index, run under the store's planner settings for that."""

    @functools.wraps(read)
    def reading(store: Store, *args: Any, **kwargs: Any) -> Read:
        with store.dialect.full_text_plans(store.connection):
            return read(store, *args, **kwargs)

    return reading


@_over_full_text
def search(
    store: Store, query: str, type: str | None = None, since: str | None = None, limit: int = 20
) -> SearchResult:
    """Documents and entities whose lemmas include every lemma of `query` ("Балаевой" finds "Балаева")."""
    lemmas = query_lemmas(query)
    params = {
        "match": store.dialect.fts_query(lemmas),
        "type": type.upper() if type else None,
        "since": _check_day(since),
        "limit": limit,
    }
    entities = [_entity_row(row) for row in store.connection.execute(_entities_search_sql(store), params)]
    conditions = [
        "(:since IS NULL OR d.published >= :since)",
        f"(:type IS NULL OR {_matching_entity_of_type(store)})",
    ]
    wanted = set(lemmas)
    documents = [
        DocumentHit(**_document_row(row), **find_snippet(row["text"], wanted))
        for row in _ranked_documents(store, conditions, params, limit, 0)
    ]
    return SearchResult(documents=documents, entities=entities)


# Full-text matching and ranking are the one part of the SQL that differs between SQLite (FTS5) and
# PostgreSQL (tsvector): the store's dialect writes them; `:match` is its `fts_query` of the lemmas.


def _matching(store: Store, table: str) -> str:
    """SQL true for the rows of `table` (documents_fts, entities_fts) holding every lemma of :match."""
    return store.dialect.fts_match(table, ":match")


def _best_first(store: Store, table: str) -> str:
    """SQL to order the matching rows of `table` by, best first."""
    return store.dialect.fts_rank(table, ":match")


def _matching_entity_ids(store: Store) -> str:
    return f"SELECT rowid FROM entities_fts WHERE {_matching(store, 'entities_fts')}"


def _matching_document_seqs(store: Store) -> str:
    return f"SELECT rowid FROM documents_fts WHERE {_matching(store, 'documents_fts')}"


def _entities_search_sql(store: Store) -> str:
    """Entities whose names match :match, of type :type if not NULL, most mentioned first."""
    return f"""
SELECT e.id, e.type, e.name, e.mention_count
FROM entities_fts JOIN entities AS e ON e.id = entities_fts.rowid
WHERE {_matching(store, "entities_fts")} AND (:type IS NULL OR e.type = :type)
ORDER BY e.mention_count DESC, {_best_first(store, "entities_fts")}, e.id
LIMIT :limit
"""


# Ranking reads each match's term statistics (FTS5's bm25, PostgreSQL's ts_rank), so ranking every
# match of a common word grows with the store ("президент" matches 34,000 of 100,000 documents: 60 ms
# to rank on SQLite). Hits come in two runs: the RANKED_MATCHES most recently stored matches, best
# first, then the older ones, best first. The first pages cost the same at any size; a page past the
# first run ranks the older matches.
RANKED_MATCHES = 2000
_DOCUMENT_HITS = (
    "SELECT d.id, d.title, d.published, d.source, d.text"
    " FROM documents_fts JOIN documents AS d ON d.seq = documents_fts.rowid"
)


def _ranked_documents(
    store: Store, conditions: list[str], params: dict[str, Any], limit: int, offset: int
) -> list[Row]:
    """A page of the documents matching :match and every one of `conditions` (SQL on `d`), in the
    order above: the newest RANKED_MATCHES best first, then the rest best first."""
    where = " AND ".join([_matching(store, "documents_fts"), *conditions])
    newest = _newest_matches_start(store, where, params)
    if newest is None:  # no more matches than one run: rank them all
        return _document_hits(store, where, params, limit, offset)
    params = {**params, "newest": newest}
    rows = []
    if offset < RANKED_MATCHES:
        run = min(limit, RANKED_MATCHES - offset)
        newer = f"{where} AND {_fts_rowid(store)} >= :newest"
        rows = _document_hits(store, newer, params, run, offset)
    if len(rows) < limit:
        older = f"{where} AND {_fts_rowid(store)} < :newest"
        rows += _document_hits(store, older, params, limit - len(rows), max(0, offset - RANKED_MATCHES))
    return rows


def _fts_rowid(store: Store) -> str:
    return store.dialect.fts_rowid("documents_fts")


def _document_hits(store: Store, where: str, params: dict[str, Any], limit: int, offset: int) -> list[Row]:
    return store.connection.execute(
        f"{_DOCUMENT_HITS} WHERE {where}"
        f" ORDER BY {_best_first(store, 'documents_fts')}, d.published DESC NULLS LAST, d.id"
        " LIMIT :limit OFFSET :offset",
        {**params, "limit": limit, "offset": offset},
    ).fetchall()


def _newest_matches_start(store: Store, where: str, params: dict[str, Any]) -> int | None:
    """The full-text rowid of the RANKED_MATCHES-th newest match, None when fewer match: reading
    rowids in order is cheap, ranking is not."""
    row = store.connection.execute(
        "SELECT documents_fts.rowid AS seq"
        " FROM documents_fts JOIN documents AS d ON d.seq = documents_fts.rowid"
        f" WHERE {where} ORDER BY {_fts_rowid(store)} DESC LIMIT 1 OFFSET :last",
        {**params, "last": RANKED_MATCHES - 1},
    ).fetchone()
    return None if row is None else row["seq"]


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
        params["match"] = store.dialect.fts_query(lemmas)
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


def _entity_row(row: Row) -> EntityRow:
    return EntityRow(id=row["id"], type=row["type"], name=row["name"], mention_count=row["mention_count"])


def _document_row(row: Row) -> DocumentRow:
    return DocumentRow(id=row["id"], title=row["title"], published=row["published"], source=row["source"])


# =================================================================================================
# Facts for the web UI and the REST API (letopis.web, letopis.api): pages with totals, facts by
# entity, events for the calendar, topic counts, the entity graph, faceted search.
# Filters are fixed SQL fragments joined in Python; user input only ever travels as parameters.
# Facts a curator rejected (`review = 'rejected'`, migration 0002) are left out.
# =================================================================================================

# SQLite's lower() and PostgreSQL's on a "C" column change ASCII letters only; a parameter is lowered
# the same way in Python, so a title filter answers alike on both.
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
HEADLINE_CHARS = 140


class DocumentListRow(DocumentRow):
    """A document as listed, with a `headline`: its title, else the start of its text."""

    headline: str


class DocumentPage(TypedDict):
    """One page of documents and how many match in all."""

    items: list[DocumentListRow]
    total: int


class EntityPage(TypedDict):
    """One page of entities and how many match in all."""

    items: list[EntityRow]
    total: int


class EntityRef(TypedDict):
    """An entity named by a fact, as a link: id, type, name."""

    id: int
    type: str
    name: str


class PositionRow(TypedDict):
    """One stored position: who, which post, where, as of when, and the evidence span."""

    id: int
    doc_id: str
    person: EntityRef | None
    title: str
    organization: EntityRef | None
    as_of: str | None
    start: int
    end: int
    evidence: str


class PositionPage(TypedDict):
    items: list[PositionRow]
    total: int


class Post(TypedDict):
    """A post held by a person over time, as the knowledge base's timeline has it (kb.timelines.PostHeld):
    first and last date the texts vouch for it, in how many documents (`doc_ids`), the position facts;
    `doc_id`, `start` and `end` are the span of its earliest dated fact, to link to."""

    title: str
    organization: EntityRef | None
    first_seen: str | None
    last_seen: str | None
    documents: int
    doc_id: str
    start: int
    end: int
    current: bool
    confirmed: bool
    doc_ids: list[str]
    facts: list[str]


class QuoteRow(TypedDict):
    """One stored quote with its speaker and the document it is from."""

    id: int
    doc_id: str
    published: str | None
    speaker: EntityRef | None
    speaker_text: str | None
    text: str
    kind: str
    start: int
    end: int
    documents: int


class QuotePage(TypedDict):
    items: list[QuoteRow]
    total: int


# One event (or, grouped, every copy of it: `documents` says in how many it is reported); "from" as
# in the contract, hence the functional form.
EventRow = TypedDict(
    "EventRow",
    {
        "id": int,
        "doc_id": str,
        "local_id": str,
        "type": str,
        "name": str,
        "status": str,
        "from": str | None,
        "to": str | None,
        "partial": str | None,
        "place": EntityRef | None,
        "participants": list[EntityRef],
        "organizations": list[EntityRef],
        "outcome": str | None,
        "start": int,
        "end": int,
        "documents": int,
    },
)


class EventPage(TypedDict):
    items: list[EventRow]
    total: int


class EventReport(TypedDict):
    """One document's report of an event: the event fact, its name there, its span."""

    id: int
    doc_id: str
    published: str | None
    name: str
    start: int
    end: int


class CalendarEvent(EventRow):
    """One real event however many documents announce it: the fields of its most specific report, and
    the reports (`documents` counts them all, `reports` lists the newest CALENDAR_REPORTS)."""

    reports: list[EventReport]


class TopicCount(TypedDict):
    """A topic code with how many documents carry it."""

    scheme: str
    code: str
    label: str
    documents: int


class MonthCount(TypedDict):
    month: str
    mentions: int
    documents: int


class FacetValue(TypedDict):
    value: str
    label: str
    count: int


class SearchPage(TypedDict):
    """A page of search hits with their total, the matching entities and facet counts."""

    documents: list[DocumentHit]
    entities: list[EntityRow]
    total: int
    facets: dict[str, list[FacetValue]]
    facets_over: int  # the hits the facets count: all of them, or the newest RANKED_MATCHES


class GraphNode(TypedDict):
    id: int
    type: str
    name: str
    mention_count: int


class GraphEdge(TypedDict):
    """Two entities linked: `kind` is "meeting" (they took part in one event) or "co-mention"."""

    source: int
    target: int
    kind: str
    weight: int
    label: str | None


class Graph(TypedDict):
    nodes: list[GraphNode]
    edges: list[GraphEdge]


def _filters(*conditions: tuple[str, str, object]) -> tuple[list[str], dict]:
    """The SQL conditions whose parameter has a value, with the parameters, from
    (condition, parameter name, value) triples: ("p.person_entity_id = :person", "person", 7)."""
    clauses: list[str] = []
    params: dict = {}
    for clause, name, value in conditions:
        if value is not None and value != "":
            clauses.append(clause)
            params[name] = value
    return clauses, params


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _count(store: Store, sql: str, params: dict) -> int:
    return store.connection.execute(f"SELECT count(*) FROM ({sql}) AS counted", params).fetchone()[0]


def _ref(entity_id: int | None, type: str | None, name: str | None) -> EntityRef | None:
    if entity_id is None:
        return None
    return EntityRef(id=entity_id, type=type or "", name=name or "")


# --- documents -----------------------------------------------------------------------------------


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


def fact_counts(store: Store) -> dict[str, int]:
    """How many positions, quotes, dates, events (and announced ones) and topic tags the store holds."""
    connection = store.connection
    counts = {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("positions", "quotes", "dates", "events", "topics")
    }
    counts["announced"] = connection.execute(
        "SELECT count(*) FROM events WHERE status = 'announced'"
    ).fetchone()[0]
    return counts


# --- entities ------------------------------------------------------------------------------------


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
    """The entities named in the same documents, most shared documents first."""
    rows = store.connection.execute(TOP_CO_MENTIONED, {"entity": entity_id, "limit": limit})
    return [CoMention(id=row["id"], type=row["type"], name=row["name"], count=row["count"]) for row in rows]


# Counted before the names are joined, so only the top few rows ever meet the entities table.
TOP_CO_MENTIONED = """
SELECT e.id, e.type, e.name, top.count FROM (
    SELECT other.entity_id AS id, count(DISTINCT other.doc_id) AS count
    FROM doc_entities AS mine JOIN doc_entities AS other ON other.doc_id = mine.doc_id
    WHERE mine.entity_id = :entity AND other.entity_id != :entity
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


# --- positions -----------------------------------------------------------------------------------

POSITION_COLUMNS = """
p.id, p.doc_id, p.title, p.as_of, p.start, p."end",
substr(d.text, p.start + 1, p."end" - p.start) AS evidence,
per.id AS person_id, per.type AS person_type, per.name AS person_name,
org.id AS org_id, org.type AS org_type, org.name AS org_name
FROM positions AS p JOIN documents AS d ON d.id = p.doc_id
LEFT JOIN entities AS per ON per.id = p.person_entity_id
LEFT JOIN entities AS org ON org.id = p.organization_entity_id
"""


def list_positions(
    store: Store,
    person: int | None = None,
    organization: int | None = None,
    title: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> PositionPage:
    """Positions, oldest `as_of` first; of one person, at one organisation, or with a title part."""
    clauses, params = _filters(
        ("p.person_entity_id = :person", "person", person),
        ("p.organization_entity_id = :organization", "organization", organization),
        ("instr(lower(p.title), :title) > 0", "title", title.translate(ASCII_LOWER) if title else None),
    )
    clauses.insert(0, "coalesce(p.review, '') != 'rejected'")
    params.update(limit=limit, offset=offset)
    where = _where(clauses)
    rows = store.connection.execute(
        f"SELECT {POSITION_COLUMNS}{where}"
        " ORDER BY p.as_of IS NULL, p.as_of, p.id LIMIT :limit OFFSET :offset",
        params,
    )
    items = [_position_row(row) for row in rows]
    return PositionPage(items=items, total=_count(store, f"SELECT 1 FROM positions AS p{where}", params))


def _position_row(row: Row) -> PositionRow:
    return PositionRow(
        id=row["id"],
        doc_id=row["doc_id"],
        person=_ref(row["person_id"], row["person_type"], row["person_name"]),
        title=row["title"],
        organization=_ref(row["org_id"], row["org_type"], row["org_name"]),
        as_of=row["as_of"],
        start=row["start"],
        end=row["end"],
        evidence=row["evidence"],
    )


def entity_posts(store: Store, entity_id: int) -> list[Post]:
    """The posts a person held, earliest first, folded as the knowledge base's timeline folds them
    (`post_timeline`): "министр иностранных дел РК" and "министр иностранных дел Республики Казахстан"
    are one post, and so is "глава МИД" when it heads the same office."""
    facts = _position_facts(store, "AND p.person_entity_id = ?", (entity_id,))
    by_reference = {fact_reference("position", fact["id"]): fact for fact in facts}
    posts = []
    for held in posts_over_time(facts):
        vouching = [by_reference[reference] for reference in held["facts"]]
        first = min(vouching, key=lambda fact: (fact["date"] is None, fact["date"] or "", fact["id"]))
        posts.append(
            Post(
                title=held["title"],
                organization=held["organization"],
                first_seen=held["first_seen"],
                last_seen=held["last_seen"],
                documents=len(held["documents"]),
                doc_id=first["doc_id"],
                start=first["start"],
                end=first["end"],
                current=held["current"],
                confirmed=held["confirmed"],
                doc_ids=held["documents"],
                facts=held["facts"],
            )
        )
    return posts


# --- quotes --------------------------------------------------------------------------------------


def list_quotes(
    store: Store,
    speaker: int | None = None,
    kind: str | None = None,
    distinct: bool = False,
    limit: int = 50,
    offset: int = 0,
    term: str | None = None,
) -> QuotePage:
    """Quotes, newest document first; `distinct` folds the same words reported in several documents;
    `term` keeps those whose words include every lemma of it ("референдума" finds "референдум")."""
    clauses, params = _filters(
        ("q.speaker_entity_id = :speaker", "speaker", speaker), ("q.kind = :kind", "kind", kind)
    )
    clauses.insert(0, "coalesce(q.review, '') != 'rejected'")
    if term:
        saying = [row["id"] for row in _quotes_saying(store, term, clauses, params)]
        clauses.append("q.id IN (SELECT CAST(value AS INTEGER) FROM json_each(CAST(:saying AS TEXT)))")
        params["saying"] = json.dumps(saying)
    params.update(limit=limit, offset=offset)
    where = _where(clauses)
    # A group (one quote; with `distinct` the same words of one speaker) shows its newest report.
    group = "q.text, q.speaker_entity_id" if distinct else "q.id"
    reports = (
        "SELECT q.id, q.doc_id, coalesce(d.published, '') AS published, q.speaker_text, q.text, q.kind,"
        ' q.start, q."end", s.id AS speaker_id, s.type AS speaker_type, s.name AS speaker_name,'
        f" count(*) OVER (PARTITION BY {group}) AS documents,"
        f" row_number() OVER (PARTITION BY {group} ORDER BY coalesce(d.published, '') DESC, q.id) AS nth"
        " FROM quotes AS q JOIN documents AS d ON d.id = q.doc_id"
        f" LEFT JOIN entities AS s ON s.id = q.speaker_entity_id{where}"
    )
    newest = f"SELECT * FROM ({reports}) AS reports WHERE nth = 1"
    page = f"{newest} ORDER BY published DESC, id LIMIT :limit OFFSET :offset"
    items = [_quote_row(row) for row in store.connection.execute(page, params)]
    return QuotePage(items=items, total=_count(store, newest, params))


QUOTES_WITH_SPEAKERS = (
    'q.id, q.doc_id, d.published, q.speaker_text, q.text, q.kind, q.start, q."end",'
    " s.id AS speaker_id, s.type AS speaker_type, s.name AS speaker_name"
    " FROM quotes AS q JOIN documents AS d ON d.id = q.doc_id"
    " LEFT JOIN entities AS s ON s.id = q.speaker_entity_id"
)


@_over_full_text
def _quotes_saying(store: Store, term: str, clauses: list[str], params: dict) -> list[Row]:
    """The quotes `clauses` keep whose own words include every lemma of `term`, newest document first:
    the full-text index finds their documents, the quote's lemmas decide."""
    lemmas = query_lemmas(term)
    where = _where([*clauses, f"d.seq IN ({_matching_document_seqs(store)})"])
    rows = store.connection.execute(
        f"SELECT {QUOTES_WITH_SPEAKERS}{where} ORDER BY d.published IS NULL, d.published DESC, q.id",
        {**params, "match": store.dialect.fts_query(lemmas)},
    )
    wanted = set(lemmas)
    return [row for row in rows if wanted <= set(lemmatize(row["text"]).split())]


def _quote_row(row: Row) -> QuoteRow:
    return QuoteRow(
        id=row["id"],
        doc_id=row["doc_id"],
        published=row["published"] or None,
        speaker=_ref(row["speaker_id"], row["speaker_type"], row["speaker_name"]),
        speaker_text=row["speaker_text"],
        text=row["text"],
        kind=row["kind"],
        start=row["start"],
        end=row["end"],
        documents=row["documents"],
    )


# --- events --------------------------------------------------------------------------------------


def list_events(
    store: Store,
    status: str | None = None,
    type: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    entity: int | None = None,
    distinct: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> EventPage:
    """Events in date order (undated last), optionally only those overlapping [date_from, date_to],
    of one status or type, or with an entity taking part; `distinct` folds copies in several documents."""
    clauses, params = _event_filters(status, type, date_from, date_to, entity)
    clauses.insert(0, "coalesce(e.review, '') != 'rejected'")
    params.update(limit=limit, offset=offset)
    where = _where(clauses)
    # A group (one event; with `distinct` the same event in several documents) shows its newest report.
    group = 'e.type, e.name, e.status, e."from", e."to", e.partial' if distinct else "e.id"
    reports = (
        'SELECT e.id, e.doc_id, e.local_id, e.type, e.name, e.status, e."from", e."to", e.partial, e.place,'
        ' e.participants, e.organizations, e.outcome, e.start, e."end",'
        f" count(*) OVER (PARTITION BY {group}) AS documents,"
        f" row_number() OVER (PARTITION BY {group} ORDER BY coalesce(d.published, '') DESC, e.id) AS nth"
        f" FROM events AS e JOIN documents AS d ON d.id = e.doc_id{where}"
    )
    newest = f"SELECT * FROM ({reports}) AS reports WHERE nth = 1"
    rows = store.connection.execute(
        f'{newest} ORDER BY "from" IS NULL, "from", partial NULLS FIRST, name, id'
        " LIMIT :limit OFFSET :offset",
        params,
    ).fetchall()
    names = _local_entities(store, {row["doc_id"] for row in rows})
    items = [_event_row(row, names) for row in rows]
    return EventPage(items=items, total=_count(store, newest, params))


def _event_filters(
    status: str | None, type: str | None, date_from: str | None, date_to: str | None, entity: int | None
) -> tuple[list[str], dict]:
    return _filters(
        ("e.status = :status", "status", status),
        ("e.type = :type", "type", type),
        ('coalesce(e."to", e."from") >= :date_from', "date_from", _check_day(date_from or None)),
        ('e."from" <= :date_to', "date_to", _check_day(date_to or None)),
        (EVENT_WITH_ENTITY, "entity", entity),
    )


# "+de.entity_id": look the event's participants up by (doc_id, local_id), not through every row of the
# entity (SQLite picks doc_entities_entity otherwise: 1 s for a much-mentioned entity of 2,000 documents).
EVENT_WITH_ENTITY = (
    "(e.place_entity_id = :entity OR EXISTS (SELECT 1 FROM doc_entities AS de"
    " WHERE de.doc_id = e.doc_id AND +de.entity_id = :entity AND de.local_id IN"
    " (SELECT p.value FROM json_each(e.participants) AS p"
    " UNION SELECT o.value FROM json_each(e.organizations) AS o)))"
)


def _local_entities(store: Store, doc_ids: set[str]) -> dict[tuple[str, str], EntityRef]:
    """(document, local entity id) -> the store entity, for the documents given."""
    found: dict[tuple[str, str], EntityRef] = {}
    ids = sorted(doc_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.connection.execute(
            "SELECT de.doc_id, de.local_id, e.id, e.type, e.name FROM doc_entities AS de"
            f" JOIN entities AS e ON e.id = de.entity_id WHERE de.doc_id IN ({marks})",
            chunk,
        ):
            ref = EntityRef(id=row["id"], type=row["type"], name=row["name"])
            found[(row["doc_id"], row["local_id"])] = ref
    return found


def _event_row(row: Row, names: dict[tuple[str, str], EntityRef]) -> EventRow:
    doc_id = row["doc_id"]

    def refs(column: str) -> list[EntityRef]:
        local_ids = json.loads(row[column])
        return [names[(doc_id, local)] for local in local_ids if (doc_id, local) in names]

    return EventRow(
        {
            "id": row["id"],
            "doc_id": doc_id,
            "local_id": row["local_id"],
            "type": row["type"],
            "name": row["name"],
            "status": row["status"],
            "from": row["from"],
            "to": row["to"],
            "partial": row["partial"],
            "place": names.get((doc_id, row["place"])) if row["place"] else None,
            "participants": refs("participants"),
            "organizations": refs("organizations"),
            "outcome": row["outcome"],
            "start": row["start"],
            "end": row["end"],
            "documents": row["documents"],
        }
    )


# --- the calendar --------------------------------------------------------------------------------

CALENDAR_REPORTS = 20


def calendar_events(
    store: Store, since: str | None = None, until: str | None = None, limit: int = 500
) -> list[CalendarEvent]:
    """Announced events overlapping [since, until], in date order (undated last), each real event once.

    Reports of one type on the same days (the same partial date, when undated) are one event when
    their names say the same, as the knowledge base decides (kb.years.name_key: one name's content
    words include the other's): "республиканский референдум" and "республиканский референдум по
    вопросу принятия новой Конституции", both on 15 March 2026, are one referendum in two documents."""
    clauses, params = _event_filters("announced", None, since, until, None)
    clauses.append("coalesce(e.review, '') != 'rejected'")
    rows = store.connection.execute(
        'SELECT e.id, e.doc_id, e.local_id, e.type, e.name, e.status, e."from", e."to", e.partial, e.place,'
        ' e.participants, e.organizations, e.outcome, e.start, e."end", 1 AS documents, d.published'
        f" FROM events AS e JOIN documents AS d ON d.id = e.doc_id{_where(clauses)}"
        ' ORDER BY e."from" IS NULL, e."from", e.partial NULLS FIRST, e.name, e.id',
        params,
    ).fetchall()
    words = {name: name_key(name) for name in {row["name"] for row in rows}}
    groups = _fold_reports(rows, words)[:limit]
    chosen = [max(group, key=lambda row: len(words[row["name"]])) for group in groups]
    names = _local_entities(store, {row["doc_id"] for row in chosen})
    return [
        CalendarEvent(
            **{**_event_row(row, names), "documents": len({report["doc_id"] for report in group})},
            reports=[_event_report(report) for report in _newest_first(group)[:CALENDAR_REPORTS]],
        )
        for row, group in zip(chosen, groups, strict=True)
    ]


def _fold_reports(rows: list[Row], words: dict[str, frozenset[str]]) -> list[list[Row]]:
    """Event rows grouped into real events (same type and days, names saying the same by their content
    `words`), in the order of each event's first row."""
    on_day: dict[tuple, list[tuple[set[str], list[Row]]]] = {}  # (type, days) -> (names, rows) of events
    groups: list[list[Row]] = []
    for row in rows:
        name = row["name"]
        when = (row["from"], row["to"]) if row["from"] else (None, row["partial"])
        events = on_day.setdefault((row["type"], *when), [])
        found = next((e for e in events if any(_same_name(name, other, words) for other in e[0])), None)
        if found is None:
            found = (set(), [])
            events.append(found)
            groups.append(found[1])
        found[0].add(name)
        found[1].append(row)
    return groups


def _same_name(name: str, other: str, words: dict[str, frozenset[str]]) -> bool:
    """Whether two event names say the same: equal, or one's content words include the other's."""
    mine, theirs = words[name], words[other]
    return name == other or (bool(mine and theirs) and (mine <= theirs or theirs <= mine))


def _newest_first(rows: list[Row]) -> list[Row]:
    """Newest publication first, undated last; of one day, the first stored first."""
    dated = sorted((row for row in rows if row["published"]), key=lambda row: row["id"])
    undated = sorted((row for row in rows if not row["published"]), key=lambda row: row["id"])
    return sorted(dated, key=lambda row: row["published"], reverse=True) + undated


def _event_report(row: Row) -> EventReport:
    return EventReport(
        id=row["id"],
        doc_id=row["doc_id"],
        published=row["published"],
        name=row["name"],
        start=row["start"],
        end=row["end"],
    )


# --- topics --------------------------------------------------------------------------------------


def topic_counts(store: Store, scheme: str = "SDG") -> list[TopicCount]:
    """How many documents carry each code of a topic scheme, in code order."""
    rows = store.connection.execute(
        "SELECT scheme, code, min(label) AS label, count(DISTINCT doc_id) AS documents FROM topics"
        " WHERE scheme = ? GROUP BY scheme, code ORDER BY length(code), code",
        (scheme,),
    )
    return [
        TopicCount(scheme=r["scheme"], code=r["code"], label=r["label"], documents=r["documents"])
        for r in rows
    ]


# --- faceted search ------------------------------------------------------------------------------


@_over_full_text
def search_documents(
    store: Store,
    query: str,
    type: str | None = None,
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
    topic: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """`search` with every document filter, a page of hits with their total, and facet counts.

    `type` keeps documents naming an entity of that type whose names match the query, as in `search`.
    """
    lemmas = query_lemmas(query)
    filters, params = document_filters(since, until, source, topic)
    params["match"] = store.dialect.fts_query(lemmas)
    hits = [f"d.seq IN ({_matching_document_seqs(store)})", *filters]
    # Facets count the first run of hits (the newest RANKED_MATCHES), as ranking does, so a common
    # word's facets cost the same at any size; `facets_over` says how many hits they count.
    newest = _newest_matches_start(store, " AND ".join([_matching(store, "documents_fts"), *filters]), params)
    counted = [*hits] if newest is None else [*hits, "d.seq >= :facets_from"]
    facets = _search_facets(store, _where(counted), {**params, "facets_from": newest})
    if type:
        of_type = _matching_entity_of_type(store)
        filters.append(of_type)
        hits.append(of_type)
        params["type"] = type.upper()
    rows = _ranked_documents(store, filters, params, limit, offset)
    wanted = set(lemmas)
    documents = [DocumentHit(**_document_row(row), **find_snippet(row["text"], wanted)) for row in rows]
    entities = [
        _entity_row(row)
        for row in store.connection.execute(
            _entities_search_sql(store), {"match": params["match"], "type": params.get("type"), "limit": 20}
        )
    ]
    total = _count(store, f"SELECT 1 FROM documents AS d{_where(hits)}", params)
    facets_over = _count(
        store, f"SELECT 1 FROM documents AS d{_where(counted)}", {**params, "facets_from": newest}
    )
    return SearchPage(
        documents=documents, entities=entities, total=total, facets=facets, facets_over=facets_over
    )


def _matching_entity_of_type(store: Store) -> str:
    return (
        "d.id IN (SELECT de.doc_id FROM doc_entities AS de JOIN entities AS e ON e.id = de.entity_id"
        f" WHERE e.type = :type AND e.id IN ({_matching_entity_ids(store)}))"
    )


def _search_facets(store: Store, where: str, params: dict) -> dict[str, list[FacetValue]]:
    """Counts of matching documents by entity type, source, month and topic (the type filter not applied).

    Sources and months come from one pass over the hits (each hit's row read once), topics from one
    more over their topic rows."""
    connection = store.connection
    types = connection.execute(
        "SELECT e.type AS value, count(DISTINCT de.doc_id) AS n FROM doc_entities AS de"
        " JOIN entities AS e ON e.id = de.entity_id"
        f" WHERE de.doc_id IN (SELECT d.id FROM documents AS d{where})"
        f" AND e.id IN ({_matching_entity_ids(store)})"
        " GROUP BY e.type ORDER BY n DESC, value",
        params,
    )
    sources: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for row in connection.execute(
        f"SELECT d.source, d.url, substr(d.published, 1, 7) AS month FROM documents AS d{where}", params
    ):
        sources[source_label(row["url"] or row["source"])] += 1
        if row["month"]:
            months[row["month"]] += 1
    coded: dict[tuple[str, str], str] = {}  # (document, code) -> label: a code counts once a document
    for row in connection.execute(
        "SELECT DISTINCT t.doc_id, t.code, t.label FROM topics AS t"
        f" WHERE t.doc_id IN (SELECT d.id FROM documents AS d{where}) ORDER BY t.doc_id, t.code, t.label",
        params,
    ):
        coded[row["doc_id"], row["code"]] = row["label"]
    topics = Counter(code for _, code in coded)
    labels = {code: label for (_, code), label in coded.items()}
    return {
        "type": [FacetValue(value=r["value"], label=r["value"], count=r["n"]) for r in types],
        "source": [FacetValue(value=v, label=v, count=n) for v, n in _most(sources, 20)],
        "month": [FacetValue(value=v, label=v, count=n) for v, n in sorted(months.items())[::-1][:24]],
        "topic": [FacetValue(value=v, label=labels[v], count=n) for v, n in _most(topics, 17)],
    }


def _most(counts: Counter[str], limit: int) -> list[tuple[str, int]]:
    """The largest counts first, ties in code order ("9" before "16")."""
    return sorted(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[:limit]


def source_label(source: str) -> str:
    """What a source is grouped by: the host of a URL, else the folder of a path (the name if none)."""
    if "://" in source:
        return source.split("://", 1)[1].split("/", 1)[0]
    folder, _, name = source.replace("\\", "/").rstrip("/").rpartition("/")
    return folder.rpartition("/")[2] or name


# --- the entity graph ----------------------------------------------------------------------------


def entity_graph(store: Store, nodes: int = 40, types: tuple[str, ...] = ("PER", "ORG")) -> Graph:
    """Who met whom (took part in one event) and the most mentioned entities named together."""
    meetings = _meeting_edges(store)
    top = [
        row["id"]
        for row in store.connection.execute(
            f"SELECT id FROM entities WHERE type IN ({','.join('?' * len(types))})"
            " ORDER BY mention_count DESC, id LIMIT ?",
            (*types, nodes),
        )
    ]
    co = _co_mention_edges(store, top)
    linked = set(top) | {edge["source"] for edge in meetings} | {edge["target"] for edge in meetings}
    if not linked:
        return Graph(nodes=[], edges=[])
    marks = ",".join("?" * len(linked))
    graph_nodes = [
        GraphNode(id=r["id"], type=r["type"], name=r["name"], mention_count=r["mention_count"])
        for r in store.connection.execute(
            f"SELECT id, type, name, mention_count FROM entities WHERE id IN ({marks})"
            " ORDER BY mention_count DESC, id",
            sorted(linked),
        )
    ]
    return Graph(nodes=graph_nodes, edges=meetings + co)


def _meeting_edges(store: Store) -> list[GraphEdge]:
    """Every pair of store entities taking part in one event, participants and organisations alike."""
    rows = store.connection.execute(
        "WITH part AS (SELECT e.id AS event, e.name, de.entity_id"
        " FROM events AS e CROSS JOIN json_each(e.participants) AS j"
        " JOIN doc_entities AS de ON de.doc_id = e.doc_id AND de.local_id = j.value"
        " WHERE coalesce(e.review, '') != 'rejected')"
        " SELECT a.entity_id AS source, b.entity_id AS target, count(DISTINCT a.event) AS weight,"
        " min(a.name) AS label FROM part AS a"
        " JOIN part AS b ON b.event = a.event AND a.entity_id < b.entity_id"
        " GROUP BY a.entity_id, b.entity_id ORDER BY weight DESC, source, target LIMIT 200"
    )
    return [
        GraphEdge(
            source=r["source"], target=r["target"], kind="meeting", weight=r["weight"], label=r["label"]
        )
        for r in rows
    ]


def _co_mention_edges(store: Store, entity_ids: list[int]) -> list[GraphEdge]:
    if len(entity_ids) < 2:
        return []
    marks = ",".join("?" * len(entity_ids))
    rows = store.connection.execute(
        "SELECT a.entity_id AS source, b.entity_id AS target, count(*) AS weight"
        " FROM doc_entities AS a JOIN doc_entities AS b ON b.doc_id = a.doc_id AND a.entity_id < b.entity_id"
        f" WHERE a.entity_id IN ({marks}) AND b.entity_id IN ({marks})"
        " GROUP BY a.entity_id, b.entity_id ORDER BY weight DESC, source, target LIMIT 150",
        (*entity_ids, *entity_ids),
    )
    return [
        GraphEdge(source=r["source"], target=r["target"], kind="co-mention", weight=r["weight"], label=None)
        for r in rows
    ]


# --- an entity's profile -------------------------------------------------------------------------


class EntityOverview(EntityRow):
    """Everything the store knows about one entity, its documents one page at a time."""

    aliases: list[str]
    posts: list[Post]
    quotes: list[QuoteRow]
    events: list[EventRow]
    co_mentioned: list[CoMention]
    mentions_by_month: list[MonthCount]
    documents: DocumentPage


def entity_overview(store: Store, entity_id: int, limit: int = 20, offset: int = 0) -> EntityOverview | None:
    """An entity's names, posts over time, quotes, events it took part in (meetings: with whom, when,
    where), co-mentioned entities, mentions per month and a page of its documents; None if unknown."""
    entity = get_entity(store, entity_id)
    if entity is None:
        return None
    return EntityOverview(
        **entity,
        aliases=entity_aliases(store, entity_id),
        posts=entity_posts(store, entity_id),
        quotes=list_quotes(store, speaker=entity_id, distinct=True, limit=50)["items"],
        events=list_events(store, entity=entity_id, distinct=True, limit=100)["items"],
        co_mentioned=co_mentions(store, entity_id),
        mentions_by_month=mentions_by_month(store, entity_id),
        documents=entity_documents(store, entity_id, limit=limit, offset=offset),
    )


# =================================================================================================
# Knowledge base (letopis.kb): entities by reference, posts over time, heads of organisations,
# conflicts, why entities were linked, the curation log, who met whom, who said what, announced
# events. Rejected facts are left out of all of these.
# =================================================================================================


class LinkRow(TypedDict):
    """Why one document's entity is part of a store entity: the rule and what it saw."""

    doc_id: str
    published: str | None
    title: str | None
    local_id: str
    name: str | None
    rule: str | None
    evidence: str | None


class EditRow(TypedDict):
    """One curation edit: who, when, what, before and after."""

    id: int
    at: str
    by: str
    action: str
    target: dict
    before: dict
    after: dict


class MeetingPair(TypedDict):
    """Two entities taking part in the same meetings: how many, in which documents."""

    a: EntityRef
    b: EntityRef
    meetings: int
    documents: list[str]


class SaidRow(TypedDict):
    """A quote found by a term: the fact id ("quote:3"), speaker, words and evidence span."""

    fact: str
    doc_id: str
    published: str | None
    speaker: EntityRef | None
    speaker_text: str | None
    text: str
    kind: str
    start: int
    end: int


class KnowledgeProfile(EntityOverview):
    """`entity_overview` with the knowledge base's additions."""

    timeline: list[PostHeld]
    headed_by: list[Tenure]
    met: list[MeetingPair]
    links: list[LinkRow]
    edits: list[EditRow]


MEETING_TYPES = ("meeting",)


def entity_reference(store: Store, reference: str, type: str | None = None) -> EntityRow:
    """The one entity `reference` names: its id, or a name or alias it has; `QueryError` otherwise."""
    reference = reference.strip()
    if reference.isdecimal():  # what int() reads: "²" is a digit to isdigit(), not to int()
        found = get_entity(store, int(reference))
        if found is None:
            raise QueryError(f"no entity with id {reference}")
        return found
    if not reference:
        raise QueryError("no entity name given")
    params = {"key": entity_key(reference), "type": type.upper() if type else None, "limit": 20}
    rows = [_entity_row(row) for row in store.connection.execute(FIND_ENTITIES_EXACT, params)]
    if not rows:
        raise QueryError(f"no entity is called {reference!r}")
    if len(rows) > 1:
        listed = ", ".join(f"{row['id']} ({row['name']})" for row in rows[:5])
        raise QueryError(f"{reference!r} names {len(rows)} entities: {listed}; give the id")
    return rows[0]


# The office of a position: its organisation, else the most mentioned organisation or place that
# the title names ("министр иностранных дел РК" -> МИД РК, by the keys of kb.names).
POSITION_FACTS = """
SELECT p.id, p.doc_id, p.title, p.title_key, p.head, p.office_key, p.review, p.start, p."end",
       coalesce(p.as_of, d.published) AS date,
       per.id AS person_id, per.type AS person_type, per.name AS person_name,
       org.id AS org_id, org.type AS org_type, org.name AS org_name,
       off.id AS office_id, off.type AS office_type, off.name AS office_name
FROM positions AS p JOIN documents AS d ON d.id = p.doc_id
LEFT JOIN entities AS per ON per.id = p.person_entity_id
LEFT JOIN entities AS org ON org.id = p.organization_entity_id
LEFT JOIN entities AS off ON off.id = coalesce(p.organization_entity_id, (
    SELECT k.entity_id FROM entity_keys AS k JOIN entities AS named ON named.id = k.entity_id
    WHERE k.space = 'name' AND k.key = p.office_key AND k.type IN ('ORG', 'LOC')
    ORDER BY named.mention_count DESC, named.id LIMIT 1))
WHERE coalesce(p.review, '') != 'rejected'
"""


def _position_facts(store: Store, condition: str = "", params: tuple = ()) -> list[PositionFact]:
    rows = store.connection.execute(f"{POSITION_FACTS} {condition} ORDER BY p.id", params)
    return [
        PositionFact(
            id=row["id"],
            doc_id=row["doc_id"],
            title=row["title"],
            title_key=row["title_key"],
            person=_ref(row["person_id"], row["person_type"], row["person_name"]),
            organization=_ref(row["org_id"], row["org_type"], row["org_name"]),
            office=_ref(row["office_id"], row["office_type"], row["office_name"]),
            office_key=row["office_key"],
            date=row["date"],
            head=bool(row["head"]),
            review=row["review"],
            start=row["start"],
            end=row["end"],
        )
        for row in rows
    ]


def post_timeline(store: Store, person_id: int) -> list[PostHeld]:
    """A person's posts (title + organisation) with first/last dates seen and the documents vouching,
    earliest first: a change of post shows as a new post starting after the last one ends."""
    return posts_over_time(_position_facts(store, "AND p.person_entity_id = ?", (person_id,)))


def organization_heads(store: Store, organization_id: int) -> list[Tenure]:
    """Who headed an organisation (глава, министр, председатель, директор… of it) and when."""
    facts = _position_facts(store, "AND off.id = ? AND p.head = 1", (organization_id,))
    return heads_over_time(facts)


def position_conflicts(store: Store) -> list[Conflict]:
    """Facts that cannot both hold: two different people heading one organisation on one day."""
    return head_conflicts(_position_facts(store, "AND p.head = 1"))


def entity_links(store: Store, entity_id: int, doc_ids: list[str] | None = None) -> list[LinkRow]:
    """Why each document's entity was linked to this entity (rule and evidence), newest document first;
    of the documents `doc_ids` only, when given."""
    if doc_ids is not None and not doc_ids:
        return []
    only = "" if doc_ids is None else f" AND de.doc_id IN ({','.join('?' * len(doc_ids))})"
    rows = store.connection.execute(
        "SELECT de.doc_id, d.published, d.title, de.local_id, de.name, de.rule, de.evidence"
        f" FROM doc_entities AS de JOIN documents AS d ON d.id = de.doc_id WHERE de.entity_id = ?{only}"
        " ORDER BY d.published IS NULL, d.published DESC, de.doc_id, de.local_id",
        (entity_id, *(doc_ids or ())),
    )
    return [
        LinkRow(
            doc_id=r["doc_id"],
            published=r["published"],
            title=r["title"],
            local_id=r["local_id"],
            name=r["name"],
            rule=r["rule"],
            evidence=r["evidence"],
        )
        for r in rows
    ]


def _post_held(post: Post) -> PostHeld:
    return PostHeld(
        title=post["title"],
        organization=post["organization"],
        first_seen=post["first_seen"],
        last_seen=post["last_seen"],
        current=post["current"],
        confirmed=post["confirmed"],
        documents=post["doc_ids"],
        facts=post["facts"],
    )


def curation_log(store: Store, entity_id: int | None = None, limit: int = 100) -> list[EditRow]:
    """Curation edits, newest first; of one entity: those of its curated group or naming it (an "id"
    anywhere in what they left)."""
    connection = store.connection
    if entity_id is None:
        rows = connection.execute("SELECT * FROM curation_log ORDER BY id DESC LIMIT ?", (limit,))
        return [_edit_row(row) for row in rows]
    groups = connection.execute("SELECT edit_id FROM curated_groups WHERE entity_id = ?", (entity_id,))
    grouped = {row[0] for row in groups}
    edits = (_edit_row(row) for row in connection.execute("SELECT * FROM curation_log ORDER BY id DESC"))
    return [e for e in edits if e["id"] in grouped or entity_id in _ids_named(e["after"])][:limit]


def _edit_row(row: Row) -> EditRow:
    return EditRow(**dataclasses.asdict(edit_from_row(row)))


def _ids_named(value: Any) -> Iterator[int]:
    """Every integer under an "id" key, at any depth of a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, int) and not isinstance(item, bool):
                yield item
            yield from _ids_named(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids_named(item)


def who_met_whom(
    store: Store,
    entity_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
) -> list[MeetingPair]:
    """Pairs of participants of the same meetings, most meetings first; of one entity, or in a date range."""
    params = {"since": _check_day(since), "until": _check_day(until), "entity": entity_id, "limit": limit}
    marks = ",".join(f"'{kind}'" for kind in MEETING_TYPES)
    rows = store.connection.execute(
        "WITH part AS (SELECT DISTINCT v.id AS event, v.doc_id, de.entity_id"
        " FROM events AS v CROSS JOIN json_each(v.participants) AS j"
        " JOIN doc_entities AS de ON de.doc_id = v.doc_id AND de.local_id = j.value"
        f" WHERE v.type IN ({marks}) AND coalesce(v.review, '') != 'rejected'"
        ' AND (:since IS NULL OR coalesce(v."to", v."from") >= :since)'
        ' AND (:until IS NULL OR v."from" <= :until))'
        " SELECT a.entity_id AS a, b.entity_id AS b, count(DISTINCT a.event) AS meetings,"
        " group_concat(DISTINCT a.doc_id) AS documents"
        " FROM part AS a JOIN part AS b ON b.event = a.event AND a.entity_id < b.entity_id"
        " WHERE :entity IS NULL OR :entity IN (a.entity_id, b.entity_id)"
        " GROUP BY a.entity_id, b.entity_id ORDER BY meetings DESC, a, b LIMIT :limit",
        params,
    ).fetchall()
    refs = _entity_refs(store, {r["a"] for r in rows} | {r["b"] for r in rows})
    return [
        MeetingPair(
            a=refs[r["a"]],
            b=refs[r["b"]],
            meetings=r["meetings"],
            documents=sorted(r["documents"].split(",")),
        )
        for r in rows
    ]


def _entity_refs(store: Store, entity_ids: set[int]) -> dict[int, EntityRef]:
    ids = sorted(entity_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.connection.execute(f"SELECT id, type, name FROM entities WHERE id IN ({marks})", ids)
    return {r["id"]: EntityRef(id=r["id"], type=r["type"], name=r["name"]) for r in rows}


def who_said(store: Store, term: str, limit: int = 50) -> list[SaidRow]:
    """Quotes whose words include every lemma of `term` ("референдума" finds "референдум"), newest first."""
    said = _quotes_saying(store, term, ["coalesce(q.review, '') != 'rejected'"], {})
    return [
        SaidRow(
            fact=fact_reference("quote", row["id"]),
            doc_id=row["doc_id"],
            published=row["published"],
            speaker=_ref(row["speaker_id"], row["speaker_type"], row["speaker_name"]),
            speaker_text=row["speaker_text"],
            text=row["text"],
            kind=row["kind"],
            start=row["start"],
            end=row["end"],
        )
        for row in said[:limit]
    ]


def announced_events(store: Store, since: str, until: str, limit: int = 100) -> list[EventRow]:
    """Events announced (planned) for days between `since` and `until`, inclusive, in date order."""
    clauses, params = _event_filters("announced", None, since, until, None)
    clauses.append("coalesce(e.review, '') != 'rejected'")
    params["limit"] = limit
    rows = store.connection.execute(
        'SELECT e.id, e.doc_id, e.local_id, e.type, e.name, e.status, e."from", e."to", e.partial, e.place,'
        ' e.participants, e.organizations, e.outcome, e.start, e."end", 1 AS documents'
        f" FROM events AS e{_where(clauses)}"
        ' ORDER BY e."from", e.name, e.id LIMIT :limit',
        params,
    ).fetchall()
    names = _local_entities(store, {row["doc_id"] for row in rows})
    return [_event_row(row, names) for row in rows]


def knowledge_profile(
    store: Store, entity_id: int, limit: int = 20, offset: int = 0
) -> KnowledgeProfile | None:
    """`entity_overview` plus posts over time, who headed it (an organisation), whom it met, why the
    entities of its page of documents were linked to it, and the curation edits about it; None if
    unknown. The web page, its JSON twin, `/api/entities/ID` and `letopis show entity` all show this."""
    overview = entity_overview(store, entity_id, limit=limit, offset=offset)
    if overview is None:
        return None
    page = [document["id"] for document in overview["documents"]["items"]]
    return KnowledgeProfile(
        **overview,
        timeline=[_post_held(post) for post in overview["posts"]],  # `post_timeline`, already read
        headed_by=organization_heads(store, entity_id) if overview["type"] != "PER" else [],
        met=who_met_whom(store, entity_id=entity_id),
        links=entity_links(store, entity_id, page),
        edits=curation_log(store, entity_id=entity_id),
    )
