"""Latency of the web UI on a large store: p50/p95 of `/search?q=…` and `/entity/ID` over loopback.

Run:  .venv/bin/python bench/bench_web.py [--docs 10000] [--distinct 100] [--requests 500] [--db PATH]

Builds a store of `--docs` documents: the two samples and the first NEREL train texts (when
../shared/data/nerel-v1.1/train is there) run once through the pipeline, then added again and again
with new ids, sources and publication dates spread over 2015–2026. With `--db` naming an existing
store, that store is used as it is. Then `letopis serve` runs on a free 127.0.0.1 port and each route
gets `--requests` sequential requests (bounded: loopback only, stops by itself); prints milliseconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
NEREL_TRAIN = ROOT.parent / "shared" / "data" / "nerel-v1.1" / "train"
QUERIES = [
    "Балаевой",
    "референдум",
    "президент",
    "министр иностранных дел",
    "Москва",
    "устойчивого развития",
    "встреча",
    "компания",
    "суд",
    "выборы",
]


def texts(distinct: int) -> list[tuple[str, str | None]]:
    """(text, published) of the samples and up to `distinct` NEREL train texts."""
    from letopis.sources.text import read_text

    found = []
    for path in sorted((ROOT / "samples").glob("*.txt")):
        doc = read_text(path.read_text(encoding="utf-8"), str(path))
        found.append((doc.text, doc.published))
    for path in sorted(NEREL_TRAIN.glob("*.txt"))[:distinct]:
        found.append((path.read_text(encoding="utf-8"), None))
    return found


def extracted(distinct: int) -> list:
    from letopis.model import Document, document_id
    from letopis.nlp.pipeline import default_stages, extract

    stages = default_stages()
    docs = []
    started = time.perf_counter()
    for number, (text, published) in enumerate(texts(distinct)):
        doc = Document(
            id=document_id(f"base-{number}", text),
            source=f"base-{number}.txt",
            text=text,
            published=published,
        )
        docs.append(extract(doc, stages))
    print(f"extracted {len(docs)} distinct documents in {time.perf_counter() - started:.1f}s", flush=True)
    return docs


def build(db: str, count: int, distinct: int) -> None:
    """Add `count` copies of the extracted documents, each with its own id, source and date."""
    from letopis.store import Store

    base = extracted(distinct)
    days = random.Random(7)
    started = time.perf_counter()
    with Store.open(db) as store:
        for number in range(count):
            doc = base[number % len(base)]
            published = f"{days.randint(2015, 2026)}-{days.randint(1, 12):02d}-{days.randint(1, 28):02d}"
            copy = dataclasses.replace(
                doc,
                id=f"bench-{number:06d}",
                source=f"bench/{number // 1000}/{number}.txt",
                published=published,
            )
            store.add(copy)
            if (number + 1) % 1000 == 0:
                rate = (number + 1) / (time.perf_counter() - started)
                print(f"  stored {number + 1} documents ({rate:.0f} docs/s)", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "letopis", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/index.json", timeout=5)
            return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("letopis serve did not start")


def measure(client: httpx.Client, paths: list[str], requests: int) -> list[float]:
    """Milliseconds of `requests` GETs, cycling through `paths`; every answer must be a 200."""
    timings = []
    for number in range(requests):
        started = time.perf_counter()
        response = client.get(paths[number % len(paths)])
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{paths[number % len(paths)]}: HTTP {response.status_code}")
    return timings


def report(name: str, timings: list[float]) -> None:
    cuts = statistics.quantiles(timings, n=100)
    print(
        f"{name:<36} n={len(timings)}  p50={cuts[49]:7.1f} ms  p95={cuts[94]:7.1f} ms"
        f"  max={max(timings):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=100, help="NEREL texts extracted (then repeated)")
    parser.add_argument("--requests", type=int, default=500, help="requests per route")
    parser.add_argument("--db", help="store to use (built there when missing)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        if not Path(db).exists():
            build(db, args.docs, args.distinct)
        process, base = serve(db)
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                summary = client.get("/index.json").json()["summary"]
                print(
                    f"store: {summary['documents']} documents, {summary['mentions']} mentions, "
                    f"entities {summary['entities_by_type']}"
                )
                entities = [
                    e["id"] for e in client.get("/api/entities", params={"limit": 200}).json()["items"]
                ]
                sampled = entities[:20] + random.Random(1).sample(entities, min(30, len(entities)))
                measure(
                    client, ["/search?q=" + q for q in QUERIES] + [f"/entity/{e}" for e in sampled[:5]], 20
                )
                report(
                    "GET /search?q=… (10 queries)",
                    measure(client, [f"/search?q={q}" for q in QUERIES], args.requests),
                )
                report(
                    "GET /entity/ID (50 entities)",
                    measure(client, [f"/entity/{e}" for e in sampled], args.requests),
                )
                report(
                    "GET /entity/ID (the most mentioned)",
                    measure(client, [f"/entity/{entities[0]}"], max(50, args.requests // 10)),
                )
                report(
                    "GET /api/search?q=…",
                    measure(client, [f"/api/search?q={q}" for q in QUERIES], max(50, args.requests // 5)),
                )
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
