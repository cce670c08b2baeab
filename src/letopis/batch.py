"""Batch extraction with Dask: input files -> partitions -> extract in worker processes -> Parquet -> store.

Example:
    plan = plan_partitions(["corpus/"], size=200)
    extract_partitions(plan, "out/", workers=4)     # or scheduler="tcp://host:8786"
    with Store.open("letopis.db") as store:
        load_partitions(store, "out/", len(plan))
        store.optimize()                            # PostgreSQL: statistics, search index merged

Each partition writes `partitions/part-NNNNN.parquet` (id, source, published, `record`, the
contract JSON, and what storing a record computes from it alone: its content hash, full-text
lemmas and the resolution context of its entities, computed here in parallel rather than by the
load's single writer; partitions written before the context column still load) and
`errors/part-NNNNN.jsonl` (source, reason per unreadable document). The Parquet file is renamed
into place last, so its presence means the partition is done: a rerun skips it. Every file is
written to a hidden temporary file, flushed to disk and renamed; a killed run leaves at most such
temporary files, which the next run deletes. The load adds the records with
`Store.add_many`, a chunk of documents per transaction, so a killed load leaves whole chunks and a
rerun adds the rest (the others are duplicates). The out folder must be shared by all workers when
they run on other machines.
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from letopis.errors import LetopisError, SourceError
from letopis.kb.resolution import DocumentContext
from letopis.model import Document
from letopis.nlp.lemmas import SEARCH_LEMMAS_VERSION
from letopis.sources import FOLDER_EXTENSIONS, STDIN, document_name, iter_documents
from letopis.store import Added, Store
from letopis.store.store import DEFAULT_CHUNK, ReadyRecord, ready_record

DEFAULT_PARTITION_SIZE = 200
PLAN_FILE = "plan.json"
PARTITIONS = "partitions"
ERRORS = "errors"
TEMPORARY_SUFFIX = ".tmp"
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}  # dask_client says why
READY_COLUMNS = ("content_hash", "title_lemmas", "body_lemmas")  # a partition's columns beside the record
# The partition's metadata key for the version of its lemmas (letopis.nlp.lemmas.search_lemmas): the
# load makes again the lemmas of a partition without it or of another version.
LEMMAS_VERSION_KEY = "letopis_search_lemmas"
CONTEXT_COLUMN = "resolution_context"  # JSON of kb.resolution.DocumentContext; not in older partitions


class BatchError(LetopisError):
    """A batch cannot run: stdin as input, or an out folder holding another batch."""


@dataclass
class PartitionResult:
    """What one partition produced, and the worker process that produced it."""

    part: int
    documents: int
    errors: int
    seconds: float
    worker: int  # process id
    peak_rss: int  # bytes, the worker process's peak resident set so far


# --- planning ------------------------------------------------------------------------------------


def list_input_files(paths: Iterable[str]) -> list[str]:
    """Every file `iter_documents` would read for `paths`, sorted; a folder it cannot list stays as is.

    Missing paths are kept too, so the worker reports them as `SourceError`s like `extract` does.
    """
    files: set[str] = set()
    for path in paths:
        if path == STDIN:
            raise BatchError("batch cannot read standard input (-): pass files or folders")
        files.update(_files_under(path) if os.path.isdir(path) else [path])
    return sorted(files)


def _files_under(folder: str) -> list[str]:
    """Files `letopis.sources.read_folder` reads under `folder` (same extensions, hidden names skipped)."""
    found: list[str] = []
    seen = {os.path.realpath(folder)}
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as scan:
                entries = [entry for entry in scan if not entry.name.startswith(".")]
        except OSError:
            found.append(current)  # read there again, the worker reports why it cannot be listed
            continue
        for entry in entries:
            path = os.path.join(current, entry.name)
            if entry.is_dir():
                if os.path.realpath(path) not in seen:
                    seen.add(os.path.realpath(path))
                    pending.append(path)
            elif os.path.splitext(entry.name)[1].lower() in FOLDER_EXTENSIONS:
                found.append(path)
    return found


def plan_partitions(paths: Iterable[str], size: int = DEFAULT_PARTITION_SIZE) -> list[list[str]]:
    """The sorted input files cut into lists of `size`: the same inputs always give the same partitions."""
    if size < 1:
        raise BatchError(f"partition size must be at least 1, not {size}")
    files = list_input_files(paths)
    return [files[i : i + size] for i in range(0, len(files), size)]


def save_plan(plan: list[list[str]], out_dir: str) -> None:
    """Write the plan beside the partitions; refuse an out folder that holds a batch of other inputs."""
    path = Path(out_dir, PLAN_FILE)
    if path.exists() and json.loads(path.read_text(encoding="utf-8")) != plan:
        raise BatchError(f"{out_dir} holds a batch of other inputs: use a new --out folder")
    for folder in (PARTITIONS, ERRORS):
        Path(out_dir, folder).mkdir(parents=True, exist_ok=True)
    remove_temporary_files(out_dir)
    _write_atomically(path, lambda file: file.write(json.dumps(plan, ensure_ascii=False).encode("utf-8")))


def remove_temporary_files(out_dir: str) -> list[Path]:
    """Delete the half-written files a killed run left (never counted as done); return their paths."""
    left = [
        path
        for folder in (Path(out_dir), Path(out_dir, PARTITIONS), Path(out_dir, ERRORS))
        for path in folder.glob(f".*{TEMPORARY_SUFFIX}")
    ]
    for path in left:
        path.unlink(missing_ok=True)
    return left


def partition_path(out_dir: str, part: int) -> Path:
    return Path(out_dir, PARTITIONS, f"part-{part:05d}.parquet")


def errors_path(out_dir: str, part: int) -> Path:
    return Path(out_dir, ERRORS, f"part-{part:05d}.jsonl")


def pending_partitions(plan: list[list[str]], out_dir: str) -> list[int]:
    """Partitions whose Parquet file is not there yet."""
    return [part for part in range(len(plan)) if not partition_path(out_dir, part).exists()]


# --- running on the workers ----------------------------------------------------------------------


def extract_partition(files: list[str], part: int, out_dir: str) -> PartitionResult:
    """Read and extract one partition's files; write its errors, then its Parquet file (atomically)."""
    from letopis.nlp.pipeline import default_stages, extract_within, prepared

    started = time.perf_counter()
    stages = default_stages()  # the models behind them load once per process, on first use
    docs: list[Document] = []
    errors: list[SourceError] = []
    for item in prepared(iter_documents(files), stages):
        if isinstance(item, SourceError):
            errors.append(item)
            continue
        try:
            docs.append(extract_within(item, stages))
        except LetopisError as error:  # one document given up (too slow, …) does not stop its partition
            errors.append(
                SourceError(document_name(item), str(error).removeprefix(f"{document_name(item)}: "))
            )
    lines = "".join(
        json.dumps({"source": e.source, "reason": e.reason}, ensure_ascii=False) + "\n" for e in errors
    )
    _write_atomically(errors_path(out_dir, part), lambda file: file.write(lines.encode("utf-8")))
    _write_parquet(docs, partition_path(out_dir, part))
    return PartitionResult(
        part=part,
        documents=len(docs),
        errors=len(errors),
        seconds=time.perf_counter() - started,
        worker=os.getpid(),
        peak_rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,  # Linux reports KiB
    )


