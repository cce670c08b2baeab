"""Who said what: the `quotes` stage.

Direct speech is text in quotation marks («…», nested «» included; "…", “…”, „…“) or a
dialogue line opening with a dash ("– Реформа носит …, – отметил Ермек Кошербаев."),
attributed by a verb of speech (grammars/speech_verbs.txt) next to it. Quoted text of four
words or more that reads like a sentence counts without a verb (its speaker may stay unknown);
a short «…» is a name («ООН-Женщины»). Indirect speech is "X отметил, что …", "По ее словам, …",
"Как отметил X, …" (also mid-sentence: "По итогам встречи, как отмечается в сообщении МИД, …")
and "…, заявил X.". The speaker is the person mention (names, and pronouns or role phrases
that coref resolved) in the attribution, nearest the verb; else an organisation speaking through
its channel ("говорится в сообщении МВД", "сообщает пресс-служба МИД"; speaker_text as written,
with no entity when the press service's owner is no name: "пресс-служба президента России"). A
media outlet credited after a report ("…, сообщает Kazpravda.kz") is no speaker, and nor is one
quoting someone ("…», – цитирует Фастовского «Советский спорт»": Фастовский speaks;
grammars/quoting_verbs.txt).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import attrgetter

from letopis.model import Document, Mention, Quote
from letopis.nlp.grammars import word_list
from letopis.nlp.grammars.titles import chain_span, names_a_post, title_chains
from letopis.nlp.grammars.tokens import DASHES, Token, sentence_spans, tokenize, tokens_within
from letopis.nlp.lemmas import lemma
from letopis.nlp.models import parses

QUOTE_MARK = re.compile('[«»"“”„]')
CLOSING_MARK = {"«": "»", '"': '"', "“": "”"}
OPENERS_BEFORE = set(" \t\n\u00a0([{«„:/") | DASHES
DASH_LINE = re.compile(r"^[ \t\u00a0]*(?:-[ \t\u00a0]+|[–—][ \t\u00a0]*)(?=\w)", re.M)
# Punctuation closing a quote, then a dash and the attribution: "…, – отметил X." or "…», – сказал".
ATTRIBUTION_DASH = re.compile(r"([,!?…]|\.\.\.)?[ \t\u00a0]*[-–—][ \t\u00a0]*(?=\w)")
AFTER_QUOTE = re.compile(r"[ \t\u00a0]*(?:[,!?…]|\.\.\.)?[ \t\u00a0]*(?:[-–—][ \t\u00a0]+)?")
PO_SLOVAM = re.compile(r"\b[Пп]о\s+(?:(?P<pronoun>его|ее|её|их)\s+)?(?P<noun>[а-яё]+)\b")
# "заявил, что", "заявил в Цюрихе в понедельник 9 мая, что", "сообщил о том, что".
SAID_THAT = re.compile(r"(?:\s+[\w-]+){0,6}?(?P<that>\s*,\s*что|\s+о\s+том\s*,\s*что)\s+")
SET_OFF = re.compile(r"[,!?…]\s*[-–—]")
CLAUSE_END = re.compile(r"[.!?…\n]|,[ \t\u00a0]*[-–—]\s|[«\"“]")
# What introduces a quotation after its attribution: "заявил: «", "заявил, что «".
INTRODUCED = re.compile(r"(?::|,\s*что)\s*$")
INTRODUCED_BY_COLON = re.compile(r':\s*[«"“„]?$')
INTRODUCTION_REACH = 20
MIN_WORDS = 4
DOCUMENT_TITLE_STARTS = frozenset({"о", "об", "обо"})
AS_REGARDS = re.compile(r"касается\b", re.I)
SAID_COLON = re.compile(r"(?P<that>\s*:)\s*(?=[А-ЯЁA-Z0-9а-яё])")
MAX_TRAILING_ATTRIBUTION = 8  # words in "…, заявил министр иностранных дел России Сергей Лавров."
WORDS_BEFORE_VERB = 3  # in an attribution after a quotation: "», – Сергей Лавров сказал"
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
# Verbs of reports that no person makes: "говорится в сообщении", "отмечается на сайте".
IMPERSONAL_SPEECH = frozenset({"говориться", "отмечаться", "подчеркиваться", "сообщаться", "указываться"})
CLAUSE_JOINS = re.compile(r"(?:,\s*(?:но|а|однако)|;)\s", re.I)
AS_SAID = re.compile(r"(?:^|(?<=,)\s*|(?<=[-–—])\s*)[Кк]ак\s+")
AS_WORD = re.compile(r"[Кк]ак\s")  # in every match of AS_SAID
PREPOSITIONS_BEFORE_NAME = frozenset({"с", "со", "к", "о", "об", "у", "для", "от", "по", "при", "на", "в"})


# ---------------------------------------------------------------- words


@lru_cache(maxsize=50_000)
def is_speech_verb(word: str) -> bool:
    """A personal form or gerund of a verb of speech ("отметила", "подчеркнув") or quoting ("цитирует")."""
    verbs = _speaking_verbs()
    return any(
        p.normal_form.replace("ё", "е") in verbs and p.tag.POS in ("VERB", "GRND")
        for p in parses(word.lower())
    )


@lru_cache(maxsize=1)
def _speaking_verbs() -> frozenset[str]:
    """Verbs of speech and of quoting, joined once: `is_speech_verb` asks for every new word."""
    return word_list("speech_verbs") | word_list("quoting_verbs")


@lru_cache(maxsize=50_000)
def is_quoting_verb(word: str) -> bool:
    """ "цитирует": its subject passes on someone else's words (grammars/quoting_verbs.txt)."""
    verbs = word_list("quoting_verbs")
    return any(p.normal_form.replace("ё", "е") in verbs and p.tag.POS == "VERB" for p in parses(word.lower()))


