"""Knowledge base (letopis.kb): entities by reference, posts over time, heads of organisations,
conflicts, why entities were linked, the curation log, who met whom, who said what, announced
events. Rejected facts are left out of all of these."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, TypedDict

from letopis.errors import QueryError
from letopis.kb.conflicts import Conflict, head_conflicts
from letopis.kb.connection import Row
from letopis.kb.curation import edit_from_row
from letopis.kb.timelines import PostHeld, Tenure, fact_reference, heads_over_time, posts_over_time
from letopis.store.queries.clauses import _check_day, _where
from letopis.store.queries.entities import FIND_ENTITIES_EXACT, get_entity
from letopis.store.queries.events import EventRow, _event_filters, _event_row, _local_entities
from letopis.store.queries.facts import _position_facts, _quotes_saying
from letopis.store.queries.rows import EntityRef, EntityRow, _entity_row, _ref
from letopis.store.store import Store, entity_key


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


def post_timeline(store: Store, person_id: int) -> list[PostHeld]:
    """A person's posts (title + organisation) with first/last dates seen and the documents vouching,
    earliest first: a change of post shows as a new post starting after the last one ends."""
    return posts_over_time(_position_facts(store, "AND p.person_entity_id = ?", (person_id,)))


def organization_heads(store: Store, organization_id: int) -> list[Tenure]:
    """Who headed an organisation (глава, министр, председатель, директор… of it) and when."""
    facts = _position_facts(store, HEADS_OF, {"organization": organization_id})
    return heads_over_time(facts)


# The organisation resolved for a post (`off`, POSITION_FACTS) is the post's own, or the entity
# named by its office key: only those positions are read, not every head's (150 ms less at 100,000).
HEADS_OF = (
    "AND off.id = :organization AND p.head = 1 AND (p.organization_entity_id = :organization"
    " OR p.organization_entity_id IS NULL AND p.office_key IN"
    " (SELECT key FROM entity_keys WHERE entity_id = :organization AND space = 'name'))"
)


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
