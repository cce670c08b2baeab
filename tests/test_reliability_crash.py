"""Crash safety: `letopis ingest` killed with SIGKILL mid-batch leaves a store whose every document is
complete, and running it again stores the rest exactly once."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import make_fuzz_corpus  # noqa: E402 - bench/ is not a package

ARTICLES = 400  # short ones, 40-100 a second once the models are loaded: three kills cannot reach the end
TRIALS = 3
SEED = 1303
# Each fact list of the contract record and the table that holds its rows (mentions have none: the
# record holds them, migration 0006).
FACT_TABLES = {
    "entities": "doc_entities",
    "positions": "positions",
    "quotes": "quotes",
    "dates": "dates",
    "events": "events",
    "topics": "topics",
}


def ingest(folder: Path, db: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "letopis", "ingest", str(folder), "--db", str(db)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stored_documents(db: Path) -> int:
    """Documents committed so far, read as another process would (0 before the store exists)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def wait_for_more_documents(db: Path, than: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while stored_documents(db) <= than:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "ingest stored nothing"
        time.sleep(0.05)


def inconsistencies(db: Path) -> list[str]:
    """What is wrong with the store: the integrity check's complaints and every incomplete document."""
    with sqlite3.connect(db) as connection:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in connection.execute("PRAGMA foreign_key_check")]
        for doc_id, seq, record in connection.execute("SELECT id, seq, record FROM documents"):
            facts = json.loads(record)
            for field, table in FACT_TABLES.items():
                rows = connection.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", (doc_id,))
                if rows.fetchone()[0] != len(facts[field]):
                    problems.append(f"{doc_id}: {table} rows differ from the record's {field}")
            indexed = connection.execute("SELECT count(*) FROM documents_fts WHERE rowid = ?", (seq,))
            if indexed.fetchone()[0] != 1:
                problems.append(f"{doc_id}: not in the full-text index")
    return problems


def test_killed_ingest_leaves_complete_documents_and_a_rerun_stores_the_rest_once(tmp_path: Path) -> None:
    folder, db = tmp_path / "articles", tmp_path / "kb.db"
    make_fuzz_corpus.write_articles(folder, ARTICLES)
    rng = random.Random(SEED)
    stored = 0
    for _ in range(TRIALS):
        process = ingest(folder, db)
        wait_for_more_documents(db, stored, process)
        time.sleep(rng.uniform(0.0, 0.25))  # land the kill anywhere, inside a transaction too
        assert process.poll() is None, "ingest finished before it could be killed"
        process.kill()
        process.wait(timeout=10)
        assert inconsistencies(db) == []
        stored = stored_documents(db)
        assert stored < ARTICLES
    rerun = ingest(folder, db)
    _, stderr = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, stderr.decode()
    assert inconsistencies(db) == []
    with sqlite3.connect(db) as connection:
        counts = connection.execute("SELECT count(*), count(DISTINCT source_key) FROM documents").fetchone()
    assert counts == (ARTICLES, ARTICLES)
