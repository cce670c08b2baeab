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
from rich.text import Text

from letopis.config import load_settings
from letopis.errors import ExtractionTimeout, LetopisError, SourceError, StoreError
from letopis.model import Document

app = typer.Typer(
    help="letopis: Russian official news into a searchable, provenance-backed knowledge base.",
    no_args_is_help=True,
    add_completion=False,
)
show_app = typer.Typer(help="Show one entity or document from the store.", no_args_is_help=True)
app.add_typer(show_app, name="show")

# No markup: what is printed comes from sources, stores and users ("q[/q]/a.txt" is a path, not markup).
out = Console(soft_wrap=True, markup=False)
err = Console(stderr=True, soft_wrap=True, markup=False)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite file, or a PostgreSQL database as postgresql://user@host/db"
        " (default: $LETOPIS_DB or letopis.db).",
    ),
]


MAX_HITS = 10_000  # `search --limit`: more than a terminal shows, fewer than the database's integers


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


def _db_shown(db: str | None) -> str:
    """The store as messages name it: a PostgreSQL URL without its password."""
    from letopis.store.postgres import display_url

    return display_url(_db_path(db))


def _error(message: str) -> None:
    """One line on stderr: "error: " and the message, printed as it is."""
    err.print(Text.assemble(("error", "red"), f": {message}"), highlight=False)


def _report_failure(error: LetopisError) -> None:
    """One failed document (or source) on stderr, with its reason."""
    _error(str(error))


def _extracted(paths: list[str], failures: Counter[str]) -> Iterator[Document]:
    """Read every path and run the pipeline; documents that cannot be read or extracted in time are
    reported and counted."""
    for result in _extracted_or_failed(paths):
        if isinstance(result, LetopisError):
            _report_failure(result)
            failures["failed"] += 1
            continue
        yield result


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


def _extracted_or_failed(paths: list[str]) -> Iterator[Document | LetopisError]:
    """Every document of `paths` extracted, or the error that stopped it (unreadable, too long, too slow)."""
    from letopis.nlp.pipeline import default_stages, extract_within, prepared
    from letopis.sources import iter_documents

    stages = default_stages()
    for item in prepared(iter_documents(paths), stages):
        if isinstance(item, SourceError):
            yield item
            continue
        try:
            yield extract_within(item, stages)
        except ExtractionTimeout as error:
            yield error


