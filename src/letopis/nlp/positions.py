"""Who holds which post: person – title – organisation, the `positions` stage.

Every title chain (grammars/titles.py) that belongs to a person gives one record per post,
its title in the nominative ("заместителя Премьер-министра" -> "заместитель Премьер-министра",
dependents as written), its organisation and the date the text vouches for. A role phrase
("глава МИД") counts once coref has resolved it and it says more than the bare head ("Министр"
alone adds nothing).

The organisation is the first one named inside the title; failing that, for a head's title, the
one organisation of the document whose name has the key of the office the title names
(grammars/offices.py): "министр культуры и информации РК" heads the "Минкультуры РК" of "Фото:
Минкультуры РК". Two titles of one person heading one office are one post ("глава
внешнеполитического ведомства", "глава МИД"): the record kept is the one naming its organisation
in its own words, else the one linked to it by key, else the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from letopis.model import Document, Entity, Mention, Position
from letopis.nlp.grammars.offices import (
    OfficeKey,
    office_key,
    organization_kinds,
    same_office,
    title_office_key,
)
from letopis.nlp.grammars.titles import (
    ALL_GENDERS,
    Chain,
    Title,
    chain_span,
    head_lemma,
    title_chains,
)
from letopis.nlp.grammars.tokens import Token, is_sentence_start, sentence_index, sentence_spans
from letopis.nlp.models import inflected_word, parses
from letopis.nlp.normal import restore_case

# ---------------------------------------------------------------- normal forms


def normalize_title(text: str, tokens: Sequence[Token], title: Title, capitals: set[str]) -> str:
    """The title in the nominative: head and agreeing adjectives inflected, dependents as written."""
    start, end = tokens[title.first].start, tokens[title.last].end
    pieces = []
    position = start
    for index in range(title.first, title.head + 1):
        token = tokens[index]
        pieces.append(text[position : token.start])
        is_head = index == title.head
        pieces.append(token.text if is_head and title.acting else _nominative(token.text, title, is_head))
        position = token.end
    out = "".join(pieces) + text[position:end]
    first = tokens[title.first]
    if is_sentence_start(text, first.start) and title.lemma not in capitals and not first.text.isupper():
        out = out[:1].lower() + out[1:]
    return out


def _nominative(word: str, title: Title, is_head: bool) -> str:
    """The head, or an adjective agreeing with it, in the nominative singular."""
    for parse in parses(word.lower()):
        tag = parse.tag
        if tag.number != "sing" or tag.case not in title.cases:
            continue
        if is_head and head_lemma(parse) != title.lemma:
            continue
        genders = ALL_GENDERS if title.acting else title.genders
        if not is_head and (tag.POS not in ("ADJF", "PRTF") or tag.gender not in genders):
            continue
        grammemes = {"nomn", "sing"}
        if tag.POS in ("ADJF", "PRTF"):
            grammemes.add(tag.gender or "masc")
        form = inflected_word(parse, frozenset(grammemes))  # cached: the same titles recur in every article
        if form is not None:
            return restore_case(word, form)
    return word


def capitalised_heads(text: str, tokens: Sequence[Token], chains: list[Chain]) -> set[str]:
    """Heads the author writes with a capital letter inside a sentence ("Президент")."""
    out = set()
    for chain in chains:
        for title in chain.titles:
            token = tokens[title.head]
            if token.text[:1].isupper() and not is_sentence_start(text, token.start):
                out.add(title.lemma)
    return out


# ---------------------------------------------------------------- the stage


def find_positions(doc: Document) -> Document:
    """Stage: fill `doc.positions`. Needs mentions and entities; coref for role phrases."""
    tokens, chains = title_chains(doc)
    capitals = capitalised_heads(doc.text, tokens, chains)
    roles = {(m.start, m.end): m for m in doc.mentions if m.type == "PER" and m.entity}
    offices = _organization_keys(doc.entities)
    found: list[_Found] = []
    for chain in chains:
        person, span = _holder(tokens, chain, roles)
        if person is None:
            continue
        for title in chain.titles:
            if chain.person is None and title.last == title.head:
                continue  # a bare "Министр" says nothing new about the person
            _add_post(found, _position(doc, tokens, title, capitals, person, span, offices))
    doc.positions = [record.position for record in found]
    return doc


# How a record's organisation was found: the more, the more its title says.
NO_ORGANIZATION, BY_OFFICE_KEY, NAMED_INSIDE = 0, 1, 2


@dataclass(frozen=True)
class _Found:
    """A record, how its organisation was found and the key of the office its title heads."""

    position: Position
    linked: int
    office: OfficeKey | None


def _add_post(found: list[_Found], record: _Found) -> None:
    """Add a record unless its person holds that post already; of one post keep the more specific."""
    for index, kept in enumerate(found):
        if kept.position.person != record.position.person:
            continue
        if kept.position.title.lower() == record.position.title.lower():
            return
        if kept.office and record.office and same_office(kept.office, record.office):
            if record.linked > kept.linked:
                found[index] = record
            return
    found.append(record)


def _position(
    doc: Document,
    tokens: Sequence[Token],
    title: Title,
    capitals: set[str],
    person: str,
    span: tuple[int, int],
    offices: dict[str, list[OfficeKey]],
) -> _Found:
    """One record: the title's normal form and organisation, the evidence from title to name."""
    title_start, title_end = tokens[title.first].start, tokens[title.last].end
    start, end = min(title_start, span[0]), max(title_end, span[1])
    name = normalize_title(doc.text, tokens, title, capitals)
    office = title_office_key(name)
    organization, linked = _organization(doc, title_start, title_end), NAMED_INSIDE
    if organization is None:
        organization = _office_organization(office, offices)
        linked = BY_OFFICE_KEY if organization else NO_ORGANIZATION
    position = Position(person, name, organization, _as_of(doc, start), start, end)
    return _Found(position, linked, office)


