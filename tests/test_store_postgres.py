"""store/postgres.py: what only PostgreSQL has — URLs and connection errors, the schema version table,
sqlite3's parameters on psycopg, two writers at once, and `letopis serve` over a PostgreSQL store.

The store's behaviour on PostgreSQL is tested by the other store tests, which run on both backends.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, forum, history, serving
from letopis.cli import app
from letopis.errors import StoreError
from letopis.store import Store, queries, search
from letopis.store.postgres import display_url, translate
from letopis.store.schema import render
from postgres_server import PASSWORD, PASSWORD_ROLE, Server
from test_store_samples import MEETING_TEXT, embassy, meeting, referendum

KB_CORPUS = Path(__file__).parent / "fixtures" / "kb"
runner = CliRunner()


@pytest.fixture
def pg_db(postgres: Server, request: pytest.FixtureRequest) -> str:
    url = postgres.new_database()
    request.addfinalizer(lambda: postgres.drop(url))
    return url


# --- URLs and errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://anna:секрет@db.example.org:5432/letopis",
            "postgresql://anna@db.example.org:5432/letopis",
        ),
        ("postgres://anna:p%40ss@db/letopis?sslmode=require", "postgres://anna@db/letopis?sslmode=require"),
        ("postgresql://anna@db/letopis", "postgresql://anna@db/letopis"),
        ("postgresql:///letopis?host=/run/postgresql", "postgresql:///letopis?host=/run/postgresql"),
        ("letopis.db", "letopis.db"),
    ],
)
def test_messages_show_the_url_without_its_password(url: str, shown: str) -> None:
    assert display_url(url) == shown


def test_an_unreachable_server_is_a_store_error_naming_it(postgres: Server) -> None:
    url = "postgresql://anna:секрет@127.0.0.1:1/letopis"  # nothing listens on port 1
    with pytest.raises(StoreError) as error:
        Store.open(url)
    message = str(error.value)
    assert message.startswith("postgresql://anna@127.0.0.1:1/letopis: cannot connect: ")
    assert "Connection refused" in message and "секрет" not in message and "\n" not in message


def test_a_wrong_password_is_a_store_error_without_the_password(postgres: Server) -> None:
    if not postgres.throwaway:
        pytest.skip("needs the throwaway cluster, which has a role with a password")
    good = postgres.database_url("postgres").replace("postgres@", f"{PASSWORD_ROLE}:{PASSWORD}@", 1)
    psycopg.connect(good).close()
    bad = good.replace(PASSWORD, "неверный")
    with pytest.raises(StoreError) as error:
        Store.open(bad)
    assert str(error.value) == (
        f'{display_url(bad)}: cannot connect: password authentication failed for user "{PASSWORD_ROLE}"'
    )


def test_a_missing_database_is_a_store_error(postgres: Server) -> None:
    url = postgres.database_url("нет_такой_базы")
    with pytest.raises(StoreError) as error:
        Store.open(url)
    assert str(error.value) == f'{url}: cannot connect: database "нет_такой_базы" does not exist'


def test_a_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError) as error:
        Store.open("postgresql://anna@db.example.org:порт/letopis")
    assert str(error.value).startswith("postgresql://anna@db.example.org:порт/letopis: cannot connect: ")


def test_the_cli_says_what_went_wrong_in_one_line(postgres: Server) -> None:
    result = runner.invoke(app, ["summary", "--db", "postgresql://anna:секрет@127.0.0.1:1/letopis"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: postgresql://anna@127.0.0.1:1/letopis: cannot connect: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


# --- the schema ----------------------------------------------------------------------------------


@contextmanager
def scratch_database(postgres: Server, name: str, options: str = "ENCODING 'UTF8'") -> Iterator[str]:
    """A database made from template0 (no migrations applied), dropped after; its URL."""
    with postgres.admin() as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 {options}")
    try:
        yield postgres.database_url(name)
    finally:
        with postgres.admin() as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_a_new_database_gets_the_migrations_and_a_version_table(postgres: Server) -> None:
    with scratch_database(postgres, "letopis_empty") as url, Store.open(url) as store:
        assert store.schema_version == 9
        version = store.connection.execute("SELECT version FROM schema_version").fetchall()
        assert [tuple(row) for row in version] == [(9,)]
        store.add(meeting())
        assert [hit["id"] for hit in search(store, "Балаевой")["documents"]] == ["d-meeting"]


def test_a_documents_long_values_are_compressed_with_lz4(pg_db: str) -> None:
    """Migration 0005: lz4, not pglz, for a document's text, record and full-text lemmas (a server
    built with lz4, as Debian's is)."""
    seeds = "\n".join(Path(path).read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt")))
    long = dataclasses.replace(meeting(), id="d-long", text=MEETING_TEXT + "\n" + seeds * 3)
    assert len(long.text) > 8000  # past TOAST's threshold: stored compressed
    with Store.open(pg_db) as store:
        store.add(long)
        methods = store.connection.execute(
            "SELECT pg_column_compression(d.text), pg_column_compression(d.record),"
            " pg_column_compression(f.body), pg_column_compression(f.lemmas)"
            " FROM documents AS d JOIN documents_fts AS f ON f.rowid = d.seq WHERE d.id = 'd-long'"
        ).fetchone()
    assert tuple(methods) == ("lz4", "lz4", "lz4", "lz4")


def test_a_store_from_a_newer_letopis_is_refused(pg_db: str) -> None:
    with Store.open(pg_db) as store:
        store.connection.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreError) as error:
        Store.open(pg_db)
    assert (
        str(error.value)
        == f"{pg_db}: schema version 99 is newer than this letopis knows (9); upgrade letopis"
    )


