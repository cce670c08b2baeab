"""The `letopis` command line: extract, ingest, search, show, summary, serve."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from letopis.config import load_settings
from letopis.errors import LetopisError, SourceError
from letopis.model import Document

app = typer.Typer(
    help="letopis: Russian official news into a searchable, provenance-backed knowledge base.",
    no_args_is_help=True,
    add_completion=False,
)
show_app = typer.Typer(help="Show one entity or document from the store.", no_args_is_help=True)
app.add_typer(show_app, name="show")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[
    str | None, typer.Option("--db", help="SQLite file (default: $LETOPIS_DB or letopis.db).")
]


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class EntityType(StrEnum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"


def _db_path(db: str | None) -> str:
    return db or load_settings().db


def _report(error: SourceError) -> None:
    err.print(f"[red]error[/red]: {error}", markup=True, highlight=False)


def _extracted(paths: list[str], failures: Counter[str]) -> Iterator[Document]:
    """Read every path and run the pipeline; unreadable sources are reported and counted."""
    from letopis.nlp.pipeline import default_stages, extract
    from letopis.sources import iter_documents

    stages = default_stages()
    for item in iter_documents(paths):
        if isinstance(item, SourceError):
            _report(item)
            failures["failed"] += 1
            continue
        yield extract(item, stages)


@app.command("extract")
def extract_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin.")],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.jsonl,
) -> None:
    """Extract facts from documents and print them (no database needed).

    Example:
        letopis extract samples/ --format jsonl > facts.jsonl
    """
    failures: Counter[str] = Counter()
    docs = _extracted(paths, failures)
    if format is OutputFormat.jsonl:
        for doc in docs:
            sys.stdout.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
    elif format is OutputFormat.json:
        json.dump([d.to_dict() for d in docs], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for doc in docs:
            out.print(_mentions_table(doc))
    if failures:
        raise typer.Exit(1)


def _mentions_table(doc: Document) -> Table:
    table = Table(title=f"{doc.source} ({doc.id})")
    for column in ("start", "end", "type", "text", "normal", "entity"):
        table.add_column(column)
    for m in doc.mentions:
        table.add_row(str(m.start), str(m.end), m.type, m.text, m.normal, m.entity or "")
    return table


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursed), or - for stdin.")],
    db: DbOption = None,
) -> None:
    """Extract documents and store them in the knowledge base (idempotent).

    Example:
        letopis ingest samples/ --db letopis.db
    """
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    with _open_store(db) as store, _progress() as progress:
        task = progress.add_task("ingest", total=None, rate="")
        for doc in _extracted(paths, counts):
            counts["read"] += 1
            counts[store.add(doc)] += 1
            elapsed = max(time.perf_counter() - started, 1e-9)
            progress.update(task, advance=1, rate=f"{counts['read'] / elapsed:.1f} docs/s")
    elapsed = time.perf_counter() - started
    read = counts["read"] + counts["failed"]
    out.print(
        f"read {read}, new {counts['new']}, updated {counts['updated']}, "
        f"duplicates {counts['duplicate']}, failed {counts['failed']} "
        f"in {elapsed:.1f}s ({counts['read'] / max(elapsed, 1e-9):.1f} docs/s) -> {_db_path(db)}",
        highlight=False,
    )
    if counts["failed"]:
        raise typer.Exit(1)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} docs"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def _open_store(db: str | None):  # noqa: ANN202 - returns the store's own context manager
    from letopis.store import Store

    try:
        return Store.open(_db_path(db))
    except LetopisError as error:
        err.print(f"[red]error[/red]: {error}", highlight=False)
        raise typer.Exit(2) from error


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words to find, in any inflected form.")],
    type: Annotated[EntityType | None, typer.Option("--type", help="Only entities of this type.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only documents published on/after YYYY-MM-DD.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many hits of each kind.")] = 20,
    db: DbOption = None,
) -> None:
    """Full-text search over documents and entities; Russian word forms match each other.

    Example:
        letopis search "референдум" --since 2026-01-01
    """
    from letopis.store.queries import search

    with _open_store(db) as store:
        try:
            result = search(store, query, type=type.value if type else None, since=since, limit=limit)
        except LetopisError as error:
            err.print(f"[red]error[/red]: {error}", highlight=False)
            raise typer.Exit(2) from error
    _print_search(result)


def _print_search(result: dict) -> None:
    entities = Table(title="entities")
    for column in ("id", "type", "name", "mentions"):
        entities.add_column(column)
    for hit in result["entities"]:
        entities.add_row(str(hit["id"]), hit["type"], hit["name"], str(hit.get("mention_count", "")))
    documents = Table(title="documents")
    for column in ("id", "published", "title", "snippet"):
        documents.add_column(column)
    for hit in result["documents"]:
        documents.add_row(
            hit["id"], hit.get("published") or "", hit.get("title") or "", hit.get("snippet") or ""
        )
    out.print(entities)
    out.print(documents)


@show_app.command("entity")
def show_entity_command(
    name: Annotated[str, typer.Argument(help="A name in any form, or the entity's number.")],
    db: DbOption = None,
) -> None:
    """Show an entity: aliases, mentions, documents, co-mentioned entities.

    Example:
        letopis show entity "Балаева"
    """
    from letopis.store.queries import entity_profile, find_entities

    with _open_store(db) as store:
        ids = [int(name)] if name.isdigit() else [e["id"] for e in find_entities(store, name)]
        profiles = [p for p in (entity_profile(store, i) for i in ids[:5]) if p]
    if not profiles:
        err.print(f"[red]error[/red]: no entity matches {name!r}", highlight=False)
        raise typer.Exit(1)
    for profile in profiles:
        _print_profile(profile)


def _print_profile(profile: dict) -> None:
    out.print(f"[bold]{profile['name']}[/bold] ({profile['type']}, id {profile['id']})", highlight=False)
    out.print(f"aliases: {', '.join(profile['aliases'])}", highlight=False)
    out.print(f"mentions: {profile['mention_count']}", highlight=False)
    documents = Table(title="documents")
    for column in ("id", "published", "title"):
        documents.add_column(column)
    for doc in profile["documents"]:
        documents.add_row(doc["id"], doc.get("published") or "", doc.get("title") or "")
    out.print(documents)
    related = ", ".join(f"{c['name']} ({c['count']})" for c in profile["co_mentioned"][:10])
    out.print(f"co-mentioned: {related}", highlight=False)


@show_app.command("doc")
def show_doc_command(
    doc_id: Annotated[str, typer.Argument(help="The document id (as printed by search).")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Show a stored document with what was extracted from it.

    Example:
        letopis show doc 5b0c8a1f3e2d4c6a --format json
    """
    from letopis.store.queries import get_document

    with _open_store(db) as store:
        doc = get_document(store, doc_id)
    if doc is None:
        err.print(f"[red]error[/red]: no document with id {doc_id!r}", highlight=False)
        raise typer.Exit(1)
    if format is OutputFormat.table:
        out.print(
            f"[bold]{doc.title or doc.source}[/bold]  {doc.published or ''}  {doc.source}", highlight=False
        )
        out.print(_mentions_table(doc))
        for entity in doc.entities:
            out.print(f"{entity.id} {entity.type} {entity.name}  aliases: {', '.join(entity.aliases)}")
    else:
        sys.stdout.write(
            json.dumps(doc.to_dict(), ensure_ascii=False, indent=2 if format is OutputFormat.json else None)
        )
        sys.stdout.write("\n")


