"""Store.add_many: chunks of documents in one transaction each, reads remembered (kb.memo), and the
same store as adding them one by one with Store.add — every row of every table, entity ids, names,
aliases, keys, links and their evidence, positions, mention counts and the search indexes — on
SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import forum, history
from letopis.batch import CONTEXT_COLUMN, _write_parquet, iter_records, partition_path
from letopis.kb.connection import Row
from letopis.model import DateValue, Document
from letopis.nlp.lemmas import lemmatize
from letopis.store import Added, Store
from letopis.store.store import _record_json, read_ahead
from test_kb_corpus import extracted_corpus
from test_kb_curation import BARE_EDITED, ivanovs
from test_kb_documents import entity_id

CLOCK_COLUMNS = {"ingested_at", "at"}  # when a row was written


def knowledge_base(db: str) -> dict[str, list[tuple]]:
    """Every row of every table (the full-text indexes with their row ids), but the clock columns."""
    with Store.open(db) as store:
        if store.dialect.name == "sqlite":
            sql = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE '%_fts_%'"
            )
        else:
            sql = (
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        tables = sorted(row[0] for row in store.connection.execute(sql))
        rows = {}
        for table in tables:
            columns = "rowid, *" if store.dialect.name == "sqlite" and table.endswith("_fts") else "*"
            kept = [
                tuple(
                    value
                    for column, value in zip(row.keys(), row, strict=True)
                    if column not in CLOCK_COLUMNS
                )
                for row in store.connection.execute(f"SELECT {columns} FROM {table}")
            ]
            rows[table] = sorted(kept, key=repr)
        return rows


NAMED = {  # the knowledge base with entities by their keys instead of ids; documents by id
    "entities": "SELECT type, key, name, mention_count FROM entities",
    "aliases": "SELECT e.type, e.key, a.alias FROM aliases AS a JOIN entities AS e ON e.id = a.entity_id",
    "entity_keys": "SELECT e.type, e.key, k.space, k.key, k.alias, k.derivation"
    " FROM entity_keys AS k JOIN entities AS e ON e.id = k.entity_id",
    "doc_entities": "SELECT l.doc_id, l.local_id, e.key, l.mentions, l.name, l.rule, l.evidence"
    " FROM doc_entities AS l JOIN entities AS e ON e.id = l.entity_id",
    "positions": "SELECT p.doc_id, p.title, person.key, organization.key FROM positions AS p"
    " LEFT JOIN entities AS person ON person.id = p.person_entity_id"
    " LEFT JOIN entities AS organization ON organization.id = p.organization_entity_id",
    "documents": "SELECT id, seq, source_key, content_hash FROM documents",
}


def named_knowledge_base(db: str) -> dict[str, list[tuple]]:
    """NAMED, and each mention of each document's record with its entity's key."""
    with Store.open(db) as store:
        named = {
            name: sorted(map(tuple, store.connection.execute(sql)), key=repr) for name, sql in NAMED.items()
        }
        keys = dict(map(tuple, store.connection.execute("SELECT id, key FROM entities")))
        mentions = []
        for doc_id, record in store.connection.execute("SELECT id, record FROM documents"):
            record = json.loads(record)
            linked = {e["id"]: keys[e["kb_id"]] for e in record["entities"]}
            mentions += [(doc_id, m["start"], m["text"], linked[m["entity"]]) for m in record["mentions"]]
        return {**named, "mentions": sorted(mentions, key=repr)}


def _without_clocks(row: Row) -> tuple:
    return tuple(value for column, value in zip(row.keys(), row, strict=True) if column not in CLOCK_COLUMNS)


def renamed(doc: Document, doc_id: str, source: str | None = None, text: str | None = None) -> Document:
    return dataclasses.replace(doc, id=doc_id, source=source or doc.source, text=text or doc.text)


@pytest.fixture(scope="module")
def documents(samples_extracted: list[dict]) -> list[Document]:
    """Real articles through the pipeline (people sharing a surname, a ministry abbreviated and spelled
    out, posts), the samples, hand-written articles; then a document again (a duplicate), its id from
    another source (a duplicate too), and a changed text from a source already stored (an update)."""
    corpus = extracted_corpus()
    docs = [
        *corpus[:12],
        forum(),
        *(Document.from_dict(r) for r in samples_extracted),
        history(),
        *corpus[12:],
    ]
    first = docs[0]
    return [
        *docs,
        first,
        renamed(first, first.id, source="другой/источник.txt"),
        renamed(docs[3], f"{docs[3].id}-2", text=docs[3].text + "\nМатериал обновлён."),
        renamed(history(), "t-history-copy", source="архив/2019/копия.txt"),
    ]


def one_by_one(db: str, docs: list[Document]) -> list[Added]:
    with Store.open(db) as store:
        return [Added(doc.id, store.add(doc)) for doc in docs]


def in_bulk(db: str, items: list, chunk: int) -> list[Added]:
    with Store.open(db) as store:
        return list(store.add_many(items, chunk=chunk))


def read_back(docs: list[Document], folder: Path, columns_dropped: tuple[str, ...] = ()) -> list:
    """The documents as a bulk load reads them from a batch partition (letopis.batch: `ReadyRecord`s
    with the workers' JSON text and resolution context), written without `columns_dropped`."""
    path = partition_path(str(folder), 0)
    path.parent.mkdir(parents=True)
    _write_parquet(docs, path)
    pq.write_table(pq.read_table(path).drop_columns(list(columns_dropped)), path)
    return list(iter_records(str(folder), 1))


def read_back_with_first_lemmas(docs: list[Document], folder: Path) -> list:
    """`read_back` of a partition as letopis wrote them before search lemmas (version 1: one lemma a
    word, `lemmatize`, and no version in the metadata)."""
    path = partition_path(str(folder), 0)
    path.parent.mkdir(parents=True)
    _write_parquet(docs, path)
    table = pq.read_table(path).replace_schema_metadata(None)
    for column, lemmas in (
        ("title_lemmas", [lemmatize(doc.title or "") for doc in docs]),
        ("body_lemmas", [lemmatize(doc.text) for doc in docs]),
    ):
        table = table.set_column(table.schema.get_field_index(column), column, pa.array(lemmas, pa.string()))
    pq.write_table(table, path)
    return list(iter_records(str(folder), 1))


@pytest.mark.parametrize(
    ("chunk", "items"),
    [
        (500, "documents"),
        (7, "records"),
        (1, "records"),
        (7, "ready records"),
        (7, "without contexts"),
        (7, "first lemmas"),
    ],
    ids=[
        "one chunk of documents",
        "chunks of 7 records",
        "chunks of 1 record",
        "chunks of 7 records read back from a batch partition",
        "chunks of 7 records from a partition written before resolution contexts",
        "chunks of 7 records from a partition written before search lemmas",
    ],
)
def test_a_bulk_load_stores_what_adding_one_by_one_stores(
    new_db: Callable[[], str], documents: list[Document], chunk: int, items: str, tmp_path: Path
) -> None:
    expected_db, bulk_db = new_db(), new_db()
    expected = one_by_one(expected_db, documents)
    given = {
        "documents": lambda: documents,
        "records": lambda: [doc.to_dict() for doc in documents],
        "ready records": lambda: read_back(documents, tmp_path),
        "without contexts": lambda: read_back(documents, tmp_path, (CONTEXT_COLUMN,)),
        "first lemmas": lambda: read_back_with_first_lemmas(documents, tmp_path),
    }[items]()
    assert in_bulk(bulk_db, given, chunk) == expected
    assert [added.result for added in expected[-4:]] == ["duplicate", "duplicate", "updated", "new"]
    assert knowledge_base(bulk_db) == knowledge_base(expected_db)


def test_a_bulk_load_into_a_curated_store_keeps_the_curation(
    new_db: Callable[[], str], documents: list[Document]
) -> None:
    stores = [new_db(), new_db()]
    for db in stores:
        with Store.open(db) as store:
            for doc in ivanovs():
                store.add(doc)
            store.merge_entities(entity_id(store, "Сергей Иванов"), entity_id(store, "Иванов"), by="anna")
    later = [*documents[:20], ivanovs(BARE_EDITED, "d-bare-2")[2]]
    assert in_bulk(stores[1], later, chunk=500) == one_by_one(stores[0], later)
    assert knowledge_base(stores[1]) == knowledge_base(stores[0])


def test_a_failing_document_is_reported_and_the_rest_of_its_chunk_stored(
    new_db: Callable[[], str], documents: list[Document]
) -> None:
    good = documents[:6]
    broken = renamed(documents[6], "broken")
    # NOT NULL in the schema
    broken.dates = [DateValue(None, 9, "15 марта", "2019-03-15", "2019-03-15", "day")]
    expected_db, bulk_db = new_db(), new_db()
    one_by_one(expected_db, good)
    results = in_bulk(bulk_db, [*good[:3], broken, *good[3:]], chunk=500)
    assert [(added.doc_id, added.result) for added in results] == [
        *((doc.id, "new") for doc in good[:3]),
        ("broken", "failed"),
        *((doc.id, "new") for doc in good[3:]),
    ]
    assert "start" in results[3].reason
    # PostgreSQL's sequences do not roll back: after a failed chunk, ids differ (as after any failed
    # transaction there), so the stores are compared by names.
    assert named_knowledge_base(bulk_db) == named_knowledge_base(expected_db)


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"id": "no-text", "source": "x.txt"}, "not a contract record: "),
        (
            {"id": "bad-mention", "source": "x.txt", "text": "Текст.", "mentions": [{"begin": 0}]},
            "not a contract",
        ),
    ],
)
def test_a_record_that_is_not_a_contract_record_fails_alone(
    db: str, documents: list[Document], record: dict, reason: str
) -> None:
    results = in_bulk(db, [documents[0].to_dict(), record], chunk=500)
    assert (results[0].result, results[1].doc_id, results[1].result) == ("new", record["id"], "failed")
    assert results[1].reason.startswith(reason)