@lru_cache(maxsize=50_000)
def is_participle(word: str) -> bool:
    """ "размещенном", "опубликованном": a full participle."""
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS == "PRTF"


@lru_cache(maxsize=50_000)
def _may_be_genitive(word: str) -> bool:
    return any(p.tag.case == "gent" for p in parses(word.lower()))


def is_impersonal_speech(word: str) -> bool:
    """ "говорится", "отмечается": a document speaks, not a person."""
    return lemma(word) in IMPERSONAL_SPEECH


@lru_cache(maxsize=50_000)
def is_finite_verb(word: str) -> bool:
    """True when the word's likeliest reading is a personal verb form or a short participle."""
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS in ("VERB", "PRTS")


@lru_cache(maxsize=50_000)
def is_gerund(word: str) -> bool:
    """ "отметив", "подчеркнув": the attribution belongs to the clause's subject."""
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS == "GRND"


def is_speech_noun(word: str) -> bool:
    """ "словам", "мнению": the nouns of "По словам X, …"."""
    nouns = word_list("speech_nouns")
    return any(p.tag.POS == "NOUN" and p.normal_form in nouns for p in parses(word.lower()))


# ---------------------------------------------------------------- direct speech spans


def quote_pairs(text: str) -> list[tuple[int, int]]:
    """Offsets of the outermost quotation marks (opening, closing) on each line."""
    pairs: list[tuple[int, int]] = []
    stacks: dict[str, list[int]] = {"«": [], '"': [], "“": []}
    for match in QUOTE_MARK.finditer(text):
        at, mark = match.start(), match.group()
        family, opening = _mark_role(text, at, mark)
        stack = stacks[family]
        if opening:
            stack.append(at)
        elif stack and "\n" not in text[stack[-1] : at]:
            pairs.append((stack.pop(), at))
        else:
            stack.clear()
    pairs.sort()
    return [p for p in pairs if not any(o < p[0] and p[1] < c for o, c in pairs)]


def _mark_role(text: str, at: int, mark: str) -> tuple[str, bool]:
    """The family of a quotation mark and whether it opens here, judged by its neighbours."""
    if mark == "«":
        return "«", True
    if mark == "»":
        return "«", False
    if mark == "„":
        return "“", True
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    opening = before in OPENERS_BEFORE and not after.isspace()
    return ('"' if mark == '"' else "“"), opening and mark != "”"


@dataclass(frozen=True)
class Direct:
    """A piece of direct speech: the quote text span and where its attribution lies."""

    start: int
    end: int
    attribution: tuple[int, int] | None


# The direct speech of the last few texts: coreference and the quotes stage both read a document's.
SPEECH_CACHE = 16


