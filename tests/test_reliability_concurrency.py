"""Ingest while serving, on SQLite (WAL) and on PostgreSQL (transactions, one writer at a time): a real
`letopis serve` answers search, document and entity requests while one real `letopis ingest` writes
to the same store, or two at once, with no server error and no "database is locked", deadlock or
serialisation failure reaching a user or the ingest's stderr; afterwards every document ingested is
found, by its source, by id and by searching its title."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from conftest import free_port
from letopis.store import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import make_fuzz_corpus  # noqa: E402 - bench/ is not a package

ARTICLES = 80  # per folder: enough that readers catch the store part-written, however fast ingest is
READERS = 3  # client threads asking at once
MIN_REQUESTS = 150  # answers at least, whatever the speed of the ingests
# Guards against a hang, not a speed requirement: nothing here takes a tenth of them.
INGEST_TIMEOUT = 120
REQUEST_TIMEOUT = 30
# What a lock a writer holds must never turn into for a reader (SQLite; PostgreSQL, lowercase).
LOCK_MARKERS = ("locked", "deadlock", "could not serialize")
SUMMARY = re.compile(
    r"read (?P<read>\d+), new (?P<new>\d+), updated (?P<updated>\d+),"
    r" duplicates (?P<duplicates>\d+), failed (?P<failed>\d+)"
)


def lock_markers(text: str) -> list[str]:
    lowered = text.lower()
    return [marker for marker in LOCK_MARKERS if marker in lowered]


def start_server(db: str, log: Path) -> tuple[subprocess.Popen, str]:
    """`letopis serve` of `db` on a free loopback port, its output to `log` (a file: a pipe nobody
    reads could fill up and stop the server); the process and base URL."""
    port = free_port()
    command = [sys.executable, "-m", "letopis", "serve", "--db", db, "--port", str(port)]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/api/summary", timeout=1)
            return process, base
        except httpx.TransportError:
            assert process.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "letopis serve did not start"
            time.sleep(0.1)


@dataclass
class Ingest:
    """A `letopis ingest` process writing `folders` to the store, its stdout and stderr to files."""

    process: subprocess.Popen
    stdout: Path
    stderr: Path

    @classmethod
    def start(cls, db: str, folders: list[Path], logs: Path) -> Ingest:
        stdout, stderr = logs.with_suffix(".out"), logs.with_suffix(".err")
        command = [sys.executable, "-m", "letopis", "ingest", *map(str, folders), "--db", db]
        with stdout.open("wb") as out, stderr.open("wb") as err:
            return cls(subprocess.Popen(command, stdout=out, stderr=err), stdout, stderr)

    def counts(self) -> dict[str, int]:
        """The summary line's numbers: read, new, updated, duplicates, failed."""
        match = SUMMARY.search(self.stdout.read_text(encoding="utf-8"))
        assert match is not None, self.stdout.read_text(encoding="utf-8") + self.stderr.read_text("utf-8")
        return {name: int(number) for name, number in match.groupdict().items()}


@dataclass
class Answer:
    path: str
    status: int
    markers: list[str]
    while_ingesting: bool
    documents_total: int | None = None  # what /api/documents said the store held


@dataclass
class Reader:
    """A client asking in turn for lists, searches, a document and an entity (by the ids the lists
    gave it), as JSON and as HTML pages, until told to stop."""

    base: str
    turn: int
    ingesting: threading.Event
    stop: threading.Event
    answers: list[Answer] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    entities: list[int] = field(default_factory=list)
    error: BaseException | None = None

    def path(self) -> str:
        doc = self.docs[self.turn % len(self.docs)] if self.docs else None
        entity = self.entities[self.turn % len(self.entities)] if self.entities else None
        paths = [
            "/api/documents?limit=50",
            "/api/search?q=министр",
            "/search?q=встреча",
            f"/api/documents/{quote(doc)}" if doc else "/documents.json",
            f"/doc/{quote(doc)}" if doc else "/search.json?q=Казахстан",
            "/api/entities?limit=50",
            f"/api/entities/{entity}" if entity else "/api/entities?q=ООН",
            f"/entity/{entity}" if entity else "/api/summary",
            "/search.json?q=Казахстан",
            "/api/summary",
        ]
        return paths[self.turn % len(paths)]

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.base, timeout=REQUEST_TIMEOUT) as client:
                while not self.stop.is_set():
                    self.ask(client, self.path())
                    self.turn += 1
        except BaseException as error:  # reported by the test, not lost in this thread
            self.error = error

    def ask(self, client: httpx.Client, path: str) -> None:
        ingesting = self.ingesting.is_set()
        response = client.get(path)
        answer = Answer(path, response.status_code, lock_markers(response.text), ingesting)
        self.answers.append(answer)
        if response.status_code != 200 or "/api/" not in path or "?" not in path:
            return
        body = response.json()
        if path.startswith("/api/documents"):
            answer.documents_total = body["total"]
            self.docs = [item["id"] for item in body["items"]] or self.docs
        elif path.startswith("/api/entities"):
            self.entities = [item["id"] for item in body["items"]] or self.entities


