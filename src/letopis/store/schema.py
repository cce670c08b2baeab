"""One schema for both databases: the numbered files in store/migrations, rendered for each.

A migration file is SQL that both SQLite and PostgreSQL run, with two kinds of marks:

- `{{id}}`: an integer key the database assigns (SQLite `INTEGER PRIMARY KEY`, PostgreSQL an
  identity column); each dialect says what its tokens become;
- a line `-- [sqlite]` or `-- [postgresql]` starts SQL for that database only, `-- [both]` ends it:
  the full-text tables (FTS5 / tsvector) and the few SQLite functions PostgreSQL lacks.

`Dialect` lists everything else that differs; letopis.store.sqlite and .postgres implement it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from importlib import resources
from typing import Any, Protocol

from letopis.errors import StoreError

MIGRATION_FILE = re.compile(r"^(\d{4})_\w+\.sql$")
SECTION = re.compile(r"^--\s*\[(sqlite|postgresql|both)\]\s*$")


class Dialect(Protocol):
    """What differs between SQLite and PostgreSQL; all other SQL is written once for both."""

    name: str
    errors: tuple[type[Exception], ...]  # what the driver raises
    row_order: str  # a column ordering a table's rows as stored (equal index keys come in this order)

    def schema(self, sql: str) -> str:
        """A migration file as this database runs it."""

    def run_script(self, connection: Any, sql: str) -> None:
        """Run several statements inside the current transaction."""

    def schema_version(self, connection: Any) -> int:
        """The number of the last migration applied (0 for an empty database)."""

    def set_schema_version(self, connection: Any, version: int) -> None: ...

    def begin_write(self, connection: Any) -> Hashable:
        """Begin a transaction that writes, once no other writer holds the store; return the write
        mark it found: the `write_mark` this connection read at the end of its last write transaction
        if nothing wrote the store since, another value if another connection did (this connection's
        own write transactions in between, the Store counts)."""

    def write_mark(self, connection: Any) -> Hashable:
        """Inside a write transaction, after its writes: the mark `begin_write` on this connection
        returns next if nothing writes the store in between (a bulk load keeps its memo from one
        chunk to the next only then: Store.add_many)."""

    def pipelined(self, connection: Any) -> AbstractContextManager[None]:
        """Statements inside are sent without waiting for each one's answer until a row is read (a
        bulk load's many writes); errors may surface at a later statement or at the end."""

    def next_id(self, connection: Any, table: str) -> int:
        """The id the database would give the next row of `table` (its `id` column)."""

    def took_id(self, connection: Any, table: str, row_id: int) -> None:
        """A row of `table` was inserted with `row_id` given, the `next_id`: the one after gets more."""

    def insert_rows(
        self, connection: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
    ) -> None:
        """Insert `rows` (values in the order of `columns`) into `table`, as fast as the database can."""

    def optimize(self, connection: Any) -> None:
        """After a bulk load, what makes the store fast to search again (outside a transaction)."""

    def after_explicit_ids(self, connection: Any) -> None:
        """After rows were inserted with their ids given (an import): new rows get higher ones."""

    def reason(self, error: Exception) -> str:
        """A driver's error in one line."""

    def fts_query(self, terms: list[tuple[str, ...]]) -> str:
        """The search parameter requiring one lemma of every term (letopis.nlp.lemmas.query_terms),
        never read as query syntax."""

    def fts_match(self, table: str, param: str) -> str:
        """SQL true for the rows of documents_fts or entities_fts matching `param` (fts_query)."""

    def fts_rank(self, table: str, param: str) -> str:
        """SQL to order matching rows by, best first (ascending)."""

    def fts_rowid(self, table: str) -> str:
        """`table`'s rowid as search compares and orders it when it looks for the newest matches."""

    def full_text_plans(self, connection: Any) -> AbstractContextManager[None]:
        """Planner settings for the reads inside, which match the full-text index."""


def column_list(columns: tuple[str, ...]) -> str:
    """Columns for SQL, quoted ("end", "from" and "to" are keywords); rowid as it is, SQLite's own."""
    return ", ".join(column if column == "rowid" else f'"{column}"' for column in columns)


def render(sql: str, dialect: str, tokens: dict[str, str]) -> str:
    """The lines of `sql` for `dialect` (its sections and the shared ones), tokens replaced."""
    kept, section = [], "both"
    for line in sql.splitlines():
        marked = SECTION.match(line.strip())
        if marked:
            section = marked.group(1)
        elif section in ("both", dialect):
            kept.append(line)
    text = "\n".join(kept) + "\n"
    for token, value in tokens.items():
        text = text.replace(token, value)
    return text


def migrations() -> list[tuple[int, str]]:
    """The numbered files in store/migrations, in order; numbers must run 1, 2, 3… without gaps."""
    folder = resources.files(__package__).joinpath("migrations")
    found: dict[int, str] = {}
    for entry in folder.iterdir():
        match = MIGRATION_FILE.match(entry.name)
        if match:
            found[int(match.group(1))] = entry.read_text(encoding="utf-8")
    numbers = sorted(found)
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"store migrations are not numbered 1..{len(numbers)}: {numbers}")
    return [(number, found[number]) for number in numbers]


def migrate(
    connection: Any,
    dialect: Dialect,
    write: Callable[[], Any],
    after: dict[int, Callable[[Any], None]],
    on_upgrade: Callable[[int, int], None] | None = None,
) -> None:
    """Apply the migrations the database lacks, in one write transaction (`write()`), then `after`
    each one that has a step SQL alone cannot do; `on_upgrade(from, to)` first, when there are any
    (a store of an earlier letopis: rewriting its search index takes a while)."""
    files = migrations()
    latest = len(files)
    if dialect.schema_version(connection) == latest:
        return
    with write():
        # Read again under the write lock: another process may have migrated meanwhile.
        version = dialect.schema_version(connection)
        if version > latest:
            raise StoreError(
                f"schema version {version} is newer than this letopis knows ({latest}); upgrade letopis"
            )
        if on_upgrade is not None and version < latest:
            on_upgrade(version, latest)
        for number, sql in files[version:]:
            dialect.run_script(connection, dialect.schema(sql))
            if number in after:
                after[number](connection)
            dialect.set_schema_version(connection, number)
