"""The database connection the knowledge base reads and writes through.

sqlite3's interface, which both stores give (letopis.store.sqlite, letopis.store.postgres): SQL
with `?` or `:name` parameters, written once for SQLite and PostgreSQL; rows by column name or
position.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

Row = Any  # sqlite3.Row, or letopis.store.postgres.Row: row["name"] and row[0]


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Row | None: ...

    def fetchall(self) -> list[Row]: ...

    def __iter__(self) -> Iterator[Row]: ...


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Any: ...