def serve_while_ingesting(db: str, folders: list[list[Path]], tmp_path: Path) -> tuple[list[Answer], str]:
    """Serve `db` while one ingest per list of `folders` writes to it, READERS clients asking all along;
    then check every document of the folders is found. Every answer, and the server's log."""
    Store.open(db).close()  # an SQLite file must be there before the server opens it
    server_log = tmp_path / "serve.log"
    server, base = start_server(db, server_log)
    try:
        ingesting, stop = threading.Event(), threading.Event()
        ingesting.set()
        readers = [Reader(base, number, ingesting, stop) for number in range(READERS)]
        threads = [threading.Thread(target=reader.run, daemon=True) for reader in readers]
        for thread in threads:
            thread.start()
        ingests: list[Ingest] = []
        try:
            ingests += [Ingest.start(db, batch, tmp_path / f"ingest{n}") for n, batch in enumerate(folders)]
            deadline = time.monotonic() + INGEST_TIMEOUT
            for ingest in ingests:
                ingest.process.wait(timeout=max(deadline - time.monotonic(), 1))
        finally:
            ingesting.clear()
            for ingest in ingests:
                if ingest.process.poll() is None:
                    ingest.process.kill()
                    ingest.process.wait()
            # Readers go on until MIN_REQUESTS answers in all, however fast the ingests were.
            while sum(len(r.answers) for r in readers) < MIN_REQUESTS and all(t.is_alive() for t in threads):
                time.sleep(0.05)
            stop.set()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT + 5)
        for reader in readers:
            assert reader.error is None, repr(reader.error)
        for ingest in ingests:
            stderr = ingest.stderr.read_text(encoding="utf-8")
            assert ingest.process.returncode == 0, ingest.stdout.read_text(encoding="utf-8") + stderr
            assert lock_markers(stderr) == [], stderr
            assert "Traceback" not in stderr
        check_every_document_found(base, sorted({folder for batch in folders for folder in batch}))
    finally:
        server.terminate()
        server.wait(timeout=10)
    for ingest in ingests:
        counts = ingest.counts()
        assert counts["failed"] == 0
        assert counts["read"] == counts["new"] + counts["updated"] + counts["duplicates"]
    distinct = {path.resolve() for batch in folders for folder in batch for path in folder.iterdir()}
    assert sum(ingest.counts()["new"] for ingest in ingests) == len(distinct)
    return [answer for reader in readers for answer in reader.answers], server_log.read_text("utf-8")


def check_every_document_found(base: str, folders: list[Path]) -> None:
    """Each article of `folders` is one document: listed by its source, served by its id, and found
    by searching its title."""
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:

        def get(path: str, **params: str | int) -> dict:
            response = client.get(path, params=params)
            assert response.status_code == 200, (path, params, response.text)
            assert lock_markers(response.text) == [], response.text
            return response.json()

        paths = sorted(path for folder in folders for path in folder.iterdir())
        assert get("/api/documents", limit=1)["total"] == len(paths)
        for path in paths:
            source = f"{path.parent.name}/{path.name}"
            listed = get("/api/documents", source=source)
            assert listed["total"] == 1, (source, listed)
            doc = get(f"/api/documents/{quote(listed['items'][0]['id'])}")
            assert doc["source"].endswith(source)
            found = get("/api/search", q=doc["title"], source=source)
            assert doc["id"] in [item["id"] for item in found["documents"]], (source, doc["title"])


def assert_served_without_errors(answers: list[Answer], server_log: str, expected: int) -> None:
    statuses = Counter(answer.status for answer in answers)
    assert [a for a in answers if a.status >= 500] == []
    assert [a for a in answers if a.markers] == []
    assert lock_markers(server_log) == [], server_log
    assert "Traceback" not in server_log, server_log
    # Lists and searches always answer; a document or an entity a list just gave is still there (an
    # ingest of new files adds documents, and an update keeps the id: nothing is taken away).
    assert set(statuses) == {200}, statuses
    assert len(answers) >= MIN_REQUESTS
    # The readers did run beside the writers: some answer saw the store part-written.
    partly = {a.documents_total for a in answers if a.while_ingesting and a.documents_total is not None}
    assert partly & set(range(1, expected)), sorted(partly)


def test_serve_answers_without_errors_while_ingest_writes(backend: str, db: str, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    make_fuzz_corpus.write_articles(articles, ARTICLES)
    answers, server_log = serve_while_ingesting(db, [[articles]], tmp_path)
    assert_served_without_errors(answers, server_log, ARTICLES)


def test_serve_answers_without_errors_while_two_ingests_write(backend: str, db: str, tmp_path: Path) -> None:
    """Two writers at once, each with articles of its own and the same shared ones: they take turns
    (SQLite's write lock, PostgreSQL's advisory lock); a shared article is stored once."""
    first, second, shared = tmp_path / "first", tmp_path / "second", tmp_path / "shared"
    make_fuzz_corpus.write_articles(first, ARTICLES, seed=1)
    make_fuzz_corpus.write_articles(second, ARTICLES, seed=2)
    make_fuzz_corpus.write_articles(shared, ARTICLES // 2, seed=3)
    answers, server_log = serve_while_ingesting(db, [[first, shared], [second, shared]], tmp_path)
    assert_served_without_errors(answers, server_log, 2 * ARTICLES + ARTICLES // 2)