@lru_cache(maxsize=SPEECH_CACHE)
def quoted_speech(text: str) -> tuple[Direct, ...]:
    """Quoted spans with the clause after them ("», - подчеркнула Аида Балаева.") or before them
    ("Лавров заявил: «…»", "Лавров заявил, что «…»")."""
    out = []
    for opening, closing in quote_pairs(text):
        # «По сути, команда стала сборной, - сказал он, - и это важно»: the attribution is inside.
        inside = _dialogue_line(text, opening + 1, closing)
        out.extend(inside or [Direct(opening + 1, closing, _attribution(text, opening, closing))])
    return tuple(out)


def _attribution(text: str, opening: int, closing: int) -> tuple[int, int] | None:
    """The clause after a quotation ("», – сказал он"), or the one introducing it ("заявил: «")."""
    after = AFTER_QUOTE.match(text, closing + 1)
    marks = after.group() if after else ""
    # "газопровода «Южный поток», сообщил Миллер", "«Южный поток» — компании …": a short quotation
    # is a name unless punctuation and a dash set the attribution off ("«Нет», – сказал он").
    quoted = text[opening + 1 : closing]
    set_off = bool(SET_OFF.search(marks))
    if marks.strip() and (_word_count(quoted) >= MIN_WORDS or set_off or quoted.rstrip()[-1:] in ".!?…"):
        return after.end(), _clause_end(text, after.end())
    if INTRODUCED.search(text, max(0, opening - INTRODUCTION_REACH), opening):
        return _clause_start(text, opening), opening
    return None


def _word_count(text: str) -> int:
    return sum(1 for t in tokenize(text) if t.text[0].isalnum())


@lru_cache(maxsize=SPEECH_CACHE)
def dialogue_speech(text: str) -> tuple[Direct, ...]:
    """Dialogue lines: "– Реформа носит …, – отметил Ермек Кошербаев." and what follows the attribution."""
    out = []
    for match in DASH_LINE.finditer(text):
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end == -1 else line_end
        out.extend(_dialogue_line(text, match.end(), line_end))
    return tuple(out)


def _dialogue_line(text: str, start: int, end: int) -> list[Direct]:
    for dash in ATTRIBUTION_DASH.finditer(text, start, end):
        if dash.start() == start or not dash.group(1) and text[dash.start() - 1] not in " \t":
            continue
        clause_end = _clause_end(text, dash.end(), end)
        if not any(is_speech_verb(t.text) for t in tokenize(text[dash.end() : clause_end])):
            continue
        quote_end = dash.start() + (0 if dash.group(1) in (None, ",") else len(dash.group(1)))
        pieces = [Direct(start, _rstrip(text, start, quote_end), (dash.end(), clause_end))]
        more = re.match(r"[.,]?[ \t\u00a0]*[-–—][ \t\u00a0]+", text[clause_end:end])
        if more:
            rest = clause_end + more.end()
            pieces.append(Direct(rest, _rstrip(text, rest, end, "."), (dash.end(), clause_end)))
        return pieces
    return []


def _rstrip(text: str, start: int, end: int, marks: str = "") -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks or text[end - 1] == ","):
        end -= 1
    return end


def _clause_end(text: str, start: int, limit: int | None = None) -> int:
    """Where an attribution clause ends: the sentence end, a line break, the next dash or the next
    quotation; a short name in quotation marks runs on ("сказал в интервью каналу «Вести» Сергей …")."""
    limit = limit or len(text)
    match = CLAUSE_END.search(text, start, limit)
    while match and match.group() in '«"“':
        closing = text.find(CLOSING_MARK[match.group()], match.end(), limit)
        if closing == -1 or not _is_short_name(text[match.end() : closing]):
            break
        match = CLAUSE_END.search(text, closing + 1, limit)
    return match.start() if match else limit


def _is_short_name(quoted: str) -> bool:
    """«Вести», «Свободной прессе»; not «Слава Украине!» or a quotation of four words or more."""
    return "\n" not in quoted and _word_count(quoted) < MIN_WORDS and quoted.rstrip()[-1:] not in ".!?…"


def _clause_start(text: str, end: int) -> int:
    """Where the clause before a quote starts: after the last sentence end, line break or quotation;
    a short name in quotation marks runs on ("Гейдар Джемаль в интервью «Свободной прессе» говорит")."""
    while True:
        boundary = max(text.rfind(mark, 0, end) for mark in ".!?…\n»")
        opening = text.rfind("«", 0, boundary) if boundary != -1 and text[boundary] == "»" else -1
        if opening == -1 or not _is_short_name(text[opening + 1 : boundary]):
            return boundary + 1
        end = opening


