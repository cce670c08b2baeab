"""Ingest throughput: letopis (extract + store) against Natasha NER alone, on the same texts.

Run:  .venv/bin/python bench/bench_ingest.py [--samples-times 100] [--nerel PATH]
Prints docs/s and peak RSS for each part. Each part runs in a fresh process so peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts_from(kind: str, arg: str) -> list[str]:
    if kind == "samples":
        base = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
        return base * int(arg)
    return [p.read_text(encoding="utf-8") for p in sorted(Path(arg).glob("*.txt"))]


def run_natasha(texts: list[str]) -> float:
    from natasha import NewsEmbedding, NewsNERTagger

    tagger = NewsNERTagger(NewsEmbedding())
    tagger(texts[0])  # warm-up outside the clock, as for letopis
    started = time.perf_counter()
    for text in texts:
        tagger(text)
    return time.perf_counter() - started


def run_natasha_morph(texts: list[str]) -> float:
    """Natasha as documented for names with normal forms: segment, morphology, NER, normalise spans."""
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    embedding = NewsEmbedding()
    segmenter, vocab = Segmenter(), MorphVocab()
    morph, ner = NewsMorphTagger(embedding), NewsNERTagger(embedding)

    def one(text: str) -> None:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.tag_ner(ner)
        for span in doc.spans:
            span.normalize(vocab)

    one(texts[0])
    started = time.perf_counter()
    for text in texts:
        one(text)
    return time.perf_counter() - started


SYSTEMS = {
    "natasha": ("Natasha NER only", run_natasha),
    "natasha_morph": ("Natasha NER+morph+normal", run_natasha_morph),
}


def run_letopis(texts: list[str]) -> float:
    from letopis.model import Document, document_id
    from letopis.nlp.pipeline import default_stages, extract
    from letopis.store import Store

    stages = default_stages()
    extract(Document(id="warm", source="warm", text=texts[0]), stages)
    with tempfile.TemporaryDirectory() as tmp, Store.open(str(Path(tmp) / "bench.db")) as store:
        started = time.perf_counter()
        for number, text in enumerate(texts):
            name = f"bench-{number}.txt"
            doc = Document(id=document_id(name, text), source=name, text=text)
            store.add(extract(doc, stages))
        return time.perf_counter() - started


def child(system: str, kind: str, arg: str) -> None:
    texts = texts_from(kind, arg)
    seconds = SYSTEMS[system][1](texts) if system in SYSTEMS else run_letopis(texts)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"docs": len(texts), "seconds": seconds, "rss_mb": rss_mb}))


def measure(system: str, kind: str, arg: str) -> dict:
    cmd = [sys.executable, __file__, "--child", system, kind, arg]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples-times", default="100")
    parser.add_argument("--nerel", default=str(ROOT.parent / "shared/data/nerel-v1.1/train"))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    corpora = [("samples", args.samples_times, f"samples x{args.samples_times}")]
    if Path(args.nerel).is_dir():
        corpora.append(("nerel", args.nerel, "NEREL train"))
    print(f"{'corpus':<16}{'system':<26}{'docs':>6}{'docs/s':>10}{'peak RSS MB':>13}")
    print("(one process per row, one core each; the machine's other load shifts absolute numbers)")
    for kind, arg, label in corpora:
        results = {}
        names = [(key, name) for key, (name, _) in SYSTEMS.items()] + [("letopis", "letopis extract+store")]
        for system, name in names:
            r = results[system] = measure(system, kind, arg)
            rate = r["docs"] / r["seconds"]
            print(f"{label:<16}{name:<26}{r['docs']:>6}{rate:>10.1f}{r['rss_mb']:>13.0f}")
        for system, name in names[:-1]:
            ratio = results[system]["seconds"] / results["letopis"]["seconds"]
            print(f"{label:<16}{'letopis / ' + name:<42}{ratio:>5.2f}x")


if __name__ == "__main__":
    main()
