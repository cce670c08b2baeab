"""Where an event is: a place "в Алматы" in its phrase or near it, not one in a title."""

from __future__ import annotations

from letopis.nlp.event_phrases import _Phrase
from letopis.nlp.event_text import _Doc, _Sentence


def _place(ctx: _Doc, sentence: _Sentence, at: int, within: tuple[int, int] | None = None) -> str | None:
    """The place "в Алматы" nearest `at` (within a span of text, if given); not one in a title
    ("представителем … в Казахстане Джерен Гювен Гюрес")."""
    candidates = []
    tokens = sentence.tokens
    low, high = within or (sentence.start, sentence.end)
    for m in ctx.free_mentions(sentence, "LOC"):
        k = next((i for i, t in enumerate(tokens) if t.start == m.start), None)
        if not low <= m.start < high:
            continue
        if k is None or k == 0 or tokens[k - 1].text.lower() not in ("в", "во"):
            continue
        after = next((t for t in tokens if t.start >= m.end), None)
        inside = ctx.outermost_at(m.start)
        if (after and ctx.starts_person(after.start)) or (inside is not None and inside.type == "ORG"):
            continue
        candidates.append(m)
    return min(candidates, key=lambda m: abs(m.start - at)).entity if candidates else None


def _phrase_place(ctx: _Doc, phrase: _Phrase) -> str | None:
    """A place after "в" inside the phrase: "визит в Украину", "по созданию в Алматы …"."""
    tokens = phrase.sentence.tokens
    for k in range(phrase.head + 1, phrase.last):
        if tokens[k - 1].text.lower() in ("в", "во"):
            mention = next(
                (
                    m
                    for m in ctx.mentions_in(tokens[k].start, phrase.end, "LOC")
                    if m.start == tokens[k].start
                ),
                None,
            )
            if mention is not None:
                return mention.entity
    return None
