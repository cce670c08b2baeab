"""Cross-document entity resolution: link each entity of a new document to a stored entity.

Incremental: a document's entities are compared with the keys of stored entities (table
`entity_keys`, kb.names), never with other documents again. Explainable: every link carries the
rule that made it and its evidence (`doc_entities.rule`/`.evidence`, the `entity_links` view).

Organisations, places and other names, strongest rule first: `same_name`, `same_lemmas`,
`quoted_name` (Структура «ООН-Женщины» = ООН-Женщины), `parenthetical_name`, `known_abbreviation`
(abbreviations.tsv: МИД РК = Министерство иностранных дел Республики Казахстан), `country_name`
(Республика Казахстан = Казахстан, also inside names: МИД Казахстана = МИД РК), `initials`
(ООН = Организация Объединённых Наций); and within one document `parenthetical_alias`
(kb.parentheses): "ООН-Женщины (UN Women)" makes UN Women a name of ООН-Женщины.

A generic name (kb/generic_names.txt: Конгресс, МВД, Вооружённые силы) is every country's: it links
only to an entity of the same country, the country its names give ("МВД России") or else the one its
document names most (kb.countries: a capital counts for its country) — for a stored entity, its
first document; a country or «ООН» right after it in the text, which the tagger often leaves out
(«Конгрессом» США), is read as part of its name. `country_context` links a generic name to the same
name with the document's country ("МВД" in a document about Россия = "МВД России") and back. A
short abbreviation of several names ("ВС": Вооружённые силы, Верховный суд) does not join two
entities spelled out otherwise. Candidates refused so are named in the evidence of the new entity.

People: `same_name` (a name of two words or more), `person_full_name` (same surname and first
name), `person_name_subset`, `person_initials` (А. Балаева = Аида Балаева), then, for a bare
surname or a tie, `person_same_post` (the same title or organisation in a position) and
`person_unique_surname` (exactly one known person has the surname); a surname alone that reads as
a pronoun, preposition or conjunction («Оно», «По») links to nobody. Anything ambiguous stays a
new entity of its own, with the candidates named in its evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from letopis.kb.connection import Connection
from letopis.kb.countries import (
    country_key,
    country_lookup_keys,
    document_countries,
    entity_countries,
    generic_keys,
    generic_name,
    qualified_names,
)
from letopis.kb.entities import add_names, create_entity, prefer_name
from letopis.kb.memo import Lookup, Memo, document_names
from letopis.kb.names import (
    PersonName,
    abbreviation_letters,
    distinctive_names,
    entity_key,
    function_part,
    is_abbreviation,
    known_abbreviations,
    name_keys,
    parse_person,
    words,
)
from letopis.kb.parentheses import parenthetical_names
from letopis.kb.titles import title_key
from letopis.model import Document, Entity

NAME_RULES = {  # strength of a rule: the larger, the surer
    "same_name": 6,
    "same_lemmas": 5,
    "quoted_name": 4,
    "parenthetical_name": 4,
    "known_abbreviation": 3,
    "country_name": 3,
    "country_context": 3,
    "initials": 2,
}
MIN_SURNAME = 3  # "По" alone is more often a preposition the tagger took for a name than Эдгар По
# An abbreviation this short and not in abbreviations.tsv stands for several names: "ВС".
AMBIGUOUS_LETTERS = 3
PERSON_RULES = {"person_full_name": 3, "person_name_subset": 2, "person_initials": 1}
OTHER_SPACE = {"name": "name", "initials": "abbreviation", "abbreviation": "initials"}


@dataclass(frozen=True)
class Link:
    """A document entity linked to a store entity, and why."""

    entity_id: int
    rule: str
    evidence: str


@dataclass(frozen=True)
class _Match:
    entity_id: int | None  # None: a new entity, whose evidence names the candidates refused
    rule: str
    evidence: str


@dataclass(frozen=True)
class DocumentContext:
    """What resolving a document reads from the document alone: the countries it names most
    (kb.countries.document_countries) and its generic names qualified in the text (`qualified_names`).
    A bulk load computes it once per document, for `prefetch` and `link_document` both, or has it
    from the batch worker that extracted the document (letopis.batch)."""

    countries: list[str]
    qualified: dict[str, tuple[str, str]]


def document_context(doc: Document) -> DocumentContext:
    return DocumentContext(document_countries(doc), qualified_names(doc))


def link_document(
    connection: Connection, doc: Document, memo: Memo, context: DocumentContext | None = None
) -> dict[str, Link]:
    """Link every entity of `doc` to a store entity (found or created); return them by local id.
    The look-ups go through `memo` (kb.memo), which may remember them across documents; `context`
    is `document_context(doc)` when computed before."""
    links: dict[str, Link] = {}
    translations = parenthetical_names(doc)
    posts = _document_posts(doc)
    context = context or document_context(doc)
    countries, qualified = context.countries, context.qualified
    created: list[int] = []
    for entity in _resolution_order(doc.entities, translations):
        in_text = qualified.get(entity.id)
        names = _names_of(entity, in_text)
        primary, evidence = translations.get(entity.id, (None, ""))
        if primary in links:
            link = Link(links[primary].entity_id, "parenthetical_alias", evidence)
        else:
            keyed = distinctive_names(entity.type, names)
            resolved = _resolved_posts(posts.get(entity.id, []), links)
            match = find_match(memo, entity, keyed, resolved, countries)
            if match is None or match.entity_id is None:
                entity_id = create_entity(connection, entity.type, entity.name, memo)
                created.append(entity_id)
                link = Link(entity_id, "new", match.evidence if match else _new_evidence(entity))
            else:
                link = Link(match.entity_id, match.rule, match.evidence)
            if in_text and f"«{in_text[0]}»" in link.evidence:
                followed = f" («{entity.name}» followed by «{in_text[1]}» in the text)"
                link = Link(link.entity_id, link.rule, link.evidence + followed)
        add_names(connection, link.entity_id, entity.type, names, memo)
        prefer_name(connection, link.entity_id, names, memo)
        links[entity.id] = link
    # For the documents after this one (this one's rows are not written yet, as `Store.add` has them):
    # the names of places and organisations its mentions rows hold (kb.countries.entity_countries).
    if created:
        names = document_names(doc.mentions)
        for entity_id in created:
            memo.first_document(entity_id, names)
    return links


def prefetch(memo: Memo, docs: Iterable[tuple[Document, DocumentContext]]) -> None:
    """Read at once what linking `docs` (each with its `document_context`) may look up (kb.memo),
    rather than name by name."""
    lookups: set[Lookup] = set()
    names: set[tuple[str, str]] = set()
    for doc, context in docs:
        for entity in doc.entities:
            aliases = _names_of(entity, context.qualified.get(entity.id))
            lookups.update(_lookups(entity.type, aliases))
            if entity.type != "PER":
                keys = country_lookup_keys(aliases, context.countries)
                lookups.update((entity.type, "name", key) for key in keys)
            names.update((entity.type, entity_key(alias)) for alias in aliases)
    memo.prefetch(lookups, names)


def _names_of(entity: Entity, in_text: tuple[str, str] | None) -> list[str]:
    """The entity's names, and the one its qualifier in the text makes (`qualified_names`)."""
    return list(dict.fromkeys([entity.name, *entity.aliases, *([in_text[0]] if in_text else [])]))


