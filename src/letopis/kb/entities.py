"""Writing cross-document entities: create, name, add aliases with their keys, relink, drop.

Works on the store's connection inside the caller's transaction; never commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from letopis.kb.connection import Connection
from letopis.kb.names import distinctive_names, entity_key, keys_for, name_rank
from letopis.nlp.lemmas import lemmatize


def create_entity(connection: Connection, type: str, name: str) -> int:
    """A new entity with no aliases yet; its key is the name's, made unique within the type."""
    row = connection.execute(
        "INSERT INTO entities (type, name, key) VALUES (?, ?, ?) RETURNING id",
        (type, name, unique_key(connection, type, name)),
    ).fetchone()
    return row[0]


def unique_key(connection: Connection, type: str, name: str, entity_id: int | None = None) -> str:
    """`entity_key(name)`, or with " #2", " #3"… when another entity of the type has it."""
    base = entity_key(name)
    key, number = base, 1
    while True:
        row = connection.execute("SELECT id FROM entities WHERE type = ? AND key = ?", (type, key)).fetchone()
        if row is None or row["id"] == entity_id:
            return key
        number += 1
        key = f"{base} #{number}"


def add_names(connection: Connection, entity_id: int, type: str, names: Iterable[str]) -> int:
    """Add the names one document has for the entity: all as aliases, the distinctive ones also by their
    keys (kb.names.distinctive_names); return how many aliases were new."""
    names = [n for n in dict.fromkeys(names) if n.strip()]
    added = 0
    for alias in names:
        cursor = connection.execute(
            "INSERT INTO aliases (entity_id, alias, key) VALUES (?, ?, ?)"
            " ON CONFLICT (entity_id, alias) DO NOTHING",
            (entity_id, alias, entity_key(alias)),
        )
        added += cursor.rowcount
    for alias in distinctive_names(type, names):
        add_keys(connection, entity_id, type, alias)
    if added:
        index_entity(connection, entity_id)
    return added


def add_keys(connection: Connection, entity_id: int, type: str, alias: str) -> None:
    """Index one alias of the entity by the keys it can be matched by (kb.names.keys_for)."""
    connection.executemany(
        "INSERT INTO entity_keys (entity_id, type, space, key, alias, derivation) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [(entity_id, type, k.space, k.key, k.alias, k.derivation) for k in keys_for(type, alias)],
    )


def index_entity(connection: Connection, entity_id: int) -> None:
    """Put the entity's name and aliases, as lemmas, in the search index."""
    name = connection.execute("SELECT name FROM entities WHERE id = ?", (entity_id,)).fetchone()["name"]
    aliases = connection.execute("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))
    names = [name, *(row["alias"] for row in aliases)]
    lemmas = " ".join(dict.fromkeys(lemmatize(" ".join(names)).split()))
    connection.execute("DELETE FROM entities_fts WHERE rowid = ?", (entity_id,))
    connection.execute(
        "INSERT INTO entities_fts (rowid, entity_id, names) VALUES (?, ?, ?)", (entity_id, entity_id, lemmas)
    )


def set_name(connection: Connection, entity_id: int, name: str) -> None:
    """Call the entity `name` (also an alias of it)."""
    row = connection.execute("SELECT type FROM entities WHERE id = ?", (entity_id,)).fetchone()
    connection.execute(
        "UPDATE entities SET name = ?, key = ? WHERE id = ?",
        (name, unique_key(connection, row["type"], name, entity_id), entity_id),
    )
    add_names(connection, entity_id, row["type"], [name])
    index_entity(connection, entity_id)


def prefer_name(connection: Connection, entity_id: int, names: Iterable[str]) -> None:
    """Rename the entity to the most complete of `names` if that is better: "А. Балаева" -> "Аида Балаева"."""
    row = connection.execute("SELECT type, name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    best = max(names, key=lambda n: name_rank(row["type"], n), default=None)
    if best is not None and name_rank(row["type"], best) > name_rank(row["type"], row["name"]):
        set_name(connection, entity_id, best)


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
    """Point one document entity, its mentions and the facts naming it at another store entity."""
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
    "UPDATE mentions SET entity_id = ? WHERE doc_id = ? AND local_entity = ?",
    "UPDATE positions SET person_entity_id = ? WHERE doc_id = ? AND person = ?",
    "UPDATE positions SET organization_entity_id = ? WHERE doc_id = ? AND organization = ?",
    "UPDATE quotes SET speaker_entity_id = ? WHERE doc_id = ? AND speaker = ?",
    "UPDATE events SET place_entity_id = ? WHERE doc_id = ? AND place = ?",
]


def recount_mentions(connection: Connection, entity_ids: Iterable[int]) -> None:
    """Set each entity's mention count from the mentions linked to it."""
    connection.executemany(
        "UPDATE entities SET mention_count ="
        " (SELECT count(*) FROM mentions WHERE mentions.entity_id = entities.id) WHERE id = ?",
        [(entity_id,) for entity_id in sorted(set(entity_ids))],
    )


def drop_orphans(connection: Connection, entity_ids: Iterable[int]) -> None:
    """Delete entities no document links to any more."""
    for entity_id in sorted(set(entity_ids)):
        linked = connection.execute(
            "SELECT 1 FROM doc_entities WHERE entity_id = ? LIMIT 1", (entity_id,)
        ).fetchone()
        if linked is None:
            connection.execute("DELETE FROM entities_fts WHERE rowid = ?", (entity_id,))
            connection.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
