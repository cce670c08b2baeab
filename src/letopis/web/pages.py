"""What each page shows, read from the store as JSON-ready dicts: the HTML page and its `.json` twin
are the same dict, rendered or not. Values prepared only for HTML (Markup) go under `html`."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import HTTPException
from markupsafe import Markup

from letopis.api.curation import without_rejected
from letopis.calendar import to_ics
from letopis.model import Document, Event
from letopis.store import Store, queries
from letopis.web.dates import month_of, month_weeks, months_between, shift_month
from letopis.web.highlight import Span, document_spans, highlight

LATEST_DOCUMENTS = 10
TOP_ENTITIES = 10
PAGE_SIZE = 20
SNIPPET_AROUND = 120  # characters of context either side of the first match in a long sentence
CALENDAR_EVENTS = 500

# Official colours of the 17 UN Sustainable Development Goals.
SDG_COLOURS = {
    "1": "#e5243b",
    "2": "#dda63a",
    "3": "#4c9f38",
    "4": "#c5192d",
    "5": "#ff3a21",
    "6": "#26bde2",
    "7": "#fcc30b",
    "8": "#a21942",
    "9": "#fd6925",
    "10": "#dd1367",
    "11": "#fd9d24",
    "12": "#bf8b2e",
    "13": "#3f7e44",
    "14": "#0a97d9",
    "15": "#56c02b",
    "16": "#00689d",
    "17": "#19486a",
}


def query_url(path: str, params: dict[str, Any], **changes: Any) -> str:
    """`path` with the query `params`, some changed; empty values left out (for facet and page links)."""
    merged = {**params, **changes}
    kept = {key: value for key, value in merged.items() if value not in (None, "", 0)}
    return f"{path}?{urlencode(kept)}" if kept else path


def web_url(url: str | None) -> bool:
    """Whether `url` may be a link: http or https only (a javascript: or data: URL would run on click)."""
    return bool(url) and urlsplit(url.strip()).scheme.lower() in ("http", "https")


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what}")


# --- / -------------------------------------------------------------------------------------------


def index_page(db: Store, today: date) -> dict[str, Any]:
    """Counts, latest articles, upcoming announced events, most mentioned people and organisations, topics."""
    summary = queries.summary(db)
    announced = queries.calendar_events(db, limit=CALENDAR_EVENTS)
    upcoming, past = split_upcoming(announced, today)
    topics = queries.topic_counts(db)
    return {
        "summary": {
            "documents": summary["documents"],
            "mentions": summary["mentions"],
            "entities_by_type": summary["entities_by_type"],
            "facts": queries.fact_counts(db),
        },
        "documents": queries.filter_documents(db, limit=LATEST_DOCUMENTS)["items"],
        "upcoming_events": upcoming[:TOP_ENTITIES],
        "recent_announcements": past[-5:][::-1] if not upcoming else [],
        "people": queries.list_entities(db, "PER", limit=TOP_ENTITIES),
        "organizations": queries.list_entities(db, "ORG", limit=TOP_ENTITIES),
        "topics": topics,
        "html": {"topic_bars": topic_bars(topics)},
    }


def split_upcoming(events: list[dict], today: date) -> tuple[list[dict], list[dict]]:
    """Announced events still ahead (or of an unknown year) and those already past, in date order."""
    day = today.isoformat()
    upcoming = [e for e in events if e["from"] is None or (e["to"] or e["from"]) >= day]
    past = [e for e in events if e["from"] is not None and (e["to"] or e["from"]) < day]
    return upcoming, past


def topic_bars(topics: list[dict]) -> list[dict[str, Any]]:
    """Bars for the SDG chart: width in percent of the largest, the goal's colour."""
    largest = max((t["documents"] for t in topics), default=0) or 1
    return [
        {
            **t,
            "percent": round(100 * t["documents"] / largest, 1),
            "colour": SDG_COLOURS.get(t["code"], "#888"),
        }
        for t in topics
    ]


# --- /documents ----------------------------------------------------------------------------------