def _lookups(type: str, names: list[str]) -> Iterator[Lookup]:
    """The entity keys `find_match` may ask the memo for, about an entity of `type` with these names."""
    if type != "PER":
        for alias in names:
            for key in name_keys(alias):
                yield (type, OTHER_SPACE[key.space], key.key)
        return
    for alias in names:
        if len(words(alias)) >= 2:
            yield ("PER", "person_name", entity_key(alias))
        parsed = parse_person(alias)
        if parsed is not None:
            yield ("PER", "person", parsed.surname)


def find_match(
    memo: Memo,
    entity: Entity,
    names: list[str],
    posts: list[tuple[str | None, int | None]],
    countries: list[str],
) -> _Match | None:
    """The stored entity this document entity is, by the rules of its type; None (or a match without
    an entity, saying which candidates it refused) for a new one. `countries`: the document's."""
    if "\n" in entity.name:  # a span run over a line break is two names glued: link it to nothing
        return None
    if entity.type == "PER":
        return _match_person(memo, names, posts)
    all_names = list(dict.fromkeys([entity.name, *entity.aliases]))
    return _match_name(memo, entity.type, names, all_names, countries)


def _resolution_order(entities: list[Entity], translations: dict[str, tuple[str, str]]) -> list[Entity]:
    """Organisations and places first (people's posts point at them), full names before bare surnames."""

    def order(entity: Entity) -> tuple[int, int, int]:
        if entity.type != "PER":
            return (0, int(entity.id in translations), 0)
        parsed = [p for p in (parse_person(n) for n in [entity.name, *entity.aliases]) if p]
        fullness = max((int(p.first is not None) + int(not p.bare) for p in parsed), default=0)
        return (1, 0, -fullness)

    return sorted(entities, key=order)


