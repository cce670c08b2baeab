"""The hostile corpus through `letopis ingest`: is every unit stored or reported, is the store sound.

Run:  .venv/bin/python bench/bench_fuzz.py [--out /tmp/letopis-fuzz] [--count 1000] [--fast]

Writes bench/make_fuzz_corpus.py's corpus (full mode: long lines of 200,000 characters, HTML nested
10,000 deep and one 50 MB text file) to `--out`/corpus, ingests it with `letopis ingest` into
`--out`/fuzz.db in a subprocess, and prints files, units, stored, reported and lost (must be 0), the
files that do not add up, `PRAGMA integrity_check`, the wall time and the ingest's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import make_fuzz_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/letopis-fuzz"))
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--fast", action="store_true", help="short long lines, no 50 MB file")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    corpus, db = args.out / "corpus", args.out / "fuzz.db"
    mode = "fast" if args.fast else "full"
    manifest = make_fuzz_corpus.write_corpus(corpus, args.count, mode, big=not args.fast)
    print(f"wrote {len(manifest['files'])} files, {manifest['units']} units -> {corpus}", flush=True)
    started = time.perf_counter()
    ingest = subprocess.run(
        [sys.executable, "-m", "letopis", "ingest", str(corpus), "--db", str(db)],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    (args.out / "ingest.stderr").write_text(ingest.stderr, encoding="utf-8")
    with sqlite3.connect(db) as connection:
        sources = [source for (source,) in connection.execute("SELECT source FROM documents")]
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    accounted = make_fuzz_corpus.account(manifest, ingest.stderr, sources)
    summary = ingest.stdout.strip().splitlines()[-1:] or ["(no summary)"]
    print(f"ingest exit code {ingest.returncode}: {summary[0]}")
    print(
        f"files {accounted['files']}, units {accounted['units']}, stored {accounted['stored']}, "
        f"reported {accounted['reported']}, lost {accounted['lost']}"
    )
    if accounted["differ"]:
        print("files that do not add up:", json.dumps(accounted["differ"], ensure_ascii=False, indent=1))
    print(f"integrity_check: {', '.join(integrity)}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux reports KiB
    print(f"wall time {seconds:.1f} s, peak RSS {peak:.0f} MB; errors in {args.out / 'ingest.stderr'}")


if __name__ == "__main__":
    main()