SCHEMA = """CREATE TABLE t (id {{id}}, name TEXT);
-- [sqlite]
CREATE VIRTUAL TABLE t_fts USING fts5 (name);
-- [postgresql]
CREATE INDEX t_name ON t USING gin (to_tsvector('simple', name));
-- [both]
CREATE INDEX t_id ON t (id);
"""


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        (
            "sqlite",
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\n"
            "CREATE VIRTUAL TABLE t_fts USING fts5 (name);\nCREATE INDEX t_id ON t (id);\n",
        ),
        (
            "postgresql",
            "CREATE TABLE t (id IDENTITY, name TEXT);\n"
            "CREATE INDEX t_name ON t USING gin (to_tsvector('simple', name));\n"
            "CREATE INDEX t_id ON t (id);\n",
        ),
    ],
)
def test_a_migration_is_rendered_for_each_database(dialect: str, expected: str) -> None:
    tokens = {"{{id}}": "INTEGER PRIMARY KEY" if dialect == "sqlite" else "IDENTITY"}
    assert render(SCHEMA, dialect, tokens) == expected


@pytest.mark.parametrize(
    ("sql", "psycopg_sql"),
    [
        ("SELECT * FROM t WHERE id = ? AND name = ?", "SELECT * FROM t WHERE id = %s AND name = %s"),
        ("SELECT :type IS NULL OR type = :type", "SELECT %(type)s IS NULL OR type = %(type)s"),
        ("SELECT '?', ':x', '100%' WHERE a = ?", "SELECT '?', ':x', '100%%' WHERE a = %s"),
        (
            "SELECT x::jsonb, \"a:b\" FROM t WHERE y LIKE '%' || :p",
            "SELECT x::jsonb, \"a:b\" FROM t WHERE y LIKE '%%' || %(p)s",
        ),
        ("SELECT 'it''s ?'", "SELECT 'it''s ?'"),
    ],
)
def test_sqlite_parameters_become_psycopg_parameters(sql: str, psycopg_sql: str) -> None:
    assert translate(sql) == psycopg_sql


# --- two writers at once -------------------------------------------------------------------------


