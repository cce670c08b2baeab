"""The store at a glance: counts and top entities (`summary`), fact counts, the entity graph."""

from __future__ import annotations

from typing import TypedDict

from letopis.store.queries.entities import list_entities
from letopis.store.queries.rows import EntityRow
from letopis.store.store import Store

TOP_ENTITIES = 10


class Summary(TypedDict):
    """Counts for the whole store and the most mentioned entities of each type."""

    documents: int
    mentions: int
    entities_by_type: dict[str, int]
    top_entities: dict[str, list[EntityRow]]


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


def summary(store: Store) -> Summary:
    """How many documents, mentions and entities of each type; the top entities of each type."""
    connection = store.connection
    documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    mentions = connection.execute("SELECT coalesce(sum(mentions), 0) FROM doc_entities").fetchone()[0]
    by_type = {
        row["type"]: row["n"]
        for row in connection.execute("SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY type")
    }
    top = {kind: list_entities(store, kind, limit=TOP_ENTITIES) for kind in by_type}
    return Summary(documents=documents, mentions=mentions, entities_by_type=by_type, top_entities=top)


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
