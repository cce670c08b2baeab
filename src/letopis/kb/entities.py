"""Writing cross-document entities: create, name, add aliases with their keys, relink, drop.

Works on the store's connection inside the caller's transaction; never commits.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable

from letopis.kb.connection import Connection
from letopis.kb.memo import Memo
from letopis.kb.names import NameKey, distinctive_names, entity_key, keys_for, name_rank
from letopis.nlp.lemmas import search_lemmas


def create_entity(connection: Connection, type: str, name: str, memo: Memo | None = None) -> int:
    """A new entity with no aliases yet; its key is the name's, made unique within the type."""
    if memo is None or memo.dialect is None:  # the database numbers it
        key = unique_key(connection, type, name)
        sql = "INSERT INTO entities (type, name, key) VALUES (?, ?, ?) RETURNING id"
        return connection.execute(sql, (type, name, key)).fetchone()[0]
    # Numbered by the memo as the database would, so no answer is awaited (kb.memo).
    key = unique_key(connection, type, name, memo=memo)
    entity_id = memo.new_entity_id()
    sql = "INSERT INTO entities (id, type, name, key) VALUES (?, ?, ?, ?)"
    connection.execute(sql, (entity_id, type, name, key))
    memo.took_id(entity_id)
    memo.created(entity_id, type, name, key)
    return entity_id


def unique_key(
    connection: Connection, type: str, name: str, entity_id: int | None = None, memo: Memo | None = None
) -> str:
    """`entity_key(name)`, or with " #2", " #3"… when another entity of the type has it."""
    memo = memo or Memo(connection)
    key = entity_key(name)
    holder = memo.entity_with_key(type, key)
    if holder is None or holder == entity_id:
        return key
    taken = memo.numbered_keys(type, key)
    for number in itertools.count(2):
        holder = taken.get(f"{key} #{number}")
        if holder is None or holder == entity_id:
            return f"{key} #{number}"
    raise AssertionError("unreachable")


def add_names(
    connection: Connection, entity_id: int, type: str, names: Iterable[str], memo: Memo | None = None
) -> int:
    """Add the names one document has for the entity: all as aliases, the distinctive ones also by their
    keys (kb.names.distinctive_names); return how many aliases were new."""
    memo = memo or Memo(connection)
    names = [n for n in dict.fromkeys(names) if n.strip()]
    known = memo.aliases(entity_id)
    new = [alias for alias in names if alias not in known]
    if new:  # mostly not: a name seen before (sqlite3 prepares even an empty executemany)
        connection.executemany(
            "INSERT INTO aliases (entity_id, alias, key) VALUES (?, ?, ?)"
            " ON CONFLICT (entity_id, alias) DO NOTHING",
            [(entity_id, alias, entity_key(alias)) for alias in new],
        )
        memo.aliases_added(entity_id, new)
    for alias in distinctive_names(type, names):
        add_keys(connection, entity_id, type, alias, memo)
    if new:
        index_entity(connection, entity_id, memo)
    return len(new)


def add_keys(connection: Connection, entity_id: int, type: str, alias: str, memo: Memo | None = None) -> None:
    """Index one alias of the entity by the keys it can be matched by (kb.names.keys_for)."""
    memo = memo or Memo(connection)
    known = memo.key_rows(entity_id)
    new: dict[tuple[str, str, str], NameKey] = {}
    for key in keys_for(type, alias):
        row = (key.space, key.key, key.alias)
        if row not in known and row not in new:
            new[row] = key
    if new:
        connection.executemany(
            "INSERT INTO entity_keys (entity_id, type, space, key, alias, derivation)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [(entity_id, type, k.space, k.key, k.alias, k.derivation) for k in new.values()],
        )
        memo.keys_added(entity_id, type, new)


def index_entity(connection: Connection, entity_id: int, memo: Memo | None = None) -> None:
    """Put the entity's name and aliases, as lemmas, in the search index: now, or with a memo that
    remembers (a bulk load's), at `write_deferred`, with the names it has then."""
    memo = memo or Memo(connection)
    if not memo.index_later(entity_id):
        _index_entities(connection, [entity_id], memo)


def write_deferred(connection: Connection, memo: Memo) -> None:
    """The writes `memo` held back (kb.memo): the search index rows of entities, the last entity id."""
    unindexed, last_taken = memo.take_deferred()
    _index_entities(connection, unindexed, memo)
    if last_taken is not None and memo.dialect is not None:
        memo.dialect.took_id(connection, "entities", last_taken)


def _index_entities(connection: Connection, entity_ids: list[int], memo: Memo) -> None:
    if not entity_ids:
        return
    rows = []
    for entity_id in entity_ids:
        names = [memo.entity(entity_id)[1], *sorted(memo.aliases(entity_id))]
        rows.append((entity_id, entity_id, _names_lemmas(names)))
    connection.executemany(
        "DELETE FROM entities_fts WHERE rowid = ?", [(entity_id,) for entity_id in entity_ids]
    )
    connection.executemany("INSERT INTO entities_fts (rowid, entity_id, names) VALUES (?, ?, ?)", rows)


def _names_lemmas(names: list[str]) -> str:
    """An entity's search index row: the search lemmas of its names, each once."""
    return " ".join(dict.fromkeys(search_lemmas(" ".join(names)).split()))


