"""Curation: merge, split and rename entities, confirm or reject facts; logged, and kept on re-ingest.

Every edit is written to `curation_log` (who, when, what, before and after). What an edit means
is kept by stable keys, never by row ids, so that it holds again when documents are ingested
again or re-extracted and get new ids:

- entity edits put document entities into a curated group by their name in that document
  (`curated_names`: a name key, everywhere or only in the document from one source) — all of a
  group's document entities follow one store entity, under the group's name if it was renamed;
  `reapply` enforces the groups of each document just written;
- fact reviews are kept by source, kind and a signature of the fact's content (`fact_reviews`)
  and looked up when the facts are written again (`letopis.kb.memo.Memo.reviews`).

Works on the store's connection inside the caller's transaction; never commits.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from letopis.errors import LetopisError
from letopis.kb.connection import Connection, Row
from letopis.kb.entities import (
    create_entity,
    drop_orphans,
    rebuild_names,
    recount_mentions,
    relink,
    set_name,
)
from letopis.kb.names import entity_key, name_rank, parse_person
from letopis.kb.titles import title_key

FACT_TABLES = {"position": "positions", "quote": "quotes", "event": "events"}
REVIEWS = {"confirm": "confirmed", "reject": "rejected"}
FACT_REFERENCE = re.compile(r"^(position|quote|event):(\d+)$")


class CurationError(LetopisError):
    """A curation edit that cannot be made (unknown entity or fact, a merge with itself, …)."""


@dataclass(frozen=True)
class Edit:
    """One logged curation edit."""

    id: int
    at: str
    by: str
    action: str
    target: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]


# --- entity edits --------------------------------------------------------------------------------


def merge_entities(connection: Connection, keep: int, other: int, by: str, at: str) -> Edit:
    """Make `other` the same entity as `keep`: its documents, names and facts move over."""
    kept, merged = describe_entity(connection, keep), describe_entity(connection, other)
    if keep == other:
        raise CurationError(f"cannot merge «{kept['name']}» with itself")
    if kept["type"] != merged["type"]:
        raise CurationError(
            f"cannot merge a {merged['type']} («{merged['name']}») into a {kept['type']} («{kept['name']}»)"
        )
    edit_id = _log(
        connection,
        by,
        at,
        "merge",
        {"keep": _anchor(kept), "other": _anchor(merged)},
        {"keep": kept, "other": merged},
    )
    group = _group_for(connection, keep, edit_id)
    folded = _group_of_entity(connection, other)
    if folded is not None:
        _fold_group(connection, folded, group)
    _register_links(connection, group, other)
    for name in (kept["name"], merged["name"]):
        _register(connection, group, kept["type"], name, "")
    touched = enforce(connection, [group])
    _finish(connection, touched)
    return _logged(connection, edit_id, {"entity": describe_entity(connection, keep)})


def split_entity(
    connection: Connection,
    entity_id: int,
    aliases: list[str],
    by: str,
    at: str,
    name: str | None = None,
) -> Edit:
    """Move the documents that call the entity by one of `aliases` to a new entity."""
    entity = describe_entity(connection, entity_id)
    keys = {entity_key(alias) for alias in aliases}
    known = {entity_key(alias) for alias in entity["aliases"]} | {entity_key(entity["name"])}
    unknown = [alias for alias in aliases if entity_key(alias) not in known]
    if unknown:
        raise CurationError(f"«{entity['name']}» has no alias «{unknown[0]}»")
    moving = [link for link in _links(connection, entity_id) if link["name_key"] in keys]
    if not moving:
        raise CurationError(
            f"no document calls «{entity['name']}» «{aliases[0]}» on its own "
            "(it is only another name within documents that also use the full name)"
        )
    new_name = name or aliases[0]
    edit_id = _log(
        connection,
        by,
        at,
        "split",
        {"entity": _anchor(entity), "aliases": aliases, "name": new_name},
        {"entity": entity},
    )
    _group_for(connection, entity_id, edit_id, exclude=keys)
    split_off = _new_group(connection, entity["type"], None, edit_id, new_name)
    connection.executemany(
        "DELETE FROM curated_names WHERE type = ? AND key = ?",
        [(entity["type"], key) for key in sorted(keys)],
    )
    for key in sorted(keys):
        _register_key(connection, split_off, entity["type"], key, "")
    touched = enforce(connection, [split_off])
    _finish(connection, touched | {entity_id})
    new_id = connection.execute("SELECT entity_id FROM curated_groups WHERE id = ?", (split_off,)).fetchone()[
        0
    ]
    after = {"entity": describe_entity(connection, entity_id), "new": describe_entity(connection, new_id)}
    return _logged(connection, edit_id, after)


def rename_entity(connection: Connection, entity_id: int, name: str, by: str, at: str) -> Edit:
    """Call the entity `name` from now on, whatever its documents call it."""
    entity = describe_entity(connection, entity_id)
    if not name.strip():
        raise CurationError("the new name is empty")
    clash = connection.execute(
        "SELECT id FROM entities WHERE type = ? AND key = ? AND id != ?",
        (entity["type"], entity_key(name), entity_id),
    ).fetchone()
    if clash is not None:
        raise CurationError(
            f"another {entity['type']} entity is called «{name}» (id {clash['id']}): merge them instead"
        )
    edit_id = _log(
        connection, by, at, "rename", {"entity": _anchor(entity), "name": name}, {"entity": entity}
    )
    group = _group_for(connection, entity_id, edit_id)
    connection.execute("UPDATE curated_groups SET name = ? WHERE id = ?", (name, group))
    _register(connection, group, entity["type"], name, "")
    _finish(connection, enforce(connection, [group]))
    return _logged(connection, edit_id, {"entity": describe_entity(connection, entity_id)})


def describe_entity(connection: Connection, entity_id: int) -> dict[str, Any]:
    """id, type, name and aliases of a stored entity; `CurationError` when there is none."""
    row = connection.execute("SELECT id, type, name FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise CurationError(f"no entity with id {entity_id}")
    aliases = [
        r["alias"]
        for r in connection.execute(
            "SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias", (entity_id,)
        )
    ]
    return {"id": row["id"], "type": row["type"], "name": row["name"], "aliases": aliases}


def _anchor(entity: dict[str, Any]) -> dict[str, Any]:
    """What identifies an entity beyond its id: its type and names."""
    return {"type": entity["type"], "name": entity["name"], "aliases": entity["aliases"]}


# --- curated groups ------------------------------------------------------------------------------


def _links(connection: Connection, entity_id: int) -> list[Row]:
    return connection.execute(
        "SELECT de.doc_id, de.local_id, de.entity_id, de.name, de.name_key, d.source_key"
        " FROM doc_entities AS de JOIN documents AS d ON d.id = de.doc_id"
        " WHERE de.entity_id = ? ORDER BY de.doc_id, de.local_id",
        (entity_id,),
    ).fetchall()


def _group_of_entity(connection: Connection, entity_id: int) -> int | None:
    row = connection.execute("SELECT id FROM curated_groups WHERE entity_id = ?", (entity_id,)).fetchone()
    return row["id"] if row else None


def _new_group(
    connection: Connection, type: str, entity_id: int | None, edit_id: int, name: str | None = None
) -> int:
    row = connection.execute(
        "INSERT INTO curated_groups (type, name, entity_id, edit_id) VALUES (?, ?, ?, ?) RETURNING id",
        (type, name, entity_id, edit_id),
    ).fetchone()
    return row[0]


def _group_for(connection: Connection, entity_id: int, edit_id: int, exclude: set[str] = frozenset()) -> int:
    """The entity's curated group (made now if it has none), holding its documents' names for it."""
    group = _group_of_entity(connection, entity_id)
    if group is None:
        type = connection.execute("SELECT type FROM entities WHERE id = ?", (entity_id,)).fetchone()["type"]
        group = _new_group(connection, type, entity_id, edit_id)
    connection.execute("UPDATE curated_groups SET edit_id = ? WHERE id = ?", (edit_id, group))
    _register_links(connection, group, entity_id, exclude)
    return group


def _fold_group(connection: Connection, old: int, into: int) -> None:
    """Move the names of group `old` into group `into` (a merge of two curated entities)."""
    connection.execute("UPDATE curated_names SET group_id = ? WHERE group_id = ?", (into, old))
    connection.execute(
        "UPDATE curated_groups SET name = coalesce(name, (SELECT name FROM curated_groups WHERE id = ?))"
        " WHERE id = ?",
        (old, into),
    )
    connection.execute("DELETE FROM curated_groups WHERE id = ?", (old,))


def _register_links(
    connection: Connection, group: int, entity_id: int, exclude: set[str] = frozenset()
) -> None:
    type = connection.execute("SELECT type FROM entities WHERE id = ?", (entity_id,)).fetchone()["type"]
    for link in _links(connection, entity_id):
        if link["name_key"] not in exclude:
            _register_key(connection, group, type, link["name_key"], link["source_key"])


def _register(connection: Connection, group: int, type: str, name: str, scope: str) -> None:
    """Put a name in the group: everywhere, except a bare surname, which would catch namesakes."""
    parsed = parse_person(name) if type == "PER" else None
    if parsed is not None and parsed.bare:
        return
    _register_key(connection, group, type, entity_key(name), scope)


def _register_key(connection: Connection, group: int, type: str, key: str, scope: str) -> None:
    connection.execute(
        "INSERT INTO curated_names (type, key, scope, group_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (type, key, scope) DO UPDATE SET group_id = excluded.group_id",
        (type, key, scope, group),
    )


def group_of_name(connection: Connection, type: str, key: str, source_key: str) -> int | None:
    """The curated group a document entity belongs to by its name: its document's own rule first."""
    row = connection.execute(
        "SELECT group_id FROM curated_names WHERE type = ? AND key = ? AND scope IN (?, '')"
        " ORDER BY scope = '' LIMIT 1",
        (type, key, source_key),
    ).fetchone()
    return row["group_id"] if row else None


