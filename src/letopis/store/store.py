"""The store: documents, their facts and cross-document entities in SQLite or PostgreSQL, numbered
migrations (letopis.store.schema), one transaction per document (`add`) or per chunk of documents
(`add_many`, the bulk load: the same store, row for row).

The SQL here, in store/queries/ and in letopis.kb is written once for both databases;
letopis.store.sqlite and letopis.store.postgres hold what differs (the `Dialect`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from types import TracebackType
from typing import Any, Literal

from letopis.errors import DocumentConflict, StoreError
from letopis.kb import curation, transfer
from letopis.kb.connection import Connection
from letopis.kb.entities import drop_orphans, recount_mentions, reindex_entities
from letopis.kb.memo import Memo
from letopis.kb.names import entity_key
from letopis.kb.resolution import DocumentContext, Link, document_context, link_document, prefetch
from letopis.kb.titles import is_head_title, office_key, title_key
from letopis.model import SCHEMA_VERSION, Document
from letopis.nlp.lemmas import search_lemmas
from letopis.store.rows import PendingRows
from letopis.store.schema import Dialect, migrate

AddResult = Literal["new", "updated", "duplicate"]
ExportFormat = Literal["jsonl", "csv", "parquet"]
__all__ = [
    "MAX_ROW_ID",
    "Added",
    "ReadyRecord",
    "RunSources",
    "Store",
    "beyond_row_ids",
    "content_hash",
    "contract_record",
    "entity_key",
    "ready_record",
    "source_key",
]

URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Documents per transaction in `Store.add_many`: 1,000 loaded NEREL texts 12% faster than 500 into
# SQLite and 8% into PostgreSQL (fewer commits and read-aheads; a name read once serves more
# documents), for 50 MiB more memory (2,000: 20% faster, 200 MiB more).
DEFAULT_CHUNK = 1000
# A bulk load's memo, kept from chunk to chunk, holds what it read of every entity the load met:
# past this many entries (Memo.entries) a chunk starts a new one, which reads again what it needs.
# An entry took ~200 bytes (NEREL texts, 20,000 documents loaded onto 50,000), so ~100 MiB; the
# memo gained ~3.5 entries a document: a new memo every ~140,000 documents, one chunk's reads again.
MEMO_ENTRIES = 500_000
RECORD_KEYS = frozenset(["schema", *(f.name for f in fields(Document))])
NULL_KB_ID = '"kb_id": null'  # an entity of a record before the store links it, as json.dumps writes it
REINDEX_PAGE = 1000  # documents read at once when migration 0008 writes their search rows again
MAX_ROW_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL (bigint) hold: no row has a larger id


@dataclass(frozen=True)
class Added:
    """What `Store.add_many` did with one document: "new", "updated", "duplicate", or "failed" and why."""

    doc_id: str
    result: AddResult | Literal["failed"]
    reason: str = ""


@dataclass(frozen=True)
class ReadyRecord:
    """A contract record with what storing it computes from the record alone: its content hash, the
    search lemmas of its full-text row (title, body; None: not computed, or by another version of
    letopis.nlp.lemmas.search_lemmas) and what resolving its entities reads from it alone
    (kb.resolution.DocumentContext; None: not computed). A batch's workers make these in parallel
    (`ready_record`), so that the single writer of the bulk load does not; `add_many` takes them.
    `text`, when given, is `json.dumps(record, ensure_ascii=False)`, as the workers wrote it: the
    documents row's JSON is made from it (`_record_json`), not dumped again."""

    record: dict[str, Any]
    digest: str
    index: tuple[str, str] | None
    context: DocumentContext | None = None
    text: str | None = None


def ready_record(doc: Document) -> ReadyRecord:
    """`doc` as `add_many` stores it, everything computed that needs no store."""
    record = contract_record(doc)
    index = _index_lemmas(doc.title, doc.text)
    return ReadyRecord(record, content_hash(record), index, document_context(doc))


