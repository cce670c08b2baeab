"""Run systems over a gold corpus and score them: `evaluate` gives the report, `format_report` the tables."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from razdel import tokenize

from letopis.errors import LetopisError
from letopis.evaluation.corpora import CORPUS_FACTS, load_corpus
from letopis.evaluation.records import TYPES, GoldDoc, Prediction, Span
from letopis.evaluation.scores import Score, bio_tags, exact_scores, fact_scores, tag_scores
from letopis.evaluation.systems import SYSTEMS, System

SPAN_METRICS = ("exact", "bio", "io")
CORPUS_TITLES = {"nerel": "NEREL", "factrueval": "factRuEval-2016"}
WARM_UP = "Президент России Владимир Путин провёл встречу в Кремле."


def score_doc(
    pred: Prediction, gold: GoldDoc, fact_kinds: tuple[str, ...] | None = None
) -> dict[str, dict[str, Score]]:
    """Every metric for one document: exact spans, BIO and IO tokens, and facts when the system has any.

    With `fact_kinds` (those the corpus annotates) predicted facts of other kinds are not scored:
    NEREL has no meetings, factRuEval no event dates, so they could only count as wrong.
    """
    tokens = [(t.start, t.stop) for t in tokenize(gold.text)]
    pred_tags, gold_tags = bio_tags(tokens, pred.spans), bio_tags(tokens, gold.spans)
    scores = {
        "exact": exact_scores(pred.spans, gold.spans),
        "bio": tag_scores(pred_tags, gold_tags),
        "io": tag_scores(pred_tags, gold_tags, with_boundaries=False),
    }
    if pred.facts is not None:
        facts = [f for f in pred.facts if fact_kinds is None or f.kind in fact_kinds]
        scores["facts"] = fact_scores(facts, gold.facts)
    return scores


def span_errors(pred: list[Span], gold: GoldDoc) -> dict[str, dict[str, list]]:
    """Exact-match misses per type: `fp` (predicted, not gold) and `fn` (gold, not predicted)."""
    errors: dict[str, dict[str, list]] = {kind: {"fp": [], "fn": []} for kind in TYPES}
    pred_set, gold_set = set(pred), set(gold.spans)
    for label, spans in (("fp", pred_set - gold_set), ("fn", gold_set - pred_set)):
        for span in sorted(spans):
            errors[span.type][label].append([gold.id, span.start, span.end, gold.text[span.start : span.end]])
    return errors


def _row_order(key: str) -> tuple[int, str]:
    """PER, ORG, LOC first, in that order; fact kinds after them alphabetically."""
    return (TYPES.index(key) if key in TYPES else len(TYPES), key)


def run_system(
    system: System, docs: list[GoldDoc], fact_kinds: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Predict and score every document (facts of `fact_kinds` only, when given); seconds are after
    one warm-up call that loads the models."""
    system(GoldDoc("warm-up", WARM_UP))
    totals: dict[str, dict[str, Score]] = {metric: {} for metric in SPAN_METRICS}
    errors: dict[str, dict[str, list]] = {kind: {"fp": [], "fn": []} for kind in TYPES}
    seconds = 0.0
    for gold in docs:
        started = time.perf_counter()
        pred = system(gold)
        seconds += time.perf_counter() - started
        for metric, scores in score_doc(pred, gold, fact_kinds).items():
            for key, score in scores.items():
                totals.setdefault(metric, {}).setdefault(key, Score()).add(score)
        for kind, found in span_errors(pred.spans, gold).items():
            for label in ("fp", "fn"):
                errors[kind][label].extend(found[label])
    scores = {
        metric: {key: by_key[key].as_dict() for key in sorted(by_key, key=_row_order)}
        for metric, by_key in totals.items()
    }
    return {"seconds": round(seconds, 2), "scores": scores, "errors": errors}


def evaluate(
    corpus: str,
    path: str,
    split: str | None = "dev",
    baseline: str | None = "natasha",
    limit: int | None = None,
) -> dict[str, Any]:
    """Score letopis (and the baseline, on the same documents) against a gold corpus.

    `corpus` is `nerel` or `factrueval`; `path` the corpus folder, holding `split`.
    The report: `{"corpus", "split", "docs", "gold": counts, "systems": {name: {"seconds",
    "scores": {metric: {type or fact kind: {p, r, f1, counts}}}, "errors": exact-match misses}}}`.
    """
    if baseline is not None and (baseline not in SYSTEMS or baseline == "letopis"):
        raise LetopisError(f"unknown baseline {baseline!r}: choose natasha or none")
    docs = load_corpus(corpus, path, split, limit)
    names = ["letopis"] + ([baseline] if baseline else [])
    return {
        "corpus": corpus,
        "split": split,
        "docs": len(docs),
        "gold": gold_counts(docs),
        "systems": {name: run_system(SYSTEMS[name], docs, CORPUS_FACTS.get(corpus)) for name in names},
    }


def gold_counts(docs: list[GoldDoc]) -> dict[str, Any]:
    """How much gold there is: spans per type, facts per kind, annotations skipped."""
    return {
        "spans": dict(Counter(s.type for d in docs for s in d.spans)),
        "facts": dict(Counter(f.kind for d in docs for f in d.facts)),
        "skipped_discontinuous": sum(d.skipped for d in docs),
    }


def _cells(score: dict[str, float] | None) -> str:
    if score is None:
        return f"{'—':>6} {'—':>6} {'—':>6}"
    return f"{score['p']:6.3f} {score['r']:6.3f} {score['f1']:6.3f}"


def _rows(report: dict[str, Any]) -> list[tuple[str, str, dict | None, dict | None]]:
    systems = report["systems"]
    ours = systems["letopis"]["scores"]
    theirs = next((s["scores"] for name, s in systems.items() if name != "letopis"), {})
    rows = []
    for metric in SPAN_METRICS:
        for kind in TYPES:
            rows.append((kind, metric, ours[metric].get(kind), theirs.get(metric, {}).get(kind)))
    for kind in sorted(set(ours.get("facts", {})) | set(report["gold"]["facts"])):
        rows.append((kind, "facts", ours.get("facts", {}).get(kind), theirs.get("facts", {}).get(kind)))
    return rows


def format_report(report: dict[str, Any]) -> str:
    """The report as a table: rows type × metric, columns letopis P/R/F1, baseline P/R/F1, Δ F1."""
    systems = report["systems"]
    baseline = next((name for name in systems if name != "letopis"), None)
    title = f"{CORPUS_TITLES.get(report['corpus'], report['corpus'])} {report['split'] or ''}".strip()
    timing = ", ".join(f"{name} {s['seconds']:.1f} s" for name, s in systems.items())
    rows = _rows(report)
    width = max([10] + [len(kind) for kind, *_ in rows])  # a fact kind like "point_in_time" is wider
    lines = [
        f"{title}: {report['docs']} docs; {timing}",
        f"{'type':<{width}} {'metric':<6} | {'letopis P':>9} {'R':>6} {'F1':>6} | "
        f"{(baseline or '—') + ' P':>9} {'R':>6} {'F1':>6} | {'Δ F1':>6}",
    ]
    lines.append("-" * len(lines[1]))
    for kind, metric, ours, theirs in rows:
        delta = f"{ours['f1'] - theirs['f1']:+6.3f}" if ours and theirs else f"{'—':>6}"
        lines.append(f"{kind:<{width}} {metric:<6} |    {_cells(ours)} |    {_cells(theirs)} | {delta}")
    skipped = report["gold"].get("skipped_discontinuous")
    if skipped:
        lines.append(f"({skipped} discontinuous gold names skipped)")
    return "\n".join(lines)
