"""The command line end to end on the sample articles (cli.py), with a real SQLite file."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from letopis.cli import app
from letopis.store import Store
from test_ner import GENDER_ARTICLE, UN_ARTICLE

SAMPLES = Path(__file__).parent.parent / "samples"
GENDER_ID_SOURCE = "000_200e2ad5eac8ecb4.txt"
TOO_LARGE = "99999999999999999999"  # past the database's 64-bit integers

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "letopis.db")


@pytest.fixture
def ingested(db: str) -> str:
    result = runner.invoke(app, ["ingest", str(SAMPLES), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_extract_writes_one_contract_object_per_document() -> None:
    result = runner.invoke(app, ["extract", str(SAMPLES), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in records] == [
        "000_200e2ad5eac8ecb4.txt",
        "004_0f5906432b56b7a9.txt",
    ]
    first = records[0]
    assert first["schema"] == 1
    assert first["published"] == "2026-02-24"
    assert first["text_offset"] == 17
    for key in ("mentions", "entities", "positions", "quotes", "dates", "events", "topics"):
        assert isinstance(first[key], list)
    balaeva = [m for m in first["mentions"] if m["text"] == "Аиды Балаевой"]
    assert balaeva and balaeva[0]["normal"] == "Аида Балаева"
    assert all(first["text"][m["start"] : m["end"]] == m["text"] for m in first["mentions"])


# Pronouns and role phrases the later stages add to the names of test_ner.py: (text, type, normal).
REFERENCES = {
    "000_200e2ad5eac8ecb4.txt": [("ее", "PER", "Джерен Гювен Гюрес")],
    "004_0f5906432b56b7a9.txt": [
        ("глава внешнеполитического ведомства", "PER", "Ермек Кошербаев"),
        ("он", "PER", "Ермек Кошербаев"),
        ("он", "PER", "Ермек Кошербаев"),
        ("глава МИД", "PER", "Ермек Кошербаев"),
        ("Министр", "PER", "Ермек Кошербаев"),
        ("Он", "PER", "Ермек Кошербаев"),
    ],
}


def test_extract_gives_every_mention_of_the_samples_with_its_normal_form() -> None:
    result = runner.invoke(app, ["extract", str(SAMPLES), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    mentions = {
        Path(r["source"]).name: [(m["text"], m["type"], m["normal"], m["kind"]) for m in r["mentions"]]
        for r in map(json.loads, result.stdout.splitlines())
    }
    names = {"000_200e2ad5eac8ecb4.txt": GENDER_ARTICLE, "004_0f5906432b56b7a9.txt": UN_ARTICLE}
    assert {
        source: [(text, type, normal) for text, type, normal, kind in found if kind == "name"]
        for source, found in mentions.items()
    } == {
        source: [(text, type, normal) for text, type, normal, _ in table] for source, table in names.items()
    }
    assert {
        source: [(text, type, normal) for text, type, normal, kind in found if kind != "name"]
        for source, found in mentions.items()
    } == REFERENCES


def test_extract_json_is_one_array() -> None:
    result = runner.invoke(app, ["extract", str(SAMPLES / GENDER_ID_SOURCE), "--format", "json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 1


def test_extract_table_lists_mentions() -> None:
    result = runner.invoke(app, ["extract", str(SAMPLES / GENDER_ID_SOURCE), "--format", "table"])
    assert result.exit_code == 0
    assert "Аида Балаева" in result.stdout


def test_ingest_twice_stores_once(ingested: str) -> None:
    again = runner.invoke(app, ["ingest", str(SAMPLES), "--db", ingested])
    assert again.exit_code == 0
    assert "read 2, new 0, updated 0, duplicates 2, failed 0" in again.stdout
    summary = runner.invoke(app, ["summary", "--db", ingested])
    assert "documents: 2" in summary.stdout


def test_a_store_of_an_earlier_letopis_is_upgraded_once_and_the_user_told(ingested: str) -> None:
    with Store.open(ingested) as store, store._transaction():
        store.dialect.set_schema_version(store.connection, 7)  # before the search lemmas (0008)
    first = runner.invoke(app, ["summary", "--db", ingested])
    assert first.exit_code == 0, first.output
    assert first.stderr == (
        f"{ingested}: upgrading the store from schema 7 to 9, once (rewriting the search index of a large"
        " store takes a minute or more)\n"
    )
    assert "documents: 2" in first.stdout
    again = runner.invoke(app, ["summary", "--db", ingested])
    assert (again.exit_code, again.stderr) == (0, "")


def test_a_new_store_is_made_without_an_upgrade_message(db: str) -> None:
    result = runner.invoke(app, ["ingest", str(SAMPLES), "--db", db])
    assert result.exit_code == 0, result.output
    assert "upgrading" not in result.stderr


def test_changed_document_is_updated_not_duplicated(tmp_path: Path, db: str) -> None:
    article = tmp_path / "article.txt"
    shutil.copy(SAMPLES / GENDER_ID_SOURCE, article)
    assert runner.invoke(app, ["ingest", str(article), "--db", db]).exit_code == 0
    article.write_text(
        article.read_text(encoding="utf-8") + "\nДобавлен абзац о встрече в Астане.", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest", str(article), "--db", db])
    assert "new 0, updated 1, duplicates 0" in result.stdout
    assert "documents: 1" in runner.invoke(app, ["summary", "--db", db]).stdout


@pytest.mark.parametrize("query", ["Балаева", "Балаевой", "референдум", "референдума"])
def test_search_finds_inflected_forms(ingested: str, query: str) -> None:
    result = runner.invoke(app, ["search", query, "--db", ingested])
    assert result.exit_code == 0, result.output
    assert "Стороны обсудили" in result.stdout  # the title of the gender article


def test_search_by_type_and_date(ingested: str) -> None:
    result = runner.invoke(app, ["search", "Кошербаев", "--type", "PER", "--db", ingested])
    assert "Ермек Кошербаев" in result.stdout
    later = runner.invoke(app, ["search", "Балаева", "--since", "2026-03-01", "--db", ingested])
    assert "Стороны обсудили" not in later.stdout


def test_show_entity_by_inflected_name(ingested: str) -> None:
    result = runner.invoke(app, ["show", "entity", "Балаевой", "--db", ingested])
    assert result.exit_code == 0, result.output
    assert "Аида Балаева" in result.stdout
    assert "mentions: 3" in result.stdout


def test_show_doc_as_json(ingested: str) -> None:
    extracted = json.loads(runner.invoke(app, ["extract", str(SAMPLES / GENDER_ID_SOURCE)]).stdout)
    result = runner.invoke(app, ["show", "doc", extracted["id"], "--format", "jsonl", "--db", ingested])
    assert result.exit_code == 0, result.output
    stored = json.loads(result.stdout)
    assert stored["text"] == extracted["text"]
    assert [m["normal"] for m in stored["mentions"]] == [m["normal"] for m in extracted["mentions"]]


def test_unknown_document_is_a_clear_error(ingested: str) -> None:
    result = runner.invoke(app, ["show", "doc", "nope", "--db", ingested])
    assert result.exit_code == 1
    assert "no document with id 'nope'" in result.stderr


@pytest.mark.parametrize("name", ["999999", "²", TOO_LARGE])  # "²" is a digit to str.isdigit(), not to int()
def test_unknown_entity_is_a_clear_error(ingested: str, name: str) -> None:
    result = runner.invoke(app, ["show", "entity", name, "--db", ingested])
    assert result.exit_code == 1
    assert f"no entity matches {name!r}" in result.stderr


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["entity", "explain", TOO_LARGE], f"error: no entity with id {TOO_LARGE}\n"),
        (["entity", "rename", TOO_LARGE, "Аида Балаева"], f"error: no entity with id {TOO_LARGE}\n"),
        (["entity", "explain", "999999"], "error: no entity with id 999999\n"),
        (["fact", "reject", f"position:{TOO_LARGE}"], f"error: no position with id {TOO_LARGE}\n"),
        (["fact", "confirm", f"quote:{TOO_LARGE}"], f"error: no quote with id {TOO_LARGE}\n"),
        (["fact", "reject", "position:999999"], "error: no position with id 999999\n"),
    ],
)
def test_an_id_past_the_databases_integers_is_unknown(
    ingested: str, command: list[str], message: str
) -> None:
    result = runner.invoke(app, [*command, "--db", ingested])
    assert (result.exit_code, result.stderr) == (1, message)


# --- one id, two texts ---------------------------------------------------------------------------

MEETING = "Министр иностранных дел Ермек Кошербаев провел встречу с послом Франции."
FORUM = "Аида Балаева открыла форум по гендерному равенству в Астане."


def _rows(path: Path, *texts: str) -> str:
    """A JSONL export whose rows all have the id "1"."""
    lines = [json.dumps({"id": "1", "text": text}, ensure_ascii=False) for text in texts]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def _errors(result: Result) -> list[str]:
    """The lines a command wrote on stderr, less the blank one its progress bar leaves."""
    return [line for line in result.stderr.splitlines() if line]


def _stored_text(db: str, doc_id: str) -> str:
    result = runner.invoke(app, ["show", "doc", doc_id, "--format", "jsonl", "--db", db])
    return json.loads(result.stdout)["text"]


def test_an_id_another_file_took_for_another_text_is_a_failure(tmp_path: Path, db: str) -> None:
    first, second = _rows(tmp_path / "a.jsonl", MEETING), _rows(tmp_path / "b.jsonl", FORUM)
    result = runner.invoke(app, ["ingest", first, second, "--db", db])
    assert result.exit_code == 1
    assert "read 2, new 1, updated 0, duplicates 0, failed 1" in result.stdout
    assert _errors(result) == [f"error: id 1 of {second}#1 is already used by {first}#1 for another text"]
    assert _stored_text(db, "1") == MEETING


def test_an_id_another_file_took_for_the_same_text_is_a_duplicate(tmp_path: Path, db: str) -> None:
    first, second = _rows(tmp_path / "a.jsonl", MEETING), _rows(tmp_path / "b.jsonl", MEETING)
    result = runner.invoke(app, ["ingest", first, second, "--db", db])
    assert result.exit_code == 0, result.output
    assert "read 2, new 1, updated 0, duplicates 1, failed 0" in result.stdout


def test_one_id_twice_in_a_file_keeps_the_first_text_run_after_run(tmp_path: Path, db: str) -> None:
    rows = _rows(tmp_path / "a.jsonl", MEETING, FORUM)
    first = runner.invoke(app, ["ingest", rows, "--db", db])
    again = runner.invoke(app, ["ingest", rows, "--db", db])
    twice = [f"error: id 1 appears twice in {rows} with different texts"]
    assert (first.exit_code, _errors(first)) == (again.exit_code, _errors(again)) == (1, twice)
    assert "read 2, new 1, updated 0, duplicates 0, failed 1" in first.stdout
    assert "read 2, new 0, updated 0, duplicates 1, failed 1" in again.stdout
    assert _stored_text(db, "1") == MEETING


def test_a_row_changed_in_a_new_export_is_updated(tmp_path: Path, db: str) -> None:
    assert runner.invoke(app, ["ingest", _rows(tmp_path / "a.jsonl", MEETING), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["ingest", _rows(tmp_path / "a.jsonl", FORUM), "--db", db])
    assert "read 1, new 0, updated 1, duplicates 0, failed 0" in result.stdout
    assert _stored_text(db, "1") == FORUM


# --- errors are printed as they are, never as markup ----------------------------------------------

MARKUP_PATHS = [("q[/q]/a.txt", "", "empty file"), ("x[/red]y.txt", None, "no such file or directory")]


def _markup_path(tmp_path: Path, name: str, content: str | None) -> Path:
    path = tmp_path / name
    if content is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "content", "reason"), MARKUP_PATHS)
def test_extract_reports_a_path_that_looks_like_markup(
    tmp_path: Path, name: str, content: str | None, reason: str
) -> None:
    path = _markup_path(tmp_path, name, content)
    result = runner.invoke(app, ["extract", str(path)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {path}: {reason}\n")


@pytest.mark.parametrize(("name", "content", "reason"), MARKUP_PATHS)
def test_batch_reports_a_path_that_looks_like_markup(
    tmp_path: Path, db: str, name: str, content: str | None, reason: str
) -> None:
    path = _markup_path(tmp_path, name, content)
    out = str(tmp_path / "batch")
    result = runner.invoke(app, ["batch", str(path), "--out", out, "--db", db, "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert f"error: {path}: {reason}\n" in result.stderr
    assert "documents 1, new 0, updated 0, duplicates 0, failed 1" in result.stdout


def test_a_store_path_that_looks_like_markup_is_printed_as_it_is(tmp_path: Path) -> None:
    db = str(tmp_path / "[bold]база.db")  # "[bold]" would vanish as markup
    result = runner.invoke(app, ["ingest", str(SAMPLES / GENDER_ID_SOURCE), "--db", db])
    assert result.exit_code == 0, result.output
    assert f"-> {db}\n" in result.stdout


# --- reading commands need a store ----------------------------------------------------------------

READING_COMMANDS = [
    ["search", "Балаева"],
    ["show", "entity", "Балаева"],
    ["show", "doc", "1"],
    ["summary"],
    ["calendar"],
    ["export", "--out", "kb"],
    ["serve"],
    ["fact", "conflicts"],
    ["fact", "reject", "position:1"],
    ["entity", "explain", "Балаева"],
    ["entity", "rename", "Балаева", "Аида Балаева"],
    ["said", "референдум"],
]


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_a_reading_command_on_a_missing_store_creates_nothing(
    tmp_path: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: None)  # `serve` must stop before it
    db = tmp_path / "опечатка.db"
    result = runner.invoke(app, [*command, "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {db}: no such store (run letopis ingest first)\n",
    )
    assert list(tmp_path.iterdir()) == []


def _bad_inputs(folder: Path) -> None:
    shutil.copy(SAMPLES / GENDER_ID_SOURCE, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (folder / "rows.jsonl").write_text(
        '{"id": "r1", "text": "Министр иностранных дел Ермек Кошербаев провел встречу."}\n{broken\n',
        encoding="utf-8",
    )
    (folder / "broken.html").write_text("<html><body><div></div></body></html>", encoding="utf-8")


def test_bad_input_is_reported_and_the_rest_is_stored(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _bad_inputs(folder)
    missing = str(tmp_path / "missing.txt")
    result = runner.invoke(app, ["ingest", str(folder), missing, "--db", db])
    assert result.exit_code == 1
    errors = result.stderr
    for name in ("empty.txt", "binary.txt", "rows.jsonl#row 2", "broken.html", "missing.txt"):
        assert name in errors, errors
    assert "Traceback" not in result.output
    assert "new 2" in result.stdout and "failed 5" in result.stdout
    assert "documents: 2" in runner.invoke(app, ["summary", "--db", db]).stdout


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("this is not sqlite " * 100, encoding="utf-8")
    result = runner.invoke(app, ["summary", "--db", str(bogus)])
    assert result.exit_code == 2
    assert "bogus.db" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["extract"],
        ["ingest"],
        ["search"],
        ["show", "entity"],
        ["show", "doc"],
        ["summary"],
        ["serve"],
        ["eval"],
        ["calendar"],
        ["said"],
        ["entity", "merge"],
        ["entity", "split"],
        ["entity", "rename"],
        ["entity", "explain"],
        ["fact", "reject"],
        ["fact", "confirm"],
        ["fact", "conflicts"],
        ["export"],
        ["import"],
        ["batch"],
    ],
)
def test_every_command_has_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_calendar_lists_announced_events_once_with_inferred_years(ingested: str, tmp_path: Path) -> None:
    ics = tmp_path / "events.ics"
    result = runner.invoke(
        app, ["calendar", "--from", "2026-03-01", "--to", "2026-04-30", "--ics", str(ics), "--db", ingested]
    )
    assert result.exit_code == 0, result.output
    lines = ics.read_text(encoding="utf-8").splitlines()
    starts = [line for line in lines if line.startswith("DTSTART")]
    assert starts == ["DTSTART;VALUE=DATE:20260315", "DTSTART;VALUE=DATE:20260422"]
    assert "SUMMARY:республиканский референдум" in lines


def test_calendar_rejects_a_bad_date(ingested: str) -> None:
    result = runner.invoke(app, ["calendar", "--from", "15 марта", "--db", ingested])
    assert result.exit_code == 2
    assert "bad date" in result.stderr


def test_show_doc_table_lists_every_kind_of_fact(ingested: str) -> None:
    extracted = json.loads(runner.invoke(app, ["extract", str(SAMPLES / "004_0f5906432b56b7a9.txt")]).stdout)
    result = runner.invoke(app, ["show", "doc", extracted["id"], "--db", ingested], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for heading in ("positions", "quotes", "dates", "events", "topics"):
        assert f"\n{heading}\n" in result.stdout
    assert "глава МИД" in result.stdout
    assert "2026-03-15" in result.stdout  # the referendum's year, vouched for by the dated sample


def test_show_entity_lists_posts_and_quotes(ingested: str) -> None:
    result = runner.invoke(app, ["show", "entity", "Кошербаев", "--db", ingested], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "posts over time" in result.stdout and "глава МИД" in result.stdout
    assert "Реформа носит системный" in result.stdout


def test_said_lists_who_said_what_about_a_term_in_any_word_form(ingested: str) -> None:
    result = runner.invoke(app, ["said", "референдума", "--db", ingested], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Ермек Кошербаев" in result.stdout
    assert "по итогам республиканского референдума, который состоится 15 марта" in result.stdout
    assert "Реформа носит системный" not in result.stdout
    assert result.stdout.rstrip().endswith("1 quotes")


def test_said_stops_at_the_limit(ingested: str) -> None:
    everything = runner.invoke(app, ["said", "законы", "--db", ingested], env={"COLUMNS": "250"})
    assert "Аида Балаева" in everything.stdout and "Ермек Кошербаев" in everything.stdout
    assert everything.stdout.rstrip().endswith("2 quotes")
    first = runner.invoke(app, ["said", "законы", "--limit", "1", "--db", ingested], env={"COLUMNS": "250"})
    assert first.exit_code == 0, first.output
    assert first.stdout.rstrip().endswith("1 quotes")


def test_said_without_words_is_a_clear_error(ingested: str) -> None:
    result = runner.invoke(app, ["said", "!!!", "--db", ingested])
    assert result.exit_code == 2
    assert result.stderr == "error: nothing to search for in '!!!': it has no words\n"


def test_serve_listens_where_the_environment_says(tmp_path: Path) -> None:
    """LETOPIS_HOST and LETOPIS_PORT choose the address when --host/--port are not given."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    from conftest import free_port

    port = free_port()
    env = {**os.environ, "LETOPIS_HOST": "127.0.0.1", "LETOPIS_PORT": str(port)}
    Store.open(tmp_path / "env.db").close()
    command = [sys.executable, "-m", "letopis", "serve", "--db", str(tmp_path / "env.db")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        for _ in range(300):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/index.json", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode()
                time.sleep(0.1)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