@dataclass
class _Pending:
    """A document ready to write: itself, its contract record (kb_id cleared), source key, hash, and
    the lemmas of its full-text row and its resolution context when they were computed before
    (`ReadyRecord`; the bulk load computes the context once for prefetching and linking), and the
    record's JSON text with every kb_id null (`ReadyRecord.text`) when it came so."""

    doc: Document
    record: dict[str, Any]
    key: str
    digest: str
    index: tuple[str, str] | None = None
    context: DocumentContext | None = None
    text: str | None = None


def _pending_of(doc: Document, record: dict[str, Any], ready: ReadyRecord | None = None) -> _Pending:
    """`doc` with its record ready to write, hashed now unless `ready` was (by a batch worker)."""
    if ready is not None:
        # The text serves only when it holds the record as stored: every kb_id there and null.
        text = ready.text if all(e.get("kb_id", 0) is None for e in ready.record["entities"]) else None
        return _Pending(doc, record, source_key(doc), ready.digest, ready.index, ready.context, text)
    return _Pending(doc, record, source_key(doc), content_hash(record))


class Store:
    """A letopis database: `with Store.open("letopis.db") as store: store.add(doc)`; a
    `postgresql://user@host/db` URL instead of a file name opens a PostgreSQL database."""

    def __init__(self, connection: Connection, path: str, dialect: Dialect) -> None:
        self.connection = connection
        self.path = path  # the file, or the URL without its password: for messages
        self.dialect = dialect
        self._began = 0  # write transactions begun (`_transaction`)

    @classmethod
    def open(
        cls,
        location: str | os.PathLike[str],
        create: bool = True,
        on_upgrade: Callable[[int, int], None] | None = None,
    ) -> Store:
        """Open the store at `location` (a file or a PostgreSQL URL) and apply the migrations it lacks
        (told first to `on_upgrade(from version, to version)`, if given); an SQLite file that does not
        exist is created, or with `create=False` a `StoreError`."""
        from letopis.store import postgres, sqlite

        location = os.fspath(location)
        if postgres.is_url(location):
            backend, path = postgres, postgres.display_url(location)
        else:
            backend, path = sqlite, location
            if not create and not os.path.exists(location):
                raise StoreError(f"{path}: no such store (run letopis ingest first)")
        connection = backend.connect(location)
        dialect = backend.DIALECT
        try:
            write = partial(_transaction, connection, dialect)
            migrate(connection, dialect, write, AFTER_MIGRATION, on_upgrade)
        except dialect.errors as exc:
            connection.close()
            raise StoreError(f"{path}: cannot open the store: {dialect.reason(exc)}") from exc
        except StoreError as exc:
            connection.close()
            raise StoreError(f"{path}: {exc}") from exc
        return cls(connection, path, dialect)

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
        """The number of the last migration applied."""
        return self.dialect.schema_version(self.connection)

    def add(self, doc: Document) -> AddResult:
        """Store a document with its facts: "new", "updated" (same source, other content) or "duplicate"."""
        pending = _pending_of(doc, contract_record(doc))
        try:
            with self._transaction():
                # Every read from the database: `add_many`, which remembers reads, is tested against this.
                rows = PendingRows(self.connection, self.dialect)
                memo = Memo(self.connection, self.dialect, remember=False, before_read=rows.flush)
                result = _write_document(self.connection, pending, memo, rows)
                rows.flush()
                return result
        except self.dialect.errors as exc:
            raise StoreError(f"{self.path}: cannot store document {doc.id}: {self._reason(exc)}") from exc

    def add_many(
        self, docs: Iterable[Document | dict[str, Any] | ReadyRecord], chunk: int = DEFAULT_CHUNK
    ) -> Iterator[Added]:
        """Store documents as `add` does, `chunk` of them to a transaction; yield what became of each,
        in order, once its chunk is committed.

        A record (a document's contract JSON as `Document.to_dict` gives it, e.g. read back from batch
        Parquet) is stored as it is, not serialised again; a `ReadyRecord` also brings its hash,
        full-text lemmas, resolution context and JSON text. A document that fails is reported with the
        reason and does not lose the others of its chunk: that chunk is redone one document at a time.
        What a chunk read (kb.memo) serves the next one too while nothing else writes the store.
        An item of a source (a table row) given twice with two contents in one call keeps the first:
        the second fails (`RunSources`).

        `docs` is read a chunk ahead, in a thread of its own (`read_ahead`): it must not use this store.
        """
        if chunk < 1:
            raise ValueError(f"chunk must be at least 1, not {chunk}")
        run = RunSources()
        kept: _KeptMemo | None = None
        for part in read_ahead(docs, chunk):
            done, kept = self._write_chunk([run.first_of_source(pending) for pending in part], kept)
            yield from done

    def _write_chunk(
        self, pending: list[_Pending | Added], kept: _KeptMemo | None
    ) -> tuple[list[Added], _KeptMemo | None]:
        """Write a chunk in one transaction; if it fails, each of its documents in one of its own.
        `kept` is the last chunk's memo; this chunk's comes back to serve the next one, or None after a
        failure (the memo may hold what was rolled back)."""
        try:
            with self._transaction() as found:
                rows = PendingRows(self.connection, self.dialect)
                with self.dialect.pipelined(self.connection):
                    writing = [p for p in pending if isinstance(p, _Pending)]
                    memo = self._prefetched(writing, rows, _still_true(kept, found))
                    done = [self._write(p, memo, rows) if isinstance(p, _Pending) else p for p in pending]
                rows.flush()  # out of pipeline mode: PostgreSQL can COPY
                kept = _KeptMemo(memo, self._write_mark())  # inside: see Dialect.write_mark
        except self.dialect.errors:
            return [self._add_alone(p) if isinstance(p, _Pending) else p for p in pending], None
        return done, kept

    def _prefetched(self, pending: list[_Pending], rows: PendingRows, memo: Memo | None) -> Memo:
        """A memo (true while this transaction lasts) holding what writing `pending` will read: `memo`,
        the last chunk's, or a new one; what it reads later, it reads once `rows` are written."""
        if memo is None:
            memo = Memo(self.connection, self.dialect, before_read=rows.flush)
        else:
            memo.next_transaction(before_read=rows.flush)
        rows.defer_for(memo)
        memo.prefetch_documents([p.doc.id for p in pending], [p.key for p in pending])
        for p in pending:
            p.context = p.context or document_context(p.doc)
        prefetch(memo, [(p.doc, p.context) for p in pending])
        return memo

    def _write(self, pending: _Pending, memo: Memo, rows: PendingRows) -> Added:
        try:
            result = _write_document(self.connection, pending, memo, rows)
        except DocumentConflict as error:  # refused before anything of it was written
            return Added(pending.doc.id, "failed", str(error))
        return Added(pending.doc.id, result)

    def _add_alone(self, pending: _Pending) -> Added:
        """`pending` in a transaction of its own; "failed" with the database's reason if it cannot be."""
        try:
            with self._transaction():
                rows = PendingRows(self.connection, self.dialect)
                memo = Memo(self.connection, self.dialect, before_read=rows.flush)
                rows.defer_for(memo)
                added = self._write(pending, memo, rows)
                rows.flush()
                return added
        except self.dialect.errors as exc:
            return Added(pending.doc.id, "failed", self._reason(exc))

    def optimize(self) -> None:
        """After a bulk load: make the store as fast to search as if it had been written slowly
        (PostgreSQL: VACUUM ANALYZE; SQLite: ANALYZE)."""
        try:
            self.dialect.optimize(self.connection)
        except self.dialect.errors as exc:
            raise StoreError(f"{self.path}: cannot optimise the store: {self._reason(exc)}") from exc

    # --- curation (letopis.kb.curation): each edit one transaction, logged with who and when ------

    def merge_entities(self, keep: int, other: int, by: str) -> curation.Edit:
        """Make entity `other` part of entity `keep`."""
        _known_entity_ids(keep, other)
        return self._edit(curation.merge_entities, keep, other, by, _now())

    def split_entity(
        self, entity_id: int, aliases: list[str], by: str, name: str | None = None
    ) -> curation.Edit:
        """Move the documents calling the entity by one of `aliases` to a new entity."""
        _known_entity_ids(entity_id)
        return self._edit(curation.split_entity, entity_id, aliases, by, _now(), name)

    def rename_entity(self, entity_id: int, name: str, by: str) -> curation.Edit:
        """Give an entity a name of the curator's choosing."""
        _known_entity_ids(entity_id)
        return self._edit(curation.rename_entity, entity_id, name, by, _now())

    def review_fact(self, reference: str, action: Literal["confirm", "reject"], by: str) -> curation.Edit:
        """Confirm or reject a fact given as "position:12", "quote:3" or "event:7"."""
        match = curation.FACT_REFERENCE.match(reference.strip())
        if match is not None and beyond_row_ids(match.group(2)):
            raise curation.CurationError(f"no {match.group(1)} with id {match.group(2)}")
        return self._edit(curation.review_fact, reference, action, by, _now())

    def _edit(self, edit: Callable[..., curation.Edit], *args: Any) -> curation.Edit:
        try:
            with self._transaction():
                return edit(self.connection, *args)
        except self.dialect.errors as exc:
            raise StoreError(f"{self.path}: cannot save the edit: {self._reason(exc)}") from exc

    # --- export and import (letopis.kb.transfer) ---------------------------------------------------

    def export(self, folder: str | os.PathLike[str], format: ExportFormat) -> dict[str, int]:
        """Write the knowledge base to one file per table in `folder`; return the rows of each."""
        return transfer.export_tables(self.connection, folder, format)

    def import_(self, folder: str | os.PathLike[str]) -> dict[str, int]:
        """Load an export into this store, which must be empty; return the rows of each table read."""
        try:
            with self._transaction():
                counts = transfer.import_tables(self.connection, folder)
                self.dialect.after_explicit_ids(self.connection)
                rows = PendingRows(self.connection, self.dialect)
                for seq, doc in transfer.imported_documents(self.connection):
                    _add_dates_and_topics(rows, doc)
                    _add_index_row(rows, seq, doc)
                rows.flush()
                transfer.finish_import(self.connection)
                return counts
        except self.dialect.errors as exc:
            raise StoreError(f"{self.path}: cannot import {os.fspath(folder)}: {self._reason(exc)}") from exc

    @contextmanager
    def _transaction(self) -> Iterator[tuple[Hashable, int]]:
        """A write transaction (`_transaction`) giving the write mark it found, with how many this
        store began before: its own writes, which SQLite's data version does not count."""
        before = self._began
        self._began += 1
        with _transaction(self.connection, self.dialect) as found:
            yield found, before

    def _write_mark(self) -> tuple[Hashable, int]:
        """What the next `_transaction` finds if nothing writes the store before it."""
        return self.dialect.write_mark(self.connection), self._began

    def _reason(self, error: Exception) -> str:
        return self.dialect.reason(error)


