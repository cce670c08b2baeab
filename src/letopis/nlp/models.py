"""The one place models load: lazily, once per process, on first use; and the caches of what they
answer (parses, inflections)."""

from __future__ import annotations

import gc
from contextlib import AbstractContextManager
from functools import lru_cache

import pymorphy3
from natasha import NewsEmbedding, NewsNERTagger
from pymorphy3.opencorpora_dict.wrapper import Dictionary
from pymorphy3.units.by_analogy import KnownSuffixAnalyzer
from pymorphy3.units.by_lookup import DictionaryAnalyzer
from threadpoolctl import ThreadpoolController

# How pymorphy3 read a word (the analyser units of its parse) when the word's lexeme is the forms of
# one paradigm of its dictionary: a dictionary word, or a word guessed by the ending of one ("…иёев").
PARADIGM_READINGS = frozenset(
    {(DictionaryAnalyzer,), (KnownSuffixAnalyzer.FakeDictionary, KnownSuffixAnalyzer)}
)
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


def inflected_word(parse: pymorphy3.analyzer.Parse, grammemes: frozenset[str]) -> str | None:
    """The word of `parse.inflect(grammemes)`, or None when it has no such form.

    pymorphy3 builds every form of the word's paradigm as a parse to choose one; when the lexeme is
    one paradigm of its dictionary (`PARADIGM_READINGS`), the choice depends only on the paradigm,
    the word's place in it and the grammemes, so it is made once for all the words of a paradigm (a
    surname's is shared by thousands), and only the chosen form's word is built.
    """
    if tuple(type(method[0]) for method in parse.methods_stack) not in PARADIGM_READINGS:
        found = inflected(parse, grammemes)
        return found.word if found else None
    unit, _, paradigm, index = parse.methods_stack[0]
    choice = _paradigm_choice(unit.dict, paradigm, index, grammemes)
    if choice is None:
        return None
    (prefix, suffix), (new_prefix, new_suffix) = choice
    stem = parse.word[len(prefix) : len(parse.word) - len(suffix)]
    return new_prefix + stem + new_suffix


@lru_cache(maxsize=20_000)
def _paradigm_choice(
    dictionary: Dictionary, paradigm: int, index: int, grammemes: frozenset[str]
) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The prefix and suffix of form `index` of a dictionary paradigm and of the form
    `Parse.inflect` goes to with `grammemes` (pymorphy3's `MorphAnalyzer._inflect`, on the
    paradigm's tags): of the forms having them all, or else their common cases ("loc2" as "loct"),
    the first most like the word's own tag with them put in."""
    forms = dictionary.build_paradigm_info(paradigm)
    required: frozenset[str] = grammemes
    fitting = [form for form in forms if required <= form[1].grammemes]
    if not fitting:
        required = forms[index][1].fix_rare_cases(required)
        fitting = [form for form in forms if required <= form[1].grammemes]
    wanted = forms[index][1].updated_grammemes(required)  # first: it raises on a wrong grammeme, as pymorphy3
    if not fitting:
        return None
    prefix, _, suffix = max(
        fitting,
        key=lambda form: len(wanted & form[1].grammemes) - 0.1 * len(wanted ^ form[1].grammemes),
    )
    return (forms[index][0], forms[index][2]), (prefix, suffix)