# --- organisations, places, everything but people -------------------------------------------------


def _match_name(
    memo: Memo, type: str, names: list[str], all_names: list[str], countries: list[str]
) -> _Match | None:
    """`names`: the distinctive ones (kb.names.distinctive_names), which are looked up."""
    found, refused = _name_candidates(memo, type, names, all_names)
    generic = generic_keys(names)
    if generic is not None:
        keys, named = generic
        if named:  # "МВД России": the country is in the name
            found.update(_generic_of_country(memo, type, names[0], keys, named, found))
        else:  # "МВД": the country is the document's
            found, other_countries = _in_country(memo, found, countries)
            refused.update(other_countries)
            found.update(_qualified_in_country(memo, type, names[0], keys, countries, found))
    if not found:
        return _refusal(names, generic, countries, refused) if refused else None
    best = max(strength for strength, _, _ in found.values())
    top = sorted(entity_id for entity_id, (strength, _, _) in found.items() if strength == best)
    chosen = _most_mentioned(memo, top)
    _, rule, evidence = found[chosen]
    if len(top) > 1:
        evidence += f"; chosen as the most mentioned of {len(top)} entities that match so"
    return _Match(chosen, rule, evidence)


Found = dict[int, tuple[int, str, str]]  # entity id -> (strength, rule, evidence) of its best match


def _name_candidates(
    memo: Memo, type: str, names: list[str], all_names: list[str]
) -> tuple[Found, dict[int, str]]:
    """The stored entities sharing a key with `names`, and those refused with why (a short
    abbreviation of several names, "ВС", where both entities are spelled out otherwise)."""
    found: Found = {}
    refused: dict[int, str] = {}
    for alias in names:
        ambiguous = _is_ambiguous_abbreviation(alias)
        for key in name_keys(alias):
            for entity_id, other, derivation in memo.keyed(type, OTHER_SPACE[key.space], key.key):
                if ambiguous and _spelled_out_otherwise(memo, entity_id, all_names):
                    why = f"also «{alias}» but spelled out otherwise"
                    refused[entity_id] = f"{_entity_label(memo, entity_id)}, {why}"
                    continue
                rule = _name_rule(key.space, key.derivation, derivation, alias, other)
                evidence = _name_evidence(rule, alias, other, key.key)
                strength = NAME_RULES[rule]
                if strength > found.get(entity_id, (0, "", ""))[0]:
                    found[entity_id] = (strength, rule, evidence)
    return found, {entity_id: why for entity_id, why in refused.items() if entity_id not in found}


def _is_ambiguous_abbreviation(alias: str) -> bool:
    if not is_abbreviation(alias) or entity_key(alias) in known_abbreviations():
        return False
    return len(abbreviation_letters(alias)) <= AMBIGUOUS_LETTERS


def _spelled_out_otherwise(memo: Memo, entity_id: int, names: list[str]) -> bool:
    """Whether both the document and the stored entity spell their names out, and none of those of
    one shares a key with or runs inside one of the other's: "Верховный суд России" is not "Вооружённые
    силы РФ", whatever «ВС» says; "Федеральная налоговая служба РФ" is "Федеральная налоговая служба"."""
    mine = _spelled_out_keys(names)
    theirs = _spelled_out_keys(memo.aliases(entity_id))
    if not mine or not theirs:
        return False
    return not any(a in b or b in a for a in mine for b in theirs)


def _spelled_out_keys(names: Iterable[str]) -> set[str]:
    """The name keys of the names that are no abbreviations, padded with spaces to find whole words."""
    return {f" {k.key} " for n in names if not is_abbreviation(n) for k in name_keys(n) if k.space == "name"}


def _name_rule(space: str, mine: str, theirs: str, alias: str, other: str) -> str:
    if space != "name":
        return "initials"
    if entity_key(alias) == entity_key(other):
        return "same_name"
    derivations = {mine, theirs}
    if "expanded" in derivations:
        return "known_abbreviation"
    if "country_name" in derivations:
        return "country_name"
    if "parenthetical" in derivations:
        return "parenthetical_name"
    if "quoted" in derivations:
        return "quoted_name"
    return "same_lemmas"


def _name_evidence(rule: str, alias: str, other: str, key: str) -> str:
    if rule == "same_name":
        return f"«{alias}» is a name of it"
    if rule == "initials":
        short, long = (alias, other) if is_abbreviation(alias) else (other, alias)
        return f"«{short}» is the initials of «{long}»"
    return f"«{alias}» and «{other}» both read «{key}»"


