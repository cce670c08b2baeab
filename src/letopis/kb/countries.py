"""The country context of generic names: which country a name, a document or a stored entity is of.

A generic name (generic_names.txt: «Конгресс», «МВД», «Вооружённые силы») is every country's, so it
links across documents only within one country: "МВД" in a document about Россия is not "МВД" in one
about Киргизия. This module decides that country: the one named with the name ("МВД России",
`generic_name`), else the one its document names most (`document_countries`, countries.tsv, a capital
counting for its country) — for a stored entity, its first document's (`entity_countries`). A country
or «ООН» right after a generic name in the text, which the tagger often leaves out («Конгрессом» США),
is read as part of its name (`qualified_names`). kb.resolution applies it (rule `country_context`);
kb.names keeps the table's other use, every country called by its short name in name keys.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from letopis.kb.memo import Memo
from letopis.kb.names import (
    NAMES_REMEMBERED,
    QUOTED,
    UN,
    countries,
    expand_abbreviations,
    lemma_key,
    words,
)
from letopis.model import Document
from letopis.nlp.lemmas import lemma
from letopis.nlp.models import parses

# Up to three capitalised words right after a name: its qualifier, when they name a country or the UN.
FOLLOWING = re.compile(r"[ \u00a0]+([А-ЯЁA-Z][\w-]*(?:[ \u00a0]+[А-ЯЁA-Z][\w-]*){0,2})")


# --- countries named -----------------------------------------------------------------------------


def country_named(name: str) -> str | None:
    """The country that the whole name is, by its short name: "Российской Федерации" -> "Россия"."""
    return countries().names.get(lemma_key(name))


@lru_cache(maxsize=NAMES_REMEMBERED)
def countries_in(name: str) -> list[str]:
    """The countries a name names, by a name of theirs or their capital, as short names, in order:
    "МВД Киргизии" -> ["Киргизия"], "Эхо Москвы" -> ["Россия"]."""
    table = countries()
    found = table.pattern.findall(lemma_key(name))
    return [table.names.get(key) or table.capitals[key] for key in found]


def country_key(country: str) -> str:
    """The lemma key of a country's short name ("США" -> "сша"), as `short_country_names` writes it."""
    return countries().short_keys[country]


# --- generic names -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def generic_heads() -> tuple[frozenset[str], frozenset[str]]:
    """generic_names.txt as lemma keys: the heads a name starts with, and those after adjectives
    (lines "… партия")."""
    text = resources.files(__package__).joinpath("generic_names.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    starting = frozenset(lemma_key(line) for line in lines if not line.startswith("…"))
    after_adjectives = frozenset(lemma_key(line.lstrip("… ")) for line in lines if line.startswith("…"))
    return starting, after_adjectives


def _generic_head(parts: list[str]) -> int:
    """How many first words of a name make a generic head ("Верховный суд", "Демократическая
    прогрессивная партия"), 0 for none."""
    starting, after_adjectives = generic_heads()
    for n in range(min(len(parts), 3), 0, -1):
        if lemma_key(" ".join(parts[:n])) in starting:
            return n
    for n, word in enumerate(parts):
        if lemma(word) in after_adjectives:
            return n + 1 if all(_is_adjective(w) for w in parts[:n]) else 0
    return 0


def _is_adjective(word: str) -> bool:
    found = parses(word.lower())
    return bool(found) and found[0].tag.POS in ("ADJF", "PRTF")


@lru_cache(maxsize=NAMES_REMEMBERED)
def generic_name(alias: str) -> tuple[str, str | None] | None:
    """(the lemma key of a generic name, the country named after it or None) when the alias is one
    (generic_names.txt), else None: "МВД" -> ("министерство внутренний дело", None), "МВД РФ" ->
    ("министерство внутренний дело", "Россия"); "Правительство Москвы", "Европейский парламент": None."""
    if QUOTED.search(alias):
        return None
    parts = words(expand_abbreviations(alias) or alias)
    head = _generic_head(parts)
    if not head:
        return None
    for end in range(head, len(parts) + 1):  # lower-case words, then nothing or a country
        country = country_named(" ".join(parts[end:])) if end < len(parts) else None
        if end == len(parts) or country:
            return lemma_key(" ".join(parts[:end])), country
        if not parts[end].islower():
            return None
    return None


# --- the country of a document, of a generic entity ----------------------------------------------


def document_countries(doc: Document) -> list[str]:
    """The countries the document names most (by a name, inside a name, or by the capital), as short
    names: the country of its generic names. Empty when it names none."""
    counts = Counter(
        country for m in doc.mentions if m.type != "PER" for country in countries_in(m.normal or m.text)
    )
    return _most_named(counts)


def qualified_names(doc: Document) -> dict[str, tuple[str, str]]:
    """{local id: (its generic name with the qualifier that follows it in the text, the qualifier)}:
    the tagger often leaves the country or the UN out of a name ("Конгрессом США" -> «Конгресс»), so
    "Конгресс США" is a name of it too. Only when every qualifier after its mentions is the same."""
    after: dict[str, set[str]] = defaultdict(set)
    for mention in doc.mentions:
        following = FOLLOWING.match(doc.text, mention.end)
        qualifier = _qualifier(following.group(1).split()) if following else None
        if qualifier and mention.entity:
            after[mention.entity].add(qualifier)
    qualified = {}
    for entity in doc.entities:
        generic = generic_keys([entity.name, *entity.aliases])
        if len(after.get(entity.id, ())) == 1 and generic is not None and not generic[1]:
            qualifier = next(iter(after[entity.id]))
            qualified[entity.id] = (f"{entity.name} {qualifier}", qualifier)
    return qualified


def _qualifier(words: list[str]) -> str | None:
    """The first of `words` that name a country or the UN ("США", "Российской Федерации", "ООН")."""
    for n in range(len(words), 0, -1):
        phrase = " ".join(words[:n])
        if phrase == UN or country_named(phrase):
            return phrase
    return None


def _most_named(counts: Counter[str]) -> list[str]:
    most = max(counts.values(), default=0)
    return sorted(country for country, count in counts.items() if count == most and most)


def generic_keys(names: list[str]) -> tuple[set[str], set[str]] | None:
    """(generic keys, countries named with them) when every name is generic (kb.names.generic_name),
    else None: one name of its own ("Капитолий") is enough to tell the entity apart."""
    parts = [generic_name(name) for name in names]
    if not parts or None in parts:
        return None
    return {key for key, _ in parts}, {country for _, country in parts if country}


def country_lookup_keys(names: list[str], countries: list[str]) -> Iterator[str]:
    """The keys `_match_name` looks a generic entity up by, besides its names' own (for prefetch)."""
    generic = generic_keys(names)
    if generic is None:
        return
    keys, named = generic
    if named:
        yield from keys
    else:
        yield from (f"{key} {country_key(country)}" for key in keys for country in countries)


def entity_countries(memo: Memo, entity_id: int) -> tuple[list[str], str | None]:
    """The countries of a stored entity, and its name that says so: the country named with one of its
    generic names ("Конгресс США"), else (with None) those its first document names most."""
    for alias in sorted(memo.aliases(entity_id)):
        generic = generic_name(alias)
        if generic is not None and generic[1]:
            return [generic[1]], alias
    names = memo.first_document_names(entity_id)
    return _most_named(Counter(country for name in names for country in countries_in(name))), None