def _stored(store, run, doc: Document) -> str | StoreError:  # noqa: ANN001 - a Store, its RunSources
    """Store one document: "new", "updated" or "duplicate", or the error when the store cannot write it
    (or its source gave another document earlier in this run)."""
    from letopis.store.years import add_with_years

    try:
        run.check_document(doc)
        return add_with_years(store, doc)
    except StoreError as error:
        return error


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursed), or - for stdin.")],
    db: DbOption = None,
) -> None:
    """Extract documents and store them in the knowledge base (idempotent).

    Example:
        letopis ingest samples/ --db letopis.db
        letopis ingest samples/ --db postgresql://letopis@localhost/letopis
    """
    # Every document read ends as exactly one of new, updated, duplicate or failed (reported on
    # stderr with its reason), so `read` is their sum.
    from letopis.store.store import RunSources

    counts: Counter[str] = Counter()
    run = RunSources()
    started = time.perf_counter()
    with _open_store(db, create=True) as store, _progress() as progress:
        task = progress.add_task("ingest", total=None, rate="")
        for result in _extracted_or_failed(paths):
            counts["read"] += 1
            outcome = result if isinstance(result, LetopisError) else _stored(store, run, result)
            if isinstance(outcome, LetopisError):
                _report_failure(outcome)
                outcome = "failed"
            counts[outcome] += 1
            elapsed = max(time.perf_counter() - started, 1e-9)
            progress.update(task, advance=1, rate=f"{counts['read'] / elapsed:.1f} docs/s")
    elapsed = time.perf_counter() - started
    read = counts["read"]
    out.print(
        f"read {read}, new {counts['new']}, updated {counts['updated']}, "
        f"duplicates {counts['duplicate']}, failed {counts['failed']} "
        f"in {elapsed:.1f}s ({read / max(elapsed, 1e-9):.1f} docs/s) -> {_db_shown(db)}",
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


def _open_store(db: str | None, create: bool = False):  # noqa: ANN202 - the store's own context manager
    """The store of --db; a command that writes documents (`create`) makes an SQLite file that does not
    exist, the others say there is no such store (exit code 2)."""
    from letopis.store import Store

    def upgrading(version: int, latest: int) -> None:
        # A new store (version 0) is made, not upgraded: nothing to say.
        if version > 0:
            err.print(
                f"{_db_shown(db)}: upgrading the store from schema {version} to {latest}, once"
                " (rewriting the search index of a large store takes a minute or more)",
                highlight=False,
            )

    try:
        return Store.open(_db_path(db), create=create, on_upgrade=upgrading)
    except LetopisError as error:
        _error(str(error))
        raise typer.Exit(2) from error


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="Words to find, in any inflected form.")],
    type: Annotated[EntityType | None, typer.Option("--type", help="Only entities of this type.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only documents published on/after YYYY-MM-DD.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_HITS, help="At most this many hits of each kind.")
    ] = 20,
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
            _error(str(error))
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


@app.command("said")
def said_command(
    term: Annotated[str, typer.Argument(help="Words the quotes say, in any inflected form.")],
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_HITS, help="At most this many quotes.")
    ] = 50,
    db: DbOption = None,
) -> None:
    """Who said what about a term: the quotes whose words include every word of TERM, newest first.

    Example:
        letopis said "референдум" --limit 20 --db letopis.db
    """
    from letopis.store.queries import who_said

    with _open_store(db) as store:
        try:
            said = who_said(store, term, limit=limit)
        except LetopisError as error:
            _error(str(error))
            raise typer.Exit(2) from error
    _print_rows(
        f"who said «{term}»",
        ("published", "speaker", "kind", "quote", "fact", "document"),
        [
            (
                q["published"] or "",
                q["speaker"]["name"] if q["speaker"] else q["speaker_text"] or "?",
                q["kind"],
                q["text"],
                q["fact"],
                q["doc_id"],
            )
            for q in said
        ],
    )
    _say(f"{len(said)} quotes")


@show_app.command("entity")
def show_entity_command(
    name: Annotated[str, typer.Argument(help="A name in any form, or the entity's number.")],
    db: DbOption = None,
) -> None:
    """Show an entity: aliases, posts over time, quotes, events, documents, co-mentioned entities.

    Example:
        letopis show entity "Балаева"
    """
    from letopis.store.queries import find_entities, knowledge_profile
    from letopis.store.store import beyond_row_ids

    with _open_store(db) as store:
        if beyond_row_ids(name):  # no entity has a number that large
            ids = []
        elif name.isdecimal():
            ids = [int(name)]
        else:
            ids = [e["id"] for e in find_entities(store, name)]
        profiles = [p for p in (knowledge_profile(store, i) for i in ids[:5]) if p]
    if not profiles:
        _error(f"no entity matches {name!r}")
        raise typer.Exit(1)
    for profile in profiles:
        _print_profile(profile)


def _print_profile(profile: dict) -> None:
    out.print(
        Text.assemble((profile["name"], "bold"), f" ({profile['type']}, id {profile['id']})"), highlight=False
    )
    out.print(f"aliases: {', '.join(profile['aliases'])}", highlight=False)
    out.print(f"mentions: {profile['mention_count']}", highlight=False)
    _print_rows(
        "posts over time",
        ("from", "to", "title", "organisation", "documents"),
        [
            (
                p["first_seen"] or "?",
                p["last_seen"] or "?",
                p["title"],
                (p["organization"] or {}).get("name", ""),
                str(len(p["documents"])),
            )
            for p in profile["timeline"]
        ],
    )
    _print_rows(
        "quotes",
        ("published", "kind", "text", "document"),
        [(q["published"] or "", q["kind"], q["text"], q["doc_id"]) for q in profile["quotes"]],
    )
    _print_rows(
        "events",
        ("from", "type", "status", "name"),
        [(e["from"] or e.get("partial") or "", e["type"], e["status"], e["name"]) for e in profile["events"]],
    )
    _print_rows(
        "documents",
        ("id", "published", "title"),
        [(d["id"], d.get("published") or "", d.get("title") or "") for d in profile["documents"]["items"]],
    )
    related = ", ".join(f"{c['name']} ({c['count']})" for c in profile["co_mentioned"][:10])
    over, total = profile["co_mentioned_over"], profile["documents"]["total"]
    among = f" (in the latest {over} of its {total} documents)" if over < total else ""
    out.print(f"co-mentioned{among}: {related}", highlight=False)


