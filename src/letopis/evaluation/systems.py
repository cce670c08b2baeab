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


def locate_words(text: str, words: str, start: int, end: int) -> Extent | None:
    """Where `words` sit in `text[start:end]`, each word matched by its stem; None when they don't.

    The words may be in the nominative ("заместитель министра") while the text has
    "заместителем министра", so each word is matched by its stem (the word less its last two
    letters, at least three), case-insensitively, with any non-word characters between them.
    """
    found = WORD.findall(words)
    if not found:
        return None
    stems = [re.escape(w[: max(3, len(w) - 2)]) + r"\w*" for w in found]
    match = re.compile(r"\W+".join(stems), re.IGNORECASE).search(text, start, end)
    return (match.start(), match.end()) if match else None


def locate_title(text: str, position: Position) -> Extent:
    """Where a position's title sits inside its evidence span (`locate_words`), else the whole span."""
    found = locate_words(text, position.title, position.start, position.end)
    return found or (position.start, position.end)


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


def event_date_facts(doc: Document) -> list[Fact]:
    """Each event dated from its own text as `point_in_time` (where the event is named, its date).

    An event records its date's value but not which date span it came from, so the pair is
    rebuilt from the output:
    - date: the spans in `doc.dates` inside the event's evidence span (its sentence) with the
      event's from/to/partial, i.e. the date `find_events` took (should two spans of the
      sentence have that value, either counts). An event dated otherwise (`date_basis`
      "published" or "kb", or none) has no date span and gives no fact.
    - event: where the event's name sits in its sentence (`locate_words`: "всеобщие выборы"
      finds "всеобщих выборах"), else the whole sentence. A meeting's name is composed
      ("встреча Аиды Балаевой и …"), so a meeting is usually the whole sentence.

    Scored like every fact (`scores.fact_matches`: each gold argument overlaps ours), against
    NEREL's EVENT, often one trigger word ("заседание", "поженились"), and DATE spans. Where the
    event is the whole sentence the match is looser: "the gold event is in our sentence and the
    dates overlap", so it also counts a gold event other than ours in that sentence with the
    same date, and one such prediction can find two gold events of one sentence with one date.
    """
    facts = []
    for event in doc.events:
        if event.date_basis != "text":
            continue
        value = (event.from_, event.to, event.partial)
        dates = tuple(
            (d.start, d.end)
            for d in doc.dates
            if event.start <= d.start and d.end <= event.end and (d.from_, d.to, d.partial) == value
        )
        if dates:
            named = locate_words(doc.text, event.name, event.start, event.end)
            facts.append(Fact("point_in_time", ((named or (event.start, event.end),), dates)))
    return facts


def predict_letopis(gold: GoldDoc) -> Prediction:
    """The full letopis pipeline: its PER/ORG/LOC mentions, positions, meetings and dated events."""
    doc = extract(Document(gold.id, "evaluation", gold.text), default_stages())
    # Names only: pronouns and role phrases resolved by coreference are not named entities.
    spans = [Span(m.start, m.end, m.type) for m in doc.mentions if m.type in TYPES and m.kind == "name"]
    return Prediction(spans, position_facts(doc) + meeting_facts(doc) + event_date_facts(doc))


def predict_natasha(gold: GoldDoc) -> Prediction:
    """Plain natasha: `NewsNERTagger(NewsEmbedding())(text).spans`, nothing repaired, no facts."""
    # models.ner_tagger() is exactly that tagger, loaded once for letopis and the baseline alike.
    markup = ner_tagger()(gold.text)
    return Prediction([Span(s.start, s.stop, s.type) for s in markup.spans if s.type in TYPES])


SYSTEMS: dict[str, System] = {"letopis": predict_letopis, "natasha": predict_natasha}