def reindex_entities(connection: Connection) -> None:
    """Write every entity's search index row, from its name and aliases as stored (after an import,
    or after the search lemmas changed: migration 0008)."""
    aliases: dict[int, set[str]] = {}
    for row in connection.execute("SELECT entity_id, alias FROM aliases").fetchall():
        aliases.setdefault(row["entity_id"], set()).add(row["alias"])
    rows = [
        (row["id"], row["id"], _names_lemmas([row["name"], *sorted(aliases.get(row["id"], ()))]))
        for row in connection.execute("SELECT id, name FROM entities ORDER BY id").fetchall()
    ]
    connection.execute("DELETE FROM entities_fts")
    connection.executemany("INSERT INTO entities_fts (rowid, entity_id, names) VALUES (?, ?, ?)", rows)


def set_name(connection: Connection, entity_id: int, name: str, memo: Memo | None = None) -> None:
    """Call the entity `name` (also an alias of it)."""
    memo = memo or Memo(connection)
    type = memo.entity(entity_id)[0]
    key = unique_key(connection, type, name, entity_id, memo)
    connection.execute("UPDATE entities SET name = ?, key = ? WHERE id = ?", (name, key, entity_id))
    memo.renamed(entity_id, name, key)
    add_names(connection, entity_id, type, [name], memo)
    index_entity(connection, entity_id, memo)


def prefer_name(
    connection: Connection, entity_id: int, names: Iterable[str], memo: Memo | None = None
) -> None:
    """Rename the entity to the most complete of `names` if that is better: "А. Балаева" -> "Аида Балаева"."""
    memo = memo or Memo(connection)
    type, current, _ = memo.entity(entity_id)
    best = max(names, key=lambda n: name_rank(type, n), default=None)
    if best is not None and name_rank(type, best) > name_rank(type, current):
        set_name(connection, entity_id, best, memo)


def rebuild_names(connection: Connection, entity_id: int) -> None:
    """Aliases and keys again from the documents linked now (after links moved away or in)."""
    row = connection.execute("SELECT type, name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return
    connection.execute("DELETE FROM aliases WHERE entity_id = ?", (entity_id,))
    connection.execute("DELETE FROM entity_keys WHERE entity_id = ?", (entity_id,))
    add_names(connection, entity_id, row["type"], [row["name"]])
    for link in connection.execute(
        "SELECT names FROM doc_entities WHERE entity_id = ? ORDER BY doc_id, local_id", (entity_id,)
    ).fetchall():
        add_names(connection, entity_id, row["type"], json.loads(link["names"] or "[]"))
    index_entity(connection, entity_id)


def relink(
    connection: Connection, doc_id: str, local_id: str, entity_id: int, rule: str, evidence: str
) -> None:
    """Point one document entity at another store entity: its link, the facts naming it and its
    kb_id in the document's record."""
    connection.execute(
        "UPDATE doc_entities SET entity_id = ?, rule = ?, evidence = ? WHERE doc_id = ? AND local_id = ?",
        (entity_id, rule, evidence, doc_id, local_id),
    )
    for sql in RELINK_FACTS:
        connection.execute(sql, (entity_id, doc_id, local_id))
    row = connection.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
    record = json.loads(row["record"])
    for entity in record["entities"]:
        if entity["id"] == local_id:
            entity["kb_id"] = entity_id
    connection.execute(
        "UPDATE documents SET record = ? WHERE id = ?", (json.dumps(record, ensure_ascii=False), doc_id)
    )


RELINK_FACTS = [
    "UPDATE positions SET person_entity_id = ? WHERE doc_id = ? AND person = ?",
    "UPDATE positions SET organization_entity_id = ? WHERE doc_id = ? AND organization = ?",
    "UPDATE quotes SET speaker_entity_id = ? WHERE doc_id = ? AND speaker = ?",
    "UPDATE events SET place_entity_id = ? WHERE doc_id = ? AND place = ?",
]


def recount_mentions(connection: Connection, entity_ids: Iterable[int], memo: Memo | None = None) -> None:
    """Set each entity's mention count from the mentions of the document entities linked to it."""
    ids = sorted(set(entity_ids))
    connection.executemany(
        "UPDATE entities SET mention_count = (SELECT coalesce(sum(mentions), 0) FROM doc_entities"
        " WHERE doc_entities.entity_id = entities.id) WHERE id = ?",
        [(entity_id,) for entity_id in ids],
    )
    if memo is not None:
        memo.recounted(ids)


def add_mentions(connection: Connection, counts: dict[int, int], memo: Memo | None = None) -> None:
    """Add to each entity's mention count its mentions in a new document (`counts`, by entity id):
    what `recount_mentions` would find, without reading an often named entity's every mention."""
    connection.executemany(
        "UPDATE entities SET mention_count = mention_count + ? WHERE id = ?",
        [(count, entity_id) for entity_id, count in sorted(counts.items())],
    )
    if memo is not None:
        memo.counted(counts)


def drop_orphans(connection: Connection, entity_ids: Iterable[int]) -> None:
    """Delete entities no document links to any more."""
    for entity_id in sorted(set(entity_ids)):
        linked = connection.execute(
            "SELECT 1 FROM doc_entities WHERE entity_id = ? LIMIT 1", (entity_id,)
        ).fetchone()
        if linked is None:
            connection.execute("DELETE FROM entities_fts WHERE rowid = ?", (entity_id,))
            connection.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