def _write_parquet(docs: list[Document], path: Path) -> None:
    """The partition's records, each with what storing it computes from it alone (`ready_record`:
    content hash, full-text lemmas), so the bulk load's single writer need not."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ready = [ready_record(d) for d in docs]
    table = pa.table(
        {
            "id": pa.array([d.id for d in docs], pa.string()),
            "source": pa.array([d.source for d in docs], pa.string()),
            "published": pa.array([d.published for d in docs], pa.string()),
            "record": pa.array([json.dumps(r.record, ensure_ascii=False) for r in ready], pa.string()),
            "content_hash": pa.array([r.digest for r in ready], pa.string()),
            "title_lemmas": pa.array([r.index[0] for r in ready], pa.string()),
            "body_lemmas": pa.array([r.index[1] for r in ready], pa.string()),
            CONTEXT_COLUMN: pa.array([_context_json(r.context) for r in ready], pa.string()),
        },
        metadata={LEMMAS_VERSION_KEY: str(SEARCH_LEMMAS_VERSION)},
    )
    _write_atomically(path, lambda file: pq.write_table(table, file))


def _context_json(context: DocumentContext | None) -> str | None:
    if context is None:
        return None
    return json.dumps([context.countries, context.qualified], ensure_ascii=False)


def _context_of(text: str | None) -> DocumentContext | None:
    """`_context_json` read back."""
    if text is None:
        return None
    countries, qualified = json.loads(text)
    return DocumentContext(countries, {local_id: (pair[0], pair[1]) for local_id, pair in qualified.items()})


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """`write` to a hidden temporary file beside `path`, flushed to disk, then renamed to `path`: a
    reader (or a rerun after a crash, even of the machine) sees the whole file or none."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)  # gone already after the rename; else half-written
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where folders cannot be opened, as on Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def dask_client(workers: int = 2, scheduler: str | None = None) -> Iterator[object]:
    """A `distributed.Client` to the scheduler at `scheduler`, else to local worker processes.

    Local workers run without Dask's statistical profiler (`LOCAL_WORKER_CONFIG`): it samples every
    thread's stack each 10 ms and keeps an hour of the trees, which grew a worker extracting NEREL
    texts from 360 to 420 MiB in its first 11,000 documents (and to 587 MiB at 50,000) while the same
    extraction outside Dask stays at 390. Workers of an existing cluster keep their own settings:
    start them with `DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False` for the same effect."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with dask.config.set(LOCAL_WORKER_CONFIG):
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    with cluster, Client(cluster) as client:
        yield client


def extract_partitions(
    plan: list[list[str]],
    out_dir: str,
    workers: int = 2,
    scheduler: str | None = None,
    on_done: Callable[[PartitionResult], None] | None = None,
) -> list[PartitionResult]:
    """Extract the partitions not written yet; no cluster is started when there are none."""
    save_plan(plan, out_dir)
    parts = pending_partitions(plan, out_dir)
    if not parts:
        return []
    with dask_client(workers, scheduler) as client:
        return run_partitions(plan, parts, out_dir, client, on_done)


def run_partitions(
    plan: list[list[str]],
    parts: list[int],
    out_dir: str,
    client: object,
    on_done: Callable[[PartitionResult], None] | None = None,
) -> list[PartitionResult]:
    """Extract partitions `parts` of `plan` on the client's workers; each result as it completes."""
    from dask import delayed
    from distributed import as_completed

    out_dir = os.path.abspath(out_dir)
    tasks = [delayed(extract_partition, pure=False)(plan[part], part, out_dir) for part in parts]
    futures = client.compute(tasks)  # type: ignore[attr-defined]
    part_of = {future.key: part for future, part in zip(futures, parts, strict=True)}
    results: list[PartitionResult] = []
    failed: list[str] = []
    for future in as_completed(futures):
        if future.status == "error":  # a bug in a stage: the other partitions still finish
            failed.append(
                f"partition {part_of[future.key]}: {type(future.exception()).__name__}: {future.exception()}"
            )
            continue
        results.append(future.result())
        if on_done:
            on_done(results[-1])
    if failed:
        raise BatchError("; ".join(failed) + " (rerun to retry only these)")
    return sorted(results, key=lambda r: r.part)


