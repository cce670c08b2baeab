"""Who speaks in an attribution clause: the person mention (names, and pronouns or role phrases
that coref resolved) nearest the verb of speech; else an organisation speaking through its channel
("говорится в сообщении МВД", "сообщает пресс-служба МИД"; speaker_text as written, with no entity
when the press service's owner is no name: "пресс-служба президента России"). A media outlet quoting
someone is no speaker ("…», – цитирует Фастовского «Советский спорт»": Фастовский speaks;
grammars/quoting_verbs.txt). Apart from the `quotes` stage: it reads mentions, titles and
organisations, not where speech stands, and the stage asks it of direct and indirect speech alike.
"""

from __future__ import annotations

import re
from functools import lru_cache

from letopis.model import Document, Mention
from letopis.nlp.grammars.titles import chain_span, names_a_post, title_chains
from letopis.nlp.grammars.tokens import Token, tokenize
from letopis.nlp.lemmas import lemma
from letopis.nlp.models import parses
from letopis.nlp.speech import is_finite_verb, is_gerund, is_participle, is_quoting_verb

NOMINATIVE_PRONOUNS = frozenset({"он", "она"})
PRONOUNS = frozenset({"он", "она", "его", "ее", "её", "ему", "ей", "него", "нее", "неё", "ней"})
# Channels an organisation speaks through, as lemmas: "говорится в сообщении МВД", "на сайте Кремля".
CHANNELS = frozenset(
    {"сообщение", "заявление", "пресс-релиз", "релиз", "документ", "письмо", "ответ", "комментарий",
     "публикация", "материал", "сайт", "телеграмма", "коммюнике", "пресс-служба", "пресс-центр"}
)  # fmt: skip
# Lemmas that may stand between a verb and the organisation speaking: "говорится в сообщении МВД".
ORGANISATION_LEADS = CHANNELS | {"в", "во", "на", "официальный"}
# A press service speaks even when its owner is no name: "сообщает пресс-служба оборонного ведомства".
PRESS_SERVICES = frozenset({"пресс-служба", "пресс-центр"})
PRESS_SERVICE_PREPOSITIONS = frozenset({"по", "при"})  # "пресс-служба управления по делам …"
PREPOSITIONS_BEFORE_NAME = frozenset({"с", "со", "к", "о", "об", "у", "для", "от", "по", "при", "на", "в"})


@lru_cache(maxsize=50_000)
def _may_be_genitive(word: str) -> bool:
    return any(p.tag.case == "gent" for p in parses(word.lower()))


