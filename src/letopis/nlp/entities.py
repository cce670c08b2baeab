"""Within one document, group mentions into entities.

- People: a name whose words are all among a longer name's words is the same person
  ("Балаева", "Аида Балаева"; "Гювен Гюрес", "Джерен Гювен Гюрес"), compared by lemma so
  case endings don't matter. A surname shared by two different full names stays apart.
- Organisations and places: the same lemmas are the same thing; an abbreviation made of
  the initials of a spelled-out name is that name ("МИД" = "Министерство иностранных дел");
  a name of two words or more is the same organisation as itself followed by a complement that
  starts with "по", "при" or "для" ("Региональный центр ООН" = "Региональный центр ООН по Целям
  устойчивого развития").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from letopis.model import Document, Entity, Mention
from letopis.nlp.lemmas import lemma
from letopis.nlp.normal import TOKEN

QUOTED = re.compile(r"«([^«»]+)»")
# Lemmas of the countries an official name may end with ("МИД РК", "МВД России").
COUNTRY_SUFFIXES = {"рк", "рф", "россия", "казахстан", "кр", "рб", "рт", "республика казахстан"}
FUNCTION_WORDS = {"по", "и", "в", "при", "для", "на", "о", "об", "с", "со", "за", "от"}
# A complement after an organisation's head name: "… по Целям устойчивого развития", "… при Президенте".
COMPLEMENT_STARTS = {"по", "при", "для"}


@lru_cache(maxsize=50_000)
def name_key(normal: str) -> tuple[str, ...]:
    """The name as a tuple of lemmas, for matching across inflections."""
    return tuple(lemma(word) for word in TOKEN.findall(normal) if word[0].isalnum())


def initials(normal: str) -> str:
    """Upper-case initials of the content words: "Министерство иностранных дел" -> "МИД"."""
    words = [w for w in TOKEN.findall(normal) if w[0].isalpha() and w.lower() not in FUNCTION_WORDS]
    return "".join(w[0] for w in words).upper()


def quoted_key(normal: str) -> tuple[str, ...] | None:
    """The key of the name in «…» inside an organisation's name: Структура «ООН-Женщины» -> ООН-Женщины."""
    match = QUOTED.search(normal)
    return name_key(match.group(1)) if match else None


def core_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """An organisation's key without the country after it: "Минкультуры РК" -> "минкультуры"."""
    while len(key) > 1 and key[-1] in COUNTRY_SUFFIXES:
        key = key[:-1]
    return key


@lru_cache(maxsize=50_000)  # asked of every group a new organisation is compared with
def head_before_complement(key: tuple[str, ...]) -> tuple[str, ...] | None:
    """The words before the first complement of a name, when there are two or more of them:
    "Региональный центр ООН по Целям …" -> "региональный центр ООН"."""
    for position, word in enumerate(key):
        if word in COMPLEMENT_STARTS:
            return key[:position] if position >= 2 else None
    return None


def _is_abbreviation(normal: str) -> bool:
    return normal.isupper() and 2 <= len(normal) <= 8 and " " not in normal


class _Name(NamedTuple):
    """What `_fits` and `_Group.add` read of a mention's normal form, worked out once per mention, not
    again for each group it is compared with."""

    type: str
    normal: str
    key: tuple[str, ...]
    core: tuple[str, ...]  # core_key(key)
    head: tuple[str, ...] | None  # head_before_complement(key)
    quoted: tuple[str, ...] | None  # quoted_key(normal), for "Структура «X»" or "«X»" only
    abbreviation: bool
    initials: str | None  # of a name of several words


def _name(mention: Mention) -> _Name:
    normal = mention.normal
    key = name_key(normal)
    inner = quoted_key(normal)
    return _Name(
        mention.type,
        normal,
        key,
        core_key(key),
        head_before_complement(key),
        inner if inner is not None and _bare_type_word(normal) else None,
        _is_abbreviation(normal),
        initials(normal) if " " in normal else None,
    )