def _entity_label(memo: Memo, entity_id: int) -> str:
    return f"not entity {entity_id} «{memo.entity(entity_id)[1]}»"


def _refusal(
    names: list[str], generic: tuple[set[str], set[str]] | None, countries: list[str], refused: dict[int, str]
) -> _Match:
    where = ""
    if generic is not None and not generic[1]:
        where = f" in {_document_about(countries)}"
    reasons = "; ".join(refused[entity_id] for entity_id in sorted(refused))
    return _Match(None, "new", f"no stored entity matches «{names[0]}»{where}; {reasons}")


def _most_mentioned(memo: Memo, entity_ids: list[int]) -> int:
    """The most mentioned of `entity_ids` (stored entities), the lowest id of those equally mentioned."""
    if len(entity_ids) == 1:
        return entity_ids[0]
    counts = memo.mention_counts(entity_ids)
    return min(counts, key=lambda entity_id: (-counts[entity_id], entity_id))


# --- generic names: each country has its own (kb.countries) --------------------------------------


def _in_country(memo: Memo, found: Found, countries: list[str]) -> tuple[Found, dict[int, str]]:
    """`found` split: the entities of the document's country, their evidence saying so, and those of
    other countries, with why."""
    kept: Found = {}
    refused: dict[int, str] = {}
    for entity_id, (strength, rule, evidence) in found.items():
        theirs, named_in = entity_countries(memo, entity_id)
        if set(theirs) & set(countries) or not (theirs or countries):
            like = f"«{named_in}»" if named_in else "its first"
            kept[entity_id] = (strength, rule, f"{evidence}, in {_document_about(countries)} like {like}")
        else:
            refused[entity_id] = f"{_entity_label(memo, entity_id)}, of {', '.join(theirs) or 'no country'}"
    return kept, refused


def _qualified_in_country(
    memo: Memo, type: str, alias: str, keys: set[str], countries: list[str], found: Found
) -> Found:
    """Entities named with a generic name and the document's country: "МВД" -> "МВД России"."""
    more: Found = {}
    for key in sorted(keys):
        for country in countries:
            for entity_id, other, _ in memo.keyed(type, "name", f"{key} {country_key(country)}"):
                if entity_id not in found and entity_id not in more:
                    evidence = f"«{alias}» in a document about {country} is «{other}»"
                    more[entity_id] = (NAME_RULES["country_context"], "country_context", evidence)
    return more


def _generic_of_country(
    memo: Memo, type: str, alias: str, keys: set[str], named: set[str], found: Found
) -> Found:
    """Entities with a generic name of the country named: "МВД России" -> "МВД" of a document about Россия."""
    more: Found = {}
    for key in sorted(keys):
        for entity_id, other, _ in memo.keyed(type, "name", key):
            if entity_id in found or entity_id in more:
                continue
            theirs, named_in = entity_countries(memo, entity_id)
            common = sorted(set(theirs) & named)
            if common and generic_name(other) == (key, None):
                where = f"also «{named_in}»" if named_in else f"of a document about {', '.join(common)}"
                evidence = f"«{alias}» is «{other}» {where}"
                more[entity_id] = (NAME_RULES["country_context"], "country_context", evidence)
    return more


def _document_about(countries: list[str]) -> str:
    return f"a document about {', '.join(countries)}" if countries else "a document that names no country"


# --- people --------------------------------------------------------------------------------------


@dataclass
class _Person:
    """A stored person: its id, its names parsed, the (title key, organisation id) of its posts."""

    entity_id: int
    name: str
    names: list[tuple[str, PersonName]]
    posts: list[tuple[str | None, int | None]]

    @property
    def bare(self) -> bool:
        return all(parsed.bare for _, parsed in self.names)


def _match_person(memo: Memo, names: list[str], posts: list[tuple[str | None, int | None]]) -> _Match | None:
    exact = _exact_person(memo, names)
    if exact is not None:
        return exact
    parsed = [(alias, p) for alias in names if (p := parse_person(alias)) is not None]
    if not parsed:
        return None
    full = [(alias, p) for alias, p in parsed if not p.bare]
    if full:
        return _match_full_name(full, _people_with_surname(memo, {p.surname for _, p in full}), posts)
    # A surname alone is looked up as the document names it: «Суркова» is not «Сурков».
    alias, name = parsed[0]
    return _match_bare_surname(alias, _people_with_surname(memo, {name.surname}), posts)