def beyond_row_ids(reference: str) -> bool:
    """Whether `reference` is a number (as `int` reads it) too large to be the id of any row: no such
    entity or fact, rather than an integer the database cannot take."""
    digits = reference.strip().lstrip("0")
    # A number of more than 19 digits is past MAX_ROW_ID, and int() refuses numbers of thousands.
    return digits.isdecimal() and (len(digits) > len(str(MAX_ROW_ID)) or int(digits) > MAX_ROW_ID)


def _known_entity_ids(*entity_ids: int) -> None:
    """`CurationError` for an entity id no row can have, as for any entity that does not exist."""
    for entity_id in entity_ids:
        if not -MAX_ROW_ID - 1 <= entity_id <= MAX_ROW_ID:
            raise curation.CurationError(f"no entity with id {entity_id}")


class RunSources:
    """The items of multi-document sources (rows of a table, items of a feed) one run (an ingest, an
    `add_many` call) has read, each with the content hash of its first document. An item that comes
    again with another content (one id twice in a JSONL file, with two texts) is an error: the second
    would replace the first, and every run would "update" both again.

    A source of one document (a file, a URL) may be given again with another content: that is its new
    version, an update, as with `Store.add`."""

    def __init__(self) -> None:
        # 16-byte fingerprints of the source keys, not the keys: a bulk load reads millions of items.
        self._first: dict[bytes, bytes] = {}

    def check(self, doc: Document, key: str, digest: str) -> None:
        """`DocumentConflict` when the item of source key `key` gave a document of another content
        earlier in the run."""
        if doc.item is None:
            return
        fingerprint = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
        if self._first.setdefault(fingerprint, bytes.fromhex(digest)) != bytes.fromhex(digest):
            raise DocumentConflict(f"id {doc.id} appears twice in {doc.source} with different texts")

    def check_document(self, doc: Document) -> None:
        """`check` for a document about to be extracted or stored (its source key and content hash)."""
        self.check(doc, source_key(doc), content_hash(contract_record(doc)))

    def first_of_source(self, pending: _Pending | Added) -> _Pending | Added:
        """`pending`, or "failed" when its source gave another document earlier in the run."""
        if isinstance(pending, Added):
            return pending
        try:
            self.check(pending.doc, pending.key, pending.digest)
        except DocumentConflict as error:
            return Added(pending.doc.id, "failed", str(error))
        return pending


