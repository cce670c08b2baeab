"""The text as events read it: sentences and tokens, word-list phrases and clauses in them, and the
document indexed by its mentions and dates."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, chain, compress, count
from operator import attrgetter, itemgetter, not_
from typing import NamedTuple

from letopis.model import DateValue, Document, Mention
from letopis.nlp.event_words import _lemmas, _rules
from letopis.nlp.grammars.tokens import line_sentences, token_range, token_starts, tokenize
from letopis.nlp.normal import TOKEN

DASHES = {"—", "–", "-"}
BOUNDARIES = {",", ";", ":", "(", ")", "?", "!", *DASHES}
LATE_SENTENCE = re.compile(r"(?<=[а-яё][.!?])(?=[А-ЯЁ])")  # "развития.На встрече": a missing space


# ---------------------------------------------------------------- sentences and tokens


class _Token(NamedTuple):
    """A word or mark of a sentence (a tuple, made twice as fast as a frozen dataclass: events make
    one for every token of every document)."""

    start: int
    end: int
    text: str
    glued: bool = False  # no space before it: the dash of "22–24" is not a clause's end
    in_date: bool = False  # inside a date: nor is the dash of "30 марта – 2 апреля"

    @property
    def is_boundary(self) -> bool:
        return self.text in BOUNDARIES and not ((self.glued or self.in_date) and self.text in DASHES)

    def has(self, lemma: str) -> bool:
        return lemma in _lemmas(self.text)

    def has_any(self, lemmas: frozenset[str] | set[str]) -> bool:
        return not lemmas.isdisjoint(_lemmas(self.text))


@dataclass
class _Sentence:
    index: int
    start: int
    end: int
    tokens: list[_Token] = field(default_factory=list)


def _sentences(text: str, dates: Iterable[DateValue] = ()) -> list[_Sentence]:
    """Sentences with their tokens; a paragraph break always ends a sentence. The text is tokenised
    once, each sentence taking its slice of the tokens (its own match when a token crosses its ends)."""
    in_date = {i for d in dates for i in range(d.start + 1, d.end - 1)}
    tokens = _text_tokens(text, in_date)
    out: list[_Sentence] = []
    for start, end in _pieces(text):
        found = token_range(text, start, end)
        own = tokens[found[0] : found[1]] if found is not None else _tokens(text, start, end, in_date)
        if own:
            out.append(_Sentence(len(out), start, own[-1].end, own))
    return out


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the sentences of each line: razdel's, also cut where a space is missing after one."""
    offset = 0
    for line in text.split("\n"):
        for piece_start, piece_end in line_sentences(line):
            piece = line[piece_start:piece_end]
            cuts = [0, *(m.start() for m in LATE_SENTENCE.finditer(piece)), len(piece)]
            for a, b in zip(cuts, cuts[1:], strict=False):
                start = offset + piece_start + a
                yield start, start + b - a
        offset += len(line) + 1


def _tokens(text: str, start: int, end: int, in_date: set[int]) -> list[_Token]:
    """The tokens of text[start:end], matched in place (TOKEN looks neither behind nor ahead)."""
    matches = list(TOKEN.finditer(text, start, end))
    firsts = list(map(re.Match.start, matches))
    return _made(text, firsts, map(re.Match.end, matches), map(re.Match.group, matches), in_date)


def _text_tokens(text: str, in_date: set[int]) -> list[_Token]:
    """`_tokens` of the whole text, from the tokens the other stages cached (`tokenize` matches TOKEN
    as `_tokens` does): twice as fast as matching them again."""
    tokens = tokenize(text)
    return _made(text, token_starts(text), map(itemgetter(1), tokens), map(itemgetter(2), tokens), in_date)


def _made(
    text: str, firsts: Sequence[int], ends: Iterable[int], words: Iterable[str], in_date: set[int]
) -> list[_Token]:
    """Tokens of `text` from their starts, ends and words, made by `map` without a Python call per
    token: events read every token of every document."""
    glued = [not text[first - 1 : first].isspace() for first in firsts]
    fields = zip(firsts, ends, words, glued, map(in_date.__contains__, firsts), strict=True)
    return list(map(_new_token, fields))


_new_token = partial(tuple.__new__, _Token)


# ---------------------------------------------------------------- the document, indexed


