"""Batch throughput: `letopis.batch` on 1 and 2 Dask worker processes, then the bulk load into SQLite.

Run:  .venv/bin/python bench/bench_batch.py [--docs 2000] [--nerel PATH] [--rows-per-file 50]
Builds N documents from the NEREL train texts (repeated, each with its own id) as JSONL files of
`--rows-per-file` rows, partitions of `--partition-size` files. Partitions are cut by file, so one big
JSONL file would be one partition on one worker: the corpus is written as several files.
Prints docs/s per worker count (extraction only, cluster already up; models load inside the clock),
the scaling ratio, peak RSS per worker process, the bulk-load time and the store's size.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from letopis.batch import dask_client, load_partitions, plan_partitions, run_partitions, save_plan
from letopis.store import Store

NEREL = Path("/work/shared/data/nerel-v1.1/train")


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


def run(corpus: Path, out: Path, workers: int, partition_size: int) -> tuple[float, int, dict[int, int]]:
    """(seconds, documents, peak RSS in bytes by worker pid) for one batch run on `workers` processes."""
    plan = plan_partitions([str(corpus)], partition_size)
    save_plan(plan, str(out))
    with dask_client(workers) as client:
        started = time.perf_counter()
        results = run_partitions(plan, list(range(len(plan))), str(out), client)
        seconds = time.perf_counter() - started
    peaks: dict[int, int] = {}
    for result in results:
        peaks[result.worker] = max(peaks.get(result.worker, 0), result.peak_rss)
    return seconds, sum(r.documents for r in results), peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--nerel", type=Path, default=NEREL)
    parser.add_argument("--rows-per-file", type=int, default=50)
    parser.add_argument("--partition-size", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp, "corpus")
        write_corpus(corpus, args.nerel, args.docs, args.rows_per_file)
        rates = {}
        for workers in (1, 2):
            out = Path(tmp, f"out-{workers}")
            seconds, docs, peaks = run(corpus, out, workers, args.partition_size)
            rates[workers] = docs / seconds
            rss = ", ".join(f"{peak / 2**20:.0f} MiB" for peak in peaks.values())
            print(
                f"{workers} worker(s): {docs} docs in {seconds:.1f}s = {rates[workers]:.1f} docs/s; "
                f"peak RSS {rss}"
            )
        print(f"scaling 2 vs 1 workers: {rates[2] / rates[1]:.2f}x")
        db = Path(tmp, "kb.db")
        partitions = len(list((out / "partitions").glob("*.parquet")))
        started = time.perf_counter()
        with Store.open(db) as store:
            counts = load_partitions(store, str(out), partitions)
        seconds = time.perf_counter() - started
        size = sum(os.path.getsize(p) for p in Path(tmp).glob("kb.db*"))
        print(
            f"bulk load: {sum(counts.values())} docs in {seconds:.1f}s "
            f"({sum(counts.values()) / seconds:.1f} docs/s) {dict(counts)}; store {size / 2**20:.1f} MiB"
        )


if __name__ == "__main__":
    main()