class _Group:
    """Mentions of one thing, with what `_fits` compares a new mention against kept up to date: a
    document of thousands of mentions compares each with hundreds of groups."""

    def __init__(self, mention: Mention, name: _Name) -> None:
        self.type = mention.type
        self.mentions: list[Mention] = []
        self.keys: set[tuple[str, ...]] = set()
        self.cores: set[tuple[str, ...]] = set()  # core_key of every key
        self.quoted: set[tuple[str, ...]] = set()  # the «…» key of names like "Структура «X»"
        self.initials: set[str] = set()  # initials of the names of several words
        self.abbreviations: set[str] = set()
        self.heads: set[tuple[str, ...]] = set()  # head_before_complement of every key
        self.longest: tuple[str, ...] = ()
        self.longest_words: frozenset[str] = frozenset()
        self.add(mention, name)

    def add(self, mention: Mention, name: _Name) -> None:
        self.mentions.append(mention)
        if name.key not in self.keys:
            self.keys.add(name.key)
            self.cores.add(name.core)
            if name.head is not None:
                self.heads.add(name.head)
            # The set's own order breaks ties, as `max` over a set built from the mentions did.
            self.longest = max(self.keys, key=len)
            self.longest_words = frozenset(self.longest)
        if name.quoted is not None:
            self.quoted.add(name.quoted)
        if name.initials is not None:
            self.initials.add(name.initials)
        if name.abbreviation:
            self.abbreviations.add(name.normal)

    def longest_key(self) -> tuple[str, ...]:
        return self.longest

    def name(self) -> str:
        counts = Counter(m.normal for m in self.mentions)
        return max(counts, key=lambda n: (len(name_key(n)), counts[n], -len(n)))


def _same_person(group: _Group, key: tuple[str, ...]) -> bool:
    words = set(key)
    return words <= group.longest_words or group.longest_words <= words


def _fits(group: _Group, name: _Name) -> bool:
    if group.type != name.type:
        return False
    if name.type == "PER":
        return _same_person(group, name.key)
    if name.key in group.keys:
        return True
    if name.type == "ORG" and name.core in group.cores:
        return True
    if name.type == "ORG" and (name.key in group.heads or name.head in group.keys):
        return True
    if _quoted_match(group, name):
        return True
    if name.abbreviation:
        return name.normal in group.initials
    if name.initials is not None:
        return name.initials in group.abbreviations
    return False


def _quoted_match(group: _Group, name: _Name) -> bool:
    """«ООН-Женщины», ООН-Женщины and Структура «ООН-Женщины» name one organisation."""
    return name.key in group.quoted or (name.quoted is not None and name.quoted in group.keys)


def _bare_type_word(normal: str) -> bool:
    """True for "Структура «X»" or "«X»": one generic word at most before the quoted name."""
    before = normal.split("«", 1)[0].split()
    return len(before) <= 1


def _candidates(groups: list[_Group], name: _Name) -> list[_Group]:
    fitting = [g for g in groups if _fits(g, name)]
    if name.type == "PER" and len(fitting) > 1:
        # A bare surname shared by two full names is ambiguous: it stays apart from them, all its
        # mentions one entity of their own.
        full = {g.longest_key() for g in fitting}
        if len(full) > 1:
            return [g for g in fitting if g.longest_key() == name.key]
    return fitting


def group_mentions(doc: Document) -> Document:
    """Stage: fill `doc.entities` and set `entity` on every mention."""
    groups: list[_Group] = []
    # Longer names first, so a bare surname finds the full name wherever it appears.
    named = [(mention, _name(mention)) for mention in doc.mentions]
    for mention, name in sorted(named, key=lambda pair: (-len(pair[1].key), pair[0].start)):
        fitting = _candidates(groups, name)
        if fitting:
            fitting[0].add(mention, name)
        else:
            groups.append(_Group(mention, name))
    groups.sort(key=lambda g: min(m.start for m in g.mentions))
    doc.entities = []
    for number, group in enumerate(groups, start=1):
        entity_id = f"e{number}"
        aliases = sorted({m.normal for m in group.mentions}, key=lambda n: (len(n), n))
        doc.entities.append(Entity(entity_id, group.type, group.name(), aliases))
        for mention in group.mentions:
            mention.entity = entity_id
    return doc