def _print_rows(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A table, or nothing when there are no rows."""
    if not rows:
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    out.print(table)


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
        _error(f"no document with id {doc_id!r}")
        raise typer.Exit(1)
    if format is OutputFormat.table:
        _print_document(doc)
    else:
        sys.stdout.write(
            json.dumps(doc.to_dict(), ensure_ascii=False, indent=2 if format is OutputFormat.json else None)
        )
        sys.stdout.write("\n")


def _print_document(doc: Document) -> None:
    """A stored document with every kind of fact, each with its evidence offsets."""
    out.print(
        Text.assemble((doc.title or doc.source, "bold"), f"  {doc.published or ''}  {doc.source}"),
        highlight=False,
    )
    out.print(_mentions_table(doc))
    names = {e.id: e.name for e in doc.entities}
    _print_rows(
        "entities",
        ("id", "type", "name", "aliases"),
        [(e.id, e.type, e.name, ", ".join(e.aliases)) for e in doc.entities],
    )
    _print_rows(
        "positions",
        ("person", "title", "organisation", "as of", "span"),
        [
            (
                names.get(p.person, p.person),
                p.title,
                names.get(p.organization or "", ""),
                p.as_of or "",
                f"{p.start}-{p.end}",
            )
            for p in doc.positions
        ],
    )
    _print_rows(
        "quotes",
        ("speaker", "kind", "text", "span"),
        [
            (names.get(q.speaker or "", q.speaker_text or "?"), q.kind, q.text, f"{q.start}-{q.end}")
            for q in doc.quotes
        ],
    )
    _print_rows(
        "dates",
        ("text", "from", "to", "precision", "partial"),
        [(d.text, d.from_ or "", d.to or "", d.precision, d.partial or "") for d in doc.dates],
    )
    _print_rows(
        "events",
        ("id", "type", "status", "from", "to", "name", "basis"),
        [
            (e.id, e.type, e.status, e.from_ or e.partial or "", e.to or "", e.name, e.date_basis or "")
            for e in doc.events
        ],
    )
    _print_rows(
        "topics",
        ("SDG", "label", "score", "span"),
        [(t.code, t.label, f"{t.score:.2f}", f"{t.start}-{t.end}") for t in doc.topics],
    )


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
        str, typer.Option("--host", envvar="LETOPIS_HOST", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", envvar="LETOPIS_PORT")] = 8000,
) -> None:
    """Serve the web UI and the JSON API.

    Example:
        letopis serve --db letopis.db --port 8000
    """
    import uvicorn

    from letopis.web.app import create_app

    settings = load_settings()
    with _open_store(db):  # a store that cannot be opened is said now, not at the first request
        pass
    out.print(f"serving {_db_shown(db)} at http://{host}:{port}/", highlight=False)
    web_app = create_app(_db_path(db), token=settings.curation_token)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


@app.command("calendar")
def calendar_command(
    start: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    ics: Annotated[str | None, typer.Option("--ics", help="Also write the events as iCalendar here.")] = None,
    db: DbOption = None,
) -> None:
    """List announced events (referendums, summits, visits…) by date; optionally export .ics.

    Example:
        letopis calendar --from 2026-03-01 --to 2026-04-30 --ics events.ics
    """
    from letopis.calendar import to_ics
    from letopis.store.calendar import calendar_items

    with _open_store(db) as store:
        try:
            items = calendar_items(store, start, end)
        except ValueError as error:
            _error(f"bad date: {error}")
            raise typer.Exit(2) from error
    table = Table(title="announced events")
    for column in ("from", "to", "type", "name", "document"):
        table.add_column(column)
    for doc_id, event in items:
        table.add_row(event.from_ or event.partial or "?", event.to or "", event.type, event.name, doc_id)
    out.print(table)
    if ics:
        Path(ics).write_text(to_ics(items), encoding="utf-8", newline="")
        out.print(f"wrote {ics}", highlight=False)


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
        _error(str(error))
        raise typer.Exit(2) from error
    out.print(format_report(report), highlight=False)
    if json_out:
        Path(json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


# --- knowledge base commands ---------------------------------------------------------------------
# Curation (letopis.kb.curation): every edit is logged with who and when, and holds again after
# the documents are ingested again. Entities are given by id or by a name they have.

entity_app = typer.Typer(
    help="Curate cross-document entities: merge, split, rename, explain.", no_args_is_help=True
)
app.add_typer(entity_app, name="entity")
fact_app = typer.Typer(help="Review extracted facts: confirm, reject, list conflicts.", no_args_is_help=True)
app.add_typer(fact_app, name="fact")

ByOption = Annotated[str | None, typer.Option("--by", help="Who makes the edit (default: $USER).")]
TypeOption = Annotated[
    EntityType | None, typer.Option("--type", help="Only entities of this type, when a name is ambiguous.")
]


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _curator(by: str | None) -> str:
    import getpass

    try:
        return by or getpass.getuser()
    except OSError:  # no $USER and no password entry (a bare container)
        return "unknown"


def _say(text: str) -> None:
    out.print(text, highlight=False)


def _user_error(error: LetopisError) -> typer.Exit:
    _error(str(error))
    return typer.Exit(1)


def _entity_id(store, reference: str, type: EntityType | None) -> int:  # noqa: ANN001 - a Store
    from letopis.errors import QueryError
    from letopis.store.queries import entity_reference
    from letopis.store.store import beyond_row_ids

    if beyond_row_ids(reference):  # no entity has a number that large
        raise QueryError(f"no entity with id {reference.strip()}")
    return entity_reference(store, reference, type.value if type else None)["id"]


def _print_edit(edit) -> None:  # noqa: ANN001 - a letopis.kb.curation.Edit
    _say(f"edit {edit.id}: {edit.action} by {edit.by} at {edit.at}")


@entity_app.command("merge")
def entity_merge_command(
    keep: Annotated[str, typer.Argument(help="The entity to keep (id or name).")],
    other: Annotated[str, typer.Argument(help="The entity merged into it (id or name).")],
    type: TypeOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Merge entity OTHER into entity KEEP: its documents, names and facts move over.

    Example:
        letopis entity merge "Аида Балаева" "А. Балаева" --db letopis.db
    """
    with _open_store(db) as store:
        try:
            keep_id, other_id = _entity_id(store, keep, type), _entity_id(store, other, type)
            edit = store.merge_entities(keep_id, other_id, _curator(by))
        except LetopisError as error:
            raise _user_error(error) from error
    entity = edit.after["entity"]
    _say(f"merged into «{entity['name']}» (id {entity['id']}): {', '.join(entity['aliases'])}")
    _print_edit(edit)


@entity_app.command("split")
def entity_split_command(
    entity: Annotated[str, typer.Argument(help="The entity to split (id or name).")],
    alias: Annotated[list[str], typer.Option("--alias", help="A name whose documents move to a new entity.")],
    name: Annotated[str | None, typer.Option("--name", help="The new entity's name (else ALIAS).")] = None,
    type: TypeOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Split off the documents that call an entity by ALIAS into a new entity.

    Example:
        letopis entity split "Иван Иванов" --alias "Иванов" --name "Пётр Иванов"
    """
    with _open_store(db) as store:
        try:
            edit = store.split_entity(_entity_id(store, entity, type), alias, _curator(by), name)
        except LetopisError as error:
            raise _user_error(error) from error
    new, old = edit.after["new"], edit.after["entity"]
    _say(f"new entity «{new['name']}» (id {new['id']}); «{old['name']}» keeps id {old['id']}")
    _print_edit(edit)


@entity_app.command("rename")
def entity_rename_command(
    entity: Annotated[str, typer.Argument(help="The entity to rename (id or name).")],
    name: Annotated[str, typer.Argument(help="Its new name.")],
    type: TypeOption = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Give an entity a new name (kept whatever its documents call it).

    Example:
        letopis entity rename "МИД РК" "Министерство иностранных дел Республики Казахстан"
    """
    with _open_store(db) as store:
        try:
            edit = store.rename_entity(_entity_id(store, entity, type), name, _curator(by))
        except LetopisError as error:
            raise _user_error(error) from error
    _say(f"renamed «{edit.before['entity']['name']}» to «{edit.after['entity']['name']}»")
    _print_edit(edit)


@entity_app.command("explain")
def entity_explain_command(
    entity: Annotated[str, typer.Argument(help="The entity (id or name).")],
    type: TypeOption = None,
    db: DbOption = None,
) -> None:
    """Show why an entity's documents were linked to it, its posts over time and its curation edits.

    Example:
        letopis entity explain "Аида Балаева" --db letopis.db
    """
    from letopis.store.queries import curation_log, entity_links, organization_heads, post_timeline

    with _open_store(db) as store:
        try:
            entity_id = _entity_id(store, entity, type)
        except LetopisError as error:
            raise _user_error(error) from error
        links, posts = entity_links(store, entity_id), post_timeline(store, entity_id)
        heads, edits = organization_heads(store, entity_id), curation_log(store, entity_id)
    table = Table(title=f"links of entity {entity_id}")
    for column in ("document", "published", "name there", "rule", "evidence"):
        table.add_column(column)
    for link in links:
        table.add_row(
            link["doc_id"],
            link["published"] or "",
            link["name"] or "",
            link["rule"] or "",
            link["evidence"] or "",
        )
    out.print(table)
    for post in posts:
        where = f", {post['organization']['name']}" if post["organization"] else ""
        mark = " (current)" if post["current"] else ""
        _say(f"post: {post['title']}{where}: {post['first_seen']} – {post['last_seen']}{mark}")
    for tenure in heads:
        _say(
            f"headed by {tenure['person']['name']} ({tenure['title']}): "
            f"{tenure['first_seen']} – {tenure['last_seen']}"
        )
    for edit in edits:
        _say(f"edit {edit['id']}: {edit['action']} by {edit['by']} at {edit['at']}")


def _review(reference: str, action: str, by: str | None, db: str | None) -> None:
    with _open_store(db) as store:
        try:
            edit = store.review_fact(reference, action, _curator(by))
        except LetopisError as error:
            raise _user_error(error) from error
    _say(f"{reference}: {edit.after['review']} (was {edit.before['review'] or 'not reviewed'})")
    _print_edit(edit)


@fact_app.command("reject")
def fact_reject_command(
    fact: Annotated[str, typer.Argument(help="The fact: position:ID, quote:ID or event:ID.")],
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Reject a fact: it is left out of timelines, conflicts and queries, also after re-ingest.

    Example:
        letopis fact reject position:12 --by anna
    """
    _review(fact, "reject", by, db)


@fact_app.command("confirm")
def fact_confirm_command(
    fact: Annotated[str, typer.Argument(help="The fact: position:ID, quote:ID or event:ID.")],
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Confirm a fact a curator has checked against its document.

    Example:
        letopis fact confirm quote:3
    """
    _review(fact, "confirm", by, db)


@fact_app.command("conflicts")
def fact_conflicts_command(db: DbOption = None) -> None:
    """List facts that cannot all hold: two people heading one organisation on the same day.

    Example:
        letopis fact conflicts --db letopis.db
    """
    from letopis.store.queries import position_conflicts

    with _open_store(db) as store:
        conflicts = position_conflicts(store)
    table = Table(title="conflicts")
    for column in ("date", "organisation or title", "fact", "person", "title", "document"):
        table.add_column(column)
    for conflict in conflicts:
        office = conflict["organization"]["name"] if conflict["organization"] else conflict["title"] or ""
        for side in conflict["facts"]:
            table.add_row(
                conflict["date"], office, side["fact"], side["person"]["name"], side["title"], side["doc_id"]
            )
    out.print(table)
    _say(f"{len(conflicts)} conflicts")


@app.command("export")
def export_command(
    out_dir: Annotated[str, typer.Option("--out", help="The folder to write one file per table to.")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.jsonl,
    db: DbOption = None,
) -> None:
    """Export entities, aliases, links, positions, quotes, events, documents and curation to files.

    Example:
        letopis export --format parquet --out kb/ --db letopis.db
    """
    with _open_store(db) as store:
        try:
            counts = store.export(out_dir, format.value)
        except LetopisError as error:
            raise _user_error(error) from error
    _say(", ".join(f"{table} {n}" for table, n in counts.items()) + f" -> {out_dir}")


@app.command("import")
def import_command(
    folder: Annotated[str, typer.Argument(help="A folder written by `letopis export`.")],
    db: DbOption = None,
) -> None:
    """Import an export into an empty store: the same knowledge base, curation included.

    Example:
        letopis import kb/ --db copy.db
    """
    with _open_store(db, create=True) as store:
        try:
            counts = store.import_(folder)
        except LetopisError as error:
            raise _user_error(error) from error
    _say(", ".join(f"{table} {n}" for table, n in counts.items()) + f" <- {folder}")


@app.command("batch")
def batch_command(
    paths: Annotated[list[str], typer.Argument(help="Files and folders (recursed).")],
    out_dir: Annotated[str, typer.Option("--out", help="Folder for partitions/ and errors/ (resumable).")],
    workers: Annotated[int, typer.Option("--workers", help="Local worker processes.")] = 2,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="A Dask scheduler address, instead of local workers.")
    ] = None,
    partition_size: Annotated[int, typer.Option("--partition-size", help="Input files per partition.")] = 200,
    load_chunk: Annotated[
        int, typer.Option("--load-chunk", min=1, help="Documents stored per transaction when loading.")
    ] = 1000,  # letopis.store.store.DEFAULT_CHUNK, not imported here: the CLI starts without the store
    db: DbOption = None,
) -> None:
    """Extract many documents with Dask worker processes into Parquet, then load them into the store.

    A rerun skips the partitions already written; loading is idempotent. A document the store
    refuses is reported and counted as failed; the others are stored.

    Example:
        letopis batch corpus/ --out batch/ --workers 4 --db letopis.db
    """
    from letopis.batch import (
        BatchError,
        count_records,
        extract_partitions,
        load_partitions,
        plan_partitions,
        read_errors,
    )
    from letopis.store import Added

    started = time.perf_counter()
    try:
        plan = plan_partitions(paths, partition_size)
        with _progress() as progress:
            task = progress.add_task("extract", total=None, rate="")
            extract_partitions(
                plan, out_dir, workers, scheduler, lambda r: progress.update(task, advance=r.documents)
            )
    except BatchError as error:
        raise _user_error(error) from error
    for error in (failed := read_errors(out_dir, len(plan))):
        _report_failure(error)
    counts: Counter[str] = Counter()
    with _open_store(db, create=True) as store, _progress() as progress:
        task = progress.add_task("load", total=count_records(out_dir, len(plan)), rate="")

        def loaded_one(added: Added) -> None:
            if added.result == "failed":
                _report_failure(SourceError(added.doc_id, f"cannot store: {added.reason}"))
            progress.update(task, advance=1)

        load_started = time.perf_counter()
        counts = load_partitions(store, out_dir, len(plan), loaded_one, load_chunk)
        load_seconds = time.perf_counter() - load_started
        optimized = time.perf_counter()
        if counts["new"] or counts["updated"]:
            store.optimize()
        optimized = time.perf_counter() - optimized
    elapsed = time.perf_counter() - started
    read = sum(counts.values())
    failures = len(failed) + counts["failed"]
    out.print(
        f"documents {read + len(failed)}, new {counts['new']}, updated {counts['updated']}, "
        f"duplicates {counts['duplicate']}, failed {failures} "
        f"in {elapsed:.1f}s ({read / max(elapsed, 1e-9):.1f} docs/s) -> {_db_shown(db)}",
        highlight=False,
    )
    out.print(
        f"load: {read} documents in {load_seconds:.1f}s ({read / max(load_seconds, 1e-9):.0f} docs/s), "
        f"store optimised in {optimized:.1f}s",
        highlight=False,
    )
    if failures:
        raise typer.Exit(1)
