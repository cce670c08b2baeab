"""Event nouns and the phrases around them ("рамочного документа о сотрудничестве …"), and what near a
phrase shows an event: its verb, a frame like "в ходе", words like "планируется"."""

from __future__ import annotations

from dataclasses import dataclass

from letopis.nlp.event_text import _Doc, _entries_at, _index_after, _Sentence, _Token
from letopis.nlp.event_words import (
    PREPOSITIONS,
    _agrees,
    _is_adjective,
    _is_nominal,
    _lemmas,
    _pos,
    _rules,
    _tense,
)
from letopis.nlp.normal import TOKEN

MAX_PHRASE = 16  # words in an event phrase


@dataclass
class _Phrase:
    sentence: _Sentence
    type: str
    first: int  # token indices: the whole phrase, end exclusive
    last: int
    head: int  # index of the head noun
    compound: bool  # a two-word event noun: "рамочный документ", "дорожная карта"
    name_first: int  # the name starts after "предстоящий" and the like
    cue: str | None  # value of such an adjective: "announced", "happened", "-"

    @property
    def start(self) -> int:
        return self.sentence.tokens[self.first].start

    @property
    def end(self) -> int:
        return self.sentence.tokens[self.last - 1].end


def _heads(ctx: _Doc) -> dict[int, list[tuple[int, int, str]]]:
    """Sentence index -> (first, head, type) for every event noun in it, in order: "рамочного
    документа" gives (i, i + 1, "agreement"); only sentences that have any."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for index, starts in ctx.starting(_rules().by_first.get("noun", {}).keys()).items():
        tokens = ctx.sentences[index].tokens
        heads = [
            (i, i + len(items) - 1, value) for i in starts for value, items in _entries_at(tokens, i, "noun")
        ]
        if heads:
            out[index] = sorted(heads)
    return out


def _phrase(ctx: _Doc, sentence: _Sentence, first: int, head: int, kind: str) -> _Phrase:
    """The noun phrase around an event noun: adjectives before, genitives and "о …" after."""
    tokens = sentence.tokens
    compound = first < head
    while (
        first > 0
        and _agrees(tokens[first - 1].text, tokens[head].text)
        and not ctx.outermost_at(tokens[first - 1].start)
    ):
        first -= 1
    last, governed = head + 1, False
    while last < len(tokens) and last - first < MAX_PHRASE:
        step = _phrase_step(ctx, tokens, last, kind, governed)
        if step is None:
            break
        last, governed = step
    while last > head + 1 and _trailing(tokens[last - 1], ctx):
        last -= 1
    name_first, cue = first, None
    while name_first < head and (value := _rules().value("adjective", _adjective_lemma(tokens[name_first]))):
        cue = cue if cue not in (None, "-") else value
        name_first += 1
    return _Phrase(sentence, kind, first, last, head, compound, name_first, cue)


def _adjective_lemma(token: _Token) -> str:
    known = _rules().lemmas("adjective") & _lemmas(token.text)
    return next(iter(known), "")


def _phrase_step(
    ctx: _Doc, tokens: list[_Token], k: int, kind: str, governed: bool
) -> tuple[int, bool] | None:
    """Where the next piece of the phrase from token `k` ends, and whether a preposition governs what
    follows it ("о сотрудничестве"); None where the phrase ends."""
    token = tokens[k]
    date = ctx.date_at(token.start)
    if date is not None:
        if kind == "agreement" and date.text.lower().startswith("на "):
            return _index_after(tokens, date.end), False
        return None
    mention = ctx.outermost_at(token.start)
    if mention is not None:
        if not governed and not any(_is_nominal(w, True) for w in TOKEN.findall(mention.text)):
            return None  # "посетит с визитом Туркестанскую область": the verb's object, not the visit's
        return _index_after(tokens, mention.end), False
    if token.text.lower() == "и" and k > 0 and k + 1 < len(tokens):
        joins = ctx.outermost_at(tokens[k - 1].start) and ctx.outermost_at(tokens[k + 1].start)
        return (k + 1, governed) if joins else None  # "форум регионов Беларуси и России"
    if token.text == "«":
        close = next((j for j in range(k + 1, min(k + 12, len(tokens))) if tokens[j].text == "»"), None)
        return (close + 1, False) if close is not None else None
    if token.text.lower() in PREPOSITIONS:
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if nxt and (_is_nominal(nxt.text, False) or ctx.outermost_at(nxt.start)):
            return k + 1, True
        return None
    if not _is_nominal(token.text, not governed):
        return None
    return k + 1, governed and _pos(token.text) != "NOUN"


def _trailing(token: _Token, ctx: _Doc) -> bool:
    """Words a phrase does not end with: a preposition, "и", an adjective without its noun."""
    low = token.text.lower()
    if low in PREPOSITIONS or low == "и":
        return True
    return _is_adjective(token.text) and ctx.outermost_at(token.start) is None


def _future_cue(tokens: list[_Token]) -> bool:
    future = _rules().lemmas("future")
    return any(t.has_any(future) for t in tokens)


def _verb_near(
    tokens: list[_Token], a: int, b: int, phrase: _Phrase, lemmas: frozenset[str] | None
) -> int | None:
    """The verb in tokens[a:b] nearest the phrase (one from the list, if given); a relative clause's first."""
    verbs = [
        k
        for k in range(a, b)
        if (k < phrase.first or k >= phrase.last)
        and _tense(tokens[k].text)
        and (lemmas is None or tokens[k].has_any(lemmas))
        and not (k > 0 and tokens[k - 1].text.lower() == "не")
    ]
    relative = [k for k in verbs if any(t.has("который") for t in tokens[phrase.last : k])]
    if relative:
        return relative[0]
    return min(verbs, key=lambda k: min(abs(k - phrase.first), abs(k - phrase.last)), default=None)


def _frame(phrase: _Phrase) -> str | None:
    """Words before the phrase that make it an event ("в ходе визита", "накануне визита"): their value,
    "announced" or "-"; None when there are none."""
    tokens = phrase.sentence.tokens
    for value, items in _rules().words["frame"]:
        at = phrase.first - len(items)
        if at >= 0 and all(tokens[at + k].has(w) for k, w in enumerate(items)):
            return value
    return None


def _preceded_by(phrase: _Phrase, word: str) -> bool:
    return phrase.first > 0 and phrase.sentence.tokens[phrase.first - 1].text.lower() == word