# --- loading -------------------------------------------------------------------------------------


def iter_records(out_dir: str, count: int) -> Iterator[dict | ReadyRecord]:
    """The contract records of partitions 0..count-1, in order: `ReadyRecord`s, or records alone from
    partitions an earlier letopis wrote without hashes and lemmas (and those written without
    resolution contexts, or with lemmas of another version, give `ReadyRecord`s without them: the
    load computes them)."""
    import pyarrow.parquet as pq

    for part in range(count):
        file = pq.ParquetFile(partition_path(out_dir, part))
        names = set(file.schema_arrow.names)
        if not set(READY_COLUMNS) <= names:
            for batch in file.iter_batches(columns=["record"]):
                yield from (json.loads(record) for record in batch.column(0).to_pylist())
            continue
        optional = [CONTEXT_COLUMN] if CONTEXT_COLUMN in names else []
        metadata = file.schema_arrow.metadata or {}
        current = metadata.get(LEMMAS_VERSION_KEY.encode()) == str(SEARCH_LEMMAS_VERSION).encode()
        for batch in file.iter_batches(columns=["record", *READY_COLUMNS, *optional]):
            columns = batch.to_pydict()
            contexts = columns.get(CONTEXT_COLUMN) or [None] * batch.num_rows
            for record, digest, title, body, context in zip(
                columns["record"],
                columns["content_hash"],
                columns["title_lemmas"],
                columns["body_lemmas"],
                contexts,
                strict=True,
            ):
                index = (title, body) if current else None  # an older letopis's lemmas: made again
                yield ReadyRecord(json.loads(record), digest, index, _context_of(context), record)


def count_records(out_dir: str, count: int) -> int:
    """How many documents partitions 0..count-1 hold (from the Parquet footers)."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(partition_path(out_dir, part)).metadata.num_rows for part in range(count))


def load_partitions(
    store: Store,
    out_dir: str,
    count: int,
    on_document: Callable[[Added], None] | None = None,
    chunk: int = DEFAULT_CHUNK,
) -> Counter[str]:
    """Add every record of the partitions to the store, `chunk` documents per transaction, as read
    (`Store.add_many`): counts of new, updated, duplicate and failed; `on_document` sees each."""
    counts: Counter[str] = Counter()
    for added in store.add_many(iter_records(out_dir, count), chunk):
        counts[added.result] += 1
        if on_document:
            on_document(added)
    return counts


def read_errors(out_dir: str, count: int) -> list[SourceError]:
    """The unreadable documents of partitions 0..count-1, as `SourceError`s."""
    errors: list[SourceError] = []
    for part in range(count):
        path = errors_path(out_dir, part)
        for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
            row = json.loads(line)
            errors.append(SourceError(row["source"], row["reason"]))
    return errors