def enforce(connection: Connection, groups: list[int]) -> set[int]:
    """Move each group's document entities to the group's one entity; return the entities touched."""
    touched: set[int] = set()
    for group in sorted(set(groups)):
        touched |= _enforce_group(connection, group)
    return touched


def _enforce_group(connection: Connection, group: int) -> set[int]:
    row = connection.execute("SELECT * FROM curated_groups WHERE id = ?", (group,)).fetchone()
    if row is None:
        return set()
    members = _members(connection, group, row["type"])
    target = _target(connection, row, members)
    if target is None:
        return set()
    edit = connection.execute(
        "SELECT action, by FROM curation_log WHERE id = ?", (row["edit_id"],)
    ).fetchone()
    evidence = f"curation edit {row['edit_id']}" + (f" ({edit['action']} by {edit['by']})" if edit else "")
    moved = {link["entity_id"] for link in members if link["entity_id"] != target}
    for link in members:
        if link["entity_id"] != target:
            relink(connection, link["doc_id"], link["local_id"], target, "curated", evidence)
    connection.execute("UPDATE curated_groups SET entity_id = ? WHERE id = ?", (target, group))
    current = connection.execute("SELECT name FROM entities WHERE id = ?", (target,)).fetchone()["name"]
    if row["name"] and current != row["name"]:
        set_name(connection, target, row["name"])
    if moved:
        for entity_id in sorted(moved | {target}):
            rebuild_names(connection, entity_id)
    return moved | {target}