def documents_page(db: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Documents filtered by date, source, SDG topic or entity, newest first, a page at a time."""
    page = queries.filter_documents(
        db,
        params.get("since"),
        params.get("until"),
        params.get("source"),
        params.get("topic"),
        params.get("entity"),
        limit=PAGE_SIZE,
        offset=params.get("offset") or 0,
    )
    labels = {t["code"]: t["label"] for t in queries.topic_counts(db)}
    return {
        "params": params,
        **page,
        "topic_label": labels.get(params.get("topic") or ""),
        "html": {"pages": pages(page["total"], params, "/documents")},
    }


# --- /search -------------------------------------------------------------------------------------


def search_page(db: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Hits with the matching sentence marked, matching entities, facets; nothing when no query."""
    q = (params.get("q") or "").strip()
    context: dict[str, Any] = {"q": q, "params": params, "documents": [], "entities": [], "total": 0}
    if not q:
        return {**context, "facets": {}, "html": {"snippets": {}, "pages": []}}
    page = queries.search_documents(
        db,
        q,
        params.get("type"),
        params.get("source"),
        params.get("since"),
        params.get("until"),
        params.get("topic"),
        limit=PAGE_SIZE,
        offset=params.get("offset") or 0,
    )
    snippets = {hit["id"]: marked_snippet(hit["snippet"], hit["marks"]) for hit in page["documents"]}
    headlines = queries.headlines(db, [hit["id"] for hit in page["documents"]])
    return {
        **context,
        **page,
        "headlines": headlines,
        "html": {"snippets": snippets, "pages": pages(page["total"], params, "/search")},
    }


def marked_snippet(snippet: str | None, marks: list[tuple[int, int]], around: int = SNIPPET_AROUND) -> Markup:
    """The sentence with each matched word in `<mark class="hit">`; a long one is cut to the words
    around the first match, with an ellipsis where it was cut."""
    text = snippet or ""
    start, end = 0, len(text)
    if marks and len(text) > 3 * around:
        start = max(0, marks[0][0] - around)
        end = min(len(text), marks[0][1] + around)
        start = text.find(" ", start) + 1 if start else 0
        end = text.rfind(" ", 0, end) if end < len(text) else end
    spans = [
        Span(a - start, b - start, "mention", "mark", "", (("class", "hit"),))
        for a, b in marks
        if start <= a and b <= end
    ]
    marked = highlight(text[start:end], spans)
    return Markup("…" if start else "") + marked + Markup("…" if end < len(text) else "")


def pages(total: int, params: dict[str, Any], path: str, size: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """Links to the pages of a list: number, url, whether it is the current one (at most 10 around it)."""
    if total <= size:
        return []
    offset = params.get("offset") or 0
    current = offset // size
    count = (total + size - 1) // size
    first = max(0, min(current - 4, count - 10))
    return [
        {"number": n + 1, "url": query_url(path, params, offset=n * size), "current": n == current}
        for n in range(first, min(count, first + 10))
    ]


# --- /doc/ID -------------------------------------------------------------------------------------


def doc_page(db: Store, doc_id: str) -> tuple[Document, dict[str, Any]]:
    """The document and, for the page, its highlighted text and side panel of facts with anchors."""
    stored = queries.get_document(db, doc_id)
    if stored is None:
        raise not_found(f"document with id {doc_id}")
    doc, fact_ids = without_rejected(db, stored)
    spans = document_spans(doc)
    anchors: dict[str, list[str]] = {}
    for span in spans:
        anchors.setdefault(span.layer, []).append(span.anchor)
    return doc, {
        "doc": doc,
        "article": highlight(doc.text, spans),
        "panel": fact_panel(doc, anchors, fact_ids),
        "counts": {layer: len(names) for layer, names in anchors.items()},
    }


def fact_panel(
    doc: Document, anchors: dict[str, list[str]], fact_ids: dict[str, list[int]]
) -> dict[str, list[dict[str, Any]]]:
    """The document's facts for the side panel, each with the anchor of its span in the text;
    positions, quotes and events with their store id too (for curation)."""
    names = {entity.id: entity for entity in doc.entities}
    mentions_of: dict[str, list[dict[str, Any]]] = {}
    for mention, name in zip(doc.mentions, anchors.get("mention", []), strict=True):
        mentions_of.setdefault(mention.entity or "", []).append({"anchor": name, "text": mention.text})
    return {
        "entities": [
            {"entity": entity, "mentions": mentions_of.get(entity.id, [])}
            for entity in sorted(doc.entities, key=lambda e: (e.type, e.name))
        ],
        "positions": [
            {
                "fact": p,
                "id": fact_id,
                "anchor": name,
                "person": names.get(p.person),
                "organization": names.get(p.organization or ""),
            }
            for p, name, fact_id in zip(
                doc.positions, anchors.get("position", []), fact_ids["position"], strict=True
            )
        ],
        "quotes": [
            {"fact": q, "id": fact_id, "anchor": name, "speaker": names.get(q.speaker or "")}
            for q, name, fact_id in zip(doc.quotes, anchors.get("quote", []), fact_ids["quote"], strict=True)
        ],
        "dates": [
            {"fact": d, "anchor": name} for d, name in zip(doc.dates, anchors.get("date", []), strict=True)
        ],
        "events": [
            {
                "fact": e,
                "id": fact_id,
                "anchor": name,
                "place": names.get(e.place or ""),
                "participants": [names[p] for p in e.participants if p in names],
                "organizations": [names[o] for o in e.organizations if o in names],
            }
            for e, name, fact_id in zip(doc.events, anchors.get("event", []), fact_ids["event"], strict=True)
        ],
        "topics": [
            {"fact": t, "anchor": name, "colour": SDG_COLOURS.get(t.code, "#888")}
            for t, name in zip(doc.topics, anchors.get("topic", []), strict=True)
        ],
    }


# --- /entity/ID ----------------------------------------------------------------------------------


def entity_page(db: Store, entity_id: int, offset: int = 0) -> dict[str, Any]:
    """An entity's knowledge-base profile (as `letopis show entity` and `/api/entities/ID` give it):
    posts over time, who headed it, why its documents were linked; with its mentions-per-month chart
    and a page of its documents."""
    profile = queries.knowledge_profile(db, entity_id, limit=PAGE_SIZE, offset=offset)
    if profile is None:
        raise not_found(f"entity with id {entity_id}")
    return {
        **profile,
        "html": {
            "month_bars": month_bars(profile["mentions_by_month"]),
            "pages": pages(profile["documents"]["total"], {"offset": offset}, f"/entity/{entity_id}"),
            "headlines": queries.headlines(db, [link["doc_id"] for link in profile["links"]]),
        },
    }


def month_bars(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One bar per month from the first mention to the last, empty months included; height in percent,
    and a label: every month when there are a year's worth, else only each year's first month."""
    if not counts:
        return []
    by_month = {c["month"]: c["mentions"] for c in counts}
    months = months_between(counts[0]["month"], counts[-1]["month"])
    largest = max(by_month.values()) or 1
    few = len(months) <= 12
    return [
        {
            "month": m,
            "mentions": by_month.get(m, 0),
            "percent": round(100 * by_month.get(m, 0) / largest, 1),
            "label": f"{m[5:]}.{m[2:4]}" if few else (m[:4] if m.endswith("-01") or i == 0 else ""),
        }
        for i, m in enumerate(months)
    ]


# --- /calendar -----------------------------------------------------------------------------------


def calendar_page(db: Store, month: str | None, today: date) -> dict[str, Any]:
    """Announced events, each once with the documents announcing it: a month grid (the month asked
    for, else that of the next event) and the list."""
    events = queries.calendar_events(db, limit=CALENDAR_EVENTS)
    dated = [e for e in events if e["from"]]
    shown = month_of(month or "") or default_month(dated, today)
    year, number = shown
    return {
        "month": f"{year:04d}-{number:02d}",
        "previous": shift_month(year, number, -1),
        "next": shift_month(year, number, 1),
        "events": events,
        "undated": [e for e in events if not e["from"]],
        "html": {"weeks": month_grid(year, number, dated), "by_month": group_by_month(dated)},
    }


def calendar_ics(db: Store, since: str | None = None, until: str | None = None) -> str:
    """Announced events as iCalendar, in date order, each once; year-less ones are left out."""
    rows = queries.calendar_events(db, since, until, limit=CALENDAR_EVENTS)
    items = [
        (
            row["doc_id"],
            Event(
                id=row["local_id"],
                type=row["type"],
                name=row["name"],
                status=row["status"],
                from_=row["from"],
                to=row["to"],
                partial=row["partial"],
            ),
        )
        for row in rows
    ]
    return to_ics(items)


def default_month(dated: list[dict], today: date) -> tuple[int, int]:
    """The month of the next announced event, else of the latest one, else today's."""
    day = today.isoformat()
    ahead = [e for e in dated if (e["to"] or e["from"]) >= day]
    chosen = ahead[0] if ahead else (dated[-1] if dated else None)
    if chosen is None:
        return today.year, today.month
    start = max(chosen["from"], day) if ahead else chosen["from"]
    return int(start[:4]), int(start[5:7])


def month_grid(year: int, month: int, dated: list[dict]) -> list[list[dict[str, Any]]]:
    """Weeks of day cells, each with the events taking place that day."""
    weeks = []
    for week in month_weeks(year, month):
        cells = []
        for day in week:
            iso = day.isoformat()
            happening = [e for e in dated if e["from"] <= iso <= (e["to"] or e["from"])]
            cells.append({"date": iso, "day": day.day, "in_month": day.month == month, "events": happening})
        weeks.append(cells)
    return weeks


def group_by_month(dated: list[dict]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict]] = {}
    for event in dated:
        groups.setdefault(event["from"][:7], []).append(event)
    return [{"month": month, "events": events} for month, events in groups.items()]


# --- /graph --------------------------------------------------------------------------------------


def graph_page(db: Store, nodes: int = 40) -> dict[str, Any]:
    """Entities and their links; meetings listed as text too (who met whom, at which event)."""
    graph = queries.entity_graph(db, nodes=nodes)
    names = {node["id"]: node for node in graph["nodes"]}
    meetings = [
        {
            "source": names[e["source"]],
            "target": names[e["target"]],
            "label": e["label"],
            "weight": e["weight"],
        }
        for e in graph["edges"]
        if e["kind"] == "meeting" and e["source"] in names and e["target"] in names
    ]
    return {**graph, "meetings": meetings}
