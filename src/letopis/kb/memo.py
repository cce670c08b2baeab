"""What writing a document reads from the store, remembered while one transaction writes: the
documents stored under its id or source, fact reviews, and above all what entity resolution looks up.

A bulk load (`Store.add_many`) resolves hundreds of documents in one transaction, and they name the
same entities again and again. Inside a write transaction the store has one writer, so what was
read stays true until this code writes it: each write of letopis.kb.entities and of the store tells
the memo what it changed (an entity created or renamed, aliases and keys added, mentions recounted,
posts and documents written), and a read the write may have changed is read again. Any other write
(replacing a document, curation) must be followed by `forget`. A bulk load keeps its memo from one
chunk's transaction to the next when no other write came in between (`Memo.next_transaction`).

`prefetch` reads at once what a chunk of documents will look up, a few queries instead of a few per
name: against PostgreSQL each query is a round trip, and the writes between two reads go in one
(letopis.store.schema.Dialect.pipelined). New entities get their ids from the memo, so creating
one needs no answer from the database either.

A memo that remembers also holds back two writes until `take_deferred` (letopis.kb.entities.
write_deferred, which the store calls before it writes a document's rows, reads what they change, or
commits): the search index row of an entity, written once with its last names rather than again at
each new alias, and telling the database the last entity id taken (a PostgreSQL statement per
entity). Nothing the transaction reads before then depends on them; `forget` keeps them.

`Memo(connection, dialect, remember=False)` reads afresh every time: `Store.add` uses it, and the
bulk load is tested against it. Without a dialect (curation), a memo reads afresh and cannot number
entities or look keys up.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from letopis.kb.connection import Connection
from letopis.model import Mention

Value = TypeVar("Value")
KeyRow = tuple[int, str, str]  # entity_id, alias, derivation
Post = tuple[str | None, int | None]  # title key, organisation entity id
Lookup = tuple[str, str, str]  # type, space, key: what `Memo.keyed` is asked
IN_LIST = 500  # values per `IN (…)` of a prefetch query, well under SQLite's limit of parameters
# Each post (title key, organisation) of people once, in the order first stored: a person named in
# thousands of documents has a few posts, not thousands of rows to read (they grew with the store).
POSTS = (
    "SELECT person_entity_id, title_key, organization_entity_id, min(id) AS first FROM positions"
    " WHERE {} AND coalesce(review, '') != 'rejected'"
    " GROUP BY person_entity_id, title_key, organization_entity_id ORDER BY first"
)
LAST_CHARACTER = "\U0010ffff"  # sorts after any other: "x #" < "x #2" < "x #" + LAST_CHARACTER


class StoreDialect(Protocol):
    """The part of letopis.store.schema.Dialect the memo needs."""

    # A column ordering a table's rows as stored: rows of one key come in this order, and which
    # rule an equally strong match names depends on it (SQLite's rowid, PostgreSQL's ctid).
    row_order: str

    def next_id(self, connection: Any, table: str) -> int:
        """The id the database would give the next row of `table`."""

    def took_id(self, connection: Any, table: str, row_id: int) -> None:
        """A row of `table` was inserted with `row_id` given: later rows get higher ids."""


def document_names(mentions: Iterable[Mention]) -> list[str]:
    """The names of a document's organisations and places, as its mentions give them (the normal
    form, else the text): what `Memo.first_document_names` gives of an entity's first document."""
    return [m.text if m.normal is None else m.normal for m in mentions if m.type != "PER"]


