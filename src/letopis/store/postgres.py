"""The PostgreSQL backend: `Store.open("postgresql://user@host/db")`.

The store's SQL is written once, for sqlite3 (`?` and `:name` parameters, rows by name or by
position); `Connection` gives psycopg that interface. Parameters are bound on the client
(psycopg's ClientCursor), as sqlite3 binds them: `:since IS NULL` needs no type for NULL.

What is PostgreSQL's own: the schema version (table `schema_version`), one writer at a time (a
transaction-level advisory lock, as SQLite's BEGIN IMMEDIATE), write transactions counted (sequence
`store_writes`, as SQLite's PRAGMA data_version), and a tsvector over the lemmas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from letopis.errors import StoreError
from letopis.store.schema import column_list, render

URL_SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_SECONDS = 10
WRITER_LOCK = 0x6C65746F  # pg_advisory_xact_lock key held by the one writer ("leto")
# A quoted string or identifier (kept, with % doubled for psycopg), ::, a ? or :name parameter, a %.
SQL_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|::|\?|:([A-Za-z_]\w*)|%")


def is_url(location: str) -> bool:
    """Whether a --db value names a PostgreSQL database rather than an SQLite file."""
    return location.startswith(URL_SCHEMES)


def display_url(url: str) -> str:
    """The URL without its password, to show in messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}@{host}"))


def connect(url: str) -> Connection:
    """Connect to the database at `url`; `StoreError` naming the server and the reason when that fails."""
    import psycopg

    try:
        raw = psycopg.connect(
            url,
            autocommit=True,  # transactions are explicit, as in the SQLite backend
            cursor_factory=psycopg.ClientCursor,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            client_encoding="UTF8",
        )
    except psycopg.Error as exc:
        raise StoreError(f"{display_url(url)}: cannot connect: {_connect_reason(exc)}") from exc
    encoding = raw.execute("SHOW server_encoding").fetchone()[0]
    if encoding != "UTF8":
        raw.close()
        raise StoreError(
            f"{display_url(url)}: the database's encoding is {encoding}; letopis needs UTF8"
            " (createdb -E UTF8 -T template0 …)"
        )
    return Connection(raw)


def _connect_reason(error: Exception) -> str:
    """libpq's message without its prefixes: 'connection to server at "…" failed: FATAL:  …'."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reason = lines[0] if lines else type(error).__name__
    reason = re.sub(r"^connection failed:\s*", "", reason)
    reason = re.sub(r"^connection to server (?:at|on) .*?failed:\s*", "", reason)
    return re.sub(r"^FATAL:\s*", "", reason) or reason


class Row(tuple):
    """A result row by position or by column name, as sqlite3.Row."""

    def __new__(cls, values: Any, names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _rows(cursor: Any) -> Any:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, names)


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """sqlite3's parameters as psycopg's: `?` -> `%s`, `:name` -> `%(name)s`, a literal % -> %%."""

    def replace(match: re.Match[str]) -> str:
        text = match.group()
        if text[0] in "'\"":
            return text.replace("%", "%%")
        if text == "?":
            return "%s"
        if text == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return text  # ::

    return SQL_TOKEN.sub(replace, sql)


class Connection:
    """A psycopg connection with the part of sqlite3.Connection's interface the store uses."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Any = ()) -> Any:
        cursor = self.raw.cursor(row_factory=_rows)
        cursor.execute(translate(sql), params)
        return cursor

    def executemany(self, sql: str, rows: Any) -> Any:
        """Rows written with parameters bound by the server, the statement prepared once: each is an
        INSERT or UPDATE whose columns give every parameter its type (client-side binding, as in
        `execute`, quotes every value in Python, several times slower for a bulk load)."""
        import psycopg

        cursor = psycopg.Cursor(self.raw, row_factory=_rows)
        rows = list(rows)
        if rows:
            cursor.executemany(translate(sql), rows)
        return cursor

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


