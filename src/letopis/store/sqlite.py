"""The SQLite backend: one file, WAL, the write lock taken when a transaction begins.

What is SQLite's own: opening the file (PRAGMAs), the schema version (`PRAGMA user_version`),
FTS5 for the lemma index. The store's SQL is shared with PostgreSQL (letopis.store.postgres).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from letopis.errors import StoreError
from letopis.store.schema import column_list, render

BUSY_TIMEOUT_SECONDS = 10.0
WAL_SWITCH_RETRY_SECONDS = 0.01
# Pages each connection keeps in memory (SQLite's default is 2 MiB): the indexes a bulk load writes
# (mentions, keys, full text) stop fitting at a few thousand documents, and every insert then reads.
# The most a connection holds; the server opens one per request, so this bounds each request too.
CACHE_KIB = 64 * 1024


def connect(path: str) -> sqlite3.Connection:
    """Open (or create) the database file; `StoreError` naming the file when that fails."""
    try:
        # Transactions are explicit (isolation_level=None); a store may be opened in one thread and
        # used in another (FastAPI's thread pool), one at a time, hence check_same_thread=False.
        connection = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
    try:
        _configure(connection)
    except sqlite3.Error as exc:
        connection.close()
        raise StoreError(f"{path}: cannot open the store: {exc}") from exc
    return connection


def _configure(connection: sqlite3.Connection) -> None:
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    # The first statement that reads the file: a file that is not a database fails here.
    _switch_to_wal(connection)
    # With WAL, NORMAL cannot corrupt the file; it only skips an fsync per commit (one per document).
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(f"PRAGMA cache_size = {-CACHE_KIB:d}")


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """PRAGMA journal_mode = WAL, waiting as a write would. A file still in the rollback journal (a
    store being created) needs every other connection gone for the switch, and SQLite answers
    "database is locked" at once rather than calling the busy handler: two processes opening a new
    store together, or a reader that came first, would otherwise fail the second one."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(WAL_SWITCH_RETRY_SECONDS)


class SQLiteDialect:
    """The SQLite side of letopis.store.schema.Dialect."""

    row_order = "rowid"  # the order rows are stored in

    name = "sqlite"
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def schema(self, sql: str) -> str:
        return render(sql, self.name, {"{{id}}": "INTEGER PRIMARY KEY"})

    def run_script(self, connection: sqlite3.Connection, sql: str) -> None:
        # Statement by statement, inside our own transaction (executescript would commit).
        for statement in _statements(sql):
            connection.execute(statement)

    def schema_version(self, connection: sqlite3.Connection) -> int:
        return connection.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, connection: sqlite3.Connection, version: int) -> None:
        connection.execute(f"PRAGMA user_version = {version:d}")

    def begin_write(self, connection: sqlite3.Connection) -> int:
        # IMMEDIATE takes the write lock now: one writer at a time, readers go on (WAL).
        connection.execute("BEGIN IMMEDIATE")
        return self.write_mark(connection)

    def write_mark(self, connection: sqlite3.Connection) -> int:
        """SQLite's data version, which moves when another connection commits, not this one (the
        Store counts its own write transactions). Read inside the write transaction: read after our
        COMMIT, it could already count a commit that came just after."""
        return connection.execute("PRAGMA data_version").fetchone()[0]

    def pipelined(self, connection: sqlite3.Connection) -> AbstractContextManager[None]:
        return nullcontext()  # in-process: a statement costs no round trip

    def next_id(self, connection: sqlite3.Connection, table: str) -> int:
        # SQLite gives a new row the largest rowid + 1 (the id is the rowid, without AUTOINCREMENT).
        return connection.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]

    def took_id(self, connection: sqlite3.Connection, table: str, row_id: int) -> None:
        """Nothing to do: the next row gets max(id) + 1 whoever gave this one."""

    def insert_rows(
        self,
        connection: sqlite3.Connection,
        table: str,
        columns: tuple[str, ...],
        rows: list[tuple[Any, ...]],
    ) -> None:
        marks = ", ".join("?" * len(columns))
        connection.executemany(f"INSERT INTO {table} ({column_list(columns)}) VALUES ({marks})", rows)

    def optimize(self, connection: sqlite3.Connection) -> None:
        """Statistics for the planner (FTS5 merges its own index as it grows). Without them SQLite
        reads an entity's documents by their primary key, row by row, not from the index that also
        holds their dates: 190 -> 35 ms for an entity of 43,700 documents; ANALYZE took 0.9 s at
        100,000 documents."""
        connection.execute("ANALYZE")

    def after_explicit_ids(self, connection: sqlite3.Connection) -> None:
        """Nothing to do: a new row's id is max(id) + 1 whoever wrote the others."""

    def reason(self, error: Exception) -> str:
        return str(error)

    # --- full-text search over lemmas (FTS5; `rowid` is documents.seq or entities.id) ------------

    def fts_query(self, terms: list[tuple[str, ...]]) -> str:
        """Every term required, any of its lemmas; each lemma quoted, so no input is read as FTS5 syntax."""
        return " AND ".join(
            "(" + " OR ".join('"' + word.replace('"', '""') + '"' for word in term) + ")" for term in terms
        )

    def fts_match(self, table: str, param: str) -> str:
        return f"{table} MATCH {param}"

    def fts_rank(self, table: str, param: str) -> str:
        # Lower is better. Columns: the id (unindexed), then title 2.0 and body 1.0, or names.
        return f"bm25({table}, 0.0, 2.0, 1.0)"

    def full_text_plans(self, connection: sqlite3.Connection) -> AbstractContextManager[None]:
        return nullcontext()  # FTS5 matches come from its index, whatever the query

    def fts_rowid(self, table: str) -> str:
        # FTS5 walks a term's matches in rowid order, either way, and stops at a LIMIT.
        return f"{table}.rowid"


def _statements(sql: str) -> Iterator[str]:
    """Split a script into statements."""
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                yield pending
            pending = ""


DIALECT = SQLiteDialect()
