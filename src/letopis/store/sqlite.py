"""The SQLite store: one file, numbered migrations, one transaction per document."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from types import TracebackType
from typing import Any, Literal

from letopis.errors import StoreError
from letopis.model import Document, Entity
from letopis.nlp.lemmas import lemmatize

AddResult = Literal["new", "updated", "duplicate"]

BUSY_TIMEOUT_SECONDS = 10.0
MIGRATION_FILE = re.compile(r"^(\d{4})_\w+\.sql$")
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class Store:
    """A letopis database in one SQLite file: `with Store.open("letopis.db") as store: store.add(doc)`."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.connection = connection
        self.path = path

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        """Open or create the store at `path` and apply the migrations it lacks."""
        path = os.fspath(path)
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
            _migrate(connection)
        except sqlite3.Error as exc:
            connection.close()
            raise StoreError(f"{path}: cannot open the store: {exc}") from exc
        except StoreError as exc:
            connection.close()
            raise StoreError(f"{path}: {exc}") from exc
        return cls(connection, path)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The number of the last migration applied (`PRAGMA user_version`)."""
        return self.connection.execute("PRAGMA user_version").fetchone()[0]

    def add(self, doc: Document) -> AddResult:
        """Store a document with its facts: "new", "updated" (same source, other content) or "duplicate"."""
        key = source_key(doc)
        record = contract_record(doc)
        digest = content_hash(record)
        try:
            with _transaction(self.connection):
                return _write_document(self.connection, doc, record, key, digest)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot store document {doc.id}: {exc}") from exc


def source_key(doc: Document) -> str:
    """Where a document came from, comparable across runs: absolute path or URL, + "#item"."""
    source = doc.source
    if source == "-" and not doc.item:
        # Standard input has no identity of its own, so two different texts must not replace each other.
        return f"-#{doc.id}"
    if source != "-" and not URL.match(source):
        source = os.path.abspath(source)
    return f"{source}#{doc.item}" if doc.item else source


def contract_record(doc: Document) -> dict[str, Any]:
    """The document's contract JSON with `kb_id` cleared: the store assigns those."""
    record = doc.to_dict()
    for entity in record["entities"]:
        entity["kb_id"] = None
    return record


def content_hash(record: dict[str, Any]) -> str:
    """sha1 of the contract JSON with sorted keys."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def entity_key(name: str) -> str:
    """The name as compared across documents: lower case, ё as е, single spaces."""
    return " ".join(name.lower().replace("ё", "е").split())


# --- opening -------------------------------------------------------------------------------------


def _configure(connection: sqlite3.Connection) -> None:
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    # The first statement that reads the file: a file that is not a database fails here.
    connection.execute("PRAGMA journal_mode = WAL")
    # With WAL, NORMAL cannot corrupt the file; it only skips an fsync per commit (one per document).
    connection.execute("PRAGMA synchronous = NORMAL")


def _migrate(connection: sqlite3.Connection) -> None:
    migrations = _migrations()
    latest = len(migrations)
    if _user_version(connection) == latest:
        return
    with _transaction(connection):
        # Read again under the write lock: another process may have migrated meanwhile.
        version = _user_version(connection)
        if version > latest:
            raise StoreError(
                f"schema version {version} is newer than this letopis knows ({latest}); upgrade letopis"
            )
        for number, sql in migrations[version:]:
            for statement in _statements(sql):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number:d}")


def _user_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def _migrations() -> list[tuple[int, str]]:
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


def _statements(sql: str) -> Iterator[str]:
    """Split a script into statements, so they run inside our own transaction (executescript commits)."""
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                yield pending
            pending = ""


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT; anything raised inside rolls everything back."""
    connection.execute("BEGIN IMMEDIATE")
    committed = False
    try:
        yield
        connection.execute("COMMIT")
        committed = True
    finally:
        if not committed and connection.in_transaction:
            connection.execute("ROLLBACK")


# --- writing one document ------------------------------------------------------------------------


