"""Export the knowledge base to files (JSON lines, CSV or Parquet) and import it again.

One file per table, rows in a fixed order, so that exporting a store, importing the files into an
empty store and exporting again gives the same files. Documents carry their contract record
(mentions, dates, topics with offsets); entities, aliases, links with their rule and evidence,
positions, quotes and events carry their document id and offsets; the curation log and the
curated state come along, so edits keep holding after the import.

Works on the store's connection; the caller owns the transaction.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from letopis.errors import LetopisError
from letopis.kb.connection import Connection
from letopis.kb.entities import add_keys, reindex_entities
from letopis.kb.names import distinctive_names, entity_key
from letopis.kb.titles import is_head_title, office_key, title_key
from letopis.model import Document

FORMATS = ("jsonl", "csv", "parquet")

# table -> (columns, SELECT giving them in a fixed order); the file is named after the table.
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "documents": (
        (
            "id",
            "source",
            "item",
            "source_key",
            "content_hash",
            "url",
            "title",
            "published",
            "text_offset",
            "ingested_at",
            "record",
        ),
        "SELECT id, source, item, source_key, content_hash, url, title, published, text_offset, ingested_at,"
        " record FROM documents ORDER BY id",
    ),
    "entities": (
        ("id", "type", "name", "key", "mention_count"),
        "SELECT id, type, name, key, mention_count FROM entities ORDER BY id",
    ),
    "aliases": (
        ("entity_id", "alias"),
        "SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias",
    ),
    "entity_links": (
        ("doc_id", "local_id", "entity_id", "name", "rule", "evidence"),
        "SELECT doc_id, local_id, entity_id, name, rule, evidence FROM doc_entities"
        " ORDER BY doc_id, local_id",
    ),
    "positions": (
        (
            "id",
            "doc_id",
            "person",
            "person_entity_id",
            "title",
            "organization",
            "organization_entity_id",
            "as_of",
            "start",
            "end",
            "review",
        ),
        "SELECT id, doc_id, person, person_entity_id, title, organization, organization_entity_id, as_of,"
        ' start, "end", review FROM positions ORDER BY id',
    ),
    "quotes": (
        (
            "id",
            "doc_id",
            "speaker",
            "speaker_entity_id",
            "speaker_text",
            "text",
            "kind",
            "start",
            "end",
            "review",
        ),
        'SELECT id, doc_id, speaker, speaker_entity_id, speaker_text, text, kind, start, "end", review'
        " FROM quotes ORDER BY id",
    ),
    "events": (
        (
            "id",
            "doc_id",
            "local_id",
            "type",
            "name",
            "status",
            "from",
            "to",
            "place",
            "place_entity_id",
            "participants",
            "participant_entity_ids",
            "organizations",
            "outcome",
            "start",
            "end",
            "partial",
            "review",
        ),
        'SELECT v.id, v.doc_id, v.local_id, v.type, v.name, v.status, v."from", v."to", v.place,'
        # participant_entity_ids: filled in by _with_participant_entity_ids
        " v.place_entity_id, v.participants, NULL AS participant_entity_ids,"
        ' v.organizations, v.outcome, v.start, v."end", v.partial, v.review FROM events AS v ORDER BY v.id',
    ),
    "curation_log": (
        ("id", "at", "by", "action", "group_id", "target", "before", "after"),
        "SELECT id, at, by, action, group_id, target, before, after FROM curation_log ORDER BY id",
    ),
    "curated_groups": (
        ("id", "type", "name", "entity_id", "edit_id"),
        "SELECT id, type, name, entity_id, edit_id FROM curated_groups ORDER BY id",
    ),
    "curated_names": (
        ("type", "key", "scope", "group_id"),
        "SELECT type, key, scope, group_id FROM curated_names ORDER BY type, key, scope",
    ),
    "fact_reviews": (
        ("kind", "source_key", "signature", "status", "edit_id"),
        "SELECT kind, source_key, signature, status, edit_id FROM fact_reviews"
        " ORDER BY kind, source_key, signature",
    ),
}
INTEGERS = {
    "text_offset",
    "mention_count",
    "entity_id",
    "person_entity_id",
    "organization_entity_id",
    "start",
    "end",
    "speaker_entity_id",
    "place_entity_id",
    "group_id",
    "edit_id",
}
# Columns holding JSON: nested as they are in JSON lines, as text in CSV and Parquet.
JSON_COLUMNS = {
    "record",
    "target",
    "before",
    "after",
    "participants",
    "organizations",
    "participant_entity_ids",
}
# CSV writes None as an empty cell; these columns are never None, so an empty cell is "".
NEVER_NULL = {"scope"}
# Columns computed on export for readers of the files; an import recomputes them.
DERIVED = {"participant_entity_ids"}
# Tables an import writes as they are, in an order that satisfies the foreign keys.
PLAIN_TABLES = (
    "entities",
    "positions",
    "quotes",
    "events",
    "curation_log",
    "curated_groups",
    "curated_names",
    "fact_reviews",
)


class TransferError(LetopisError):
    """An export or import that cannot be done (unknown format, missing files, a non-empty store)."""


def is_integer(table: str, column: str) -> bool:
    """Whether a column holds integers (ids, offsets, counts)."""
    return column in INTEGERS or (column == "id" and table != "documents")


# --- export --------------------------------------------------------------------------------------


def export_tables(connection: Connection, folder: str | os.PathLike[str], format: str) -> dict[str, int]:
    """Write every table of TABLES to `folder`/<table>.<format>; return the rows written to each."""
    if format not in FORMATS:
        raise TransferError(f"unknown export format {format!r} (expected one of {', '.join(FORMATS)})")
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TransferError(f"{out}: cannot create the folder: {exc.strerror}") from exc
    counts = {}
    for table, (columns, select) in TABLES.items():
        rows = [tuple(row) for row in connection.execute(select)]
        if table == "events":
            rows = _with_participant_entity_ids(connection, columns, rows)
        WRITERS[format](out / f"{table}.{format}", table, columns, rows)
        counts[table] = len(rows)
    return counts


def _with_participant_entity_ids(
    connection: Connection, columns: tuple[str, ...], rows: list[tuple]
) -> list[tuple]:
    """Events with `participant_entity_ids`: the store entities of their participants, as JSON."""
    links = {
        (row["doc_id"], row["local_id"]): row["entity_id"]
        for row in connection.execute("SELECT doc_id, local_id, entity_id FROM doc_entities")
    }
    doc, participants, derived = (
        columns.index(name) for name in ("doc_id", "participants", "participant_entity_ids")
    )
    filled = []
    for row in rows:
        local_ids = json.loads(row[participants])
        ids = [links[row[doc], local] for local in local_ids if (row[doc], local) in links]
        values = list(row)
        values[derived] = json.dumps(ids, separators=(",", ":"))
        filled.append(tuple(values))
    return filled


def _write_jsonl(path: Path, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as file:
        for row in rows:
            nested = {
                c: json.loads(v) if c in JSON_COLUMNS and v is not None else v
                for c, v in zip(columns, row, strict=True)
            }
            file.write(json.dumps(nested, ensure_ascii=False) + "\n")


def _write_csv(path: Path, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if value is None else value for value in row] for row in rows)


def _write_parquet(path: Path, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.int64() if is_integer(table, c) else pa.string()) for c in columns])
    data = {column: [row[i] for row in rows] for i, column in enumerate(columns)}
    pq.write_table(pa.Table.from_pydict(data, schema=schema), path)


WRITERS = {"jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet}


# --- reading an export ---------------------------------------------------------------------------


def export_format(folder: str | os.PathLike[str]) -> str:
    """The format of the export in `folder`, told by its documents file."""
    for format in FORMATS:
        if (Path(folder) / f"documents.{format}").is_file():
            return format
    raise TransferError(f"{os.fspath(folder)}: no export here (expected documents.jsonl, .csv or .parquet)")


def read_table(folder: str | os.PathLike[str], table: str, format: str) -> list[dict[str, Any]]:
    """The rows of one exported table, typed as the store holds them."""
    path = Path(folder) / f"{table}.{format}"
    if not path.is_file():
        raise TransferError(f"{path}: missing from the export")
    return READERS[format](path, table)


def _read_jsonl(path: Path, table: str) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as file:
        rows = [json.loads(line) for line in file if line.strip()]
    return [
        {
            c: json.dumps(v, ensure_ascii=False) if c in JSON_COLUMNS and v is not None else v
            for c, v in row.items()
        }
        for row in rows
    ]


def _read_csv(path: Path, table: str) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return [{column: _csv_value(table, column, value) for column, value in row.items()} for row in rows]


def _csv_value(table: str, column: str, value: str) -> Any:
    if value == "" and column not in NEVER_NULL:
        return None
    return int(value) if is_integer(table, column) else value


def _read_parquet(path: Path, table: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


READERS = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}


# --- import --------------------------------------------------------------------------------------


def import_tables(connection: Connection, folder: str | os.PathLike[str]) -> dict[str, int]:
    """Load an export into an empty store, all but dates, topics and the text index
    (`imported_documents` gives what those need); return the rows read from each file."""
    if connection.execute(
        "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM entities)"
    ).fetchone()[0]:
        raise TransferError("the store is not empty: import into a new, empty store")
    format = export_format(folder)
    tables = {table: read_table(folder, table, format) for table in TABLES}
    _insert_rows(connection, "entities", tables["entities"])
    for row in tables["aliases"]:
        connection.execute(
            "INSERT INTO aliases (entity_id, alias, key) VALUES (?, ?, ?)",
            (row["entity_id"], row["alias"], entity_key(row["alias"])),
        )
    _insert_documents(connection, tables["documents"])
    _insert_rows(connection, "doc_entities", tables["entity_links"])
    for table in PLAIN_TABLES[1:]:
        _insert_rows(connection, table, tables[table])
    return {table: len(rows) for table, rows in tables.items()}


def _insert_rows(connection: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        columns = [c for c in row if c not in DERIVED]
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        connection.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", [row[c] for c in columns])


def _insert_documents(connection: Connection, rows: list[dict[str, Any]]) -> None:
    for seq, row in enumerate(rows, start=1):
        record = json.loads(row["record"])
        connection.execute(
            "INSERT INTO documents (id, seq, source, item, source_key, content_hash, url, title, published,"
            " text, text_offset, record, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row["id"],
                seq,
                row["source"],
                row["item"],
                row["source_key"],
                row["content_hash"],
                row["url"],
                row["title"],
                row["published"],
                record["text"],
                row["text_offset"],
                row["record"],
                row["ingested_at"],
            ),
        )


def imported_documents(connection: Connection) -> Iterator[tuple[int, Document]]:
    """(seq, document) of every stored document, for what is left to write."""
    for row in connection.execute("SELECT seq, record FROM documents ORDER BY seq").fetchall():
        yield row["seq"], Document.from_dict(json.loads(row["record"]))


def finish_import(connection: Connection) -> None:
    """What an import computes rather than reads: keys, search index of entities, counts."""
    rebuild_derived(connection)
    reindex_entities(connection)


# --- derived columns -----------------------------------------------------------------------------


def rebuild_derived(connection: Connection) -> None:
    """Fill what the knowledge base derives from stored rows: document entities' names and mention
    counts, entity keys, title keys (after an import, or a migration of a store made before them)."""
    for row in connection.execute("SELECT id, record FROM documents").fetchall():
        record = json.loads(row["record"])
        counts = Counter(m["entity"] for m in record["mentions"])
        for entity in record["entities"]:
            names = list(dict.fromkeys([entity["name"], *entity["aliases"]]))
            connection.execute(
                "UPDATE doc_entities SET name = ?, name_key = ?, names = ?, mentions = ?,"
                " rule = coalesce(rule, 'same_name'),"
                " evidence = coalesce(evidence, 'linked by name before the knowledge base')"
                " WHERE doc_id = ? AND local_id = ?",
                (
                    entity["name"],
                    entity_key(entity["name"]),
                    json.dumps(names, ensure_ascii=False),
                    counts[entity["id"]],
                    row["id"],
                    entity["id"],
                ),
            )
    connection.execute("DELETE FROM entity_keys")
    for row in connection.execute("SELECT id, type, name FROM entities").fetchall():
        add_keys(connection, row["id"], row["type"], row["name"])
    for row in connection.execute(
        "SELECT de.entity_id, e.type, de.names FROM doc_entities AS de"
        " JOIN entities AS e ON e.id = de.entity_id"
    ).fetchall():
        for name in distinctive_names(row["type"], json.loads(row["names"] or "[]")):
            add_keys(connection, row["entity_id"], row["type"], name)
    for row in connection.execute("SELECT id, title FROM positions").fetchall():
        title = row["title"]
        connection.execute(
            "UPDATE positions SET title_key = ?, head = ?, office_key = ? WHERE id = ?",
            (title_key(title), int(is_head_title(title)), office_key(title), row["id"]),
        )