class _Doc:
    """The document with its sentences, mentions and dates, and spans already used by events."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.sentences = _sentences(doc.text, doc.dates)
        self.mentions = sorted(doc.mentions, key=lambda m: (m.start, -m.end))
        self.names = {e.id: e.name for e in doc.entities}
        self.taken: list[tuple[int, int]] = []  # event phrases: not a meeting's people, places or dates
        # Names only: a resolved "глава ведомства" or "он" (coref) is a person, but not a name to look for.
        self._persons = {
            m.start: m
            for m in reversed(self.mentions)
            if m.type == "PER" and m.entity and m.text[:1].isupper()
        }
        self._dates = {d.start: d for d in reversed(doc.dates)}
        self._attribution: dict[int, list[tuple[int, int]]] = {}
        words = chain.from_iterable(sentence.tokens for sentence in self.sentences)
        self._token_lemmas = list(map(_lemmas, map(attrgetter("text"), words)))  # of every token, in order
        self._ends = list(accumulate(len(sentence.tokens) for sentence in self.sentences))

    def starting(self, firsts: AbstractSet[str]) -> dict[int, list[int]]:
        """Sentence index -> indices of its tokens one of whose lemmas is in `firsts` (the first words
        of word-list entries), for the sentences that have any: found by `map` over the document's
        tokens at once, without a Python step per token or per sentence."""
        out: dict[int, list[int]] = {}
        for i in compress(count(), map(not_, map(firsts.isdisjoint, self._token_lemmas))):
            index = bisect_right(self._ends, i)
            out.setdefault(index, []).append(i - self._ends[index] + len(self.sentences[index].tokens))
        return out

    def mentions_in(self, start: int, end: int, kind: str | None = None) -> list[Mention]:
        return [
            m
            for m in self.mentions
            if start <= m.start and m.end <= end and (kind is None or m.type == kind) and m.entity
        ]

    def outermost_at(self, offset: int) -> Mention | None:
        """The longest mention covering the character at `offset` (of two as long, the later in
        `mentions`). Looked for when asked: events ask in two documents of five, a few times each."""
        found, length = None, 0
        for m in self.mentions:
            if m.start > offset:
                break
            if offset < m.end and m.end - m.start >= length:
                found, length = m, m.end - m.start
        return found

    def starts_person(self, offset: int) -> Mention | None:
        return self._persons.get(offset)

    def date_at(self, offset: int) -> DateValue | None:
        return self._dates.get(offset)

    def is_taken(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.taken)

    def attribution(self, sentence: _Sentence) -> list[tuple[int, int]]:
        """Spans naming the text's source ("сообщает Kazpravda.kz со ссылкой на Минкультуры")."""
        if sentence.index not in self._attribution:
            out = []
            tokens = sentence.tokens
            for i in range(len(tokens)):
                if _phrase_at(tokens, i, "attribution"):
                    end = next((t.start for t in tokens[i + 1 :] if t.is_boundary), sentence.end)
                    out.append((tokens[i].start, end))
            self._attribution[sentence.index] = out
        return self._attribution[sentence.index]

    def free_mentions(self, sentence: _Sentence, kind: str) -> list[Mention]:
        """Mentions of a type in a sentence, outside its attribution and outside other events."""
        cut = self.attribution(sentence)
        return [
            m
            for m in self.mentions_in(sentence.start, sentence.end, kind)
            if not self.is_taken(m.start, m.end) and not any(a <= m.start < b for a, b in cut)
        ]


# ---------------------------------------------------------------- word-list phrases and clauses


def _phrase_at(tokens: list[_Token], i: int, category: str) -> str | None:
    """The value of the word-list entry of `category` whose lemmas start at token `i`, if any."""
    return next((value for value, _ in _entries_at(tokens, i, category)), None)


def _entries_at(tokens: list[_Token], i: int, category: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The entries of `category` (value, lemmas) whose lemmas are the words from token `i` on."""
    index = _rules().by_first.get(category, {})
    for lemma in _lemmas(tokens[i].text):
        for value, items in index.get(lemma, []):
            if i + len(items) <= len(tokens) and all(
                tokens[i + k].has(w) for k, w in enumerate(items[1:], 1)
            ):
                yield value, items


def _index_after(tokens: list[_Token], offset: int) -> int:
    return next((j for j, t in enumerate(tokens) if t.start >= offset), len(tokens))


def _clause(sentence: _Sentence, first: int, last: int) -> tuple[int, int]:
    """Token range of the clause around a phrase, with its relative clause (", который пройдет …");
    a bracketed aside "(АТЭС)" does not end it."""
    tokens = sentence.tokens
    a, b, relative = first, last, False
    while a > 0 and not tokens[a - 1].is_boundary:
        a -= 1
    while b < len(tokens):
        if tokens[b].text == "(":
            b = next((j for j in range(b, len(tokens)) if tokens[j].text == ")"), len(tokens) - 1) + 1
            continue
        if tokens[b].is_boundary:
            if relative or tokens[b].text != "," or b + 1 >= len(tokens) or not tokens[b + 1].has("который"):
                break
            relative = True
        b += 1
    return a, b


def _span(tokens: list[_Token], a: int, b: int) -> tuple[int, int]:
    """Character span of tokens[a:b]."""
    return tokens[a].start, tokens[b - 1].end
