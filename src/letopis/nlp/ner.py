"""Named mentions: slovnet NER (via natasha), repaired where it goes wrong on official news.

Repairs, each a small function `repair(text, spans) -> spans`:
- `balance_quotes`: «Структуры «ООН-Женщины» keeps its closing quote.
- `extend_hyphenated_start`: a span starting inside "Азиатско-Тихоокеанского" takes the whole word.
- `extend_adjective_to_head`: an organisation cut after its adjective ("Азиатско-Тихоокеанского")
  takes the noun it agrees with and that noun's genitive chain ("центра цифровых решений …").
- `join_genitive_organisation`: "Регионального центра" + "ООН" becomes
  "Регионального центра ООН" (the inner "ООН" stays: nested mentions are allowed).
- `nest_known_names`: an organisation named on its own elsewhere is marked again inside a longer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from letopis.model import Document, Mention
from letopis.nlp.models import ner_tagger, parses
from letopis.nlp.normal import TOKEN, context_cases, normalize


@dataclass(frozen=True, order=True)
class RawSpan:
    start: int
    end: int
    type: str


WORD_BEFORE = re.compile(r"([А-Яа-яЁё]+)[\s,]*$")
WORD_AT = re.compile(r"\s*([0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*|«[^«»\n]{1,80}»)")
MAX_CHAIN = 6


def balance_quotes(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Close a «…» left open by the tagger, when the closing mark follows on the same line."""
    out = []
    for span in spans:
        inside = text[span.start : span.end]
        if inside.count("«") > inside.count("»"):
            close = text.find("»", span.end)
            newline = text.find("\n", span.end)
            if close != -1 and (newline == -1 or close < newline) and close - span.end <= 80:
                span = RawSpan(span.start, close + 1, span.type)
        out.append(span)
    return out


def extend_hyphenated_start(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Start a span at the beginning of the hyphenated word it starts inside of."""
    out = []
    for span in spans:
        start = span.start
        while start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
            start -= 1
            while start > 0 and text[start - 1].isalpha():
                start -= 1
        out.append(RawSpan(start, span.end, span.type))
    return out


def _is_adjective(word: str) -> bool:
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS in ("ADJF", "PRTF")


def _is_genitive_word(word: str) -> bool:
    if word.startswith("«"):
        return True
    if word.isupper() and len(word) > 1:
        return True
    return any(
        p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF") and p.score >= 0.05
        for p in parses(word.lower())
    )


def extend_adjective_to_head(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Extend an organisation that ends in an adjective over its head noun and genitive chain."""
    out = []
    for span in spans:
        last = TOKEN.findall(text[span.start : span.end])
        if span.type != "ORG" or not last or not _is_adjective(last[-1]):
            out.append(span)
            continue
        end = span.end
        for step in range(MAX_CHAIN):
            match = WORD_AT.match(text, end)
            if not match or (step == 0 and match.group(1).startswith("«")):
                break
            word = match.group(1)
            if step > 0 and not _is_genitive_word(word):
                break
            end = match.end()
        out.append(RawSpan(span.start, end, span.type))
    return out


def join_genitive_organisation(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Widen an organisation over the abbreviated one after it ("центра" + "ООН"), keeping "ООН" nested."""
    ordered = sorted(spans)
    out = []
    for index, left in enumerate(ordered):
        right = ordered[index + 1] if index + 1 < len(ordered) else None
        if (
            right is not None
            and left.type == right.type == "ORG"
            and text[left.end : right.start] == " "
            and text[right.start : right.end].isupper()
            and not text[left.start : left.end].isupper()
        ):
            left = RawSpan(left.start, right.end, "ORG")
        out.append(left)
    return out


def nest_known_names(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Mark an organisation named elsewhere again where it sits inside a longer one.

    "Странового офиса Структуры «ООН-Женщины»" holds "Структуры «ООН-Женщины»".
    """
    organisations = {text[s.start : s.end] for s in spans if s.type == "ORG"}
    extra = []
    for span in spans:
        if span.type != "ORG":
            continue
        inside = text[span.start : span.end]
        for name in organisations:
            at = inside.find(name, 1)
            if name != inside and at > 0 and inside[at - 1] == " ":
                extra.append(RawSpan(span.start + at, span.start + at + len(name), "ORG"))
    return spans + extra


REPAIRS = (
    balance_quotes,
    extend_hyphenated_start,
    extend_adjective_to_head,
    join_genitive_organisation,
    nest_known_names,
)


def tag_spans(text: str) -> list[RawSpan]:
    """Raw slovnet spans: PER, ORG, LOC."""
    if not text.strip():
        return []
    markup = ner_tagger()(text)
    return [RawSpan(s.start, s.stop, s.type) for s in markup.spans]


def repair_spans(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Apply every repair in order, dropping duplicates."""
    for repair in REPAIRS:
        spans = repair(text, spans)
    return sorted(set(spans))


def mention_for(text: str, span: RawSpan) -> Mention:
    """A mention with its nominative form, using the word before it as case context."""
    surface = text[span.start : span.end]
    before = WORD_BEFORE.search(text, max(0, span.start - 40), span.start)
    cases = context_cases(before.group(1) if before else None)
    return Mention(span.start, span.end, surface, span.type, normalize(surface, span.type, cases))


def find_mentions(doc: Document) -> Document:
    """Stage: fill `doc.mentions` with PER/ORG/LOC spans and their normal forms."""
    spans = repair_spans(doc.text, tag_spans(doc.text))
    doc.mentions = [mention_for(doc.text, span) for span in spans]
    return doc
