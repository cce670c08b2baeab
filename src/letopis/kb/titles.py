"""Titles of posts: a key to compare them by, whether a title heads an organisation, and which.

Keys are lemmas with known abbreviations spelled out and "Республика" dropped before a country
(kb.names.canonical_key), so "министр культуры и информации РК" and "Министра культуры и
информации Республики Казахстан" are one post.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from letopis.kb.names import canonical_key, words
from letopis.nlp.lemmas import lemma

# What a head's title says it heads, before the rest of the title: "министр иностранных дел" heads
# the "министерство иностранных дел", "премьер-министр Казахстана" the "Правительство Казахстана";
# other heads name it outright ("глава МИД РК", "президент Казахстана").
HEADED_BY_TITLE = {
    "министр": "Министерство",
    "премьер-министр": "Правительство",
    "премьер": "Правительство",
    "канцлер": "Правительство",
    "аким": "Акимат",
}


def title_key(title: str | None) -> str | None:
    """The title as compared: "Министра культуры РК" and "министр культуры Республики Казахстан" meet."""
    if title is None:
        return None
    return canonical_key(title)


@lru_cache(maxsize=1)
def head_titles() -> tuple[tuple[str, ...], ...]:
    """head_titles.txt: the titles (as lemma sequences) of those who head an organisation."""
    text = resources.files(__package__).joinpath("head_titles.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(tuple(lemma(w) for w in words(line)) for line in lines if line and not line.startswith("#"))


def _head(title: str | None) -> tuple[str, ...] | None:
    if not title:
        return None
    lemmas = tuple(lemma(w) for w in words(title))
    return next((head for head in head_titles() if lemmas[: len(head)] == head), None)


def is_head_title(title: str | None) -> bool:
    """True when the title starts with a head's title: "министр культуры", not "заместитель министра"."""
    return _head(title) is not None


def office_key(title: str | None) -> str | None:
    """For a head's title, the key of the organisation it heads as named in the title, else None:
    "министр иностранных дел РК" and "глава МИД Казахстана" -> "министерство иностранный дело казахстан"."""
    head = _head(title)
    if head is None:
        return None
    rest = words(title)[len(head) :]
    if not rest:
        return None
    prefix = HEADED_BY_TITLE.get(head[-1])
    return canonical_key(" ".join([prefix, *rest] if prefix else rest))