@app.command("summary")
def summary_command(db: DbOption = None) -> None:
    """Print what the store holds: documents, entities by type, the most mentioned entities.

    Example:
        letopis summary --db letopis.db
    """
    from letopis.store.queries import summary

    with _open_store(db) as store:
        facts = summary(store)
    out.print(f"documents: {facts['documents']}, mentions: {facts['mentions']}", highlight=False)
    by_type = ", ".join(f"{t} {n}" for t, n in sorted(facts["entities_by_type"].items()))
    out.print(f"entities: {by_type}", highlight=False)
    table = Table(title="top entities")
    for column in ("type", "name", "mentions"):
        table.add_column(column)
    for entity_type, top in sorted(facts["top_entities"].items()):
        for entity in top[:5]:
            table.add_row(entity_type, entity["name"], str(entity["mention_count"]))
    out.print(table)


@app.command("serve")
def serve_command(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
) -> None:
    """Serve the web UI and the JSON API.

    Example:
        letopis serve --db letopis.db --port 8000
    """
    import uvicorn

    from letopis.web.app import create_app

    out.print(f"serving {_db_path(db)} at http://{host}:{port}/", highlight=False)
    uvicorn.run(create_app(_db_path(db)), host=host, port=port, log_level="warning")


class Corpus(StrEnum):
    nerel = "nerel"
    factrueval = "factrueval"


@app.command("eval")
def eval_command(
    path: Annotated[str, typer.Argument(help="The corpus folder (NEREL root or factRuEval root).")],
    corpus: Annotated[Corpus, typer.Option("--corpus", help="Which gold format the folder holds.")],
    split: Annotated[str, typer.Option("--split", help="NEREL split (train/dev); factRuEval: dev.")] = "dev",
    baseline: Annotated[
        str, typer.Option("--baseline", help="System to compare with, or 'none'.")
    ] = "natasha",
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N documents.")] = None,
    json_out: Annotated[str | None, typer.Option("--json", help="Also write the full report here.")] = None,
) -> None:
    """Score letopis (and the Natasha baseline, in the same run) against a gold corpus.

    Example:
        letopis eval ../shared/data/nerel-v1.1 --corpus nerel --split dev --json nerel.json
    """
    from letopis.evaluation import evaluate, format_report

    try:
        report = evaluate(
            corpus.value, path, split=split, baseline=None if baseline == "none" else baseline, limit=limit
        )
    except LetopisError as error:
        err.print(f"[red]error[/red]: {error}", highlight=False)
        raise typer.Exit(2) from error
    out.print(format_report(report), highlight=False, markup=False)
    if json_out:
        Path(json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
