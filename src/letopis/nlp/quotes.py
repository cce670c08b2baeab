"""Who said what: the `quotes` stage.

Direct speech (where it stands: `letopis.nlp.speech`) is a quotation or a dialogue line attributed by
a verb of speech next to it. Quoted text of four words or more that reads like a sentence counts
without a verb (its speaker may stay unknown); a short «…» is a name («ООН-Женщины»). Indirect speech
is "X отметил, что …", "По ее словам, …", "Как отметил X, …" (also mid-sentence: "По итогам встречи,
как отмечается в сообщении МИД, …") and "…, заявил X.". Who speaks in the attribution:
`letopis.nlp.speakers`. A media outlet credited after a report ("…, сообщает Kazpravda.kz") is no
speaker: only a person or an organisation's own channel counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import compress
from operator import attrgetter

from letopis.model import Document, Quote
from letopis.nlp.grammars.tokens import Token, sentence_spans, token_range, tokenize, tokens_within
from letopis.nlp.lemmas import lemma
from letopis.nlp.speakers import CHANNELS, Speakers
from letopis.nlp.speech import (
    MIN_WORDS,
    Direct,
    dialogue_speech,
    is_finite_verb,
    is_gerund,
    is_impersonal_speech,
    is_participle,
    is_speech_noun,
    is_speech_verb,
    quoted_speech,
    rstrip,
    word_count,
)

PO_SLOVAM = re.compile(r"\b[Пп]о\s+(?:(?P<pronoun>его|ее|её|их)\s+)?(?P<noun>[а-яё]+)\b")
# "заявил, что", "заявил в Цюрихе в понедельник 9 мая, что", "сообщил о том, что".
SAID_THAT = re.compile(r"(?:\s+[\w-]+){0,6}?(?P<that>\s*,\s*что|\s+о\s+том\s*,\s*что)\s+")
INTRODUCED_BY_COLON = re.compile(r':\s*[«"“„]?$')
DOCUMENT_TITLE_STARTS = frozenset({"о", "об", "обо"})
AS_REGARDS = re.compile(r"касается\b", re.I)
SAID_COLON = re.compile(r"(?P<that>\s*:)\s*(?=[А-ЯЁA-Z0-9а-яё])")
MAX_TRAILING_ATTRIBUTION = 8  # words in "…, заявил министр иностранных дел России Сергей Лавров."
WORDS_BEFORE_VERB = 3  # in an attribution after a quotation: "», – Сергей Лавров сказал"
CLAUSE_JOINS = re.compile(r"(?:,\s*(?:но|а|однако)|;)\s", re.I)
AS_SAID = re.compile(r"(?:^|(?<=,)\s*|(?<=[-–—])\s*)[Кк]ак\s+")
AS_WORD = re.compile(r"[Кк]ак\s")  # in every match of AS_SAID


# ---------------------------------------------------------------- the stage


def find_quotes(doc: Document) -> Document:
    """Stage: fill `doc.quotes`. Needs mentions and entities; coref for pronoun and role speakers."""
    speakers = Speakers(doc)
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
    end = rstrip(text, quote.start, cut.start())
    if len(tokenize(text[quote.start : end])) < 2:
        return quote
    return Quote(quote.speaker, quote.speaker_text, text[quote.start : end], quote.kind, quote.start, end)


def _overlaps(left: Quote, right: Quote) -> bool:
    return left.start < right.end and right.start < left.end


def _direct_quotes(doc: Document, speakers: Speakers) -> list[Quote]:
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


def _attributed(text: str, piece: Direct, speakers: Speakers) -> tuple[str | None, str | None] | None:
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
    if word_count(quoted) < MIN_WORDS or words[0].lower() in DOCUMENT_TITLE_STARTS:
        return False  # a name, or the title of a law: «О государственном регулировании …»
    return quoted.rstrip()[-1:] in ".!?…" or any(is_finite_verb(w) for w in words)


class _Cues:
    """Where a document's verbs of speech and its "как" stand, found once for the whole text: the
    indirect quotes look for them in every sentence, and most sentences have neither."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = tokenize(text)
        # The verbs picked by `compress`, without a Python step per word: every word is read so.
        self.verbs = list(compress(tokens, map(is_speech_verb, map(attrgetter("text"), tokens))))
        self.verb_starts = list(map(attrgetter("start"), self.verbs))
        self.as_words = [match.start() for match in AS_WORD.finditer(text)]

    def speech_verbs(self, start: int, end: int) -> Sequence[Token]:
        """The verbs of speech among `tokens_within(text, start, end)`, in order."""
        if token_range(self.text, start, end) is None:
            tokens = tokens_within(self.text, start, end)
            return list(compress(tokens, map(is_speech_verb, map(attrgetter("text"), tokens))))
        return self.verbs[bisect_left(self.verb_starts, start) : bisect_left(self.verb_starts, end)]

    def may_say_as(self, start: int, end: int) -> bool:
        """Whether text[start:end] has the "как " that `AS_SAID` needs."""
        at = bisect_left(self.as_words, start)
        return at < len(self.as_words) and self.as_words[at] + len("как ") <= end


def _indirect_quotes(doc: Document, speakers: Speakers) -> list[Quote]:
    out = []
    cues = _Cues(doc.text)
    for start, end in sentence_spans(doc.text):
        found = (
            _according_to(doc, speakers, start, end)
            or (cues.may_say_as(start, end) and _as_said(doc, speakers, start, end))
            or _said_that(doc, speakers, start, end, cues.speech_verbs(start, end))
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
    end = rstrip(text, start, end, ".;:")
    if speaker[1] is None or len(tokenize(text[start:end])) < 2:
        return None
    return Quote(speaker[0], speaker[1], text[start:end], "indirect", start, end)


def _according_to(doc: Document, speakers: Speakers, start: int, end: int) -> Quote | None:
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


def _as_said(doc: Document, speakers: Speakers, start: int, end: int) -> Quote | None:
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
    doc: Document, speakers: Speakers, start: int, end: int, verbs: Sequence[Token]
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


def _said_after(doc: Document, speakers: Speakers, start: int, end: int) -> Quote | None:
    """ "Переговоры прошли успешно, заявил Сергей Лавров.": the sentence before the attribution."""
    text = doc.text
    comma = text.rfind(",", start, end)
    if comma == -1:
        return None
    words = tokens_within(text, comma + 1, end)
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
    speakers: Speakers, speaker: tuple[str | None, str | None], attribution: str, verb: Token
) -> bool:
    """A person, or an organisation speaking through its own channel."""
    return speaker[0] in speakers.persons or (speakers.is_voice(speaker) and _official(attribution, verb))


def _official(attribution: str, verb: Token) -> bool:
    """An organisation's own channel ("сообщает пресс-служба МИД", "говорится в сообщении
    Роскомнадзора"), not a news outlet credited ("сообщает Kazpravda.kz")."""
    return is_impersonal_speech(verb.text) or any(lemma(t.text) in CHANNELS for t in tokenize(attribution))
