"""Lemmas for search: the same normal form for every inflection of a word."""

from __future__ import annotations

import re
from functools import lru_cache

from letopis.nlp.models import parses

WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
CYRILLIC_LETTER = re.compile("[а-я]")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of one word, lower-cased, with ё as е ("Балаевой" -> "балаева")."""
    low = word.lower().replace("ё", "е")
    if not CYRILLIC_LETTER.search(low):
        return low
    return parses(low)[0].normal_form.replace("ё", "е")


def lemmatize(text: str) -> str:
    """The text as space-separated lemmas, for a full-text index or a query."""
    return " ".join(lemma(m.group()) for m in WORD.finditer(text))
