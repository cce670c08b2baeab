"""Ingest throughput: letopis (extract, and extract + store) against Natasha, on the same texts.

Run:  .venv/bin/python bench/bench_ingest.py [--rounds 3] [--systems natasha,letopis] [--nerel PATH]
      [--samples-times 100]

Each system runs in a fresh process, so its peak RSS is its own, with its models loaded and warmed up
on the first text outside the clock. Every process gets one core: BLAS is pinned to one thread
(OPENBLAS/OMP/MKL_NUM_THREADS=1, as Dask gives its workers), since on a shared machine OpenBLAS's
spinning threads slow the NER tagger two- to threefold and make the numbers depend on the neighbours.
The systems run in turn, in a different order each round; the ratio letopis / system is taken within
each round and the median over the rounds printed, next to docs/s by wall clock and by CPU time
(CPU time moves less when other processes share the machine).

Systems: `natasha` (the NER tagger alone, one call per text: it tokenises with razdel inside),
`natasha_morph` (Natasha's documented pipeline for names with normal forms: segment, morphology,
NER, normalise), `letopis` (every extraction stage, documents in batches as `letopis ingest` runs
them) and `letopis_store` (the same, then each document added to a SQLite store).
The samples corpus repeats two articles, which favours letopis's caches; NEREL train is the fair one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def texts_from(kind: str, arg: str) -> list[str]:
    if kind == "samples":
        base = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
        return base * int(arg)
    return [p.read_text(encoding="utf-8") for p in sorted(Path(arg).glob("*.txt"))]


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) that `run` takes."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def run_natasha(texts: list[str]) -> tuple[float, float]:
    from natasha import NewsEmbedding, NewsNERTagger

    tagger = NewsNERTagger(NewsEmbedding())
    tagger(texts[0])  # warm-up outside the clock, as for letopis

    def every() -> None:
        for text in texts:
            tagger(text)

    return timed(every)


def run_natasha_morph(texts: list[str]) -> tuple[float, float]:
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
    return timed(lambda: [one(text) for text in texts])


def _documents(texts: list[str]) -> list:
    from letopis.model import Document, document_id

    names = [f"bench-{number}.txt" for number in range(len(texts))]
    return [Document(id=document_id(n, t), source=n, text=t) for n, t in zip(names, texts, strict=True)]


def run_letopis(texts: list[str]) -> tuple[float, float]:
    from letopis.model import Document
    from letopis.nlp.pipeline import default_stages, extract, extract_all

    stages = default_stages()
    extract(Document(id="warm", source="warm", text=texts[0]), stages)
    docs = _documents(texts)
    return timed(lambda: list(extract_all(docs, stages)))


def run_letopis_store(texts: list[str]) -> tuple[float, float]:
    from letopis.model import Document
    from letopis.nlp.pipeline import default_stages, extract, extract_all
    from letopis.store import Store

    stages = default_stages()
    extract(Document(id="warm", source="warm", text=texts[0]), stages)
    docs = _documents(texts)
    with tempfile.TemporaryDirectory() as tmp, Store.open(str(Path(tmp) / "bench.db")) as store:

        def every() -> None:
            for doc in extract_all(docs, stages):
                store.add(doc)

        return timed(every)


SYSTEMS = {
    "natasha": ("Natasha NER only", run_natasha),
    "natasha_morph": ("Natasha NER+morph+normal", run_natasha_morph),
    "letopis": ("letopis extract", run_letopis),
    "letopis_store": ("letopis extract+store", run_letopis_store),
}
LETOPIS = "letopis"


def child(system: str, kind: str, arg: str) -> None:
    texts = texts_from(kind, arg)
    wall, cpu = SYSTEMS[system][1](texts)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"docs": len(texts), "wall": wall, "cpu": cpu, "rss_mb": rss_mb}))


def measure(system: str, kind: str, arg: str) -> dict:
    cmd = [sys.executable, __file__, "--child", system, kind, arg]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env={**os.environ, **ONE_THREAD})
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(kind: str, arg: str, label: str, systems: list[str], rounds: int) -> None:
    runs: dict[str, list[dict]] = {s: [] for s in systems}
    for number in range(rounds):
        shift = number % len(systems)
        for system in systems[shift:] + systems[:shift]:  # each system goes first in some round
            runs[system].append(measure(system, kind, arg))
    for system in systems:
        rs = runs[system]
        wall = statistics.median(r["docs"] / r["wall"] for r in rs)
        cpu = statistics.median(r["docs"] / r["cpu"] for r in rs)
        rss = max(r["rss_mb"] for r in rs)
        print(f"{label:<14}{SYSTEMS[system][0]:<26}{rs[0]['docs']:>6}{wall:>9.1f}{cpu:>9.1f}{rss:>9.0f}")
    if LETOPIS not in systems:
        return
    for system in systems:
        if system == LETOPIS:
            continue
        pairs = list(zip(runs[system], runs[LETOPIS], strict=True))
        wall = statistics.median(other["wall"] / ours["wall"] for other, ours in pairs)
        cpu = statistics.median(other["cpu"] / ours["cpu"] for other, ours in pairs)
        print(f"{label:<14}{'letopis extract / ' + SYSTEMS[system][0]:<50}{wall:>5.2f}x{cpu:>8.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples-times", default="100", help="0 leaves the samples corpus out")
    parser.add_argument("--nerel", default=str(ROOT.parent / "shared/data/nerel-v1.1/train"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    systems = args.systems.split(",")
    corpora = []
    if args.samples_times != "0":
        corpora.append(("samples", args.samples_times, f"samples x{args.samples_times}"))
    if Path(args.nerel).is_dir():
        corpora.append(("nerel", args.nerel, "NEREL train"))
    print(f"{'corpus':<14}{'system':<26}{'docs':>6}{'docs/s':>9}{'CPU d/s':>9}{'RSS MB':>9}")
    print(f"(median of {args.rounds} rounds; one process, one BLAS thread each; ratio > 1: letopis faster)")
    for kind, arg, label in corpora:
        compare(kind, arg, label, systems, args.rounds)


if __name__ == "__main__":
    main()
