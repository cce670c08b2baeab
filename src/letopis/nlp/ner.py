"""Named mentions: slovnet NER (via natasha), repaired where it goes wrong on official news.

The `find_mentions` stage tags PER, ORG and LOC spans with slovnet (many texts at once: `tag_many`),
repairs them (`repair_spans`; the repairs and the word lists they read are in `ner_repairs.py`) and
gives each mention its nominative form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import compress, count

from razdel.substring import Substring

from letopis.model import Document, Mention
from letopis.nlp.models import one_blas_thread
from letopis.nlp.ner_repairs import RawSpan, repair_spans
from letopis.nlp.normal import context_cases, normalize
from letopis.nlp.segment import tokenize
from letopis.nlp.tagger import tag_batches

# The last word of a text: the lookbehind starts the match only at a word's first letter (no retry
# at each of its letters).
WORD_BEFORE = re.compile(r"(?<![А-Яа-яЁё])([А-Яа-яЁё]+)[\s,]*$")
# The tagger's batches (`tag_many`): texts per call, and characters per call counting the padding.
NER_BATCH = 8
NER_BATCH_CHARS = 64_000


def tag_spans(text: str) -> list[RawSpan]:
    """Raw slovnet spans: PER, ORG, LOC."""
    return tag_many([text])[0]


def tag_many(texts: Sequence[str]) -> list[list[RawSpan]]:
    """Raw slovnet spans of many texts, the same as `tag_spans` of each, in about two thirds of the time.

    The tagger runs on a batch of texts at once, each padded to the longest: texts of similar length
    go together (sorted), at most `NER_BATCH` of them and `NER_BATCH_CHARS` padded characters, so a
    long article goes alone and memory stays as for one text.

    This is what `NewsNERTagger.map` does for each batch, without its markup: slovnet tokenises with
    razdel (`tokenize`: the same tokens, faster), tags the words (`tag_batches`: its model, faster)
    and then finds each word in the text again to build a markup of records; razdel's tokens already
    have their offsets, so the spans are read off them directly (the same spans: tokens hold no
    spaces and only spaces lie between them).
    """
    out: list[list[RawSpan]] = [[] for _ in texts]
    order = sorted((i for i, text in enumerate(texts) if text.strip()), key=lambda i: len(texts[i]))
    batches = list(_batches(order, [len(text) for text in texts]))
    tokens = {index: tokenize(texts[index]) for index in order}
    words = [[[token.text for token in tokens[index]] for index in batch] for batch in batches]
    with one_blas_thread():
        tags = tag_batches(words)
    for batch, batch_tags in zip(batches, tags, strict=True):
        for index, labels in zip(batch, batch_tags, strict=True):
            out[index] = bio_spans(tokens[index], labels)
    return out


def bio_spans(tokens: Sequence[Substring], labels: Sequence[str]) -> list[RawSpan]:
    """The spans of BIO tags, as `slovnet.bio.bio_spans` reads them: a span starts at a B tag and
    takes the I tags after it, whatever their type, until an O or the next B; an I after an O and a
    tag of neither kind ("<pad>") change nothing. Only the tags that are not O are visited: slovnet's
    reads every one (a fifth of the time of tagging the text, past the model)."""
    spans: list[RawSpan] = []
    current: list = []  # [start, stop, type] of the span being read
    last = -2
    for index in compress(count(), map("O".__ne__, labels)):
        if index != last + 1 and current:  # only O tags lie between: the first of them ended it
            spans.append(RawSpan(*current))
            current = []
        last = index
        label = labels[index]
        if label.startswith("B-"):
            if current:
                spans.append(RawSpan(*current))
            current = [tokens[index].start, tokens[index].stop, label[2:]]
        elif label.startswith("I-") and current:
            current[1] = tokens[index].stop
    if current:
        spans.append(RawSpan(*current))
    return spans


def _batches(order: list[int], sizes: list[int]) -> Iterator[list[int]]:
    """Consecutive runs of `order` (sorted by size) of at most NER_BATCH, NER_BATCH_CHARS padded."""
    batch: list[int] = []
    for index in order:
        if batch and (len(batch) == NER_BATCH or sizes[index] * (len(batch) + 1) > NER_BATCH_CHARS):
            yield batch
            batch = []
        batch.append(index)
    if batch:
        yield batch


def mention_for(text: str, span: RawSpan) -> Mention:
    """A mention with its nominative form, using the word before it as case context."""
    surface = text[span.start : span.end]
    before = WORD_BEFORE.search(text[max(0, span.start - 40) : span.start])
    cases = context_cases(before.group(1) if before else None)
    return Mention(span.start, span.end, surface, span.type, normalize(surface, span.type, cases))


def find_mentions(doc: Document) -> Document:
    """Stage: fill `doc.mentions` with PER/ORG/LOC spans and their normal forms."""
    return mentions_from(doc, tag_spans(doc.text))


def mentions_from(doc: Document, tagged: list[RawSpan]) -> Document:
    """Fill `doc.mentions` from the tagger's raw spans: repaired, with normal forms."""
    spans = repair_spans(doc.text, tagged)
    doc.mentions = [mention_for(doc.text, span) for span in spans]
    return doc


class MentionFinder:
    """The `find_mentions` stage, with the names of a batch of documents tagged ahead (`prepare`).

    The tagger is faster on many texts at once (`tag_many`); a document `prepare` did not see is
    tagged on its own, so the stage works alone too.
    """

    __name__ = "find_mentions"

    def __init__(self) -> None:
        self._tagged: dict[str, list[RawSpan]] = {}

    def prepare(self, docs: Sequence[Document]) -> None:
        """Tag the names of `docs` in one go, dropping those of the batch before."""
        texts = list(dict.fromkeys(doc.text for doc in docs))
        self._tagged = dict(zip(texts, tag_many(texts), strict=True))

    def __call__(self, doc: Document) -> Document:
        tagged = self._tagged.get(doc.text)
        return mentions_from(doc, tagged if tagged is not None else tag_spans(doc.text))
