"""Events: lists with filters and grouping, and the calendar of announced events, each real event once.

Events a curator rejected (`review = 'rejected'`, migration 0002) are left out."""

from __future__ import annotations

import json
from typing import TypedDict

from letopis.kb.connection import Row
from letopis.kb.years import name_key
from letopis.store.queries.clauses import _check_day, _count, _filters, _where
from letopis.store.queries.rows import EntityRef
from letopis.store.store import Store

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


# The events of the entity's documents whose participants or organisations name it, found from the
# entity's links (its documents) rather than by reading every event's lists (150 -> 50 ms for an
# entity of 3,000 documents at 100,000). A list is JSON text of local ids ("e3"): the quoted id found
# in it is the id in the list, and finding it is 3x faster than reading the list with json_each
# (260 -> 41 ms over the 12,200 events of an entity's 43,700 documents).
_LISTED = "instr({list}, '\"' || de.local_id || '\"') > 0"  # the link's local id in a JSON list
EVENT_WITH_ENTITY = (
    "(e.place_entity_id = :entity OR e.id IN (SELECT ev.id FROM doc_entities AS de"
    " JOIN events AS ev ON ev.doc_id = de.doc_id WHERE de.entity_id = :entity"
    f" AND ({_LISTED.format(list='ev.participants')} OR {_LISTED.format(list='ev.organizations')})))"
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
