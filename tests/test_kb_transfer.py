"""kb/transfer.py: export to JSON lines, CSV or Parquet, import into an empty store, export again: the
same files, and the same knowledge base (curation included)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letopis.cli import app
from letopis.errors import LetopisError
from letopis.store import Store
from letopis.store.queries import entity_links, post_timeline
from test_kb_curation import ivanovs, ministers
from test_kb_documents import entity_id, people, store_with

runner = CliRunner()
TABLES = [
    "aliases",
    "curated_groups",
    "curated_names",
    "curation_log",
    "documents",
    "entities",
    "entity_links",
    "events",
    "fact_reviews",
    "positions",
    "quotes",
]


@pytest.fixture
def curated(db: str) -> Store:
    """Two Ивановы, a bare «Иванов» merged into one of them, two ministers on one day, one rejected."""
    store = store_with(db, *ivanovs(), *ministers())
    store.merge_entities(entity_id(store, "Сергей Иванов"), entity_id(store, "Иванов"), by="anna")
    store.review_fact("position:1", "reject", by="anna")
    yield store
    store.close()


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("format", ["jsonl", "csv", "parquet"])
def test_export_import_export_gives_the_same_files(
    curated: Store, new_db: Callable[[], str], tmp_path: Path, format: str
) -> None:
    first = tmp_path / "first"
    curated.export(first, format)
    with Store.open(new_db()) as copy:
        copy.import_(first)
        copy.export(tmp_path / "second", format)
    assert sorted(files(first)) == [f"{table}.{format}" for table in TABLES]
    assert files(tmp_path / "second") == files(first)


def test_the_imported_store_answers_as_the_original(
    curated: Store, new_db: Callable[[], str], tmp_path: Path
) -> None:
    curated.export(tmp_path / "out", "jsonl")
    with Store.open(new_db()) as copy:
        copy.import_(tmp_path / "out")
        sergey = entity_id(copy, "Сергей Иванов")
        assert people(copy) == people(curated)
        assert entity_links(copy, sergey) == entity_links(curated, sergey)
        assert post_timeline(copy, entity_id(copy, "Мурат Нуртлеу")) == post_timeline(
            curated, entity_id(curated, "Мурат Нуртлеу")
        )


def test_curation_holds_in_the_imported_store(
    curated: Store, new_db: Callable[[], str], tmp_path: Path
) -> None:
    curated.export(tmp_path / "out", "csv")
    with Store.open(new_db()) as copy:
        copy.import_(tmp_path / "out")
        copy.add(
            ivanovs("Выступая на форуме по экологии и транспорту, Иванов призвал к переменам.", "d-bare-2")[2]
        )
        assert people(copy)["Сергей Иванов"] == ["Иванов", "Сергей Иванов"]


def test_positions_carry_their_provenance(curated: Store, tmp_path: Path) -> None:
    curated.export(tmp_path / "out", "jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out" / "positions.jsonl").read_text().splitlines()]
    assert [(r["doc_id"], r["start"], r["end"], r["review"]) for r in rows] == [
        ("d-k", 0, 42, "rejected"),
        ("d-n", 0, 58, None),
    ]
    document = json.loads((tmp_path / "out" / "documents.jsonl").read_text().splitlines()[0])
    assert document["record"]["schema"] == 1 and document["record"]["mentions"]


def test_import_into_a_store_with_data_is_refused(curated: Store, tmp_path: Path) -> None:
    curated.export(tmp_path / "out", "jsonl")
    with pytest.raises(LetopisError, match="the store is not empty: import into a new, empty store"):
        curated.import_(tmp_path / "out")


def test_a_folder_without_an_export_is_a_clear_error(db: str, tmp_path: Path) -> None:
    with Store.open(db) as store, pytest.raises(LetopisError) as error:
        store.import_(tmp_path)
    assert str(error.value) == f"{tmp_path}: no export here (expected documents.jsonl, .csv or .parquet)"


def test_cli_export_and_import(curated: Store, db: str, new_db: Callable[[], str], tmp_path: Path) -> None:
    exported = runner.invoke(
        app, ["export", "--format", "parquet", "--out", str(tmp_path / "out"), "--db", db]
    )
    assert exported.exit_code == 0, exported.output
    assert "documents 5" in exported.stdout
    copy = new_db()
    imported = runner.invoke(app, ["import", str(tmp_path / "out"), "--db", copy])
    assert imported.exit_code == 0, imported.output
    again = runner.invoke(app, ["import", str(tmp_path / "out"), "--db", copy])
    assert (again.exit_code, again.stderr) == (
        1,
        "error: the store is not empty: import into a new, empty store\n",
    )
