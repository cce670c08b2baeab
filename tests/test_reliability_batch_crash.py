"""Crash safety of `letopis batch`: SIGKILL during extraction (its Dask worker processes die with it) and
during the load leaves only complete Parquet partitions and a store whose every document is complete;
a rerun finishes the rest exactly once and gives the store an uninterrupted run gives."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest

from letopis.batch import extract_partition, load_partitions, plan_partitions, save_plan
from letopis.store import Store
from test_reliability_crash import inconsistencies, stored_documents

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import make_fuzz_corpus  # noqa: E402 - bench/ is not a package

ARTICLES = 60
PARTITION_SIZE = 3
PARTS = ARTICLES // PARTITION_SIZE
LOAD_CHUNK = 3  # documents per load transaction: small, so that a kill can land between two
SEED = 1907
LOAD_SLICE_SECONDS = 0.0005  # how long the load runs between two counts of the store
# Where each trial's kill lands; each trial resumes what the one before it left.
PHASES = ("extract", "extract", "load", "load")
# Columns that differ between two runs of the same batch: when a row was written.
CLOCK_COLUMNS = {"ingested_at", "at"}


def batch(folder: Path, out: Path, db: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "letopis", "batch", str(folder), "--out", str(out), "--db", str(db)]
    command += ["--workers", "2", "--partition-size", str(PARTITION_SIZE), "--load-chunk", str(LOAD_CHUNK)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def done_partitions(out: Path) -> list[Path]:
    return sorted((out / "partitions").glob("part-*.parquet"))


def wait_until(condition: Callable[[], bool], process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"batch ended first: {process.stderr.read().decode()}"
        assert time.monotonic() < deadline, "batch made no progress"
        time.sleep(0.01)


def stop_when_stored(db: Path, target: int, process: subprocess.Popen, seconds: float = 120) -> None:
    """Leave `process` stopped (SIGSTOP) with at least `target` documents in the store, letting it run
    in slices of a fraction of a millisecond and counting while it is stopped. A load of a few short
    documents a transaction commits one every few milliseconds (the whole 60 in ~30 ms): counting
    while it runs, it could commit the rest between the count and the kill."""
    deadline = time.monotonic() + seconds
    while True:
        process.send_signal(signal.SIGSTOP)
        while psutil.Process(process.pid).status() != psutil.STATUS_STOPPED:
            assert process.poll() is None, f"batch ended first: {process.stderr.read().decode()}"
        if stored_documents(db) >= target:
            return
        assert time.monotonic() < deadline, "batch made no progress"
        process.send_signal(signal.SIGCONT)
        time.sleep(LOAD_SLICE_SECONDS)


def kill_with_its_workers(process: subprocess.Popen) -> list[psutil.Process]:
    """SIGKILL the batch process alone (not its process group); the processes it had started. It is
    stopped first, so that it loads nothing more while they are listed: a load of a few short
    documents a transaction could otherwise finish in that time, and the kill land after it."""
    process.send_signal(signal.SIGSTOP)
    children = psutil.Process(process.pid).children(recursive=True)
    process.kill()
    process.wait(timeout=10)
    return children


def survivors(processes: list[psutil.Process], seconds: float = 15) -> list[int]:
    """The pids of `processes` still running after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        alive = [p.pid for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def partition_problems(out: Path, reference: Path) -> list[str]:
    """Each Parquet partition present that is not the whole partition an uninterrupted run writes."""
    problems = []
    for path in done_partitions(out):
        try:
            table = pq.read_table(path)
        except OSError as error:  # pyarrow's ArrowInvalid is an OSError too
            problems.append(f"{path.name}: unreadable: {error}")
            continue
        if not table.equals(pq.read_table(reference / "partitions" / path.name)):
            problems.append(f"{path.name}: differs from the uninterrupted run's")
    return problems


def store_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (full-text indexes too), without the columns that hold a clock time."""
    with sqlite3.connect(db) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE '%_fts_%' ORDER BY name"
            )
        ]
        rows = {}
        for table in tables:
            cursor = connection.execute(f"SELECT rowid, * FROM {table}")
            kept = [i for i, column in enumerate(cursor.description) if column[0] not in CLOCK_COLUMNS]
            rows[table] = sorted((tuple(row[i] for i in kept) for row in cursor), key=repr)
    return rows


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch-crash") / "articles"
    make_fuzz_corpus.write_articles(folder, ARTICLES, seed=SEED)
    return folder


@pytest.fixture(scope="module")
def uninterrupted(articles: Path) -> tuple[Path, Path]:
    """The out folder and store of the same batch run in this process, uninterrupted, without Dask."""
    out, db = articles.parent / "reference-out", articles.parent / "reference.db"
    plan = plan_partitions([str(articles)], PARTITION_SIZE)
    assert len(plan) == PARTS
    save_plan(plan, str(out))
    for part, files in enumerate(plan):
        extract_partition(files, part, str(out))
    with Store.open(db) as store:
        load_partitions(store, str(out), len(plan))
    return out, db


def test_killed_batch_leaves_whole_partitions_and_a_rerun_gives_the_uninterrupted_store(
    articles: Path, uninterrupted: tuple[Path, Path]
) -> None:
    reference_out, reference_db = uninterrupted
    out, db = articles.parent / "out", articles.parent / "kb.db"
    rng = random.Random(SEED)
    for phase in PHASES:
        process = batch(articles, out, db)
        if phase == "extract":
            target = len(done_partitions(out)) + rng.randint(1, (PARTS - len(done_partitions(out))) // 2)
            wait_until(lambda: len(done_partitions(out)) >= target, process)  # noqa: B023 - called at once
            workers = kill_with_its_workers(process)
        else:
            target = stored_documents(db) + rng.randint(1, (ARTICLES - stored_documents(db)) // 2)
            stop_when_stored(db, target, process)
            workers = kill_with_its_workers(process)
        assert survivors(workers) == []
        assert partition_problems(out, reference_out) == []
        if phase == "extract":
            assert len(done_partitions(out)) < PARTS, "the kill landed after extraction"
        else:
            assert inconsistencies(db) == []
            assert stored_documents(db) < ARTICLES, "the kill landed after the load"
    rerun = batch(articles, out, db)
    _, stderr = rerun.communicate(timeout=180)
    assert rerun.returncode == 0, stderr.decode()
    assert partition_problems(out, reference_out) == []
    assert len(done_partitions(out)) == PARTS
    assert sorted(p.name for p in out.rglob(".*")) == []  # no temporary file left behind
    assert inconsistencies(db) == []
    assert store_rows(db) == store_rows(reference_db)


def test_a_rerun_deletes_the_temporary_files_a_killed_run_left(articles: Path, tmp_path: Path) -> None:
    plan = plan_partitions([str(articles)], PARTITION_SIZE)
    save_plan(plan, str(tmp_path))
    left = tmp_path / "partitions" / ".part-00000.parquet.k1ll3d.tmp"
    left.write_bytes(b"PAR1 half")
    save_plan(plan, str(tmp_path))
    assert not left.exists()
    assert done_partitions(tmp_path) == []
