"""`letopis batch`: a real Dask LocalCluster (2 worker processes), real SQLite, the sample articles."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from letopis.batch import dask_client, load_partitions, partition_path
from letopis.cli import app
from letopis.model import Document
from letopis.nlp.lemmas import search_lemmas
from letopis.store import Store, get_document
from letopis.store.store import content_hash, contract_record

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ROWS = (
    '{"id": "minsk-1", "published": "2026-03-02", "text": "Министр Сергей Лавров прибыл в Минск."}\n'
    '{"id": "minsk-2", "title": "Без текста"}\n'
)
runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples thrice, each copy a line longer; one binary file; a JSONL file with a bad row."""
    root = tmp_path_factory.mktemp("batch") / "corpus"
    for copy in range(3):
        folder = root / f"copy{copy}"
        folder.mkdir(parents=True)
        for sample in sorted(SAMPLES.glob("*.txt")):
            text = sample.read_text(encoding="utf-8") + f"\nМатериал пресс-службы ({copy + 1}).\n"
            (folder / sample.name).write_text(text, encoding="utf-8")
    (root / "broken.txt").write_bytes(bytes(range(256)) * 4)
    (root / "rows.jsonl").write_text(ROWS, encoding="utf-8")
    return root


def batch(corpus: Path, out: Path, db: Path) -> tuple[int, str]:
    args = ["batch", str(corpus), "--out", str(out), "--db", str(db), "--workers", "2"]
    result = runner.invoke(app, [*args, "--partition-size", "3"])
    return result.exit_code, result.output


def mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted((out / "partitions").glob("*.parquet"))}


@pytest.fixture(scope="module")
def done(corpus: Path) -> tuple[Path, Path, str]:
    """The corpus batched once (shared: later runs leave the same partitions): (out, store file, output)."""
    out, db = corpus.parent / "out", corpus.parent / "kb.db"
    code, output = batch(corpus, out, db)
    assert code == 1, output  # the binary file and the bad row fail; the rest goes on
    return out, db, output


def test_batch_writes_one_parquet_file_per_partition(done: tuple[Path, Path, str]) -> None:
    out, _, _ = done
    # 8 files sorted: broken.txt, copy0/×2, copy1/×2, copy2/×2, rows.jsonl -> partitions of 3
    assert list(mtimes(out)) == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    rows = sum(pq.read_table(p).num_rows for p in sorted((out / "partitions").glob("*.parquet")))
    assert rows == 7
    assert pq.read_table(out / "partitions" / "part-00000.parquet").column_names == [
        "id",
        "source",
        "published",
        "record",
        "content_hash",
        "title_lemmas",
        "body_lemmas",
        "resolution_context",
    ]


def test_batch_partitions_hold_the_hash_and_lemmas_the_store_computes(done: tuple[Path, Path, str]) -> None:
    """The workers' hash and full-text lemmas are those the store would compute itself, and the store
    holds them (so the load's writer can take them as they are)."""
    out, db, _ = done
    table = pq.read_table(out / "partitions" / "part-00001.parquet").to_pylist()
    assert table
    with sqlite3.connect(db) as connection:
        for row in table:
            doc = Document.from_dict(json.loads(row["record"]))
            assert row["content_hash"] == content_hash(contract_record(doc))
            assert (row["title_lemmas"], row["body_lemmas"]) == (
                search_lemmas(doc.title or ""),
                search_lemmas(doc.text),
            )
            stored = connection.execute(
                "SELECT d.content_hash, f.body FROM documents AS d JOIN documents_fts AS f ON f.rowid = d.seq"
                " WHERE d.id = ?",
                (doc.id,),
            ).fetchone()
            assert stored == (row["content_hash"], row["body_lemmas"])


def test_batch_lists_the_unreadable_documents_with_reasons(
    done: tuple[Path, Path, str], corpus: Path
) -> None:
    out, _, output = done
    errors = [
        json.loads(line)
        for path in sorted((out / "errors").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert errors == [
        {"source": str(corpus / "broken.txt"), "reason": "binary file, not text"},
        {"source": f"{corpus / 'rows.jsonl'}#row 2", "reason": "row has no 'text'"},
    ]
    assert "broken.txt: binary file, not text" in output
    assert "Traceback" not in output
    assert "documents 9, new 7, updated 0, duplicates 0, failed 2" in output


def test_batch_prints_the_load_rate(done: tuple[Path, Path, str]) -> None:
    _, _, output = done
    line = r"^load: 7 documents in \d+\.\ds \(\d+ docs/s\), store optimised in \d+\.\ds$"
    assert re.search(line, output, re.MULTILINE)


def test_a_record_that_cannot_be_stored_is_reported_and_the_others_loaded(tmp_path: Path) -> None:
    good = {"id": "minsk-1", "source": "новости/минск.txt", "text": "Министр Сергей Лавров прибыл в Минск."}
    broken = {**good, "id": "minsk-2", "source": "новости/брест.txt", "mentions": [{"start": 0}]}
    records = [Document(**good).to_dict(), broken]
    (tmp_path / "partitions").mkdir()
    pq.write_table(
        pa.table({"record": [json.dumps(r, ensure_ascii=False) for r in records]}),
        partition_path(str(tmp_path), 0),
    )
    seen = []
    with Store.open(tmp_path / "kb.db") as store:
        counts = load_partitions(store, str(tmp_path), 1, seen.append)
        assert get_document(store, "minsk-1") is not None
    assert counts == {"new": 1, "failed": 1}
    assert [(added.doc_id, added.result) for added in seen] == [("minsk-1", "new"), ("minsk-2", "failed")]
    assert seen[1].reason.startswith("not a contract record: ")


def test_batch_stores_the_records_extract_gives(done: tuple[Path, Path, str], corpus: Path) -> None:
    _, db, _ = done
    result = runner.invoke(app, ["extract", str(corpus), "--format", "jsonl"])
    expected = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(expected) == 7
    with Store.open(db) as store:
        stored = {doc["id"]: get_document(store, doc["id"]) for doc in expected}
    for record in expected:
        got = stored[record["id"]].to_dict()
        for entity in got["entities"]:
            entity["kb_id"] = None
        assert got == record


def test_rerun_recomputes_nothing_and_loads_only_duplicates(
    done: tuple[Path, Path, str], corpus: Path
) -> None:
    out, db, _ = done
    before = mtimes(out)
    code, output = batch(corpus, out, db)
    assert code == 1
    assert mtimes(out) == before
    assert "documents 9, new 0, updated 0, duplicates 7, failed 2" in output


def test_rerun_recomputes_only_a_deleted_partition(done: tuple[Path, Path, str], corpus: Path) -> None:
    out, db, _ = done
    before = mtimes(out)
    (out / "partitions" / "part-00001.parquet").unlink()
    batch(corpus, out, db)
    after = mtimes(out)
    assert [name for name in after if after[name] != before.get(name)] == ["part-00001.parquet"]


def test_batch_refuses_an_out_folder_of_other_inputs(done: tuple[Path, Path, str], corpus: Path) -> None:
    out, db, _ = done
    code, output = batch(corpus / "copy2", out, db)
    assert code == 1
    assert "holds a batch of other inputs" in output


def _profiles(dask_worker: object) -> bool:
    return "profile" in dask_worker.periodic_callbacks  # type: ignore[attr-defined]


def test_local_workers_run_without_dasks_profiler() -> None:
    """Its stack samples grew each worker by ~60 MiB an hour of extraction (batch.dask_client)."""
    with dask_client(workers=1) as client:
        assert list(client.run(_profiles).values()) == [False]  # type: ignore[attr-defined]
