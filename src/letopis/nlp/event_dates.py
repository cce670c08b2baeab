"""When an event is: a date in its phrase, its clause or its sentence; not a term ("на 2026–2030 годы")
nor a bound ("до 2020 года")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from letopis.model import DateValue, Event
from letopis.nlp.event_phrases import _Phrase
from letopis.nlp.event_text import _Doc, _index_after

if TYPE_CHECKING:
    from letopis.nlp.events import _Hit  # the meeting trigger a date belongs to


DATE_REACH = 3  # words between a date and the event phrase or verb it belongs to
NOT_EVENT_TIME = {"до", "к", "ко", "после", "перед", "накануне"}  # "до 2020 года" bounds, is not when


def _meeting_date(hit: _Hit, ctx: _Doc) -> DateValue | None:
    """The date in the trigger's sentence nearest the trigger, outside other events' phrases."""
    sentence = hit.sentence
    at = sentence.tokens[hit.first].start
    dates = [
        d
        for d in ctx.doc.dates
        if sentence.start <= d.start
        and d.end <= sentence.end
        and not ctx.is_taken(d.start, d.end)
        and _is_event_time(d)
    ]
    return min(dates, key=lambda d: (d.from_ is None and d.partial is None, abs(d.start - at)), default=None)


def _is_event_time(date: DateValue) -> bool:
    return date.text.split()[0].lower() not in NOT_EVENT_TIME


def _phrase_date(ctx: _Doc, phrase: _Phrase, clause: tuple[int, int], verb: int | None) -> DateValue | None:
    """A date inside the phrase, else one in its clause next to the phrase or its verb."""
    tokens = phrase.sentence.tokens
    dates = [d for d in ctx.doc.dates if not _is_term(d, phrase)]
    inside = [d for d in dates if phrase.start <= d.start and d.end <= phrase.end]
    if inside:
        return inside[0]
    anchors = [(phrase.first, phrase.last)] + ([(verb, verb + 1)] if verb is not None else [])
    best: tuple[tuple[int, bool], DateValue] | None = None
    sentence = phrase.sentence
    for date in dates:
        if not (sentence.start <= date.start and date.end <= sentence.end):
            continue
        a, b = _index_after(tokens, date.start), _index_after(tokens, date.end)
        if a < clause[0] or b > clause[1] or not _is_event_time(date):
            continue
        gap = min(max(x - b, a - y, 0) for x, y in anchors)
        rank = (gap, date.from_ is None and date.partial is None)  # "в минувшую среду 12 мая": the day
        if gap <= DATE_REACH and (best is None or rank < best[0]):
            best = (rank, date)
    return best[1] if best else None


def _after_published(date: DateValue | None, ctx: _Doc) -> bool:
    published = ctx.doc.published
    return bool(date and date.from_ and published and date.from_ > published[:10])


def _set_date(event: Event, date: DateValue | None) -> None:
    """Copy a date that says something (not "во вторник" without a publication date)."""
    if date is not None and (date.from_ or date.partial):
        event.from_, event.to, event.partial = date.from_, date.to, date.partial
        event.date_basis = "text"


def _inside_date(ctx: _Doc, phrase: _Phrase) -> DateValue | None:
    inside = (d for d in ctx.doc.dates if phrase.start <= d.start and d.end <= phrase.end)
    return next((d for d in inside if not _is_term(d, phrase)), None)


def _is_term(date: DateValue, phrase: _Phrase) -> bool:
    """ "Рамочный документ … на 2026–2030 годы": how long it runs, part of its name, not when it was made."""
    inside = phrase.start <= date.start and date.end <= phrase.end
    return inside and date.text.lower().startswith("на ")