def _write_document(
    connection: sqlite3.Connection, doc: Document, record: dict[str, Any], key: str, digest: str
) -> AddResult:
    clash = connection.execute("SELECT source_key FROM documents WHERE id = ?", (doc.id,)).fetchone()
    if clash is not None and clash["source_key"] != key:
        return "duplicate"
    old = connection.execute(
        "SELECT id, content_hash FROM documents WHERE source_key = ?", (key,)
    ).fetchone()
    if old is not None and old["content_hash"] == digest:
        return "duplicate"
    before = _remove_document(connection, old["id"]) if old is not None else set()
    kb = _link_entities(connection, doc.entities)
    for entity in record["entities"]:
        entity["kb_id"] = kb[entity["id"]]
    seq = _insert_document(connection, doc, record, key, digest)
    _insert_mentions(connection, doc, kb)
    _insert_doc_entities(connection, doc, kb)
    _insert_facts(connection, doc, kb)
    _index_document(connection, seq, doc)
    _recount_mentions(connection, before | set(kb.values()))
    _drop_orphan_entities(connection, before - set(kb.values()))
    return "new" if old is None else "updated"


def _remove_document(connection: sqlite3.Connection, doc_id: str) -> set[int]:
    """Delete a document, its facts (by cascade) and its index row; return the entities it linked."""
    linked = {
        row["entity_id"]
        for row in connection.execute("SELECT entity_id FROM doc_entities WHERE doc_id = ?", (doc_id,))
    }
    connection.execute(
        "DELETE FROM documents_fts WHERE rowid = (SELECT seq FROM documents WHERE id = ?)", (doc_id,)
    )
    connection.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    return linked


def _link_entities(connection: sqlite3.Connection, entities: Iterable[Entity]) -> dict[str, int]:
    """Map each of the document's entities to a store entity, creating it and adding aliases."""
    kb: dict[str, int] = {}
    for entity in entities:
        entity_id, created = _find_or_create_entity(connection, entity)
        added = _add_aliases(connection, entity_id, [entity.name, *entity.aliases])
        if created or added:
            _index_entity(connection, entity_id)
        kb[entity.id] = entity_id
    return kb


def _find_or_create_entity(connection: sqlite3.Connection, entity: Entity) -> tuple[int, bool]:
    key = entity_key(entity.name)
    row = connection.execute(
        "SELECT id FROM entities WHERE type = ? AND key = ?", (entity.type, key)
    ).fetchone()
    if row is not None:
        return row["id"], False
    cursor = connection.execute(
        "INSERT INTO entities (type, name, key) VALUES (?, ?, ?)", (entity.type, entity.name, key)
    )
    return cursor.lastrowid, True


def _add_aliases(connection: sqlite3.Connection, entity_id: int, aliases: list[str]) -> int:
    """Add the aliases the entity lacks; return how many were new."""
    added = 0
    for alias in dict.fromkeys(a for a in aliases if a.strip()):
        cursor = connection.execute(
            "INSERT INTO aliases (entity_id, alias, key) VALUES (?, ?, ?)"
            " ON CONFLICT (entity_id, alias) DO NOTHING",
            (entity_id, alias, entity_key(alias)),
        )
        added += cursor.rowcount
    return added


def _index_entity(connection: sqlite3.Connection, entity_id: int) -> None:
    name = connection.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()["name"]
    aliases = connection.execute("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))
    names = [name, *(row["alias"] for row in aliases)]
    lemmas = " ".join(dict.fromkeys(lemmatize(" ".join(names)).split()))
    connection.execute("DELETE FROM entities_fts WHERE rowid = ?", (entity_id,))
    connection.execute(
        "INSERT INTO entities_fts (rowid, entity_id, names) VALUES (?, ?, ?)", (entity_id, entity_id, lemmas)
    )


def _insert_document(
    connection: sqlite3.Connection, doc: Document, record: dict[str, Any], key: str, digest: str
) -> int:
    """Write the documents row; return its `seq` (the rowid of its full-text row)."""
    seq = connection.execute("SELECT coalesce(max(seq), 0) + 1 FROM documents").fetchone()[0]
    connection.execute(
        "INSERT INTO documents (id, seq, source, item, source_key, content_hash, url, title, published,"
        " text, text_offset, record, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc.id, seq, doc.source, doc.item, key, digest, doc.url, doc.title, doc.published,
            doc.text, doc.text_offset, json.dumps(record, ensure_ascii=False),
            datetime.now(UTC).isoformat(timespec="seconds"),
        ),
    )
    return seq


