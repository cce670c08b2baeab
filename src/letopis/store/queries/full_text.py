"""Full-text search: lemmas of a query, matching documents and entities in two ranked runs
(`RANKED_MATCHES`), snippets, and faceted search with every document filter."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from typing import Any, TypedDict, TypeVar

from letopis.errors import QueryError
from letopis.kb.connection import Row
from letopis.nlp.grammars.tokens import line_sentences
from letopis.nlp.lemmas import WORD, lemmas_of, query_terms
from letopis.store.queries.clauses import _check_day, _count, _where
from letopis.store.queries.documents import document_filters
from letopis.store.queries.rows import DocumentRow, EntityRow, _document_row, _entity_row
from letopis.store.store import Store

Read = TypeVar("Read")


class Snippet(TypedDict):
    """The first sentence holding a query word: `snippet_start` is where it starts in the document's
    text, `marks` the (start, end) of the matched words within `snippet`."""

    snippet: str | None
    snippet_start: int | None
    marks: list[tuple[int, int]]


class DocumentHit(DocumentRow, Snippet):
    """A document matching a search, with its snippet."""


class SearchResult(TypedDict):
    """Documents and entities matching one query."""

    documents: list[DocumentHit]
    entities: list[EntityRow]


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


def query_lemmas(query: str) -> list[tuple[str, ...]]:
    """The query's distinct words, each as its search lemmas (letopis.nlp.lemmas.query_terms), of
    which a match holds one; `QueryError` when it has no words at all."""
    terms = query_terms(query)
    if not terms:
        raise QueryError(f"nothing to search for in {query!r}: it has no words")
    return terms


def _every_lemma(terms: list[tuple[str, ...]]) -> set[str]:
    """The lemmas of all `terms`: a word of a hit holding one of them is one the query asked for."""
    return {word for term in terms for word in term}


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
    """Documents and entities whose lemmas include one of each word of `query` ("Балаевой" finds
    "Балаева", «суд» finds «судов»)."""
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
    wanted = _every_lemma(lemmas)
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
    return _page_in_two_runs(store, where, params, _newest_matches_start(store, where, params), limit, offset)


def _page_in_two_runs(
    store: Store, where: str, params: dict[str, Any], newest: int | None, limit: int, offset: int
) -> list[Row]:
    """A page of the documents matching `where`, `newest` the rowid where the first run starts (None:
    one run holds them all)."""
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
    """The sentence holding the first word one of whose search lemmas is wanted, else the first
    sentence, unmarked.

    Sentences are razdel's within each line, as the extraction stages read them
    (grammars/tokens.sentence_spans), and only the line of that word is split: splitting the whole
    text up to it took 4 ms for a word 7,000 characters in, for each hit of a search.
    """
    found = next((m.start() for m in WORD.finditer(text) if _wanted(m.group(), lemmas)), None)
    at = found if found is not None else len(text) - len(text.lstrip())  # else the first character
    if at == len(text):
        return Snippet(snippet=None, snippet_start=None, marks=[])
    start, end = _sentence_at(text, at)
    sentence = text[start:end]
    marks = [(m.start(), m.end()) for m in WORD.finditer(sentence) if _wanted(m.group(), lemmas)]
    return Snippet(snippet=sentence, snippet_start=start, marks=marks)


def _wanted(word: str, lemmas: set[str]) -> bool:
    return not lemmas.isdisjoint(lemmas_of(word))


def _sentence_at(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the sentence of the line holding the character at `offset` (not a space)."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end < 0:
        line_end = len(text)
    return next(
        (line_start + a, line_start + b)
        for a, b in line_sentences(text[line_start:line_end])
        if line_start + a <= offset < line_start + b
    )


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
    where = " AND ".join([_matching(store, "documents_fts"), *filters])
    newest = _newest_matches_start(store, where, params)
    counted = hits if newest is None else [*hits, "d.seq >= :facets_from"]
    facets = _search_facets(store, _where(counted), {**params, "facets_from": newest})
    untyped = hits
    if type:  # the facets above are of every type; the hits are of this one
        of_type = _matching_entity_of_type(store)
        hits = [*hits, of_type]
        params["type"] = type.upper()
        rows = _ranked_documents(store, [*filters, of_type], params, limit, offset)
    else:
        rows = _page_in_two_runs(store, where, params, newest, limit, offset)
    wanted = _every_lemma(lemmas)
    documents = [DocumentHit(**_document_row(row), **find_snippet(row["text"], wanted)) for row in rows]
    entities = [
        _entity_row(row)
        for row in store.connection.execute(
            _entities_search_sql(store), {"match": params["match"], "type": params.get("type"), "limit": 20}
        )
    ]
    total = _count(store, f"SELECT 1 FROM documents AS d{_where(hits)}", params)
    if newest is not None:  # the first run: exactly RANKED_MATCHES hits
        facets_over = RANKED_MATCHES
    elif not type:
        facets_over = total
    else:
        facets_over = _count(store, f"SELECT 1 FROM documents AS d{_where(untyped)}", params)
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
