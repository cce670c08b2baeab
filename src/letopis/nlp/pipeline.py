"""The extraction pipeline: a list of stages, each `stage(doc) -> doc`, run top to bottom.

A stage may also have `prepare(docs)`: work it does faster on many documents at once (the NER
tagger), done for a batch of documents before `extract` runs on each (`extract_all`, `prepared`).
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from types import FrameType
from typing import TypeVar

from letopis.errors import ExtractionTimeout
from letopis.model import Document
from letopis.nlp.coref import resolve_coreference
from letopis.nlp.dates import resolve_dates
from letopis.nlp.entities import group_mentions
from letopis.nlp.events import find_events
from letopis.nlp.ner import MentionFinder
from letopis.nlp.positions import find_positions
from letopis.nlp.quotes import find_quotes
from letopis.nlp.topics import tag_topics
from letopis.sources import document_name

Stage = Callable[[Document], Document]

# A document the stages cannot finish in this time is given up (`extract_within`); the largest real
# articles take a second or two, a 200,000-character one about 10 s.
EXTRACTION_TIME_LIMIT_SECONDS = 60.0
# Documents read ahead and prepared together (`prepared`, `extract_all`).
BATCH_SIZE = 32

Item = TypeVar("Item")


def default_stages() -> list[Stage]:
    """The stages in order: names first, then everything that refers to them."""
    return [
        MentionFinder(),  # mentions: PER/ORG/LOC spans with normal forms (find_mentions)
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


def prepare(docs: Sequence[Document], stages: Iterable[Stage]) -> None:
    """Let every stage that has `prepare` do its work for `docs` ahead of `extract`."""
    for stage in stages:
        ahead = getattr(stage, "prepare", None)
        if ahead is not None:
            ahead(docs)


def extract_all(docs: Iterable[Document], stages: Iterable[Stage] | None = None) -> Iterator[Document]:
    """Run every stage on many documents, `BATCH_SIZE` prepared at a time."""
    stages = list(stages) if stages is not None else default_stages()
    for doc in prepared(docs, stages):
        yield extract(doc, stages)


def prepared(items: Iterable[Item], stages: Sequence[Stage], seconds: float | None = None) -> Iterator[Item]:
    """The same items, in order, each batch of `BATCH_SIZE` read ahead and `prepare`d: the documents
    among them for every stage that has `prepare`; anything else (a `SourceError`) just passes.

    Preparing only gives the stages a head start: when a batch takes longer than `seconds` (default
    `EXTRACTION_TIME_LIMIT_SECONDS`, the limit of one document), it is dropped and each document is
    done by the stages alone, within its own limit (`extract_within`).
    """
    for batch in _batches(items):
        docs = [item for item in batch if isinstance(item, Document)]
        try:
            _within(seconds, "a batch of documents", partial(prepare, docs, stages))
        except ExtractionTimeout:
            prepare([], stages)
        yield from batch


def _batches(items: Iterable[Item]) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_within(doc: Document, stages: Iterable[Stage], seconds: float | None = None) -> Document:
    """`extract`, raising `ExtractionTimeout` (naming the document) when it takes over `seconds`
    (default `EXTRACTION_TIME_LIMIT_SECONDS`).

    In the main thread of a POSIX process (the CLI) the limit is a SIGALRM timer; in any other thread
    (Dask workers, the web server) a watcher thread raises it in the extracting thread. Either way it
    is handled between Python bytecodes: a single long call into C ends before the error is raised.
    """
    return _within(seconds, document_name(doc), partial(extract, doc, stages))


def _within(seconds: float | None, name: str, run: Callable[[], Item]) -> Item:
    """`run()`, raising `ExtractionTimeout(name, seconds)` when it takes longer (see `extract_within`)."""
    if seconds is None:
        seconds = EXTRACTION_TIME_LIMIT_SECONDS
    if not _can_set_alarm():
        return _within_thread(seconds, name, run)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise ExtractionTimeout(name, seconds)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _OverTime(BaseException):
    """Raised inside a thread whose document ran over its time (`_within_thread`); a BaseException, so
    no `except Exception` in a stage swallows it."""


def _within_thread(seconds: float, name: str, run: Callable[[], Item]) -> Item:
    """`run()` in a thread that is not the main one (a Dask worker's, a web server's), stopped as the
    alarm stops it in the main thread: a watcher raises `_OverTime` in this thread between two
    bytecodes once `seconds` have passed, and the caller gets `ExtractionTimeout`."""
    thread = ctypes.c_ulong(threading.get_ident())
    finished = threading.Event()
    lock = threading.Lock()

    def watch() -> None:
        if finished.wait(seconds):
            return
        with lock:
            if not finished.is_set():
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, ctypes.py_object(_OverTime))

    watcher = threading.Thread(target=watch, name=f"time limit of {name}", daemon=True)
    watcher.start()
    try:
        try:
            return run()
        finally:
            with lock:
                finished.set()
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, None)  # one raised too late: dropped
            watcher.join()
    except _OverTime:
        raise ExtractionTimeout(name, seconds) from None


def _can_set_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
