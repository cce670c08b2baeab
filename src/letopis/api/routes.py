"""The JSON API under `/api`: documents, entities, positions, quotes, events, topics, search, graph.

Lists take `limit` and `offset` and answer `{"items": [...], "total": N, "limit": L, "offset": O}`;
errors are `{"detail": "message"}` (400 for a query that cannot be searched, 404 for an unknown id,
422 for a parameter out of range).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from letopis.api.curation import without_rejected
from letopis.api.deps import Day, EntityId, Limit, Offset, RowId, StoreDep
from letopis.store import queries

router = APIRouter(prefix="/api", tags=["api"])

EntityType = Annotated[str | None, Query(description="PER, ORG, LOC, …")]


def paged(page: dict[str, Any], limit: int, offset: int) -> dict[str, Any]:
    return {"items": page["items"], "total": page["total"], "limit": limit, "offset": offset}


@router.get("/summary")
def api_summary(db: StoreDep) -> dict[str, Any]:
    """Counts of documents, mentions, entities by type and facts; the most mentioned entities."""
    return {**queries.summary(db), "facts": queries.fact_counts(db)}


@router.get("/documents")
def api_documents(
    db: StoreDep,
    since: Day = None,
    until: Day = None,
    source: Annotated[str | None, Query(description="Part of the source path or URL.")] = None,
    topic: Annotated[str | None, Query(description="An SDG code: 1…17.")] = None,
    entity: Annotated[RowId | None, Query(description="A store entity id.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Documents, newest first, filtered by publication date, source, SDG topic or an entity named."""
    page = queries.filter_documents(db, since, until, source, topic, entity, limit=limit, offset=offset)
    return paged(page, limit, offset)


@router.get("/documents/{doc_id}")
def api_document(db: StoreDep, doc_id: str) -> dict[str, Any]:
    """One document as the contract describes it, with its facts (less those a curator rejected);
    `kb_id` links entities."""
    doc, _ = without_rejected(db, document_or_404(db, doc_id))
    return doc.to_dict()


@router.get("/entities")
def api_entities(
    db: StoreDep,
    q: Annotated[str | None, Query(description="Words of the name, any word form.")] = None,
    type: EntityType = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Entities, most mentioned first; `q` keeps those whose names hold its words."""
    return paged(queries.search_entities(db, q, type, limit=limit, offset=offset), limit, offset)


@router.get("/entities/{entity_id}")
def api_entity(db: StoreDep, entity_id: EntityId, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """An entity's knowledge-base profile, as its page `/entity/ID` and `letopis show entity` give it:
    aliases, posts over time (`posts`, `timeline`: one post however its title is spelled), who headed
    it (`headed_by`, an organisation), whom it met, quotes, events, co-mentions, mentions per month, a
    page of its documents and why each was linked to it (`links`: rule and evidence), curation edits."""
    return entity_or_404(db, entity_id, limit, offset)


@router.get("/positions")
def api_positions(
    db: StoreDep,
    person: Annotated[RowId | None, Query(description="A person's entity id.")] = None,
    organization: Annotated[RowId | None, Query(description="An organisation's entity id.")] = None,
    title: Annotated[str | None, Query(description="Part of the post's title.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Who holds which post, oldest `as_of` first, with the evidence text."""
    page = queries.list_positions(db, person, organization, title, limit=limit, offset=offset)
    return paged(page, limit, offset)


@router.get("/quotes")
def api_quotes(
    db: StoreDep,
    speaker: Annotated[RowId | None, Query(description="The speaker's entity id.")] = None,
    kind: Annotated[Literal["direct", "indirect"] | None, Query()] = None,
    term: Annotated[
        str | None, Query(description="Words the quote says, in any word form (every one of them).")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Who said what, newest document first; `term` keeps the quotes about it, matched by lemmas as in
    search ("референдума" finds "референдум"). A term without words is a 400."""
    page = queries.list_quotes(db, speaker, kind, limit=limit, offset=offset, term=term or None)
    return paged(page, limit, offset)


@router.get("/events")
def api_events(
    db: StoreDep,
    status: Annotated[Literal["announced", "happened"] | None, Query()] = None,
    type: Annotated[str | None, Query(description="meeting, referendum, summit, …")] = None,
    date_from: Annotated[str | None, Query(alias="from", pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    date_to: Annotated[str | None, Query(alias="to", pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
    entity: Annotated[RowId | None, Query(description="An entity taking part, or the place.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Events in date order (undated last); `from`/`to` keep those overlapping the range."""
    page = queries.list_events(db, status, type, date_from, date_to, entity, limit=limit, offset=offset)
    return paged(page, limit, offset)


@router.get("/topics")
def api_topics(db: StoreDep, scheme: str = "SDG") -> dict[str, Any]:
    """How many documents carry each topic code."""
    return {"scheme": scheme, "items": queries.topic_counts(db, scheme)}


@router.get("/search")
def api_search(
    db: StoreDep,
    q: Annotated[str, Query(description="Words to find, in any inflected form.")] = "",
    type: EntityType = None,
    source: str | None = None,
    since: Day = None,
    until: Day = None,
    topic: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Full-text search by lemmas ("Балаевой" finds "Балаева"): documents with the matching sentence
    (`snippet`, `marks`), matching entities, the total and facet counts. An empty query is a 400."""
    page = queries.search_documents(db, q, type, source, since, until, topic, limit=limit, offset=offset)
    return {"q": q, **page, "limit": limit, "offset": offset}


@router.get("/graph")
def api_graph(db: StoreDep, nodes: Annotated[int, Query(ge=2, le=200)] = 40) -> dict[str, Any]:
    """Entities linked by the events they took part in together (`meeting`) and by co-mentions."""
    return dict(queries.entity_graph(db, nodes=nodes))


def document_or_404(db: Any, doc_id: str) -> Any:
    doc = queries.get_document(db, doc_id)
    if doc is None:
        raise HTTPException(status_code=404, detail=f"no document with id {doc_id}")
    return doc


def entity_or_404(db: Any, entity_id: int, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    profile = queries.knowledge_profile(db, entity_id, limit=limit, offset=offset)
    if profile is None:
        raise HTTPException(status_code=404, detail=f"no entity with id {entity_id}")
    return dict(profile)
