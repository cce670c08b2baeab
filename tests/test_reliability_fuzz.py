"""Nothing is lost under bad input: every file of a hostile corpus is stored or reported with a reason,
no document grows past the size limit, and no document holds the batch past the time limit."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from letopis.cli import app
from letopis.model import Document
from letopis.nlp import pipeline
from letopis.sources import MAX_DOCUMENT_CHARS, iter_documents
from letopis.sources.encoding import decode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import make_fuzz_corpus  # noqa: E402 - bench/ is not a package

SUMMARY = re.compile(r"read (\d+), new (\d+), updated (\d+), duplicates (\d+), failed (\d+)")
FUZZ_FILES = 280  # 20 of each kind; about 15 s of extraction
TEXT = "Министр иностранных дел Ермек Кошербаев встретился с послом Франции в Астане."


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The fast corpus ingested once: its manifest, the CLI result and the store's path."""
    folder = tmp_path_factory.mktemp("fuzz")
    manifest = make_fuzz_corpus.write_corpus(folder / "corpus", FUZZ_FILES, mode="fast")
    db = str(folder / "fuzz.db")
    result = CliRunner().invoke(app, ["ingest", str(folder / "corpus"), "--db", db])
    return {"manifest": manifest, "result": result, "db": db}


def test_fuzzed_ingest_finishes_without_a_traceback(fuzzed: dict) -> None:
    result = fuzzed["result"]
    assert result.exit_code == 1, result.output  # some inputs are bad, and say so
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_fuzzed_ingest_reads_every_unit_and_accounts_for_each(fuzzed: dict) -> None:
    read, new, updated, duplicates, failed = map(int, SUMMARY.search(fuzzed["result"].stdout).groups())
    assert read == fuzzed["manifest"]["units"]
    assert (new + failed, updated, duplicates) == (read, 0, 0)
    assert fuzzed["result"].stderr.count("error: ") == failed
    with sqlite3.connect(fuzzed["db"]) as connection:
        assert connection.execute("SELECT count(*) FROM documents").fetchone()[0] == new


def test_fuzzed_ingest_stores_or_reports_every_unit_of_every_file(fuzzed: dict) -> None:
    with sqlite3.connect(fuzzed["db"]) as connection:
        sources = [source for (source,) in connection.execute("SELECT source FROM documents")]
    accounted = make_fuzz_corpus.account(fuzzed["manifest"], fuzzed["result"].stderr, sources)
    assert (accounted["lost"], accounted["differ"]) == (0, {})
    assert accounted["stored"] + accounted["reported"] == fuzzed["manifest"]["units"]


def test_fuzzed_store_passes_the_integrity_check(fuzzed: dict) -> None:
    with sqlite3.connect(fuzzed["db"]) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_markup_in_a_reported_value_is_printed_as_is(fuzzed: dict) -> None:
    assert "'published' is not a date: '[/red][bold]'" in fuzzed["result"].stderr


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # a copy cut off inside the last letter ("ё" is two bytes)
        ("Встреча прошла в Астане, её итоги".encode()[:-1], "Встреча прошла в Астане, её итог"),
        # a UTF-8 lead pasted above a cp1251 paragraph
        (
            "Встреча в Астане.".encode() + b"\n" + "Стороны обсудили сотрудничество.".encode("cp1251"),
            "Встреча в Астане.\nСтороны обсудили сотрудничество.",
        ),
    ],
)
def test_damaged_utf8_is_decoded(data: bytes, expected: str) -> None:
    assert decode(data, "новость.txt") == expected


def test_a_text_over_the_size_limit_is_reported_not_extracted(tmp_path: Path) -> None:
    path = tmp_path / "дамп.txt"
    path.write_text("а" * (MAX_DOCUMENT_CHARS + 1), encoding="utf-8")
    [error] = iter_documents([str(path)])
    assert str(error) == f"{path}: too long: 2,000,001 characters (limit 2,000,000)"


def _slow_when_asked(doc: Document) -> Document:
    """A real stage that hangs on a document asking for it, as a runaway regex would."""
    if "медленно" in doc.text:
        time.sleep(30)
    return doc


@pytest.fixture
def slow_and_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of one article that hangs a stage and one that does not; a limit of half a second."""
    default_stages = pipeline.default_stages
    # The models load once per process, on first use: not inside the half-second limit.
    pipeline.extract(Document(id="warm", source="warm.txt", text=TEXT))
    monkeypatch.setattr(pipeline, "default_stages", lambda: [_slow_when_asked, *default_stages()])
    monkeypatch.setattr(pipeline, "EXTRACTION_TIME_LIMIT_SECONDS", 0.5)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a_медленно.txt").write_text("Очень медленно. " + TEXT, encoding="utf-8")
    (folder / "b_быстро.txt").write_text(TEXT, encoding="utf-8")
    return folder


def _invoked_in_time(args: list[str]) -> Result:
    started = time.monotonic()
    result = CliRunner().invoke(app, args)
    assert time.monotonic() - started < 20
    assert result.exit_code == 1
    return result


def test_a_document_over_the_time_limit_is_reported_and_the_batch_goes_on(
    slow_and_fast: Path, tmp_path: Path
) -> None:
    result = _invoked_in_time(["ingest", str(slow_and_fast), "--db", str(tmp_path / "kb.db")])
    assert f"{slow_and_fast / 'a_медленно.txt'}: extraction stopped after 0.5 s" in result.stderr
    assert "read 2, new 1, updated 0, duplicates 0, failed 1" in result.stdout
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_extract_also_reports_a_document_over_the_time_limit_and_goes_on(slow_and_fast: Path) -> None:
    result = _invoked_in_time(["extract", str(slow_and_fast), "--format", "jsonl"])
    assert f"{slow_and_fast / 'a_медленно.txt'}: extraction stopped after 0.5 s" in result.stderr
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == [str(slow_and_fast / "b_быстро.txt")]


def test_the_manifest_is_hidden_from_ingest(tmp_path: Path) -> None:
    make_fuzz_corpus.write_corpus(tmp_path, 1, mode="fast")
    manifest = json.loads((tmp_path / ".manifest.json").read_text(encoding="utf-8"))
    assert manifest == {"files": {"00000_valid_article.txt": 1}, "units": 1}
    sources = [doc.source for doc in iter_documents([str(tmp_path)])]
    assert sources == [str(tmp_path / "00000_valid_article.txt")]
