"""The extraction pipeline: a list of stages, each `stage(doc) -> doc`, run top to bottom."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from types import FrameType

from letopis.errors import ExtractionTimeout
from letopis.model import Document
from letopis.nlp.coref import resolve_coreference
from letopis.nlp.dates import resolve_dates
from letopis.nlp.entities import group_mentions
from letopis.nlp.events import find_events
from letopis.nlp.ner import find_mentions
from letopis.nlp.positions import find_positions
from letopis.nlp.quotes import find_quotes
from letopis.nlp.topics import tag_topics
from letopis.sources import document_name

Stage = Callable[[Document], Document]

# A document the stages cannot finish in this time is given up (`extract_within`); the largest real
# articles take a second or two, a 200,000-character one about 10 s.
EXTRACTION_TIME_LIMIT_SECONDS = 60.0


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


def extract_within(doc: Document, stages: Iterable[Stage], seconds: float | None = None) -> Document:
    """`extract`, raising `ExtractionTimeout` (naming the document) when it takes over `seconds`
    (default `EXTRACTION_TIME_LIMIT_SECONDS`).

    The limit is a SIGALRM timer, so it holds only in the main thread of a POSIX process (the CLI);
    elsewhere (web workers, Windows) the document is extracted without one. The alarm is handled
    between Python bytecodes: a single long call into C ends before the error is raised.
    """
    if seconds is None:
        seconds = EXTRACTION_TIME_LIMIT_SECONDS
    if not _can_set_alarm():
        return extract(doc, stages)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise ExtractionTimeout(document_name(doc), seconds)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return extract(doc, stages)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_set_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