def entities(url: str) -> list[tuple[str, str, int]]:
    with Store.open(url) as store:
        rows = store.connection.execute("SELECT type, name, mention_count FROM entities ORDER BY type, name")
        return [tuple(row) for row in rows]


def test_two_ingests_at_once_make_the_entities_one_ingest_makes(postgres: Server, pg_db: str) -> None:
    """Both processes ingest the whole corpus into one database at the same time: every name is
    one entity, as after a single ingest, and neither process fails."""
    alone = postgres.new_database()
    try:
        assert runner.invoke(app, ["ingest", str(KB_CORPUS), "--db", alone]).exit_code == 0
        command = [sys.executable, "-m", "letopis", "ingest", str(KB_CORPUS), "--db", pg_db]
        env = {**os.environ, "COLUMNS": "200"}
        processes = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(2)
        ]
        results = [process.communicate(timeout=300) for process in processes]
        for process, (stdout, stderr) in zip(processes, results, strict=True):
            assert process.returncode == 0, stderr
            assert "failed 0" in stdout
        found = entities(pg_db)
        assert len({(kind, name) for kind, name, _ in found}) == len(found)  # no name twice
        assert found == entities(alone)
    finally:
        postgres.drop(alone)


# --- the command line and the server -------------------------------------------------------------


def test_ingest_search_and_serve_a_postgresql_store(pg_db: str) -> None:
    ingested = runner.invoke(app, ["ingest", str(SAMPLES), "--db", pg_db])
    assert ingested.exit_code == 0, ingested.output
    assert "new 2" in ingested.stdout and ingested.stdout.rstrip().endswith(f"-> {pg_db}")
    found = runner.invoke(app, ["search", "Балаевой", "--db", pg_db])
    assert found.exit_code == 0 and "Балаева" in found.stdout
    with serving(pg_db) as base:
        index = httpx.get(base + "/index.json", timeout=10).json()
        hits = httpx.get(base + "/api/search", params={"q": "референдума"}, timeout=10).json()
        page = httpx.get(base + "/search", params={"q": "Балаевой"}, timeout=10)
    assert index["summary"]["documents"] == 2
    assert hits["documents"] and all("референдум" in hit["snippet"].lower() for hit in hits["documents"])
    assert page.status_code == 200 and "Балаев" in page.text


# --- the same answers on both backends -----------------------------------------------------------

DOCUMENTS = [meeting, referendum, embassy, forum, history]
ENTITIES = ["Аида Балаева", "Ермек Кошербаев", "Казахстан", "ООН-Женщины"]


