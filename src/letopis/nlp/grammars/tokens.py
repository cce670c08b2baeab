"""Tokens and sentence spans for the rule-based fact stages (titles, positions, coref, quotes,
events, topics).

All are cached per text, as every stage asks for them again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache, partial
from operator import attrgetter, itemgetter
from typing import NamedTuple

from razdel import sentenize
from razdel.segmenters.sentenize import SentSplit

from letopis.nlp.normal import TOKEN

DASHES = frozenset("-–—‑")


class Token(NamedTuple):
    """A word or a punctuation mark with its offsets (a tuple: documents have thousands of them)."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=64)
def tokenize(text: str) -> tuple[Token, ...]:
    """Words (hyphenated ones whole) and single punctuation marks; cached, as every stage asks.

    Built by `map` over the matches, without a Python call per token (the tuples are made as
    `Token(start, end, text)` makes them): 1.6x faster, and every document has thousands.
    """
    matches = list(TOKEN.finditer(text))
    fields = zip(
        map(re.Match.start, matches), map(re.Match.end, matches), map(re.Match.group, matches), strict=True
    )
    return tuple(map(_new_token, fields))


_new_token = partial(tuple.__new__, Token)


def tokens_within(text: str, start: int, end: int) -> Sequence[Token]:
    """The tokens of text[start:end], with offsets into `text`: the cached tokens of the whole text
    that lie there, unless one of them crosses `start` or `end` (then the slice is tokenised)."""
    found = token_range(text, start, end)
    if found is None:
        return [Token(start + t.start, start + t.end, t.text) for t in tokenize(text[start:end])]
    return tokenize(text)[found[0] : found[1]]


def token_range(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The indices [first, last) of the text's tokens that lie in [start, end); None when one of them
    crosses `start` or `end` (then the span's own tokens differ from the text's)."""
    tokens, starts = tokenize(text), token_starts(text)
    first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    if (first and tokens[first - 1].end > start) or (last and tokens[last - 1].end > end):
        return None
    return first, last


@lru_cache(maxsize=64)
def token_starts(text: str) -> tuple[int, ...]:
    """Where each of `tokenize(text)` starts: searched for every span the stages ask about."""
    return tuple(map(attrgetter("start"), tokenize(text)))


@lru_cache(maxsize=16)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences as (start, end) offsets: razdel's sentences of each line, so a line break always ends
    one (headlines and captions stand alone); cached, and each line's split is shared with the events
    stage (`line_sentences`).

    razdel reads no context across a line break here. On the whole text it did, in 2 of 964 texts
    (NEREL, factRuEval, the samples): both split a list item's number from its line ("1." alone),
    which a line read alone keeps ("1. Принять отставку …")."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        if line and not line.isspace():
            spans.extend((offset + start, offset + end) for start, end in line_sentences(line))
        offset += len(line) + 1
    return tuple(spans)


@lru_cache(maxsize=4096)
def line_sentences(line: str) -> tuple[tuple[int, int], ...]:
    """razdel's sentences of one line of text, as (start, end) offsets within it; cached, as the
    events and topics stages both split every line."""
    return tuple(_razdel_sentences(line))


def _razdel_sentences(text: str) -> list[tuple[int, int]]:
    """`[(s.start, s.stop) for s in razdel.sentenize(text)]`, the same spans faster.

    razdel cuts a text at every delimiter (".", "?", "»", ")" …), builds a split record and asks its
    rules whether to join the pieces again; a delimiter with no space after it always joins (the
    first two rules), and a quarter of them have none. Only the others are put to razdel's own rules
    here, with the split records razdel would build; the sentences are stripped and found in the text
    as razdel finds them. A third faster on lines, a sixth on whole texts.
    """
    splitter = sentenize.split
    spans = []
    piece_start = found = 0  # where the sentence being built starts; where the last one found ends
    for match in splitter.re.finditer(text):
        start, stop = match.span()
        if not text[stop : stop + 1].isspace():
            continue
        split = SentSplit(
            text[max(0, start - splitter.window) : start], match.group(1), text[stop : stop + splitter.window]
        )
        split.buffer = text[piece_start:start]
        if not sentenize.join(split):
            found = _add_sentence(spans, text, text[piece_start:stop], found)
            piece_start = stop
    _add_sentence(spans, text, text[piece_start:], found)
    return spans


def _add_sentence(spans: list[tuple[int, int]], text: str, piece: str, after: int) -> int:
    """Add a piece's stripped span, found in `text` from `after` on as razdel finds it; return its end."""
    sentence = piece.strip()
    start = text.find(sentence, after)
    spans.append((start, start + len(sentence)))
    return start + len(sentence)


def sentence_index(spans: Sequence[tuple[int, int]], offset: int) -> int:
    """The index of the sentence holding (or last starting before) `offset`."""
    return max(0, bisect.bisect_right(spans, offset, key=itemgetter(0)) - 1)


def is_sentence_start(text: str, offset: int) -> bool:
    """True when only a line break, a sentence end or a dialogue dash comes before `offset`."""
    before = text[:offset].rstrip(" \t\u00a0")
    if before and before[-1] in DASHES:
        before = before[:-1].rstrip(" \t\u00a0")
    return not before or before[-1] in ".!?…\n"
