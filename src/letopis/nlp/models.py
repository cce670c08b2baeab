"""The one place models load: lazily, once per process, on first use."""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache

import pymorphy3
from natasha import NewsEmbedding, NewsNERTagger
from threadpoolctl import ThreadpoolController


@lru_cache(maxsize=1)
def morph() -> pymorphy3.MorphAnalyzer:
    """The pymorphy3 analyser with the Russian dictionaries shipped in pymorphy3-dicts-ru."""
    return pymorphy3.MorphAnalyzer()


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