def _exact_person(memo: Memo, names: list[str]) -> _Match | None:
    """A name of two words or more that a stored person already has (a bare surname proves nothing)."""
    for alias in names:
        if len(words(alias)) < 2:
            continue
        ids = list(dict.fromkeys(row[0] for row in memo.keyed("PER", "person_name", entity_key(alias))))
        if ids:
            return _Match(_most_mentioned(memo, ids), "same_name", f"«{alias}» is a name of it")
    return None


def _people_with_surname(memo: Memo, surnames: set[str]) -> list[_Person]:
    ids = sorted({row[0] for surname in surnames for row in memo.keyed("PER", "person", surname)})
    people = []
    for entity_id in ids:
        aliases = sorted(memo.aliases(entity_id))
        names = [(alias, p) for alias in aliases if (p := parse_person(alias)) is not None]
        people.append(_Person(entity_id, memo.entity(entity_id)[1], names, memo.posts(entity_id)))
    return people


def _match_full_name(
    full: list[tuple[str, PersonName]], people: list[_Person], posts: list[tuple[str | None, int | None]]
) -> _Match | None:
    scored: dict[int, tuple[int, str, str]] = {}
    for person in people:
        if any(mine.contradicts(theirs) for _, mine in full for _, theirs in person.names):
            continue  # "Джордж Уокер Буш" is not who is "Джордж Герберт Уокер Буш", also «Джордж Буш»
        for alias, mine in full:
            for other, theirs in person.names:
                rule = mine.compatible(theirs)
                if rule and PERSON_RULES[rule] > scored.get(person.entity_id, (0, "", ""))[0]:
                    scored[person.entity_id] = (PERSON_RULES[rule], rule, f"«{alias}» fits «{other}»")
    if scored:
        best = max(strength for strength, _, _ in scored.values())
        top = [p for p in people if scored.get(p.entity_id, (0,))[0] == best]
        if len(top) == 1:
            _, rule, evidence = scored[top[0].entity_id]
            return _Match(top[0].entity_id, rule, evidence)
        return _by_post(top, posts, f"«{full[0][0]}» fits {len(top)} people")
    bare = [p for p in people if p.bare]
    if len(people) == 1 and bare and function_part(bare[0].names[0][0]) is None:  # not «Оно»
        return _Match(
            bare[0].entity_id,
            "person_unique_surname",
            f"«{full[0][0]}»: the only person called «{bare[0].names[0][0]}»",
        )
    return None


def _match_bare_surname(
    alias: str, people: list[_Person], posts: list[tuple[str | None, int | None]]
) -> _Match | None:
    if not people:
        return None
    part = function_part(alias)
    if part is not None:  # «Оно»: the tagger took the pronoun for Йоко Оно
        others = ", ".join(f"entity {p.entity_id} «{p.name}»" for p in people)
        why = f"no stored entity matches «{alias}»; not {others}: «{alias}» alone reads as {part}"
        return _Match(None, "new", why)
    by_post = _by_post(people, posts, "")
    if by_post is not None:
        return by_post
    bare = [p for p in people if p.bare]
    if bare:
        return _Match(bare[0].entity_id, "same_name", f"«{alias}» is a name of it (a surname alone)")
    if len(people) == 1 and len(alias) >= MIN_SURNAME:
        return _Match(
            people[0].entity_id, "person_unique_surname", f"«{alias}»: the only known person of that surname"
        )
    return None


def _by_post(people: list[_Person], posts: list[tuple[str | None, int | None]], why: str) -> _Match | None:
    """The one person among `people` holding one of `posts` (same title, or same organisation)."""
    holding = []
    for person in people:
        shared = [
            (title, org)
            for title, org in posts
            for their_title, their_org in person.posts
            if (title and title == their_title) or (org is not None and org == their_org)
        ]
        if shared:
            holding.append((person, shared[0]))
    if len(holding) != 1:
        return None
    person, (title, _) = holding[0]
    evidence = f"{why + '; ' if why else ''}the same post: «{title}»"
    return _Match(person.entity_id, "person_same_post", evidence)


def _document_posts(doc: Document) -> dict[str, list[tuple[str | None, str | None]]]:
    posts: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
    for position in doc.positions:
        posts[position.person].append((title_key(position.title), position.organization))
    return posts


def _resolved_posts(
    posts: list[tuple[str | None, str | None]], links: dict[str, Link]
) -> list[tuple[str | None, int | None]]:
    return [(title, links[org].entity_id if org in links else None) for title, org in posts]


def _new_evidence(entity: Entity) -> str:
    return f"no stored entity matches «{entity.name}»"
