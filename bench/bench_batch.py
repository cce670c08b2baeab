"""Batch throughput: `letopis.batch` extraction on Dask worker processes, then the bulk load into SQLite
and PostgreSQL, the store's size and search latency at that size.

Run:  .venv/bin/python bench/bench_batch.py [--docs 2000] [--workers 1,2] [--postgres auto|URL]
                                            [--work DIR] [--chunk 1000] [--nerel PATH]

Builds N documents from the NEREL train texts (repeated, each with its own id) as JSONL files of
`--rows-per-file` rows, partitions of `--partition-size` files. Partitions are cut by file, so one big
JSONL file would be one partition on one worker: the corpus is written as several files.

Extraction runs once per worker count (`--workers 1,2`), cluster already up, models loading inside
the clock; prints docs/s, the scaling ratio and peak RSS per worker. With `--work DIR` the corpus,
partitions and stores are kept there, and a later run with the same `--docs` reuses the partitions
already written (extraction is skipped, as `letopis batch` skips them): extract 100k documents once,
then load them as often as needed.

The partitions of the largest worker count are loaded with `Store.add_many` (`--chunk` documents per
transaction, records streamed from Parquet: memory stays bounded; the morphology dictionaries load
before the clock, the store opens within it), then `Store.optimize` runs, timed apart. The load goes
into a new SQLite file and, with `--postgres`, a new PostgreSQL database: `auto` starts a throwaway
cluster as the tests do (tests/postgres_server.py: fsync and synchronous_commit off), a URL names a
server where the bench may create and drop databases. For each store: load docs/s, size on disk
(SQLite file; `pg_database_size`), and p50/p95 of `letopis.store.search` for 10 Russian queries ×
`--repeat` (direct), then of `GET /search?q=…` through `letopis serve` (as bench/bench_web.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
from bench_web import QUERIES, measure, serve

from letopis.batch import (
    dask_client,
    load_partitions,
    pending_partitions,
    plan_partitions,
    run_partitions,
    save_plan,
)
from letopis.nlp.lemmas import lemmatize
from letopis.store import Added, Store, search
from letopis.store.store import DEFAULT_CHUNK

ROOT = Path(__file__).resolve().parent.parent
NEREL = ROOT.parent / "shared" / "data" / "nerel-v1.1" / "train"
PROGRESS_EVERY = 10_000  # documents between two progress lines of a load


def write_corpus(folder: Path, nerel: Path, docs: int, rows_per_file: int) -> None:
    """`docs` NEREL texts (cycled, ids `nerel-<n>`) as JSONL files of `rows_per_file` rows."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(nerel.glob("*.txt"))]
    folder.mkdir(parents=True)
    for first in range(0, docs, rows_per_file):
        rows = (
            json.dumps({"id": f"nerel-{n}", "text": texts[n % len(texts)]}, ensure_ascii=False) + "\n"
            for n in range(first, min(first + rows_per_file, docs))
        )
        (folder / f"corpus-{first // rows_per_file:05d}.jsonl").write_text("".join(rows), encoding="utf-8")


def corpus_in(work: Path, nerel: Path, docs: int, rows_per_file: int) -> Path:
    """The corpus folder in `work`, written unless a previous run left the same one."""
    folder, marker = work / "corpus", work / "corpus.json"
    wanted = {"docs": docs, "rows_per_file": rows_per_file}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return folder
    if folder.exists():
        raise SystemExit(f"{folder} holds another corpus than --docs {docs}: use another --work folder")
    write_corpus(folder, nerel, docs, rows_per_file)
    marker.write_text(json.dumps(wanted))
    return folder


def extract(corpus: Path, out: Path, workers: int, partition_size: int) -> tuple[int, float | None]:
    """Extract the partitions not written yet on `workers` processes and print the rate; (partitions,
    docs/s or None when all were there)."""
    plan = plan_partitions([str(corpus)], partition_size)
    save_plan(plan, str(out))
    parts = pending_partitions(plan, str(out))
    if not parts:
        print(f"{workers} worker(s): all {len(plan)} partitions already in {out}, extraction skipped")
        return len(plan), None
    with dask_client(workers) as client:
        started = time.perf_counter()
        results = run_partitions(plan, parts, str(out), client)
        seconds = time.perf_counter() - started
    docs = sum(r.documents for r in results)
    peaks: dict[int, int] = {}
    for result in results:
        peaks[result.worker] = max(peaks.get(result.worker, 0), result.peak_rss)
    rss = ", ".join(f"{peak / 2**20:.0f} MiB" for peak in peaks.values())
    print(
        f"{workers} worker(s): extracted {docs} docs in {seconds:.1f}s = {docs / seconds:.1f} docs/s; "
        f"peak RSS {rss}",
        flush=True,
    )
    return len(plan), docs / seconds