def read_ahead(
    docs: Iterable[Document | dict[str, Any] | ReadyRecord], chunk: int
) -> Iterator[list[_Pending | Added]]:
    """`docs` made ready to write (`_pending`), `chunk` at a time, the next chunk read and made ready
    in a thread while the caller writes this one.

    The database does its part of writing a chunk (inserts, index updates, the commit) without
    holding the interpreter: sqlite3 and psycopg let go of the GIL while SQLite or the server works,
    and that thread reads and decodes the next records meanwhile. Loading 10,000 documents onto
    50,000 in SQLite: 12% faster (3 runs each way, alternated, on a machine with another job; the
    thread needs the second core). Two chunks are in memory instead of one. Only that thread
    advances `docs`, one chunk after the other."""
    items = iter(docs)

    def next_chunk() -> list[_Pending | Added]:
        return [_pending(item) for item in islice(items, chunk)]

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="letopis-read-ahead") as reader:
        coming = reader.submit(next_chunk)
        while part := coming.result():  # an error reading `docs` is raised here, in order
            coming = reader.submit(next_chunk)
            yield part


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


def _pending(item: Document | dict[str, Any] | ReadyRecord) -> _Pending | Added:
    """A document or contract record ready to write, or "failed" when a record is not one."""
    if isinstance(item, Document):
        return _pending_of(item, contract_record(item))
    ready = item if isinstance(item, ReadyRecord) else None
    record = ready.record if ready else item
    try:
        doc = Document.from_dict(record)
    except (TypeError, KeyError) as exc:  # a field missing, or a fact of another shape
        return Added(str(record.get("id")), "failed", f"not a contract record: {exc}")
    if record.keys() != RECORD_KEYS or record["schema"] != SCHEMA_VERSION:
        # another version's record: stored as this version writes it, as `add` would
        return _pending_of(doc, contract_record(doc))
    record = {**record, "entities": [{**entity, "kb_id": None} for entity in record["entities"]]}
    return _pending_of(doc, record, ready)