def direct_speech_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of every piece of direct speech, attributed or not: pronouns there are not resolved."""
    return sorted({(d.start, d.end) for d in quoted_speech(text) + dialogue_speech(text)})


# ---------------------------------------------------------------- speakers


class _Speakers:
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


# ---------------------------------------------------------------- the stage


def find_quotes(doc: Document) -> Document:
    """Stage: fill `doc.quotes`. Needs mentions and entities; coref for pronoun and role speakers."""
    speakers = _Speakers(doc)
    direct = _direct_quotes(doc, speakers)
    indirect = _indirect_quotes(doc, speakers)
    for quote in direct:
        if quote.speaker_text is None:  # "По словам Лаврова, «…»": the frame names the speaker
            frame = next((q for q in indirect if _overlaps(q, quote)), None)
            if frame is not None:
                quote.speaker, quote.speaker_text = frame.speaker, frame.speaker_text
    indirect = [_before_colon(doc.text, q, direct) for q in indirect]
    indirect = [q for q in indirect if q is not None and not any(_overlaps(q, d) for d in direct)]
    doc.quotes = sorted(direct + indirect, key=lambda q: q.start)
    return doc


def _before_colon(text: str, quote: Quote, direct: list[Quote]) -> Quote | None:
    """The indirect part before a quotation its colon introduces: "заявил, что находится в
    отчаянии: «Он был …»" says "находится в отчаянии"; `quote` itself when no quotation follows."""
    inside = [d for d in direct if quote.start < d.start < quote.end]
    if not inside:
        return quote
    cut = INTRODUCED_BY_COLON.search(text, quote.start, inside[0].start)
    if cut is None:
        return quote
    end = _rstrip(text, quote.start, cut.start())
    if len(tokenize(text[quote.start : end])) < 2:
        return quote
    return Quote(quote.speaker, quote.speaker_text, text[quote.start : end], quote.kind, quote.start, end)


def _overlaps(left: Quote, right: Quote) -> bool:
    return left.start < right.end and right.start < left.end


def _direct_quotes(doc: Document, speakers: _Speakers) -> list[Quote]:
    text = doc.text
    out = []
    for piece in dialogue_speech(text) + quoted_speech(text):
        if any(q.start <= piece.start and piece.end <= q.end for q in out):
            continue
        speaker = _attributed(text, piece, speakers)
        if speaker is None:
            if not _reads_like_speech(text[piece.start : piece.end]):
                continue
            speaker = (None, None)
        out.append(
            Quote(speaker[0], speaker[1], text[piece.start : piece.end], "direct", piece.start, piece.end)
        )
    return out


def _attributed(text: str, piece: Direct, speakers: _Speakers) -> tuple[str | None, str | None] | None:
    """The speaker named in the attribution, or None when it has no verb of speech."""
    if piece.attribution is None:
        return None
    start, end = piece.attribution
    tokens = tokenize(text[start:end])
    verbs = [t for t in tokens if is_speech_verb(t.text)]
    if not verbs:
        return None
    if (
        start >= piece.end
        and sum(t.end <= verbs[0].start and t.text[0].isalpha() for t in tokens) > WORDS_BEFORE_VERB
    ):
        return None  # "«…», которые будут способны …, он призвал": a clause of its own, no attribution
    if end <= piece.start:  # "Сергей Лавров заявил: «…»": the subject before the verb nearest the quote
        last = Token(start + verbs[-1].start, start + verbs[-1].end, verbs[-1].text)
        speaker = speakers.subject_before(start, last)
        if speaker[1] is not None:
            return speaker
    verb = Token(start + verbs[0].start, start + verbs[0].end, verbs[0].text)
    return speakers.in_span(start, end, verb)


def _reads_like_speech(quoted: str) -> bool:
    """Four words or more, with a verb or a sentence's final mark: not a name or a title."""
    words = [t.text for t in tokenize(quoted) if t.text[0].isalpha()]
    if _word_count(quoted) < MIN_WORDS or words[0].lower() in DOCUMENT_TITLE_STARTS:
        return False  # a name, or the title of a law: «О государственном регулировании …»
    return quoted.rstrip()[-1:] in ".!?…" or any(is_finite_verb(w) for w in words)