class PostgresDialect:
    """The PostgreSQL side of letopis.store.schema.Dialect."""

    row_order = "ctid"  # the order rows are stored in

    name = "postgresql"

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        import psycopg

        return (psycopg.Error,)

    def schema(self, sql: str) -> str:
        text = render(sql, self.name, {"{{id}}": "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"})
        # Byte order, as SQLite compares text, whatever the database's locale says.
        return re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', text)

    def run_script(self, connection: Connection, sql: str) -> None:
        # Without parameters psycopg sends the script as it is: PostgreSQL runs every statement.
        connection.raw.execute(sql)

    def schema_version(self, connection: Connection) -> int:
        if connection.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
            return 0
        row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
        return row[0] or 0

    def set_schema_version(self, connection: Connection, version: int) -> None:
        connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        connection.execute("DELETE FROM schema_version")
        connection.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def begin_write(self, connection: Connection) -> int | None:
        connection.execute("BEGIN")
        connection.execute("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))
        # Counted once the lock is held: no other writer counts until this one commits, so its
        # `write_mark` is the last count until then. None while the migrations that make the
        # sequence (0007) run.
        count = connection.execute("SELECT nextval(to_regclass('store_writes'))").fetchone()[0]
        return None if count is None else count - 1

    def write_mark(self, connection: Connection) -> int:
        """The writes counted so far, this transaction's among them."""
        return connection.execute("SELECT last_value FROM store_writes").fetchone()[0]

    @contextmanager
    def pipelined(self, connection: Connection) -> Iterator[None]:
        """psycopg's pipeline mode: reading a row sends what is pending and waits for it."""
        import psycopg

        with connection.raw.pipeline() as pipeline:
            try:
                yield
            except psycopg.Error:
                # End the pipeline's aborted state here, or psycopg logs a warning on leaving it.
                with suppress(psycopg.Error):
                    pipeline.sync()
                raise

    def next_id(self, connection: Connection, table: str) -> int:
        """What nextval of the identity column's sequence would give (it is not called: not taken)."""
        sequence = connection.execute("SELECT pg_get_serial_sequence(?, 'id')", (table,)).fetchone()[0]
        last, called = connection.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()
        return last + 1 if called else last

    def took_id(self, connection: Connection, table: str, row_id: int) -> None:
        # Not read back: inside a pipeline it costs no round trip.
        connection.execute("SELECT setval(pg_get_serial_sequence(?, 'id'), ?)", (table, row_id))

    def insert_rows(
        self, connection: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
    ) -> None:
        """COPY, several times faster than INSERTs; in pipeline mode, where COPY cannot run, INSERTs."""
        from psycopg.pq import PipelineStatus

        if connection.raw.info.pipeline_status != PipelineStatus.OFF:
            marks = ", ".join("?" * len(columns))
            connection.executemany(f"INSERT INTO {table} ({column_list(columns)}) VALUES ({marks})", rows)
            return
        with connection.raw.cursor().copy(f"COPY {table} ({column_list(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def optimize(self, connection: Connection) -> None:
        # Statistics for the planner (without them it guesses a table holds a few rows), and the GIN
        # indexes' pending entries merged (each search reads them all until then): what autovacuum
        # would do, later. A no-hit search of a store just loaded: 47 ms before, 0.5 ms after.
        connection.execute("VACUUM (ANALYZE)")

    def after_explicit_ids(self, connection: Connection) -> None:
        """Move each identity column's sequence past the highest id (after an import gave ids)."""
        columns = connection.execute(
            "SELECT table_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'"
            " ORDER BY table_name"
        ).fetchall()
        for (table,) in columns:
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false)"
                f" FROM {table}"
            )

    def reason(self, error: Exception) -> str:
        diag = getattr(error, "diag", None)
        primary = diag.message_primary if diag is not None else None
        return primary or str(error).strip().splitlines()[0]

    # --- full-text search over lemmas (documents_fts.lemmas, a tsvector; see migration 0001) -----

    def fts_query(self, terms: list[tuple[str, ...]]) -> str:
        """Every term required, any of its lemmas, each a quoted lexeme, so no input is read as tsquery
        syntax."""

        def quoted(word: str) -> str:
            return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

        return " & ".join("(" + " | ".join(quoted(word) for word in term) + ")" for term in terms)

    def fts_match(self, table: str, param: str) -> str:
        return f"{table}.lemmas @@ to_tsquery('simple', {param})"

    def fts_rank(self, table: str, param: str) -> str:
        # ts_rank is higher for better; weights {D, C, B, A}: body (B) half the title (A).
        return f"-ts_rank('{{0.1, 0.2, 0.5, 1.0}}', {table}.lemmas, to_tsquery('simple', {param}), 1)"

    @contextmanager
    def full_text_plans(self, connection: Connection) -> Iterator[None]:
        # documents_fts's rows are small (0003), so a sequential scan looks cheap to the planner, but
        # testing a row's tsvector reads it back from TOAST: 400 ms for a rare word at 100,000
        # documents, against 1 ms for its matches from the GIN index. A parallel walk of its primary
        # key that tests each row is as slow, and the planner took it for a query word of two or three
        # lemmas ("Основного закона", «рада»): 320 ms, 14 ms without parallel index scans (parallel
        # bitmap scans, which ranking a common word's matches uses, stay).
        connection.execute("SET enable_seqscan = off")
        connection.execute("SET min_parallel_index_scan_size = '1TB'")
        try:
            yield
        finally:
            connection.execute("RESET enable_seqscan")
            connection.execute("RESET min_parallel_index_scan_size")

    def fts_rowid(self, table: str) -> str:
        # "+ 0" hides the primary key from the planner: it would walk the key in order and read every
        # row's tsvector to test it (240 ms for the 2,000 newest of 34,000 matches at 100,000 documents)
        # instead of taking the matches from the GIN index and sorting their rowids (10 ms).
        return f"({table}.rowid + 0)"


DIALECT = PostgresDialect()
