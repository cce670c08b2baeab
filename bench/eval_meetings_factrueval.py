"""Meeting events against the factRuEval-2016 devset's Meeting facts: prints P/R/F1.

A gold fact's Participant objects are located through .coref -> .objects -> .spans (character
offsets into the .txt, end exclusive once start + length). A predicted participant (a person, or an
organisation of the meeting) matches a gold one when one of its mentions overlaps one of the
gold object's spans. Fact level: a predicted meeting matches a gold one in the same document when it
covers at least two gold participants (all of them if fewer); "loose" needs one. Participant level:
per document, the meetings' participants pooled against the gold facts' participants. Documents run
through the default pipeline (with `find_events` appended if it is not in it yet).

Example: .venv/bin/python bench/eval_meetings_factrueval.py /work/shared/data/factrueval-2016/devset
"""

from __future__ import annotations

import argparse
from pathlib import Path

from letopis.evaluation.scores import Score
from letopis.model import Document
from letopis.nlp.events import find_events
from letopis.nlp.pipeline import default_stages, extract

Span = tuple[int, int]
# The pipeline as it is, with the events stage at its end until it is wired in.
STAGES = default_stages() + ([] if find_events in default_stages() else [find_events])


def line(label: str, score: Score) -> str:
    return (
        f"{label:<20} P={score.precision:.3f} ({score.pred_correct}/{score.pred})  "
        f"R={score.recall:.3f} ({score.gold_correct}/{score.gold})  F1={score.f1:.3f}"
    )


def read_blocks(path: Path) -> list[list[str]]:
    """Records separated by blank lines."""
    blocks, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def object_spans(stem: Path) -> dict[str, list[Span]]:
    """ "obj102" -> character spans of every mention of coreference object 102."""
    spans = {}
    for line in stem.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        if fields:
            spans[fields[0]] = (int(fields[2]), int(fields[2]) + int(fields[3]))
    mentions = {}
    for line in stem.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        parts = [spans[s] for s in fields[2:] if s in spans]
        if parts:
            mentions[fields[0]] = (min(a for a, _ in parts), max(b for _, b in parts))
    out = {}
    for block in read_blocks(stem.with_suffix(".coref")):
        ids = block[0].split()
        out[f"obj{ids[0]}"] = [mentions[m] for m in ids[1:] if m in mentions]
    return out


def gold_meetings(stem: Path) -> list[list[list[Span]]]:
    """Each Meeting fact as its participants, each participant as its spans."""
    objects = object_spans(stem)
    facts = []
    for block in read_blocks(stem.with_suffix(".facts")):
        if block[0].split()[-1] != "Meeting":
            continue
        people = [line.split()[1] for line in block[1:] if line.startswith("Participant")]
        facts.append([objects.get(p, []) for p in people])
    return facts


def predicted_meetings(text: str, name: str) -> list[list[list[Span]]]:
    """Each meeting event as its participants (people and organisations), each as its mention spans."""
    doc = extract(Document(id=name, source=name, text=text), STAGES)
    spans: dict[str, list[Span]] = {}
    for m in doc.mentions:
        spans.setdefault(m.entity or "", []).append((m.start, m.end))
    return [
        [spans.get(e, []) for e in event.participants + event.organizations]
        for event in doc.events
        if event.type == "meeting"
    ]


def overlaps(a: list[Span], b: list[Span]) -> bool:
    return any(x < d and c < y for x, y in a for c, d in b)


def fact_counts(gold: list[list[list[Span]]], pred: list[list[list[Span]]], loose: bool) -> Score:
    """Greedy one-to-one matching of predicted and gold meetings."""
    used: set[int] = set()
    matched = 0
    for p in pred:
        for g_index, g in enumerate(gold):
            covered = sum(any(overlaps(x, y) for x in p) for y in g)
            need = 1 if loose else min(2, len(g))
            if g_index not in used and covered >= need:
                used.add(g_index)
                matched += 1
                break
    return Score(matched, len(pred), matched, len(gold))


def participant_counts(gold: list[list[list[Span]]], pred: list[list[list[Span]]]) -> Score:
    gold_people = [y for g in gold for y in g]
    pred_people = [x for p in pred for x in p]
    return Score(
        sum(any(overlaps(x, y) for y in gold_people) for x in pred_people),
        len(pred_people),
        sum(any(overlaps(x, y) for x in pred_people) for y in gold_people),
        len(gold_people),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "devset", type=Path, nargs="?", default=Path("/work/shared/data/factrueval-2016/devset")
    )
    parser.add_argument("--show", action="store_true", help="print each document's gold and predicted counts")
    args = parser.parse_args()
    strict, loose, people = Score(), Score(), Score()
    for path in sorted(args.devset.glob("*.txt")):
        stem = path.with_suffix("")
        gold = gold_meetings(stem)
        pred = predicted_meetings(path.read_text(encoding="utf-8"), path.name)
        strict.add(fact_counts(gold, pred, loose=False))
        loose.add(fact_counts(gold, pred, loose=True))
        people.add(participant_counts(gold, pred))
        if args.show and (gold or pred):
            print(f"{path.name}: gold {len(gold)}, predicted {len(pred)}")
    print(line("meetings", strict))
    print(line("meetings (loose)", loose))
    print(line("participants", people))


if __name__ == "__main__":
    main()
