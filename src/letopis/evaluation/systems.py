"""The systems compared: letopis (the whole pipeline) and plain natasha (the baseline)."""

from __future__ import annotations

import re
from collections.abc import Callable

from letopis.evaluation.records import TYPES, Extent, Fact, GoldDoc, Prediction, Span
from letopis.model import Document, Position
from letopis.nlp.models import ner_tagger
from letopis.nlp.pipeline import default_stages, extract

System = Callable[[GoldDoc], Prediction]
WORD = re.compile(r"\w+")


def mention_extents(doc: Document, entity: str | None) -> tuple[Extent, ...]:
    """Where an entity is named in the text: the extents of all its mentions."""
    if entity is None:
        return ()
    return tuple((m.start, m.end) for m in doc.mentions if m.entity == entity)


def locate_title(text: str, position: Position) -> Extent:
    """Where a position's title sits inside its evidence span.

    The title may be in the nominative ("заместитель министра") while the text has
    "заместителем министра", so each word is matched by its stem (the word less its last two
    letters, at least three), case-insensitively. Falls back to the whole evidence span.
    """
    words = WORD.findall(position.title)
    if not words:
        return position.start, position.end
    stems = [re.escape(w[: max(3, len(w) - 2)]) + r"\w*" for w in words]
    pattern = re.compile(r"\W+".join(stems), re.IGNORECASE)
    match = pattern.search(text, position.start, position.end)
    if match is None:
        return position.start, position.end
    return match.start(), match.end()


def position_facts(doc: Document) -> list[Fact]:
    """Each position as `works_as` (person, title), and `workplace` (person, organisation) if it has one."""
    facts = []
    for position in doc.positions:
        person = mention_extents(doc, position.person)
        facts.append(Fact("works_as", (person, (locate_title(doc.text, position),))))
        organisation = mention_extents(doc, position.organization)
        if organisation:
            facts.append(Fact("workplace", (person, organisation)))
    return facts


def meeting_facts(doc: Document) -> list[Fact]:
    """Each meeting event as a `meeting` fact whose participants are its people and organisations."""
    facts = []
    for event in doc.events:
        if event.type == "meeting":
            members = [mention_extents(doc, e) for e in event.participants + event.organizations]
            facts.append(Fact("meeting", tuple(m for m in members if m)))
    return facts


def predict_letopis(gold: GoldDoc) -> Prediction:
    """The full letopis pipeline: its PER/ORG/LOC mentions, positions and meetings."""
    doc = extract(Document(gold.id, "evaluation", gold.text), default_stages())
    # Names only: pronouns and role phrases resolved by coreference are not named entities.
    spans = [Span(m.start, m.end, m.type) for m in doc.mentions if m.type in TYPES and m.kind == "name"]
    return Prediction(spans, position_facts(doc) + meeting_facts(doc))


def predict_natasha(gold: GoldDoc) -> Prediction:
    """Plain natasha: `NewsNERTagger(NewsEmbedding())(text).spans`, nothing repaired, no facts."""
    # models.ner_tagger() is exactly that tagger, loaded once for letopis and the baseline alike.
    markup = ner_tagger()(gold.text)
    return Prediction([Span(s.start, s.stop, s.type) for s in markup.spans if s.type in TYPES])


SYSTEMS: dict[str, System] = {"letopis": predict_letopis, "natasha": predict_natasha}