def content_hash(record: dict[str, Any]) -> str:
    """sha1 of the contract JSON with sorted keys."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _KeptMemo:
    """The memo of a bulk load's chunk, committed, and the write mark its transaction left."""

    memo: Memo
    mark: Hashable


def _still_true(kept: _KeptMemo | None, found: Hashable) -> Memo | None:
    """The last chunk's memo if nothing wrote the store since (`found`, the write mark this
    transaction found, is the one it left: `Store._write_mark`) and it is not too big (MEMO_ENTRIES)."""
    if kept is None or kept.mark != found or kept.memo.entries() > MEMO_ENTRIES:
        return None
    return kept.memo


@contextmanager
def _transaction(connection: Connection, dialect: Dialect) -> Iterator[Hashable]:
    """Begin (as the one writer) … COMMIT; anything raised inside rolls everything back. Gives the
    store's write mark as the transaction found it (`Dialect.begin_write`)."""
    found = dialect.begin_write(connection)
    committed = False
    try:
        yield found
        connection.execute("COMMIT")
        committed = True
    finally:
        if not committed and connection.in_transaction:
            connection.execute("ROLLBACK")


# --- writing one document ------------------------------------------------------------------------


def _write_document(connection: Connection, pending: _Pending, memo: Memo, rows: PendingRows) -> AddResult:
    """Write one document in the caller's transaction: its entities at once, its rows to `rows` (the
    caller flushes them); `memo` holds what resolution read (kb.memo)."""
    doc, record, key, digest = pending.doc, pending.record, pending.key, pending.digest
    clash = memo.source_of(doc.id)
    if clash is not None and clash != key:
        rows.flush()  # the other document may be among them
        _same_text_as_stored(connection, doc)
        return "duplicate"
    old = memo.at_source(key)
    if old is not None and old[1] == digest:
        return "duplicate"
    before = set()
    if old is not None:
        rows.flush()
        before = _remove_document(connection, old[0])
        memo.forget()  # its facts went, positions among them
    links = link_document(connection, doc, memo, pending.context)
    kb = {local_id: link.entity_id for local_id, link in links.items()}
    for entity in record["entities"]:
        entity["kb_id"] = kb[entity["id"]]
    seq = memo.next_seq()
    rows.add("documents", [_document_row(doc, _record_json(record, pending.text), key, digest, seq)])
    memo.document_written(doc.id, key, digest)
    _add_doc_entities(rows, doc, links)
    _add_facts(rows, doc, kb, memo.reviews(key), memo)
    _add_dates_and_topics(rows, doc)
    _add_index_row(rows, seq, doc, pending.index)
    touched = set()
    if memo.curated():
        rows.flush()
        touched = curation.reapply(connection, doc.id)
    changed = before | touched  # entities the old document's removal or curation changed
    if changed:
        rows.flush()
        recount_mentions(connection, changed | set(kb.values()), memo)
        drop_orphans(connection, changed)
        memo.forget()  # links, names and entities moved or went
    else:  # a new document alone: its entities gain its mentions
        counts = Counter(kb[m.entity] for m in doc.mentions if m.entity in kb)
        rows.count_mentions(counts)
        memo.counted(counts)
    return "new" if old is None else "updated"


