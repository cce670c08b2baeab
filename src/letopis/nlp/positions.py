"""Who holds which post: person – title – organisation, the `positions` stage.

Every title chain (grammars/titles.py) that belongs to a person gives one record per post,
its title in the nominative ("заместителя Премьер-министра" -> "заместитель Премьер-министра",
dependents as written), the first organisation named inside it, and the date the text vouches
for. A role phrase ("глава МИД") counts once coref has resolved it and it says more than the
bare head ("Министр" alone adds nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

from letopis.model import Document, Mention, Position
from letopis.nlp.grammars.titles import (
    ALL_GENDERS,
    Chain,
    Title,
    chain_span,
    head_lemma,
    title_chains,
)
from letopis.nlp.grammars.tokens import Token, is_sentence_start, sentence_index, sentence_spans
from letopis.nlp.models import parses
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
        inflected = parse.inflect(grammemes)
        if inflected is not None:
            return restore_case(word, inflected.word)
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
    out: list[Position] = []
    for chain in chains:
        person, span = _holder(tokens, chain, roles)
        if person is None:
            continue
        for title in chain.titles:
            if chain.person is None and title.last == title.head:
                continue  # a bare "Министр" says nothing new about the person
            record = _position(doc, tokens, title, capitals, person, span)
            if not any(p.person == person and p.title.lower() == record.title.lower() for p in out):
                out.append(record)
    doc.positions = out
    return doc


def _position(
    doc: Document,
    tokens: Sequence[Token],
    title: Title,
    capitals: set[str],
    person: str,
    span: tuple[int, int],
) -> Position:
    """One record: the title's normal form and organisation, the evidence from title to name."""
    title_start, title_end = tokens[title.first].start, tokens[title.last].end
    start, end = min(title_start, span[0]), max(title_end, span[1])
    name = normalize_title(doc.text, tokens, title, capitals)
    return Position(person, name, _organization(doc, title_start, title_end), _as_of(doc, start), start, end)


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