def test_optimizing_a_store_after_a_bulk_load_changes_no_row(db: str, documents: list[Document]) -> None:
    in_bulk(db, documents[:10], chunk=500)
    before = knowledge_base(db)
    with Store.open(db) as store:
        store.optimize()
        if store.dialect.name == "postgresql":  # analysed: the planner knows how many rows there are
            sql = "SELECT reltuples FROM pg_class WHERE relname = 'documents'"
            assert store.connection.execute(sql).fetchone()[0] == 10
        else:  # ANALYZE: the planner knows the indexes (an entity's documents read from one alone)
            sql = "SELECT stat FROM sqlite_stat1 WHERE idx = 'documents_id_published'"
            assert store.connection.execute(sql).fetchone()[0].startswith("10 ")
    assert knowledge_base(db) == before


RECORD = {
    "schema": 1,
    "id": "d-balaeva",
    "text": 'Аида Балаева сказала: "kb_id": null — не ключ. Министерство информации Казахстана согласно.',
    "mentions": [{"start": 0, "end": 12, "text": "Аида Балаева", "type": "PER", "entity": "e1"}],
    "entities": [
        {"id": "e1", "type": "PER", "name": "Аида Балаева", "aliases": ["Балаева"], "kb_id": None},
        {"id": "e2", "type": "ORG", "name": "Министерство информации", "aliases": [], "kb_id": None},
    ],
}