def _same_text_as_stored(connection: Connection, doc: Document) -> None:
    """A document whose id a document of another source has is a duplicate of it when its text is the
    same; with another text, storing it would lose one of them: `DocumentConflict`."""
    stored = connection.execute("SELECT source, item, text FROM documents WHERE id = ?", (doc.id,)).fetchone()
    if stored is not None and stored["text"] != doc.text:
        raise DocumentConflict(
            f"id {doc.id} of {_source_shown(doc.source, doc.item)} is already used by "
            f"{_source_shown(stored['source'], stored['item'])} for another text"
        )


def _source_shown(source: str, item: str | None) -> str:
    """Where a document came from, as messages name it: the source as given, + "#item"."""
    return f"{source}#{item}" if item else source


def _remove_document(connection: Connection, doc_id: str) -> set[int]:
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


def _record_json(record: dict[str, Any], text: str | None) -> str:
    """`json.dumps(record, ensure_ascii=False)`; from `text`, that of the record with every kb_id null
    (`ReadyRecord.text`), by putting the entities' kb_ids in, in order, when it has one null kb_id
    per entity: in JSON text `"kb_id": null` can only be such a key (a quote inside a string is
    escaped), and the entities are its only objects with that key."""
    entities = record["entities"]
    parts = text.split(NULL_KB_ID) if text is not None else []
    if len(parts) != len(entities) + 1:
        return json.dumps(record, ensure_ascii=False)
    ids = [f'"kb_id": {entity["kb_id"]:d}' for entity in entities]  # ints, the store's ids
    return "".join(part + kb_id for part, kb_id in zip(parts, [*ids, ""], strict=True))


def _document_row(doc: Document, record_json: str, key: str, digest: str, seq: int) -> tuple[Any, ...]:
    """The documents row, `seq` the rowid of its full-text row."""
    return (doc.id, seq, doc.source, doc.item, key, digest, doc.url, doc.title, doc.published, doc.text,
            doc.text_offset, record_json, _now())  # fmt: skip


