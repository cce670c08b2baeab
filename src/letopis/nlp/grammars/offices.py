"""Offices that titles name: whether a title heads an organisation, which one, and its key.

A head's title names the office it heads, before or after its head word: "министр культуры и
информации РК" heads the "Министерство культуры и информации РК", "глава МИД" the "МИД",
"премьер-министр Казахстана" the "Правительство Казахстана". An office's key is the lemmas of its
name with the other names of offices and countries (offices.tsv) spelled out and "Республика"
dropped before a country's name, so "глава МИД РК", "министр иностранных дел Казахстана" and the
organisation "МИД РК" meet. Used by letopis.nlp.positions and letopis.kb.titles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from letopis.nlp.grammars import HERE
from letopis.nlp.lemmas import lemma
from letopis.nlp.normal import TOKEN

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
REPUBLIC = "республика"
CONJUNCTION = "и"


def _words(name: str) -> list[str]:
    return [w for w in TOKEN.findall(name) if w[0].isalnum()]


@lru_cache(maxsize=1)
def head_titles() -> tuple[tuple[str, ...], ...]:
    """head_titles.txt: the titles (as lemma sequences) of those who head an organisation."""
    text = (HERE / "head_titles.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(tuple(lemma(w) for w in _words(line)) for line in lines if line and not line.startswith("#"))


def _head(title: str | None) -> tuple[str, ...] | None:
    if not title:
        return None
    lemmas = tuple(lemma(w) for w in _words(title))
    return next((head for head in head_titles() if lemmas[: len(head)] == head), None)


def is_head_title(title: str | None) -> bool:
    """True when the title starts with a head's title: "министр культуры", not "заместитель министра"."""
    return _head(title) is not None


def office_name(title: str | None) -> str | None:
    """For a head's title, the office it heads as the title names it, else None:
    "министр культуры и информации РК" -> "Министерство культуры и информации РК", "глава МИД" -> "МИД"."""
    head = _head(title)
    if head is None:
        return None
    rest = _words(title or "")[len(head) :]
    if not rest:
        return None
    prefix = HEADED_BY_TITLE.get(head[-1])
    return " ".join([prefix, *rest] if prefix else rest)


# ---------------------------------------------------------------- keys


@dataclass(frozen=True)
class OfficeKey:
    """The lemmas of an office's name; `short` counts those spelled out from a short form it
    starts with ("Минкультуры РК" -> министерство культура | казахстан: short 2), else 0."""

    words: tuple[str, ...]
    short: int = 0

    @property
    def kind(self) -> str:
        """The first word, which says what the office is when it is a ministry, a government, …"""
        return self.words[0]


def _word_key(word: str) -> str:
    """A word as compared: its lemma; an abbreviation in lower case ("ДУМ" is not "дума")."""
    if len(word) > 1 and word.isupper():
        return word.lower().replace("ё", "е")
    return lemma(word)


@lru_cache(maxsize=1)
def other_names() -> dict[tuple[str, ...], tuple[str, ...]]:
    """offices.tsv as {key of the name as written: key of the name it is compared as}."""
    table = {}
    for line in (HERE / "offices.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            written, compared = line.split("\t")
            table[tuple(map(_word_key, _words(written)))] = tuple(map(_word_key, _words(compared)))
    return table


@lru_cache(maxsize=50_000)
def office_key(name: str) -> OfficeKey | None:
    """The key of an office's name ("МИД РК" -> министерство иностранный дело казахстан), None if empty."""
    written = _words(name)
    keys = [
        _word_key(w)
        for i, w in enumerate(written)
        if not (lemma(w) == REPUBLIC and i + 1 < len(written) and written[i + 1][:1].isupper())
    ]
    table = other_names()
    longest = max(map(len, table))
    out: list[str] = []
    short = 0
    index = 0
    while index < len(keys):
        size = next((n for n in range(longest, 0, -1) if tuple(keys[index : index + n]) in table), 0)
        if size:
            compared = table[tuple(keys[index : index + size])]
            short = len(compared) if index == 0 else short
            out.extend(compared)
            index += size
        else:
            out.append(keys[index])
            index += 1
    return OfficeKey(tuple(out), short) if out else None


def title_office_key(title: str | None) -> OfficeKey | None:
    """The key of the office a head's title names, else None ("заместитель министра" heads nothing)."""
    name = office_name(title)
    return office_key(name) if name else None


@lru_cache(maxsize=1)
def organization_kinds() -> frozenset[str]:
    """Keys of the words that name what a head's title heads: министерство, правительство, акимат."""
    return frozenset(_word_key(kind) for kind in HEADED_BY_TITLE.values())


def same_office(one: OfficeKey, other: OfficeKey) -> bool:
    """Equal keys, or a short form of the first field of a ministry of several, in the same country:
    "Минкультуры РК" is the "Министерство культуры и информации РК"."""
    return one.words == other.words or _shortens(one, other) or _shortens(other, one)


def _shortens(short: OfficeKey, full: OfficeKey) -> bool:
    size = short.short
    place = short.words[size:]
    if not size or not place or len(full.words) <= size + 1 + len(place):
        return False  # without a place after it, "Минкультуры" could be any country's
    return (
        full.words[:size] == short.words[:size]
        and full.words[size] == CONJUNCTION
        and full.words[-len(place) :] == place
    )