class Memo:
    """Reads of a write transaction, remembered until `forget` (or not at all: `remember=False`).

    A bulk load carries its memo into its next transaction when nothing else wrote the store in
    between (`next_transaction`; Store.add_many checks). Of what it holds at the commit:
    - kept, still true (the writers told it every change they made, and all were written): the
      entity keys looked up, entities, who holds a key, aliases, key rows, mention counts, posts
      (`_keyed`, `_entities`, `_by_key`, `_numbered`, `_aliases`, `_key_rows`, `_counts`, `_posts`)
      and whether anything is curated (`_curated`: only curation edits, other transactions, change it);
    - dropped though true: the documents stored under the chunk's ids and sources, and their
      reviews (`_sources`, `_at_source`, `_reviews`): they serve one chunk, and would grow with
      every document;
    - dropped: the names in entities' first documents (`_first_names`): once the document that
      created an entity is gone its first is the first by id, which a later document may change;
      the next chunk reads them as a new memo would;
    - read again: the ids to give next (`_next_entity`, `_next_seq`), a query each: the database
      knows which are free (PostgreSQL's sequences move even in a transaction rolled back);
    - rebound: `before_read`, to the new transaction's pending rows (letopis.store.rows);
    - empty, else an error: the writes held back (`_unindexed`, `_last_taken`), which the last
      flush before the commit wrote.
    """

    def __init__(
        self,
        connection: Connection,
        dialect: StoreDialect | None = None,
        remember: bool = True,
        before_read: Callable[[], None] = lambda: None,
    ) -> None:
        self.connection = connection
        self.dialect = dialect
        self.remember = remember and dialect is not None
        # Called before reading documents, positions or mention counts: rows of those the caller has
        # not written yet (letopis.store.rows) must be written first.
        self.before_read = before_read
        self._unindexed: dict[int, None] = {}  # entities to index (in order), not written yet
        self._last_taken: int | None = None  # the largest entity id given, not told to the database yet
        self.forget()

    def _dialect(self) -> StoreDialect:
        if self.dialect is None:
            raise TypeError("this memo was made without the store's dialect")
        return self.dialect

    def forget(self) -> None:
        """Drop everything remembered: after writes this memo was not told about."""
        self._keyed: dict[Lookup, list[KeyRow]] = {}
        self._entities: dict[int, tuple[str, str, str]] = {}  # id -> (type, name, key)
        self._by_key: dict[tuple[str, str], int | None] = {}  # (type, key) -> entity id
        self._numbered: dict[tuple[str, str], dict[str, int]] = {}  # (type, key) -> {"key #n": id}
        self._aliases: dict[int, set[str]] = {}
        self._key_rows: dict[int, set[tuple[str, str, str]]] = {}  # id -> {(space, key, alias)}
        self._counts: dict[int, int] = {}
        self._first_names: dict[int, list[str]] = {}
        self._posts: dict[int, list[Post]] = {}
        self._next_entity: int | None = None
        self._sources: dict[str, str | None] = {}  # document id -> its source key
        self._at_source: dict[str, tuple[str, str] | None] = {}  # source key -> (id, content hash)
        self._reviews: dict[str, dict[tuple[str, str], str]] = {}
        self._next_seq: int | None = None
        self._curated: bool | None = None

    def next_transaction(self, before_read: Callable[[], None]) -> None:
        """Go on in the writer's next transaction, nothing having written the store since this memo's
        transaction committed; `before_read` writes that transaction's pending rows."""
        if self._unindexed or self._last_taken is not None:
            raise RuntimeError("a memo's held-back writes must be written before its transaction commits")
        self.before_read = before_read
        self._next_entity = None
        self._next_seq = None
        self._sources, self._at_source, self._reviews = {}, {}, {}
        self._first_names = {}

    def entries(self) -> int:
        """How much the memo holds: each look-up, entity, name, key row, count and post one entry."""
        nested: list[dict[Any, Any]] = [self._keyed, self._numbered, self._aliases, self._key_rows]
        nested += [self._first_names, self._posts, self._reviews]
        flat: list[dict[Any, Any]] = [self._entities, self._by_key, self._counts, self._sources]
        flat += [self._at_source]
        return sum(len(table) + sum(map(len, table.values())) for table in nested) + sum(map(len, flat))

    def _get(self, table: dict, key: Hashable, read: Callable[[], Value]) -> Value:
        if self.remember and key in table:
            return table[key]
        value = read()
        if self.remember:
            table[key] = value
        return value

    def _one(self, sql: str, params: Sequence[Any]) -> Any:
        return self.connection.execute(sql, params).fetchone()

    # --- entities -------------------------------------------------------------------------------

    def keyed(self, type: str, space: str, key: str) -> list[KeyRow]:
        """The entity keys equal to `key` in `space` of entities of `type`, in the order stored."""
        return self._get(
            self._keyed,
            (type, space, key),
            lambda: [
                (row[0], row[1], row[2])
                for row in self.connection.execute(
                    "SELECT entity_id, alias, derivation FROM entity_keys"
                    f" WHERE type = ? AND space = ? AND key = ? ORDER BY {self._dialect().row_order}",
                    (type, space, key),
                )
            ],
        )

    def entity(self, entity_id: int) -> tuple[str, str, str]:
        """(type, name, key) of an entity."""
        return self._get(
            self._entities,
            entity_id,
            lambda: tuple(self._one("SELECT type, name, key FROM entities WHERE id = ?", (entity_id,))),
        )

    def entity_with_key(self, type: str, key: str) -> int | None:
        """The id of the entity of `type` whose key is `key`, if any."""

        def read() -> int | None:
            row = self._one("SELECT id FROM entities WHERE type = ? AND key = ?", (type, key))
            return None if row is None else row[0]

        return self._get(self._by_key, (type, key), read)

    def numbered_keys(self, type: str, key: str) -> dict[str, int]:
        """{"<key> #<anything>": entity id} of the entities of `type` (unique_key numbers keys so)."""
        return self._get(
            self._numbered,
            (type, key),
            lambda: {
                row[0]: row[1]
                for row in self.connection.execute(
                    "SELECT key, id FROM entities WHERE type = ? AND key > ? AND key < ?",
                    (type, f"{key} #", f"{key} #{LAST_CHARACTER}"),
                )
            },
        )

    def new_entity_id(self) -> int:
        """The id for an entity about to be created (then `created` with it)."""
        if self._next_entity is None or not self.remember:
            self._next_entity = self._dialect().next_id(self.connection, "entities")
            if self._last_taken is not None:  # the database does not know the ids taken yet
                self._next_entity = max(self._next_entity, self._last_taken + 1)
        return self._next_entity

    def took_id(self, entity_id: int) -> None:
        """An entity was inserted with `entity_id`: tell the database now, or at `take_deferred`."""
        if self.remember:
            self._last_taken = entity_id
        else:
            self._dialect().took_id(self.connection, "entities", entity_id)

    def index_later(self, entity_id: int) -> bool:
        """Whether the entity's search index row waits for `take_deferred` (a memo that remembers)."""
        if self.remember:
            self._unindexed[entity_id] = None
        return self.remember

    def take_deferred(self) -> tuple[list[int], int | None]:
        """The entities to index and the last entity id taken, held back so far; forgotten here."""
        deferred = (list(self._unindexed), self._last_taken)
        self._unindexed, self._last_taken = {}, None
        return deferred

    def aliases(self, entity_id: int) -> set[str]:
        """The entity's aliases (not to be changed by the caller)."""
        return self._get(
            self._aliases,
            entity_id,
            lambda: {
                row[0]
                for row in self.connection.execute(
                    "SELECT alias FROM aliases WHERE entity_id = ?", (entity_id,)
                )
            },
        )

    def key_rows(self, entity_id: int) -> set[tuple[str, str, str]]:
        """(space, key, alias) of the entity's keys (not to be changed by the caller)."""
        return self._get(
            self._key_rows,
            entity_id,
            lambda: {
                (row[0], row[1], row[2])
                for row in self.connection.execute(
                    "SELECT space, key, alias FROM entity_keys WHERE entity_id = ?", (entity_id,)
                )
            },
        )

    def first_document_names(self, entity_id: int) -> list[str]:
        """The names (normal forms) of organisations and places in the entity's first document: the
        one that created it, else the first by id; empty for an entity without documents. Stable
        while a transaction writes new documents, so read once per entity, not per look-up (an
        entity of 30,000 documents took ~0.3 ms a read); an entity this transaction created has them
        from `first_document` (its rows may not be written yet)."""
        if self.remember and entity_id in self._first_names:
            return self._first_names[entity_id]
        first = self._first_document(entity_id)
        if first is None or first[1] != "new":
            # Its creating document is gone: the first by id may be among the rows not written yet.
            self.before_read()
            first = self._first_document(entity_id)
        if first is None:
            return []
        record = json.loads(self._one("SELECT record FROM documents WHERE id = ?", (first[0],))[0])
        names = document_names(Mention(**mention) for mention in record["mentions"])
        if self.remember:
            self._first_names[entity_id] = names
        return names

    def _first_document(self, entity_id: int) -> tuple[str, str] | None:
        """(document id, rule) of the entity's first document as stored, the one that created it first."""
        row = self._one(
            "SELECT doc_id, rule FROM doc_entities WHERE entity_id = ?"
            " ORDER BY CASE WHEN rule = 'new' THEN 0 ELSE 1 END, doc_id LIMIT 1",
            (entity_id,),
        )
        return None if row is None else (row[0], row[1])

    def mention_counts(self, entity_ids: Iterable[int]) -> dict[int, int]:
        """{entity id: its mention_count} for existing entities among `entity_ids`."""
        wanted = set(entity_ids)
        missing = sorted(wanted - self._counts.keys()) if self.remember else sorted(wanted)
        if missing:
            self.before_read()
        counts = {
            row[0]: row[1]
            for row in self._rows_in("SELECT id, mention_count FROM entities WHERE id IN ({})", missing)
        }
        if not self.remember:
            return counts
        self._counts.update(counts)
        return {entity_id: self._counts[entity_id] for entity_id in wanted if entity_id in self._counts}

    def posts(self, person_id: int) -> list[Post]:
        """(title key, organisation id) of the person's positions not rejected, each once, in the order
        first stored."""

        def read() -> list[Post]:
            self.before_read()
            rows = self.connection.execute(POSTS.format("person_entity_id = ?"), (person_id,))
            return [(row[1], row[2]) for row in rows]

        return self._get(self._posts, person_id, read)

    # --- documents, curation ---------------------------------------------------------------------

    def source_of(self, doc_id: str) -> str | None:
        """The source key of the stored document with this id, if any."""

        def read() -> str | None:
            self.before_read()
            row = self._one("SELECT source_key FROM documents WHERE id = ?", (doc_id,))
            return None if row is None else row[0]

        return self._get(self._sources, doc_id, read)

    def at_source(self, source_key: str) -> tuple[str, str] | None:
        """(id, content hash) of the stored document from this source, if any."""

        def read() -> tuple[str, str] | None:
            self.before_read()
            row = self._one("SELECT id, content_hash FROM documents WHERE source_key = ?", (source_key,))
            return None if row is None else (row[0], row[1])

        return self._get(self._at_source, source_key, read)

    def next_seq(self) -> int:
        """The `seq` (full-text row id) the next document gets."""
        if self._next_seq is None or not self.remember:
            self.before_read()
            self._next_seq = self._one("SELECT coalesce(max(seq), 0) + 1 FROM documents", ())[0]
        return self._next_seq

    def reviews(self, source_key: str) -> dict[tuple[str, str], str]:
        """{(kind, signature): status} of the reviewed facts of the document from this source."""
        return self._get(
            self._reviews,
            source_key,
            lambda: {
                (row[0], row[1]): row[2]
                for row in self.connection.execute(
                    "SELECT kind, signature, status FROM fact_reviews WHERE source_key = ?", (source_key,)
                )
            },
        )

    def curated(self) -> bool:
        """Whether curation left groups of names to enforce (letopis.kb.curation.reapply)."""
        if self._curated is None or not self.remember:
            self._curated = self._one("SELECT 1 FROM curated_names LIMIT 1", ()) is not None
        return self._curated

    # --- reading ahead: a few queries for a chunk of documents ----------------------------------

    def prefetch(self, lookups: Iterable[Lookup], names: Iterable[tuple[str, str]]) -> None:
        """Read the entity keys of `lookups`, then the entities they lead to (names, aliases, keys,
        mention counts, a person's posts), and which entity holds each (type, entity key) of `names`.
        Called before the chunk writes anything: no rows are pending."""
        if not self.remember:
            return
        wanted = set(lookups)
        self._read_keyed(wanted - self._keyed.keys())
        ids = {row[0] for lookup in wanted for row in self._keyed[lookup]}
        people = {row[0] for lookup in wanted if lookup[0] == "PER" for row in self._keyed[lookup]}
        self._read_entities(ids - self._entities.keys())
        self._read_aliases(ids - self._aliases.keys())
        self._read_key_rows(ids - self._key_rows.keys())
        self._read_posts(people - self._posts.keys())
        self._read_counts(ids - self._counts.keys())
        self._read_holders(set(names) - self._by_key.keys())

    def prefetch_documents(self, ids: Iterable[str], source_keys: Iterable[str]) -> None:
        """Read the stored documents of these ids and sources, and the reviews of those sources."""
        if not self.remember:
            return
        source_keys = set(source_keys)
        unknown = sorted(set(ids) - self._sources.keys())
        self._sources.update(dict.fromkeys(unknown))
        for row in self._rows_in("SELECT id, source_key FROM documents WHERE id IN ({})", unknown):
            self._sources[row[0]] = row[1]
        unknown = sorted(source_keys - self._at_source.keys())
        self._at_source.update(dict.fromkeys(unknown))
        sql = "SELECT source_key, id, content_hash FROM documents WHERE source_key IN ({})"
        for row in self._rows_in(sql, unknown):
            self._at_source[row[0]] = (row[1], row[2])
        unknown = sorted(source_keys - self._reviews.keys())
        self._reviews.update((key, {}) for key in unknown)
        sql = "SELECT source_key, kind, signature, status FROM fact_reviews WHERE source_key IN ({})"
        for row in self._rows_in(sql, unknown):
            self._reviews[row[0]][(row[1], row[2])] = row[3]

    def _read_keyed(self, lookups: set[Lookup]) -> None:
        by_space: dict[tuple[str, str], list[str]] = defaultdict(list)
        for type, space, key in sorted(lookups):
            self._keyed[(type, space, key)] = []
            by_space[(type, space)].append(key)
        for (type, space), keys in by_space.items():
            sql = (
                "SELECT key, entity_id, alias, derivation FROM entity_keys WHERE type = ? AND space = ?"
                f" AND key IN ({{}}) ORDER BY key, {self._dialect().row_order}"
            )
            for row in self._rows_in(sql, keys, (type, space)):
                self._keyed[(type, space, row[0])].append((row[1], row[2], row[3]))

    def _read_entities(self, ids: set[int]) -> None:
        for row in self._rows_in("SELECT id, type, name, key FROM entities WHERE id IN ({})", sorted(ids)):
            self._entities[row[0]] = (row[1], row[2], row[3])

    def _read_counts(self, ids: set[int]) -> None:
        """Mention counts, which choose between equally good matches (nothing is pending yet)."""
        for row in self._rows_in("SELECT id, mention_count FROM entities WHERE id IN ({})", sorted(ids)):
            self._counts[row[0]] = row[1]

    def _read_aliases(self, ids: set[int]) -> None:
        self._aliases.update((entity_id, set()) for entity_id in ids)
        for row in self._rows_in("SELECT entity_id, alias FROM aliases WHERE entity_id IN ({})", sorted(ids)):
            self._aliases[row[0]].add(row[1])

    def _read_key_rows(self, ids: set[int]) -> None:
        self._key_rows.update((entity_id, set()) for entity_id in ids)
        sql = "SELECT entity_id, space, key, alias FROM entity_keys WHERE entity_id IN ({})"
        for row in self._rows_in(sql, sorted(ids)):
            self._key_rows[row[0]].add((row[1], row[2], row[3]))

    def _read_posts(self, people: set[int]) -> None:
        posts: dict[int, list[Post]] = {person: [] for person in people}
        for row in self._rows_in(POSTS.format("person_entity_id IN ({})"), sorted(people)):
            posts[row[0]].append((row[1], row[2]))
        self._posts.update(posts)

    def _read_holders(self, names: set[tuple[str, str]]) -> None:
        by_type: dict[str, list[str]] = defaultdict(list)
        for type, key in sorted(names):
            self._by_key[(type, key)] = None
            by_type[type].append(key)
        for type, keys in by_type.items():
            for row in self._rows_in(
                "SELECT key, id FROM entities WHERE type = ? AND key IN ({})", keys, (type,)
            ):
                self._by_key[(type, row[0])] = row[1]

    def _rows_in(self, sql: str, values: Sequence[Any], before: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of `sql` with its `IN ({})` filled with `values`, IN_LIST of them per query."""
        rows: list[Any] = []
        for start in range(0, len(values), IN_LIST):
            part = values[start : start + IN_LIST]
            rows += self.connection.execute(
                sql.format(",".join("?" * len(part))), (*before, *part)
            ).fetchall()
        return rows

    # --- what the writers changed ---------------------------------------------------------------

    def created(self, entity_id: int, type: str, name: str, key: str) -> None:
        """A new entity, with no aliases, keys, mentions or posts yet."""
        if not self.remember:
            return
        self._next_entity = entity_id + 1
        self._entities[entity_id] = (type, name, key)
        self._key_holder(type, key, entity_id)
        self._aliases[entity_id] = set()
        self._key_rows[entity_id] = set()
        self._counts[entity_id] = 0
        self._posts[entity_id] = []

    def first_document(self, entity_id: int, names: list[str]) -> None:
        """The entity was created by the document being written, whose organisations and places have
        these names (`first_document_names`)."""
        if self.remember:
            self._first_names[entity_id] = names

    def renamed(self, entity_id: int, name: str, key: str) -> None:
        if not self.remember:
            return
        type, _, old_key = self.entity(entity_id)
        self._key_holder(type, old_key, None)
        self._key_holder(type, key, entity_id)
        self._entities[entity_id] = (type, name, key)

    def _key_holder(self, type: str, key: str, entity_id: int | None) -> None:
        self._by_key[(type, key)] = entity_id
        # `key` is a numbered key ("<base> #<n>", `numbered_keys`) of each base it starts with that is
        # followed by " #": those looked up, not every base (a bulk load's memo holds thousands).
        mark = key.find(" #")
        while mark != -1:
            held = self._numbered.get((type, key[:mark]))
            if held is not None and entity_id is None:
                held.pop(key, None)
            elif held is not None:
                held[key] = entity_id
            mark = key.find(" #", mark + 1)

    def aliases_added(self, entity_id: int, aliases: Iterable[str]) -> None:
        if entity_id in self._aliases:
            self._aliases[entity_id].update(aliases)

    def keys_added(self, entity_id: int, type: str, rows: Iterable[tuple[str, str, str]]) -> None:
        """(space, key, alias) rows added to the entity: the look-ups of those keys are read again."""
        for space, key, alias in rows:
            if entity_id in self._key_rows:
                self._key_rows[entity_id].add((space, key, alias))
            self._keyed.pop((type, space, key), None)

    def recounted(self, entity_ids: Iterable[int]) -> None:
        for entity_id in entity_ids:
            self._counts.pop(entity_id, None)

    def counted(self, added: dict[int, int]) -> None:
        """Mentions added to the counts of these entities."""
        for entity_id, count in added.items():
            if entity_id in self._counts:
                self._counts[entity_id] += count

    def posts_written(self, posts: Iterable[tuple[int | None, Post, str | None]]) -> None:
        """(person id, post, review) of positions just written, in the order written."""
        for person, post, review in posts:
            held = self._posts.get(person)  # type: ignore[arg-type]
            if held is not None and review != "rejected" and post not in held:
                held.append(post)

    def document_written(self, doc_id: str, source_key: str, digest: str) -> None:
        if self.remember:
            self._sources[doc_id] = source_key
            self._at_source[source_key] = (doc_id, digest)
            self._next_seq = self.next_seq() + 1