def _add_doc_entities(rows: PendingRows, doc: Document, links: dict[str, Link]) -> None:
    counts = Counter(m.entity for m in doc.mentions)
    rows.add(
        "doc_entities",
        (
            (
                doc.id,
                e.id,
                links[e.id].entity_id,
                counts[e.id],
                e.name,
                entity_key(e.name),
                json.dumps(list(dict.fromkeys([e.name, *e.aliases])), ensure_ascii=False),
                links[e.id].rule,
                links[e.id].evidence,
            )
            for e in doc.entities
        ),
    )


def _add_facts(
    rows: PendingRows, doc: Document, kb: dict[str, int], reviews: dict[tuple[str, str], str], memo: Memo
) -> None:
    """Positions, quotes and events, with local entity ids resolved where they occur; facts a curator
    reviewed keep their review (`reviews`, by kind and signature); `memo` learns the posts written."""
    names = {e.id: e.name for e in doc.entities}
    positions = [
        (
            doc.id,
            p.person,
            kb.get(p.person),
            p.title,
            p.organization,
            kb.get(p.organization),
            p.as_of,
            p.start,
            p.end,
            title_key(p.title),
            int(is_head_title(p.title)),
            office_key(p.title),
            reviews.get(
                (
                    "position",
                    curation.position_signature(names.get(p.person), p.title, names.get(p.organization)),
                )
            ),
        )
        for p in doc.positions
    ]
    rows.add("positions", positions)
    memo.posts_written((row[2], (row[9], row[5]), row[12]) for row in positions)
    rows.add(
        "quotes",
        (
            (
                doc.id,
                q.speaker,
                kb.get(q.speaker),
                q.speaker_text,
                q.text,
                q.kind,
                q.start,
                q.end,
                reviews.get(("quote", curation.quote_signature(names.get(q.speaker), q.text))),
            )
            for q in doc.quotes
        ),
    )
    rows.add(
        "events",
        (
            (
                doc.id,
                v.id,
                v.type,
                v.name,
                v.status,
                v.from_,
                v.to,
                v.place,
                kb.get(v.place),
                json.dumps(v.participants),
                json.dumps(v.organizations),
                v.outcome,
                v.start,
                v.end,
                v.partial,
                reviews.get(("event", curation.event_signature(v.type, v.name, v.from_))),
            )
            for v in doc.events
        ),
    )


def _add_dates_and_topics(rows: PendingRows, doc: Document) -> None:
    rows.add(
        "dates", ((doc.id, d.start, d.end, d.text, d.from_, d.to, d.precision, d.partial) for d in doc.dates)
    )
    rows.add("topics", ((doc.id, t.scheme, t.code, t.label, t.score, t.start, t.end) for t in doc.topics))


def _add_index_row(rows: PendingRows, seq: int, doc: Document, index: tuple[str, str] | None = None) -> None:
    """The document's full-text row: the lemmas of its title and body (`index`, when computed before)."""
    title, body = index or _index_lemmas(doc.title, doc.text)
    rows.add("documents_fts", [(seq, doc.id, title, body)])


def _index_lemmas(title: str | None, text: str) -> tuple[str, str]:
    """A document's full-text row: the search lemmas of its title and of its text."""
    return search_lemmas(title or ""), search_lemmas(text)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- after a migration: what SQL alone cannot fill -----------------------------------------------


def _fill_knowledge_base(connection: Connection) -> None:
    """0002 on a store that has documents: names of document entities, keys of entities, title keys."""
    transfer.rebuild_derived(connection)


def _reindex_search(connection: Connection) -> None:
    """0008: the full-text rows of documents and entities again, with every likely lemma of a word
    (letopis.nlp.lemmas.search_lemmas) instead of one."""
    last = -1
    while rows := connection.execute(
        "SELECT seq, title, text FROM documents WHERE seq > ? ORDER BY seq LIMIT ?", (last, REINDEX_PAGE)
    ).fetchall():
        connection.executemany(
            "UPDATE documents_fts SET title = ?, body = ? WHERE rowid = ?",
            [(*_index_lemmas(row["title"], row["text"]), row["seq"]) for row in rows],
        )
        last = rows[-1]["seq"]
    reindex_entities(connection)


AFTER_MIGRATION: dict[int, Callable[[Connection], None]] = {2: _fill_knowledge_base, 8: _reindex_search}
