"""Lemmas: the same normal form for every inflection of a word.

`lemma` gives a word's one likeliest normal form; the NLP word lists and entity keys use it. Search
uses `lemmas_of`, every normal form a word has a fair chance of (`MIN_READING_SHARE`): pymorphy3
reads «судов» as «судно» (0.72) before «суд» (0.28), and «Основного» as «основный» and «основной»
alike, so one lemma per word made «суд» miss «судов» and «основной» miss «Основного». The index
holds every such lemma of a word (`search_lemmas`); a query word matches any of its own
(`query_terms`)."""

from __future__ import annotations

import re
from functools import lru_cache

from letopis.nlp.models import parses

WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
CYRILLIC_LETTER = re.compile("[а-я]")
# A normal form whose parses hold this share of a word's pymorphy3 score is one of its search lemmas:
# «судов» судно .72 / суд .28, «рада» рада .56 / рад .44 both; «стали» стать .97 / сталь .03 and
# «банка» банк .96 / банка .04 only the first.
MIN_READING_SHARE = 0.1
# The version of what `search_lemmas` gives: 1 was `lemmatize`'s one lemma a word. Batch partitions
# record it beside the lemmas they hold (letopis.batch); a store re-indexes in migration 0008.
SEARCH_LEMMAS_VERSION = 2


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of one word, lower-cased, with ё as е ("Балаевой" -> "балаева")."""
    low = word.lower().replace("ё", "е")
    if not CYRILLIC_LETTER.search(low):
        return low
    return parses(low)[0].normal_form.replace("ё", "е")


def lemmatize(text: str) -> str:
    """The text as space-separated lemmas, one a word (`lemma`)."""
    return " ".join(lemma(m.group()) for m in WORD.finditer(text))


@lru_cache(maxsize=200_000)
def lemmas_of(word: str) -> tuple[str, ...]:
    """The word's search lemmas: `lemma(word)` first, then each other normal form whose parses hold
    MIN_READING_SHARE of the word's score, likelier first ("судов" -> ("судно", "суд"))."""
    first = lemma(word)
    low = word.lower().replace("ё", "е")
    if not CYRILLIC_LETTER.search(low):
        return (first,)
    shares: dict[str, float] = {}
    for parse in parses(low):
        normal = parse.normal_form.replace("ё", "е")
        shares[normal] = shares.get(normal, 0.0) + parse.score
    total = sum(shares.values()) or 1.0
    others = sorted((n for n, s in shares.items() if n != first and s / total >= MIN_READING_SHARE),
                    key=lambda n: -shares[n])  # fmt: skip
    return (first, *others)


def search_lemmas(text: str) -> str:
    """The text as its words' search lemmas (`lemmas_of`), space-separated: a full-text index row."""
    return " ".join(" ".join(lemmas_of(m.group())) for m in WORD.finditer(text))


def query_terms(text: str) -> list[tuple[str, ...]]:
    """Each distinct word of a query as its search lemmas, of which a match must hold one."""
    return list(dict.fromkeys(lemmas_of(m.group()) for m in WORD.finditer(text)))
