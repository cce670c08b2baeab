"""Years the text leaves out, vouched for by other documents of the knowledge base.

"…референдума, который состоится 15 марта" in an undated article gets its year from
another, dated article that announces the same referendum as upcoming: an event announced
on 2026-02-24 happens after that day, so "15 марта" is 2026-03-15. An article announcing an
event dated D was published before D, which then dates its other announced events too.
Each inferred value records how it was inferred in the event's `date_basis` ("kb: …").

The knowledge comes in as plain `Reference`s, so this module needs no store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from letopis.model import DateValue, Document, Event
from letopis.nlp.lemmas import lemmatize

# An article mentioning an upcoming event is taken to be at most this much older than it.
ANNOUNCEMENT_LEAD = timedelta(days=60)
PARTIAL_DAY = re.compile(r"^--(\d\d)-(\d\d)$")
PARTIAL_RANGE = re.compile(r"^--(\d\d)-(\d\d)/--(\d\d)-(\d\d)$")
GENERIC_WORDS = {"по", "о", "об", "в", "на", "и", "вопрос"}


@dataclass(frozen=True)
class Reference:
    """What another document says about an event: its type, name, status and dates."""

    doc_id: str
    published: str | None
    type: str
    name: str
    status: str
    from_: str | None
    partial: str | None


def references_from(doc: Document) -> list[Reference]:
    """The announced events of a document, as knowledge other documents can use."""
    return [
        Reference(doc.id, doc.published, e.type, e.name, e.status, e.from_, e.partial)
        for e in doc.events
        if e.status == "announced"
    ]


def name_key(name: str) -> frozenset[str]:
    """Content lemmas of an event's name: "республиканского референдума" -> {республиканский, референдум}."""
    return frozenset(w for w in lemmatize(name).split() if w not in GENERIC_WORDS)


def same_event(event: Event, ref: Reference) -> bool:
    """Same type, and one name's content words contain the other's."""
    if event.type != ref.type:
        return False
    mine, theirs = name_key(event.name), name_key(ref.name)
    return bool(mine and theirs) and (mine <= theirs or theirs <= mine)


def _month_days(partial: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    day = PARTIAL_DAY.match(partial)
    if day:
        point = (int(day.group(1)), int(day.group(2)))
        return point, point
    span = PARTIAL_RANGE.match(partial)
    if span:
        a, b, c, d = (int(g) for g in span.groups())
        return (a, b), (c, d)
    return None


def first_on_or_after(month_day: tuple[int, int], bound: date) -> date | None:
    """The first date with this month and day on or after `bound` (None for an impossible day)."""
    for year in range(bound.year, bound.year + 9):  # 29 February may be years away
        try:
            candidate = date(year, *month_day)
        except ValueError:
            continue
        if candidate >= bound:
            return candidate
    return None


@dataclass(frozen=True)
class _Dating:
    start: date
    end: date
    basis: str


def _date_partial(partial: str, bound: date, basis: str) -> _Dating | None:
    days = _month_days(partial)
    if days is None:
        return None
    start = first_on_or_after(days[0], bound)
    if start is None:
        return None
    end = first_on_or_after(days[1], start)
    return _Dating(start, end, basis) if end else None


def _date_from_references(event: Event, refs: list[Reference], published: str | None) -> _Dating | None:
    """Date an announced event by the same event in another document.

    The day and month come from either side ("15 марта"); the year is the first one after the
    announcing document's publication date, else the other side's full date.
    """
    for ref in refs:
        partial = event.partial or ref.partial
        if partial is None or not same_event(event, ref):
            continue
        # Publication dates first: they never change, so re-ingesting gives the same answer.
        if ref.published:
            basis = f"kb: the same {event.type} is announced in {ref.doc_id} published {ref.published}"
            return _date_partial(partial, date.fromisoformat(ref.published), basis)
        if published:
            basis = f"kb: the same {event.type} is dated {partial} in document {ref.doc_id}"
            return _date_partial(partial, date.fromisoformat(published), basis)
        if ref.from_ and ref.from_[4:10] == partial.split("/")[0][1:]:
            basis = f"kb: the same {event.type} is dated {ref.from_} in document {ref.doc_id}"
            return _date_partial(partial, date.fromisoformat(ref.from_), basis)
    return None


def infer_years(doc: Document, refs: list[Reference]) -> Document:
    """Fill the years of the document's announced events (and their dates) from other documents."""
    others = [r for r in refs if r.doc_id != doc.id]
    datings: dict[str, _Dating] = {}
    for event in doc.events:
        if event.status == "announced" and event.from_ is None:
            dating = _date_from_references(event, others, doc.published)
            if dating:
                datings[event.id] = dating
    if doc.published is None and datings:
        datings.update(_date_siblings(doc, datings))
    if not datings:
        return doc
    return _apply(doc, datings)


def _date_siblings(doc: Document, datings: dict[str, _Dating]) -> dict[str, _Dating]:
    """The document announces an event on D, so it is from shortly before D: date its other events."""
    anchor = min(datings.values(), key=lambda d: d.start)
    bound = anchor.start - ANNOUNCEMENT_LEAD
    basis = f"kb: the document announces an event on {anchor.start.isoformat()}, so it predates it"
    found = {}
    for event in doc.events:
        if event.id in datings or event.status != "announced" or not event.partial:
            continue
        dating = _date_partial(event.partial, bound, basis)
        if dating:
            found[event.id] = dating
    return found


def _apply(doc: Document, datings: dict[str, _Dating]) -> Document:
    events = []
    by_partial: dict[str, _Dating] = {}
    for event in doc.events:
        dating = datings.get(event.id)
        if dating is None:
            events.append(event)
            continue
        events.append(
            replace(event, from_=dating.start.isoformat(), to=dating.end.isoformat(), date_basis=dating.basis)
        )
        if event.partial:
            by_partial[event.partial] = dating
    dates = [_resolve_date(value, by_partial) for value in doc.dates]
    return replace(doc, events=events, dates=dates)


def _resolve_date(value: DateValue, by_partial: dict[str, _Dating]) -> DateValue:
    dating = by_partial.get(value.partial or "")
    if value.from_ is not None or dating is None:
        return value
    return replace(value, from_=dating.start.isoformat(), to=dating.end.isoformat())