class _Cues:
    """Where a document's verbs of speech and its "как" stand, found once for the whole text: the
    indirect quotes look for them in every sentence, and most sentences have neither."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.starts = list(map(attrgetter("start"), self.tokens))
        # The verbs picked by `compress`, without a Python step per word: every word is read so.
        self.verbs = list(compress(self.tokens, map(is_speech_verb, map(attrgetter("text"), self.tokens))))
        self.verb_starts = list(map(attrgetter("start"), self.verbs))
        self.as_words = [match.start() for match in AS_WORD.finditer(text)]

    def within(self, start: int, end: int) -> Sequence[Token]:
        """`tokens_within(text, start, end)`, found without a Python call per step of the search."""
        found = self._indices(start, end)
        return self.tokens[found[0] : found[1]] if found is not None else tokens_within(self.text, start, end)

    def speech_verbs(self, start: int, end: int) -> Sequence[Token]:
        """The verbs of speech among `tokens_within(text, start, end)`, in order."""
        if self._indices(start, end) is None:
            tokens = tokens_within(self.text, start, end)
            return list(compress(tokens, map(is_speech_verb, map(attrgetter("text"), tokens))))
        return self.verbs[bisect_left(self.verb_starts, start) : bisect_left(self.verb_starts, end)]

    def _indices(self, start: int, end: int) -> tuple[int, int] | None:
        """The range of the text's tokens in [start, end); None when one crosses an end (then the
        span's own tokens differ from the text's)."""
        first, last = bisect_left(self.starts, start), bisect_left(self.starts, end)
        if (first and self.tokens[first - 1].end > start) or (last and self.tokens[last - 1].end > end):
            return None
        return first, last

    def may_say_as(self, start: int, end: int) -> bool:
        """Whether text[start:end] has the "как " that `AS_SAID` needs."""
        at = bisect_left(self.as_words, start)
        return at < len(self.as_words) and self.as_words[at] + len("как ") <= end


def _indirect_quotes(doc: Document, speakers: _Speakers) -> list[Quote]:
    out = []
    cues = _Cues(doc.text)
    for start, end in sentence_spans(doc.text):
        found = (
            _according_to(doc, speakers, start, end)
            or (cues.may_say_as(start, end) and _as_said(doc, speakers, start, end))
            or _said_that(doc, speakers, start, end, cues.speech_verbs(start, end))
            or _said_after(doc, speakers, start, end, cues)
        )
        if found is not None:
            out.append(found)
    return out


def _indirect(doc: Document, speaker: tuple[str | None, str | None], start: int, end: int) -> Quote | None:
    """An indirect quote of text[start:end] without the sentence's final mark, if it names a speaker."""
    text = doc.text
    while start < end and text[start] in " ,\t":
        start += 1
    end = _rstrip(text, start, end, ".;:")
    if speaker[1] is None or len(tokenize(text[start:end])) < 2:
        return None
    return Quote(speaker[0], speaker[1], text[start:end], "indirect", start, end)


def _according_to(doc: Document, speakers: _Speakers, start: int, end: int) -> Quote | None:
    """ "По ее словам, …", "По словам министра Сергея Лаврова, …", "…, по его мнению." """
    text = doc.text
    match = PO_SLOVAM.search(text, start, end)
    if match is None or not is_speech_noun(match.group("noun")):
        return None
    comma = text.find(",", match.end(), end)
    phrase_end = comma if comma != -1 else end
    if any(is_finite_verb(t.text) for t in tokenize(text[match.end() : phrase_end])):
        return None  # "По оценке аналитиков заявление не приведет к …": no frame set off by a comma
    if match.group("pronoun"):
        pronoun = match.start("pronoun"), match.end("pronoun")
        speaker = speakers.exact(*pronoun) or (None, match.group("pronoun"))
    else:
        speaker = speakers.in_span(match.end(), phrase_end, None)
    if text[start : match.start()].strip() == "" and comma != -1:
        return _indirect(doc, speaker, comma + 1, end)
    if phrase_end == end or text[phrase_end:end].strip() in ".!?":
        return _indirect(doc, speaker, start, match.start())
    return None