class Speakers:
    """Finds who speaks in an attribution clause: person mentions, else role phrases or pronouns."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        posts = {e.id for e in doc.entities if e.type == "PER" and names_a_post(e.name)}
        self.persons = {e.id for e in doc.entities if e.type == "PER"} - posts
        self.people = sorted(
            (m for m in doc.mentions if m.type == "PER" and m.entity not in posts),
            key=lambda m: (m.start, -m.end),
        )
        # Organisations, and the countries coref found as sides of talks ("казахстанская сторона").
        self.organisations = [
            m
            for m in doc.mentions
            if m.entity and (m.type == "ORG" or (m.kind == "role" and m.type != "PER"))
        ]
        # Bodies no name gives, as `in_span` found them speaking: "пресс-служба оборонного ведомства".
        self.unnamed_voices: set[str] = set()
        tokens, chains = title_chains(doc)
        self.roles = [chain_span(tokens, c) for c in chains if c.person is None]
        # Names given an oblique post: "встретился с министром Сергеем Лавровым" is not who speaks.
        self.oblique = {
            c.person.start
            for c in chains
            if c.person is not None and not c.after_name and not any("nomn" in t.cases for t in c.titles)
        }

    def in_span(
        self, start: int, end: int, verb: Token | None, subjects: bool = False
    ) -> tuple[str | None, str | None]:
        """(entity, words naming the speaker) for the clause [start, end): a person (named as a subject
        when `subjects`), else a role phrase or a pronoun, else an organisation speaking there (unless
        the verb is one of quoting)."""
        quoting = verb is not None and is_quoting_verb(verb.text)
        voices = [] if verb is None or quoting else self._voices(start, end, verb)
        # A person inside a speaking organisation's name is its owner: "пресс-служба президента России".
        spoken_for = [(s, e) for s, e, _ in voices]
        inside = [
            m
            for m in self.people
            if start <= m.start
            and m.end <= end
            and not _within(m, spoken_for)
            and not self._oblique(m, verb)
            and not (subjects and m.kind == "name" and not self.is_subject(m))
        ]
        inside = [
            m for m in inside if not any(o is not m and o.start <= m.start and m.end <= o.end for o in inside)
        ]
        if inside:
            best = min(inside, key=lambda m: _distance(m, verb))
            return best.entity, best.text
        for role_start, role_end in self.roles:
            if (
                start <= role_start
                and role_end <= end
                and not _within(Token(role_start, role_end, ""), spoken_for)
            ):
                return None, self.doc.text[role_start:role_end]
        # Beside a verb only "он"/"она" speak: "на его сайте" is not who speaks.
        pronouns = PRONOUNS if verb is None else NOMINATIVE_PRONOUNS
        for token in tokenize(self.doc.text[start:end]):
            if token.text.lower() in pronouns:
                return None, token.text
        if voices:
            return min(voices, key=lambda v: _distance(Token(v[0], v[1], ""), verb))[2]
        return None, None

    def _oblique(self, mention: Mention, verb: Token | None) -> bool:
        """Named as someone spoken with, not as the one speaking: after a preposition or an oblique
        post. Only beside a verb: "По словам министра Сергея Лаврова" names the speaker so."""
        if verb is None:
            return False
        before = re.search(r"([А-Яа-яЁё]+)\s*$", self.doc.text[max(0, mention.start - 20) : mention.start])
        return mention.start in self.oblique or bool(
            before and before.group(1).lower() in PREPOSITIONS_BEFORE_NAME
        )

    def is_voice(self, speaker: tuple[str | None, str | None]) -> bool:
        """True for an organisation's voice (from `in_span`): "МИД", "пресс-служба оборонного ведомства"."""
        entity, words = speaker
        if entity is not None:
            return any(m.entity == entity for m in self.organisations)
        return words in self.unnamed_voices

    def _voices(self, start: int, end: int, verb: Token) -> list[tuple[int, int, tuple[str | None, str]]]:
        """(start, end, speaker) of each organisation speaking in [start, end): a named one ("МИД",
        "пресс-служба Кремля"), else a press service whose owner is no name."""
        named = [
            (m.start, m.end, (m.entity, m.text))
            for m in self.organisations
            if start <= m.start and m.end <= end and self._speaks_for(m.start, m.end, verb)
        ]
        if named:  # the whole name: "МИД России", not the "МИД" inside it
            return [v for v in named if not any(o is not v and o[0] <= v[0] and v[1] <= o[1] for o in named)]
        unnamed = self._unnamed_voice(start, end)
        if unnamed is not None and self._speaks_for(*unnamed, verb):
            words = self.doc.text[unnamed[0] : unnamed[1]]
            self.unnamed_voices.add(words)
            return [(*unnamed, (None, words))]
        return []

    def _unnamed_voice(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of a body no name gives: a press service and its owner ("пресс-служба
        оборонного ведомства"), or the owner of a channel ("в заявлении полиции": "полиции"); up to
        a mark, a verb or a preposition ("пресс-служба … в понедельник")."""
        tokens = tokenize(self.doc.text[start:end])
        lemmas = [lemma(t.text) for t in tokens]
        first = next((i for i, word in enumerate(lemmas) if word in PRESS_SERVICES), None)
        if first is None:
            channel = next((i for i, word in enumerate(lemmas) if word in CHANNELS), None)
            if (
                channel is None
                or channel + 1 == len(tokens)
                or not _may_be_genitive(tokens[channel + 1].text)
            ):
                return None  # "говорится в сообщении", "в письме губернатору"
            first = channel + 1
        last = first
        for token in tokens[first + 1 :]:
            word = token.text.lower()
            if not token.text[0].isalnum() or is_finite_verb(word) or is_gerund(word):
                break
            if word in PREPOSITIONS_BEFORE_NAME and word not in PRESS_SERVICE_PREPOSITIONS:
                break
            last += 1
        if lemmas[first] in PRESS_SERVICES and last == first:
            return None  # a bare "пресс-служба" names nobody
        return start + tokens[first].start, start + tokens[last].end

    def _speaks_for(self, org_start: int, org_end: int, verb: Token) -> bool:
        """ "МИД заявил", "сообщает РИА Новости", "говорится в сообщении МВД", "в пресс-релизе,
        размещенном на сайте ЕСПЧ"; not "собеседник «Ъ»"."""
        if org_end <= verb.start:
            return not self.doc.text[org_end : verb.start].strip()
        tokens = tokenize(self.doc.text[verb.end : org_start])
        words = [t for t in tokens if t.text not in ',«"“„']
        if tokens and not words:
            return False  # "подтвердил «Ъ»": told the newspaper
        return all(lemma(t.text) in ORGANISATION_LEADS or is_participle(t.text) for t in words)

    def exact(self, start: int, end: int) -> tuple[str | None, str | None] | None:
        """The mention covering exactly [start, end), e.g. a pronoun coref resolved."""
        for mention in self.people:
            if mention.start == start and mention.end == end:
                return mention.entity, mention.text
        return None

    def subject_before(self, start: int, verb: Token) -> tuple[str | None, str | None]:
        """The nearest subject-like person mention before the verb, within [start, verb); one before
        an earlier "…, что" first ("Буфье напомнил, что Шефер …, и добавил, что «…»": Буфье)."""
        that = re.search(r",\s*что\b", self.doc.text[start : verb.start])
        main = start + that.start() if that else verb.start
        subjects = [m for m in self.people if m.start >= start and m.end <= verb.start and self.is_subject(m)]
        for mention in reversed([m for m in subjects if m.end <= main] or subjects):
            return mention.entity, mention.text
        return self.in_span(start, verb.start, verb, subjects=True) if start < verb.start else (None, None)

    def is_subject(self, mention: Mention) -> bool:
        """Nominative-looking: a name in its normal form not after a preposition, "он", a role phrase."""
        word = mention.text.lower()
        if word in PRONOUNS:
            return word in NOMINATIVE_PRONOUNS
        if _fold(mention.text) != _fold(mention.normal) and not self._is_role(mention):
            return False
        before = re.search(r"([А-Яа-яЁё]+)\s*$", self.doc.text[max(0, mention.start - 20) : mention.start])
        return not (before and before.group(1).lower() in PREPOSITIONS_BEFORE_NAME)

    def _is_role(self, mention: Mention) -> bool:
        return any(s == mention.start and e == mention.end for s, e in self.roles)


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def _within(span: Mention | Token, spans: list[tuple[int, int]]) -> bool:
    return any(start <= span.start and span.end <= end for start, end in spans)


def _distance(mention: Mention | Token, verb: Token | None) -> int:
    if verb is None:
        return mention.start
    return mention.start - verb.end if mention.start >= verb.end else verb.start - mention.end
