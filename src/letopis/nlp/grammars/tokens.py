"""Tokens and sentence spans for the rule-based fact stages (titles, positions, coref, quotes,
events, topics).

All are cached per text, as every stage asks for them again.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from razdel import sentenize

from letopis.nlp.normal import TOKEN

DASHES = frozenset("-–—‑")


class Token(NamedTuple):
    """A word or a punctuation mark with its offsets (a tuple: documents have thousands of them)."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=64)
def tokenize(text: str) -> tuple[Token, ...]:
    """Words (hyphenated ones whole) and single punctuation marks; cached, as every stage asks."""
    return tuple(Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text))


@lru_cache(maxsize=16)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences as (start, end) offsets: razdel, also cut at every line break; cached."""
    spans = []
    for sentence in sentenize(text):
        start = sentence.start
        for line in sentence.text.split("\n"):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                spans.append((start + lead, start + len(line.rstrip())))
            start += len(line) + 1
    return tuple(spans)


@lru_cache(maxsize=4096)
def line_sentences(line: str) -> tuple[tuple[int, int], ...]:
    """razdel's sentences of one line of text, as (start, end) offsets within it; cached, as the
    events and topics stages both split every line."""
    return tuple((sentence.start, sentence.stop) for sentence in sentenize(line))


def sentence_index(spans: Sequence[tuple[int, int]], offset: int) -> int:
    """The index of the sentence holding (or last starting before) `offset`."""
    return max(0, bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1)


def is_sentence_start(text: str, offset: int) -> bool:
    """True when only a line break, a sentence end or a dialogue dash comes before `offset`."""
    before = text[:offset].rstrip(" \t\u00a0")
    if before and before[-1] in DASHES:
        before = before[:-1].rstrip(" \t\u00a0")
    return not before or before[-1] in ".!?…\n"