def _members(connection: Connection, group: int, type: str) -> list[Row]:
    """The document entities whose name puts them in the group."""
    keys = [
        r["key"]
        for r in connection.execute("SELECT DISTINCT key FROM curated_names WHERE group_id = ?", (group,))
    ]
    members = []
    for key in keys:
        for link in connection.execute(
            "SELECT de.doc_id, de.local_id, de.entity_id, de.name, de.name_key, d.source_key"
            " FROM doc_entities AS de JOIN documents AS d ON d.id = de.doc_id"
            " JOIN entities AS e ON e.id = de.entity_id WHERE de.name_key = ? AND e.type = ?"
            " ORDER BY de.doc_id, de.local_id",
            (key, type),
        ):
            if group_of_name(connection, type, key, link["source_key"]) == group:
                members.append(link)
    return members


def _target(connection: Connection, group: Row, members: list[Row]) -> int | None:
    """The group's entity: the one it had, else the one holding most of its members, else a new one."""
    claimed = {
        r["entity_id"]
        for r in connection.execute(
            "SELECT entity_id FROM curated_groups WHERE id != ? AND entity_id IS NOT NULL", (group["id"],)
        )
    }
    if group["entity_id"] is not None and group["entity_id"] not in claimed:
        return group["entity_id"]
    holding = Counter(link["entity_id"] for link in members if link["entity_id"] not in claimed)
    if holding:
        return min(holding, key=lambda entity_id: (-holding[entity_id], entity_id))
    if not members:
        return None
    name = group["name"] or max((m["name"] for m in members), key=lambda n: name_rank(group["type"], n))
    return create_entity(connection, group["type"], name)


def reapply(connection: Connection, doc_id: str) -> set[int]:
    """Enforce the curated groups the entities of a just written document belong to."""
    if connection.execute("SELECT 1 FROM curated_names LIMIT 1").fetchone() is None:
        return set()
    groups = set()
    for link in connection.execute(
        "SELECT de.name_key, e.type, d.source_key FROM doc_entities AS de"
        " JOIN entities AS e ON e.id = de.entity_id JOIN documents AS d ON d.id = de.doc_id"
        " WHERE de.doc_id = ?",
        (doc_id,),
    ).fetchall():
        group = group_of_name(connection, link["type"], link["name_key"], link["source_key"])
        if group is not None:
            groups.add(group)
    return enforce(connection, sorted(groups))