@pytest.mark.parametrize(
    "record",
    [
        RECORD,
        {**RECORD, "mentions": [{**RECORD["mentions"][0], "kb_id": None}]},  # another object with kb_id
        {**RECORD, "entities": []},
    ],
    ids=["entities only", "a mention with a kb_id of its own", "no entities"],
)
def test_the_documents_json_is_the_workers_text_with_the_kb_ids_put_in(record: dict) -> None:
    """What the documents row holds is what json.dumps gives, whether the worker's text could be
    used or not (a quoted "kb_id": null in the text is no key)."""
    text = json.dumps(record, ensure_ascii=False)
    linked = {**record, "entities": [{**e, "kb_id": 40 + n} for n, e in enumerate(record["entities"])]}
    assert _record_json(linked, text) == json.dumps(linked, ensure_ascii=False)
    assert _record_json(linked, None) == json.dumps(linked, ensure_ascii=False)


# --- reading the next chunk while this one is written (store.read_ahead) ---------------------------


def test_the_next_chunk_is_read_in_another_thread_while_this_one_is_handled(
    documents: list[Document],
) -> None:
    readers: list[str] = []
    second_read = threading.Event()

    def given() -> Iterator[Document]:
        for n, doc in enumerate(documents[:5]):
            readers.append(threading.current_thread().name)
            if n == 2:  # the first document of the second chunk
                second_read.set()
            yield doc

    chunks = read_ahead(given(), chunk=2)
    first = next(chunks)
    # Nothing more is asked of `chunks`: the second chunk is being read all the same.
    assert second_read.wait(timeout=30)
    rest = list(chunks)
    assert [[p.doc.id for p in part] for part in [first, *rest]] == [
        [doc.id for doc in documents[i : min(i + 2, 5)]] for i in (0, 2, 4)
    ]
    assert len(readers) == 5 and all(name.startswith("letopis-read-ahead") for name in readers)


def test_an_error_reading_the_documents_comes_after_the_chunks_before_it(documents: list[Document]) -> None:
    def given() -> Iterator[Document]:
        yield from documents[:3]
        raise OSError("part-00001.parquet: не удалось прочитать")

    chunks = read_ahead(given(), chunk=3)
    assert [p.doc.id for p in next(chunks)] == [doc.id for doc in documents[:3]]
    with pytest.raises(OSError, match="не удалось прочитать"):
        next(chunks)


def test_a_bulk_load_stopped_early_stores_the_chunks_it_was_given(db: str, documents: list[Document]) -> None:
    with Store.open(db) as store:
        loading = store.add_many(documents[:9], chunk=3)
        first = [next(loading) for _ in range(3)]
        loading.close()  # the caller stops: the chunk read ahead is dropped, not written
        stored = store.connection.execute("SELECT id FROM documents ORDER BY id").fetchall()
    assert sorted(row[0] for row in stored) == sorted(added.doc_id for added in first)
