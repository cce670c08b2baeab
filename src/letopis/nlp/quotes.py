"""Who said what: the `quotes` stage.

Direct speech is text in quotation marks («…», nested «» included; "…", “…”, „…“) or a
dialogue line opening with a dash ("– Реформа носит …, – отметил Ермек Кошербаев."),
attributed by a verb of speech (grammars/speech_verbs.txt) next to it. Quoted text of four
words or more that reads like a sentence counts without a verb (its speaker may stay unknown);
a short «…» is a name («ООН-Женщины»). Indirect speech is "X отметил, что …", "По ее словам, …"
and "Как отметил X, …". The speaker is the person mention (names, and pronouns or role phrases
that coref resolved) in the attribution, nearest the verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from letopis.model import Document, Mention, Quote
from letopis.nlp.grammars import word_list
from letopis.nlp.grammars.titles import chain_span, names_a_post, title_chains
from letopis.nlp.grammars.tokens import DASHES, Token, sentence_spans, tokenize
from letopis.nlp.models import parses

QUOTE_MARK = re.compile('[«»"“”„]')
OPENERS_BEFORE = set(" \t\n\u00a0([{«„:/") | DASHES
DASH_LINE = re.compile(r"^[ \t\u00a0]*(?:-[ \t\u00a0]+|[–—][ \t\u00a0]*)(?=\w)", re.M)
# Punctuation closing a quote, then a dash and the attribution: "…, – отметил X." or "…», – сказал".
ATTRIBUTION_DASH = re.compile(r"([,!?…]|\.\.\.)?[ \t\u00a0]*[-–—][ \t\u00a0]*(?=\w)")
AFTER_QUOTE = re.compile(r"[ \t\u00a0]*(?:[,!?…]|\.\.\.)?[ \t\u00a0]*(?:[-–—][ \t\u00a0]+)?")
PO_SLOVAM = re.compile(r"\b[Пп]о\s+(?:(?P<pronoun>его|ее|её|их)\s+)?(?P<noun>[а-яё]+)\b")
KAK = re.compile(r"^[Кк]ак\s+")
SAID_THAT = re.compile(r"(?:\s+[\w-]+){0,3}?(?P<that>\s*,\s*что|\s+о\s+том\s*,\s*что)\s+")
SET_OFF = re.compile(r"[,!?…]\s*[-–—]")
CLAUSE_END = re.compile(r"[.!?…\n]|,[ \t\u00a0]*[-–—]\s|[«\"“]")
# What introduces a quotation after its attribution: "заявил: «", "заявил, что «".
INTRODUCED = re.compile(r"(?::|,\s*что)\s*$")
INTRODUCTION_REACH = 20
MIN_WORDS = 4
DOCUMENT_TITLE_STARTS = frozenset({"о", "об", "обо"})
SAID_COLON = re.compile(r"(?P<that>\s*:)\s*(?=[А-ЯЁA-Z0-9а-яё])")
MAX_TRAILING_ATTRIBUTION = 8  # words in "…, заявил министр иностранных дел России Сергей Лавров."
NOMINATIVE_PRONOUNS = frozenset({"он", "она"})
PRONOUNS = frozenset({"он", "она", "его", "ее", "её", "ему", "ей", "него", "нее", "неё", "ней"})
# Words that may stand between a verb and the organisation speaking: "говорится в сообщении МВД".
ORGANISATION_LEADS = frozenset(
    {"в", "во", "сообщении", "заявлении", "пресс-релизе", "релизе", "документе", "письме", "ответе",
     "комментарии", "пресс-службе", "публикации", "материале"}
)  # fmt: skip
PREPOSITIONS_BEFORE_NAME = frozenset({"с", "со", "к", "о", "об", "у", "для", "от", "по", "при", "на", "в"})


# ---------------------------------------------------------------- words


@lru_cache(maxsize=50_000)
def is_speech_verb(word: str) -> bool:
    """A personal form or gerund of a verb of speech ("отметила", "подчеркнув")."""
    verbs = word_list("speech_verbs")
    return any(
        p.tag.POS in ("VERB", "GRND") and p.normal_form.replace("ё", "е") in verbs
        for p in parses(word.lower())
    )


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


def quoted_speech(text: str) -> list[Direct]:
    """Quoted spans with the clause after them ("», - подчеркнула Аида Балаева.") or before them
    ("Лавров заявил: «…»", "Лавров заявил, что «…»")."""
    out = []
    for opening, closing in quote_pairs(text):
        # «По сути, команда стала сборной, - сказал он, - и это важно»: the attribution is inside.
        inside = _dialogue_line(text, opening + 1, closing)
        out.extend(inside or [Direct(opening + 1, closing, _attribution(text, opening, closing))])
    return out


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


def dialogue_speech(text: str) -> list[Direct]:
    """Dialogue lines: "– Реформа носит …, – отметил Ермек Кошербаев." and what follows the attribution."""
    out = []
    for match in DASH_LINE.finditer(text):
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end == -1 else line_end
        out.extend(_dialogue_line(text, match.end(), line_end))
    return out


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
    """Where an attribution clause ends: the sentence end, a line break or the next dash."""
    match = CLAUSE_END.search(text, start, limit or len(text))
    return match.start() if match else (limit or len(text))


def _clause_start(text: str, end: int) -> int:
    """Where the clause before a quote starts: after the last sentence end or line break."""
    return max(text.rfind(mark, 0, end) for mark in ".!?…\n»") + 1


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
        self.organisations = [m for m in doc.mentions if m.type == "ORG" and m.entity]
        tokens, chains = title_chains(doc)
        self.roles = [chain_span(tokens, c) for c in chains if c.person is None]

    def in_span(self, start: int, end: int, verb: Token | None) -> tuple[str | None, str | None]:
        """(entity, words naming the speaker) for the clause [start, end)."""
        inside = [m for m in self.people if start <= m.start and m.end <= end]
        inside = [
            m for m in inside if not any(o is not m and o.start <= m.start and m.end <= o.end for o in inside)
        ]
        if inside:
            best = min(inside, key=lambda m: _distance(m, verb))
            return best.entity, best.text
        for role_start, role_end in self.roles:
            if start <= role_start and role_end <= end:
                return None, self.doc.text[role_start:role_end]
        for token in tokenize(self.doc.text[start:end]):
            if token.text.lower() in PRONOUNS:
                return None, token.text
        organisations = [m for m in self.organisations if start <= m.start and m.end <= end]
        organisations = [m for m in organisations if verb is not None and self._speaks_for(m, verb)]
        if organisations:
            best = min(organisations, key=lambda m: _distance(m, verb))
            return best.entity, best.text
        return None, None

    def _speaks_for(self, organisation: Mention, verb: Token) -> bool:
        """ "МИД заявил", "сообщает РИА Новости", "говорится в сообщении МВД"; not "собеседник «Ъ»"."""
        if organisation.end <= verb.start:
            return not self.doc.text[organisation.end : verb.start].strip()
        between = tokenize(self.doc.text[verb.end : organisation.start])
        return all(t.text.lower() in ORGANISATION_LEADS for t in between)

    def exact(self, start: int, end: int) -> tuple[str | None, str | None] | None:
        """The mention covering exactly [start, end), e.g. a pronoun coref resolved."""
        for mention in self.people:
            if mention.start == start and mention.end == end:
                return mention.entity, mention.text
        return None

    def subject_before(self, start: int, verb: Token) -> tuple[str | None, str | None]:
        """The nearest subject-like person mention before the verb, within [start, verb)."""
        for mention in reversed(self.people):
            if mention.end <= verb.start and mention.start >= start and self.is_subject(mention):
                return mention.entity, mention.text
        return self.in_span(start, verb.start, verb) if start < verb.start else (None, None)

    def is_subject(self, mention: Mention) -> bool:
        """Nominative-looking: a name in its normal form not after a preposition, "он", a role phrase."""
        word = mention.text.lower()
        if word in PRONOUNS:
            return word in NOMINATIVE_PRONOUNS
        if mention.text != mention.normal and not self._is_role(mention):
            return False
        before = re.search(r"([А-Яа-яЁё]+)\s*$", self.doc.text[max(0, mention.start - 20) : mention.start])
        return not (before and before.group(1).lower() in PREPOSITIONS_BEFORE_NAME)

    def _is_role(self, mention: Mention) -> bool:
        return any(s == mention.start and e == mention.end for s, e in self.roles)


def _distance(mention: Mention, verb: Token | None) -> int:
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
    indirect = [q for q in indirect if not any(_overlaps(q, d) for d in direct)]
    doc.quotes = sorted(direct + indirect, key=lambda q: q.start)
    return doc


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
    verbs = [t for t in tokenize(text[start:end]) if is_speech_verb(t.text)]
    if not verbs:
        return None
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


def _indirect_quotes(doc: Document, speakers: _Speakers) -> list[Quote]:
    out = []
    for start, end in sentence_spans(doc.text):
        found = (
            _according_to(doc, speakers, start, end)
            or _as_said(doc, speakers, start, end)
            or _said_that(doc, speakers, start, end)
            or _said_after(doc, speakers, start, end)
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
    """ "Как отметил глава МИД, …": the rest of the sentence after the comma."""
    text = doc.text
    lead = KAK.match(text, start, end)
    if lead is None:
        return None
    words = tokenize(text[lead.end() : end])
    if not words or not is_speech_verb(words[0].text) or not is_finite_verb(words[0].text):
        return None
    comma = text.find(",", lead.end(), end)
    if comma == -1:
        return None
    verb = Token(lead.end() + words[0].start, lead.end() + words[0].end, words[0].text)
    return _indirect(doc, speakers.in_span(verb.end, comma, verb), comma + 1, end)


def _said_that(doc: Document, speakers: _Speakers, start: int, end: int) -> Quote | None:
    """ "Аида Балаева отметила, что …", "он подчеркнул, что …", "Кошербаев отметил: реформа …"."""
    text = doc.text
    for token in tokenize(text[start:end]):
        if not is_speech_verb(token.text):
            continue
        verb = Token(start + token.start, start + token.end, token.text)
        that = SAID_THAT.match(text, verb.end, end) or SAID_COLON.match(text, verb.end, end)
        if that is None:
            continue
        speaker = speakers.subject_before(start, verb)
        if speaker[1] is None:
            speaker = speakers.in_span(verb.end, that.start("that"), verb)
        clause_end = end
        if is_gerund(token.text):
            # "Кошербаев, отметив, что реформа продолжится, поблагодарил …": the clause ends at its comma.
            comma = text.find(",", that.end(), end)
            clause_end = comma if comma != -1 else end
        return _indirect(doc, speaker, that.end(), clause_end)
    return None


def _said_after(doc: Document, speakers: _Speakers, start: int, end: int) -> Quote | None:
    """ "Переговоры прошли успешно, заявил Сергей Лавров.": the sentence before the attribution."""
    text = doc.text
    comma = text.rfind(",", start, end)
    if comma == -1:
        return None
    words = tokenize(text[comma + 1 : end])
    if not words or len(words) > MAX_TRAILING_ATTRIBUTION or not is_speech_verb(words[0].text):
        return None
    if is_gerund(words[0].text) or any(w.text in ("что", ":") for w in words):
        return None
    verb = Token(comma + 1 + words[0].start, comma + 1 + words[0].end, words[0].text)
    speaker = speakers.in_span(verb.end, end, verb)
    if speaker[0] is None or speaker[0] not in speakers.persons:
        return None  # "…, сообщает Kazpravda.kz": a news source credited, not speech reported
    return _indirect(doc, speaker, start, comma)
