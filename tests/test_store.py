"""store/store.py on both backends: opening, migrations, adding, updating and the
one-transaction-per-document rule; store/sqlite.py: the file and its PRAGMAs."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from letopis.errors import DocumentConflict, StoreError
from letopis.kb.curation import CurationError
from letopis.model import Document, Entity, Mention
from letopis.nlp.lemmas import lemmatize
from letopis.store import Added, Store, get_document, search
from letopis.store import store as store_module
from letopis.store.store import beyond_row_ids, entity_key, source_key
from test_store_samples import (
    EMBASSY_TEXT,
    MEETING_TEXT,
    REFERENDUM_TEXT,
    embassy,
    meeting,
    referendum,
    revised_meeting,
)

TABLES = [
    "aliases",
    "dates",
    "doc_entities",
    "documents",
    "documents_fts",
    "entities",
    "entities_fts",
    "events",
    "positions",
    "quotes",
    "topics",
]


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    with Store.open(db) as opened:
        yield opened


def counts(store: Store) -> dict[str, int]:
    """Rows per table (FTS tables counted through their own rows), and the mentions of the documents'
    records (migration 0006: they are kept there only)."""
    rows = {
        table: store.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES
    }
    records = store.connection.execute("SELECT record FROM documents").fetchall()
    return {**rows, "mentions": sum(len(json.loads(row[0])["mentions"]) for row in records)}


def entity_counts(store: Store) -> dict[str, int]:
    rows = store.connection.execute("SELECT name, mention_count FROM entities ORDER BY name")
    return {row["name"]: row["mention_count"] for row in rows}


# --- opening -------------------------------------------------------------------------------------


def test_open_applies_the_migrations(store: Store) -> None:
    assert store.schema_version == 9
    assert counts(store) == dict.fromkeys([*TABLES, "mentions"], 0)


def test_an_sqlite_store_is_set_up_for_one_writer_and_many_readers(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "letopis.db")
    names = {row[0] for row in store.connection.execute("SELECT name FROM sqlite_master")}
    assert set(TABLES) <= names
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 10000
    assert store.connection.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_a_new_store_opened_while_another_connection_writes_it_waits_for_the_lock(tmp_path: Path) -> None:
    # SQLite refuses the switch to WAL at once ("database is locked") while any other connection holds
    # a lock on a file still in the rollback journal, without calling the busy handler.
    path = tmp_path / "letopis.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE first_writer (x)")
    with ThreadPoolExecutor(max_workers=1) as pool:
        opened = pool.submit(Store.open, path)
        time.sleep(0.3)
        assert not opened.done()
        holder.execute("COMMIT")
        holder.close()
        with opened.result(timeout=10) as store:
            assert store.schema_version == 9
            assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_store_opened_in_one_thread_can_be_used_in_another(store: Store) -> None:
    store.add(meeting())
    with ThreadPoolExecutor(max_workers=1) as pool:
        hits = pool.submit(search, store, "Балаевой").result()["documents"]
    assert [hit["id"] for hit in hits] == ["d-meeting"]


def test_reopening_keeps_the_data_and_applies_nothing_twice(db: str) -> None:
    with Store.open(db) as store:
        store.add(meeting())
    with Store.open(db) as store:
        assert store.schema_version == 9
        assert counts(store)["documents"] == 1


def test_a_store_of_the_version_before_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "letopis.db"
    with Store.open(path) as store:
        store.add(meeting())
    with sqlite3.connect(path) as connection:  # the indexes and tables as migration 0003 left them
        connection.execute("DROP INDEX doc_entities_entity_doc")
        connection.execute("DROP INDEX documents_id_published")
        connection.execute("CREATE INDEX doc_entities_entity ON doc_entities (entity_id)")
        connection.execute(
            "CREATE TABLE mentions (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents (id)"
            ' ON DELETE CASCADE, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,'
            " type TEXT NOT NULL, normal TEXT, local_entity TEXT, entity_id INTEGER REFERENCES entities (id))"
        )
        connection.execute(
            'INSERT INTO mentions (doc_id, start, "end", text, type, normal, local_entity, entity_id)'
            " VALUES ('d-meeting', 0, 12, 'Аида Балаева', 'PER', 'Аида Балаева', 'e1', 1)"
        )
        connection.execute("PRAGMA user_version = 3")
    with Store.open(path) as store:
        assert store.schema_version == 9
        names = {row[0] for row in store.connection.execute("SELECT name FROM sqlite_master")}
        assert {"doc_entities_entity_doc", "documents_id_published"} <= names
        assert "doc_entities_entity" not in names and "mentions" not in names
        assert counts(store)["mentions"] == 6  # in the record, as they were
        assert [hit["id"] for hit in search(store, "Балаевой")["documents"]] == ["d-meeting"]


def test_a_store_indexed_with_one_lemma_a_word_gets_every_likely_one(db: str) -> None:
    """Migration 0008 writes the full-text rows of documents and entities again with search lemmas
    (letopis.nlp.lemmas.search_lemmas): «суд» finds «судов», whose one lemma was «судно»."""
    courts = Document(
        id="d-courts",
        source="суды.txt",
        title="Решения судов",
        text="Совет судов собрался в Астане.",
        mentions=[Mention(0, 11, "Совет судов", "ORG", "Совет судов", "e1")],
        entities=[Entity("e1", "ORG", "Совет судов")],
    )
    with Store.open(db) as store:
        store.add(courts)
        with store._transaction():  # the rows as letopis wrote them before 0008
            old_rows = (lemmatize(courts.title or ""), lemmatize(courts.text))
            store.connection.execute("UPDATE documents_fts SET title = ?, body = ?", old_rows)
            store.connection.execute("UPDATE entities_fts SET names = ?", (lemmatize("Совет судов"),))
            store.dialect.set_schema_version(store.connection, 7)
        assert search(store, "суд") == {"documents": [], "entities": []}
    with Store.open(db) as store:
        assert store.schema_version == 9
        result = search(store, "суд")
        assert [hit["id"] for hit in result["documents"]] == ["d-courts"]
        assert [entity["name"] for entity in result["entities"]] == ["Совет судов"]
        assert [hit["id"] for hit in search(store, "Астана")["documents"]] == ["d-courts"]


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "заметки.db"
    path.write_text("Это не база данных, а заметки о встрече.\n" * 50, encoding="utf-8")
    with pytest.raises(StoreError) as error:
        Store.open(path)
    assert str(error.value) == f"{path}: cannot open the store: file is not a database"


def test_a_missing_folder_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "нет такой папки" / "letopis.db"
    with pytest.raises(StoreError) as error:
        Store.open(path)
    assert str(error.value) == f"{path}: cannot open the store: unable to open database file"


def test_a_missing_file_is_created_unless_the_store_must_exist(tmp_path: Path) -> None:
    path = tmp_path / "опечатка.db"
    with pytest.raises(StoreError) as error:
        Store.open(path, create=False)
    assert str(error.value) == f"{path}: no such store (run letopis ingest first)"
    assert not path.exists()
    Store.open(path).close()
    with Store.open(path, create=False) as store:
        assert store.schema_version == 9


def test_a_store_from_a_newer_letopis_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "letopis.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError) as error:
        Store.open(path)
    assert str(error.value) == (
        f"{path}: schema version 99 is newer than this letopis knows (9); upgrade letopis"
    )


# --- keys ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "item", "key"),
    [
        ("https://example.gov.kz/rss", "guid-7", "https://example.gov.kz/rss#guid-7"),
        ("https://example.gov.kz/news/1", None, "https://example.gov.kz/news/1"),
        ("-", "3", "-#3"),
        ("-", None, "-#d-1"),
        ("/srv/новости/1.txt", None, "/srv/новости/1.txt"),
        ("/srv/выгрузка.jsonl", "17", "/srv/выгрузка.jsonl#17"),
    ],
)
def test_source_key(source: str, item: str | None, key: str) -> None:
    assert source_key(Document(id="d-1", source=source, text="Текст.", item=item)) == key


def test_a_relative_path_is_keyed_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert source_key(Document(id="d-1", source="статьи/1.txt", text="Текст.")) == str(
        tmp_path / "статьи" / "1.txt"
    )


@pytest.mark.parametrize(
    ("name", "key"),
    [("Аида Балаева", "аида балаева"), ("АИДА  БАЛАЁВА", "аида балаева"), ("ООН-Женщины", "оон-женщины")],
)
def test_entity_key(name: str, key: str) -> None:
    assert entity_key(name) == key


# --- add -----------------------------------------------------------------------------------------


def test_a_first_document_is_new_and_written_with_all_its_facts(store: Store) -> None:
    assert store.add(meeting()) == "new"
    assert counts(store) == {
        "aliases": 7,
        "dates": 1,
        "doc_entities": 5,
        "documents": 1,
        "documents_fts": 1,
        "entities": 5,
        "entities_fts": 5,
        "events": 1,
        "mentions": 6,
        "positions": 1,
        "quotes": 1,
        "topics": 1,
    }
    assert entity_counts(store) == {
        "Аида Балаева": 2,
        "Астана": 1,
        "Казахстан": 1,
        "ООН": 1,
        "ООН-Женщины": 1,
    }


def test_facts_point_to_the_store_entities(store: Store) -> None:
    store.add(meeting())
    balaeva = store.connection.execute("SELECT id FROM entities WHERE name = 'Аида Балаева'").fetchone()[0]
    position = store.connection.execute("SELECT person_entity_id, title FROM positions").fetchone()
    quote = store.connection.execute("SELECT speaker_entity_id, kind FROM quotes").fetchone()
    assert tuple(position) == (balaeva, "заместитель Премьер-министра")
    assert tuple(quote) == (balaeva, "indirect")


def test_the_same_document_again_is_a_duplicate_and_writes_nothing(store: Store) -> None:
    store.add(meeting())
    before = store.connection.execute("SELECT ingested_at, record FROM documents").fetchall()
    assert store.add(meeting()) == "duplicate"
    assert store.connection.execute("SELECT ingested_at, record FROM documents").fetchall() == before
    assert entity_counts(store)["Аида Балаева"] == 2


def test_the_same_id_from_another_source_is_a_duplicate(store: Store) -> None:
    store.add(meeting(source="статьи/балаева.txt"))
    assert store.add(meeting(source="копия/балаева.txt")) == "duplicate"
    assert counts(store)["documents"] == 1


def test_an_id_another_source_holds_for_another_text_is_refused(store: Store) -> None:
    assert store.add(meeting(source="статьи/балаева.txt")) == "new"
    other = referendum()
    other.id, other.source = "d-meeting", "статьи/референдум.txt"
    with pytest.raises(DocumentConflict) as error:
        store.add(other)
    assert str(error.value) == (
        "id d-meeting of статьи/референдум.txt is already used by статьи/балаева.txt for another text"
    )
    assert get_document(store, "d-meeting").text == meeting().text
    assert counts(store)["documents"] == 1


def row(source: str, text: str, row_id: str = "1") -> Document:
    """A row of a JSONL or CSV export: its id is also its item in the file."""
    return Document(id=row_id, source=source, text=text, item=row_id)


ROW_CLASH = "id 1 of b.jsonl#1 is already used by a.jsonl#1 for another text"
TWICE = "id 1 appears twice in a.jsonl with different texts"


@pytest.mark.parametrize("chunk", [1, 500])  # the other document stored, or still among the chunk's rows
def test_add_many_reports_an_id_another_source_holds_and_stores_the_rest(store: Store, chunk: int) -> None:
    docs = [row("a.jsonl", MEETING_TEXT), row("b.jsonl", REFERENDUM_TEXT), row("b.jsonl", EMBASSY_TEXT, "2")]
    assert list(store.add_many(docs, chunk=chunk)) == [
        Added("1", "new"),
        Added("1", "failed", ROW_CLASH),
        Added("2", "new"),
    ]
    assert [get_document(store, i).text for i in ("1", "2")] == [MEETING_TEXT, EMBASSY_TEXT]


def test_add_many_of_the_same_text_from_another_source_is_a_duplicate(store: Store) -> None:
    docs = [row("a.jsonl", MEETING_TEXT), row("b.jsonl", MEETING_TEXT)]
    assert list(store.add_many(docs)) == [Added("1", "new"), Added("1", "duplicate")]


@pytest.mark.parametrize("chunk", [1, 500])
def test_one_id_twice_in_a_source_keeps_the_first_text_run_after_run(store: Store, chunk: int) -> None:
    docs = [row("a.jsonl", MEETING_TEXT), row("a.jsonl", REFERENDUM_TEXT)]
    assert list(store.add_many(docs, chunk=chunk)) == [Added("1", "new"), Added("1", "failed", TWICE)]
    assert list(store.add_many(docs, chunk=chunk)) == [Added("1", "duplicate"), Added("1", "failed", TWICE)]
    assert get_document(store, "1").text == MEETING_TEXT


def test_one_id_twice_with_one_text_is_a_duplicate(store: Store) -> None:
    docs = [row("a.jsonl", MEETING_TEXT), row("a.jsonl", MEETING_TEXT)]
    assert list(store.add_many(docs)) == [Added("1", "new"), Added("1", "duplicate")]


def test_a_file_given_again_with_another_text_in_one_add_many_is_updated(store: Store) -> None:
    assert list(store.add_many([meeting(), revised_meeting()])) == [
        Added("d-meeting", "new"),
        Added("d-meeting-2", "updated"),
    ]


def test_a_row_changed_in_a_new_export_is_updated(store: Store) -> None:
    assert list(store.add_many([row("a.jsonl", MEETING_TEXT)])) == [Added("1", "new")]
    assert list(store.add_many([row("a.jsonl", REFERENDUM_TEXT)])) == [Added("1", "updated")]
    assert get_document(store, "1").text == REFERENDUM_TEXT


def test_items_of_one_source_are_separate_documents(store: Store) -> None:
    first, second = referendum(), embassy()
    first.source = second.source = "выгрузка.jsonl"
    first.item, second.item = "1", "2"
    assert [store.add(first), store.add(second)] == ["new", "new"]


def test_a_document_read_through_another_relative_path_is_the_same_document(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store.add(meeting(source="статьи/балаева.txt"))
    monkeypatch.chdir(tmp_path.parent)
    assert store.add(meeting(source=f"{tmp_path.name}/статьи/балаева.txt")) == "updated"
    assert counts(store)["documents"] == 1


def test_other_documents_reuse_the_entity_whatever_its_case_or_yo(store: Store) -> None:
    store.add(meeting())
    store.add(referendum())
    people = store.connection.execute("SELECT id, name, mention_count FROM entities WHERE type = 'PER'")
    [(person_id, name, mentions)] = [tuple(row) for row in people]
    assert (name, mentions) == ("Аида Балаева", 3)
    referendum_people = [e for e in get_document(store, "d-referendum").entities if e.type == "PER"]
    assert [e.kb_id for e in referendum_people] == [person_id]


# --- update --------------------------------------------------------------------------------------


def test_changed_text_from_the_same_source_replaces_the_document_and_its_facts(store: Store) -> None:
    store.add(meeting())
    store.add(referendum())
    assert store.add(revised_meeting()) == "updated"
    assert get_document(store, "d-meeting") is None
    assert get_document(store, "d-meeting-2").text == revised_meeting().text
    assert counts(store) == {
        "aliases": 8,
        "dates": 2,
        "doc_entities": 6,
        "documents": 2,
        "documents_fts": 2,
        "entities": 5,
        "entities_fts": 5,
        "events": 1,
        "mentions": 6,
        "positions": 1,
        "quotes": 0,
        "topics": 0,
    }


def test_an_update_may_keep_the_document_id(store: Store) -> None:
    store.add(meeting())
    edited = meeting()
    edited.title = "Балаева обсудила партнёрство с «ООН-Женщинами»"
    assert store.add(edited) == "updated"
    assert get_document(store, "d-meeting").title == edited.title
    assert counts(store)["mentions"] == 6
    assert entity_counts(store)["Аида Балаева"] == 2


def test_an_update_recounts_mentions_and_drops_entities_left_without_documents(store: Store) -> None:
    store.add(meeting())
    store.add(referendum())
    store.add(revised_meeting())
    assert entity_counts(store) == {
        "Аида Балаева": 2,
        "Астана": 1,
        "Казахстан": 1,
        "ООН-Женщины": 1,
        "Центральная избирательная комиссия": 1,
    }


def test_an_update_takes_the_old_text_out_of_the_index(store: Store) -> None:
    store.add(meeting())
    assert [hit["id"] for hit in search(store, "гендерного равенства")["documents"]] == ["d-meeting"]
    store.add(revised_meeting())
    assert search(store, "гендерного равенства")["documents"] == []
    assert [hit["id"] for hit in search(store, "программа")["documents"]] == ["d-meeting-2"]


# --- one transaction per document ----------------------------------------------------------------


def test_a_failure_after_the_document_row_rolls_the_whole_update_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add(meeting())
    store.add(referendum())
    before = counts(store), entity_counts(store), get_document(store, "d-meeting")

    def fail_after_the_document_row(connection: sqlite3.Connection, *args: object) -> None:
        written = connection.execute("SELECT count(*) FROM documents WHERE id = 'd-meeting-2'").fetchone()[0]
        assert written == 1
        raise RuntimeError("диск отключён")

    # An update recounts mentions once the new document's rows are written.
    monkeypatch.setattr(store_module, "recount_mentions", fail_after_the_document_row)
    with pytest.raises(RuntimeError, match="диск отключён"):
        store.add(revised_meeting())
    assert (counts(store), entity_counts(store), get_document(store, "d-meeting")) == before
    assert not store.connection.in_transaction


NOT_NULL = {
    "sqlite": "NOT NULL constraint failed: positions.title",
    "postgresql": 'null value in column "title" of relation "positions" violates not-null constraint',
}


def test_a_database_error_mid_write_is_a_store_error_and_leaves_nothing(store: Store, backend: str) -> None:
    store.add(referendum())
    broken = meeting()
    broken.positions[0].title = None  # violates NOT NULL after the document and mentions are written
    with pytest.raises(StoreError) as error:
        store.add(broken)
    assert str(error.value).endswith(f"cannot store document d-meeting: {NOT_NULL[backend]}")
    assert get_document(store, "d-meeting") is None
    assert counts(store)["entities"] == 2
    assert entity_counts(store) == {"АИДА БАЛАЁВА": 1, "Центральная избирательная комиссия": 1}
    assert store.add(meeting()) == "new"


# --- ids past the database's integers: no such entity or fact ------------------------------------

TOO_LARGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("reference", "beyond"),
    [
        (TOO_LARGE, True),
        ("9223372036854775808", True),
        ("9223372036854775807", False),
        ("000000000000000000000042", False),
        ("9" * 5000, True),  # more digits than int() reads
        ("Балаева", False),
        ("", False),
    ],
)
def test_beyond_row_ids(reference: str, beyond: bool) -> None:
    assert beyond_row_ids(reference) is beyond


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda store: store.review_fact(f"position:{TOO_LARGE}", "reject", "анна"),
            f"no position with id {TOO_LARGE}",
        ),
        (
            lambda store: store.rename_entity(int(TOO_LARGE), "Аида Балаева", "анна"),
            f"no entity with id {TOO_LARGE}",
        ),
        (lambda store: store.merge_entities(1, int(TOO_LARGE), "анна"), f"no entity with id {TOO_LARGE}"),
        (
            lambda store: store.split_entity(-int(TOO_LARGE), ["Балаева"], "анна"),
            f"no entity with id -{TOO_LARGE}",
        ),
    ],
    ids=["review_fact", "rename_entity", "merge_entities", "split_entity"],
)
def test_an_id_past_the_databases_integers_is_no_entity_or_fact(
    store: Store, edit: Callable[[Store], object], message: str
) -> None:
    store.add(meeting())
    with pytest.raises(CurationError) as error:
        edit(store)
    assert str(error.value) == message