def _holder(
    tokens: Sequence[Token], chain: Chain, roles: dict[tuple[int, int], Mention]
) -> tuple[str | None, tuple[int, int]]:
    """The entity a chain belongs to and the span of its name (or of the role phrase)."""
    if chain.person is not None:
        return chain.person.entity, (chain.person.start, chain.person.end)
    span = chain_span(tokens, chain)
    role = roles.get(span)
    return (role.entity if role else None), span


def _organization(doc: Document, start: int, end: int) -> str | None:
    """The entity of the outermost, first organisation named inside the title."""
    inside = [m for m in doc.mentions if m.type == "ORG" and m.entity and start <= m.start and m.end <= end]
    if not inside:
        return None
    return min(inside, key=lambda m: (m.start, -m.end)).entity


def _organization_keys(entities: Sequence[Entity]) -> dict[str, list[OfficeKey]]:
    """The office keys of the names of each organisation, but for names another of its names only
    adds to: the "МИД" inside "МИД Казахстана" says no country, yet the organisation has one."""
    out = {}
    for entity in entities:
        if entity.type != "ORG":
            continue
        keys = {key for key in map(office_key, {entity.name, *entity.aliases}) if key is not None}
        out[entity.id] = [key for key in keys if not any(_adds_to(other, key) for other in keys)]
    return out


def _adds_to(longer: OfficeKey, shorter: OfficeKey) -> bool:
    size = len(shorter.words)
    return len(longer.words) > size and longer.words[:size] == shorter.words


def _office_organization(office: OfficeKey | None, offices: dict[str, list[OfficeKey]]) -> str | None:
    """The one organisation named as the office a head's title names, if it names a kind of body
    (ministry, government, akimat): "министр культуры и информации РК" -> "Минкультуры РК"."""
    if office is None or office.kind not in organization_kinds():
        return None
    found = [entity for entity, keys in offices.items() if any(same_office(office, k) for k in keys)]
    return found[0] if len(found) == 1 else None  # two candidates: either could be wrong


def _as_of(doc: Document, offset: int) -> str | None:
    """The publication date, or a past date given in the same sentence as the evidence."""
    sentences = sentence_spans(doc.text)
    sentence = sentences[sentence_index(sentences, offset)] if sentences else (0, len(doc.text))
    dated = [
        d.from_
        for d in doc.dates
        if d.from_
        and sentence[0] <= d.start < sentence[1]
        and (doc.published is None or d.from_ <= doc.published)
    ]
    return dated[0] if len(dated) == 1 else doc.published