def _finish(connection: Connection, touched: set[int]) -> None:
    recount_mentions(connection, touched)
    drop_orphans(connection, touched)


# --- fact reviews --------------------------------------------------------------------------------


def review_fact(connection: Connection, reference: str, action: str, by: str, at: str) -> Edit:
    """Confirm or reject a position, quote or event given as "position:12", "quote:3", "event:7"."""
    match = FACT_REFERENCE.match(reference.strip())
    if match is None:
        raise CurationError(f"not a fact: {reference!r} (expected position:ID, quote:ID or event:ID)")
    kind, fact_id = match.group(1), int(match.group(2))
    row = connection.execute(f"SELECT * FROM {FACT_TABLES[kind]} WHERE id = ?", (fact_id,)).fetchone()
    if row is None:
        raise CurationError(f"no {kind} with id {fact_id}")
    source_key = connection.execute(
        "SELECT source_key FROM documents WHERE id = ?", (row["doc_id"],)
    ).fetchone()["source_key"]
    signature = stored_signature(connection, kind, row)
    status = REVIEWS[action]
    target = {
        "fact": reference,
        "doc_id": row["doc_id"],
        "source_key": source_key,
        "start": row["start"],
        "end": row["end"],
        "signature": signature,
    }
    edit_id = _log(connection, by, at, action, target, {"review": row["review"]})
    connection.execute(f"UPDATE {FACT_TABLES[kind]} SET review = ? WHERE id = ?", (status, fact_id))
    connection.execute(
        "INSERT INTO fact_reviews (kind, source_key, signature, status, edit_id) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (kind, source_key, signature)"
        " DO UPDATE SET status = excluded.status, edit_id = excluded.edit_id",
        (kind, source_key, signature, status, edit_id),
    )
    return _logged(connection, edit_id, {"review": status})


def position_signature(person: str | None, title: str | None, organization: str | None) -> str:
    """A position by its content: the document's names for person and organisation, the title's key."""
    return "|".join([entity_key(person or ""), title_key(title) or "", entity_key(organization or "")])


def quote_signature(speaker: str | None, text: str) -> str:
    """A quote by its speaker's name in the document and its words."""
    digest = hashlib.sha1(entity_key(text).encode("utf-8")).hexdigest()[:16]
    return f"{entity_key(speaker or '')}|{digest}"


def event_signature(type: str, name: str, start_date: str | None) -> str:
    """An event by its type, name and date."""
    return f"{type}|{entity_key(name)}|{start_date or ''}"


def stored_signature(connection: Connection, kind: str, row: Row) -> str:
    """The signature of a stored fact, with its document's names for the entities it points at."""
    names = {
        link["local_id"]: link["name"]
        for link in connection.execute(
            "SELECT local_id, name FROM doc_entities WHERE doc_id = ?", (row["doc_id"],)
        )
    }
    if kind == "position":
        return position_signature(names.get(row["person"]), row["title"], names.get(row["organization"]))
    if kind == "quote":
        return quote_signature(names.get(row["speaker"]) if row["speaker"] else None, row["text"])
    return event_signature(row["type"], row["name"], row["from"])


# --- the log -------------------------------------------------------------------------------------


def _log(
    connection: Connection,
    by: str,
    at: str,
    action: str,
    target: dict[str, Any],
    before: dict[str, Any],
) -> int:
    row = connection.execute(
        "INSERT INTO curation_log (at, by, action, target, before, after) VALUES (?, ?, ?, ?, ?, '{}')"
        " RETURNING id",
        (at, by, action, _json(target), _json(before)),
    ).fetchone()
    return row[0]


def _logged(connection: Connection, edit_id: int, after: dict[str, Any]) -> Edit:
    group = connection.execute(
        "SELECT id FROM curated_groups WHERE edit_id = ? ORDER BY id LIMIT 1", (edit_id,)
    ).fetchone()
    connection.execute(
        "UPDATE curation_log SET after = ?, group_id = ? WHERE id = ?",
        (_json(after), group["id"] if group else None, edit_id),
    )
    row = connection.execute("SELECT * FROM curation_log WHERE id = ?", (edit_id,)).fetchone()
    return edit_from_row(row)


def edit_from_row(row: Row) -> Edit:
    """An `Edit` from its curation_log row."""
    return Edit(
        id=row["id"],
        at=row["at"],
        by=row["by"],
        action=row["action"],
        target=json.loads(row["target"]),
        before=json.loads(row["before"]),
        after=json.loads(row["after"]),
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
