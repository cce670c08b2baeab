"""How many factRuEval-2016 Occupation facts (person, position) the positions stage recovers.

Gold: each Occupation fact with a `Who` (a coreference chain of Person objects) and a
`Position` (a span). A predicted position matches a gold pair when one of the predicted
person's mentions overlaps one of the gold person's spans and the title shares a content
word (by lemma) with the gold position. Matching is one-to-one per document.

Example:
    .venv/bin/python bench/eval_positions_factrueval.py /work/shared/data/factrueval-2016/devset
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from letopis.model import Document
from letopis.nlp.coref import resolve_coreference
from letopis.nlp.entities import group_mentions
from letopis.nlp.lemmas import lemma
from letopis.nlp.ner import find_mentions
from letopis.nlp.normal import TOKEN
from letopis.nlp.positions import find_positions

DEFAULT = Path("/work/shared/data/factrueval-2016/devset")
STOP = {"и", "в", "по", "при", "на", "для", "от", "из", "у", "за", "о", "с"}


@dataclass
class Pair:
    spans: set[tuple[int, int]]
    words: set[str]
    label: str


def content_lemmas(text: str) -> set[str]:
    """Lemmas of the words of a title, without prepositions and conjunctions."""
    return {lemma(w) for w in TOKEN.findall(text) if w[0].isalpha() and w.lower() not in STOP}


def read_spans(path: Path, text: str) -> dict[str, tuple[int, int]]:
    """Span id -> (start, end); checks the first word of each span against the text."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields, _, comment = line.partition("#")
        parts = fields.split()
        if len(parts) < 6:
            continue
        start, length, count = int(parts[2]), int(parts[3]), int(parts[5])
        words = comment.split()[count:]
        if words and not text[start:].startswith(words[0]):
            raise ValueError(f"{path.name}: span {parts[0]} does not start with {words[0]!r}")
        out[parts[0]] = (start, start + length)
    return out


def read_objects(path: Path) -> dict[str, list[str]]:
    """Object id -> its span ids."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 3:
            out[parts[0]] = parts[2:]
    return out


def read_chains(path: Path) -> dict[str, list[str]]:
    """Coreference chain id -> its object ids (the first line of each block)."""
    out = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if lines:
            parts = lines[0].split()
            out[parts[0]] = parts[1:]
    return out


def gold_pairs(base: Path, text: str) -> list[Pair]:
    """The (person, position) pairs of a document's Occupation facts."""
    spans = read_spans(base.with_suffix(".spans"), text)
    objects = read_objects(base.with_suffix(".objects"))
    chains = read_chains(base.with_suffix(".coref"))
    pairs = []
    for block in base.with_suffix(".facts").read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or not lines[0].endswith("Occupation"):
            continue
        roles = {line.split()[0]: line.split(maxsplit=2) for line in lines[1:] if len(line.split()) >= 2}
        if "Who" not in roles or "Position" not in roles:
            continue
        who = roles["Who"][1].removeprefix("obj")
        person = {spans[s] for o in chains.get(who, []) for s in objects.get(o, []) if s in spans}
        position = spans[roles["Position"][1].removeprefix("span")]
        label = f"{roles['Who'][2] if len(roles['Who']) > 2 else who} / {text[position[0] : position[1]]}"
        pairs.append(Pair(person, content_lemmas(text[position[0] : position[1]]), label))
    return pairs


def predicted_pairs(text: str) -> list[Pair]:
    """Positions found by the pipeline, each with all spans naming its person."""
    doc = Document(id="f", source="f", text=text)
    for stage in (find_mentions, group_mentions, resolve_coreference, find_positions):
        doc = stage(doc)
    spans: dict[str, set[tuple[int, int]]] = {}
    for mention in doc.mentions:
        if mention.entity:
            spans.setdefault(mention.entity, set()).add((mention.start, mention.end))
    names = {e.id: e.name for e in doc.entities}
    return [
        Pair(spans.get(p.person, set()), content_lemmas(p.title), f"{names[p.person]} / {p.title}")
        for p in doc.positions
    ]


def overlaps(left: set[tuple[int, int]], right: set[tuple[int, int]]) -> bool:
    return any(a < d and c < b for a, b in left for c, d in right)


def match(gold: list[Pair], predicted: list[Pair]) -> int:
    """Greedy one-to-one matches between gold and predicted pairs."""
    used: set[int] = set()
    found = 0
    for pair in gold:
        for index, guess in enumerate(predicted):
            if index not in used and overlaps(pair.spans, guess.spans) and pair.words & guess.words:
                used.add(index)
                found += 1
                break
    return found


def main(folder: Path, verbose: bool) -> None:
    gold_total = predicted_total = matched = 0
    started = time.perf_counter()
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        gold, predicted = gold_pairs(path.with_suffix(""), text), predicted_pairs(text)
        hits = match(gold, predicted)
        gold_total, predicted_total, matched = (
            gold_total + len(gold),
            predicted_total + len(predicted),
            matched + hits,
        )
        if verbose and (hits < len(gold) or hits < len(predicted)):
            print(path.name, "gold:", [g.label for g in gold], "found:", [p.label for p in predicted])
    precision = matched / predicted_total if predicted_total else 0.0
    recall = matched / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"gold {gold_total}  predicted {predicted_total}  matched {matched}")
    print(f"P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  ({time.perf_counter() - started:.1f}s)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    main(Path(args[0]) if args else DEFAULT, "-v" in sys.argv)