@pytest.fixture(scope="module")
def twin_stores(postgres: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    """The same documents, in the same order, in an SQLite store and in a PostgreSQL one; a quote
    rejected and two entities merged in both."""
    url = postgres.new_database()
    stores = (Store.open(tmp_path_factory.mktemp("twin") / "letopis.db"), Store.open(url))
    for store in stores:
        for make in DOCUMENTS:
            store.add(make())
        store.review_fact("quote:1", "reject", by="редактор")
        store.merge_entities(_id(store, "ООН-Женщины"), _id(store, "ООН"), by="редактор")
    yield stores
    for store in stores:
        store.close()
    postgres.drop(url)


def _id(store: Store, name: str) -> int:
    return queries.entity_reference(store, name)["id"]


def _calls(store: Store) -> list[tuple[str, Any]]:
    """(name, answer) of every read function over a few arguments each."""
    ids = [_id(store, name) for name in ENTITIES]
    calls: list[tuple[str, Any]] = [
        ("summary", queries.summary(store)),
        ("fact_counts", queries.fact_counts(store)),
        ("list_documents", queries.list_documents(store)),
        ("filter_documents", queries.filter_documents(store, since="2026-01-01", source="news")),
        ("filter_documents topic", queries.filter_documents(store, topic="17")),
        ("list_entities", queries.list_entities(store)),
        ("search_entities", queries.search_entities(store, "казахстана")),
        ("list_positions", queries.list_positions(store)),
        ("list_positions title", queries.list_positions(store, title="Посол")),
        ("list_quotes", queries.list_quotes(store, distinct=True)),
        ("list_events", queries.list_events(store)),
        ("list_events distinct", queries.list_events(store, status="announced", distinct=True)),
        ("topic_counts", queries.topic_counts(store)),
        ("entity_graph", queries.entity_graph(store)),
        ("position_conflicts", queries.position_conflicts(store)),
        ("who_met_whom", queries.who_met_whom(store)),
        ("who_said", queries.who_said(store, "партнерство")),
        ("announced_events", queries.announced_events(store, "2026-01-01", "2031-01-01")),
        ("curation_log", queries.curation_log(store)),
        ("headlines", queries.headlines(store, ["d-meeting", "t-forum"])),
        ("get_document", queries.get_document(store, "d-meeting")),
    ]
    for query in ["Балаевой", "Казахстан", "встреча", "форум партнёрство", "референдума"]:
        calls.append((f"search {query}", queries.search(store, query)))
        calls.append((f"search_documents {query}", queries.search_documents(store, query)))
        calls.append((f"search_documents {query} LOC", queries.search_documents(store, query, type="LOC")))
        calls.append((f"find_entities {query}", queries.find_entities(store, query)))
    for entity_id in ids:
        calls.append((f"knowledge_profile {entity_id}", queries.knowledge_profile(store, entity_id)))
        calls.append((f"curation_log {entity_id}", queries.curation_log(store, entity_id)))
    return calls


def _timeless(value: Any) -> Any:
    """`value` without the times edits were made at (the two stores were edited a moment apart)."""
    if isinstance(value, dict):
        return {key: _timeless(item) for key, item in value.items() if key != "at"}
    if isinstance(value, list | tuple):
        return [_timeless(item) for item in value]
    return value


def test_every_read_answers_the_same_on_both_backends(twin_stores: tuple[Store, Store]) -> None:
    on_sqlite, on_postgres = (_calls(store) for store in twin_stores)
    for (name, expected), (_, answer) in zip(on_sqlite, on_postgres, strict=True):
        assert _timeless(answer) == _timeless(expected), name


@pytest.mark.parametrize(
    "query", ['"(foo AND', "Балаева OR", "NEAR(a b)", "-Балаева", "Балаев*", "a:b & !c | d'"]
)
def test_query_syntax_is_read_as_words_on_both_backends(twin_stores: tuple[Store, Store], query: str) -> None:
    on_sqlite, on_postgres = (queries.search(store, query) for store in twin_stores)
    assert on_postgres == on_sqlite


def test_a_database_not_in_utf8_is_refused(postgres: Server) -> None:
    with scratch_database(postgres, "letopis_latin1", "ENCODING 'LATIN1' LOCALE 'C'") as url:
        with pytest.raises(StoreError) as error:
            Store.open(url)
        assert str(error.value) == (
            f"{url}: the database's encoding is LATIN1; letopis needs UTF8 (createdb -E UTF8 -T template0 …)"
        )


def test_serve_says_at_once_when_the_store_cannot_be_opened() -> None:
    result = runner.invoke(
        app, ["serve", "--db", "postgresql://anna:секрет@127.0.0.1:1/letopis", "--port", "1"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: postgresql://anna@127.0.0.1:1/letopis: cannot connect: ")
    assert "Traceback" not in result.output


def test_a_store_lost_while_serving_is_a_503_without_the_reason(postgres: Server) -> None:
    url = postgres.new_database()
    with serving(url) as base:
        assert httpx.get(base + "/index.json", timeout=10).status_code == 200
        postgres.drop(url)
        as_json = httpx.get(base + "/index.json", timeout=10)
        as_page = httpx.get(base + "/", headers={"accept": "text/html"}, timeout=10)
    for response, content_type in ((as_json, "json"), (as_page, "html")):
        assert response.status_code == 503 and content_type in response.headers["content-type"]
        assert "the store is unavailable" in response.text and "letopis_test" not in response.text