def _as_said(doc: Document, speakers: _Speakers, start: int, end: int) -> Quote | None:
    """ "Как отметил глава МИД, …": the rest of the sentence after the comma; mid-sentence ("По
    итогам встречи, как отмечается в сообщении МИД, подтверждена …") the part after the
    attribution, or the part before it when it closes the sentence ("…, как сообщил Лавров.")."""
    text = doc.text
    for lead in AS_SAID.finditer(text, start, end):
        words = tokenize(text[lead.end() : end])
        if not words or not is_speech_verb(words[0].text) or not is_finite_verb(words[0].text):
            continue
        verb = Token(lead.end() + words[0].start, lead.end() + words[0].end, words[0].text)
        comma = _attribution_comma(text, verb.end, end)
        attribution_end = comma if comma != -1 else end
        speaker = speakers.in_span(verb.end, attribution_end, verb)
        if lead.start() == start:
            return _indirect(doc, speaker, comma + 1, end) if comma != -1 else None
        opening = text.rfind(",", start, lead.end())
        if not _speaks(speakers, speaker, text[verb.start : attribution_end], verb):
            continue  # "а Обама, как сообщает Associated Press, …": a news source credited
        if comma == -1:
            return _indirect(doc, speaker, start, opening)
        if not any(start <= m.start < opening for m in doc.mentions):
            # Only after a frame naming no one: in "а Обама, как сообщает …, хочет" the subject is before.
            return _indirect(doc, speaker, comma + 1, end)
    return None


def _attribution_comma(text: str, start: int, end: int) -> int:
    """The comma closing "как говорится в пресс-релизе, размещенном на сайте ЕСПЧ,": past a
    participial phrase that belongs to the attribution."""
    comma = text.find(",", start, end)
    while comma != -1:
        following = tokenize(text[comma + 1 : end])
        if not following or not is_participle(following[0].text):
            return comma
        comma = text.find(",", comma + 1, end)
    return comma


def _said_that(
    doc: Document, speakers: _Speakers, start: int, end: int, verbs: Sequence[Token]
) -> Quote | None:
    """ "Аида Балаева отметила, что …", "он подчеркнул, что …", "Кошербаев отметил: реформа …";
    `verbs`: the verbs of speech in text[start:end]."""
    text = doc.text
    for verb in verbs:
        that = SAID_THAT.match(text, verb.end, end) or SAID_COLON.match(text, verb.end, end)
        if that is None or AS_REGARDS.match(text, that.end(), end):
            continue  # "говорит о том, что касается покушения": what it is about, not what was said
        # The speaker is in the verb's own clause: not "- добавил Килпатрик, но неосведомленность …
        # говорит о том, что".
        joins = list(CLAUSE_JOINS.finditer(text, start, verb.start))
        clause = joins[-1].end() if joins and text[joins[-1].end() : verb.start].strip() else start
        speaker = speakers.subject_before(clause, verb)
        if speaker[1] is None:
            speaker = speakers.in_span(verb.end, that.start("that"), verb)
        clause_end = end
        if is_gerund(verb.text):
            # "Кошербаев, отметив, что реформа продолжится, поблагодарил …": the clause ends at its comma.
            comma = text.find(",", that.end(), end)
            clause_end = comma if comma != -1 else end
        return _indirect(doc, speaker, that.end(), clause_end)
    return None


def _said_after(doc: Document, speakers: _Speakers, start: int, end: int, cues: _Cues) -> Quote | None:
    """ "Переговоры прошли успешно, заявил Сергей Лавров.": the sentence before the attribution."""
    text = doc.text
    comma = text.rfind(",", start, end)
    if comma == -1:
        return None
    words = cues.within(comma + 1, end)
    if not words or len(words) > MAX_TRAILING_ATTRIBUTION or not is_speech_verb(words[0].text):
        return None
    if is_gerund(words[0].text) or any(w.text in ("что", ":") for w in words):
        return None
    verb = words[0]
    speaker = speakers.in_span(verb.end, end, verb)
    if not _speaks(speakers, speaker, text[comma + 1 : end], verb):
        return None  # "…, сообщает Kazpravda.kz": a news source credited, not speech reported
    return _indirect(doc, speaker, start, comma)


def _speaks(
    speakers: _Speakers, speaker: tuple[str | None, str | None], attribution: str, verb: Token
) -> bool:
    """A person, or an organisation speaking through its own channel."""
    return speaker[0] in speakers.persons or (speakers.is_voice(speaker) and _official(attribution, verb))


def _official(attribution: str, verb: Token) -> bool:
    """An organisation's own channel ("сообщает пресс-служба МИД", "говорится в сообщении
    Роскомнадзора"), not a news outlet credited ("сообщает Kazpravda.kz")."""
    return is_impersonal_speech(verb.text) or any(lemma(t.text) in CHANNELS for t in tokenize(attribution))