def _insert_mentions(connection: sqlite3.Connection, doc: Document, kb: dict[str, int]) -> None:
    connection.executemany(
        'INSERT INTO mentions (doc_id, start, "end", text, type, normal, local_entity, entity_id)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (doc.id, m.start, m.end, m.text, m.type, m.normal, m.entity, kb.get(m.entity))
            for m in doc.mentions
        ],
    )


def _insert_doc_entities(connection: sqlite3.Connection, doc: Document, kb: dict[str, int]) -> None:
    counts = Counter(m.entity for m in doc.mentions)
    connection.executemany(
        "INSERT INTO doc_entities (doc_id, local_id, entity_id, mentions) VALUES (?, ?, ?, ?)",
        [(doc.id, e.id, kb[e.id], counts[e.id]) for e in doc.entities],
    )


def _insert_facts(connection: sqlite3.Connection, doc: Document, kb: dict[str, int]) -> None:
    """Positions, quotes, dates, events and topics, with local entity ids resolved where they occur."""
    connection.executemany(
        "INSERT INTO positions (doc_id, person, person_entity_id, title, organization,"
        ' organization_entity_id, as_of, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
            (doc.id, p.person, kb.get(p.person), p.title, p.organization, kb.get(p.organization),
             p.as_of, p.start, p.end)
            for p in doc.positions
        ],
    )
    connection.executemany(
        'INSERT INTO quotes (doc_id, speaker, speaker_entity_id, speaker_text, text, kind, start, "end")'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (doc.id, q.speaker, kb.get(q.speaker), q.speaker_text, q.text, q.kind, q.start, q.end)
            for q in doc.quotes
        ],
    )
    connection.executemany(
        'INSERT INTO dates (doc_id, start, "end", text, "from", "to", precision, partial)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(doc.id, d.start, d.end, d.text, d.from_, d.to, d.precision, d.partial) for d in doc.dates],
    )
    connection.executemany(
        'INSERT INTO events (doc_id, local_id, type, name, status, "from", "to", place, place_entity_id,'
        ' participants, organizations, outcome, start, "end", partial)'
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (doc.id, v.id, v.type, v.name, v.status, v.from_, v.to, v.place, kb.get(v.place),
             json.dumps(v.participants), json.dumps(v.organizations), v.outcome, v.start, v.end, v.partial)
            for v in doc.events
        ],
    )
    connection.executemany(
        'INSERT INTO topics (doc_id, scheme, code, label, score, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?)',
        [(doc.id, t.scheme, t.code, t.label, t.score, t.start, t.end) for t in doc.topics],
    )


def _index_document(connection: sqlite3.Connection, seq: int, doc: Document) -> None:
    connection.execute(
        "INSERT INTO documents_fts (rowid, doc_id, title, body) VALUES (?, ?, ?, ?)",
        (seq, doc.id, lemmatize(doc.title or ""), lemmatize(doc.text)),
    )


def _recount_mentions(connection: sqlite3.Connection, entity_ids: set[int]) -> None:
    connection.executemany(
        "UPDATE entities SET mention_count ="
        " (SELECT count(*) FROM mentions WHERE mentions.entity_id = entities.id) WHERE id = ?",
        [(entity_id,) for entity_id in sorted(entity_ids)],
    )


def _drop_orphan_entities(connection: sqlite3.Connection, entity_ids: set[int]) -> None:
    """Delete entities no document links to any more (after an update dropped their last mention)."""
    for entity_id in sorted(entity_ids):
        linked = connection.execute(
            "SELECT 1 FROM doc_entities WHERE entity_id = ? LIMIT 1", (entity_id,)
        ).fetchone()
        if linked is None:
            connection.execute("DELETE FROM entities_fts WHERE rowid = ?", (entity_id,))
            connection.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