def load(db: str, out: Path, parts: int, chunk: int) -> tuple[int, float]:
    """Load the partitions into a new store at `db`; print progress and the rate; (documents, seconds)."""
    lemmatize("прогрев")  # the morphology dictionaries load once per process, not inside the clock
    started = time.perf_counter()
    done = 0

    def progress(_: Added) -> None:
        nonlocal done
        done += 1
        if done % PROGRESS_EVERY == 0:
            print(f"  {done} docs, {done / (time.perf_counter() - started):.0f} docs/s", flush=True)

    with Store.open(db) as store:
        counts = load_partitions(store, str(out), parts, progress, chunk)
        seconds = time.perf_counter() - started
        store.optimize()
        optimized = time.perf_counter() - started - seconds
    print(
        f"  bulk load: {done} docs in {seconds:.1f}s = {done / seconds:.0f} docs/s {dict(counts)}, then "
        f"optimised in {optimized:.1f}s; peak RSS of this process "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:.0f} MiB",
        flush=True,
    )
    return done, seconds


def store_size(db: str) -> int:
    """Bytes on disk: the SQLite file (with its WAL), or the PostgreSQL database."""
    if "://" not in db:
        return sum(os.path.getsize(p) for p in Path(db).parent.glob(Path(db).name + "*"))
    with Store.open(db) as store:
        return store.connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def percentiles(timings: list[float]) -> str:
    cuts = statistics.quantiles(timings, n=100)
    return f"p50 {cuts[49]:6.1f} ms  p95 {cuts[94]:6.1f} ms  max {max(timings):6.1f} ms"


def search_latency(db: str, repeat: int) -> list[float]:
    """Milliseconds of `letopis.store.search` for each query `repeat` times (after one warm-up each)."""
    timings = []
    with Store.open(db) as store:
        for query in QUERIES:
            search(store, query)
        for _ in range(repeat):
            for query in QUERIES:
                started = time.perf_counter()
                search(store, query)
                timings.append((time.perf_counter() - started) * 1000)
    return timings


def http_latency(db: str, repeat: int) -> list[float]:
    """Milliseconds of `GET /search?q=…` from `letopis serve` of `db` (loopback), after a warm-up."""
    process, base = serve(db)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            paths = [f"/search?q={query}" for query in QUERIES]
            measure(client, paths, len(paths))
            return measure(client, paths, repeat * len(paths))
    finally:
        process.terminate()
        process.wait(timeout=10)


def report_store(name: str, db: str, docs: int, seconds: float, repeat: int, http: bool) -> None:
    print(f"{name}: load {docs / seconds:.0f} docs/s; store {store_size(db) / 2**20:.1f} MiB", flush=True)
    print(f"  search, direct ({len(QUERIES)} queries × {repeat}):  {percentiles(search_latency(db, repeat))}")
    if http:
        print(f"  GET /search  ({len(QUERIES)} queries × {repeat}):  {percentiles(http_latency(db, repeat))}")


@contextmanager
def postgres_databases(url: str) -> Iterator[Callable[[], str]]:
    """New databases on the server at `url` ("auto": a throwaway cluster), dropped at the end."""
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_server import Server, binaries, throwaway_cluster

    with ExitStack() as stack:
        if url == "auto":
            bin_dir = binaries()
            if bin_dir is None:
                raise SystemExit("--postgres auto: no PostgreSQL binaries (apt-get install postgresql)")
            url = stack.enter_context(throwaway_cluster(bin_dir))
            print("PostgreSQL: a throwaway cluster, fsync and synchronous_commit off")
        server = Server(url, throwaway=False)
        stack.callback(server.drop_all)
        yield server.new_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", default="1,2", help="worker counts to extract with, e.g. 1,2 or 2")
    parser.add_argument("--work", type=Path, help="keep corpus, partitions and stores here (reused)")
    parser.add_argument("--postgres", help="'auto' (a throwaway cluster) or a server URL; else SQLite only")
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help="documents per load transaction")
    parser.add_argument("--repeat", type=int, default=20, help="times each search query is timed")
    parser.add_argument("--no-http", action="store_true", help="skip the search latency through HTTP")
    parser.add_argument("--nerel", type=Path, default=NEREL)
    parser.add_argument("--rows-per-file", type=int, default=50)
    parser.add_argument("--partition-size", type=int, default=1)
    args = parser.parse_args()
    workers = sorted(int(n) for n in args.workers.split(","))
    with ExitStack() as stack:
        work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        work.mkdir(parents=True, exist_ok=True)
        corpus = corpus_in(work, args.nerel, args.docs, args.rows_per_file)
        rates = {}
        for count in workers:
            parts, rates[count] = extract(corpus, work / f"out-{count}", count, args.partition_size)
        first, last = rates[workers[0]], rates[workers[-1]]
        if len(workers) > 1 and first and last:
            print(f"scaling {workers[-1]} vs {workers[0]} workers: {last / first:.2f}x")
        out = work / f"out-{workers[-1]}"
        sqlite = work / "kb.db"
        for path in work.glob("kb.db*"):
            path.unlink()
        print(f"SQLite {sqlite}:", flush=True)
        loaded = load(str(sqlite), out, parts, args.chunk)
        report_store("SQLite", str(sqlite), *loaded, args.repeat, not args.no_http)
        if args.postgres:
            new_database = stack.enter_context(postgres_databases(args.postgres))
            db = new_database()
            print("PostgreSQL:", flush=True)
            loaded = load(db, out, parts, args.chunk)
            report_store("PostgreSQL", db, *loaded, args.repeat, not args.no_http)


if __name__ == "__main__":
    main()
