"""The extraction pipeline: a list of stages, each `stage(doc) -> doc`, run top to bottom."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from letopis.model import Document
from letopis.nlp.coref import resolve_coreference
from letopis.nlp.dates import resolve_dates
from letopis.nlp.entities import group_mentions
from letopis.nlp.events import find_events
from letopis.nlp.ner import find_mentions
from letopis.nlp.positions import find_positions
from letopis.nlp.quotes import find_quotes
from letopis.nlp.topics import tag_topics

Stage = Callable[[Document], Document]


def default_stages() -> list[Stage]:
    """The stages in order: names first, then everything that refers to them."""
    return [
        find_mentions,  # mentions: PER/ORG/LOC spans with normal forms
        group_mentions,  # entities: mentions of the same thing grouped
        resolve_dates,  # dates: temporal expressions with absolute from/to
        resolve_coreference,  # mentions: pronouns and role phrases resolved to people
        find_positions,  # positions: person – title – organisation, as of a date
        find_quotes,  # quotes: direct, dash-dialogue and indirect speech with speakers
        find_events,  # events: meetings, agreements, initiatives, announced events (needs mentions, dates)
        tag_topics,  # topics: UN SDGs with the sentence that shows each
    ]


def extract(doc: Document, stages: Iterable[Stage] | None = None) -> Document:
    """Run every stage on one document."""
    for stage in stages if stages is not None else default_stages():
        doc = stage(doc)
    return doc


def extract_all(docs: Iterable[Document]) -> Iterator[Document]:
    """Run the default pipeline over many documents."""
    stages = default_stages()
    for doc in docs:
        yield extract(doc, stages)
