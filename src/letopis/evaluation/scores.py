"""Scorers: exact spans, token tags on outermost spans, and facts; each gives P/R/F1 per type or kind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from letopis.evaluation.records import TYPES, Extent, Fact, Span

OUTSIDE = "O"


@dataclass
class Score:
    """Counts behind P/R/F1: precision = pred_correct / pred, recall = gold_correct / gold.

    The two "correct" counts differ only for facts, where one prediction may match several
    gold facts and the other way round.
    """

    pred_correct: int = 0
    pred: int = 0
    gold_correct: int = 0
    gold: int = 0

    def add(self, other: Score) -> None:
        self.pred_correct += other.pred_correct
        self.pred += other.pred
        self.gold_correct += other.gold_correct
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.pred_correct / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "p": round(self.precision, 4),
            "r": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "pred_correct": self.pred_correct,
            "pred": self.pred,
            "gold_correct": self.gold_correct,
            "gold": self.gold,
        }


def exact_scores(pred: Iterable[Span], gold: Iterable[Span]) -> dict[str, Score]:
    """Exact match per type: a span counts when start, end and type are all equal.

    Every distinct span counts, nested ones too ("Правительства Москвы" ORG and "Москвы" LOC
    are two gold spans), so a system that finds only outer names loses recall on the inner ones.
    """
    pred_set, gold_set = set(pred), set(gold)
    scores = {}
    for kind in TYPES:
        p = {s for s in pred_set if s.type == kind}
        g = {s for s in gold_set if s.type == kind}
        hits = len(p & g)
        scores[kind] = Score(hits, len(p), hits, len(g))
    return scores


def outermost(spans: Iterable[Span]) -> list[Span]:
    """Spans not inside another: in order of (start, longest first, type), keep a span only when it
    starts at or after the end of the last one kept.

    This drops nested spans, a later span crossing a kept one, and the second type of a
    doubly-typed extent (LOC before ORG before PER) — as naeval's `filter_overlapping` does.
    """
    kept: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (s.start, -s.end, s.type)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def bio_tags(tokens: Sequence[Extent], spans: Iterable[Span]) -> list[str]:
    """`B-TYPE`/`I-TYPE`/`O` per token for the outermost spans.

    A token belongs to a span when they overlap (so a span ending inside "Москва-Баку" still
    tags that token); the first token of a span is B, the rest I; a token two spans touch
    keeps the first span's tag.
    """
    tags = [OUTSIDE] * len(tokens)
    for span in outermost(spans):
        inside = [i for i, (start, end) in enumerate(tokens) if start < span.end and span.start < end]
        for number, index in enumerate(inside):
            if tags[index] == OUTSIDE:
                tags[index] = f"{'B' if number == 0 else 'I'}-{span.type}"
    return tags


def tag_scores(
    pred_tags: Sequence[str], gold_tags: Sequence[str], with_boundaries: bool = True
) -> dict[str, Score]:
    """Token-level P/R/F1 per type.

    For type T: pred = tokens tagged T by the system, gold = tokens tagged T in the gold,
    correct = tokens where both tags are T and (when `with_boundaries`) both are B or both
    are I. Without boundaries this is the IO score of naeval's `tag_f1`.
    """
    scores = {kind: Score() for kind in TYPES}
    for pred, gold in zip(pred_tags, gold_tags, strict=True):
        pred_type, gold_type = pred[2:], gold[2:]
        if pred_type in scores:
            scores[pred_type].pred += 1
        if gold_type in scores:
            scores[gold_type].gold += 1
        if pred_type == gold_type and pred_type in scores and (pred == gold or not with_boundaries):
            scores[pred_type].pred_correct += 1
            scores[pred_type].gold_correct += 1
    return scores


def overlaps(a: Extent, b: Extent) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _argument_hit(pred: tuple[Extent, ...], gold: tuple[Extent, ...]) -> bool:
    return any(overlaps(p, g) for p in pred for g in gold)


def fact_matches(pred: Fact, gold: Fact) -> bool:
    """Same kind, and every argument of the gold overlaps the prediction's argument in the same place.

    For a meeting the participants are unordered: at least two gold participants (all of
    them when fewer) must overlap some predicted participant.
    """
    if pred.kind != gold.kind:
        return False
    if gold.kind == "meeting":
        covered = sum(any(_argument_hit(p, g) for p in pred.args) for g in gold.args)
        return covered >= min(2, len(gold.args))
    return len(pred.args) == len(gold.args) and all(
        _argument_hit(p, g) for p, g in zip(pred.args, gold.args, strict=True)
    )


def fact_scores(pred: Sequence[Fact], gold: Sequence[Fact]) -> dict[str, Score]:
    """Per kind: a prediction is correct when it matches some gold fact, a gold fact found when some
    prediction matches it."""
    scores: dict[str, Score] = {}
    for fact in pred:
        score = scores.setdefault(fact.kind, Score())
        score.pred += 1
        score.pred_correct += any(fact_matches(fact, g) for g in gold)
    for fact in gold:
        score = scores.setdefault(fact.kind, Score())
        score.gold += 1
        score.gold_correct += any(fact_matches(p, fact) for p in pred)
    return scores
