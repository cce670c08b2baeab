"""The one place models load: lazily, once per process, on first use."""

from __future__ import annotations

import gc
from contextlib import AbstractContextManager
from functools import lru_cache

import pymorphy3
from natasha import NewsEmbedding, NewsNERTagger
from threadpoolctl import ThreadpoolController

# Younger collections of the cyclic garbage collector before a full one (Python's default: 10).
FULL_COLLECTION_AFTER = 1000


@lru_cache(maxsize=1)
def morph() -> pymorphy3.MorphAnalyzer:
    """The pymorphy3 analyser with the Russian dictionaries shipped in pymorphy3-dicts-ru."""
    collect_cycles_less_often()
    analyzer = pymorphy3.MorphAnalyzer()
    plain_grammemes(analyzer)
    return analyzer


def plain_grammemes(analyzer: pymorphy3.MorphAnalyzer) -> None:
    """Make `tag.POS`, `tag.case` and the like plain strings, not pymorphy3's checked ones.

    A checked grammeme is made for each read and its `==` is a Python call that also looks the other
    side up among the valid grammemes (to catch typos); the stages read some 300,000 grammemes per
    300 news articles, about 2% of extraction (cProfile). Equal strings compare the same either way.
    The setting is pymorphy3's tag class's, so it holds for every analyser in the process.
    """
    analyzer.TagClass.typed_grammemes = False


def collect_cycles_less_often() -> None:
    """Make the garbage collector's full collections rarer (`FULL_COLLECTION_AFTER`), once the word
    caches start to fill.

    A full collection walks every object alive, and the caches of parses (`parses` and the caches
    built on it) hold hundreds of thousands: with Python's default, ten full collections took 2 of
    the 12 s of extracting NEREL train. Extraction leaves no garbage in cycles (none at all over NEREL
    train with the collector off), and garbage without cycles is freed at once all the same.
    """
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, max(full, FULL_COLLECTION_AFTER))


@lru_cache(maxsize=1)
def ner_tagger() -> NewsNERTagger:
    """Natasha's slovnet NER model (bundled inside the natasha package, no download)."""
    return NewsNERTagger(NewsEmbedding())


def one_blas_thread() -> AbstractContextManager[object]:
    """BLAS (numpy's matrix products) on one thread, for the NER tagger.

    Its matrices are small; OpenBLAS's extra threads spin waiting for work and, on a busy machine,
    slowed the tagger two- to threefold and `letopis ingest` of NEREL train 1.4x (2 cores).
    """
    return _blas().limit(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    """All pymorphy3 parses of a lower-cased word, cached: news repeats its words a lot."""
    return tuple(morph().parse(word))


@lru_cache(maxsize=200_000)
def is_known(word: str) -> bool:
    """True when the lower-cased word is in the dictionary (not guessed from its ending)."""
    return morph().word_is_known(word)


@lru_cache(maxsize=50_000)
def inflected(parse: pymorphy3.analyzer.Parse, grammemes: frozenset[str]) -> pymorphy3.analyzer.Parse | None:
    """`parse.inflect(grammemes)`, cached: pymorphy3 builds the word's whole paradigm for each call."""
    return parse.inflect(set(grammemes))
